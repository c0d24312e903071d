import { config } from '../config';
import { tencentSmsSender } from '../vendors/sms';
import { loginCodeService, type LoginCodeService } from './otp';

let codes: LoginCodeService | undefined;

/** The login-code service of this instance, with the real Tencent SMS client (lazy SDK load). */
export function loginCodes(): LoginCodeService {
  codes ??= loginCodeService(config(), tencentSmsSender(config()));
  return codes;
}
