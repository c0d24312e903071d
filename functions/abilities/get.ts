import * as z from 'zod/mini';
import { NotFoundError } from '../../shared/errors';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { findAbility } from '../../shared/tasks/abilities';

/** GET /abilities/{abilityId} — public: one task type's entry; an unknown id answers 1007 (404). */
export const { handler, main_handler } = defineEndpoint({
  route: 'abilities-get',
  auth: 'public',
  params: z.object({ abilityId: z.string() }),
  async run({ params }) {
    const ability = findAbility(params.abilityId);
    if (!ability) throw new NotFoundError();
    return ok(ability);
  },
});
