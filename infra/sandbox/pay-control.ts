/**
 * The payment side of the sandbox's control surface (DESIGN.md "Running it locally"):
 *   POST /_sandbox/pay {"orderId"}   the order's platform marks it paid and sends its signed
 *        notification to the API; the answer is the API's reply status and body. Paying an order
 *        already paid sends the notification again (platforms re-deliver). Fault `notify: drop`
 *        pays without notifying (answer 200 {notification: "dropped"}), for reconciliation.
 *        An Alipay order is known once its payUrl was opened (as with the real wap pay).
 *   POST /_sandbox/pay/notification {"orderId", "transaction"?, "timestamp"?, "params"?}
 *        builds the signed notification without sending it ({url, method, headers, body}), with
 *        WeChat transaction fields / timestamp or Alipay parameters overridden before signing.
 *   GET  /_sandbox/pay/trades/{orderId}   what the platform holds for an order.
 *   GET  /_sandbox/pay/refunds/{orderId}  the refunds the platform made for an order ({refunds: […]}; one
 *        per refund number however often it was asked).
 *   POST /_sandbox/pay/refunds/complete {"orderId", "status"?}   ends the order's PROCESSING refunds
 *        (SUCCESS by default, or CLOSED / ABNORMAL); WeChat then notifies the refund's notify_url
 *        (unless `notify: drop`), answering {refunds, notified: [API reply status…]}.
 *   POST /_sandbox/pay/refund-notification {"orderId", "refund"?}   builds the WeChat REFUND.* notification
 *        of the order's refund without sending it, with decrypted fields overridden before signing.
 */
import { alipayNotification, closeAlipayTradeIfDue, closeIfFullyRefunded, markAlipayTradePaid } from './alipay';
import { deliver, paymentPlatforms, refundsOf, type AlipayTrade, type PaymentPlatforms, type PlatformRefund, type SignedNotification, type WechatTrade } from './payment-platforms';
import { HttpError, type Router, sendJson } from './router';
import type { SandboxState } from './state';
import { expireIfDue, markWechatTradePaid, transactionOf, wechatNotification, wechatRefundNotification } from './wechat-pay';

export interface PayControlModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  /** apiBaseUrl (e.g. http://127.0.0.1:3000/api): notifications of orders that named no notify_url go there. */
  readonly options: { readonly apiBaseUrl?: string };
}

type FoundTrade = { readonly channel: 'wx'; readonly trade: WechatTrade } | { readonly channel: 'alipay'; readonly trade: AlipayTrade };

function findTrade(platforms: PaymentPlatforms, orderId: unknown): FoundTrade {
  if (typeof orderId !== 'string' || orderId === '') throw new HttpError(400, 'orderId (string) is required');
  const wechat = platforms.wechatTrades.get(orderId);
  if (wechat) return { channel: 'wx', trade: wechat };
  const alipay = platforms.alipayTrades.get(orderId);
  if (alipay) return { channel: 'alipay', trade: alipay };
  throw new HttpError(404, `neither WeChat Pay nor Alipay knows order ${orderId} (an Alipay order is known once its payUrl was opened)`);
}

function notifyUrlOf(platforms: PaymentPlatforms, found: FoundTrade): string {
  const url = found.trade.notifyUrl ?? (platforms.apiBaseUrl ? `${platforms.apiBaseUrl.replace(/\/+$/, '')}/membership/payment-callback` : null);
  if (!url) throw new HttpError(409, 'the order named no notify_url and the sandbox was started without apiBaseUrl');
  return url;
}

function objectBody(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'body must be a JSON object');
  return value as Record<string, unknown>;
}

function stringRecord(value: unknown, name: string): Record<string, string> {
  if (value === undefined) return {};
  const record = objectBody(value);
  if (!Object.values(record).every((item) => typeof item === 'string')) throw new HttpError(400, `${name} must map names to strings`);
  return record as Record<string, string>;
}

function notificationFor(platforms: PaymentPlatforms, found: FoundTrade, options: Record<string, unknown> = {}): SignedNotification {
  const url = notifyUrlOf(platforms, found);
  if (found.channel === 'alipay') return alipayNotification(found.trade, url, stringRecord(options.params, 'params'));
  const timestamp = options.timestamp;
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isInteger(timestamp))) throw new HttpError(400, 'timestamp must be whole seconds');
  return wechatNotification(found.trade, url, {
    ...(options.transaction === undefined ? {} : { transaction: objectBody(options.transaction) }),
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

export function registerPayControl({ router, state, options }: PayControlModuleContext): void {
  const platforms = paymentPlatforms(state);
  platforms.apiBaseUrl = options.apiBaseUrl;
  state.defineFault('notify', { defaultValue: 'deliver', values: ['deliver', 'drop'] });

  router.add('POST', '/_sandbox/pay', async (_req, res, ctx) => {
    const found = findTrade(platforms, objectBody(ctx.json()).orderId);
    if (found.channel === 'wx') {
      expireIfDue(found.trade);
      if (found.trade.state === 'CLOSED') throw new HttpError(409, 'the WeChat Pay order is closed');
      markWechatTradePaid(found.trade);
    } else {
      closeAlipayTradeIfDue(found.trade);
      if (found.trade.status === 'TRADE_CLOSED') throw new HttpError(409, 'the Alipay trade is closed');
      markAlipayTradePaid(found.trade);
    }
    const orderId = found.trade.outTradeNo;
    if (state.fault('notify') === 'drop') {
      sendJson(res, 200, { orderId, paid: true, notification: 'dropped' });
      return;
    }
    const notification = notificationFor(platforms, found);
    let reply;
    try {
      reply = await deliver(notification);
    } catch (error) {
      throw new HttpError(502, `the notification to ${notification.url} failed: ${(error as Error).message}`);
    }
    res.writeHead(reply.status, { ...(reply.contentType ? { 'content-type': reply.contentType } : {}), 'x-sandbox-notified': notification.url, 'content-length': String(Buffer.byteLength(reply.body)) });
    res.end(reply.body);
  });

  router.add('POST', '/_sandbox/pay/notification', (_req, res, ctx) => {
    const options = objectBody(ctx.json());
    sendJson(res, 200, notificationFor(platforms, findTrade(platforms, options.orderId), options));
  });

  const refundView = (refund: PlatformRefund): Record<string, unknown> => ({
    channel: refund.channel,
    outTradeNo: refund.outTradeNo,
    outRefundNo: refund.outRefundNo,
    refundId: refund.refundId,
    status: refund.status,
    refundFen: refund.refundFen,
    totalFen: refund.totalFen,
    reason: refund.reason,
  });

  router.add('GET', '/_sandbox/pay/refunds/*', (_req, res, ctx) => {
    const orderId = decodeURIComponent(ctx.url.pathname.slice('/_sandbox/pay/refunds/'.length));
    sendJson(res, 200, { refunds: refundsOf(platforms, orderId).map(refundView) });
  });

  router.add('POST', '/_sandbox/pay/refunds/complete', async (_req, res, ctx) => {
    const body = objectBody(ctx.json());
    const found = findTrade(platforms, body.orderId);
    const status = body.status ?? 'SUCCESS';
    if (status !== 'SUCCESS' && status !== 'CLOSED' && status !== 'ABNORMAL') throw new HttpError(400, 'status must be SUCCESS, CLOSED or ABNORMAL');
    const processing = refundsOf(platforms, found.trade.outTradeNo).filter((refund) => refund.status === 'PROCESSING');
    const notified: number[] = [];
    for (const refund of processing) {
      refund.status = status;
      if (status === 'SUCCESS') refund.successTime = new Date();
      if (found.channel === 'alipay') closeIfFullyRefunded(platforms, found.trade);
      if (refund.channel === 'wx' && refund.notifyUrl && state.fault('notify') !== 'drop') {
        try {
          notified.push((await deliver(wechatRefundNotification(refund, refund.notifyUrl))).status);
        } catch (error) {
          throw new HttpError(502, `the refund notification to ${refund.notifyUrl} failed: ${(error as Error).message}`);
        }
      }
    }
    sendJson(res, 200, { refunds: processing.map(refundView), notified });
  });

  router.add('POST', '/_sandbox/pay/refund-notification', (_req, res, ctx) => {
    const body = objectBody(ctx.json());
    const found = findTrade(platforms, body.orderId);
    const refund = refundsOf(platforms, found.trade.outTradeNo).find((candidate) => candidate.channel === 'wx');
    if (!refund) throw new HttpError(404, `WeChat Pay holds no refund of order ${found.trade.outTradeNo}`);
    const url = refund.notifyUrl ?? notifyUrlOf(platforms, found);
    sendJson(res, 200, wechatRefundNotification(refund, url, body.refund === undefined ? {} : { refund: objectBody(body.refund) }));
  });

  router.add('GET', '/_sandbox/pay/trades/*', (_req, res, ctx) => {
    const found = findTrade(platforms, decodeURIComponent(ctx.url.pathname.slice('/_sandbox/pay/trades/'.length)));
    if (found.channel === 'wx') {
      expireIfDue(found.trade);
      sendJson(res, 200, { channel: 'wx', ...transactionOf(found.trade) });
    } else {
      closeAlipayTradeIfDue(found.trade);
      const { outTradeNo, tradeNo, status, totalAmount, subject } = found.trade;
      sendJson(res, 200, { channel: 'alipay', out_trade_no: outTradeNo, trade_no: tradeNo, trade_status: status, total_amount: totalAmount, subject });
    }
  });
}
