import type { PoolConnection } from 'mysql2/promise';
import { withTransaction } from '../db/pool';
import { lockBucket, saveHits } from '../db/repositories/rate-limit-logs';
import { RateLimitedError } from '../errors';

/**
 * Sliding-log limits in MySQL, no Redis (docs/decisions/0004): at most `limit` hits are accepted
 * in ANY `windowSeconds`-long interval, not per calendar window. Each key's row is locked for the
 * check, so concurrent requests on one key are counted one at a time. Rejected hits are not
 * recorded: a client that keeps retrying gets in again once its oldest accepted hit ages out.
 * Times come from this instance's clock (`now`), which tests may set.
 */
export async function hitRateLimit(bucket: string, limit: number, windowSeconds: number, now = Date.now()): Promise<void> {
  await withTransaction((connection) => countHit(connection, bucket, limit, windowSeconds, now));
}

/** hitRateLimit inside a transaction the caller holds (the bucket's row stays locked until it commits). */
export async function countHit(connection: PoolConnection, bucket: string, limit: number, windowSeconds: number, now = Date.now()): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const recent = parseHits(await lockBucket(connection, bucket, new Date(now))).filter((at) => at > now - windowMs);
  if (recent.length >= limit) {
    // The request would pass once enough of the oldest accepted hits have left the window.
    const freedAt = (recent[recent.length - limit] ?? now) + windowMs;
    throw new RateLimitedError((freedAt - now) / 1000);
  }
  const kept = [...recent, now].sort((a, b) => a - b).slice(-limit);
  await saveHits(connection, bucket, kept.join(','), new Date(Math.max(...kept) + windowMs));
}

function parseHits(stored: string | undefined): number[] {
  if (!stored) return [];
  return stored
    .split(',')
    .map(Number)
    .filter((at) => Number.isFinite(at));
}
