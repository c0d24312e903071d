import { rotateRefreshToken } from '../../shared/auth/refresh';
import { refreshBody } from '../../shared/auth/schemas';
import { config } from '../../shared/config';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** POST /auth/refresh — a refresh token for a new access token and a new refresh token (extension; ADR 0015). */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-refresh',
  auth: 'public',
  body: refreshBody,
  async run({ body }) {
    return ok(await rotateRefreshToken(config(), body.refreshToken), '刷新成功');
  },
});
