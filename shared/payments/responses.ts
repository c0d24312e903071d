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

const channel = z.enum(['wx', 'alipay']);
/** `jsapi`, `h5` (WeChat) or `wap` (Alipay). */
const payMethod = z.enum(['jsapi', 'h5', 'wap']);
/** `refunding`: support asked the platform for a refund, not confirmed yet. */
const orderStatus = z.enum(['pending', 'paid', 'failed', 'refunding', 'refunded']);

/** Extension: one of the caller's orders (shared/payments/order-list.ts OrderView): GET /membership/orders/{orderId}, and GET /membership/orders' items. */
export const orderView = z.object({
  orderId: z.string(),
  channel,
  payMethod,
  /** In fen, as `price` in GET /membership/status. */
  amount: z.int().check(z.gt(0)),
  status: orderStatus,
  createdAt: isoDateTime,
  paidAt: z.nullable(isoDateTime),
  /** When the platform confirmed the order's refund; null until then. */
  refundedAt: z.nullable(isoDateTime),
});

/** Extension: GET /membership/orders, newest first; pass `nextCursor` as `cursor` for the next page (null on the last). */
export const ordersData = z.object({ items: z.array(orderView), nextCursor: z.nullable(z.string()) });

/** Extension: POST /admin/orders/{orderId}/refund (shared/payments/refunds.ts RefundedOrderView): the order after the request. */
export const refundedOrderData = z.object({
  orderId: z.string(),
  userId: z.string(),
  channel,
  payMethod,
  /** Fen; refunds are always of the whole amount. */
  amount: z.int().check(z.gt(0)),
  /** `refunding` while the platform processes it (the sweeper finishes it), `refunded` once it confirmed. */
  status: z.enum(['refunding', 'refunded']),
  /** The one refund number both platforms know the order's refund by. */
  refundNo: z.nullable(z.string()),
  refundReason: z.nullable(z.string()),
  createdAt: isoDateTime,
  paidAt: z.nullable(isoDateTime),
  refundRequestedAt: z.nullable(isoDateTime),
  refundedAt: z.nullable(isoDateTime),
});
