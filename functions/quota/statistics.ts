import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { quotaStatistics } from '../../shared/quota/statistics';

/** GET /quota/statistics — the caller's quota totals, tasks by type and outcome, and the last 12 months. */
export const { handler, main_handler } = defineEndpoint({
  route: 'quota-statistics',
  auth: 'session',
  async run({ caller }) {
    return ok(await quotaStatistics(caller));
  },
});
