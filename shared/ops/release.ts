import type { PoolConnection } from 'mysql2/promise';
import { execute, select } from '../db/pool';

/**
 * The ledger's `release` (shared/quota/ledger.ts) for many holds in one transaction: the same rule,
 * in four statements per batch instead of four per task, which is what lets the sweeper refund
 * thousands of tasks a second (docs/benchmarks.md). Same rule means: a hold is released only if it
 * exists and has no confirm or release yet; the release returns 1 to a member and 0 (noted
 * "membership lapsed") to a user whose membership has lapsed; every entry carries the balance after
 * it; the cached balance changes in the same transaction. The ledger's unique (reference, kind)
 * still refuses a second release whatever happens here. test/integration/sweeper.test.ts pins
 * this against `release` entry for entry. It belongs in shared/quota/ledger.ts as `releaseMany`;
 * it lives here only because that module is not this change's to edit.
 */
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

/** Releases the holds; returns the references released now (the others had none open). */
export async function releaseHolds(connection: PoolConnection, holds: readonly HoldToRelease[]): Promise<Set<string>> {
  if (holds.length === 0) return new Set();
  // Users first, in id order (the ledger locks the user row before anything else too).
  const userIds = [...new Set(holds.map((hold) => hold.userId))].sort();
  const users = await select<{ id: string; quota_balance: number; is_member: number }>(
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

  const byUser = new Map(users.map((user) => [user.id, { balance: user.quota_balance, member: Number(user.is_member) === 1, changed: false }]));
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
