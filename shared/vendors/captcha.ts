import type { CommonClient } from 'tencentcloud-sdk-nodejs-common';
import { loadOnce } from './load-once';
import { tencentClientProfile } from './tencent-profile';
import { VendorError } from './vendor-error';

/**
 * Tencent Cloud Captcha ticket check: `DescribeCaptchaResult` (captcha.tencentcloudapi.com,
 * 2019-07-22, TC3-HMAC-SHA256). There is no captcha SDK package among our dependencies, so the call
 * goes through tencentcloud-sdk-nodejs-common's CommonClient, which signs any action the same way the
 * product SDKs do (shared/vendors/sms.ts, sts.ts). Fields: CaptchaType 9, Ticket, UserIp, Randstr,
 * CaptchaAppId (integer), AppSecretKey; the answer's CaptchaCode 1 means the ticket is good, every other
 * code names a failure (7 Randstr mismatch, 8 expired, 9 reused, 15 decrypt fail, 16 app mismatch,
 * 21 risk or disaster-recovery ticket, 100 app/secret mismatch), and EvilLevel 100 flags a malicious request.
 */
export interface CaptchaVerifier {
  /** Whether Tencent accepts the ticket; throws VendorError when Tencent could not be asked or refused the call itself. */
  verify(request: { readonly ticket: string; readonly randstr: string; readonly userIp: string }): Promise<CaptchaVerdict>;
}

export type CaptchaVerdict = { readonly passed: true } | { readonly passed: false; readonly captchaCode: number; readonly captchaMsg: string; readonly evilLevel: number };

export interface CaptchaOptions {
  readonly secretId: string;
  readonly secretKey: string;
  readonly region: string;
  /** Tencent Cloud API override (the local sandbox); undefined = captcha.tencentcloudapi.com. */
  readonly endpoint: string | undefined;
  readonly captchaAppId: number;
  readonly appSecretKey: string;
}

interface DescribeCaptchaResultResponse {
  CaptchaCode?: number;
  CaptchaMsg?: string;
  EvilLevel?: number;
}

/** A ticket check answers inside a send-code request, so it gets less time than the SMS call after it. */
const captchaTimeoutSeconds = 5;

export function tencentCaptchaVerifier(options: CaptchaOptions): CaptchaVerifier {
  const client = loadOnce(async (): Promise<CommonClient> => {
    const { CommonClient: Client } = await import('tencentcloud-sdk-nodejs-common');
    return new Client('captcha.tencentcloudapi.com', '2019-07-22', {
      credential: { secretId: options.secretId, secretKey: options.secretKey },
      region: options.region,
      profile: tencentClientProfile(options.endpoint, captchaTimeoutSeconds),
    });
  });
  return {
    async verify({ ticket, randstr, userIp }) {
      let response: DescribeCaptchaResultResponse;
      try {
        response = (await (await client()).request('DescribeCaptchaResult', {
          CaptchaType: 9,
          Ticket: ticket,
          UserIp: userIp,
          Randstr: randstr,
          CaptchaAppId: options.captchaAppId,
          AppSecretKey: options.appSecretKey,
        })) as DescribeCaptchaResultResponse;
      } catch (error) {
        const failure = error as { code?: string; message?: string };
        throw new VendorError('captcha', failure.code || 'NetworkError', failure.message ?? 'DescribeCaptchaResult failed');
      }
      if (typeof response.CaptchaCode !== 'number') throw new VendorError('captcha', 'UnexpectedResponse', 'DescribeCaptchaResult answered without CaptchaCode');
      const evilLevel = response.EvilLevel ?? 0;
      if (response.CaptchaCode === 1 && evilLevel !== 100) return { passed: true };
      return { passed: false, captchaCode: response.CaptchaCode, captchaMsg: response.CaptchaMsg ?? '', evilLevel };
    },
  };
}
