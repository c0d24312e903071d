import { randomBytes } from 'node:crypto';
import type { PoolConnection } from 'mysql2/promise';
import { execute, select, sqlFlag, type Queryable } from '../pool';

/** Rows of `users` (migrations 001, 005) and every statement on that table but the ledger's postings. */
export type Role = 'user' | 'admin';

export interface UserRow {
  id: string;
  phone: string;
  role: Role;
  token_version: number;
  member_expires_at: Date | null;
  quota_balance: number;
  /** The membership expiry whose quota expiry the ledger has recorded. */
  quota_expired_through: Date | null;
  created_at: Date;
}

const userColumns = 'id, phone, role, token_version, member_expires_at, quota_balance, quota_expired_through, created_at';

/** The same columns read through the alias `u`, for statements that join a user's row to their data. */
export const userColumnsOf = (alias: string): string =>
  userColumns
    .split(', ')
    .map((column) => `${alias}.${column} AS u_${column}`)
    .join(', ');

/** A user row read through userColumnsOf, out of a joined row. */
export function userFromJoined(row: Record<string, unknown>): UserRow {
  return {
    id: row.u_id as string,
    phone: row.u_phone as string,
    role: row.u_role as Role,
    token_version: Number(row.u_token_version),
    member_expires_at: (row.u_member_expires_at as Date | null) ?? null,
    quota_balance: Number(row.u_quota_balance),
    quota_expired_through: (row.u_quota_expired_through as Date | null) ?? null,
    created_at: row.u_created_at as Date,
  };
}

export async function findUserById(id: string, on?: Queryable): Promise<UserRow | undefined> {
  const rows = await select<UserRow>(`SELECT ${userColumns} FROM users WHERE id = ?`, [id], on);
  return rows[0];
}

export async function findUserByPhone(phone: string, on?: Queryable): Promise<UserRow | undefined> {
  const rows = await select<UserRow>(`SELECT ${userColumns} FROM users WHERE phone = ?`, [phone], on);
  return rows[0];
}

/** Inserts a user for a phone unless one exists (two first logins racing on one phone end with one row). */
export async function insertUserForPhone(phone: string): Promise<void> {
  await execute('INSERT IGNORE INTO users (id, phone) VALUES (?, ?)', [randomBytes(6).toString('hex'), phone]);
}

/** The membership columns of a user, read with a row lock: one user's ledger changes queue here. */
export interface LockedMembership {
  quota_balance: number;
  member_expires_at: Date | null;
  quota_expired_through: Date | null;
  is_member: boolean;
}

export async function lockMembership(connection: PoolConnection, userId: string): Promise<LockedMembership> {
  const [user] = await select<Omit<LockedMembership, 'is_member'> & { is_member: number | string }>(
    `SELECT quota_balance, member_expires_at, quota_expired_through,
            (member_expires_at IS NOT NULL AND member_expires_at > UTC_TIMESTAMP(3)) AS is_member
       FROM users WHERE id = ? FOR UPDATE`,
    [userId],
    connection,
  );
  if (!user) throw new Error(`ledger: no user ${userId}`);
  return { ...user, is_member: sqlFlag(user.is_member) };
}

/** Extends the membership by `days` from the later of now and the current expiry. */
export async function extendMembership(connection: PoolConnection, userId: string, days: number): Promise<void> {
  await execute(`UPDATE users SET member_expires_at = GREATEST(COALESCE(member_expires_at, UTC_TIMESTAMP(3)), UTC_TIMESTAMP(3)) + INTERVAL ? DAY WHERE id = ?`, [days, userId], connection);
}

/**
 * Takes `days` off the membership (a refunded order's days). It may end in the past: the membership
 * has then ended, and what is left of the balance expires by the usual rule (expireIfLapsed).
 */
export async function shortenMembership(connection: PoolConnection, userId: string, days: number): Promise<void> {
  await execute('UPDATE users SET member_expires_at = member_expires_at - INTERVAL ? DAY WHERE id = ? AND member_expires_at IS NOT NULL', [days, userId], connection);
}

/** Records that the quota of the current membership period has been expired in the ledger. */
export async function markQuotaExpired(connection: PoolConnection, userId: string): Promise<void> {
  await execute('UPDATE users SET quota_expired_through = member_expires_at WHERE id = ?', [userId], connection);
}

/** Locks the given users that nobody else holds right now (FOR UPDATE SKIP LOCKED), in id order. */
export async function lockFreeUsers(connection: PoolConnection, userIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(userIds)].sort();
  if (ids.length === 0) return new Set();
  const rows = await select<{ id: string }>(`SELECT id FROM users WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id FOR UPDATE SKIP LOCKED`, ids, connection);
  return new Set(rows.map((row) => row.id));
}

/** Users whose membership lapsed and whose quota expiry the ledger has not recorded (virtual column, migration 005). */
export async function lockUsersDueExpiry(connection: PoolConnection, limit: number): Promise<string[]> {
  const rows = await select<{ id: string }>(
    `SELECT id FROM users WHERE membership_expiry_due = 1 AND member_expires_at <= UTC_TIMESTAMP(3)
      ORDER BY member_expires_at LIMIT ? FOR UPDATE SKIP LOCKED`,
    [limit],
    connection,
  );
  return rows.map((row) => row.id);
}

/** Locks one user's row (creating an order queues behind the same user's other orders). */
export async function lockUser(connection: PoolConnection, userId: string): Promise<void> {
  await select('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId], connection);
}

/**
 * One statement for GET /membership/status: the user and whether any of their pending orders is old
 * enough that its notification should have come (the only case the status asks a platform).
 */
export async function findUserWithAwaitingOrders(userId: string, olderThanSeconds: number): Promise<{ user: UserRow; awaitingOrders: boolean } | undefined> {
  const [row] = await select<UserRow & { awaiting_orders: number | string }>(
    `SELECT ${userColumns},
            EXISTS (SELECT 1 FROM orders o
                     WHERE o.user_id = users.id AND o.status = 'pending'
                       AND o.created_at <= UTC_TIMESTAMP(3) - INTERVAL ? SECOND AND o.created_at > UTC_TIMESTAMP(3) - INTERVAL 1 DAY) AS awaiting_orders
       FROM users WHERE id = ?`,
    [olderThanSeconds, userId],
  );
  if (!row) return undefined;
  const { awaiting_orders: awaiting, ...user } = row;
  return { user, awaitingOrders: sqlFlag(awaiting) };
}

/** Membership as GET /admin/users filters it, judged at one `now` the caller also derives isMember with. */
export interface UserListFilter {
  /** Undefined: every user. */
  readonly isMember: boolean | undefined;
  readonly now: Date;
}

/** One page of users, newest first (idx_users_created), and the count under the same filter: two statements. */
export async function listUsersPage(filter: UserListFilter, limit: number, offset: number, on?: Queryable): Promise<{ rows: UserRow[]; total: number }> {
  const where = filter.isMember === true ? 'WHERE member_expires_at > ?' : filter.isMember === false ? 'WHERE (member_expires_at IS NULL OR member_expires_at <= ?)' : '';
  const params = filter.isMember === undefined ? [] : [filter.now];
  const rows = await select<UserRow>(`SELECT ${userColumns} FROM users ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [...params, limit, offset], on);
  const [count] = await select<{ total: number | string }>(`SELECT COUNT(*) AS total FROM users ${where}`, params, on);
  return { rows, total: Number(count?.total ?? 0) };
}

/**
 * Sets the role and bumps token_version in one conditional statement (every older token stops
 * working); false when the user already had the role.
 */
export async function setRoleRevokingTokens(userId: string, role: Role): Promise<boolean> {
  const result = await execute('UPDATE users SET role = ?, token_version = token_version + 1 WHERE id = ? AND role <> ?', [role, userId, role]);
  return result.affectedRows === 1;
}

/** Ends every session of a user: tokens carry the version they were issued with. */
export async function revokeTokens(userId: string): Promise<void> {
  await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [userId]);
}

/** revokeTokens for a session still current (its version and role): false when it was not. */
export async function revokeTokensOfSession(userId: string, tokenVersion: number, role: Role): Promise<boolean> {
  const result = await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ? AND token_version = ? AND role = ?', [userId, tokenVersion, role]);
  return result.affectedRows === 1;
}

/**
 * revokeTokens only while the user's version is still `tokenVersion`: false when it has moved on
 * already (a refresh-token family ended twice bumps once; an old family cannot end newer sessions).
 */
export async function revokeTokensOfVersion(userId: string, tokenVersion: number, on?: Queryable): Promise<boolean> {
  const result = await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ? AND token_version = ?', [userId, tokenVersion], on);
  return result.affectedRows === 1;
}

/** GET /admin/stats: users by month of sign-up (UTC, `YYYY-MM`; null: before `since`). */
export interface UserCountRow {
  readonly month: string | null;
  readonly users: number;
  /** Members now (the database's clock). */
  readonly members: number;
  /** Users who created a task or an order in the last 30 days. */
  readonly active: number;
}

/** One pass over users, with an index probe per user into their tasks and orders for activity. */
export async function countUsersByMonth(since: Date, on?: Queryable): Promise<UserCountRow[]> {
  const rows = await select<{ month: string | null; users: number | string; members: number | string | null; active: number | string | null }>(
    `SELECT IF(created_at >= ?, DATE_FORMAT(created_at, '%Y-%m'), NULL) AS month, COUNT(*) AS users,
            SUM(member_expires_at IS NOT NULL AND member_expires_at > UTC_TIMESTAMP(3)) AS members,
            SUM(EXISTS (SELECT 1 FROM tasks t WHERE t.user_id = users.id AND t.created_at >= UTC_TIMESTAMP(3) - INTERVAL 30 DAY)
                OR EXISTS (SELECT 1 FROM orders o WHERE o.user_id = users.id AND o.created_at >= UTC_TIMESTAMP(3) - INTERVAL 30 DAY)) AS active
       FROM users
      GROUP BY month`,
    [since],
    on,
  );
  return rows.map((row) => ({ month: row.month, users: Number(row.users), members: Number(row.members ?? 0), active: Number(row.active ?? 0) }));
}
