import { adminStats } from '../../shared/admin/stats';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** GET /admin/stats — users, members, activity, tasks by status and type, revenue and refunds by month (admins only). */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-stats',
  auth: 'admin',
  async run() {
    return ok(await adminStats());
  },
});
