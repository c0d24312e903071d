import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { logger } from '../../shared/logger';
import { orderParams, readOrder } from '../../shared/payments/order-list';
import { paymentPorts } from '../../shared/wiring/payments';

/** GET /membership/orders/{orderId} — the caller's order (a pending one is settled with its platform first); others' answer 5002 as if missing. */
export const { handler, main_handler } = defineEndpoint({
  route: 'membership-order',
  auth: 'session',
  params: orderParams,
  async run({ caller, params }) {
    logger.appendKeys({ orderId: params.orderId });
    return ok(await readOrder(caller, params.orderId, paymentPorts));
  },
});
