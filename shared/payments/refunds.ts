import * as z from 'zod/mini';
import { withTransaction } from '../db/pool';
import { claimRefundQuerySlot, findOrder, markOrderRefunded, markOrderRefunding, markRefundFailed, refundingOrdersDue, type OrderRow } from '../db/repositories/orders';
import { asError, OrderNotFoundError, OrderNotRefundableError, RefundFailedError } from '../errors';
import { logger } from '../logger';
import { revokeMembership } from '../quota/ledger';
import { PlatformError, type PlatformRefundReport, type PlatformRefundRequest } from '../vendors/payment-types';
import type { PaymentPorts } from './ports';

/**
 * Refunds started by support (docs/payments.md "Refunds", docs/decisions/0011-refund-state-machine.md):
 *   paid → refunding   POST /admin/orders/{orderId}/refund: one conditional UPDATE records the refund
 *                      number (one per order, from its id), the reason and the time; then the platform
 *                      is asked (WeChat /v3/refund/domestic/refunds, Alipay alipay.trade.refund).
 *   refunding → refunded   the platform confirmed (its answer, a query, or WeChat's REFUND.SUCCESS):
 *                      one transaction flips the order and writes the ledger's `refund` entry and the
 *                      shorter membership (revokeMembership), so it happens once, whoever confirms first.
 *   refunding → paid   the platform refused or closed the refund (support may ask again later).
 * A refund still processing, or whose request got no answer, stays `refunding`; the sweeper asks the
 * platform (reconcileRefunds) and, when the platform holds no such refund, asks for it again with the
 * same number, which the platform refunds at most once.
 */
export const refundParams = z.object({
  orderId: z.string({ error: '请提供订单号' }).check(z.minLength(1, '订单号格式不正确'), z.maxLength(64, '订单号格式不正确')),
});

export const refundBody = z.object({
  reason: z
    .string({ error: '请填写退款原因' })
    .check(z.trim(), z.minLength(1, '退款原因应为 1 到 80 个字符'), z.maxLength(80, '退款原因应为 1 到 80 个字符')),
});

/** The refund number both platforms know the order's one refund by (WeChat out_refund_no, Alipay out_request_no). */
export function refundNoOf(orderId: string): string {
  return `refund_${orderId.replace(/^order_/, '')}`;
}

/** POST /admin/orders/{orderId}/refund's answer: the order after the request. */
export interface RefundedOrderView {
  readonly orderId: string;
  readonly userId: string;
  readonly channel: OrderRow['channel'];
  readonly payMethod: OrderRow['pay_method'];
  /** Fen. */
  readonly amount: number;
  /** `refunding` (asked, not confirmed yet) or `refunded`. */
  readonly status: OrderRow['status'];
  readonly refundNo: string | null;
  readonly refundReason: string | null;
  readonly createdAt: string;
  readonly paidAt: string | null;
  readonly refundRequestedAt: string | null;
  readonly refundedAt: string | null;
}

export function refundView(order: OrderRow): RefundedOrderView {
  return {
    orderId: order.id,
    userId: order.user_id,
    channel: order.channel,
    payMethod: order.pay_method,
    amount: order.amount_fen,
    status: order.status,
    refundNo: order.refund_no,
    refundReason: order.refund_reason,
    createdAt: order.created_at.toISOString(),
    paidAt: order.paid_at?.toISOString() ?? null,
    refundRequestedAt: order.refund_requested_at?.toISOString() ?? null,
    refundedAt: order.refunded_at?.toISOString() ?? null,
  };
}

export type RefundSource = 'answer' | 'query' | 'notification';
export type RefundSettlement = 'refunded' | 'already-refunded' | 'processing' | 'failed' | 'not-found' | 'mismatch' | 'unknown-order';

function refundSecurityEvent(report: PlatformRefundReport, source: RefundSource, reason: string, details: Record<string, unknown> = {}): void {
  logger.warn('payment security event', { orderId: report.outTradeNo, channel: report.channel, source: `refund ${source}`, reason, ...details });
}

/** Every way a refund report disagrees with the order's refund (empty: it matches). */
export function refundMismatches(order: OrderRow, report: PlatformRefundReport, ports: PaymentPorts): string[] {
  const reasons: string[] = [];
  if (order.channel !== report.channel) reasons.push('channel');
  if (order.refund_no === null || report.outRefundNo !== order.refund_no) reasons.push('refund number');
  if (report.refundFen !== null && report.refundFen !== order.amount_fen) reasons.push('amount');
  if (report.merchantId !== null && report.channel === 'wx' && report.merchantId !== ports.wechatPay.mchId) reasons.push('merchant id');
  return reasons;
}

/**
 * The confirmed refund, once: the order flips to refunded (conditional UPDATE) and, only when that
 * changed the row, the ledger's refund entry and the shorter membership, in the same transaction.
 */
async function completeRefund(order: OrderRow, refundNo: string): Promise<{ delta: number } | undefined> {
  return withTransaction(async (connection) => {
    if (!(await markOrderRefunded(connection, order.id, refundNo))) return undefined;
    const delta = await revokeMembership(connection, order.user_id, order.id, order.quota, order.membership_days);
    // The flip and the entry are one fact; an entry without the flip would break the ledger invariant.
    if (delta === undefined) throw new Error(`order ${order.id} already has a refund entry but was not refunded`);
    return { delta };
  });
}

/**
 * Applies what a platform verifiably said about an order's refund (its answer, a query answer or a
 * notification). Reports about another refund number, amount, platform or merchant change nothing.
 */
export async function settleRefundReport(report: PlatformRefundReport, source: RefundSource, ports: PaymentPorts): Promise<RefundSettlement> {
  const order = await findOrder(report.outTradeNo);
  if (!order) {
    refundSecurityEvent(report, source, 'unknown order');
    return 'unknown-order';
  }
  const reasons = refundMismatches(order, report, ports);
  if (reasons.length > 0) {
    refundSecurityEvent(report, source, `${reasons.join(', ')} mismatch`, {
      orderStatus: order.status,
      expectedRefundNo: order.refund_no,
      reportedRefundNo: report.outRefundNo,
      expectedAmountFen: order.amount_fen,
      reportedAmountFen: report.refundFen,
    });
    return 'mismatch';
  }
  switch (report.state) {
    case 'processing':
      return 'processing';
    case 'not-found':
      return 'not-found';
    case 'failed':
      if (await markRefundFailed(order.id, `refund ${report.platformState}`)) {
        logger.error('refund failed at the platform', { orderId: order.id, channel: order.channel, source, platformState: report.platformState });
      }
      return 'failed';
    case 'succeeded': {
      const completed = await completeRefund(order, report.outRefundNo);
      if (completed) {
        logger.info('order refunded', { orderId: order.id, userId: order.user_id, channel: order.channel, source, quotaTaken: -completed.delta, platformState: report.platformState });
        return 'refunded';
      }
      const now = await findOrder(order.id);
      if (now?.status === 'refunded') return 'already-refunded';
      logger.error('platform confirmed a refund of an order that is not being refunded', { orderId: order.id, channel: order.channel, source, status: now?.status ?? null });
      return 'mismatch';
    }
  }
}

function refundRequestOf(order: OrderRow & { refund_no: string }): PlatformRefundRequest {
  return { outTradeNo: order.id, outRefundNo: order.refund_no, refundFen: order.amount_fen, totalFen: order.amount_fen, reason: order.refund_reason ?? '' };
}

/** Asks the order's platform for its refund (a repeat is the same refund there). Throws PlatformError when it cannot be asked. */
async function askForRefund(order: OrderRow & { refund_no: string }, ports: PaymentPorts): Promise<PlatformRefundReport> {
  try {
    return await (order.channel === 'wx' ? ports.wechatPay.refund(refundRequestOf(order)) : ports.alipay.refund(refundRequestOf(order)));
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'RESPONSE_SIGNATURE') {
      logger.warn('payment security event', { orderId: order.id, channel: order.channel, source: 'refund answer', reason: 'answer failed verification' });
    }
    throw error;
  }
}

const hasRefundNo = (order: OrderRow): order is OrderRow & { refund_no: string } => order.refund_no !== null;

/**
 * POST /admin/orders/{orderId}/refund. Unknown order → 5002; pending or failed → 5003; refunded →
 * the order as it is (nothing asked); paid or refunding → the platform is asked for the order's one
 * refund. Answers the order: `refunded` when the platform confirmed, `refunding` while it processes.
 * A refusal (the order is paid again) or no answer (it stays refunding for the sweeper) → 5004.
 */
export async function refundOrder(orderId: string, reason: string, ports: PaymentPorts): Promise<RefundedOrderView> {
  const found = await findOrder(orderId);
  if (!found) throw new OrderNotFoundError();
  if (found.status === 'pending' || found.status === 'failed') throw new OrderNotRefundableError();
  if (found.status === 'refunded') return refundView(found);
  if (found.status === 'paid') await markOrderRefunding(found.id, refundNoOf(found.id), reason);
  // Whoever flipped it, the order is now refunding (or already refunded by a concurrent request).
  const order = (await findOrder(orderId)) ?? found;
  if (order.status === 'refunded') return refundView(order);
  if (order.status !== 'refunding' || !hasRefundNo(order)) throw new RefundFailedError();
  let report: PlatformRefundReport;
  try {
    report = await askForRefund(order, ports);
  } catch (error) {
    logger.warn('refund request got no usable answer; the sweeper asks again', { orderId: order.id, channel: order.channel, error: asError(error).message });
    throw new RefundFailedError();
  }
  const settled = await settleRefundReport(report, 'answer', ports);
  if (settled === 'refunded' || settled === 'already-refunded' || settled === 'processing') return refundView((await findOrder(orderId)) ?? order);
  throw new RefundFailedError();
}

export type RefundReconcileOutcome = RefundSettlement | 'not-refunding';

/**
 * Asks the platform about one refunding order and acts on the answer (settleRefundReport). A refund
 * the platform does not hold (our request never reached it, or Alipay has not refunded) is asked for
 * again with the same refund number. Throws PlatformError when the platform cannot be asked.
 */
export async function reconcileRefund(orderId: string, ports: PaymentPorts): Promise<RefundReconcileOutcome> {
  const order = await findOrder(orderId);
  if (!order) return 'unknown-order';
  if (order.status === 'refunded') return 'already-refunded';
  if (order.status !== 'refunding' || !hasRefundNo(order)) return 'not-refunding';
  const asked = order.channel === 'wx' ? ports.wechatPay.queryRefund(order.id, order.refund_no) : ports.alipay.queryRefund(order.id, order.refund_no);
  const settled = await settleRefundReport(await asked, 'query', ports);
  if (settled !== 'not-found') return settled;
  const again = await settleRefundReport(await askForRefund(order, ports), 'answer', ports);
  return again === 'not-found' ? 'processing' : again;
}

/** How long a refund is left to its answer or notification before the sweeper asks about it. */
export const REFUND_QUERY_AFTER_SECONDS = 60;
/** How long the sweeper leaves a refunding order alone after asking (another run may be on it). */
const refundQueryIntervalSeconds = 30;

export interface RefundSweepResult {
  readonly done: boolean;
  readonly refunded: number;
  readonly failed: number;
  readonly processing: number;
  readonly errors: number;
}

/**
 * One sweeper batch: reconciles up to `limit` orders refunding for more than `afterSeconds`, each
 * claimed first (a conditional UPDATE of last_queried_at) so overlapping runs split the work. Throws
 * when every platform question failed, so the sweeper reports the outage.
 */
export async function reconcileRefunds(limit: number, ports: PaymentPorts, afterSeconds = REFUND_QUERY_AFTER_SECONDS): Promise<RefundSweepResult> {
  const due = await refundingOrdersDue(limit, afterSeconds, refundQueryIntervalSeconds);
  const counts = { refunded: 0, failed: 0, processing: 0, errors: 0 };
  let asked = 0;
  for (const order of due) {
    if (!(await claimRefundQuerySlot(order.id, refundQueryIntervalSeconds))) continue;
    asked += 1;
    try {
      const outcome = await reconcileRefund(order.id, ports);
      // already-refunded: finished meanwhile (a notification that came with the platform's answer to our question).
      if (outcome === 'refunded' || outcome === 'already-refunded') counts.refunded += 1;
      else if (outcome === 'failed' || outcome === 'mismatch') counts.failed += 1;
      else if (outcome === 'processing') counts.processing += 1;
    } catch (error) {
      counts.errors += 1;
      logger.warn('refund reconciliation failed', { orderId: order.id, channel: order.channel, error: asError(error).message });
    }
  }
  if (asked > 0 && counts.errors === asked) throw new Error(`payment platforms could not be asked about ${asked} refund(s)`);
  return { done: due.length < limit, ...counts };
}
