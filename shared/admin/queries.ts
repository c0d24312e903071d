import { select, type Queryable } from '../db/pool';
import { toPublicUser, type PublicUser, type UserRow } from '../users';
import type { AdminFailedTasksQuery, AdminTasksQuery, AdminUsersQuery } from './schemas';

/**
 * The admin lists (contract §11–13). Each page is one query plus one COUNT over the same filter.
 * Membership is derived exactly as everywhere else (toPublicUser): one `now` is used for the SQL
 * filter and for the derived fields, so a row never shows isMember=true under isMember=false.
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

const userColumns = 'id, phone, role, token_version, member_expires_at, quota_balance, quota_expired_through, created_at';

export async function listUsers(query: AdminUsersQuery, now = new Date(), on?: Queryable): Promise<Page<PublicUser>> {
  const where =
    query.isMember === 'true' ? 'WHERE member_expires_at > ?' : query.isMember === 'false' ? 'WHERE (member_expires_at IS NULL OR member_expires_at <= ?)' : '';
  const params = query.isMember === undefined ? [] : [now];
  const rows = await select<UserRow>(`SELECT ${userColumns} FROM users ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [...params, query.limit, query.offset], on);
  const [count] = await select<{ total: number | string }>(`SELECT COUNT(*) AS total FROM users ${where}`, params, on);
  return { items: rows.map((row) => ({ ...toPublicUser(row, now), phone: maskPhone(row.phone) })), total: Number(count?.total ?? 0) };
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

interface TaskRow {
  id: string;
  user_id: string;
  type: string;
  status: string;
  error_code: number | null;
  error_reason: string | null;
  created_at: Date;
}

const toAdminTask = (row: TaskRow): AdminTask => ({ id: row.id, userId: row.user_id, type: row.type, status: row.status, createdAt: row.created_at.toISOString() });

export async function listTasks(query: AdminTasksQuery, on?: Queryable): Promise<Page<AdminTask>> {
  const conditions: string[] = [];
  const params: string[] = [];
  if (query.status !== 'all') {
    conditions.push('status = ?');
    params.push(query.status);
  }
  if (query.userId !== undefined) {
    conditions.push('user_id = ?');
    params.push(query.userId);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await select<TaskRow>(
    `SELECT id, user_id, type, status, error_code, error_reason, created_at FROM tasks ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
    on,
  );
  const [count] = await select<{ total: number | string }>(`SELECT COUNT(*) AS total FROM tasks ${where}`, params, on);
  return { items: rows.map(toAdminTask), total: Number(count?.total ?? 0) };
}

/**
 * Tasks that failed in the last `days` days, most recent failure first. "Recent" is when the task
 * failed (finished_at), not when it was created: support looks at what went wrong lately.
 */
export async function listFailedTasks(query: AdminFailedTasksQuery, now = new Date(), on?: Queryable): Promise<Page<AdminFailedTask>> {
  const since = new Date(now.getTime() - query.days * 86_400_000);
  const where = "WHERE status = 'failed' AND finished_at >= ?";
  const rows = await select<TaskRow>(
    `SELECT id, user_id, type, status, error_code, error_reason, created_at FROM tasks ${where} ORDER BY finished_at DESC, id DESC LIMIT ?`,
    [since, query.limit],
    on,
  );
  const [count] = await select<{ total: number | string }>(`SELECT COUNT(*) AS total FROM tasks ${where}`, [since], on);
  return {
    items: rows.map((row) => ({ ...toAdminTask(row), errorCode: row.error_code === null ? null : Number(row.error_code), errorReason: row.error_reason })),
    total: Number(count?.total ?? 0),
  };
}
