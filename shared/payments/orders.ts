import { randomBytes } from 'node:crypto';
import { withTransaction } from '../db/pool';
import { findOrder, findPayablePendingOrder, insertOrder, markOrderPaid, savePayParams as storePayParams, type OrderChannel, type OrderPayMethod, type OrderRow } from '../db/repositories/orders';
import { lockUser } from '../db/repositories/users';
import { grantMembership } from '../quota/ledger';
import type { Channel, PayMethod, PayParams, PlatformOrderRequest } from '../vendors/payment-types';

/**
 * Membership orders: pending → paid | failed. The only way to `paid` is creditOrder, which flips the
 * status and grants the membership in one transaction. The rows and statements live in
 * shared/db/repositories/orders.ts.
 */
export {
  claimQuerySlot,
  findOrder,
  markOrderFailed,
  pendingOrdersAwaitingPayment,
  pendingOrdersPastValidity,
  type OrderRow,
  type OrderStatus,
} from '../db/repositories/orders';

// The database layer may not import shared/vendors, so it types the ENUM columns itself; these fail
// to compile if a platform type and its column ever disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelMatchesColumn: Same<Channel, OrderChannel> = true;
const payMethodMatchesColumn: Same<PayMethod, OrderPayMethod> = true;
void channelMatchesColumn;
void payMethodMatchesColumn;

/** `order_` + 24 hex characters: 30 characters, inside WeChat's 32-character out_trade_no. */
export function newOrderId(): string {
  return `order_${randomBytes(12).toString('hex')}`;
}

/** The fields a platform order is made of; a repeated request must send exactly these again. */
export function platformRequestOf(order: OrderRow): PlatformOrderRequest {
  return { outTradeNo: order.id, amountFen: order.amount_fen, subject: order.subject, expiresAt: order.expires_at };
}

export function payParamsOf(order: OrderRow): PayParams | undefined {
  const value: unknown = typeof order.pay_params === 'string' ? JSON.parse(order.pay_params) : order.pay_params;
  return value === null || value === undefined ? undefined : (value as PayParams);
}

export async function savePayParams(orderId: string, params: PayParams, expireAt: Date): Promise<void> {
  await storePayParams(orderId, params, expireAt);
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
    await lockUser(connection, wish.userId);
    const payable = await findPayablePendingOrder(connection, wish, reuseMarginSeconds);
    if (payable) return { order: payable, reused: true };
    const id = newOrderId();
    await insertOrder(connection, { ...wish, id });
    const created = await findOrder(id, connection);
    if (!created) throw new Error('order row missing right after insert');
    return { order: created, reused: false };
  });
}

/**
 * Credits a paid order exactly once: the conditional status flip and the membership grant (ledger
 * entry referenced by the order id, expiry extension) commit together or not at all. A failed
 * order is credited too: the platform took the money after we gave up on it. Concurrent
 * deliveries queue on the order row; all but the first find it paid and change nothing.
 */
export async function creditOrder(order: Pick<OrderRow, 'id' | 'user_id' | 'quota' | 'membership_days'>, platformTradeNo: string | null): Promise<'credited' | 'already-paid'> {
  return withTransaction(async (connection) => {
    if (!(await markOrderPaid(connection, order.id, platformTradeNo))) return 'already-paid';
    await grantMembership(connection, order.user_id, order.id, order.quota, order.membership_days);
    return 'credited';
  });
}
