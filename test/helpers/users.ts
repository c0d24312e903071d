import { issueToken } from '../../shared/auth/jwt';
import { withTransaction } from '../../shared/db/pool';
import { grantMembership } from '../../shared/quota/ledger';
import { findOrCreateUserByPhone, findUserById, type UserRow } from '../../shared/users';
import { uniquePhone } from './sandbox';

/** A fresh user (and token), optionally a member with `quota` granted through the real ledger. */
export async function createUser(options: { quota?: number; days?: number } = {}): Promise<{ user: UserRow; token: string }> {
  const created = await findOrCreateUserByPhone(uniquePhone());
  if (options.quota !== undefined) {
    await withTransaction((connection) => grantMembership(connection, created.id, `order_seed_${created.id}`, options.quota ?? 0, options.days ?? 30));
  }
  const user = (await findUserById(created.id)) ?? created;
  const token = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: user.role });
  return { user, token };
}
