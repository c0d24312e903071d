import { recordPaymentAnomaly } from '../db/repositories/payment-anomalies';
import { logger } from '../logger';
import type { PaymentPorts } from './ports';
import { creditOrder, findOrder, type OrderRow } from './orders';
import type { Channel, PlatformReport } from '../vendors/payment-types';

/**
 * Applies what a platform verifiably said about an order (a notification or a query answer): the
 * order must be ours, of that platform, for our app and merchant, for exactly its amount, and paid.
 * Only then is it credited, once. Anything that does not match is a security event and credits
 * nothing: a genuine platform signature on the wrong amount or merchant means misconfiguration or
 * an attack, never a payment to honour. Since asking again can never make it match, it is also a
 * payment anomaly (table payment_anomalies, an ERROR log line `payment anomaly`) for a person to
 * look at, and the caller may tell the platform to stop (shared/payments/notifications.ts).
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

/**
 * Records a genuine report that can never be credited, once per (channel, out_trade_no, reason,
 * source): the first time with an ERROR line `payment anomaly` (alert on it), a re-delivery with a
 * WARN line only. Throws when the row cannot be written, so the notification is not acknowledged
 * and the platform delivers it again.
 */
async function recordAnomaly(report: PlatformReport, source: ReportSource, order: OrderRow | undefined, reason: string): Promise<void> {
  const written = await recordPaymentAnomaly({
    channel: report.channel,
    orderId: order?.id ?? null,
    outTradeNo: report.outTradeNo,
    platformTradeNo: report.platformTradeNo,
    reason,
    source,
    platformState: report.platformState,
    // The Alipay adapter reads an amount that is not a yuan figure as -1: store it as unknown.
    reportedAmountFen: report.amountFen !== null && report.amountFen >= 0 ? report.amountFen : null,
    reportedCurrency: report.currency,
    reportedAppId: report.appId,
    reportedMerchantId: report.merchantId,
  });
  const details = {
    orderId: order?.id ?? null,
    outTradeNo: report.outTradeNo,
    channel: report.channel,
    source,
    reason,
    platformState: report.platformState,
    platformTradeNo: report.platformTradeNo,
    expectedAmountFen: order?.amount_fen ?? null,
    reportedAmountFen: report.amountFen,
  };
  if (written === 'recorded') logger.error('payment anomaly', details);
  else logger.warn('payment anomaly seen again', details);
}

export async function settleReport(report: PlatformReport, source: ReportSource, ports: PaymentPorts): Promise<Settlement> {
  const order = await findOrder(report.outTradeNo);
  if (!order) {
    securityEvent({ orderId: report.outTradeNo, channel: report.channel, source, reason: 'unknown order', platformState: report.platformState });
    await recordAnomaly(report, source, undefined, 'unknown order');
    return { outcome: 'unknown-order' };
  }
  if (order.channel !== report.channel) {
    securityEvent({ orderId: order.id, channel: report.channel, source, reason: 'order belongs to the other platform' });
    await recordAnomaly(report, source, order, 'order belongs to the other platform');
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
    await recordAnomaly(report, source, order, `${reasons.join(', ')} mismatch`);
    return { outcome: 'mismatch', order, reasons };
  }
  const outcome = await creditOrder(order, report.platformTradeNo);
  if (outcome === 'credited') {
    if (order.status === 'failed') logger.warn('late payment credited to a failed order', { orderId: order.id, channel: order.channel, source });
    logger.info('order credited', { orderId: order.id, userId: order.user_id, channel: order.channel, source, platformState: report.platformState });
  }
  return { outcome, order };
}
