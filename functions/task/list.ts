import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { listTasks } from '../../shared/tasks/read';
import { listQuery } from '../../shared/tasks/schemas';

/** GET /task/list?limit&offset&status — the caller's tasks, newest first. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-list',
  auth: 'user',
  query: listQuery,
  async run({ caller, query }) {
    return ok(await listTasks(caller.user, query));
  },
});
