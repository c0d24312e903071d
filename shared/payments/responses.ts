import * as z from 'zod/mini';
import { isoDateTime } from '../responses';

/** Success `data` of the membership routes (contract §4–5), for the OpenAPI document only (see shared/responses.ts). */

/** WeChat JSAPI: the arguments of `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` (contract §4). */
export const jsapiPayParams = z.object({
  appId: z.string(),
  timeStamp: z.string(),
  nonceStr: z.string(),
  package: z.string(),
  signType: z.literal('RSA'),
  paySign: z.string(),
});

/** Extension: WeChat H5 pay outside WeChat; open this URL. */
export const h5PayParams = z.object({ h5Url: z.string() });

/** Extension: Alipay wap pay; open this URL (the cashier). */
export const alipayPayParams = z.object({ payUrl: z.string() });

export const purchaseData = z.object({
  orderId: z.string(),
  /** JSAPI when `openid` was sent with channel wx, H5 without it, the cashier URL for alipay. */
  payParams: z.union([jsapiPayParams, h5PayParams, alipayPayParams]),
});

/** shared/payments/status.ts MembershipStatus. */
export const membershipStatusData = z.object({
  isMember: z.boolean(),
  quota_remaining: z.int().check(z.gte(0)),
  quota_expireAt: z.nullable(isoDateTime),
  /** Whole days until the membership ends, rounded up; 0 when not a member. */
  expireDays: z.int().check(z.gte(0)),
  /** Price of one membership order, in fen. */
  price: z.int().check(z.gt(0)),
});
