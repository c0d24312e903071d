import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { logger } from '../../shared/logger';
import { refundBody, refundOrder, refundParams } from '../../shared/payments/refunds';
import { paymentPorts } from '../../shared/wiring/payments';

/**
 * POST /admin/orders/{orderId}/refund {reason} — support refunds a paid order in full at its platform
 * (admins only); answers the order, `refunding` or `refunded`. docs/payments.md "Refunds".
 */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-order-refund',
  auth: 'admin',
  params: refundParams,
  body: refundBody,
  async run({ params, body, caller }) {
    logger.appendKeys({ orderId: params.orderId });
    logger.info('refund requested by support', { orderId: params.orderId, adminId: caller.user.id });
    return ok(await refundOrder(params.orderId, body.reason, paymentPorts));
  },
});
