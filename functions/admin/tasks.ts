import { listTasks } from '../../shared/admin/queries';
import { adminTasksQuery } from '../../shared/admin/schemas';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** GET /admin/tasks — every task, newest first; filters `status` and `userId` (admins only). */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-tasks',
  auth: 'admin',
  query: adminTasksQuery,
  async run({ query }) {
    const page = await listTasks(query);
    return ok({ tasks: page.items, total: page.total, limit: query.limit, offset: query.offset });
  },
});
