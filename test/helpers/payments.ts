import { execute, select, type Queryable } from '../../shared/db/pool';
import { creditOrder, newOrderId } from '../../shared/payments/orders';
import type { ApiCall } from './events';

/**
 * The sandbox's payment control surface (infra/sandbox/pay-control.ts) and small readers of the
 * orders table, for integration tests. SANDBOX_URL is set by the integration setup.
 */
function sandboxUrl(): string {
  const url = process.env.SANDBOX_URL;
  if (!url) throw new Error('SANDBOX_URL is not set; is this an integration test?');
  return url;
}

export interface SignedNotification {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

export interface SandboxReply {
  status: number;
  contentType: string | null;
  text: string;
}

/** POST /_sandbox/pay: the platform marks the order paid and notifies the API over HTTP. */
export async function sandboxPay(orderId: string): Promise<SandboxReply> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId }) });
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

export interface NotificationOptions {
  /** WeChat: fields merged over the decrypted transaction. */
  transaction?: Record<string, unknown>;
  /** WeChat: the Wechatpay-Timestamp to sign with. */
  timestamp?: number;
  /** Alipay: parameters merged before signing. */
  params?: Record<string, string>;
}

/** A notification signed by the sandbox platform, not sent: tests deliver (or tamper with) it. */
export async function signedNotification(orderId: string, options: NotificationOptions = {}): Promise<SignedNotification> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/pay/notification`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId, ...options }) });
  if (!response.ok) throw new Error(`sandbox refused to build a notification: ${response.status} ${await response.text()}`);
  return (await response.json()) as SignedNotification;
}

/** What the platform holds for an order. */
export async function sandboxTrade(orderId: string): Promise<Record<string, unknown> & { channel: string }> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/pay/trades/${orderId}`);
  if (!response.ok) throw new Error(`sandbox knows no trade ${orderId}: ${response.status}`);
  return (await response.json()) as Record<string, unknown> & { channel: string };
}

/** Opens a payUrl / h5Url like the buyer's browser (which is when Alipay learns of a wap order). */
export async function openPayPage(url: string): Promise<{ status: number; html: string }> {
  const response = await fetch(url);
  return { status: response.status, html: await response.text() };
}

/** The callback request a notification becomes, for platform.call(paymentCallback, …). */
export function callbackCall(notification: Pick<SignedNotification, 'headers' | 'body'>, extra: Partial<ApiCall> = {}): ApiCall {
  return { method: 'POST', path: '/membership/payment-callback', headers: notification.headers, body: notification.body, sourceIp: '101.226.103.9', ...extra };
}

export interface OrderState {
  status: string;
  platform_trade_no: string | null;
  failure_reason: string | null;
  last_queried_at: Date | null;
}

export async function orderState(orderId: string): Promise<OrderState | undefined> {
  const [row] = await select<OrderState>('SELECT status, platform_trade_no, failure_reason, last_queried_at FROM orders WHERE id = ?', [orderId]);
  return row;
}

export async function ledgerEntries(userId: string): Promise<{ kind: string; reference: string; delta: number }[]> {
  return select<{ kind: string; reference: string; delta: number }>('SELECT kind, reference, delta FROM quota_ledger WHERE user_id = ? ORDER BY id', [userId]);
}

/** Moves an order's creation back in time (instead of sleeping past PAYMENT_QUERY_AFTER_SECONDS). */
export async function ageOrder(orderId: string, seconds: number): Promise<void> {
  await execute('UPDATE orders SET created_at = created_at - INTERVAL ? SECOND WHERE id = ?', [seconds, orderId]);
}

/** Ends an order's payable window in the database (the platform's own time_expire is unchanged). */
export async function expireOrder(orderId: string): Promise<void> {
  await execute('UPDATE orders SET expires_at = NOW(3) - INTERVAL 1 MINUTE, created_at = created_at - INTERVAL 31 MINUTE WHERE id = ?', [orderId]);
}

export interface SeedOrder {
  /** Defaults to a fresh `order_…` id. */
  readonly id?: string;
  readonly quota: number;
  readonly days: number;
  readonly status?: 'pending' | 'paid' | 'failed';
}

/**
 * An order row written directly, as if bought with Alipay (no platform is involved). Every grant
 * must reference a paid order (checkLedgerInvariants), so tests that grant quota need one.
 */
export async function insertOrder(userId: string, order: SeedOrder, on?: Queryable): Promise<string> {
  const id = order.id ?? newOrderId();
  const status = order.status ?? 'pending';
  await execute(
    `INSERT INTO orders (id, user_id, channel, pay_method, status, amount_fen, membership_days, quota, subject, expires_at, paid_at)
     VALUES (?, ?, 'alipay', 'wap', ?, 9900, ?, ?, 'seeded membership', NOW(3) + INTERVAL 30 MINUTE, ${status === 'paid' ? 'NOW(3)' : 'NULL'})`,
    [id, userId, status, order.days, order.quota],
    on,
  );
  return id;
}

/** A paid order credited through the real crediting path (order flip + ledger grant + membership). */
export async function seedPaidOrder(userId: string, order: Omit<SeedOrder, 'status'>): Promise<string> {
  const id = await insertOrder(userId, order);
  await creditOrder({ id, user_id: userId, quota: order.quota, membership_days: order.days }, null);
  return id;
}

export interface SandboxRefund {
  channel: 'wx' | 'alipay';
  outTradeNo: string;
  outRefundNo: string;
  refundId: string;
  status: 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';
  refundFen: number;
  totalFen: number;
  reason: string;
}

/** The refunds the platform made for an order (one per refund number, however often it was asked). */
export async function sandboxRefunds(orderId: string): Promise<SandboxRefund[]> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/pay/refunds/${orderId}`);
  if (!response.ok) throw new Error(`sandbox refused the refund list of ${orderId}: ${response.status}`);
  return ((await response.json()) as { refunds: SandboxRefund[] }).refunds;
}

/** Ends the order's PROCESSING refunds at the platform (WeChat then notifies unless `notify: drop`). */
export async function completeSandboxRefunds(orderId: string, status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL' = 'SUCCESS'): Promise<{ refunds: SandboxRefund[]; notified: number[] }> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/pay/refunds/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId, status }) });
  if (!response.ok) throw new Error(`sandbox refused to complete the refunds of ${orderId}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { refunds: SandboxRefund[]; notified: number[] };
}

/** WeChat's signed REFUND.* notification of the order's refund, not sent (decrypted fields overridden before signing). */
export async function signedRefundNotification(orderId: string, refund?: Record<string, unknown>): Promise<SignedNotification> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/pay/refund-notification`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId, refund }) });
  if (!response.ok) throw new Error(`sandbox refused to build a refund notification: ${response.status} ${await response.text()}`);
  return (await response.json()) as SignedNotification;
}

/** Moves a refund request back in time (instead of waiting for the sweeper's REFUND_QUERY_AFTER_SECONDS). */
export async function ageRefundRequest(orderId: string, seconds: number): Promise<void> {
  await execute('UPDATE orders SET refund_requested_at = refund_requested_at - INTERVAL ? SECOND WHERE id = ?', [seconds, orderId]);
}
