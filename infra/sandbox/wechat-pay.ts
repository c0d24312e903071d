/**
 * WeChat Pay API v3 as a merchant sees it (shared/reference/payments.md §1), in public-key mode:
 *   POST /v3/pay/transactions/jsapi            → {prepay_id}
 *   POST /v3/pay/transactions/h5               → {h5_url}  (a sandbox page: /_sandbox/wechat/h5-pay)
 *   GET  /v3/pay/transactions/out-trade-no/{n}?mchid=…   → the transaction
 *   POST /v3/pay/transactions/out-trade-no/{n}/close     → 204
 *   POST /v3/refund/domestic/refunds           → the refund (one per out_refund_no: a repeat answers it)
 *   GET  /v3/refund/domestic/refunds/{out_refund_no}     → the refund, or 404 RESOURCE_NOT_EXISTS
 * A refund that succeeds sends its signed, encrypted REFUND.SUCCESS notification to the request's
 * notify_url before the answer (fault `notify: drop` keeps it; POST /_sandbox/pay/refund-notification
 * builds it for a test to deliver later).
 * Every request must carry a valid WECHATPAY2-SHA256-RSA2048 Authorization from the sandbox
 * merchant (mchid, certificate serial, 5-minute timestamp, signature over the exact request);
 * every answer is signed with the sandbox's WeChat Pay key (Wechatpay-* headers).
 * Faults (for tests of what a merchant must not trust):
 *   `wxpay: fail`  order placement answers 500 SYSTEM_ERROR.
 *   `wxpay_signature: forged|unsigned|stale`  every answer is signed by a key that is not
 *        WeChat's / carries no Wechatpay-* headers / is genuinely signed 301 s in the past.
 *   `wxpay_query: wrong-amount|wrong-appid|wrong-mchid|wrong-currency|not-found|no-route`  the
 *        order query answers a genuinely signed transaction with that field altered (amount.total 1,
 *        another appid or mchid, currency USD), or 404 ORDER_NOT_EXIST for a trade it holds, or
 *        404 NOT_FOUND (a path nobody serves, as a misrouted proxy would answer).
 *   `wxpay_refund: pending|fail|unreachable`  a new refund stays PROCESSING (until
 *        POST /_sandbox/pay/refunds/complete) / is refused 403 NOT_ENOUGH / the connection is dropped
 *        unanswered (nothing recorded).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue } from './tencent-api';
import {
  SANDBOX_WECHAT_APIV3_KEY,
  SANDBOX_WECHAT_APP_ID,
  SANDBOX_WECHAT_MCH_ID,
  SANDBOX_WECHAT_MCH_SERIAL_NO,
  SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID,
} from './payment-keys';
import {
  aesGcmEncrypt,
  canonicalJson,
  deliver,
  paymentPlatforms,
  refundedSoFar,
  refundFaults,
  randomAlphanumeric,
  randomDigits,
  randomHex,
  rsaSign,
  rsaVerify,
  sandboxKeys,
  sandboxOpenid,
  strangerPrivateKey,
  wechatTime,
  type PaymentPlatforms,
  type PlatformRefund,
  type SignedNotification,
  type WechatTrade,
} from './payment-platforms';
import type { RequestContext, Router } from './router';
import type { SandboxState } from './state';

export interface WechatPayModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
}

const MAX_CLOCK_SKEW_SECONDS = 300;

type AnswerSignature = 'ok' | 'forged' | 'unsigned' | 'stale';
const answerSignatures: readonly AnswerSignature[] = ['ok', 'forged', 'unsigned', 'stale'];
const queryFaults = ['ok', 'wrong-amount', 'wrong-appid', 'wrong-mchid', 'wrong-currency', 'not-found', 'no-route'] as const;
/** Ids that are not the sandbox merchant's, for genuinely signed answers about someone else. */
const FOREIGN_APP_ID = 'wx00000000000000ff';
const FOREIGN_MCH_ID = '1900000999';
const ORDER_PREFIX = '/v3/pay/transactions/out-trade-no/';
const REFUNDS_PATH = '/v3/refund/domestic/refunds';

/** An answer WeChat gives as `{code, message}` with an HTTP status. */
class WechatPayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function registerWechatPay({ router, state }: WechatPayModuleContext): void {
  const platforms = paymentPlatforms(state);
  const trades = platforms.wechatTrades;
  state.defineFault('wxpay', { defaultValue: 'ok', values: ['ok', 'fail'] });
  state.defineFault('wxpay_signature', { defaultValue: 'ok', values: answerSignatures });
  state.defineFault('wxpay_query', { defaultValue: 'ok', values: queryFaults });
  state.defineFault('wxpay_refund', { defaultValue: 'ok', values: refundFaults });
  const signatureMode = (): AnswerSignature => answerSignatures.find((mode) => mode === state.fault('wxpay_signature')) ?? 'ok';

  const handle =
    (work: (req: IncomingMessage, ctx: RequestContext) => { status: number; body?: object }) =>
    (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void => {
      try {
        verifyMerchantSignature(req, ctx, Date.now());
        const answer = work(req, ctx);
        sendSigned(res, answer.status, answer.body, signatureMode());
      } catch (error) {
        if (!(error instanceof WechatPayError)) throw error;
        sendSigned(res, error.status, { code: error.code, message: error.message }, signatureMode());
      }
    };

  const placeOrder = (tradeType: WechatTrade['tradeType']) =>
    handle((_req, ctx) => {
      if (state.fault('wxpay') === 'fail') throw new WechatPayError(500, 'SYSTEM_ERROR', '系统错误');
      const trade = placeTrade(trades, tradeType, parseBody(ctx));
      if (tradeType === 'JSAPI') return { status: 200, body: { prepay_id: trade.prepayId } };
      const origin = `${ctx.url.protocol}//${ctx.url.host}`;
      return { status: 200, body: { h5_url: `${origin}/_sandbox/wechat/h5-pay?prepay_id=${trade.prepayId}&package=${randomDigits(10)}` } };
    });

  router.add('POST', '/v3/pay/transactions/jsapi', placeOrder('JSAPI'));
  router.add('POST', '/v3/pay/transactions/h5', placeOrder('MWEB'));

  router.add(
    'GET',
    `${ORDER_PREFIX}*`,
    handle((_req, ctx) => {
      const outTradeNo = decodeURIComponent(ctx.url.pathname.slice(ORDER_PREFIX.length));
      if (ctx.url.searchParams.get('mchid') !== SANDBOX_WECHAT_MCH_ID) throw new WechatPayError(400, 'PARAM_ERROR', 'mchid 与请求商户号不符');
      const trade = trades.get(outTradeNo);
      const fault = state.fault('wxpay_query');
      if (!trade || fault === 'not-found') throw new WechatPayError(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (fault === 'no-route') throw new WechatPayError(404, 'NOT_FOUND', '接口不存在');
      expireIfDue(trade);
      return { status: 200, body: alteredTransaction(transactionOf(trade), fault) };
    }),
  );

  router.add(
    'POST',
    `${ORDER_PREFIX}*`,
    handle((_req, ctx) => {
      const rest = ctx.url.pathname.slice(ORDER_PREFIX.length);
      if (!rest.endsWith('/close')) throw new WechatPayError(404, 'NOT_FOUND', '接口不存在');
      const body = parseBody(ctx);
      if (body.mchid !== SANDBOX_WECHAT_MCH_ID) throw new WechatPayError(400, 'PARAM_ERROR', 'mchid 与请求商户号不符');
      const trade = trades.get(decodeURIComponent(rest.slice(0, -'/close'.length)));
      if (!trade) throw new WechatPayError(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (trade.state === 'SUCCESS') throw new WechatPayError(400, 'ORDER_PAID', '订单已支付');
      trade.state = 'CLOSED';
      return { status: 204 };
    }),
  );

  router.add('POST', REFUNDS_PATH, async (req, res, ctx) => {
    // Unreachable: the connection drops before any answer, and nothing is refunded.
    if (state.fault('wxpay_refund') === 'unreachable') {
      req.socket.destroy();
      return;
    }
    let placed: { refund: PlatformRefund; isNew: boolean };
    try {
      verifyMerchantSignature(req, ctx, Date.now());
      placed = placeRefund(platforms, trades, parseBody(ctx), state.fault('wxpay_refund'));
    } catch (error) {
      if (!(error instanceof WechatPayError)) throw error;
      sendSigned(res, error.status, { code: error.code, message: error.message }, signatureMode());
      return;
    }
    const { refund, isNew } = placed;
    // A refund that succeeded at once is notified before the answer goes out (WeChat promises no order between the two).
    if (isNew && refund.status === 'SUCCESS' && refund.notifyUrl && state.fault('notify') !== 'drop') {
      await deliver(wechatRefundNotification(refund, refund.notifyUrl)).catch(() => undefined);
    }
    sendSigned(res, 200, refundOf(refund), signatureMode());
  });

  router.add(
    'GET',
    `${REFUNDS_PATH}/*`,
    handle((_req, ctx) => {
      const outRefundNo = decodeURIComponent(ctx.url.pathname.slice(REFUNDS_PATH.length + 1));
      const refund = platforms.refunds.get(`wx:${outRefundNo}`);
      if (!refund) throw new WechatPayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return { status: 200, body: refundOf(refund) };
    }),
  );

  router.add('GET', '/_sandbox/wechat/h5-pay', (_req, res, ctx) => {
    const prepayId = ctx.url.searchParams.get('prepay_id') ?? '';
    const trade = [...trades.values()].find((candidate) => candidate.prepayId === prepayId);
    // The merchant appends redirect_url to h5_url; WeChat sends the buyer there after paying.
    const returnUrl = ctx.url.searchParams.get('redirect_url') ?? undefined;
    sendCheckoutPage(res, trade ? { orderId: trade.outTradeNo, title: trade.description, amount: (trade.total / 100).toFixed(2), platform: '微信支付 (H5)', ...(returnUrl ? { returnUrl } : {}) } : undefined);
  });
}

// ---------------------------------------------------------------------------------------------
// Requests

function verifyMerchantSignature(req: IncomingMessage, ctx: RequestContext, nowMs: number): void {
  const header = headerValue(req.headers, 'authorization') ?? '';
  const match = /^WECHATPAY2-SHA256-RSA2048\s+(.+)$/.exec(header.trim());
  if (!match?.[1]) throw new WechatPayError(401, 'SIGN_ERROR', 'Authorization 缺失或格式错误');
  const fields = new Map<string, string>();
  for (const part of match[1].matchAll(/(\w+)="([^"]*)"/g)) if (part[1] !== undefined && part[2] !== undefined) fields.set(part[1], part[2]);
  const [mchid, nonce, signature, timestamp, serial] = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'].map((name) => fields.get(name));
  if (!mchid || !nonce || !signature || !timestamp || !serial) throw new WechatPayError(401, 'SIGN_ERROR', 'Authorization 缺少必要参数');
  if (mchid !== SANDBOX_WECHAT_MCH_ID) throw new WechatPayError(401, 'SIGN_ERROR', '商户号不存在');
  if (serial !== SANDBOX_WECHAT_MCH_SERIAL_NO) throw new WechatPayError(401, 'SIGN_ERROR', '商户证书序列号有误');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) throw new WechatPayError(401, 'SIGN_ERROR', '签名已过期');
  // The signed URL is the request target as sent: path plus query, no scheme or host.
  const message = Buffer.concat([Buffer.from(`${(req.method ?? '').toUpperCase()}\n${req.url ?? ''}\n${timestamp}\n${nonce}\n`), ctx.rawBody, Buffer.from('\n')]);
  if (!rsaVerify(message, signature, sandboxKeys.wechatMerchantPublic)) throw new WechatPayError(401, 'SIGN_ERROR', '签名错误');
}

function parseBody(ctx: RequestContext): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(ctx.rawBody.toString('utf8'));
  } catch {
    throw new WechatPayError(400, 'PARAM_ERROR', '请求体不是合法的 JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new WechatPayError(400, 'PARAM_ERROR', '请求体应为 JSON 对象');
  return body as Record<string, unknown>;
}

function field(record: unknown, name: string): unknown {
  return typeof record === 'object' && record !== null ? (record as Record<string, unknown>)[name] : undefined;
}

function requiredString(record: unknown, name: string, check: (value: string) => boolean = (value) => value.length > 0): string {
  const value = field(record, name);
  if (typeof value !== 'string' || !check(value)) throw new WechatPayError(400, 'PARAM_ERROR', `输入源“/body/${name}”映射到值字段“${name}”字符串规则校验失败`);
  return value;
}

function placeTrade(trades: Map<string, WechatTrade>, tradeType: WechatTrade['tradeType'], body: Record<string, unknown>): WechatTrade {
  const appid = requiredString(body, 'appid');
  const mchid = requiredString(body, 'mchid');
  if (mchid !== SANDBOX_WECHAT_MCH_ID) throw new WechatPayError(400, 'PARAM_ERROR', 'mchid 与请求商户号不符');
  if (appid !== SANDBOX_WECHAT_APP_ID) throw new WechatPayError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
  const description = requiredString(body, 'description', (value) => value.length > 0 && value.length <= 127);
  const outTradeNo = requiredString(body, 'out_trade_no', (value) => /^[0-9A-Za-z_\-*|]{6,32}$/.test(value));
  const notifyUrl = requiredString(body, 'notify_url', (value) => /^https?:\/\/[^?#]+$/.test(value));
  const amount = field(body, 'amount');
  const total = field(amount, 'total');
  if (typeof total !== 'number' || !Number.isInteger(total) || total < 1) throw new WechatPayError(400, 'PARAM_ERROR', '订单金额必须为大于0的整数(分)');
  const currency = field(amount, 'currency');
  if (currency !== undefined && currency !== 'CNY') throw new WechatPayError(400, 'PARAM_ERROR', '币种只支持 CNY');
  const timeExpireText = field(body, 'time_expire');
  const timeExpire = typeof timeExpireText === 'string' ? new Date(timeExpireText) : null;
  if (timeExpire !== null && Number.isNaN(timeExpire.getTime())) throw new WechatPayError(400, 'PARAM_ERROR', 'time_expire 格式错误');
  let openid: string | null = null;
  if (tradeType === 'JSAPI') {
    openid = requiredString(field(body, 'payer'), 'openid');
  } else {
    const scene = field(body, 'scene_info');
    requiredString(scene, 'payer_client_ip');
    requiredString(field(scene, 'h5_info'), 'type');
  }

  const canonicalRequest = `${tradeType}:${canonicalJson(body)}`;
  const existing = trades.get(outTradeNo);
  if (existing) {
    if (existing.state === 'SUCCESS') throw new WechatPayError(400, 'ORDER_PAID', '该订单已支付');
    if (existing.state === 'CLOSED') throw new WechatPayError(400, 'ORDER_CLOSED', '订单已关闭');
    if (existing.canonicalRequest !== canonicalRequest) throw new WechatPayError(400, 'INVALID_REQUEST', '201 商户订单号重复');
    return existing;
  }
  const trade: WechatTrade = {
    outTradeNo,
    tradeType,
    canonicalRequest,
    appid,
    mchid,
    description,
    total,
    notifyUrl,
    openid,
    timeExpire,
    prepayId: `wx${compactTime(new Date())}${randomHex(10)}`,
    state: 'NOTPAY',
    transactionId: null,
    successTime: null,
    payerOpenid: null,
    eventId: null,
  };
  trades.set(outTradeNo, trade);
  return trade;
}

/**
 * A refund request (payments.md §1, WeChat's 申请退款): the trade must be paid, amount.total its total,
 * amount.refund at most what is left. The same out_refund_no again answers the refund it made (with
 * a different amount: INVALID_REQUEST); a new one is refused under `fail`, PROCESSING under `pending`.
 */
function placeRefund(platforms: PaymentPlatforms, trades: Map<string, WechatTrade>, body: Record<string, unknown>, fault: string): { refund: PlatformRefund; isNew: boolean } {
  const outTradeNo = requiredString(body, 'out_trade_no');
  const outRefundNo = requiredString(body, 'out_refund_no', (value) => /^[0-9A-Za-z_\-|*@]{1,64}$/.test(value));
  const reasonValue = field(body, 'reason');
  if (reasonValue !== undefined && (typeof reasonValue !== 'string' || [...reasonValue].length > 80)) throw new WechatPayError(400, 'PARAM_ERROR', 'reason 不能超过 80 个字符');
  const notifyValue = field(body, 'notify_url');
  if (notifyValue !== undefined && (typeof notifyValue !== 'string' || !/^https?:\/\/[^?#]+$/.test(notifyValue))) throw new WechatPayError(400, 'PARAM_ERROR', 'notify_url 格式错误');
  const amount = field(body, 'amount');
  const refundFen = field(amount, 'refund');
  const totalFen = field(amount, 'total');
  if (typeof refundFen !== 'number' || !Number.isInteger(refundFen) || refundFen < 1) throw new WechatPayError(400, 'PARAM_ERROR', '退款金额必须为大于0的整数(分)');
  if (typeof totalFen !== 'number' || !Number.isInteger(totalFen)) throw new WechatPayError(400, 'PARAM_ERROR', '原订单金额必须为整数(分)');
  if (field(amount, 'currency') !== 'CNY') throw new WechatPayError(400, 'PARAM_ERROR', '币种只支持 CNY');
  const trade = trades.get(outTradeNo);
  if (!trade) throw new WechatPayError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  const existing = platforms.refunds.get(`wx:${outRefundNo}`);
  if (existing) {
    if (existing.outTradeNo !== outTradeNo || existing.refundFen !== refundFen) throw new WechatPayError(400, 'INVALID_REQUEST', '同一退款单号的请求参数不一致');
    return { refund: existing, isNew: false };
  }
  if (trade.state !== 'SUCCESS') throw new WechatPayError(400, 'INVALID_REQUEST', '订单未支付,不能退款');
  if (totalFen !== trade.total) throw new WechatPayError(400, 'PARAM_ERROR', '订单金额与原订单不符');
  if (refundFen > trade.total - refundedSoFar(platforms, 'wx', outTradeNo)) throw new WechatPayError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
  if (fault === 'fail') throw new WechatPayError(403, 'NOT_ENOUGH', '基本账户余额不足,请充值后重新发起');
  const now = new Date();
  const refund: PlatformRefund = {
    channel: 'wx',
    outTradeNo,
    outRefundNo,
    refundId: `50${randomDigits(27)}`,
    refundFen,
    totalFen,
    reason: typeof reasonValue === 'string' ? reasonValue : '',
    notifyUrl: typeof notifyValue === 'string' ? notifyValue : null,
    status: fault === 'pending' ? 'PROCESSING' : 'SUCCESS',
    createdAt: now,
    successTime: fault === 'pending' ? null : now,
    eventId: null,
  };
  platforms.refunds.set(`wx:${outRefundNo}`, refund);
  return { refund, isNew: true };
}

function compactTime(date: Date): string {
  return wechatTime(date).slice(0, 19).replace(/\D/g, '');
}

/** WeChat closes an unpaid order at its time_expire. */
export function expireIfDue(trade: WechatTrade, nowMs = Date.now()): void {
  if (trade.state === 'NOTPAY' && trade.timeExpire && trade.timeExpire.getTime() <= nowMs) trade.state = 'CLOSED';
}

// ---------------------------------------------------------------------------------------------
// Answers and notifications

function signedHeaders(body: string, mode: AnswerSignature = 'ok'): Record<string, string> {
  const requestId = `08${randomHex(16).toUpperCase()}`;
  if (mode === 'unsigned') return { 'request-id': requestId };
  const timestamp = String(Math.floor(Date.now() / 1000) - (mode === 'stale' ? MAX_CLOCK_SKEW_SECONDS + 1 : 0));
  const nonce = randomAlphanumeric(32);
  return {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': rsaSign(`${timestamp}\n${nonce}\n${body}\n`, mode === 'forged' ? strangerPrivateKey() : sandboxKeys.wechatPlatformPrivate),
    'wechatpay-serial': SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID,
    'request-id': requestId,
  };
}

function sendSigned(res: ServerResponse, status: number, body: object | undefined, mode: AnswerSignature): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...signedHeaders(text, mode),
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

const tradeStateDescriptions: Record<WechatTrade['state'], string> = { NOTPAY: '订单未支付', SUCCESS: '支付成功', CLOSED: '订单已关闭' };

/** The transaction document of the query answer and (decrypted) of the notification. */
export function transactionOf(trade: WechatTrade): Record<string, unknown> {
  const paid = trade.state === 'SUCCESS';
  return {
    appid: trade.appid,
    mchid: trade.mchid,
    out_trade_no: trade.outTradeNo,
    ...(paid && trade.transactionId ? { transaction_id: trade.transactionId } : {}),
    trade_type: trade.tradeType,
    trade_state: trade.state,
    trade_state_desc: tradeStateDescriptions[trade.state],
    ...(paid ? { bank_type: 'OTHERS', success_time: wechatTime(trade.successTime ?? new Date()) } : {}),
    attach: '',
    payer: { openid: trade.payerOpenid ?? trade.openid ?? '' },
    amount: paid ? { total: trade.total, payer_total: trade.total, currency: 'CNY', payer_currency: 'CNY' } : { total: trade.total, currency: 'CNY' },
  };
}

/** The query answer under a `wxpay_query` fault: one field about another payment, everything else true. */
function alteredTransaction(transaction: Record<string, unknown>, fault: string): Record<string, unknown> {
  const amount = typeof transaction.amount === 'object' && transaction.amount !== null ? transaction.amount : {};
  switch (fault) {
    case 'wrong-amount':
      return { ...transaction, amount: { ...amount, total: 1, payer_total: 1 } };
    case 'wrong-currency':
      return { ...transaction, amount: { ...amount, currency: 'USD', payer_currency: 'USD' } };
    case 'wrong-appid':
      return { ...transaction, appid: FOREIGN_APP_ID };
    case 'wrong-mchid':
      return { ...transaction, mchid: FOREIGN_MCH_ID };
    default:
      return transaction;
  }
}

/** The buyer pays: WeChat records the transaction (an H5 buyer gets a stable sandbox openid). */
export function markWechatTradePaid(trade: WechatTrade): void {
  if (trade.state === 'SUCCESS') return;
  trade.state = 'SUCCESS';
  trade.transactionId = `4200${randomDigits(24)}`;
  trade.successTime = new Date();
  trade.payerOpenid = trade.openid ?? sandboxOpenid(trade.appid, 'h5-buyer');
}

export interface WechatNotificationOverrides {
  /** Merged over the decrypted transaction (e.g. `{amount: {total: 1}}`, `{mchid: '…'}`). */
  readonly transaction?: Record<string, unknown>;
  /** Wechatpay-Timestamp (seconds) to sign with, e.g. 301 s in the past. */
  readonly timestamp?: number;
}

/**
 * The TRANSACTION.SUCCESS notification WeChat sends for a paid trade: the transaction encrypted
 * with the APIv3 key, the whole body signed with the WeChat Pay key. Built as if paid even when
 * the trade is not, so tests can ask for a notification that the platform state would contradict.
 */
export function wechatNotification(trade: WechatTrade, notifyUrl: string, overrides: WechatNotificationOverrides = {}): SignedNotification {
  trade.eventId ??= `EV-${randomHex(16)}`;
  const transaction = {
    ...transactionOf({ ...trade, state: 'SUCCESS', transactionId: trade.transactionId ?? `4200${randomDigits(24)}`, payerOpenid: trade.payerOpenid ?? trade.openid }),
    ...overrides.transaction,
  };
  const nonce = randomAlphanumeric(12);
  const body = JSON.stringify({
    id: trade.eventId,
    create_time: wechatTime(new Date()),
    resource_type: 'encrypt-resource',
    event_type: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: aesGcmEncrypt(JSON.stringify(transaction), SANDBOX_WECHAT_APIV3_KEY, nonce, 'transaction'),
      associated_data: 'transaction',
      nonce,
    },
  });
  const headers = signedHeaders(body);
  if (overrides.timestamp !== undefined) {
    headers['wechatpay-timestamp'] = String(overrides.timestamp);
    headers['wechatpay-signature'] = rsaSign(`${overrides.timestamp}\n${headers['wechatpay-nonce'] ?? ''}\n${body}\n`, sandboxKeys.wechatPlatformPrivate);
  }
  return { url: notifyUrl, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body };
}

/** The refund document of the refund answer and the refund query. */
export function refundOf(refund: PlatformRefund, transactionId = `4200${randomDigits(24)}`): Record<string, unknown> {
  return {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: transactionId,
    out_trade_no: refund.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.successTime ? { success_time: wechatTime(refund.successTime) } : {}),
    create_time: wechatTime(refund.createdAt),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: refund.totalFen,
      refund: refund.refundFen,
      payer_total: refund.totalFen,
      payer_refund: refund.refundFen,
      settlement_refund: refund.refundFen,
      settlement_total: refund.totalFen,
      discount_refund: 0,
      currency: 'CNY',
      refund_fee: 0,
    },
    promotion_detail: [],
  };
}

const refundEvents: Record<PlatformRefund['status'], { eventType: string; summary: string }> = {
  SUCCESS: { eventType: 'REFUND.SUCCESS', summary: '退款成功' },
  ABNORMAL: { eventType: 'REFUND.ABNORMAL', summary: '退款异常' },
  CLOSED: { eventType: 'REFUND.CLOSED', summary: '退款关闭' },
  PROCESSING: { eventType: 'REFUND.SUCCESS', summary: '退款成功' },
};

/**
 * The REFUND.* notification WeChat sends when a refund ends (SUCCESS, ABNORMAL or CLOSED; a
 * PROCESSING refund is notified as if it had succeeded, for tests that ask for it): the refund
 * encrypted with the APIv3 key (associated_data `refund`), the whole body signed with the WeChat Pay key.
 */
export function wechatRefundNotification(refund: PlatformRefund, notifyUrl: string, overrides: { readonly refund?: Record<string, unknown> } = {}): SignedNotification {
  refund.eventId ??= `EV-${randomHex(16)}`;
  const event = refundEvents[refund.status];
  const status = refund.status === 'PROCESSING' ? 'SUCCESS' : refund.status;
  const document = {
    mchid: SANDBOX_WECHAT_MCH_ID,
    out_trade_no: refund.outTradeNo,
    transaction_id: `4200${randomDigits(24)}`,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_status: status,
    ...(status === 'SUCCESS' ? { success_time: wechatTime(refund.successTime ?? new Date()) } : {}),
    user_received_account: '支付用户零钱',
    amount: { total: refund.totalFen, refund: refund.refundFen, payer_total: refund.totalFen, payer_refund: refund.refundFen },
    ...overrides.refund,
  };
  const nonce = randomAlphanumeric(12);
  const body = JSON.stringify({
    id: refund.eventId,
    create_time: wechatTime(new Date()),
    resource_type: 'encrypt-resource',
    event_type: event.eventType,
    summary: event.summary,
    resource: {
      original_type: 'refund',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: aesGcmEncrypt(JSON.stringify(document), SANDBOX_WECHAT_APIV3_KEY, nonce, 'refund'),
      associated_data: 'refund',
      nonce,
    },
  });
  return { url: notifyUrl, method: 'POST', headers: { 'content-type': 'application/json', ...signedHeaders(body) }, body };
}

// ---------------------------------------------------------------------------------------------
// The page an h5_url / wap payUrl opens

export interface CheckoutPage {
  readonly orderId: string;
  readonly title: string;
  readonly amount: string;
  readonly platform: string;
  /** After paying (and after "cancel"), the page sends the browser here: Alipay return_url, WeChat H5 redirect_url. */
  readonly returnUrl?: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const checkoutStyle =
  'body{font-family:system-ui,sans-serif;margin:0;padding:24px 16px;background:#f5f5f5;color:#222;text-align:center}' +
  'main{background:#fff;border-radius:12px;padding:24px 16px;max-width:420px;margin:0 auto}' +
  '.amount{font-size:32px;font-weight:600;margin:8px 0 16px}button{width:100%;padding:14px;font-size:17px;border:0;border-radius:8px;background:#1677ff;color:#fff}' +
  'a{display:block;margin-top:16px;color:#666}small{color:#999}pre{white-space:pre-wrap;text-align:left;font-size:12px}';

/**
 * The cashier page an Alipay payUrl / WeChat h5_url opens: what the buyer sees, with a button that
 * does what POST /_sandbox/pay does (mark paid, send the signed notification) and then returns to
 * the merchant's page, as the real cashier does after paying.
 */
export function sendCheckoutPage(res: ServerResponse, page: CheckoutPage | undefined, status = 200, error?: string): void {
  const back = page?.returnUrl !== undefined && /^https?:\/\//.test(page.returnUrl) ? page.returnUrl : undefined;
  // Inside <script>: "<" escaped so a URL can never close the element.
  const backJs = JSON.stringify(back ?? null).replace(/</g, '\\u003c');
  const body = page
    ? `<main><h1>${escapeHtml(page.platform)} · 沙箱收银台</h1><p>${escapeHtml(page.title)}</p><p class="amount">¥${escapeHtml(page.amount)}</p>
<p><small>订单 <code id="order">${escapeHtml(page.orderId)}</code></small></p>
<button id="pay" type="button">确认支付</button>
${back ? `<a id="cancel" href="${escapeHtml(back)}">取消并返回</a>` : ''}
<pre id="result"></pre></main>
<script>
document.getElementById('pay').addEventListener('click', function () {
  var button = this; button.disabled = true; button.textContent = '支付中…';
  fetch('/_sandbox/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: document.getElementById('order').textContent }) })
    .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
    .then(function (answer) {
      document.getElementById('result').textContent = answer.text;
      if (answer.ok && ${backJs}) location.assign(${backJs});
      else { button.disabled = false; button.textContent = answer.ok ? '已支付' : '重试支付'; }
    });
});
</script>`
    : `<main><h1>沙箱收银台</h1><p>${escapeHtml(error ?? 'No such order.')}</p></main>`;
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sandbox checkout</title><style>${checkoutStyle}</style></head><body>${body}</body></html>`;
  res.writeHead(page ? status : status === 200 ? 404 : status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html)) });
  res.end(html);
}
