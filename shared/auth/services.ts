import { config } from '../config';
import { tencentSmsSender } from '../vendors/sms';
import { loginCodeSender, type LoginCodeSender } from './otp';

let sender: LoginCodeSender | undefined;

/** This instance's login-code sender, over the real Tencent SMS client (SDK loaded on first send). */
export function loginCodes(): LoginCodeSender {
  sender ??= loginCodeSender(config(), tencentSmsSender(config()));
  return sender;
}
