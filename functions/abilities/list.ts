import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { abilities } from '../../shared/tasks/abilities';

/** GET /abilities — public: every task type with its price, outputs and the JSON Schema of its create body. */
export const { handler, main_handler } = defineEndpoint({
  route: 'abilities-list',
  auth: 'public',
  async run() {
    return ok({ abilities: abilities() });
  },
});
