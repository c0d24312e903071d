import { listPaymentAnomalies } from '../../shared/admin/queries';
import { adminPaymentAnomaliesQuery } from '../../shared/admin/schemas';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/**
 * GET /admin/payment-anomalies — genuinely signed payment reports that can never be credited (another
 * amount, currency, app or merchant, the other platform's order, an unknown order), first recorded
 * in the last `days` days, newest first (admins only). docs/payments.md "Payment anomalies".
 */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-payment-anomalies',
  auth: 'admin',
  query: adminPaymentAnomaliesQuery,
  async run({ query }) {
    const page = await listPaymentAnomalies(query);
    return ok({ anomalies: page.items, total: page.total, limit: query.limit, offset: query.offset, days: query.days });
  },
});
