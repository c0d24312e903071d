import type { Config } from '../config';
import { readHits } from '../db/repositories/rate-limit-logs';
import { CaptchaRequiredError, SmsDeliveryError } from '../errors';
import { logger } from '../logger';
import type { CaptchaVerifier } from '../vendors/captcha';
import { VendorError } from '../vendors/vendor-error';

/** What the Tencent Captcha front-end callback answered (send-code's captchaTicket, captchaRandstr). */
export interface CaptchaProof {
  readonly ticket?: string | undefined;
  readonly randstr?: string | undefined;
}

type CaptchaSettings = Pick<Config, 'CAPTCHA_AFTER_SENDS_PER_IP_HOUR'>;

/** The send-code limit bucket of an address (shared/auth/otp.ts): its accepted requests of the last hour. */
export const ipSendBucket = (clientIp: string): string => `sms-ip:${clientIp}`;

/**
 * Optional Tencent Captcha before a login code goes out (off when CAPTCHA_AFTER_SENDS_PER_IP_HOUR is
 * 0): once an address has made that many accepted send-code requests within the hour (the sliding log
 * its per-IP limit keeps), each further one needs a ticket that DescribeCaptchaResult accepts, checked
 * before anything is counted or sent. The count is read without a lock, so a burst from one address
 * can pass the threshold by a few requests; the hard per-IP limit behind it is exact.
 * When Tencent cannot be asked, nothing is sent (SmsDeliveryError, 6001): the check fails closed.
 */
export function captchaGate(settings: CaptchaSettings, verifier: () => CaptchaVerifier): (clientIp: string, proof: CaptchaProof, now?: number) => Promise<void> {
  const threshold = settings.CAPTCHA_AFTER_SENDS_PER_IP_HOUR;
  return async (clientIp, proof, now = Date.now()) => {
    if (threshold <= 0) return;
    const recent = (await readHits(ipSendBucket(clientIp)) ?? '')
      .split(',')
      .map(Number)
      .filter((at) => Number.isFinite(at) && at > now - 3_600_000).length;
    if (recent < threshold) return;
    if (!proof.ticket || !proof.randstr) throw new CaptchaRequiredError('required');
    let verdict;
    try {
      verdict = await verifier().verify({ ticket: proof.ticket, randstr: proof.randstr, userIp: clientIp });
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      logger.error('captcha check failed', { vendorCode: error.code, vendorMessage: error.message });
      throw new SmsDeliveryError();
    }
    if (!verdict.passed) {
      logger.warn('captcha refused', { captchaCode: verdict.captchaCode, captchaMsg: verdict.captchaMsg, evilLevel: verdict.evilLevel });
      throw new CaptchaRequiredError('failed');
    }
  };
}
