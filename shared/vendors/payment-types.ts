export type Channel = 'wx' | 'alipay';

/** jsapi: WeChat inside WeChat (openid); h5: WeChat H5 pay in other browsers; wap: Alipay wap pay. */
export type PayMethod = 'jsapi' | 'h5' | 'wap';

/** What one order asks the platform for; everything is fixed at creation, so a repeat is identical. */
export interface PlatformOrderRequest {
  readonly outTradeNo: string;
  readonly amountFen: number;
  readonly subject: string;
  readonly expiresAt: Date;
}

/**
 * What a platform says about one of our orders, from a verified notification or a verified query
 * answer. `appId`/`merchantId` are null when the source does not carry them (Alipay's query answer,
 * which is about our app by construction: we signed the question).
 */
export interface PlatformReport {
  readonly channel: Channel;
  readonly outTradeNo: string;
  /** paid: money taken; pending: not paid yet; closed: can no longer be paid; not-found: unknown there. */
  readonly state: 'paid' | 'pending' | 'closed' | 'not-found';
  /** The platform's own word (SUCCESS, NOTPAY, TRADE_FINISHED, …), for logs. */
  readonly platformState: string;
  /** WeChat transaction_id / Alipay trade_no, once the platform has one. */
  readonly platformTradeNo: string | null;
  readonly amountFen: number | null;
  /** WeChat's amount.currency (must be CNY); null for Alipay, whose amounts are yuan by definition. */
  readonly currency: string | null;
  readonly appId: string | null;
  readonly merchantId: string | null;
}

/** The parameters the browser needs to pay, exactly as POST /membership/purchase returns them. */
export type PayParams =
  | { readonly appId: string; readonly timeStamp: string; readonly nonceStr: string; readonly package: string; readonly signType: 'RSA'; readonly paySign: string }
  | { readonly h5Url: string }
  | { readonly payUrl: string };

/** A platform answered something other than what we asked for, or could not be reached. */
export class PlatformError extends Error {
  constructor(
    readonly channel: Channel,
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}
