import { findUserByPhone, insertUserForPhone, type UserRow } from './db/repositories/users';

/** Users as the domain sees them; their rows and statements live in shared/db/repositories/users.ts. */
export { findUserById, findUserByPhone, type Role, type UserRow } from './db/repositories/users';

/** The user as the contract shows it (auth/me, login). Membership is derived, never stored stale. */
export interface PublicUser {
  id: string;
  phone: string;
  isMember: boolean;
  quota_remaining: number;
  quota_expireAt: string | null;
  createdAt: string;
}

export function isMemberAt(user: Pick<UserRow, 'member_expires_at'>, now: Date): boolean {
  return user.member_expires_at !== null && user.member_expires_at.getTime() > now.getTime();
}

/** A lapsed membership whose quota expiry is not in the ledger yet. */
export function hasUnrecordedExpiry(user: Pick<UserRow, 'member_expires_at' | 'quota_expired_through'>, now: Date): boolean {
  const lapsedAt = user.member_expires_at;
  if (!lapsedAt || lapsedAt.getTime() > now.getTime()) return false;
  return !user.quota_expired_through || user.quota_expired_through.getTime() < lapsedAt.getTime();
}

export function toPublicUser(user: UserRow, now = new Date()): PublicUser {
  const member = isMemberAt(user, now);
  return {
    id: user.id,
    phone: user.phone,
    isMember: member,
    quota_remaining: member ? user.quota_balance : 0,
    quota_expireAt: user.member_expires_at ? user.member_expires_at.toISOString() : null,
    createdAt: user.created_at.toISOString(),
  };
}

/** Returns the user for a phone, creating it on first login (12 hex characters of id). */
export async function findOrCreateUserByPhone(phone: string): Promise<UserRow> {
  const existing = await findUserByPhone(phone);
  if (existing) return existing;
  await insertUserForPhone(phone);
  const created = await findUserByPhone(phone);
  if (!created) throw new Error('user row missing right after insert');
  return created;
}
