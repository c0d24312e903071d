import { purgeExpiredCodes } from '../db/repositories/otp-codes';
import { purgeExpiredLogs } from '../db/repositories/rate-limit-logs';
import { purgeExpiredRefreshTokens } from '../db/repositories/refresh-tokens';
import { purgeLapsedClaims } from '../db/repositories/sweep-claims';

/**
 * Deletes rows nothing reads any more, a bounded number per statement so no statement holds locks
 * for long: login codes PURGE_AFTER_HOURS after they expired (kept that long so support can see
 * whether a code was sent), rate-limit logs whose newest hit has left its window (such a row counts
 * nothing), sweeper claims that lapsed an hour ago, and refresh tokens PURGE_AFTER_HOURS after they
 * expired (until then a retired one must still be recognised as reuse, ADR 0015). The statements are
 * in each table's repository.
 */
export type PurgeBatchResult = {
  readonly done: boolean;
  readonly otpCodes: number;
  readonly rateLimits: number;
  readonly claims: number;
  readonly refreshTokens: number;
};

export async function purgeExpired(batchSize: number, purgeAfterHours: number): Promise<PurgeBatchResult> {
  const otpCodes = await purgeExpiredCodes(purgeAfterHours, batchSize);
  const rateLimits = await purgeExpiredLogs(batchSize);
  const claims = await purgeLapsedClaims(batchSize);
  const refreshTokens = await purgeExpiredRefreshTokens(purgeAfterHours, batchSize);
  const counts = { otpCodes, rateLimits, claims, refreshTokens };
  return { done: Object.values(counts).every((count) => count < batchSize), ...counts };
}
