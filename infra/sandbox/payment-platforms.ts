/**
 * What the sandbox's WeChat Pay and Alipay modules share: the trades each platform holds (per
 * sandbox instance, cleared on reset), the platform keys, and the sandbox's own signing and
 * encryption. These are written independently of shared/payments on purpose: the sandbox is the
 * other side of the wire, so a bug in our client must not be mirrored by the platform it talks to.
 */
import { createCipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomInt, sign, verify, type KeyObject } from 'node:crypto';
import {
  SANDBOX_ALIPAY_APP_PRIVATE_KEY,
  SANDBOX_ALIPAY_PLATFORM_PRIVATE_KEY,
  SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY,
  SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY,
} from './payment-keys';
import type { SandboxState } from './state';

export interface WechatTrade {
  readonly outTradeNo: string;
  readonly tradeType: 'JSAPI' | 'MWEB';
  /** The order request with sorted keys: a repeat must be identical (payments.md §1.2). */
  readonly canonicalRequest: string;
  readonly appid: string;
  readonly mchid: string;
  readonly description: string;
  readonly total: number;
  readonly notifyUrl: string;
  readonly openid: string | null;
  readonly timeExpire: Date | null;
  readonly prepayId: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
  transactionId: string | null;
  successTime: Date | null;
  payerOpenid: string | null;
  /** Notification id, stable across re-deliveries of the same event. */
  eventId: string | null;
}

export interface AlipayTrade {
  readonly outTradeNo: string;
  readonly tradeNo: string;
  readonly appId: string;
  readonly sellerId: string;
  readonly subject: string;
  /** Yuan, as the merchant wrote it ("99.00"). */
  readonly totalAmount: string;
  notifyUrl: string | null;
  /** return_url: where the cashier page sends the buyer after paying (a browser redirect only). */
  returnUrl: string | null;
  readonly timeExpire: Date | null;
  readonly createdAt: Date;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | 'TRADE_CLOSED';
  paidAt: Date | null;
  readonly buyerId: string;
  /** notify_id, stable across re-deliveries of the same status. */
  notifyId: string | null;
}

/**
 * One refund as the platform holds it: one per (channel, refund number), so a repeated request with
 * the same out_refund_no / out_request_no answers this refund instead of refunding again.
 */
export interface PlatformRefund {
  readonly channel: 'wx' | 'alipay';
  readonly outTradeNo: string;
  /** WeChat out_refund_no / Alipay out_request_no. */
  readonly outRefundNo: string;
  /** WeChat refund_id (Alipay has none of its own). */
  readonly refundId: string;
  readonly refundFen: number;
  readonly totalFen: number;
  readonly reason: string;
  /** WeChat: where REFUND.* notifications go (the request's notify_url). */
  readonly notifyUrl: string | null;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  readonly createdAt: Date;
  successTime: Date | null;
  /** Notification id, stable across re-deliveries of the same event. */
  eventId: string | null;
}

export interface PaymentPlatforms {
  readonly wechatTrades: Map<string, WechatTrade>;
  readonly alipayTrades: Map<string, AlipayTrade>;
  /** Refunds of both platforms, keyed `channel:refundNo`. */
  readonly refunds: Map<string, PlatformRefund>;
  /** Base URL of the API, for notifications whose order named no notify_url. */
  apiBaseUrl: string | undefined;
}

const platformsByState = new WeakMap<SandboxState, PaymentPlatforms>();

/** The payment platforms of one sandbox instance; created on first use, emptied by /_sandbox/reset. */
export function paymentPlatforms(state: SandboxState): PaymentPlatforms {
  let platforms = platformsByState.get(state);
  if (!platforms) {
    const created: PaymentPlatforms = { wechatTrades: new Map(), alipayTrades: new Map(), refunds: new Map(), apiBaseUrl: undefined };
    state.onReset(() => {
      created.wechatTrades.clear();
      created.alipayTrades.clear();
      created.refunds.clear();
    });
    platformsByState.set(state, created);
    platforms = created;
  }
  return platforms;
}

export const sandboxKeys: {
  readonly wechatMerchantPublic: KeyObject;
  readonly wechatPlatformPrivate: KeyObject;
  readonly alipayAppPublic: KeyObject;
  readonly alipayPlatformPrivate: KeyObject;
} = {
  wechatMerchantPublic: createPublicKey(SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY),
  wechatPlatformPrivate: createPrivateKey(SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY),
  alipayAppPublic: createPublicKey(SANDBOX_ALIPAY_APP_PRIVATE_KEY),
  alipayPlatformPrivate: createPrivateKey(SANDBOX_ALIPAY_PLATFORM_PRIVATE_KEY),
};

let stranger: KeyObject | undefined;

/** A key no merchant was given (made on first use): what a forger on the wire would sign with. */
export function strangerPrivateKey(): KeyObject {
  stranger ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return stranger;
}

export function rsaSign(message: string, key: KeyObject): string {
  return sign('RSA-SHA256', Buffer.from(message, 'utf8'), key).toString('base64');
}

export function rsaVerify(message: string | Buffer, signature: string, key: KeyObject): boolean {
  try {
    return verify('RSA-SHA256', typeof message === 'string' ? Buffer.from(message, 'utf8') : message, key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** WeChat's resource encryption: AES-256-GCM, ciphertext ‖ 16-byte tag, base64. */
export function aesGcmEncrypt(plaintext: string, key: string, nonce: string, associatedData: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function randomAlphanumeric(length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += alphanumeric.charAt(randomInt(alphanumeric.length));
  return text;
}

export function randomDigits(length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += String(randomInt(10));
  return text;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A stable openid-shaped id (28 characters) for anything the sandbox must call a WeChat user. */
export function sandboxOpenid(appId: string, subject: string): string {
  return `o${createHash('sha256').update(`${appId}:${subject}`).digest('base64url').slice(0, 27)}`;
}

/** Beijing time pieces both platforms print: yyyy-MM-dd and HH:mm:ss. */
function beijing(date: Date): { day: string; time: string } {
  const iso = new Date(date.getTime() + 8 * 3600_000).toISOString();
  return { day: iso.slice(0, 10), time: iso.slice(11, 19) };
}

export function wechatTime(date: Date): string {
  const { day, time } = beijing(date);
  return `${day}T${time}+08:00`;
}

export function alipayTime(date: Date): string {
  const { day, time } = beijing(date);
  return `${day} ${time}`;
}

/** JSON with keys sorted at every level: two requests with the same fields compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface SignedNotification {
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface DeliveryResult {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

/** Posts a notification to the API like the platform would, with a timeout like the platform's. */
export async function deliver(notification: SignedNotification): Promise<DeliveryResult> {
  const response = await fetch(notification.url, {
    method: notification.method,
    headers: notification.headers,
    body: notification.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
}

/** Both refund APIs' faults: `pending` accepts and leaves it PROCESSING (finished by POST
 * /_sandbox/pay/refunds/complete), `fail` refuses it (no refund recorded), `unreachable` drops the
 * connection without answering (the refund is not made). */
export const refundFaults = ['ok', 'pending', 'fail', 'unreachable'] as const;

/** The refunds the platform holds for one order, oldest first. */
export function refundsOf(platforms: PaymentPlatforms, outTradeNo: string): PlatformRefund[] {
  return [...platforms.refunds.values()].filter((refund) => refund.outTradeNo === outTradeNo).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** What has already gone back of a trade (refunds that succeeded or are on their way). */
export function refundedSoFar(platforms: PaymentPlatforms, channel: PlatformRefund['channel'], outTradeNo: string): number {
  return refundsOf(platforms, outTradeNo)
    .filter((refund) => refund.channel === channel && (refund.status === 'SUCCESS' || refund.status === 'PROCESSING'))
    .reduce((sum, refund) => sum + refund.refundFen, 0);
}
