import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { listTasks } from '../../shared/tasks/read';
import { listQuery } from '../../shared/tasks/schemas';
import { taskServices } from '../../shared/tasks/services';

taskServices(); // a missing production setting stops the function at cold start, not mid-request

/** GET /task/list?limit&offset&status — the caller's tasks, newest first. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-list',
  auth: 'user',
  query: listQuery,
  async run({ caller, query }) {
    return ok(await listTasks(caller.user, query));
  },
});
