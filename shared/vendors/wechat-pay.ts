import { createDecipheriv, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import { vendorSignal } from '../deadline';
import { toWechatTime, unixSeconds } from './payment-time';
import { PlatformError, type PayParams, type PlatformOrderRequest, type PlatformRefundReport, type PlatformRefundRequest, type PlatformReport } from './payment-types';

/**
 * WeChat Pay API v3 with node:crypto and fetch (why no SDK: docs/decisions/0003-payment-libraries.md).
 * Facts: shared/reference/payments.md §1. Requests are signed with the merchant API key (§1.3);
 * answers and notifications are verified with the WeChat Pay public key named by Wechatpay-Serial,
 * inside a 5-minute window (§1.5); notification resources are AES-256-GCM with the APIv3 key.
 */

export const WECHAT_PAY_PRODUCTION_URL = 'https://api.mch.weixin.qq.com';
/** WeChat's own window for Wechatpay-Timestamp; 300 s off is still accepted, 301 s is not. */
export const WECHAT_MAX_CLOCK_SKEW_SECONDS = 300;
/** Signature probes ("签名探测") carry this prefix; they must fail verification with a 4xx. */
export const WECHAT_PROBE_SIGNATURE_PREFIX = 'WECHATPAY/SIGNTEST/';
const requestTimeoutMs = 10_000;

// ---------------------------------------------------------------------------------------------
// Signatures (pure)

/** Every WeChat signature message is its lines, each ending in "\n" (including the last). */
export function signatureMessage(lines: readonly (string | Buffer)[]): Buffer {
  return Buffer.concat(lines.flatMap((line) => [typeof line === 'string' ? Buffer.from(line, 'utf8') : line, Buffer.from('\n')]));
}

export function signSha256Rsa(message: Buffer | string, privateKey: KeyObject): string {
  return sign('sha256', typeof message === 'string' ? Buffer.from(message, 'utf8') : message, privateKey).toString('base64');
}

export interface RequestSignatureInput {
  readonly mchId: string;
  readonly serialNo: string;
  readonly privateKey: KeyObject;
  readonly method: string;
  /** Path plus query exactly as sent, e.g. `/v3/pay/transactions/out-trade-no/x?mchid=1`. */
  readonly pathWithQuery: string;
  /** The exact body bytes sent; empty for GET. */
  readonly body: string;
  readonly timestamp: number;
  readonly nonce: string;
}

/** The Authorization header value of one request (payments.md §1.3). */
export function buildAuthorization(input: RequestSignatureInput): string {
  const message = signatureMessage([input.method.toUpperCase(), input.pathWithQuery, String(input.timestamp), input.nonce, input.body]);
  const signature = signSha256Rsa(message, input.privateKey);
  return `WECHATPAY2-SHA256-RSA2048 mchid="${input.mchId}",nonce_str="${input.nonce}",signature="${signature}",timestamp="${input.timestamp}",serial_no="${input.serialNo}"`;
}

export interface JsapiPayParams {
  readonly appId: string;
  readonly timeStamp: string;
  readonly nonceStr: string;
  readonly package: string;
  readonly signType: 'RSA';
  readonly paySign: string;
}

/** What WeixinJSBridge getBrandWCPayRequest takes; paySign over appId, timeStamp, nonceStr, package (§1.4). */
export function jsapiPayParams(input: { appId: string; prepayId: string; privateKey: KeyObject; timestamp: number; nonce: string }): JsapiPayParams {
  const timeStamp = String(input.timestamp);
  const pkg = `prepay_id=${input.prepayId}`;
  const paySign = signSha256Rsa(signatureMessage([input.appId, timeStamp, input.nonce, pkg]), input.privateKey);
  return { appId: input.appId, timeStamp, nonceStr: input.nonce, package: pkg, signType: 'RSA', paySign };
}

export interface WechatSignedHeaders {
  readonly timestamp: string | undefined;
  readonly nonce: string | undefined;
  readonly signature: string | undefined;
  readonly serial: string | undefined;
}

export type SignatureRejection = 'missing-headers' | 'stale-timestamp' | 'unknown-serial' | 'probe' | 'bad-signature';
export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: SignatureRejection };

/**
 * Verifies a WeChat answer or notification: timestamp within 5 minutes, a key we hold for its
 * serial, and RSA-SHA256 over `timestamp\nnonce\nbody\n` of the raw body bytes. Fails closed.
 */
export function verifyWechatSignature(headers: WechatSignedHeaders, body: Buffer, keys: ReadonlyMap<string, KeyObject>, nowSeconds: number): SignatureCheck {
  const { timestamp, nonce, signature, serial } = headers;
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > WECHAT_MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale-timestamp' };
  if (signature.startsWith(WECHAT_PROBE_SIGNATURE_PREFIX)) return { ok: false, reason: 'probe' };
  const key = keys.get(serial);
  if (!key) return { ok: false, reason: 'unknown-serial' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return { ok: false, reason: 'bad-signature' };
  try {
    const valid = verify('sha256', signatureMessage([timestamp, nonce, body]), key, Buffer.from(signature, 'base64'));
    return valid ? { ok: true } : { ok: false, reason: 'bad-signature' };
  } catch {
    return { ok: false, reason: 'bad-signature' };
  }
}

export interface EncryptedResource {
  readonly ciphertext: string;
  readonly nonce: string;
  readonly associatedData: string;
}

/**
 * AES-256-GCM with the APIv3 key's 32 bytes as the key, the resource nonce (UTF-8) as IV and
 * associated_data (UTF-8) as AAD; the last 16 bytes of the ciphertext are the tag. Throws when
 * the tag does not verify (wrong key, truncated or altered ciphertext).
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be exactly 32 bytes');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= 16) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associatedData, 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Platform documents

const transactionSchema = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.optional(z.string()),
  trade_state: z.string(),
  amount: z.optional(z.object({ total: z.optional(z.number()), payer_total: z.optional(z.number()), currency: z.optional(z.string()) })),
});
export type WechatTransaction = z.infer<typeof transactionSchema>;

const notificationSchema = z.object({
  id: z.string(),
  event_type: z.string(),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string(),
    nonce: z.string(),
    associated_data: z.optional(z.string()),
  }),
});

const closedStates: ReadonlySet<string> = new Set(['CLOSED', 'REVOKED', 'PAYERROR', 'REFUND']);

/**
 * Trade states (§1.7): SUCCESS is paid; CLOSED/REVOKED/PAYERROR can no longer be paid, and REFUND
 * means the money went back (a refund: ours, shared/payments/refunds.ts, or one made in the merchant portal);
 * NOTPAY/USERPAYING still wait.
 */
export function wechatReport(transaction: WechatTransaction): PlatformReport {
  const state = transaction.trade_state;
  return {
    channel: 'wx',
    outTradeNo: transaction.out_trade_no,
    state: state === 'SUCCESS' ? 'paid' : closedStates.has(state) ? 'closed' : 'pending',
    platformState: state,
    platformTradeNo: transaction.transaction_id ?? null,
    amountFen: transaction.amount?.total ?? null,
    currency: transaction.amount?.currency ?? null,
    appId: transaction.appid,
    merchantId: transaction.mchid,
  };
}

/** A refund as the refund answer, the refund query and the decrypted REFUND.* notification carry it. */
const refundSchema = z.object({
  mchid: z.optional(z.string()),
  out_trade_no: z.string(),
  out_refund_no: z.string(),
  refund_id: z.optional(z.string()),
  /** `status` in answers and queries, `refund_status` in notifications. */
  status: z.optional(z.string()),
  refund_status: z.optional(z.string()),
  amount: z.optional(z.object({ total: z.optional(z.number()), refund: z.optional(z.number()), currency: z.optional(z.string()) })),
});
export type WechatRefund = z.infer<typeof refundSchema>;

/** Refund states: SUCCESS refunded; PROCESSING still going; CLOSED and ABNORMAL will not finish by themselves. */
export function wechatRefundReport(refund: WechatRefund): PlatformRefundReport {
  const status = refund.status ?? refund.refund_status ?? '';
  return {
    channel: 'wx',
    outTradeNo: refund.out_trade_no,
    outRefundNo: refund.out_refund_no,
    state: status === 'SUCCESS' ? 'succeeded' : status === 'PROCESSING' ? 'processing' : 'failed',
    platformState: status,
    platformRefundNo: refund.refund_id ?? null,
    refundFen: refund.amount?.refund ?? null,
    merchantId: refund.mchid ?? null,
  };
}

const refundEventTypes: ReadonlySet<string> = new Set(['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']);

export type NotificationReading =
  | { readonly kind: 'transaction'; readonly transaction: WechatTransaction; readonly eventId: string }
  | { readonly kind: 'refund'; readonly refund: PlatformRefundReport; readonly eventId: string }
  | { readonly kind: 'ignored'; readonly eventType: string; readonly eventId: string }
  | { readonly kind: 'rejected'; readonly reason: SignatureRejection | 'malformed' | 'undecryptable' };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The client

export interface WechatPaySettings {
  readonly baseUrl: string;
  readonly appId: string;
  readonly mchId: string;
  readonly serialNo: string;
  readonly privateKey: KeyObject;
  readonly apiV3Key: string;
  readonly publicKeys: ReadonlyMap<string, KeyObject>;
  readonly notifyUrl: string;
  readonly returnUrl: string | undefined;
}

export interface WechatPay {
  /** JSAPI order → the params WeixinJSBridge needs. Repeating an order with identical fields is allowed. */
  createJsapiOrder(order: PlatformOrderRequest, openid: string): Promise<JsapiPayParams>;
  /** H5 order → the h5_url the browser opens (valid 5 minutes). */
  createH5Order(order: PlatformOrderRequest, payerIp: string): Promise<Extract<PayParams, { h5Url: string }>>;
  /** GET /v3/pay/transactions/out-trade-no/{id}; 'not-found' when WeChat has no such order. */
  queryOrder(outTradeNo: string): Promise<PlatformReport>;
  /** Closes an unpaid order; 'already-paid' when WeChat says it was paid meanwhile. */
  closeOrder(outTradeNo: string): Promise<'closed' | 'already-paid'>;
  /**
   * POST /v3/refund/domestic/refunds (a full refund of a paid order). A repeat with the same
   * out_refund_no answers the same refund. A verified business refusal (NOT_ENOUGH, …) is a `failed`
   * report; anything unverified or unexpected throws (the refund may or may not exist: ask again).
   */
  refund(request: PlatformRefundRequest): Promise<PlatformRefundReport>;
  /** GET /v3/refund/domestic/refunds/{out_refund_no}; 'not-found' when WeChat holds no such refund. */
  queryRefund(outTradeNo: string, outRefundNo: string): Promise<PlatformRefundReport>;
  /** Verifies, then decrypts a notification (payments and refunds); never throws on bad input. */
  readNotification(headers: Readonly<Record<string, string>>, body: Buffer, nowSeconds?: number): NotificationReading;
  readonly appId: string;
  readonly mchId: string;
}

const nonce = (): string => randomBytes(16).toString('hex').toUpperCase();

export function createWechatPay(settings: WechatPaySettings): WechatPay {
  const baseUrl = settings.baseUrl.replace(/\/+$/, '');
  // In public-key mode the official samples name the key they expect WeChat to sign with.
  const expectedSerial = settings.publicKeys.keys().next().value;

  /**
   * One signed request. A 2xx answer that fails verification throws; other answers come back with
   * `verified`, since WeChat signs its business refusals but a proxy or our own bad request
   * signature may produce unsigned ones, whose code is still worth logging.
   */
  async function call(method: 'GET' | 'POST', pathWithQuery: string, payload?: object): Promise<{ status: number; body: Buffer; json: unknown; verified: boolean }> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization = buildAuthorization({
      mchId: settings.mchId,
      serialNo: settings.serialNo,
      privateKey: settings.privateKey,
      method,
      pathWithQuery,
      body,
      timestamp: unixSeconds(),
      nonce: nonce(),
    });
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${pathWithQuery}`, {
        method,
        headers: {
          authorization,
          accept: 'application/json',
          'user-agent': 'ai-photo-api (node)',
          ...(expectedSerial ? { 'wechatpay-serial': expectedSerial } : {}),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { body }),
        signal: vendorSignal(requestTimeoutMs),
      });
    } catch (error) {
      throw new PlatformError('wx', 'NETWORK', `WeChat Pay unreachable: ${(error as Error).name}`);
    }
    const raw = Buffer.from(await response.arrayBuffer());
    const json = raw.length === 0 ? undefined : parseJson(raw.toString('utf8'));
    const check = verifyWechatSignature(
      {
        timestamp: response.headers.get('wechatpay-timestamp') ?? undefined,
        nonce: response.headers.get('wechatpay-nonce') ?? undefined,
        signature: response.headers.get('wechatpay-signature') ?? undefined,
        serial: response.headers.get('wechatpay-serial') ?? undefined,
      },
      raw,
      settings.publicKeys,
      unixSeconds(),
    );
    // Only a verified answer is trusted: a 2xx with a bad signature is an attack or a misconfiguration.
    if (response.ok && !check.ok) throw new PlatformError('wx', 'RESPONSE_SIGNATURE', `WeChat Pay answer failed verification (${check.reason})`, response.status);
    return { status: response.status, body: raw, json, verified: check.ok };
  }

  function failure(status: number, json: unknown, doing: string): PlatformError {
    const parsed = z.safeParse(z.object({ code: z.string(), message: z.optional(z.string()) }), json);
    const code = parsed.success ? parsed.data.code : `HTTP_${status}`;
    return new PlatformError('wx', code, `WeChat Pay ${doing} failed: ${code}${parsed.success && parsed.data.message ? ` (${parsed.data.message})` : ''}`, status);
  }

  function orderBody(order: PlatformOrderRequest): Record<string, unknown> {
    return {
      appid: settings.appId,
      mchid: settings.mchId,
      description: order.subject,
      out_trade_no: order.outTradeNo,
      time_expire: toWechatTime(order.expiresAt),
      notify_url: settings.notifyUrl,
      amount: { total: order.amountFen, currency: 'CNY' },
    };
  }

  return {
    appId: settings.appId,
    mchId: settings.mchId,

    async createJsapiOrder(order, openid) {
      const answer = await call('POST', '/v3/pay/transactions/jsapi', { ...orderBody(order), payer: { openid } });
      const parsed = z.safeParse(z.object({ prepay_id: z.string().check(z.minLength(1)) }), answer.json);
      if (answer.status !== 200 || !parsed.success) throw failure(answer.status, answer.json, 'JSAPI order');
      return jsapiPayParams({ appId: settings.appId, prepayId: parsed.data.prepay_id, privateKey: settings.privateKey, timestamp: unixSeconds(), nonce: nonce() });
    },

    async createH5Order(order, payerIp) {
      const answer = await call('POST', '/v3/pay/transactions/h5', { ...orderBody(order), scene_info: { payer_client_ip: payerIp, h5_info: { type: 'Wap' } } });
      const parsed = z.safeParse(z.object({ h5_url: z.url() }), answer.json);
      if (answer.status !== 200 || !parsed.success) throw failure(answer.status, answer.json, 'H5 order');
      // redirect_url brings the browser back to our page after paying (its domain must be the configured H5 domain).
      const h5Url = settings.returnUrl ? `${parsed.data.h5_url}&redirect_url=${encodeURIComponent(settings.returnUrl)}` : parsed.data.h5_url;
      return { h5Url };
    },

    async queryOrder(outTradeNo) {
      const answer = await call('GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(settings.mchId)}`);
      if (answer.status === 404) {
        // "Not found" ends in the order being failed, so it must be WeChat's own signed ORDER_NOT_EXIST.
        if (!answer.verified) throw new PlatformError('wx', 'RESPONSE_SIGNATURE', 'WeChat Pay "not found" answer failed verification', answer.status);
        const error = failure(answer.status, answer.json, 'order query');
        if (error.code !== 'ORDER_NOT_EXIST') throw error;
        return { channel: 'wx', outTradeNo, state: 'not-found', platformState: error.code, platformTradeNo: null, amountFen: null, currency: null, appId: null, merchantId: null };
      }
      const parsed = z.safeParse(transactionSchema, answer.json);
      if (answer.status !== 200 || !parsed.success) throw failure(answer.status, answer.json, 'order query');
      if (parsed.data.out_trade_no !== outTradeNo) throw new PlatformError('wx', 'WRONG_ORDER', 'WeChat Pay answered about another order', answer.status);
      return wechatReport(parsed.data);
    },

    async closeOrder(outTradeNo) {
      const answer = await call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: settings.mchId });
      if (answer.status >= 200 && answer.status < 300) return 'closed';
      const error = failure(answer.status, answer.json, 'order close');
      if (error.code === 'ORDER_PAID' || error.code === 'ORDERPAID') return 'already-paid';
      throw error;
    },

    async refund(request) {
      const answer = await call('POST', '/v3/refund/domestic/refunds', {
        out_trade_no: request.outTradeNo,
        out_refund_no: request.outRefundNo,
        reason: request.reason,
        notify_url: settings.notifyUrl,
        amount: { refund: request.refundFen, total: request.totalFen, currency: 'CNY' },
      });
      const parsed = z.safeParse(refundSchema, answer.json);
      if (answer.status === 200 && parsed.success) {
        if (parsed.data.out_refund_no !== request.outRefundNo) throw new PlatformError('wx', 'WRONG_REFUND', 'WeChat Pay answered about another refund', answer.status);
        return wechatRefundReport(parsed.data);
      }
      const error = failure(answer.status, answer.json, 'refund');
      // Only WeChat's own signed 4xx refusal says the refund was not made; a 5xx or an unsigned answer leaves it unknown.
      if (answer.status >= 400 && answer.status < 500 && answer.verified && error.code !== 'FREQUENCY_LIMITED' && error.code !== 'SYSTEM_ERROR') {
        return { channel: 'wx', outTradeNo: request.outTradeNo, outRefundNo: request.outRefundNo, state: 'failed', platformState: error.code, platformRefundNo: null, refundFen: null, merchantId: null };
      }
      throw error;
    },

    async queryRefund(outTradeNo, outRefundNo) {
      const answer = await call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`);
      if (answer.status === 404) {
        if (!answer.verified) throw new PlatformError('wx', 'RESPONSE_SIGNATURE', 'WeChat Pay "not found" answer failed verification', answer.status);
        const error = failure(answer.status, answer.json, 'refund query');
        if (error.code !== 'RESOURCE_NOT_EXISTS') throw error;
        return { channel: 'wx', outTradeNo, outRefundNo, state: 'not-found', platformState: error.code, platformRefundNo: null, refundFen: null, merchantId: null };
      }
      const parsed = z.safeParse(refundSchema, answer.json);
      if (answer.status !== 200 || !parsed.success) throw failure(answer.status, answer.json, 'refund query');
      if (parsed.data.out_refund_no !== outRefundNo) throw new PlatformError('wx', 'WRONG_REFUND', 'WeChat Pay answered about another refund', answer.status);
      return wechatRefundReport(parsed.data);
    },

    readNotification(headers, body, nowSeconds = unixSeconds()) {
      const check = verifyWechatSignature(
        { timestamp: headers['wechatpay-timestamp'], nonce: headers['wechatpay-nonce'], signature: headers['wechatpay-signature'], serial: headers['wechatpay-serial'] },
        body,
        settings.publicKeys,
        nowSeconds,
      );
      if (!check.ok) return { kind: 'rejected', reason: check.reason };
      const notification = z.safeParse(notificationSchema, parseJson(body.toString('utf8')));
      if (!notification.success) return { kind: 'rejected', reason: 'malformed' };
      const { id, event_type: eventType, resource } = notification.data;
      const isRefund = refundEventTypes.has(eventType);
      if (eventType !== 'TRANSACTION.SUCCESS' && !isRefund) return { kind: 'ignored', eventType, eventId: id };
      if (resource.algorithm !== 'AEAD_AES_256_GCM') return { kind: 'rejected', reason: 'malformed' };
      let plaintext: string;
      try {
        plaintext = decryptResource({ ciphertext: resource.ciphertext, nonce: resource.nonce, associatedData: resource.associated_data ?? '' }, settings.apiV3Key);
      } catch {
        return { kind: 'rejected', reason: 'undecryptable' };
      }
      if (isRefund) {
        const refund = z.safeParse(refundSchema, parseJson(plaintext));
        if (!refund.success) return { kind: 'rejected', reason: 'malformed' };
        return { kind: 'refund', refund: wechatRefundReport(refund.data), eventId: id };
      }
      const transaction = z.safeParse(transactionSchema, parseJson(plaintext));
      if (!transaction.success) return { kind: 'rejected', reason: 'malformed' };
      return { kind: 'transaction', transaction: transaction.data, eventId: id };
    },
  };
}
