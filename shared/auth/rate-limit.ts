import { execute, type Queryable } from '../db/pool';
import { RateLimitedError } from '../errors';

/**
 * Fixed-window counters in MySQL: one upsert per check, no Redis. The window is at most `limit`
 * hits per `windowSeconds` (up to twice that across a window edge, which is fine for abuse limits).
 */
export async function hitRateLimit(bucket: string, limit: number, windowSeconds: number, now = Date.now(), on?: Queryable): Promise<void> {
  const nowSeconds = Math.floor(now / 1000);
  const windowStart = nowSeconds - (nowSeconds % windowSeconds);
  const expiresAt = new Date((windowStart + windowSeconds) * 1000);
  // LAST_INSERT_ID(expr) hands the new count back in insertId: one round trip, no race.
  const result = await execute(
    `INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES (?, ?, LAST_INSERT_ID(1), ?)
     ON DUPLICATE KEY UPDATE hits = LAST_INSERT_ID(hits + 1)`,
    [bucket, windowStart, expiresAt],
    on,
  );
  if (result.insertId > limit) throw new RateLimitedError(windowStart + windowSeconds - nowSeconds);
}
