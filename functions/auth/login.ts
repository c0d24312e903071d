import { issueToken } from '../../shared/auth/jwt';
import { startRefreshFamily } from '../../shared/auth/refresh';
import { verifyLoginCode } from '../../shared/auth/otp';
import { loginBody } from '../../shared/auth/schemas';
import { config } from '../../shared/config';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { findOrCreateUserByPhone, toPublicUser } from '../../shared/users';

/** POST /auth/login — phone + code; the first successful login creates the user. `refreshToken` is an extension (POST /auth/refresh). */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-login',
  auth: 'public',
  body: loginBody,
  async run({ body }) {
    await verifyLoginCode(config(), body.phone, body.code);
    const user = await findOrCreateUserByPhone(body.phone);
    const token = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: user.role });
    const refreshToken = await startRefreshFamily(config(), user);
    return ok({ token, user: toPublicUser(user), refreshToken }, '登录成功');
  },
});
