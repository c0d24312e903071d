import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import { withTransaction } from '../db/pool';
import { consumeCode, consumeCodesOfPhone, countAttempt, findCurrentCode, insertCode, secondsUntilResend, voidCode } from '../db/repositories/otp-codes';
import { lockBucket } from '../db/repositories/rate-limit-logs';
import { InvalidCodeError, RateLimitedError } from '../errors';
import type { SmsSender } from '../vendors/sms';
import { ipSendBucket, type CaptchaProof } from './captcha';
import { countHit, hitRateLimit } from './rate-limit';

/**
 * Phone login codes (rules: DESIGN.md "Identity and access", reference/reliability.md §1.5):
 * 6 digits from a CSPRNG, stored only as an HMAC, valid OTP_TTL_SECONDS, at most
 * OTP_MAX_ATTEMPTS tries, single use. A new code supersedes the previous one. The rows and
 * statements live in shared/db/repositories/otp-codes.ts.
 */
type OtpSettings = Pick<
  Config,
  'OTP_PEPPER' | 'OTP_TTL_SECONDS' | 'OTP_MAX_ATTEMPTS' | 'SMS_RESEND_GAP_SECONDS' | 'SMS_DAILY_CAP_PER_PHONE' | 'SMS_RATE_PER_PHONE_PER_MINUTE' | 'SMS_RATE_PER_IP_PER_HOUR'
>;

const codeHash = (settings: OtpSettings, phone: string, code: string): Buffer => createHmac('sha256', settings.OTP_PEPPER).update(`${phone}:${code}`).digest();

/** Consumes the phone's current code if `code` matches; throws InvalidCodeError otherwise. */
export async function verifyLoginCode(settings: OtpSettings, phone: string, code: string): Promise<void> {
  const current = await findCurrentCode(phone);
  if (!current) throw new InvalidCodeError();
  // Count the try before comparing, so the limit holds even for the right code.
  if (!(await countAttempt(current.id, settings.OTP_MAX_ATTEMPTS))) throw new InvalidCodeError();
  if (!timingSafeEqual(codeHash(settings, phone, code), current.code_hash)) throw new InvalidCodeError();
  // Single use: of two concurrent logins with one code, only one flips consumed_at.
  if (!(await consumeCode(current.id))) throw new InvalidCodeError();
}

/** Sends login codes; answers the same way whether or not the phone has an account. */
export interface LoginCodeSender {
  /** `proof`: the captcha answer, needed only when the address is past CAPTCHA_AFTER_SENDS_PER_IP_HOUR. */
  sendCode(phone: string, clientIp: string, proof?: CaptchaProof): Promise<{ expireIn: number }>;
}

/** Checks the captcha when one is needed (shared/auth/captcha.ts); throws when it is missing or refused. */
export type CaptchaCheck = (clientIp: string, proof: CaptchaProof) => Promise<void>;

const noCaptcha: CaptchaCheck = async () => undefined;

export function loginCodeSender(settings: OtpSettings, sms: SmsSender, checkCaptcha: CaptchaCheck = noCaptcha): LoginCodeSender {
  /**
   * Decides, one request at a time per phone, whether a new code may go out, and stores it. The
   * phone's own lock row (rate_limit_logs, bucket `sms-send:<phone>`) is held from the resend-gap
   * check to the new code's insert, so of 50 concurrent requests for one phone exactly one passes
   * the gap and sends; the others wait their turn, then see its code and get 429. The daily cap is
   * counted only for a request that passed the gap, so bursts cannot burn it faster than the gap allows.
   */
  async function storeNewCode(phone: string, codeHash: Buffer, clientIp: string): ReturnType<typeof insertCode> {
    return withTransaction(
      async (connection) => {
        await lockBucket(connection, `sms-send:${phone}`, new Date());
        if (settings.SMS_RESEND_GAP_SECONDS > 0) {
          const wait = await secondsUntilResend(phone, settings.SMS_RESEND_GAP_SECONDS, connection);
          if (wait > 0) throw new RateLimitedError(wait);
        }
        await countHit(connection, `sms-day:${phone}`, settings.SMS_DAILY_CAP_PER_PHONE, 86_400);
        await consumeCodesOfPhone(phone, connection);
        return insertCode(phone, codeHash, settings.OTP_TTL_SECONDS, clientIp, connection);
      },
      // Reads after the lock must see the previous holder's committed code.
      { isolation: 'READ COMMITTED' },
    );
  }

  return {
    async sendCode(phone, clientIp, proof = {}) {
      await checkCaptcha(clientIp, proof);
      await hitRateLimit(ipSendBucket(clientIp), settings.SMS_RATE_PER_IP_PER_HOUR, 3600);
      await hitRateLimit(`sms-phone:${phone}`, settings.SMS_RATE_PER_PHONE_PER_MINUTE, 60);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const insertedId = await storeNewCode(phone, codeHash(settings, phone, code), clientIp);
      try {
        await sms.sendLoginCode(phone, code, Math.ceil(settings.OTP_TTL_SECONDS / 60));
      } catch (error) {
        // A code nobody received must not stay usable.
        await voidCode(insertedId);
        throw error;
      }
      return { expireIn: settings.OTP_TTL_SECONDS };
    },
  };
}
