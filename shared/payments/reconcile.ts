import { config } from '../config';
import { asError } from '../errors';
import { logger } from '../logger';
import type { PaymentPorts } from './ports';
import { claimQuerySlot, findOrder, markOrderFailed, pendingOrdersAwaitingPayment, pendingOrdersPastValidity, type OrderRow } from './orders';
import { securityEvent, settleReport } from './settlement';
import { PlatformError, type Channel, type PlatformReport } from '../vendors/payment-types';

/**
 * Reconciliation: notifications are not guaranteed, so an order is also settled by asking its
 * platform (WeChat query by out_trade_no, alipay.trade.query). Used by GET /membership/status
 * while the client polls, and by the operations sweeper for orders past their validity.
 */
export type ReconcileOutcome =
  /** Paid at the platform and credited now. */
  | 'credited'
  | 'already-paid'
  /** Not paid yet and still payable. */
  | 'pending'
  /** The platform closed it, or it expired unpaid and we closed it. */
  | 'failed'
  /** Paid at the platform for something else than the order (a security event and a payment anomaly); marked failed. */
  | 'mismatch'
  | 'unknown-order';

async function queryPlatform(order: OrderRow, ports: PaymentPorts): Promise<PlatformReport> {
  try {
    return await (order.channel === 'wx' ? ports.wechatPay.queryOrder(order.id) : ports.alipay.queryOrder(order.id));
  } catch (error) {
    // An answer in the platform's name that its key did not sign: a forgery on the wire or a wrong key.
    if (error instanceof PlatformError && error.code === 'RESPONSE_SIGNATURE') {
      securityEvent({ orderId: order.id, channel: order.channel, source: 'query', reason: 'answer failed verification', httpStatus: error.httpStatus ?? null });
    }
    throw error;
  }
}

/** Closes an unpaid order at its platform; false when the platform says it may have been paid. */
async function closeAtPlatform(order: OrderRow, known: PlatformReport, ports: PaymentPorts): Promise<boolean> {
  // Nothing to close where the platform never saw the order (an Alipay page nobody opened).
  if (known.state === 'not-found') return true;
  if (order.channel === 'wx') return (await ports.wechatPay.closeOrder(order.id)) === 'closed';
  return (await ports.alipay.closeOrder(order.id)) !== 'refused';
}

async function settleFromPlatform(order: OrderRow, report: PlatformReport, ports: PaymentPorts): Promise<ReconcileOutcome | undefined> {
  if (report.state === 'paid') {
    const settlement = await settleReport(report, 'query', ports);
    if (settlement.outcome === 'credited' || settlement.outcome === 'already-paid') return settlement.outcome;
    if (settlement.outcome === 'mismatch') {
      // A genuine answer that will never match: settleReport recorded it as a payment anomaly
      // (source 'query', listed by GET /admin/payment-anomalies); stop asking, leave it to a person.
      await markOrderFailed(order.id, 'platform mismatch');
      return 'mismatch';
    }
    return 'unknown-order';
  }
  if (report.state === 'closed') {
    await markOrderFailed(order.id, `closed at platform: ${report.platformState}`);
    return 'failed';
  }
  return undefined;
}

/**
 * Asks the platform about one order and acts on the answer: paid → credit (once, with the same
 * checks as a notification); paid for something else → a payment anomaly, failed; closed → failed;
 * unpaid past its validity → closed at the platform, then failed. A failed order is asked too: money taken after we gave up is still credited.
 * Throws PlatformError when the platform cannot be asked; nothing changes then.
 */
export async function reconcileOrder(orderId: string, ports: PaymentPorts): Promise<ReconcileOutcome> {
  const order = await findOrder(orderId);
  if (!order) return 'unknown-order';
  // Paid, or paid and being refunded / refunded: the platform's payment is settled already.
  if (order.status === 'paid' || order.status === 'refunding' || order.status === 'refunded') return 'already-paid';
  const report = await queryPlatform(order, ports);
  const settled = await settleFromPlatform(order, report, ports);
  if (settled) return settled;
  if (order.status === 'failed') return 'failed';
  if (order.expires_at.getTime() > Date.now()) return 'pending';
  if (!(await closeAtPlatform(order, report, ports))) {
    // Paid between our question and the close: ask once more and settle that answer.
    return (await settleFromPlatform(order, await queryPlatform(order, ports), ports)) ?? 'pending';
  }
  await markOrderFailed(order.id, 'expired unpaid');
  return 'failed';
}

export interface PendingOrderRef {
  readonly orderId: string;
  readonly channel: Channel;
  readonly expiresAt: Date;
}

/** Pending orders whose payable window has passed (never-asked first, then least recently asked): each needs reconcileOrder. */
export async function findPendingOrdersPastValidity(limit = 100): Promise<PendingOrderRef[]> {
  return (await pendingOrdersPastValidity(limit)).map((order) => ({ orderId: order.id, channel: order.channel, expiresAt: order.expires_at }));
}

/** How long the sweeper leaves an order alone after asking about it (another run may be on it). */
const sweepQueryIntervalSeconds = 30;

export interface OrderSweepResult {
  readonly done: boolean;
  readonly credited: number;
  readonly failed: number;
  readonly pending: number;
  readonly errors: number;
}

/**
 * One sweeper batch: reconciles up to `limit` pending orders past their validity. Each order is
 * claimed first (claimQuerySlot), so overlapping runs split the work. Throws when every platform
 * question failed, so the sweeper reports the outage.
 */
export async function reconcileOrdersPastValidity(limit: number, ports: PaymentPorts): Promise<OrderSweepResult> {
  const due = await pendingOrdersPastValidity(limit, sweepQueryIntervalSeconds);
  const counts = { credited: 0, failed: 0, pending: 0, errors: 0 };
  let asked = 0;
  for (const order of due) {
    if (!(await claimQuerySlot(order.id, sweepQueryIntervalSeconds))) continue;
    asked += 1;
    try {
      const outcome = await reconcileOrder(order.id, ports);
      if (outcome === 'credited') counts.credited += 1;
      else if (outcome === 'failed' || outcome === 'mismatch') counts.failed += 1;
      else if (outcome === 'pending') counts.pending += 1;
    } catch (error) {
      counts.errors += 1;
      logger.warn('order reconciliation failed', { orderId: order.id, channel: order.channel, error: asError(error).message });
    }
  }
  if (asked > 0 && counts.errors === asked) throw new Error(`payment platforms could not be asked about ${asked} order(s)`);
  return { done: due.length < limit, ...counts };
}

/**
 * For GET /membership/status: asks the platform about the caller's pending orders older than
 * PAYMENT_QUERY_AFTER_SECONDS, each at most once per PAYMENT_QUERY_INTERVAL_SECONDS across all
 * instances, so a client polling every 2 s sees a payment whose notification was lost. Platform
 * trouble is logged, never surfaced: the status answer must not fail because a query did.
 * Returns how many orders were credited now.
 */
export async function reconcileAwaitingOrders(userId: string, ports: PaymentPorts): Promise<number> {
  const settings = config();
  const awaiting = await pendingOrdersAwaitingPayment(userId, settings.PAYMENT_QUERY_AFTER_SECONDS);
  const outcomes = await Promise.all(
    awaiting.map(async (order) => {
      if (!(await claimQuerySlot(order.id, settings.PAYMENT_QUERY_INTERVAL_SECONDS))) return 'skipped';
      try {
        return await reconcileOrder(order.id, ports);
      } catch (error) {
        logger.warn('order query during status poll failed', { orderId: order.id, channel: order.channel, error: asError(error).message });
        return 'error';
      }
    }),
  );
  return outcomes.filter((outcome) => outcome === 'credited').length;
}

/**
 * For GET /membership/orders/{orderId}: one pending order whose notification is overdue, settled
 * with its platform as GET /membership/status settles them (throttled by the same query slot,
 * platform trouble logged, never surfaced). 'skipped' when another caller asked within the interval.
 */
export async function reconcileAwaitingOrder(order: { readonly id: string; readonly channel: Channel }, ports: PaymentPorts): Promise<ReconcileOutcome | 'skipped' | 'error'> {
  if (!(await claimQuerySlot(order.id, config().PAYMENT_QUERY_INTERVAL_SECONDS))) return 'skipped';
  try {
    return await reconcileOrder(order.id, ports);
  } catch (error) {
    logger.warn('order query during order read failed', { orderId: order.id, channel: order.channel, error: asError(error).message });
    return 'error';
  }
}
