import { config } from '../config';
import { tencentCaptchaVerifier, type CaptchaVerifier } from '../vendors/captcha';
import { tencentSmsSender } from '../vendors/sms';
import { captchaGate } from '../auth/captcha';
import { loginCodeSender, type LoginCodeSender } from '../auth/otp';

let sender: LoginCodeSender | undefined;
let captcha: CaptchaVerifier | undefined;

/** The Tencent Captcha client, built only when a ticket is first checked (never while the captcha is off). */
function captchaVerifier(): CaptchaVerifier {
  const settings = config();
  captcha ??= tencentCaptchaVerifier({
    secretId: settings.TENCENT_SECRET_ID,
    secretKey: settings.TENCENT_SECRET_KEY,
    region: settings.TENCENT_REGION,
    endpoint: settings.TENCENT_API_ENDPOINT,
    captchaAppId: Number(settings.CAPTCHA_APP_ID),
    appSecretKey: settings.CAPTCHA_APP_SECRET_KEY ?? '',
  });
  return captcha;
}

/**
 * This instance's login-code sender over the SMS port (the real Tencent SMS client, its SDK loaded on
 * the first send) and the optional captcha check: the auth area's part of the composition root.
 */
export function loginCodes(): LoginCodeSender {
  sender ??= loginCodeSender(config(), tencentSmsSender(config()), captchaGate(config(), captchaVerifier));
  return sender;
}
