import type { PoolConnection } from 'mysql2/promise';
import { execute, select, sqlFlag, type Queryable } from '../pool';
import type { Role } from './users';

/**
 * Rows of `orders` (migrations 003, 013) and every statement on that table: pending → paid | failed,
 * paid → refunding → refunded (or back to paid when the platform refuses the refund).
 * The rules (when to reuse an order, crediting with the membership grant) are in shared/payments/orders.ts.
 * The database layer knows no vendor, so the columns the payment platforms also name are typed by
 * their ENUMs here; shared/payments checks that they match its Channel and PayMethod.
 */
export type OrderStatus = 'pending' | 'paid' | 'failed' | 'refunding' | 'refunded';
/** ENUM('wx', 'alipay'). */
export type OrderChannel = 'wx' | 'alipay';
/** ENUM('jsapi', 'h5', 'wap'). */
export type OrderPayMethod = 'jsapi' | 'h5' | 'wap';

export interface OrderRow {
  id: string;
  user_id: string;
  channel: OrderChannel;
  pay_method: OrderPayMethod;
  status: OrderStatus;
  amount_fen: number;
  membership_days: number;
  quota: number;
  subject: string;
  openid: string | null;
  payer_ip: string | null;
  /** MySQL 8 returns JSON columns parsed, MariaDB as text; read through payParamsOf (shared/payments/orders.ts). */
  pay_params: unknown;
  pay_params_expire_at: Date | null;
  expires_at: Date;
  platform_trade_no: string | null;
  paid_at: Date | null;
  failed_at: Date | null;
  failure_reason: string | null;
  /** The out_refund_no (WeChat) / out_request_no (Alipay) of the order's one refund. */
  refund_no: string | null;
  refund_reason: string | null;
  refund_requested_at: Date | null;
  refunded_at: Date | null;
  last_queried_at: Date | null;
  created_at: Date;
}

const orderColumns =
  'id, user_id, channel, pay_method, status, amount_fen, membership_days, quota, subject, openid, payer_ip, pay_params, pay_params_expire_at, expires_at, platform_trade_no, paid_at, failed_at, failure_reason, refund_no, refund_reason, refund_requested_at, refunded_at, last_queried_at, created_at';

export async function findOrder(orderId: string, on?: Queryable): Promise<OrderRow | undefined> {
  const [order] = await select<OrderRow>(`SELECT ${orderColumns} FROM orders WHERE id = ?`, [orderId], on);
  return order;
}

/** What one order buys and how it is paid: everything fixed at creation. */
export interface OrderTerms {
  readonly userId: string;
  readonly channel: OrderChannel;
  readonly payMethod: OrderPayMethod;
  readonly openid: string | null;
  readonly amountFen: number;
  readonly days: number;
  readonly quota: number;
  readonly subject: string;
}

/**
 * The user's newest pending order with exactly these terms that can still be paid for at least
 * `marginSeconds` more (read inside the transaction that locked the user's row).
 */
export async function findPayablePendingOrder(connection: PoolConnection, terms: OrderTerms, marginSeconds: number): Promise<OrderRow | undefined> {
  const [payable] = await select<OrderRow>(
    `SELECT ${orderColumns} FROM orders
        WHERE user_id = ? AND status = 'pending' AND channel = ? AND pay_method = ? AND openid <=> ?
          AND amount_fen = ? AND membership_days = ? AND quota = ? AND subject = ?
          AND expires_at > UTC_TIMESTAMP(3) + INTERVAL ? SECOND
        ORDER BY created_at DESC LIMIT 1`,
    [terms.userId, terms.channel, terms.payMethod, terms.openid, terms.amountFen, terms.days, terms.quota, terms.subject, marginSeconds],
    connection,
  );
  return payable;
}

export interface NewOrder extends OrderTerms {
  readonly id: string;
  readonly payerIp: string | null;
  /** Payable for this long from now, on the database's clock. */
  readonly validityMinutes: number;
}

export async function insertOrder(connection: PoolConnection, order: NewOrder): Promise<void> {
  await execute(
    `INSERT INTO orders (id, user_id, channel, pay_method, amount_fen, membership_days, quota, subject, openid, payer_ip, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3) + INTERVAL ? MINUTE)`,
    [order.id, order.userId, order.channel, order.payMethod, order.amountFen, order.days, order.quota, order.subject, order.openid, order.payerIp, order.validityMinutes],
    connection,
  );
}

/** Stores what the browser needs to pay (any JSON value; shared/payments knows its shape). */
export async function savePayParams(orderId: string, params: unknown, expireAt: Date): Promise<void> {
  await execute('UPDATE orders SET pay_params = ?, pay_params_expire_at = ? WHERE id = ?', [JSON.stringify(params), expireAt, orderId]);
}

/** pending → failed; false when the order was not pending (paid meanwhile, or failed already). */
export async function markOrderFailed(orderId: string, reason: string): Promise<boolean> {
  // failure_reason is VARCHAR(64).
  const result = await execute(`UPDATE orders SET status = 'failed', failed_at = UTC_TIMESTAMP(3), failure_reason = ? WHERE id = ? AND status = 'pending'`, [reason.slice(0, 64), orderId]);
  return result.affectedRows === 1;
}

/**
 * pending | failed → paid (a failed order too: the platform took the money after we gave up on it).
 * True when this call flipped it; concurrent deliveries queue on the order row. A paid, refunding or
 * refunded order is never flipped back by a late payment report.
 */
export async function markOrderPaid(connection: PoolConnection, orderId: string, platformTradeNo: string | null): Promise<boolean> {
  const flipped = await execute(
    `UPDATE orders SET status = 'paid', paid_at = UTC_TIMESTAMP(3), platform_trade_no = COALESCE(?, platform_trade_no), failure_reason = NULL
        WHERE id = ? AND status IN ('pending', 'failed')`,
    [platformTradeNo, orderId],
    connection,
  );
  return flipped.affectedRows !== 0;
}

/**
 * Claims the right to ask the platform about an order now: at most one caller per interval wins
 * (a conditional UPDATE, so concurrent status polls from many instances agree without locks).
 */
export async function claimQuerySlot(orderId: string, intervalSeconds: number): Promise<boolean> {
  const result = await execute(
    `UPDATE orders SET last_queried_at = UTC_TIMESTAMP(3)
      WHERE id = ? AND status = 'pending' AND (last_queried_at IS NULL OR last_queried_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND)`,
    [orderId, intervalSeconds],
  );
  return result.affectedRows === 1;
}

/** The caller's pending orders old enough that a notification should have come (newest first). */
export async function pendingOrdersAwaitingPayment(userId: string, olderThanSeconds: number, limit = 3): Promise<OrderRow[]> {
  return select<OrderRow>(
    `SELECT ${orderColumns} FROM orders
      WHERE user_id = ? AND status = 'pending' AND created_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND AND created_at > UTC_TIMESTAMP(3) - INTERVAL 1 DAY
      ORDER BY created_at DESC LIMIT ?`,
    [userId, olderThanSeconds, limit],
  );
}

/**
 * Pending orders whose payable window has passed, for the operations sweeper: never-asked ones first,
 * then the least recently asked, oldest first. Orders asked about in the last `quietSeconds` are left
 * out (another run has them, or their platform just failed to answer), so a block of orders that
 * cannot be settled does not hide the ones behind it.
 */
export async function pendingOrdersPastValidity(limit: number, quietSeconds = 0): Promise<OrderRow[]> {
  return select<OrderRow>(
    `SELECT ${orderColumns} FROM orders
      WHERE status = 'pending' AND expires_at <= UTC_TIMESTAMP(3) AND (last_queried_at IS NULL OR last_queried_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND)
      ORDER BY last_queried_at IS NOT NULL, last_queried_at, expires_at LIMIT ?`,
    [quietSeconds, limit],
  );
}

// GET /membership/orders and GET /membership/orders/{orderId}: the caller's orders, each read in one
// statement with the caller's session columns (the session check needs them).

/** An order as the caller's order list shows it. */
export interface OrderListRow {
  id: string;
  channel: OrderChannel;
  pay_method: OrderPayMethod;
  status: OrderStatus;
  amount_fen: number;
  created_at: Date;
  paid_at: Date | null;
  refunded_at: Date | null;
}

const orderListColumnsOf = (alias: string): string =>
  ['id', 'channel', 'pay_method', 'status', 'amount_fen', 'created_at', 'paid_at', 'refunded_at'].map((column) => `${alias}.${column} AS o_${column}`).join(', ');

function orderListRowOf(row: Record<string, unknown>): OrderListRow {
  return {
    id: row.o_id as string,
    channel: row.o_channel as OrderChannel,
    pay_method: row.o_pay_method as OrderPayMethod,
    status: row.o_status as OrderStatus,
    amount_fen: Number(row.o_amount_fen),
    created_at: row.o_created_at as Date,
    paid_at: (row.o_paid_at as Date | null) ?? null,
    refunded_at: (row.o_refunded_at as Date | null) ?? null,
  };
}

export interface SessionColumns {
  readonly token_version: number;
  readonly role: Role;
}

const sessionOf = (row: Record<string, unknown>): SessionColumns => ({ token_version: Number(row.u_token_version), role: row.u_role as Role });

export interface OrderPageQuery {
  readonly userId: string;
  /** Rows to read; the caller asks for one more than it shows. */
  readonly limit: number;
  /** Keyset position: only orders after it in the list's order (created_at DESC, id DESC). */
  readonly after: { readonly createdAt: Date; readonly id: string } | undefined;
}

/**
 * The caller's session columns and one page of their orders, newest first, in one statement.
 * A user has few orders (one per membership bought), so the page is cut from the user's rows of
 * idx_orders_user_status_created. Undefined when the user is gone.
 */
export async function selectOrderPage(query: OrderPageQuery): Promise<{ user: SessionColumns; rows: OrderListRow[] } | undefined> {
  const keyset = query.after ? 'AND (o.created_at < ? OR (o.created_at = ? AND o.id < ?))' : '';
  const rows = await select<Record<string, unknown>>(
    `SELECT u.token_version AS u_token_version, u.role AS u_role, o.position AS o_position, ${orderListColumnsOf('o')}
       FROM users u
       LEFT JOIN (SELECT page.*, ROW_NUMBER() OVER (ORDER BY page.created_at DESC, page.id DESC) AS position
                    FROM (SELECT o.id, o.channel, o.pay_method, o.status, o.amount_fen, o.created_at, o.paid_at, o.refunded_at FROM orders o
                           WHERE o.user_id = ? ${keyset} ORDER BY o.created_at DESC, o.id DESC LIMIT ?) page) o ON TRUE
      WHERE u.id = ?`,
    [query.userId, ...(query.after ? [query.after.createdAt, query.after.createdAt, query.after.id] : []), query.limit, query.userId],
  );
  const first = rows[0];
  if (!first) return undefined;
  const page = rows
    .filter((row) => row.o_id !== null)
    // The database's order (its collation ranks ids), not JavaScript's.
    .sort((a, b) => Number(a.o_position) - Number(b.o_position))
    .map(orderListRowOf);
  return { user: sessionOf(first), rows: page };
}

/**
 * One statement: the caller's session columns and their order with this id, if any (another
 * user's order reads as missing), and whether it is pending and old enough that its notification
 * should have come (the database's clock). Undefined when the user is gone.
 */
export async function findUserAndOrder(
  userId: string,
  orderId: string,
  awaitingAfterSeconds: number,
): Promise<{ user: SessionColumns; order: OrderListRow | undefined; awaitingPayment: boolean } | undefined> {
  const [row] = await select<Record<string, unknown>>(
    `SELECT u.token_version AS u_token_version, u.role AS u_role, ${orderListColumnsOf('o')},
            (o.status = 'pending' AND o.created_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND) AS o_awaiting
       FROM users u LEFT JOIN orders o ON o.id = ? AND o.user_id = u.id
      WHERE u.id = ?`,
    [awaitingAfterSeconds, orderId, userId],
  );
  if (!row) return undefined;
  const order = row.o_id === null ? undefined : orderListRowOf(row);
  return { user: sessionOf(row), order, awaitingPayment: order !== undefined && sqlFlag(row.o_awaiting) };
}

/** GET /admin/stats: money per month (UTC, `YYYY-MM`), in fen. */
export interface MoneyMonthRow {
  readonly month: string;
  /** Orders paid that month (by paid_at, whatever happened to them later) and their amount. */
  readonly paidOrders: number;
  readonly revenueFen: number;
  /** Orders refunded that month and their amount (refunds are full). */
  readonly refundedOrders: number;
  readonly refundsFen: number;
}

/**
 * Revenue and refunds per month since `since`, one statement. A refund's month is that of the
 * order's refunded_at, set in the transaction that posts its `refund` ledger entry (migration 013).
 */
export async function moneyByMonth(since: Date, on?: Queryable): Promise<MoneyMonthRow[]> {
  const rows = await select<{ month: string; paid_orders: number | string; revenue: number | string; refunded_orders: number | string; refunds: number | string }>(
    `SELECT month, SUM(paid) AS paid_orders, SUM(revenue) AS revenue, SUM(refunded) AS refunded_orders, SUM(refunds) AS refunds
       FROM (SELECT DATE_FORMAT(paid_at, '%Y-%m') AS month, 1 AS paid, amount_fen AS revenue, 0 AS refunded, 0 AS refunds
               FROM orders WHERE paid_at >= ?
             UNION ALL
             SELECT DATE_FORMAT(refunded_at, '%Y-%m'), 0, 0, 1, amount_fen
               FROM orders WHERE refunded_at >= ?) money
      GROUP BY month`,
    [since, since],
    on,
  );
  return rows.map((row) => ({
    month: row.month,
    paidOrders: Number(row.paid_orders),
    revenueFen: Number(row.revenue),
    refundedOrders: Number(row.refunded_orders),
    refundsFen: Number(row.refunds),
  }));
}

/**
 * paid → refunding, recording the refund's number and reason; false when the order was not paid
 * (a concurrent request flipped it first, or it is not refundable).
 */
export async function markOrderRefunding(orderId: string, refundNo: string, reason: string): Promise<boolean> {
  const result = await execute(
    `UPDATE orders SET status = 'refunding', refund_no = ?, refund_reason = ?, refund_requested_at = UTC_TIMESTAMP(3), last_queried_at = NULL, failure_reason = NULL
      WHERE id = ? AND status = 'paid'`,
    [refundNo, reason, orderId],
  );
  return result.affectedRows === 1;
}

/**
 * → refunded, inside the transaction that posts the refund, when the platform confirmed this order's
 * refund number: from refunding, or from paid when an earlier refusal had put it back (the platform's
 * word on money that went back wins). False when it was not (already refunded, or not this refund).
 */
export async function markOrderRefunded(connection: PoolConnection, orderId: string, refundNo: string): Promise<boolean> {
  const result = await execute(
    `UPDATE orders SET status = 'refunded', refunded_at = UTC_TIMESTAMP(3), failure_reason = NULL WHERE id = ? AND status IN ('refunding', 'paid') AND refund_no = ?`,
    [orderId, refundNo],
    connection,
  );
  return result.affectedRows === 1;
}

/** refunding → paid: the platform refused or closed the refund (the reason is kept in failure_reason). */
export async function markRefundFailed(orderId: string, reason: string): Promise<boolean> {
  const result = await execute(`UPDATE orders SET status = 'paid', failure_reason = ? WHERE id = ? AND status = 'refunding'`, [reason.slice(0, 64), orderId]);
  return result.affectedRows === 1;
}

/**
 * Refunding orders the platform has not confirmed `afterSeconds` after the request, for the sweeper:
 * never-asked first, then least recently asked; orders asked in the last `quietSeconds` are left out.
 */
export async function refundingOrdersDue(limit: number, afterSeconds: number, quietSeconds: number): Promise<OrderRow[]> {
  return select<OrderRow>(
    `SELECT ${orderColumns} FROM orders
      WHERE status = 'refunding' AND refund_requested_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND
        AND (last_queried_at IS NULL OR last_queried_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND)
      ORDER BY last_queried_at IS NOT NULL, last_queried_at, refund_requested_at LIMIT ?`,
    [afterSeconds, quietSeconds, limit],
  );
}

/** claimQuerySlot for a refunding order: one sweeper run at a time asks the platform about its refund. */
export async function claimRefundQuerySlot(orderId: string, intervalSeconds: number): Promise<boolean> {
  const result = await execute(
    `UPDATE orders SET last_queried_at = UTC_TIMESTAMP(3)
      WHERE id = ? AND status = 'refunding' AND (last_queried_at IS NULL OR last_queried_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND)`,
    [orderId, intervalSeconds],
  );
  return result.affectedRows === 1;
}
