import { taskCosts } from '../../shared/admin/costs';
import { adminCostsQuery } from '../../shared/admin/schemas';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** GET /admin/costs?from&to — RunningHub coins and run seconds by UTC day and task type, with task counts by outcome (admins only). */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-costs',
  auth: 'admin',
  query: adminCostsQuery,
  async run({ query }) {
    return ok(await taskCosts(query));
  },
});
