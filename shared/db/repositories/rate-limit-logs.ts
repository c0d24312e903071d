import type { PoolConnection } from 'mysql2/promise';
import { execute, select } from '../pool';

/**
 * Rows of `rate_limit_logs` (migration 007) and every statement on that table: one row per bucket
 * with its accepted hits. The sliding-log rule is in shared/auth/rate-limit.ts.
 */
export interface RateLimitLogRow {
  bucket: string;
  /** Comma-separated epoch milliseconds; at most `limit` entries survive each write. */
  hits: string;
  /** When the newest hit leaves its window: from then on the row counts nothing. */
  expires_at: Date;
}

/**
 * Locks the bucket's row, creating it empty if missing, and reads its hits. An upsert takes the
 * row's exclusive lock even when the row is new (a plain SELECT … FOR UPDATE of a missing row would
 * only lock a gap, and two such transactions deadlock); the SELECT then reads it under that lock.
 */
export async function lockBucket(connection: PoolConnection, bucket: string, now: Date): Promise<string | undefined> {
  await execute(
    `INSERT INTO rate_limit_logs (bucket, hits, expires_at) VALUES (?, '', ?)
       ON DUPLICATE KEY UPDATE bucket = bucket`,
    [bucket, now],
    connection,
  );
  const [row] = await select<Pick<RateLimitLogRow, 'hits'>>('SELECT hits FROM rate_limit_logs WHERE bucket = ? FOR UPDATE', [bucket], connection);
  return row?.hits;
}

export async function saveHits(connection: PoolConnection, bucket: string, hits: string, expiresAt: Date): Promise<void> {
  await execute('UPDATE rate_limit_logs SET hits = ?, expires_at = ? WHERE bucket = ?', [hits, expiresAt, bucket], connection);
}

/** Deletes up to `limit` rows whose newest hit has left its window (such a row counts nothing); answers how many. */
export async function purgeExpiredLogs(limit: number): Promise<number> {
  const result = await execute('DELETE FROM rate_limit_logs WHERE expires_at < UTC_TIMESTAMP(3) ORDER BY expires_at LIMIT ?', [limit]);
  return result.affectedRows;
}

/** Forgets every hit of every bucket: only `npm run dev` calls it, on POST /_sandbox/reset. */
export async function deleteAllLogs(): Promise<void> {
  await execute('DELETE FROM rate_limit_logs');
}

/** The bucket's stored hits without locking or recording anything (undefined when it has none). */
export async function readHits(bucket: string): Promise<string | undefined> {
  const [row] = await select<Pick<RateLimitLogRow, 'hits'>>('SELECT hits FROM rate_limit_logs WHERE bucket = ?', [bucket]);
  return row?.hits;
}
