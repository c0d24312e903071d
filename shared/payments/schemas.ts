import * as z from 'zod/mini';

/** POST /membership/purchase's body (contract §4, plus `openid` for JSAPI pay). */
export const purchaseBody = z.object({
  channel: z.enum(['wx', 'alipay'], { error: '支付渠道应为 wx 或 alipay' }),
  /** The payer's openid under our AppID (GET /auth/wechat/openid); present → JSAPI, absent → H5 pay. */
  openid: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{6,128}$/, 'openid 格式不正确'))),
});
