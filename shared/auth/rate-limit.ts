import { execute, select, withTransaction } from '../db/pool';
import { RateLimitedError } from '../errors';

/**
 * Sliding-log limits in MySQL, no Redis (docs/decisions/0004): at most `limit` hits are accepted
 * in ANY `windowSeconds`-long interval, not per calendar window. Each key's row is locked for the
 * check, so concurrent requests on one key are counted one at a time. Rejected hits are not
 * recorded: a client that keeps retrying gets in again once its oldest accepted hit ages out.
 * Times come from this instance's clock (`now`), which tests may set.
 */
export async function hitRateLimit(bucket: string, limit: number, windowSeconds: number, now = Date.now()): Promise<void> {
  const windowMs = windowSeconds * 1000;
  await withTransaction(async (connection) => {
    // An upsert takes the row's exclusive lock even when the row is new (a plain SELECT … FOR
    // UPDATE of a missing row would only lock a gap, and two such transactions deadlock).
    await execute(
      `INSERT INTO rate_limit_logs (bucket, hits, expires_at) VALUES (?, '', ?)
       ON DUPLICATE KEY UPDATE bucket = bucket`,
      [bucket, new Date(now)],
      connection,
    );
    const [row] = await select<{ hits: string }>('SELECT hits FROM rate_limit_logs WHERE bucket = ? FOR UPDATE', [bucket], connection);
    const recent = parseHits(row?.hits).filter((at) => at > now - windowMs);
    if (recent.length >= limit) {
      // The request would pass once enough of the oldest accepted hits have left the window.
      const freedAt = (recent[recent.length - limit] ?? now) + windowMs;
      throw new RateLimitedError((freedAt - now) / 1000);
    }
    const kept = [...recent, now].sort((a, b) => a - b).slice(-limit);
    await execute('UPDATE rate_limit_logs SET hits = ?, expires_at = ? WHERE bucket = ?', [kept.join(','), new Date(Math.max(...kept) + windowMs), bucket], connection);
  });
}

function parseHits(stored: string | undefined): number[] {
  if (!stored) return [];
  return stored
    .split(',')
    .map(Number)
    .filter((at) => Number.isFinite(at));
}
