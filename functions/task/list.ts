import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { listTasks } from '../../shared/tasks/list';
import { listQuery } from '../../shared/tasks/schemas';
import { taskPorts } from '../../shared/wiring/ports';

/** GET /task/list?limit&offset&status&cursor — the caller's tasks, newest first (one statement). */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-list',
  auth: 'session',
  query: listQuery,
  async run({ caller, query }) {
    return ok(await listTasks(caller, query, taskPorts));
  },
});
