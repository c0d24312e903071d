import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import { execute, select } from '../db/pool';
import { InvalidCodeError, RateLimitedError } from '../errors';
import type { SmsSender } from '../vendors/sms';
import { hitRateLimit } from './rate-limit';

/**
 * Phone login codes (rules: DESIGN.md "Identity and access", reference/reliability.md §1.5):
 * 6 digits from a CSPRNG, stored only as an HMAC, valid OTP_TTL_SECONDS, at most
 * OTP_MAX_ATTEMPTS tries, single use. A new code supersedes the previous one.
 */
type OtpSettings = Pick<
  Config,
  'OTP_PEPPER' | 'OTP_TTL_SECONDS' | 'OTP_MAX_ATTEMPTS' | 'SMS_RESEND_GAP_SECONDS' | 'SMS_DAILY_CAP_PER_PHONE' | 'SMS_RATE_PER_PHONE_PER_MINUTE' | 'SMS_RATE_PER_IP_PER_HOUR'
>;

const codeHash = (settings: OtpSettings, phone: string, code: string): Buffer => createHmac('sha256', settings.OTP_PEPPER).update(`${phone}:${code}`).digest();

/** Consumes the phone's current code if `code` matches; throws InvalidCodeError otherwise. */
export async function verifyLoginCode(settings: OtpSettings, phone: string, code: string): Promise<void> {
  const [current] = await select<{ id: number | string; code_hash: Buffer }>(
    `SELECT id, code_hash FROM otp_codes
      WHERE phone = ? AND consumed_at IS NULL AND expires_at > NOW(3)
      ORDER BY id DESC LIMIT 1`,
    [phone],
  );
  if (!current) throw new InvalidCodeError();
  // Count the try before comparing, so the limit holds even for the right code.
  const counted = await execute(
    'UPDATE otp_codes SET attempts = attempts + 1 WHERE id = ? AND consumed_at IS NULL AND expires_at > NOW(3) AND attempts < ?',
    [current.id, settings.OTP_MAX_ATTEMPTS],
  );
  if (counted.affectedRows !== 1) throw new InvalidCodeError();
  if (!timingSafeEqual(codeHash(settings, phone, code), current.code_hash)) throw new InvalidCodeError();
  // Single use: of two concurrent logins with one code, only one flips consumed_at.
  const consumed = await execute('UPDATE otp_codes SET consumed_at = NOW(3) WHERE id = ? AND consumed_at IS NULL', [current.id]);
  if (consumed.affectedRows !== 1) throw new InvalidCodeError();
}

/** Sends login codes; answers the same way whether or not the phone has an account. */
export interface LoginCodeSender {
  sendCode(phone: string, clientIp: string): Promise<{ expireIn: number }>;
}

export function loginCodeSender(settings: OtpSettings, sms: SmsSender): LoginCodeSender {

  async function enforceSendLimits(phone: string, clientIp: string): Promise<void> {
    await hitRateLimit(`sms-ip:${clientIp}`, settings.SMS_RATE_PER_IP_PER_HOUR, 3600);
    await hitRateLimit(`sms-phone:${phone}`, settings.SMS_RATE_PER_PHONE_PER_MINUTE, 60);
    if (settings.SMS_RESEND_GAP_SECONDS > 0) {
      const [last] = await select<{ wait: number | string }>(
        `SELECT TIMESTAMPDIFF(MICROSECOND, NOW(3), created_at + INTERVAL ? SECOND) / 1000000 AS wait
           FROM otp_codes WHERE phone = ? ORDER BY id DESC LIMIT 1`,
        [settings.SMS_RESEND_GAP_SECONDS, phone],
      );
      const wait = Number(last?.wait ?? 0);
      if (wait > 0) throw new RateLimitedError(wait);
    }
    await hitRateLimit(`sms-day:${phone}`, settings.SMS_DAILY_CAP_PER_PHONE, 86_400);
  }

  return {
    async sendCode(phone, clientIp) {
      await enforceSendLimits(phone, clientIp);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await execute('UPDATE otp_codes SET consumed_at = NOW(3) WHERE phone = ? AND consumed_at IS NULL', [phone]);
      const inserted = await execute(
        'INSERT INTO otp_codes (phone, code_hash, expires_at, request_ip) VALUES (?, ?, NOW(3) + INTERVAL ? SECOND, ?)',
        [phone, codeHash(settings, phone, code), settings.OTP_TTL_SECONDS, clientIp],
      );
      try {
        await sms.sendLoginCode(phone, code, Math.ceil(settings.OTP_TTL_SECONDS / 60));
      } catch (error) {
        // A code nobody received must not stay usable.
        await execute('UPDATE otp_codes SET consumed_at = NOW(3) WHERE id = ?', [inserted.insertId]);
        throw error;
      }
      return { expireIn: settings.OTP_TTL_SECONDS };
    },
  };
}
