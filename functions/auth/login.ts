import { issueToken } from '../../shared/auth/jwt';
import { verifyLoginCode } from '../../shared/auth/otp';
import { loginBody } from '../../shared/auth/schemas';
import { config } from '../../shared/config';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { findOrCreateUserByPhone, toPublicUser } from '../../shared/users';

/** POST /auth/login — phone + code; the first successful login creates the user. */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-login',
  auth: 'public',
  body: loginBody,
  async run({ body }) {
    await verifyLoginCode(config(), body.phone, body.code);
    const user = await findOrCreateUserByPhone(body.phone);
    const token = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: user.role });
    return ok({ token, user: toPublicUser(user) }, '登录成功');
  },
});
