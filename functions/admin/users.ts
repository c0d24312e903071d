import { listUsers } from '../../shared/admin/queries';
import { adminUsersQuery } from '../../shared/admin/schemas';
import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';

/** GET /admin/users — every user, newest first, phones masked; `isMember` filters (admins only). */
export const { handler, main_handler } = defineEndpoint({
  route: 'admin-users',
  auth: 'admin',
  query: adminUsersQuery,
  async run({ query }) {
    const page = await listUsers(query);
    return ok({ users: page.items, total: page.total, limit: query.limit, offset: query.offset });
  },
});
