import { select, withTransaction } from '../db/pool';
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
    const rows = await select<{ id: string }>(
      `SELECT id FROM users WHERE membership_expiry_due = 1 AND member_expires_at <= NOW(3)
        ORDER BY member_expires_at LIMIT ? FOR UPDATE SKIP LOCKED`,
      [batchSize],
      connection,
    );
    let expired = 0;
    for (const row of rows) if (await expireIfLapsed(connection, row.id)) expired += 1;
    return { done: rows.length < batchSize, expired };
  }, { isolation: 'READ COMMITTED' });
}
