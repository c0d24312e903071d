import * as z from 'zod/mini';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { purchaseMembership } from '../../shared/payments/purchase';
import { paymentPorts } from '../../shared/wiring/payments';

const purchaseBody = z.object({
  channel: z.enum(['wx', 'alipay'], { error: '支付渠道应为 wx 或 alipay' }),
  /** The payer's openid under our AppID (GET /auth/wechat/openid); present → JSAPI, absent → H5 pay. */
  openid: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{6,128}$/, 'openid 格式不正确'))),
});

/** POST /membership/purchase — a pending order and the parameters to pay it. */
export const { handler, main_handler } = defineEndpoint({
  route: 'membership-purchase',
  auth: 'user',
  body: purchaseBody,
  async run({ body, caller, request }) {
    return ok(await purchaseMembership({ user: caller.user, channel: body.channel, openid: body.openid, clientIp: request.sourceIp }, paymentPorts));
  },
});
