import { execute, select, type Queryable } from '../pool';

/**
 * Rows of `otp_codes` (migration 001) and every statement on that table. The rules (code format,
 * HMAC, limits) are in shared/auth/otp.ts. A code is usable while consumed_at is NULL and
 * expires_at is ahead; every state change is one conditional UPDATE, so concurrent logins agree.
 */
export interface OtpCodeRow {
  /** BIGINT: mysql2 hands it back as a string (bigNumberStrings) or a number. */
  id: number | string;
  phone: string;
  /** HMAC of phone and code; the code itself is never stored. */
  code_hash: Buffer;
  attempts: number;
  expires_at: Date;
  consumed_at: Date | null;
  request_ip: string;
  created_at: Date;
}

/** The phone's newest usable code (a new code supersedes the older ones). */
export async function findCurrentCode(phone: string): Promise<Pick<OtpCodeRow, 'id' | 'code_hash'> | undefined> {
  const [current] = await select<Pick<OtpCodeRow, 'id' | 'code_hash'>>(
    `SELECT id, code_hash FROM otp_codes
      WHERE phone = ? AND consumed_at IS NULL AND expires_at > UTC_TIMESTAMP(3)
      ORDER BY id DESC LIMIT 1`,
    [phone],
  );
  return current;
}

/** Counts one try on a usable code; false when it is used up (or consumed or expired meanwhile). */
export async function countAttempt(id: OtpCodeRow['id'], maxAttempts: number): Promise<boolean> {
  const counted = await execute(
    'UPDATE otp_codes SET attempts = attempts + 1 WHERE id = ? AND consumed_at IS NULL AND expires_at > UTC_TIMESTAMP(3) AND attempts < ?',
    [id, maxAttempts],
  );
  return counted.affectedRows === 1;
}

/** Consumes a code once: of two concurrent callers, only one gets true. */
export async function consumeCode(id: OtpCodeRow['id']): Promise<boolean> {
  const consumed = await execute('UPDATE otp_codes SET consumed_at = UTC_TIMESTAMP(3) WHERE id = ? AND consumed_at IS NULL', [id]);
  return consumed.affectedRows === 1;
}

/** Seconds (fractional, on the database's clock) until `gapSeconds` have passed since the phone's last code; ≤ 0 when they have. */
export async function secondsUntilResend(phone: string, gapSeconds: number, on?: Queryable): Promise<number> {
  const [last] = await select<{ wait: number | string }>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), created_at + INTERVAL ? SECOND) / 1000000 AS wait
           FROM otp_codes WHERE phone = ? ORDER BY id DESC LIMIT 1`,
    [gapSeconds, phone],
    on,
  );
  return Number(last?.wait ?? 0);
}

/** Consumes every usable code of the phone, before a new one is stored. */
export async function consumeCodesOfPhone(phone: string, on?: Queryable): Promise<void> {
  await execute('UPDATE otp_codes SET consumed_at = UTC_TIMESTAMP(3) WHERE phone = ? AND consumed_at IS NULL', [phone], on);
}

/** Stores a new code's HMAC, valid `ttlSeconds` on the database's clock; answers its id. */
export async function insertCode(phone: string, codeHash: Buffer, ttlSeconds: number, requestIp: string, on?: Queryable): Promise<OtpCodeRow['id']> {
  const inserted = await execute('INSERT INTO otp_codes (phone, code_hash, expires_at, request_ip) VALUES (?, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND, ?)', [
    phone,
    codeHash,
    ttlSeconds,
    requestIp,
  ], on);
  return inserted.insertId;
}

/** Makes a code unusable whatever its state (its SMS was never delivered). */
export async function voidCode(id: OtpCodeRow['id']): Promise<void> {
  await execute('UPDATE otp_codes SET consumed_at = UTC_TIMESTAMP(3) WHERE id = ?', [id]);
}

/**
 * Deletes up to `limit` codes that expired more than `afterHours` ago (kept that long so support can
 * see whether a code was sent), oldest first; answers how many.
 */
export async function purgeExpiredCodes(afterHours: number, limit: number): Promise<number> {
  const result = await execute('DELETE FROM otp_codes WHERE expires_at < UTC_TIMESTAMP(3) - INTERVAL ? HOUR ORDER BY expires_at LIMIT ?', [afterHours, limit]);
  return result.affectedRows;
}

/** Forgets every login code: only `npm run dev` calls it, on POST /_sandbox/reset (the sandbox forgets its SMS too). */
export async function deleteAllCodes(): Promise<void> {
  await execute('DELETE FROM otp_codes');
}
