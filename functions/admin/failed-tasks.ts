import { listFailedTasks } from '../../shared/admin/queries';
import { adminFailedTasksQuery } from '../../shared/admin/schemas';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** GET /admin/failed-tasks — tasks that failed in the last `days` days, for customer support (admins only). */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-failed-tasks',
  auth: 'admin',
  query: adminFailedTasksQuery,
  async run({ query }) {
    const page = await listFailedTasks(query);
    return ok({ tasks: page.items, total: page.total });
  },
});
