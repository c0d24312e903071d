import type { PoolConnection } from 'mysql2/promise';
import { execute, select, type Queryable } from '../pool';

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
