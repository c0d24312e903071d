import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { rotateWebhookSecret } from '../../shared/tasks/client-webhooks';

/** POST /webhook/secret/rotate — replaces the caller's signing secret; later attempts are signed with the new one. */
export const { handler, main_handler } = defineEndpoint({
  route: 'webhook-rotate-secret',
  auth: 'user',
  async run({ caller }) {
    return ok(await rotateWebhookSecret(caller.user.id));
  },
});
