import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { withExpiryApplied } from '../../shared/quota/membership';
import { toPublicUser } from '../../shared/users';

/** GET /auth/me — the caller's profile and membership. */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-me',
  auth: 'user',
  async run({ caller }) {
    return ok(toPublicUser(await withExpiryApplied(caller.user)));
  },
});
