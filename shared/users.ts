import { randomBytes } from 'node:crypto';
import { execute, select, type Queryable } from './db/pool';
import type { Role } from './auth/jwt';

export interface UserRow {
  id: string;
  phone: string;
  role: Role;
  token_version: number;
  member_expires_at: Date | null;
  quota_balance: number;
  /** The membership expiry whose quota expiry the ledger has recorded. */
  quota_expired_through: Date | null;
  created_at: Date;
}

/** The user as the contract shows it (auth/me, login). Membership is derived, never stored stale. */
export interface PublicUser {
  id: string;
  phone: string;
  isMember: boolean;
  quota_remaining: number;
  quota_expireAt: string | null;
  createdAt: string;
}

const userColumns = 'id, phone, role, token_version, member_expires_at, quota_balance, quota_expired_through, created_at';

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

export async function findUserById(id: string, on?: Queryable): Promise<UserRow | undefined> {
  const rows = await select<UserRow>(`SELECT ${userColumns} FROM users WHERE id = ?`, [id], on);
  return rows[0];
}

export async function findUserByPhone(phone: string, on?: Queryable): Promise<UserRow | undefined> {
  const rows = await select<UserRow>(`SELECT ${userColumns} FROM users WHERE phone = ?`, [phone], on);
  return rows[0];
}

/** Returns the user for a phone, creating it on first login (12 hex characters of id). */
export async function findOrCreateUserByPhone(phone: string): Promise<UserRow> {
  const existing = await findUserByPhone(phone);
  if (existing) return existing;
  // INSERT IGNORE: two first logins racing on one phone both end with the single row.
  await execute('INSERT IGNORE INTO users (id, phone) VALUES (?, ?)', [randomBytes(6).toString('hex'), phone]);
  const created = await findUserByPhone(phone);
  if (!created) throw new Error('user row missing right after insert');
  return created;
}
