import { logger } from '../logger';
import type { PaymentPorts } from './ports';
import { creditOrder, findOrder, type OrderRow } from './orders';
import type { Channel, PlatformReport } from '../vendors/payment-types';

/**
 * Applies what a platform verifiably said about an order (a notification or a query answer): the
 * order must be ours, of that platform, for our app and merchant, for exactly its amount, and paid.
 * Only then is it credited, once. Anything that does not match is a security event and changes
 * nothing: a genuine platform signature on the wrong amount or merchant means misconfiguration or
 * an attack, never a payment to honour.
 */
export type Settlement =
  | { readonly outcome: 'credited' | 'already-paid'; readonly order: OrderRow }
  | { readonly outcome: 'not-paid'; readonly order: OrderRow }
  | { readonly outcome: 'mismatch'; readonly order: OrderRow; readonly reasons: readonly string[] }
  | { readonly outcome: 'unknown-order' };

export type ReportSource = 'notification' | 'query';

export function securityEvent(details: { orderId?: string; channel: Channel; source: ReportSource; reason: string } & Record<string, unknown>): void {
  logger.warn('payment security event', details);
}

function expectedIds(channel: Channel, ports: PaymentPorts): { appId: string; merchantId: string } {
  return channel === 'wx'
    ? { appId: ports.wechatPay.appId, merchantId: ports.wechatPay.mchId }
    : { appId: ports.alipay.appId, merchantId: ports.alipay.sellerId };
}

/** Every way the report disagrees with the order and our configuration (empty: it matches). */
export function mismatchesOf(order: OrderRow, report: PlatformReport, ports: PaymentPorts): string[] {
  const expected = expectedIds(report.channel, ports);
  const reasons: string[] = [];
  if (order.channel !== report.channel) reasons.push('channel');
  if (report.amountFen !== order.amount_fen) reasons.push('amount');
  // WeChat names the currency of amount.total; our prices are fen of CNY, so nothing else matches.
  if (report.channel === 'wx' && report.currency !== 'CNY') reasons.push('currency');
  if (report.appId !== null && report.appId !== expected.appId) reasons.push('app id');
  if (report.merchantId !== null && report.merchantId !== expected.merchantId) reasons.push('merchant id');
  return reasons;
}

export async function settleReport(report: PlatformReport, source: ReportSource, ports: PaymentPorts): Promise<Settlement> {
  const order = await findOrder(report.outTradeNo);
  if (!order) {
    securityEvent({ orderId: report.outTradeNo, channel: report.channel, source, reason: 'unknown order', platformState: report.platformState });
    return { outcome: 'unknown-order' };
  }
  if (order.channel !== report.channel) {
    securityEvent({ orderId: order.id, channel: report.channel, source, reason: 'order belongs to the other platform' });
    return { outcome: 'mismatch', order, reasons: ['channel'] };
  }
  if (report.state !== 'paid') return { outcome: 'not-paid', order };
  const reasons = mismatchesOf(order, report, ports);
  if (reasons.length > 0) {
    securityEvent({
      orderId: order.id,
      channel: report.channel,
      source,
      reason: `${reasons.join(', ')} mismatch`,
      expectedAmountFen: order.amount_fen,
      reportedAmountFen: report.amountFen,
      reportedCurrency: report.currency,
      reportedAppId: report.appId,
      reportedMerchantId: report.merchantId,
    });
    return { outcome: 'mismatch', order, reasons };
  }
  const outcome = await creditOrder(order, report.platformTradeNo);
  if (outcome === 'credited') {
    if (order.status === 'failed') logger.warn('late payment credited to a failed order', { orderId: order.id, channel: order.channel, source });
    logger.info('order credited', { orderId: order.id, userId: order.user_id, channel: order.channel, source, platformState: report.platformState });
  }
  return { outcome, order };
}
