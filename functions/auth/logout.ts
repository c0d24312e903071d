import { endEverySession } from '../../shared/auth/session';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** POST /auth/logout — ends every session of the caller: every token issued so far stops working. */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-logout',
  auth: 'session',
  async run({ caller }) {
    await endEverySession(caller);
    return ok({ loggedOut: true }, '已退出登录');
  },
});
