/**
 * The Alipay open-platform gateway (classic `gateway.do`, RSA2; shared/reference/payments.md §2):
 *   GET|POST /gateway.do  method=alipay.trade.wap.pay  → the cashier page the buyer sees (HTML);
 *                                                        opening it creates the trade (WAIT_BUYER_PAY)
 *   POST     /gateway.do  method=alipay.trade.query    → {"alipay_trade_query_response": {...}, "sign"}
 *   POST     /gateway.do  method=alipay.trade.close    → {"alipay_trade_close_response": {...}, "sign"}
 *   POST     /gateway.do  method=alipay.trade.refund   → synchronous: fund_change Y for a new refund, N for a
 *                                                        repeat of an out_request_no (one refund per number)
 *   POST     /gateway.do  method=alipay.trade.fastpay.refund.query → refund_status REFUND_SUCCESS, or an
 *                                                        empty answer while nothing was refunded
 * Every request must be signed by the sandbox application key over all parameters but `sign`;
 * every JSON answer is signed with the sandbox's Alipay key over the exact response member text.
 * As with the real wap pay, Alipay learns of an order only when its payUrl is opened, so
 * POST /_sandbox/pay knows an Alipay order once its payUrl was opened (what the buyer's browser does).
 * Faults (for tests of what a merchant must not trust):
 *   `alipay: fail`  the gateway answers 20000 (service unavailable).
 *   `alipay_signature: forged|unsigned`  JSON answers are signed by a key that is not Alipay's /
 *        carry no `sign`.
 *   `alipay_query: wrong-amount`  trade.query answers a genuinely signed total_amount of 0.01.
 *        (The query answer names no app_id or seller_id, so there is nothing else to get wrong.)
 *   `alipay_refund: pending|fail|unreachable`  a new refund is recorded but unfinished and answered
 *        40004 ACQ.SYSTEM_ERROR (until POST /_sandbox/pay/refunds/complete) / is refused 40004
 *        ACQ.SELLER_BALANCE_NOT_ENOUGH / the connection is dropped unanswered (nothing recorded).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue } from './tencent-api';
import { SANDBOX_ALIPAY_APP_ID, SANDBOX_ALIPAY_SELLER_ID } from './payment-keys';
import {
  alipayTime,
  paymentPlatforms,
  refundedSoFar,
  refundFaults,
  randomDigits,
  randomHex,
  rsaSign,
  rsaVerify,
  sandboxKeys,
  strangerPrivateKey,
  type AlipayTrade,
  type PaymentPlatforms,
  type PlatformRefund,
  type SignedNotification,
} from './payment-platforms';
import type { RequestContext, Router } from './router';
import type { SandboxState } from './state';
import { sendCheckoutPage } from './wechat-pay';

export interface AlipayModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
}

/** An answer in Alipay's error shape: code 40002/40004/20000 with sub_code and sub_msg. */
class AlipayError extends Error {
  constructor(
    readonly code: string,
    readonly subCode: string,
    readonly subMsg: string,
  ) {
    super(subMsg);
  }
}

type AnswerSignature = 'ok' | 'forged' | 'unsigned';
const answerSignatures: readonly AnswerSignature[] = ['ok', 'forged', 'unsigned'];

const messages: Record<string, string> = { '10000': 'Success', '20000': 'Service Currently Unavailable', '40002': 'Invalid Arguments', '40004': 'Business Failed' };

export function registerAlipay({ router, state }: AlipayModuleContext): void {
  const platforms = paymentPlatforms(state);
  const trades = platforms.alipayTrades;
  state.defineFault('alipay_refund', { defaultValue: 'ok', values: refundFaults });
  state.defineFault('alipay', { defaultValue: 'ok', values: ['ok', 'fail'] });
  state.defineFault('alipay_signature', { defaultValue: 'ok', values: answerSignatures });
  state.defineFault('alipay_query', { defaultValue: 'ok', values: ['ok', 'wrong-amount'] });
  const sendAnswer = (res: ServerResponse, member: string, answer: Record<string, string> | AlipayError): void =>
    sendSignedAnswer(res, member, answer, answerSignatures.find((mode) => mode === state.fault('alipay_signature')) ?? 'ok');

  const gateway = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void => {
    let params: Record<string, string>;
    try {
      params = requestParams(req, ctx);
    } catch (error) {
      if (!(error instanceof AlipayError)) throw error;
      sendAnswer(res, 'error_response', error);
      return;
    }
    const method = params.method ?? '';
    // Unreachable: the connection drops before any answer, and nothing is refunded.
    if (method === 'alipay.trade.refund' && state.fault('alipay_refund') === 'unreachable') {
      req.socket.destroy();
      return;
    }
    const member = method === '' ? 'error_response' : `${method.replace(/\./g, '_')}_response`;
    try {
      verifyAppSignature(params);
      if (state.fault('alipay') === 'fail') throw new AlipayError('20000', 'isp.unknow-error', '系统繁忙');
      const bizContent = parseBizContent(params.biz_content);
      switch (method) {
        case 'alipay.trade.wap.pay': {
          const trade = openWapTrade(trades, params, bizContent);
          // Alipay appends the trade to return_url (signed there; the sandbox's is informative only: success comes from the notification).
          const back = trade.returnUrl === null ? undefined : withQuery(trade.returnUrl, { out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo, total_amount: trade.totalAmount });
          sendCheckoutPage(res, { orderId: trade.outTradeNo, title: trade.subject, amount: trade.totalAmount, platform: '支付宝 (wap)', ...(back ? { returnUrl: back } : {}) });
          return;
        }
        case 'alipay.trade.query': {
          const answer = queryTrade(trades, bizContent);
          // A genuine signature over an amount that is not the order's: the merchant must compare it.
          sendAnswer(res, member, state.fault('alipay_query') === 'wrong-amount' ? { ...answer, total_amount: '0.01', buyer_pay_amount: '0.01', receipt_amount: '0.01', invoice_amount: '0.01' } : answer);
          return;
        }
        case 'alipay.trade.close':
          sendAnswer(res, member, closeTrade(trades, bizContent));
          return;
        case 'alipay.trade.refund':
          sendAnswer(res, member, refundTrade(platforms, bizContent, state.fault('alipay_refund')));
          return;
        case 'alipay.trade.fastpay.refund.query':
          sendAnswer(res, member, queryRefund(platforms, bizContent));
          return;
        default:
          throw new AlipayError('40002', 'isv.invalid-method', `不存在的方法名: ${method}`);
      }
    } catch (error) {
      if (!(error instanceof AlipayError)) throw error;
      if (method === 'alipay.trade.wap.pay') sendCheckoutPage(res, undefined, 400, `${error.subCode}: ${error.subMsg}`);
      else sendAnswer(res, member, error);
    }
  };
  router.add('GET', '/gateway.do', gateway);
  router.add('POST', '/gateway.do', gateway);
}

/** `url` with `params` added to its query; `url` unchanged when it is not an absolute URL. */
function withQuery(url: string, params: Readonly<Record<string, string>>): string {
  try {
    const parsed = new URL(url);
    for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value);
    return parsed.toString();
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Query string and form body together (the SDKs put public parameters in either). */
function requestParams(req: IncomingMessage, ctx: RequestContext): Record<string, string> {
  const params: Record<string, string> = {};
  const add = (source: URLSearchParams): void => {
    for (const [key, value] of source) {
      if (Object.hasOwn(params, key)) throw new AlipayError('40002', 'isv.invalid-parameter', `参数重复: ${key}`);
      params[key] = value;
    }
  };
  add(ctx.url.searchParams);
  if (/application\/x-www-form-urlencoded/i.test(headerValue(req.headers, 'content-type') ?? '')) add(new URLSearchParams(ctx.rawBody.toString('utf8')));
  return params;
}

/** Requests sign every parameter except `sign` (sign_type included), sorted, empty values dropped. */
export function requestSignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key] ?? ''}`)
    .join('&');
}

function verifyAppSignature(params: Readonly<Record<string, string>>): void {
  if (!params.app_id) throw new AlipayError('40002', 'isv.missing-app-id', '缺少AppID参数');
  if (params.app_id !== SANDBOX_ALIPAY_APP_ID) throw new AlipayError('40002', 'isv.invalid-app-id', '无效的AppID参数');
  if (params.sign_type !== 'RSA2') throw new AlipayError('40002', 'isv.invalid-signature-type', '无效的签名类型');
  if ((params.charset ?? '').toLowerCase() !== 'utf-8') throw new AlipayError('40002', 'isv.invalid-charset', '字符集不合法');
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp ?? '')) throw new AlipayError('40002', 'isv.invalid-timestamp', '非法的时间戳参数');
  if (!params.sign) throw new AlipayError('40002', 'isv.missing-signature', '缺少签名参数');
  if (!rsaVerify(requestSignContent(params), params.sign, sandboxKeys.alipayAppPublic)) throw new AlipayError('40002', 'isv.invalid-signature', '验签出错');
}

function parseBizContent(text: string | undefined): Record<string, unknown> {
  if (text === undefined) throw new AlipayError('40002', 'isv.missing-biz-content', '缺少biz_content参数');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new AlipayError('40002', 'isv.invalid-biz-content', 'biz_content 不是合法的 JSON 对象');
}

function bizString(biz: Record<string, unknown>, name: string): string {
  const value = biz[name];
  if (typeof value !== 'string' || value === '') throw new AlipayError('40002', 'isv.missing-parameter', `缺少必选参数: ${name}`);
  return value;
}

function openWapTrade(trades: Map<string, AlipayTrade>, params: Readonly<Record<string, string>>, biz: Record<string, unknown>): AlipayTrade {
  const outTradeNo = bizString(biz, 'out_trade_no');
  if (outTradeNo.length > 64) throw new AlipayError('40002', 'isv.invalid-parameter', 'out_trade_no 过长');
  const totalAmount = bizString(biz, 'total_amount');
  const cents = /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/.test(totalAmount) ? Math.round(Number(totalAmount) * 100) : 0;
  if (cents < 1 || cents > 10_000_000_000) throw new AlipayError('40002', 'isv.invalid-parameter', 'total_amount 不合法');
  const subject = bizString(biz, 'subject');
  if (/[/=&]/.test(subject)) throw new AlipayError('40002', 'isv.invalid-parameter', 'subject 不可包含 / = &');
  if (bizString(biz, 'product_code') !== 'QUICK_WAP_WAY') throw new AlipayError('40004', 'ACQ.PRODUCT_CODE_ERROR', '产品码不正确');
  const timeExpireText = typeof biz.time_expire === 'string' ? biz.time_expire : undefined;
  const timeExpire = timeExpireText === undefined ? null : new Date(`${timeExpireText.replace(' ', 'T')}+08:00`);
  if (timeExpire !== null && (Number.isNaN(timeExpire.getTime()) || timeExpire.getTime() <= Date.now())) throw new AlipayError('40004', 'ACQ.TRADE_HAS_CLOSE', '交易已关闭');

  const existing = trades.get(outTradeNo);
  if (existing) {
    if (existing.totalAmount !== totalAmount || existing.subject !== subject) throw new AlipayError('40004', 'ACQ.TRADE_DATA_MATCH_ERROR', '交易信息被篡改');
    if (existing.status !== 'WAIT_BUYER_PAY') throw new AlipayError('40004', 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付或已关闭');
    existing.notifyUrl = params.notify_url ?? existing.notifyUrl;
    existing.returnUrl = params.return_url ?? existing.returnUrl;
    return existing;
  }
  const now = new Date();
  const trade: AlipayTrade = {
    outTradeNo,
    tradeNo: `${alipayTime(now).slice(0, 10).replace(/-/g, '')}22001${randomDigits(15)}`,
    appId: params.app_id ?? '',
    sellerId: SANDBOX_ALIPAY_SELLER_ID,
    subject,
    totalAmount,
    notifyUrl: params.notify_url ?? null,
    returnUrl: params.return_url ?? null,
    timeExpire,
    createdAt: now,
    status: 'WAIT_BUYER_PAY',
    paidAt: null,
    buyerId: `2088${randomDigits(12)}`,
    notifyId: null,
  };
  trades.set(outTradeNo, trade);
  return trade;
}

/** Alipay closes an unpaid trade at its time_expire. */
export function closeAlipayTradeIfDue(trade: AlipayTrade, nowMs = Date.now()): void {
  if (trade.status === 'WAIT_BUYER_PAY' && trade.timeExpire && trade.timeExpire.getTime() <= nowMs) trade.status = 'TRADE_CLOSED';
}

function queryTrade(trades: Map<string, AlipayTrade>, biz: Record<string, unknown>): Record<string, string> {
  const trade = trades.get(bizString(biz, 'out_trade_no'));
  if (!trade) throw new AlipayError('40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
  closeAlipayTradeIfDue(trade);
  const paid = trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED';
  return {
    code: '10000',
    msg: 'Success',
    buyer_logon_id: 'sbx***@sandbox.alipay',
    buyer_pay_amount: paid ? trade.totalAmount : '0.00',
    buyer_user_id: trade.buyerId,
    invoice_amount: paid ? trade.totalAmount : '0.00',
    out_trade_no: trade.outTradeNo,
    point_amount: '0.00',
    receipt_amount: paid ? trade.totalAmount : '0.00',
    ...(paid && trade.paidAt ? { send_pay_date: alipayTime(trade.paidAt) } : {}),
    total_amount: trade.totalAmount,
    trade_no: trade.tradeNo,
    trade_status: trade.status,
  };
}

function closeTrade(trades: Map<string, AlipayTrade>, biz: Record<string, unknown>): Record<string, string> {
  const trade = trades.get(bizString(biz, 'out_trade_no'));
  if (!trade) throw new AlipayError('40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
  closeAlipayTradeIfDue(trade);
  if (trade.status !== 'WAIT_BUYER_PAY') throw new AlipayError('40004', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  trade.status = 'TRADE_CLOSED';
  return { code: '10000', msg: 'Success', out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo };
}

function yuanOf(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

function fenOf(yuan: string): number | undefined {
  return /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/.test(yuan) ? Math.round(Number(yuan) * 100) : undefined;
}

/**
 * alipay.trade.refund: the trade must be paid; refund_amount at most what is left. out_request_no
 * (default: out_trade_no, as Alipay's) names the refund: the same number again answers the refund
 * it made with fund_change N (another amount: ACQ.REFUND_AMT_NOT_EQUAL_TOTAL). A full refund closes the trade.
 */
function refundTrade(platforms: PaymentPlatforms, biz: Record<string, unknown>, fault: string): Record<string, string> {
  const outTradeNo = bizString(biz, 'out_trade_no');
  const trade = platforms.alipayTrades.get(outTradeNo);
  if (!trade) throw new AlipayError('40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
  const refundFen = fenOf(bizString(biz, 'refund_amount'));
  if (refundFen === undefined || refundFen < 1) throw new AlipayError('40002', 'isv.invalid-parameter', 'refund_amount 不合法');
  const outRequestNo = typeof biz.out_request_no === 'string' && biz.out_request_no !== '' ? biz.out_request_no : outTradeNo;
  if (outRequestNo.length > 64) throw new AlipayError('40002', 'isv.invalid-parameter', 'out_request_no 过长');
  const totalFen = fenOf(trade.totalAmount) ?? 0;
  const answer = (refund: PlatformRefund, fundChange: 'Y' | 'N'): Record<string, string> => ({
    code: '10000',
    msg: 'Success',
    buyer_logon_id: 'sbx***@sandbox.alipay',
    buyer_user_id: trade.buyerId,
    fund_change: fundChange,
    gmt_refund_pay: alipayTime(refund.successTime ?? new Date()),
    out_trade_no: trade.outTradeNo,
    refund_fee: yuanOf(refundedSoFar(platforms, 'alipay', outTradeNo)),
    send_back_fee: yuanOf(refund.refundFen),
    trade_no: trade.tradeNo,
  });
  const existing = platforms.refunds.get(`alipay:${outRequestNo}`);
  if (existing) {
    if (existing.outTradeNo !== outTradeNo || existing.refundFen !== refundFen) throw new AlipayError('40004', 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额与同一退款请求号的金额不一致');
    if (existing.status === 'PROCESSING') throw new AlipayError('40004', 'ACQ.SYSTEM_ERROR', '系统错误');
    return answer(existing, 'N');
  }
  if (trade.status !== 'TRADE_SUCCESS' && trade.status !== 'TRADE_FINISHED') throw new AlipayError('40004', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  if (refundFen > totalFen - refundedSoFar(platforms, 'alipay', outTradeNo)) throw new AlipayError('40004', 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
  if (fault === 'fail') throw new AlipayError('40004', 'ACQ.SELLER_BALANCE_NOT_ENOUGH', '卖家余额不足');
  const now = new Date();
  const refund: PlatformRefund = {
    channel: 'alipay',
    outTradeNo,
    outRefundNo: outRequestNo,
    refundId: outRequestNo,
    refundFen,
    totalFen,
    reason: typeof biz.refund_reason === 'string' ? biz.refund_reason : '',
    notifyUrl: null,
    status: fault === 'pending' ? 'PROCESSING' : 'SUCCESS',
    createdAt: now,
    successTime: fault === 'pending' ? null : now,
    eventId: null,
  };
  platforms.refunds.set(`alipay:${outRequestNo}`, refund);
  // Accepted but not finished: the merchant is told to ask again with the same out_request_no.
  if (refund.status === 'PROCESSING') throw new AlipayError('40004', 'ACQ.SYSTEM_ERROR', '系统错误');
  closeIfFullyRefunded(platforms, trade);
  return answer(refund, 'Y');
}

/** A trade refunded in full is closed (TRADE_CLOSED), as Alipay does. */
export function closeIfFullyRefunded(platforms: PaymentPlatforms, trade: AlipayTrade): void {
  if (refundedSoFar(platforms, 'alipay', trade.outTradeNo) >= (fenOf(trade.totalAmount) ?? 0)) trade.status = 'TRADE_CLOSED';
}

/** alipay.trade.fastpay.refund.query: REFUND_SUCCESS with the amounts, or an empty answer while nothing was refunded. */
function queryRefund(platforms: PaymentPlatforms, biz: Record<string, unknown>): Record<string, string> {
  const outTradeNo = bizString(biz, 'out_trade_no');
  const trade = platforms.alipayTrades.get(outTradeNo);
  if (!trade) throw new AlipayError('40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
  const outRequestNo = bizString(biz, 'out_request_no');
  const refund = platforms.refunds.get(`alipay:${outRequestNo}`);
  if (!refund || refund.outTradeNo !== outTradeNo || refund.status !== 'SUCCESS') return { code: '10000', msg: 'Success', out_trade_no: outTradeNo, trade_no: trade.tradeNo };
  return {
    code: '10000',
    msg: 'Success',
    gmt_refund_pay: alipayTime(refund.successTime ?? new Date()),
    out_request_no: outRequestNo,
    out_trade_no: outTradeNo,
    refund_amount: yuanOf(refund.refundFen),
    refund_status: 'REFUND_SUCCESS',
    total_amount: trade.totalAmount,
    trade_no: trade.tradeNo,
  };
}

// ---------------------------------------------------------------------------------------------
// Answers and notifications

function sendSignedAnswer(res: ServerResponse, member: string, answer: Record<string, string> | AlipayError, mode: AnswerSignature): void {
  const node =
    answer instanceof AlipayError ? { code: answer.code, msg: messages[answer.code] ?? 'Business Failed', sub_code: answer.subCode, sub_msg: answer.subMsg } : answer;
  const nodeText = JSON.stringify(node);
  // Alipay signs the member's text exactly as it appears in the answer.
  const sign = mode === 'unsigned' ? '' : `,"sign":"${rsaSign(nodeText, mode === 'forged' ? strangerPrivateKey() : sandboxKeys.alipayPlatformPrivate)}"`;
  const text = `{"${member}":${nodeText}${sign}}`;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** The buyer pays: the trade succeeds and a new notify_id goes with the status change. */
export function markAlipayTradePaid(trade: AlipayTrade): void {
  if (trade.status === 'TRADE_SUCCESS' || trade.status === 'TRADE_FINISHED') return;
  trade.status = 'TRADE_SUCCESS';
  trade.paidAt = new Date();
  trade.notifyId = null;
}

/** Notifications sign every parameter except `sign` and `sign_type`, sorted, empty values dropped. */
export function notificationSignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && key !== 'sign_type' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key] ?? ''}`)
    .join('&');
}

/**
 * The asynchronous notification Alipay posts for a trade (form-encoded, UTF-8). `overrides` are
 * merged before signing (e.g. `{trade_status: 'TRADE_FINISHED'}`, `{seller_id: '…'}`); the
 * trade status defaults to TRADE_SUCCESS even for an unpaid trade, so tests can ask for it.
 */
export function alipayNotification(trade: AlipayTrade, notifyUrl: string, overrides: Readonly<Record<string, string>> = {}): SignedNotification {
  trade.notifyId ??= randomHex(16);
  const paidAt = trade.paidAt ?? new Date();
  const params: Record<string, string> = {
    notify_time: alipayTime(new Date()),
    notify_type: 'trade_status_sync',
    notify_id: trade.notifyId,
    app_id: trade.appId,
    auth_app_id: trade.appId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    buyer_id: trade.buyerId,
    buyer_logon_id: 'sbx***@sandbox.alipay',
    seller_id: trade.sellerId,
    trade_status: trade.status === 'WAIT_BUYER_PAY' ? 'TRADE_SUCCESS' : trade.status,
    total_amount: trade.totalAmount,
    receipt_amount: trade.totalAmount,
    invoice_amount: trade.totalAmount,
    buyer_pay_amount: trade.totalAmount,
    point_amount: '0.00',
    gmt_create: alipayTime(trade.createdAt),
    gmt_payment: alipayTime(paidAt),
    subject: trade.subject,
    fund_bill_list: JSON.stringify([{ amount: trade.totalAmount, fundChannel: 'ALIPAYACCOUNT' }]),
    ...overrides,
  };
  const signed = { ...params, sign_type: 'RSA2', sign: rsaSign(notificationSignContent(params), sandboxKeys.alipayPlatformPrivate) };
  const body = Object.entries(signed)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return { url: notifyUrl, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body };
}
