import { issueToken } from '../../shared/auth/jwt';
import { findOrCreateUserByPhone, findUserById, type UserRow } from '../../shared/users';
import { seedPaidOrder } from './payments';
import { uniquePhone } from './sandbox';

/**
 * A fresh user (and token), optionally a member with `quota` bought by a paid order
 * `order_seed_<userId>` credited through the real path (every grant needs a paid order).
 */
export async function createUser(options: { quota?: number; days?: number } = {}): Promise<{ user: UserRow; token: string }> {
  const created = await findOrCreateUserByPhone(uniquePhone());
  if (options.quota !== undefined) {
    await seedPaidOrder(created.id, { id: `order_seed_${created.id}`, quota: options.quota, days: options.days ?? 30 });
  }
  const user = (await findUserById(created.id)) ?? created;
  const token = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: user.role });
  return { user, token };
}
