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

/** A full refund of one order; a repeat with the same outRefundNo is the same refund at the platform. */
export interface PlatformRefundRequest {
  readonly outTradeNo: string;
  /** WeChat out_refund_no / Alipay out_request_no (≤ 64 characters). */
  readonly outRefundNo: string;
  readonly refundFen: number;
  readonly totalFen: number;
  /** Shown to the buyer (WeChat: ≤ 80 characters). */
  readonly reason: string;
}

/**
 * What a platform verifiably said about one refund (its answer to the refund request, a refund
 * query answer or, for WeChat, a REFUND.* notification).
 */
export interface PlatformRefundReport {
  readonly channel: Channel;
  readonly outTradeNo: string;
  readonly outRefundNo: string;
  /**
   * succeeded: the money went back; processing: accepted, not finished (or the outcome is not known
   * yet); failed: the platform will not finish it (WeChat CLOSED/ABNORMAL) or refused the request;
   * not-found: the platform holds no such refund.
   */
  readonly state: 'succeeded' | 'processing' | 'failed' | 'not-found';
  /** The platform's own word (SUCCESS, PROCESSING, REFUND_SUCCESS, NOT_ENOUGH, …), for logs. */
  readonly platformState: string;
  /** WeChat refund_id, once the platform has one. */
  readonly platformRefundNo: string | null;
  /** The refunded amount the platform names (Alipay: refund_fee / refund_amount), null when it names none. */
  readonly refundFen: number | null;
  /** WeChat mchid (notifications only); null elsewhere. */
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
