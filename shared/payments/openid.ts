import * as z from 'zod/mini';
import { ValidationError, WechatAuthError } from '../errors';
import { logger } from '../logger';
import type { PaymentPorts } from './ports';
import { PlatformError } from '../vendors/payment-types';

/** GET /auth/wechat/openid?code=…: a WeChat OAuth code (snsapi_base) exchanged for the openid JSAPI pay needs. */
export const openidQuery = z.object({
  code: z.string({ error: '请提供微信授权码' }).check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, '微信授权码格式不正确')),
});

export async function openidForCode(code: string, ports: Pick<PaymentPorts, 'wechatOAuth'>): Promise<{ openid: string }> {
  let result;
  try {
    result = await ports.wechatOAuth.openidForCode(code);
  } catch (error) {
    if (!(error instanceof PlatformError)) throw error;
    logger.error('wechat oauth failed', { platformCode: error.code });
    throw new WechatAuthError();
  }
  if (!result.ok) throw new ValidationError([{ field: 'code', message: '微信授权码无效或已使用,请重新授权' }]);
  return { openid: result.openid };
}
