import type { PoolConnection } from 'mysql2/promise';
import { execute, select, sqlFlag, type Queryable } from '../db/pool';
import { NotMemberError, QuotaExhaustedError } from '../errors';

/**
 * The quota ledger, modelled on two-phase transfers (reference/reliability.md §3.2): grant adds
 * quota, hold reserves 1 for a task, confirm settles it, release returns it, expire zeroes the
 * balance of a lapsed membership. Every function takes a connection inside the caller's
 * transaction, locks the user row first (so one user's ledger changes are serialised), writes
 * one entry unique per (reference, kind), and changes users.quota_balance in the same
 * transaction. Resolutions are idempotent: a second confirm or release reports `false`.
 */
export type LedgerKind = 'grant' | 'hold' | 'confirm' | 'release' | 'expire';

interface LockedUser {
  quota_balance: number;
  member_expires_at: Date | null;
  quota_expired_through: Date | null;
  is_member: boolean;
}

async function lockUser(connection: PoolConnection, userId: string): Promise<LockedUser> {
  const [user] = await select<Omit<LockedUser, 'is_member'> & { is_member: number | string }>(
    `SELECT quota_balance, member_expires_at, quota_expired_through,
            (member_expires_at IS NOT NULL AND member_expires_at > NOW(3)) AS is_member
       FROM users WHERE id = ? FOR UPDATE`,
    [userId],
    connection,
  );
  if (!user) throw new Error(`ledger: no user ${userId}`);
  return { ...user, is_member: sqlFlag(user.is_member) };
}

/** Kinds already written for a reference; a locking read, so it sees the latest commits. */
async function kindsFor(connection: PoolConnection, reference: string): Promise<Set<LedgerKind>> {
  const rows = await select<{ kind: LedgerKind }>('SELECT kind FROM quota_ledger WHERE reference = ? FOR UPDATE', [reference], connection);
  return new Set(rows.map((row) => row.kind));
}

async function append(connection: PoolConnection, userId: string, kind: LedgerKind, reference: string, delta: number, balanceBefore: number, note?: string): Promise<void> {
  const balanceAfter = balanceBefore + delta;
  await execute(
    'INSERT INTO quota_ledger (user_id, kind, reference, delta, balance_after, note) VALUES (?, ?, ?, ?, ?, ?)',
    [userId, kind, reference, delta, balanceAfter, note ?? null],
    connection,
  );
  if (delta !== 0) await execute('UPDATE users SET quota_balance = ? WHERE id = ?', [balanceAfter, userId], connection);
}

/**
 * Records the expiry of a lapsed membership once per membership period: the remaining balance
 * goes to zero with an `expire` entry. Returns true when it recorded one now.
 */
export async function expireIfLapsed(connection: PoolConnection, userId: string): Promise<boolean> {
  const user = await lockUser(connection, userId);
  const lapsedAt = user.member_expires_at;
  if (!lapsedAt || user.is_member) return false;
  if (user.quota_expired_through && user.quota_expired_through.getTime() >= lapsedAt.getTime()) return false;
  await append(connection, userId, 'expire', `expire:${userId}:${lapsedAt.getTime()}`, -user.quota_balance, user.quota_balance);
  await execute('UPDATE users SET quota_expired_through = member_expires_at WHERE id = ?', [userId], connection);
  return true;
}

/**
 * Grants quota for a paid order and extends the membership by `days` from the later of now and
 * the current expiry. A lapsed membership's leftover quota is expired first, never revived.
 * Returns false (and changes nothing) when this reference was already granted.
 */
export async function grantMembership(connection: PoolConnection, userId: string, reference: string, quota: number, days: number): Promise<boolean> {
  await expireIfLapsed(connection, userId);
  const user = await lockUser(connection, userId);
  if ((await kindsFor(connection, reference)).has('grant')) return false;
  await append(connection, userId, 'grant', reference, quota, user.quota_balance);
  await execute(
    `UPDATE users SET member_expires_at = GREATEST(COALESCE(member_expires_at, NOW(3)), NOW(3)) + INTERVAL ? DAY WHERE id = ?`,
    [days, userId],
    connection,
  );
  return true;
}

/**
 * Reserves 1 quota for `reference` (a task id). Not a member → 1002; no quota → 1003.
 * Returns 'already' when this reference holds already (idempotent task creation).
 */
export async function hold(connection: PoolConnection, userId: string, reference: string): Promise<'held' | 'already'> {
  const user = await lockUser(connection, userId);
  if ((await kindsFor(connection, reference)).has('hold')) return 'already';
  if (!user.is_member) throw new NotMemberError();
  if (user.quota_balance < 1) throw new QuotaExhaustedError();
  await append(connection, userId, 'hold', reference, -1, user.quota_balance);
  return 'held';
}

/** Settles the hold of a finished task. True when settled now, false when already resolved. */
export async function confirm(connection: PoolConnection, userId: string, reference: string): Promise<boolean> {
  const user = await lockUser(connection, userId);
  const kinds = await kindsFor(connection, reference);
  if (!kinds.has('hold') || kinds.has('confirm') || kinds.has('release')) return false;
  await append(connection, userId, 'confirm', reference, 0, user.quota_balance);
  return true;
}

/** Returns the hold of a failed task, exactly once. True when released now. */
export async function release(connection: PoolConnection, userId: string, reference: string): Promise<boolean> {
  return (await releaseMany(connection, [{ userId, reference }])).has(reference);
}

export interface HoldToRelease {
  readonly userId: string;
  /** The task id, which is the hold's ledger reference. */
  readonly reference: string;
}

/**
 * At most this many references per ledger lookup. From eq_range_index_dive_limit values (200 by
 * default in MySQL 8 and MariaDB) the optimizer estimates an IN list from index statistics instead
 * of looking, and with `reference` being only the first column of the unique key it then chose a
 * full index scan here (measured: 70 ms instead of 2 ms per batch, growing with the ledger).
 */
const LOOKUP_CHUNK = 100;

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/**
 * Returns the open holds of failed tasks, many in one transaction in four statements (the sweeper
 * refunds thousands a second this way). A hold is released only if it exists and has no confirm or
 * release yet; a member gets 1 back, a user whose membership lapsed gets 0 (noted), since the unit
 * expired with the membership. Returns the references released now.
 */
export async function releaseMany(connection: PoolConnection, holds: readonly HoldToRelease[]): Promise<Set<string>> {
  if (holds.length === 0) return new Set();
  // Users first, in id order (the ledger locks the user row before anything else too).
  const userIds = [...new Set(holds.map((hold) => hold.userId))].sort();
  const users = await select<{ id: string; quota_balance: number; is_member: number | string }>(
    `SELECT id, quota_balance, (member_expires_at IS NOT NULL AND member_expires_at > NOW(3)) AS is_member
       FROM users WHERE id IN (${placeholders(userIds.length)}) ORDER BY id FOR UPDATE`,
    userIds,
    connection,
  );
  const references = holds.map((hold) => hold.reference);
  const entries: { reference: string; kind: string }[] = [];
  for (let start = 0; start < references.length; start += LOOKUP_CHUNK) {
    const chunk = references.slice(start, start + LOOKUP_CHUNK);
    entries.push(
      ...(await select<{ reference: string; kind: string }>(
        `SELECT reference, kind FROM quota_ledger WHERE reference IN (${placeholders(chunk.length)}) FOR UPDATE`,
        chunk,
        connection,
      )),
    );
  }
  const kinds = new Map<string, Set<string>>();
  for (const entry of entries) kinds.set(entry.reference, (kinds.get(entry.reference) ?? new Set()).add(entry.kind));

  const byUser = new Map(users.map((user) => [user.id, { balance: user.quota_balance, member: sqlFlag(user.is_member), changed: false }]));
  const rows: (string | number | null)[][] = [];
  const released = new Set<string>();
  const ordered = [...holds].sort((a, b) => (a.userId === b.userId ? a.reference.localeCompare(b.reference) : a.userId.localeCompare(b.userId)));
  for (const hold of ordered) {
    const user = byUser.get(hold.userId);
    const seen = kinds.get(hold.reference);
    if (!user || !seen?.has('hold') || seen.has('confirm') || seen.has('release') || released.has(hold.reference)) continue;
    // A unit returned after its membership lapsed expires with it: recorded, but not spendable.
    const delta = user.member ? 1 : 0;
    user.balance += delta;
    user.changed ||= delta !== 0;
    rows.push([hold.userId, 'release', hold.reference, delta, user.balance, user.member ? null : 'membership lapsed']);
    released.add(hold.reference);
  }
  if (rows.length === 0) return released;

  await execute(`INSERT INTO quota_ledger (user_id, kind, reference, delta, balance_after, note) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flat(), connection);
  const changed = [...byUser.entries()].filter(([, user]) => user.changed);
  if (changed.length > 0) {
    await execute(
      `UPDATE users SET quota_balance = CASE id ${changed.map(() => 'WHEN ? THEN ?').join(' ')} END WHERE id IN (${placeholders(changed.length)})`,
      [...changed.flatMap(([id, user]) => [id, user.balance]), ...changed.map(([id]) => id)],
      connection,
    );
  }
  return released;
}


export interface LedgerViolation {
  readonly rule: string;
  readonly subject: string;
  readonly detail: string;
}

/**
 * The invariants (reference/reliability.md §4.1): every cached balance equals its ledger sum
 * and is never negative; every reference has at most one of each kind; a confirm or release
 * needs a hold; no hold is both confirmed and released; every paid order has exactly one grant,
 * to its buyer, of its quota, and every grant is for a paid order (quota is only ever bought).
 * Each rule is one statement, so it reads one consistent snapshot even while orders are credited.
 * Empty means healthy.
 */
export async function checkLedgerInvariants(on?: Queryable): Promise<LedgerViolation[]> {
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
      WHERE o.status = 'paid' AND (l.id IS NULL OR l.delta <> o.quota OR l.user_id <> o.user_id)`,
    [],
    on,
  );
  const grants = await select<{ reference: string; user_id: string; status: string | null }>(
    `SELECT l.reference, l.user_id, o.status
       FROM quota_ledger l LEFT JOIN orders o ON o.id = l.reference
      WHERE l.kind = 'grant' AND (o.id IS NULL OR o.status <> 'paid')`,
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
  ];
}
