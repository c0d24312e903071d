import { sendCodeBody } from '../../shared/auth/schemas';
import { loginCodes } from '../../shared/wiring/auth';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** POST /auth/send-code — texts a login code; a new phone and a known phone look the same. Past a per-IP threshold it needs a captcha (optional). */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-send-code',
  auth: 'public',
  body: sendCodeBody,
  async run({ body, request }) {
    const result = await loginCodes().sendCode(body.phone, request.sourceIp, { ticket: body.captchaTicket, randstr: body.captchaRandstr });
    return ok(result, '验证码已发送');
  },
});
