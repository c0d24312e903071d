import * as z from 'zod/mini';
import { assertSessionCurrent, type Session } from '../auth/session';
import { config } from '../config';
import { findUserAndOrder, selectOrderPage, type OrderListRow } from '../db/repositories/orders';
import { OrderNotFoundError } from '../errors';
import { cursorParam, decodeOpaque, encodeOpaque, pageLimit, pageOf } from '../paging';
import type { PaymentPorts } from './ports';
import { reconcileAwaitingOrder } from './reconcile';

/**
 * The caller's orders: GET /membership/orders (newest first, keyset pages) and
 * GET /membership/orders/{orderId}. Each read is one statement that also carries the session
 * check; another user's order answers exactly as an unknown one (5002, HTTP 404).
 */
export interface OrderView {
  readonly orderId: string;
  /** `wx` or `alipay`. */
  readonly channel: string;
  /** `jsapi`, `h5` (WeChat) or `wap` (Alipay). */
  readonly payMethod: string;
  /** In fen, as `price` in GET /membership/status. */
  readonly amount: number;
  /** `pending`, `paid`, `failed`, `refunding` (support asked the platform) or `refunded`. */
  readonly status: string;
  readonly createdAt: string;
  readonly paidAt: string | null;
  /** When the platform confirmed the order's refund (POST /admin/orders/{orderId}/refund); null until then. */
  readonly refundedAt: string | null;
}

export function toOrderView(row: OrderListRow): OrderView {
  return {
    orderId: row.id,
    channel: row.channel,
    payMethod: row.pay_method,
    amount: row.amount_fen,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    paidAt: row.paid_at ? row.paid_at.toISOString() : null,
    refundedAt: row.refunded_at ? row.refunded_at.toISOString() : null,
  };
}

/** Keyset position: the last listed order's creation time (ms) and id, as base64url of `<ms>:<id>`. */
export interface OrderCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/** The latest instant a DATETIME holds (9999-12-31 23:59:59.999 UTC). */
const MAX_CURSOR_MS = 253_402_300_799_999;

export function encodeOrderCursor(order: { readonly created_at: Date; readonly id: string }): string {
  return encodeOpaque(`${order.created_at.getTime()}:${order.id}`);
}

export function decodeOrderCursor(value: string): OrderCursor | undefined {
  const match = /^(\d{1,15}):([A-Za-z0-9_-]{1,32})$/.exec(decodeOpaque(value) ?? '');
  const ms = Number(match?.[1]);
  if (!match?.[2] || ms > MAX_CURSOR_MS) return undefined;
  return { createdAt: new Date(ms), id: match[2] };
}

export const ordersQuery = z.object({
  limit: pageLimit,
  cursor: z.optional(cursorParam(decodeOrderCursor)),
});
export type OrdersQuery = z.infer<typeof ordersQuery>;

/** Any string: a malformed id answers 5002 like a missing one. */
export const orderParams = z.object({ orderId: z.string() });

export async function listOrders(session: Session, query: OrdersQuery): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  const page = await selectOrderPage({ userId: session.userId, limit: query.limit + 1, after: query.cursor });
  assertSessionCurrent(page?.user, session);
  const { shown, nextCursor } = pageOf(page?.rows ?? [], query.limit, encodeOrderCursor);
  return { items: shown.map(toOrderView), nextCursor };
}

/**
 * One order of the caller. A pending order whose notification is overdue is first settled with its
 * platform (throttled, as GET /membership/status does), so a paid order reads as paid even when its
 * notification was lost.
 */
export async function readOrder(session: Session, orderId: string, ports: PaymentPorts): Promise<OrderView> {
  const read = () => findUserAndOrder(session.userId, orderId, config().PAYMENT_QUERY_AFTER_SECONDS);
  let found = await read();
  assertSessionCurrent(found?.user, session);
  if (!found?.order) throw new OrderNotFoundError();
  if (found.awaitingPayment) {
    const outcome = await reconcileAwaitingOrder(found.order, ports);
    if (outcome !== 'skipped' && outcome !== 'error' && outcome !== 'pending') found = await read();
  }
  if (!found?.order) throw new OrderNotFoundError();
  return toOrderView(found.order);
}
