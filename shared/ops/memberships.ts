import { withTransaction } from '../db/pool';
import { lockUsersDueExpiry } from '../db/repositories/users';
import { expireIfLapsed } from '../quota/ledger';

/**
 * Lapsed memberships whose quota expiry the ledger has not recorded yet. Reads already show such a
 * user as isMember=false, quota 0 (and record the expiry on their first read); the sweeper records
 * it for users who do not come back, so the ledger and the cached balance say the same. Candidates
 * come from the virtual column users.membership_expiry_due (migration 005) by index; the ledger's
 * expireIfLapsed decides and writes, once per membership period.
 */
export type MembershipBatchResult = {
  readonly done: boolean;
  readonly expired: number;
};

export async function expireLapsedMemberships(batchSize: number): Promise<MembershipBatchResult> {
  return withTransaction(async (connection) => {
    const userIds = await lockUsersDueExpiry(connection, batchSize);
    let expired = 0;
    for (const userId of userIds) if (await expireIfLapsed(connection, userId)) expired += 1;
    return { done: userIds.length < batchSize, expired };
  }, { isolation: 'READ COMMITTED' });
}
