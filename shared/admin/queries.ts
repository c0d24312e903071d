import type { Queryable } from '../db/pool';
import { listPaymentAnomaliesSince, type PaymentAnomalyRow } from '../db/repositories/payment-anomalies';
import { listFailedTasksSince, listTasksPage, type TaskRow } from '../db/repositories/tasks';
import { listUsersPage } from '../db/repositories/users';
import { toPublicUser, type PublicUser } from '../users';
import type { AdminFailedTasksQuery, AdminPaymentAnomaliesQuery, AdminTasksQuery, AdminUsersQuery } from './schemas';

/**
 * The admin lists (contract §11–13). Each page is one query plus one COUNT over the same filter.
 * Membership is derived exactly as everywhere else (toPublicUser): one `now` is used for the SQL
 * filter and for the derived fields, so a row never shows isMember=true under isMember=false.
 * The statements are in the users, tasks and payment-anomalies repositories (shared/db/repositories/).
 */

/** `13800138000` → `138****8000`: the first three and last four digits stay, the rest is masked. */
export function maskPhone(phone: string): string {
  if (phone.length >= 8) return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
  // Too short to keep 3 + 4 without revealing nearly all of it: keep only the last two.
  return `${'*'.repeat(Math.max(0, phone.length - 2))}${phone.slice(-2)}`;
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
}

export async function listUsers(query: AdminUsersQuery, now = new Date(), on?: Queryable): Promise<Page<PublicUser>> {
  const isMember = query.isMember === undefined ? undefined : query.isMember === 'true';
  const { rows, total } = await listUsersPage({ isMember, now }, query.limit, query.offset, on);
  return { items: rows.map((row) => ({ ...toPublicUser(row, now), phone: maskPhone(row.phone) })), total };
}

/** A task as the admin task list shows it (contract §12). */
export interface AdminTask {
  id: string;
  userId: string;
  type: string;
  status: string;
  createdAt: string;
}

/** A task as the failed-task list shows it (contract §13, plus errorCode: DESIGN.md "Errors"). */
export interface AdminFailedTask extends AdminTask {
  errorCode: number | null;
  errorReason: string | null;
}

const toAdminTask = (row: TaskRow): AdminTask => ({ id: row.id, userId: row.user_id, type: row.type, status: row.status, createdAt: row.created_at.toISOString() });

export async function listTasks(query: AdminTasksQuery, on?: Queryable): Promise<Page<AdminTask>> {
  const { rows, total } = await listTasksPage({ status: query.status === 'all' ? undefined : query.status, userId: query.userId }, query.limit, query.offset, on);
  return { items: rows.map(toAdminTask), total };
}

/**
 * Tasks that failed in the last `days` days, most recent failure first. "Recent" is when the task
 * failed (finished_at), not when it was created: support looks at what went wrong lately.
 */
export async function listFailedTasks(query: AdminFailedTasksQuery, now = new Date(), on?: Queryable): Promise<Page<AdminFailedTask>> {
  const since = new Date(now.getTime() - query.days * 86_400_000);
  const { rows, total } = await listFailedTasksSince(since, query.limit, on);
  return { items: rows.map((row) => ({ ...toAdminTask(row), errorCode: row.error_code, errorReason: row.error_reason })), total };
}

/** A payment anomaly as GET /admin/payment-anomalies shows it (docs/payments.md "Payment anomalies"). */
export interface AdminPaymentAnomaly {
  id: number;
  channel: string;
  /** Our order by that out_trade_no; null when we have none. */
  orderId: string | null;
  outTradeNo: string;
  platformTradeNo: string | null;
  reason: string;
  source: string;
  platformState: string | null;
  reportedAmountFen: number | null;
  reportedCurrency: string | null;
  reportedAppId: string | null;
  reportedMerchantId: string | null;
  /** Deliveries of the same fact (a platform re-sending it). */
  occurrences: number;
  createdAt: string;
  lastSeenAt: string;
}

const toAdminPaymentAnomaly = (row: PaymentAnomalyRow): AdminPaymentAnomaly => ({
  id: row.id,
  channel: row.channel,
  orderId: row.order_id,
  outTradeNo: row.out_trade_no,
  platformTradeNo: row.platform_trade_no,
  reason: row.reason,
  source: row.source,
  platformState: row.platform_state,
  reportedAmountFen: row.reported_amount_fen,
  reportedCurrency: row.reported_currency,
  reportedAppId: row.reported_app_id,
  reportedMerchantId: row.reported_merchant_id,
  occurrences: row.occurrences,
  createdAt: row.created_at.toISOString(),
  lastSeenAt: row.last_seen_at.toISOString(),
});

/** Payment anomalies first recorded in the last `days` days, newest first, paged by limit and offset. */
export async function listPaymentAnomalies(query: AdminPaymentAnomaliesQuery, now = new Date(), on?: Queryable): Promise<Page<AdminPaymentAnomaly>> {
  const since = new Date(now.getTime() - query.days * 86_400_000);
  const { rows, total } = await listPaymentAnomaliesSince(since, query.limit, query.offset, on);
  return { items: rows.map(toAdminPaymentAnomaly), total };
}
