import { assertSessionCurrent, type Session } from '../auth/session';
import { withTransaction } from '../db/pool';
import { findUserById, hasUnrecordedExpiry, type UserRow } from '../users';
import { expireIfLapsed } from './ledger';

/**
 * Expiry applied on read: a lapsed membership is shown as isMember=false, quota 0 everywhere,
 * and the first read after it lapsed records the expiry in the ledger. Costs nothing (no query)
 * while the membership is current or the expiry is already recorded.
 */
export async function withExpiryApplied(user: UserRow, now = new Date()): Promise<UserRow> {
  if (!hasUnrecordedExpiry(user, now)) return user;
  await withTransaction((connection) => expireIfLapsed(connection, user.id));
  return (await findUserById(user.id)) ?? user;
}

/** The session's user, read once (the read is also the revocation check), with expiry applied. */
export async function currentUser(session: Session): Promise<UserRow> {
  const user = await findUserById(session.userId);
  assertSessionCurrent(user, session);
  return withExpiryApplied(user as UserRow);
}

/**
 * Expiry applied on read for statements that read the membership columns beside their own data
 * (the wallet): records a lapsed membership's expiry when it is not in the ledger yet. True when
 * it was due, so the caller reads again and shows the expire entry.
 */
export async function recordDueExpiry(userId: string, user: Pick<UserRow, 'member_expires_at' | 'quota_expired_through'>, now = new Date()): Promise<boolean> {
  if (!hasUnrecordedExpiry(user, now)) return false;
  await withTransaction((connection) => expireIfLapsed(connection, userId));
  return true;
}
