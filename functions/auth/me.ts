import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { currentUser } from '../../shared/quota/membership';
import { toPublicUser } from '../../shared/users';

/** GET /auth/me — the caller's profile and membership (one statement: the session check is the read). */
export const { handler, main_handler } = defineEndpoint({
  route: 'auth-me',
  auth: 'session',
  async run({ caller }) {
    return ok(toPublicUser(await currentUser(caller)));
  },
});
