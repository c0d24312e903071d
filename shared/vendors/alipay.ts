import { sign, verify, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import { vendorSignal } from '../deadline';
import { fenToYuan, yuanToFen } from './payment-money';
import { toAlipayTime } from './payment-time';
import { PlatformError, type PlatformOrderRequest, type PlatformRefundReport, type PlatformRefundRequest, type PlatformReport } from './payment-types';

/**
 * Alipay (classic gateway, RSA2) with node:crypto and fetch (why no SDK:
 * docs/decisions/0003-payment-libraries.md). Facts: shared/reference/payments.md §2.
 * - Requests: every parameter except `sign`, sorted by key, `k=v` joined by `&`, raw values,
 *   SHA256withRSA with the application private key.
 * - Notifications: the same over every parameter except `sign` AND `sign_type`, empty values
 *   dropped, verified with the Alipay public key. Values are form-decoded exactly once.
 * - Answers: `sign` covers the exact text of the `<method>_response` member.
 */
export const ALIPAY_PRODUCTION_GATEWAY = 'https://openapi.alipay.com/gateway.do';
const requestTimeoutMs = 10_000;

// ---------------------------------------------------------------------------------------------
// Parameters and signatures (pure)

export type AlipayParams = Readonly<Record<string, string>>;

/** The string both sides sign: sorted keys (code-unit order), empty values dropped, `k=v&k=v`. */
export function signContent(params: AlipayParams, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && params[key] !== undefined && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key] ?? ''}`)
    .join('&');
}

/** Adds `sign` to request parameters (which already carry sign_type, itself signed). */
export function signRequestParams(params: AlipayParams, privateKey: KeyObject): AlipayParams {
  const signature = sign('sha256', Buffer.from(signContent(params, ['sign']), 'utf8'), privateKey).toString('base64');
  return { ...params, sign: signature };
}

function verifyBase64Signature(content: string, signature: string, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify('sha256', Buffer.from(content, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Verifies a notification's parameters (RSA2 over everything but sign and sign_type). */
export function verifyNotificationParams(params: AlipayParams, publicKey: KeyObject): boolean {
  const signature = params.sign;
  if (!signature || (params.sign_type !== undefined && params.sign_type !== 'RSA2')) return false;
  return verifyBase64Signature(signContent(params, ['sign', 'sign_type']), signature, publicKey);
}

/**
 * Decodes an application/x-www-form-urlencoded body once ("+" is a space, %XX are UTF-8 bytes).
 * Undefined when a key repeats: the signature would cover one value and the checks read another.
 */
export function parseFormParams(body: Buffer): AlipayParams | undefined {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    if (Object.hasOwn(params, key)) return undefined;
    params[key] = value;
  }
  return params;
}

/** Encodes parameters for a URL or a form body (%20 for spaces, which every decoder reads). */
export function encodeParams(params: AlipayParams): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/**
 * The exact text of `"<member>": {...}` in an answer: the signature covers those bytes as sent,
 * so re-serialising the parsed object would break it (key order, escapes).
 */
export function signedMemberText(text: string, member: string): string | undefined {
  const keyAt = text.indexOf(`"${member}"`);
  if (keyAt < 0) return undefined;
  let start = keyAt + member.length + 2;
  while (start < text.length && /[\s:]/.test(text.charAt(start))) start += 1;
  if (text.charAt(start) !== '{') return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const char = text.charAt(i);
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth += 1;
    else if (char === '}') {
      depth -= 1;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Platform documents

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const paidStatuses: ReadonlySet<string> = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED']);

function stateOf(tradeStatus: string): PlatformReport['state'] {
  if (paidStatuses.has(tradeStatus)) return 'paid';
  return tradeStatus === 'TRADE_CLOSED' ? 'closed' : 'pending';
}

const notificationSchema = z.object({
  out_trade_no: z.string().check(z.minLength(1)),
  trade_status: z.string().check(z.minLength(1)),
  total_amount: z.string(),
  app_id: z.string(),
  seller_id: z.string(),
  trade_no: z.optional(z.string()),
});

const answerNodeSchema = z.object({
  code: z.string(),
  msg: z.optional(z.string()),
  sub_code: z.optional(z.string()),
  sub_msg: z.optional(z.string()),
  trade_status: z.optional(z.string()),
  total_amount: z.optional(z.string()),
  trade_no: z.optional(z.string()),
  out_trade_no: z.optional(z.string()),
  // alipay.trade.refund: fund_change Y when this call moved money; refund_fee is the trade's total refunded.
  fund_change: z.optional(z.string()),
  refund_fee: z.optional(z.string()),
  // alipay.trade.fastpay.refund.query: refund_status REFUND_SUCCESS once refunded (absent otherwise).
  out_request_no: z.optional(z.string()),
  refund_amount: z.optional(z.string()),
  refund_status: z.optional(z.string()),
});
type AnswerNode = z.infer<typeof answerNodeSchema>;

export type AlipayNotificationReading =
  | { readonly kind: 'report'; readonly report: PlatformReport }
  | { readonly kind: 'rejected'; readonly reason: 'malformed' | 'bad-signature' };

// ---------------------------------------------------------------------------------------------
// The client

export interface AlipaySettings {
  readonly gatewayUrl: string;
  readonly appId: string;
  readonly sellerId: string;
  readonly privateKey: KeyObject;
  readonly alipayPublicKey: KeyObject;
  readonly notifyUrl: string;
  readonly returnUrl: string | undefined;
}

export interface Alipay {
  /** The signed alipay.trade.wap.pay URL the browser opens (built offline; nothing is sent). */
  wapPayUrl(order: PlatformOrderRequest): string;
  queryOrder(outTradeNo: string): Promise<PlatformReport>;
  /** 'refused' when Alipay will not close it (typically paid meanwhile): query again. */
  closeOrder(outTradeNo: string): Promise<'closed' | 'not-found' | 'refused'>;
  /**
   * alipay.trade.refund, answered synchronously. fund_change N (a repeat of an out_request_no that
   * already refunded, or nothing moved) is confirmed with a refund query. ACQ.SYSTEM_ERROR leaves the
   * outcome unknown (`processing`: ask again with the same out_request_no); another business refusal
   * is `failed`; a transport failure throws.
   */
  refund(request: PlatformRefundRequest): Promise<PlatformRefundReport>;
  /** alipay.trade.fastpay.refund.query: succeeded once REFUND_SUCCESS; an empty answer is `not-found` (not refunded). */
  queryRefund(outTradeNo: string, outRefundNo: string): Promise<PlatformRefundReport>;
  /** Verifies a notification body; never throws on bad input. */
  readNotification(body: Buffer): AlipayNotificationReading;
  readonly appId: string;
  readonly sellerId: string;
}

export function createAlipay(settings: AlipaySettings): Alipay {
  function publicParams(method: string, bizContent: Record<string, string>, extra: Record<string, string> = {}): AlipayParams {
    return signRequestParams(
      {
        app_id: settings.appId,
        method,
        format: 'JSON',
        charset: 'utf-8',
        sign_type: 'RSA2',
        timestamp: toAlipayTime(new Date()),
        version: '1.0',
        ...extra,
        biz_content: JSON.stringify(bizContent),
      },
      settings.privateKey,
    );
  }

  async function call(method: string, bizContent: Record<string, string>): Promise<AnswerNode> {
    const member = `${method.replace(/\./g, '_')}_response`;
    let text: string;
    try {
      const response = await fetch(settings.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
        body: encodeParams(publicParams(method, bizContent)),
        signal: vendorSignal(requestTimeoutMs),
      });
      text = await response.text();
      if (!response.ok) throw new PlatformError('alipay', `HTTP_${response.status}`, `Alipay ${method} answered HTTP ${response.status}`, response.status);
    } catch (error) {
      if (error instanceof PlatformError) throw error;
      throw new PlatformError('alipay', 'NETWORK', `Alipay unreachable: ${(error as Error).name}`);
    }
    const nodeText = signedMemberText(text, member);
    const envelope = z.safeParse(z.object({ sign: z.optional(z.string()) }), parseJson(text));
    const node = z.safeParse(answerNodeSchema, nodeText === undefined ? undefined : parseJson(nodeText));
    if (!envelope.success || !node.success || nodeText === undefined) throw new PlatformError('alipay', 'MALFORMED', `Alipay ${method} answer is not what the gateway sends`);
    const signature = envelope.data.sign;
    // A success is trusted only when signed; unsigned refusals (bad request, outage) can only fail.
    if (signature !== undefined ? !verifyBase64Signature(nodeText, signature, settings.alipayPublicKey) : node.data.code === '10000') {
      throw new PlatformError('alipay', 'RESPONSE_SIGNATURE', `Alipay ${method} answer failed verification`);
    }
    return node.data;
  }

  async function queryRefund(outTradeNo: string, outRefundNo: string): Promise<PlatformRefundReport> {
    const node = await call('alipay.trade.fastpay.refund.query', { out_trade_no: outTradeNo, out_request_no: outRefundNo });
    const base = { channel: 'alipay', outTradeNo, outRefundNo, platformRefundNo: null, merchantId: null } as const;
    if (node.code !== '10000') {
      const subCode = node.sub_code ?? node.code;
      if (subCode === 'ACQ.TRADE_NOT_EXIST') return { ...base, state: 'not-found', platformState: subCode, refundFen: null };
      throw new PlatformError('alipay', subCode, `Alipay refund query failed: ${subCode}`);
    }
    if (node.out_request_no !== undefined && node.out_request_no !== outRefundNo) throw new PlatformError('alipay', 'WRONG_REFUND', 'Alipay answered about another refund');
    if (node.refund_status !== 'REFUND_SUCCESS') return { ...base, state: 'not-found', platformState: node.refund_status ?? 'EMPTY', refundFen: null };
    return { ...base, state: 'succeeded', platformState: node.refund_status, refundFen: node.refund_amount === undefined ? null : (yuanToFen(node.refund_amount) ?? -1) };
  }

  return {
    appId: settings.appId,
    sellerId: settings.sellerId,

    wapPayUrl(order) {
      const bizContent: Record<string, string> = {
        out_trade_no: order.outTradeNo,
        total_amount: fenToYuan(order.amountFen),
        subject: order.subject,
        product_code: 'QUICK_WAP_WAY',
        time_expire: toAlipayTime(order.expiresAt),
      };
      if (settings.returnUrl) bizContent.quit_url = settings.returnUrl;
      const params = publicParams('alipay.trade.wap.pay', bizContent, {
        notify_url: settings.notifyUrl,
        ...(settings.returnUrl ? { return_url: settings.returnUrl } : {}),
      });
      return `${settings.gatewayUrl}?${encodeParams(params)}`;
    },

    async queryOrder(outTradeNo) {
      const node = await call('alipay.trade.query', { out_trade_no: outTradeNo });
      if (node.code !== '10000') {
        if (node.sub_code === 'ACQ.TRADE_NOT_EXIST') {
          return { channel: 'alipay', outTradeNo, state: 'not-found', platformState: node.sub_code, platformTradeNo: null, amountFen: null, currency: null, appId: null, merchantId: null };
        }
        throw new PlatformError('alipay', node.sub_code ?? node.code, `Alipay trade query failed: ${node.sub_code ?? node.code}`);
      }
      if (node.out_trade_no !== outTradeNo || !node.trade_status) throw new PlatformError('alipay', 'WRONG_ORDER', 'Alipay answered about another order');
      return {
        channel: 'alipay',
        outTradeNo,
        state: stateOf(node.trade_status),
        platformState: node.trade_status,
        platformTradeNo: node.trade_no ?? null,
        amountFen: node.total_amount === undefined ? null : (yuanToFen(node.total_amount) ?? -1),
        currency: null,
        // The answer does not repeat app_id/seller_id; it is about our app because we signed the question.
        appId: null,
        merchantId: null,
      };
    },

    async closeOrder(outTradeNo) {
      const node = await call('alipay.trade.close', { out_trade_no: outTradeNo });
      if (node.code === '10000') return 'closed';
      if (node.sub_code === 'ACQ.TRADE_NOT_EXIST') return 'not-found';
      if (node.sub_code === 'ACQ.TRADE_STATUS_ERROR') return 'refused';
      throw new PlatformError('alipay', node.sub_code ?? node.code, `Alipay trade close failed: ${node.sub_code ?? node.code}`);
    },

    async refund(request) {
      const node = await call('alipay.trade.refund', {
        out_trade_no: request.outTradeNo,
        refund_amount: fenToYuan(request.refundFen),
        out_request_no: request.outRefundNo,
        refund_reason: request.reason,
      });
      const report = (state: PlatformRefundReport['state'], platformState: string, refundFen: number | null): PlatformRefundReport => ({
        channel: 'alipay',
        outTradeNo: request.outTradeNo,
        outRefundNo: request.outRefundNo,
        state,
        platformState,
        platformRefundNo: null,
        refundFen,
        merchantId: null,
      });
      if (node.code !== '10000') {
        const subCode = node.sub_code ?? node.code;
        if (subCode === 'ACQ.SYSTEM_ERROR' || node.code === '20000') return report('processing', subCode, null);
        if (node.code === '40004') return report('failed', subCode, null);
        throw new PlatformError('alipay', subCode, `Alipay trade refund failed: ${subCode}`);
      }
      if (node.out_trade_no !== request.outTradeNo) throw new PlatformError('alipay', 'WRONG_ORDER', 'Alipay answered about another order');
      if (node.fund_change !== 'Y') return queryRefund(request.outTradeNo, request.outRefundNo);
      return report('succeeded', 'fund_change=Y', node.refund_fee === undefined ? null : (yuanToFen(node.refund_fee) ?? -1));
    },

    queryRefund,

    readNotification(body) {
      const params = parseFormParams(body);
      if (!params) return { kind: 'rejected', reason: 'malformed' };
      if (!verifyNotificationParams(params, settings.alipayPublicKey)) return { kind: 'rejected', reason: 'bad-signature' };
      const fields = z.safeParse(notificationSchema, params);
      if (!fields.success) return { kind: 'rejected', reason: 'malformed' };
      const { out_trade_no: outTradeNo, trade_status: tradeStatus, total_amount: totalAmount } = fields.data;
      return {
        kind: 'report',
        report: {
          channel: 'alipay',
          outTradeNo,
          state: stateOf(tradeStatus),
          platformState: tradeStatus,
          platformTradeNo: fields.data.trade_no ?? null,
          // An amount that is not a plain yuan figure can never equal an order's amount.
          amountFen: yuanToFen(totalAmount) ?? -1,
          currency: null,
          appId: fields.data.app_id,
          merchantId: fields.data.seller_id,
        },
      };
    },
  };
}
