import { randomBytes } from 'node:crypto';
import { execute, select, withTransaction, type Queryable } from '../db/pool';
import { grantMembership } from '../quota/ledger';
import type { Channel, PayMethod, PayParams, PlatformOrderRequest } from '../vendors/payment-types';

/**
 * Orders in the database (shared/db/migrations/003_orders.sql): pending → paid | failed. The only
 * way to `paid` is creditOrder, which flips the status and grants the membership in one transaction.
 */
export type OrderStatus = 'pending' | 'paid' | 'failed';

export interface OrderRow {
  id: string;
  user_id: string;
  channel: Channel;
  pay_method: PayMethod;
  status: OrderStatus;
  amount_fen: number;
  membership_days: number;
  quota: number;
  subject: string;
  openid: string | null;
  payer_ip: string | null;
  /** MySQL 8 returns JSON columns parsed, MariaDB as text; read through payParamsOf. */
  pay_params: unknown;
  pay_params_expire_at: Date | null;
  expires_at: Date;
  platform_trade_no: string | null;
  paid_at: Date | null;
  failed_at: Date | null;
  failure_reason: string | null;
  last_queried_at: Date | null;
  created_at: Date;
}

const orderColumns =
  'id, user_id, channel, pay_method, status, amount_fen, membership_days, quota, subject, openid, payer_ip, pay_params, pay_params_expire_at, expires_at, platform_trade_no, paid_at, failed_at, failure_reason, last_queried_at, created_at';

/** `order_` + 24 hex characters: 30 characters, inside WeChat's 32-character out_trade_no. */
export function newOrderId(): string {
  return `order_${randomBytes(12).toString('hex')}`;
}

export async function findOrder(orderId: string, on?: Queryable): Promise<OrderRow | undefined> {
  const [order] = await select<OrderRow>(`SELECT ${orderColumns} FROM orders WHERE id = ?`, [orderId], on);
  return order;
}

/** The fields a platform order is made of; a repeated request must send exactly these again. */
export function platformRequestOf(order: OrderRow): PlatformOrderRequest {
  return { outTradeNo: order.id, amountFen: order.amount_fen, subject: order.subject, expiresAt: order.expires_at };
}

export function payParamsOf(order: OrderRow): PayParams | undefined {
  const value: unknown = typeof order.pay_params === 'string' ? JSON.parse(order.pay_params) : order.pay_params;
  return value === null || value === undefined ? undefined : (value as PayParams);
}

export interface OrderWish {
  readonly userId: string;
  readonly channel: Channel;
  readonly payMethod: PayMethod;
  readonly openid: string | null;
  readonly payerIp: string | null;
  readonly amountFen: number;
  readonly days: number;
  readonly quota: number;
  readonly subject: string;
  readonly validityMinutes: number;
}

/** An order is handed back again only while it has at least this long left to be paid. */
const reuseMarginSeconds = 60;

/**
 * The caller's payable pending order for the same channel, method, openid and product, or a new
 * one. The user's row is locked meanwhile, so two requests of one user cannot both create.
 */
export async function reserveOrder(wish: OrderWish): Promise<{ order: OrderRow; reused: boolean }> {
  return withTransaction(async (connection) => {
    await select('SELECT id FROM users WHERE id = ? FOR UPDATE', [wish.userId], connection);
    const [payable] = await select<OrderRow>(
      `SELECT ${orderColumns} FROM orders
        WHERE user_id = ? AND status = 'pending' AND channel = ? AND pay_method = ? AND openid <=> ?
          AND amount_fen = ? AND membership_days = ? AND quota = ? AND subject = ?
          AND expires_at > NOW(3) + INTERVAL ? SECOND
        ORDER BY created_at DESC LIMIT 1`,
      [wish.userId, wish.channel, wish.payMethod, wish.openid, wish.amountFen, wish.days, wish.quota, wish.subject, reuseMarginSeconds],
      connection,
    );
    if (payable) return { order: payable, reused: true };
    const id = newOrderId();
    await execute(
      `INSERT INTO orders (id, user_id, channel, pay_method, amount_fen, membership_days, quota, subject, openid, payer_ip, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3) + INTERVAL ? MINUTE)`,
      [id, wish.userId, wish.channel, wish.payMethod, wish.amountFen, wish.days, wish.quota, wish.subject, wish.openid, wish.payerIp, wish.validityMinutes],
      connection,
    );
    const created = await findOrder(id, connection);
    if (!created) throw new Error('order row missing right after insert');
    return { order: created, reused: false };
  });
}

export async function savePayParams(orderId: string, params: PayParams, expireAt: Date): Promise<void> {
  await execute('UPDATE orders SET pay_params = ?, pay_params_expire_at = ? WHERE id = ?', [JSON.stringify(params), expireAt, orderId]);
}

/** pending → failed; false when the order was not pending (paid meanwhile, or failed already). */
export async function markOrderFailed(orderId: string, reason: string): Promise<boolean> {
  const result = await execute(`UPDATE orders SET status = 'failed', failed_at = NOW(3), failure_reason = ? WHERE id = ? AND status = 'pending'`, [reason.slice(0, 64), orderId]);
  return result.affectedRows === 1;
}

/**
 * Credits a paid order exactly once: the conditional status flip and the membership grant (ledger
 * entry referenced by the order id, expiry extension) commit together or not at all. A failed
 * order is credited too: the platform took the money after we gave up on it. Concurrent
 * deliveries queue on the order row; all but the first find it paid and change nothing.
 */
export async function creditOrder(order: Pick<OrderRow, 'id' | 'user_id' | 'quota' | 'membership_days'>, platformTradeNo: string | null): Promise<'credited' | 'already-paid'> {
  return withTransaction(async (connection) => {
    const flipped = await execute(
      `UPDATE orders SET status = 'paid', paid_at = NOW(3), platform_trade_no = COALESCE(?, platform_trade_no), failure_reason = NULL
        WHERE id = ? AND status <> 'paid'`,
      [platformTradeNo, order.id],
      connection,
    );
    if (flipped.affectedRows === 0) return 'already-paid';
    await grantMembership(connection, order.user_id, order.id, order.quota, order.membership_days);
    return 'credited';
  });
}

/**
 * Claims the right to ask the platform about an order now: at most one caller per interval wins
 * (a conditional UPDATE, so concurrent status polls from many instances agree without locks).
 */
export async function claimQuerySlot(orderId: string, intervalSeconds: number): Promise<boolean> {
  const result = await execute(
    `UPDATE orders SET last_queried_at = NOW(3)
      WHERE id = ? AND status = 'pending' AND (last_queried_at IS NULL OR last_queried_at <= NOW(3) - INTERVAL ? SECOND)`,
    [orderId, intervalSeconds],
  );
  return result.affectedRows === 1;
}

/** The caller's pending orders old enough that a notification should have come (newest first). */
export async function pendingOrdersAwaitingPayment(userId: string, olderThanSeconds: number, limit = 3): Promise<OrderRow[]> {
  return select<OrderRow>(
    `SELECT ${orderColumns} FROM orders
      WHERE user_id = ? AND status = 'pending' AND created_at <= NOW(3) - INTERVAL ? SECOND AND created_at > NOW(3) - INTERVAL 1 DAY
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
      WHERE status = 'pending' AND expires_at <= NOW(3) AND (last_queried_at IS NULL OR last_queried_at <= NOW(3) - INTERVAL ? SECOND)
      ORDER BY last_queried_at IS NOT NULL, last_queried_at, expires_at LIMIT ?`,
    [quietSeconds, limit],
  );
}
