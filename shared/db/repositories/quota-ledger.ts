import type { PoolConnection } from 'mysql2/promise';
import { execute, select, type Queryable } from '../pool';
import type { Role } from './users';

/**
 * Rows of `quota_ledger` (migration 002) and every statement on it. Each INSERT posts itself: the
 * trigger quota_ledger_post (migration 009) applies the delta to users.quota_balance, records
 * balance_after, and refuses a hold unless the user is a member with quota. The task lifecycle's
 * settlements (confirm, release) are written by the trigger tasks_settle_hold with the task UPDATE
 * that ends the task, so they have no statement here.
 */
export type LedgerKind = 'grant' | 'hold' | 'confirm' | 'release' | 'expire' | 'refund';

export interface LedgerEntry {
  readonly userId: string;
  readonly kind: LedgerKind;
  readonly reference: string;
  readonly delta: number;
  readonly note?: string | null;
}

/** What an append did: `posted`, `duplicate` (this reference already has this kind) or `refused` (a hold the user cannot afford). */
export type AppendOutcome = 'posted' | 'duplicate' | 'refused';

const isDuplicate = (error: unknown): boolean => (error as { errno?: number }).errno === 1062;
/** SQLSTATE 45000 from quota_ledger_post: a hold without membership or quota. */
const isRefusedHold = (error: unknown): boolean => (error as { sqlState?: string }).sqlState === '45000';

/** One ledger entry in one statement (unique per reference and kind). */
export async function appendEntry(connection: Queryable, entry: LedgerEntry): Promise<AppendOutcome> {
  try {
    await execute(
      'INSERT INTO quota_ledger (user_id, kind, reference, delta, note) VALUES (?, ?, ?, ?, ?)',
      [entry.userId, entry.kind, entry.reference, entry.delta, entry.note ?? null],
      connection,
    );
    return 'posted';
  } catch (error) {
    if (isDuplicate(error)) return 'duplicate';
    if (isRefusedHold(error)) return 'refused';
    throw error;
  }
}

export interface LedgerRow {
  id: number;
  user_id: string;
  kind: LedgerKind;
  reference: string;
  delta: number;
  balance_after: number;
  note: string | null;
  created_at: Date;
}

/** The entries of one reference (a task id or an order id), oldest first. */
export async function entriesFor(reference: string, on?: Queryable): Promise<LedgerRow[]> {
  return select<LedgerRow>('SELECT id, user_id, kind, reference, delta, balance_after, note, created_at FROM quota_ledger WHERE reference = ? ORDER BY id', [reference], on);
}

export interface LedgerViolation {
  readonly rule: string;
  readonly subject: string;
  readonly detail: string;
}

/**
 * The invariants (reference/reliability.md §4.1): every cached balance equals its ledger sum
 * and is never negative; every reference has at most one of each kind; a confirm or release
 * needs a hold; no hold is both confirmed and released; every paid order (refunding and refunded
 * ones too) has exactly one grant, to its buyer, of its quota, and every grant is for such an order
 * (quota is only ever bought); every refunded order has exactly one refund entry (its buyer's, of
 * 0 to minus its quota) and no other order has one;
 * a finished task's hold is settled the way it ended (done → confirm, failed → release).
 * Each rule is one statement, so it reads one consistent snapshot even while orders are credited.
 * Empty means healthy.
 */
export async function ledgerViolations(on?: Queryable | PoolConnection): Promise<LedgerViolation[]> {
  const balances = await select<{ id: string; quota_balance: number; ledger_sum: string | number | null }>(
    `SELECT u.id, u.quota_balance, s.total AS ledger_sum
       FROM users u LEFT JOIN (SELECT user_id, SUM(delta) AS total FROM quota_ledger GROUP BY user_id) s ON s.user_id = u.id
      WHERE u.quota_balance <> COALESCE(s.total, 0) OR u.quota_balance < 0`,
    [],
    on,
  );
  const references = await select<{ reference: string; holds: string | number; confirms: string | number; releases: string | number; dupes: string | number }>(
    `SELECT reference,
            SUM(kind = 'hold') AS holds, SUM(kind = 'confirm') AS confirms, SUM(kind = 'release') AS releases,
            COUNT(*) - COUNT(DISTINCT kind) AS dupes
       FROM quota_ledger WHERE kind IN ('hold', 'confirm', 'release')
      GROUP BY reference
     HAVING holds <> 1 OR confirms + releases > 1 OR dupes > 0`,
    [],
    on,
  );
  // (reference, kind) is unique, so the join finds at most one grant per order.
  const paidOrders = await select<{ id: string; quota: number; grant_delta: number | null; grant_user: string | null; user_id: string }>(
    `SELECT o.id, o.user_id, o.quota, l.delta AS grant_delta, l.user_id AS grant_user
       FROM orders o LEFT JOIN quota_ledger l ON l.reference = o.id AND l.kind = 'grant'
      WHERE o.status IN ('paid', 'refunding', 'refunded') AND (l.id IS NULL OR l.delta <> o.quota OR l.user_id <> o.user_id)`,
    [],
    on,
  );
  const grants = await select<{ reference: string; user_id: string; status: string | null }>(
    `SELECT l.reference, l.user_id, o.status
       FROM quota_ledger l LEFT JOIN orders o ON o.id = l.reference
      WHERE l.kind = 'grant' AND (o.id IS NULL OR o.status NOT IN ('paid', 'refunding', 'refunded'))`,
    [],
    on,
  );
  // A refunded order has its one refund entry, by its buyer, taking at most the order's quota; no other order has one.
  const refundedOrders = await select<{ id: string; user_id: string; quota: number; refund_delta: number | null; refund_user: string | null }>(
    `SELECT o.id, o.user_id, o.quota, l.delta AS refund_delta, l.user_id AS refund_user
       FROM orders o LEFT JOIN quota_ledger l ON l.reference = o.id AND l.kind = 'refund'
      WHERE o.status = 'refunded' AND (l.id IS NULL OR l.delta > 0 OR l.delta < -CAST(o.quota AS SIGNED) OR l.user_id <> o.user_id)`,
    [],
    on,
  );
  const refunds = await select<{ reference: string; user_id: string; status: string | null }>(
    `SELECT l.reference, l.user_id, o.status
       FROM quota_ledger l LEFT JOIN orders o ON o.id = l.reference
      WHERE l.kind = 'refund' AND (o.id IS NULL OR o.status <> 'refunded')`,
    [],
    on,
  );
  const tasks = await select<{ id: string; status: string; resolution: string | null }>(
    `SELECT t.id, t.status, r.kind AS resolution
       FROM tasks t
       JOIN quota_ledger h ON h.reference = t.id AND h.kind = 'hold'
       LEFT JOIN quota_ledger r ON r.reference = t.id AND r.kind IN ('confirm', 'release')
      WHERE (t.status = 'processing' AND r.id IS NOT NULL)
         OR (t.status = 'done' AND (r.kind IS NULL OR r.kind <> 'confirm'))
         OR (t.status NOT IN ('processing', 'done') AND (r.kind IS NULL OR r.kind <> 'release'))`,
    [],
    on,
  );
  return [
    ...balances.map((row) => ({ rule: 'balance = ledger sum, never negative', subject: row.id, detail: `cached ${row.quota_balance}, ledger ${row.ledger_sum ?? 0}` })),
    ...references.map((row) => ({
      rule: 'one hold, at most one resolution',
      subject: row.reference,
      detail: `holds ${row.holds}, confirms ${row.confirms}, releases ${row.releases}, duplicates ${row.dupes}`,
    })),
    ...paidOrders.map((row) => ({
      rule: 'a paid order has one grant of its quota to its buyer',
      subject: row.id,
      detail: row.grant_delta === null ? 'no grant' : `grant ${row.grant_delta} to ${row.grant_user ?? '?'}, order quota ${row.quota} for ${row.user_id}`,
    })),
    ...grants.map((row) => ({
      rule: 'a grant is for a paid order',
      subject: row.reference,
      detail: row.status === null ? `no order (user ${row.user_id})` : `order is ${row.status} (user ${row.user_id})`,
    })),
    ...refundedOrders.map((row) => ({
      rule: 'a refunded order has one refund entry of at most its quota, by its buyer',
      subject: row.id,
      detail: row.refund_delta === null ? 'no refund entry' : `refund ${row.refund_delta} by ${row.refund_user ?? '?'}, order quota ${row.quota} for ${row.user_id}`,
    })),
    ...refunds.map((row) => ({
      rule: 'a refund entry is for a refunded order',
      subject: row.reference,
      detail: row.status === null ? `no order (user ${row.user_id})` : `order is ${row.status} (user ${row.user_id})`,
    })),
    ...tasks.map((row) => ({ rule: 'a task is settled the way it ended', subject: row.id, detail: `task ${row.status}, hold resolved by ${row.resolution ?? 'nothing'}` })),
  ];
}

// GET /quota/transactions and GET /quota/statistics: each one statement that also returns the
// caller's session and membership columns (the session check and expiry-on-read need them).

/** The user columns the wallet reads beside its data. */
export interface WalletUserColumns {
  readonly token_version: number;
  readonly role: Role;
  readonly quota_balance: number;
  readonly member_expires_at: Date | null;
  readonly quota_expired_through: Date | null;
}

const walletUserColumns =
  'u.token_version AS u_token_version, u.role AS u_role, u.quota_balance AS u_quota_balance, u.member_expires_at AS u_member_expires_at, u.quota_expired_through AS u_quota_expired_through';

function walletUserOf(row: Record<string, unknown>): WalletUserColumns {
  return {
    token_version: Number(row.u_token_version),
    role: row.u_role as Role,
    quota_balance: Number(row.u_quota_balance),
    member_expires_at: (row.u_member_expires_at as Date | null) ?? null,
    quota_expired_through: (row.u_quota_expired_through as Date | null) ?? null,
  };
}

export interface LedgerPageQuery {
  readonly userId: string;
  /** Rows to read; the caller asks for one more than it shows. */
  readonly limit: number;
  /** Keyset position: only entries with a smaller id (the list is id DESC). */
  readonly beforeId: number | undefined;
}

/**
 * The caller's user columns and one page of their ledger, newest first, in one statement. The
 * order is the id: quota_ledger_post (migration 009) locks the user's row before the id is taken
 * and holds it to commit, so one user's ids follow the order their entries were posted in, and
 * each balance_after is the one before it plus its delta. The page is read from idx_ledger_user
 * (user_id, id) in index order, `limit` entries at any depth; ties in created_at do not matter.
 * Undefined when the user is gone.
 */
export async function selectLedgerPage(query: LedgerPageQuery): Promise<{ user: WalletUserColumns; rows: LedgerRow[] } | undefined> {
  const rows = await select<Record<string, unknown>>(
    `SELECT ${walletUserColumns}, l.id, l.user_id, l.kind, l.reference, l.delta, l.balance_after, l.note, l.created_at
       FROM users u
       LEFT JOIN (SELECT id, user_id, kind, reference, delta, balance_after, note, created_at
                    FROM quota_ledger FORCE INDEX (idx_ledger_user)
                   WHERE user_id = ? ${query.beforeId === undefined ? '' : 'AND id < ?'}
                   ORDER BY id DESC LIMIT ?) l ON TRUE
      WHERE u.id = ?`,
    [query.userId, ...(query.beforeId === undefined ? [] : [query.beforeId]), query.limit, query.userId],
  );
  const first = rows[0];
  if (!first) return undefined;
  const entries = rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      id: Number(row.id),
      user_id: row.user_id as string,
      kind: row.kind as LedgerKind,
      reference: row.reference as string,
      delta: Number(row.delta),
      balance_after: Number(row.balance_after),
      note: (row.note as string | null) ?? null,
      created_at: row.created_at as Date,
    }))
    .sort((a, b) => b.id - a.id);
  return { user: walletUserOf(first), rows: entries };
}

/** One month's ledger totals (UTC, `YYYY-MM`); `month` null holds every entry older than the window. */
export interface LedgerMonthTotals {
  readonly month: string | null;
  /** Quota bought (grants). */
  readonly granted: number;
  /** Units reserved by tasks (holds). */
  readonly held: number;
  /** Holds settled as used (confirms). */
  readonly confirmed: number;
  /** Quota given back by failed tasks (releases' deltas). */
  readonly returned: number;
  /** Releases of 0: the task failed after the membership lapsed, so its unit lapsed with it. */
  readonly lapsedReleases: number;
  /** Holds settled either way (confirms and releases). */
  readonly settled: number;
  /** Quota zeroed by lapsed memberships (expire entries, as a positive number). */
  readonly expired: number;
  /** Quota taken back by refunds (refund entries, as a positive number). */
  readonly refunded: number;
}

/**
 * The caller's user columns and their ledger summed per month since `since` (one bucket for
 * everything older), by conditional aggregation in one statement over idx_ledger_user.
 * Undefined when the user is gone.
 */
export async function selectLedgerTotals(userId: string, since: Date): Promise<{ user: WalletUserColumns; months: LedgerMonthTotals[] } | undefined> {
  const rows = await select<Record<string, unknown>>(
    `SELECT ${walletUserColumns}, s.*
       FROM users u
       LEFT JOIN (SELECT IF(created_at >= ?, DATE_FORMAT(created_at, '%Y-%m'), NULL) AS month, COUNT(*) AS entries,
                         SUM(IF(kind = 'grant', delta, 0)) AS granted,
                         SUM(kind = 'hold') AS held,
                         SUM(kind = 'confirm') AS confirmed,
                         SUM(IF(kind = 'release', delta, 0)) AS returned,
                         SUM(kind = 'release' AND delta = 0) AS lapsed_releases,
                         SUM(kind IN ('confirm', 'release')) AS settled,
                         -SUM(IF(kind = 'expire', delta, 0)) AS expired,
                         -SUM(IF(kind = 'refund', delta, 0)) AS refunded
                    FROM quota_ledger FORCE INDEX (idx_ledger_user)
                   WHERE user_id = ?
                   GROUP BY month) s ON TRUE
      WHERE u.id = ?`,
    [since, userId, userId],
  );
  const first = rows[0];
  if (!first) return undefined;
  const months = rows
    .filter((row) => row.entries !== null)
    .map((row) => ({
      month: (row.month as string | null) ?? null,
      granted: Number(row.granted),
      held: Number(row.held),
      confirmed: Number(row.confirmed),
      returned: Number(row.returned),
      lapsedReleases: Number(row.lapsed_releases),
      settled: Number(row.settled),
      expired: Number(row.expired),
      refunded: Number(row.refunded),
    }));
  return { user: walletUserOf(first), months };
}
