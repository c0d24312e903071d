import { defineEndpoint } from '../../shared/http/endpoint';
import { raw } from '../../shared/http/respond';
import { handlePaymentNotification } from '../../shared/payments/notifications';
import { paymentPorts } from '../../shared/wiring/payments';

/**
 * POST /membership/payment-callback — WeChat Pay and Alipay notifications. Public (the platforms
 * sign instead); the raw body is handed over unparsed because the signatures cover its bytes.
 * Replies are the platform-mandated ones, never the API envelope.
 */
export const { handler, main_handler } = defineEndpoint({
  route: 'membership-payment-callback',
  auth: 'public',
  body: 'raw',
  async run({ request }) {
    const reply = await handlePaymentNotification({ headers: request.headers, body: request.body }, paymentPorts);
    return raw(reply.status, reply.body, { ...reply.headers });
  },
});
