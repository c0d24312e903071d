import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { purchaseMembership } from '../../shared/payments/purchase';
import { purchaseBody } from '../../shared/payments/schemas';
import { paymentPorts } from '../../shared/wiring/payments';

/** POST /membership/purchase — a pending order and the parameters to pay it. */
export const { handler, main_handler } = defineEndpoint({
  route: 'membership-purchase',
  auth: 'user',
  body: purchaseBody,
  async run({ body, caller, request }) {
    return ok(await purchaseMembership({ user: caller.user, channel: body.channel, openid: body.openid, clientIp: request.sourceIp }, paymentPorts));
  },
});
