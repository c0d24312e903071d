import type { PoolConnection } from 'mysql2/promise';
import { execute, type Queryable } from '../pool';

/**
 * Short-lived claims (table sweep_claims) for work the sweeper must do outside a transaction — the
 * last RunningHub check of an overdue task — so an overlapping or retried run skips it instead of calling the vendor twice.
 * A claim is written inside the transaction that locked the subject's row with FOR UPDATE SKIP
 * LOCKED, so two runs cannot claim the same subject; it lapses by itself after CLAIM_SECONDS.
 * Claims only prevent duplicate vendor calls: the outcome is still decided by a conditional UPDATE.
 */
// Shorter than one sweeper period (1 minute, shared/routes.ts): a run that died holding claims
// delays those tasks by one run at most (bounded settlement, shared/tasks/lifecycle.ts).
export const CLAIM_SECONDS = 50;

/** Only overdue tasks so far; orders are claimed on their own row (orders.last_queried_at, shared/payments). */
export type ClaimKind = 'task';

export async function claim(connection: PoolConnection, kind: ClaimKind, subjects: readonly string[], seconds = CLAIM_SECONDS): Promise<void> {
  if (subjects.length === 0) return;
  await execute(
    `INSERT INTO sweep_claims (kind, subject, claimed_until) VALUES ${subjects.map(() => '(?, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND)').join(', ')}
     ON DUPLICATE KEY UPDATE claimed_until = VALUES(claimed_until)`,
    subjects.flatMap((subject) => [kind, subject, seconds]),
    connection,
  );
}

/** Drops a claim once its subject is settled, so the table stays small. */
export async function releaseClaim(kind: ClaimKind, subject: string, on?: Queryable): Promise<void> {
  await execute('DELETE FROM sweep_claims WHERE kind = ? AND subject = ?', [kind, subject], on);
}

/** Deletes up to `limit` claims that lapsed over an hour ago (nothing reads them), oldest first; answers how many. */
export async function purgeLapsedClaims(limit: number): Promise<number> {
  const result = await execute('DELETE FROM sweep_claims WHERE claimed_until < UTC_TIMESTAMP(3) - INTERVAL 1 HOUR ORDER BY claimed_until LIMIT ?', [limit]);
  return result.affectedRows;
}
