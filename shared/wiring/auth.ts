import { config } from '../config';
import { tencentSmsSender } from '../vendors/sms';
import { loginCodeSender, type LoginCodeSender } from '../auth/otp';

let sender: LoginCodeSender | undefined;

/**
 * This instance's login-code sender over the SMS port (the real Tencent SMS client, its SDK loaded on
 * the first send): the auth area's part of the composition root.
 */
export function loginCodes(): LoginCodeSender {
  sender ??= loginCodeSender(config(), tencentSmsSender(config()));
  return sender;
}
