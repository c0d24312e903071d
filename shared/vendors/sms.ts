import type { sms as SmsSdk } from 'tencentcloud-sdk-nodejs-sms';
import type { Config } from '../config';
import { SmsDeliveryError } from '../errors';
import { logger } from '../logger';
import { loadOnce } from './load-once';
import { tencentClientProfile } from './tencent-profile';

/** Sends login codes. The Tencent implementation is the only one; tests point it at the sandbox. */
export interface SmsSender {
  sendLoginCode(phone: string, code: string, ttlMinutes: number): Promise<void>;
}

type SmsClient = InstanceType<typeof SmsSdk.v20210111.Client>;

/** Tencent Cloud SMS (SendSms 2021-01-11). The SDK is loaded on first send, not at cold start. */
export function tencentSmsSender(settings: Config): SmsSender {
  const client = loadOnce(async (): Promise<SmsClient> => {
    const { sms } = await import('tencentcloud-sdk-nodejs-sms');
    return new sms.v20210111.Client({
      credential: { secretId: settings.TENCENT_SECRET_ID, secretKey: settings.TENCENT_SECRET_KEY },
      region: settings.TENCENT_REGION,
      profile: tencentClientProfile(settings.TENCENT_API_ENDPOINT),
    });
  });
  return {
    async sendLoginCode(phone, code, ttlMinutes) {
      let response;
      try {
        response = await (await client()).SendSms({
          PhoneNumberSet: [`+86${phone}`],
          SmsSdkAppId: settings.SMS_SDK_APP_ID,
          SignName: settings.SMS_SIGN_NAME,
          TemplateId: settings.SMS_TEMPLATE_ID,
          TemplateParamSet: [code, String(ttlMinutes)],
        });
      } catch (error) {
        logger.error('sms request failed', { vendorCode: (error as { code?: string }).code, vendorMessage: (error as Error).message });
        throw new SmsDeliveryError();
      }
      // Per-number failures come back with HTTP 200 inside SendStatusSet; check every entry.
      const failed = (response.SendStatusSet ?? []).filter((status) => status.Code !== 'Ok');
      if (failed.length > 0 || !response.SendStatusSet?.length) {
        logger.error('sms rejected', { vendorCodes: failed.map((status) => status.Code), requestId: response.RequestId });
        throw new SmsDeliveryError();
      }
    },
  };
}
