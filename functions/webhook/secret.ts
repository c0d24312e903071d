import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { webhookSecretOf } from '../../shared/tasks/client-webhooks';

/** GET /webhook/secret — the caller's completion-webhook signing secret (`whsec_…`), created on first use. */
export const { handler, main_handler } = defineEndpoint({
  route: 'webhook-secret',
  auth: 'user',
  async run({ caller }) {
    return ok(await webhookSecretOf(caller.user.id));
  },
});
