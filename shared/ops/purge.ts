import { execute } from '../db/pool';

/**
 * Deletes rows nothing reads any more, a bounded number per statement so no statement holds locks
 * for long: login codes PURGE_AFTER_HOURS after they expired (kept that long so support can see
 * whether a code was sent), rate-limit logs whose newest hit has left its window (such a row counts
 * nothing), and sweeper claims that lapsed an hour ago.
 */
export type PurgeBatchResult = {
  readonly done: boolean;
  readonly otpCodes: number;
  readonly rateLimits: number;
  readonly claims: number;
};

export async function purgeExpired(batchSize: number, purgeAfterHours: number): Promise<PurgeBatchResult> {
  const otp = await execute('DELETE FROM otp_codes WHERE expires_at < NOW(3) - INTERVAL ? HOUR ORDER BY expires_at LIMIT ?', [purgeAfterHours, batchSize]);
  const limits = await execute('DELETE FROM rate_limit_logs WHERE expires_at < NOW(3) ORDER BY expires_at LIMIT ?', [batchSize]);
  const claims = await execute('DELETE FROM sweep_claims WHERE claimed_until < NOW(3) - INTERVAL 1 HOUR ORDER BY claimed_until LIMIT ?', [batchSize]);
  const counts = { otpCodes: otp.affectedRows, rateLimits: limits.affectedRows, claims: claims.affectedRows };
  return { done: Object.values(counts).every((count) => count < batchSize), ...counts };
}
