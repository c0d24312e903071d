import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { listOrders, ordersQuery } from '../../shared/payments/order-list';

/** GET /membership/orders?limit&cursor — the caller's orders, newest first (one statement). */
export const { handler, main_handler } = defineEndpoint({
  route: 'membership-orders',
  auth: 'session',
  query: ordersQuery,
  async run({ caller, query }) {
    return ok(await listOrders(caller, query));
  },
});
