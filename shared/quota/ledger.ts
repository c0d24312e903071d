import type { PoolConnection } from 'mysql2/promise';
import { appendEntry, ledgerViolations, type LedgerViolation } from '../db/repositories/quota-ledger';
import { extendMembership, lockMembership, markQuotaExpired, shortenMembership } from '../db/repositories/users';
import { NotMemberError, QuotaExhaustedError } from '../errors';
import { QUOTA_PER_TASK } from './price';

/**
 * The quota ledger, modelled on two-phase transfers (reference/reliability.md §3.2): grant adds
 * quota, hold reserves 1 for a task, confirm settles it, release returns it, expire zeroes the
 * balance of a lapsed membership, refund takes a refunded order's unused quota back. Every entry
 * is one INSERT that posts itself (the trigger quota_ledger_post, migration 009, applies it to
 * users.quota_balance in the same statement),
 * unique per (reference, kind). A task's confirm or release is written by the statement that ends
 * the task (shared/tasks/lifecycle.ts, trigger tasks_settle_hold), so it can never be forgotten or
 * doubled. This module decides the other entries.
 */
export type { LedgerViolation } from '../db/repositories/quota-ledger';

/**
 * Records the expiry of a lapsed membership once per membership period: the remaining balance
 * goes to zero with an `expire` entry. Returns true when it recorded one now.
 */
export async function expireIfLapsed(connection: PoolConnection, userId: string): Promise<boolean> {
  const user = await lockMembership(connection, userId);
  const lapsedAt = user.member_expires_at;
  if (!lapsedAt || user.is_member) return false;
  if (user.quota_expired_through && user.quota_expired_through.getTime() >= lapsedAt.getTime()) return false;
  await appendEntry(connection, { userId, kind: 'expire', reference: `expire:${userId}:${lapsedAt.getTime()}`, delta: -user.quota_balance });
  await markQuotaExpired(connection, userId);
  return true;
}

/**
 * Grants quota for a paid order and extends the membership by `days` from the later of now and
 * the current expiry. A lapsed membership's leftover quota is expired first, never revived.
 * Returns false (and changes nothing) when this reference was already granted.
 */
export async function grantMembership(connection: PoolConnection, userId: string, reference: string, quota: number, days: number): Promise<boolean> {
  await expireIfLapsed(connection, userId);
  if ((await appendEntry(connection, { userId, kind: 'grant', reference, delta: quota })) === 'duplicate') return false;
  await extendMembership(connection, userId, days);
  return true;
}

/**
 * Takes a refunded order back (docs/payments.md "Refunds"): its unused quota leaves the balance as one
 * `refund` entry referenced by the order id, min(order quota, balance) so never below zero and quota
 * already spent is not clawed back, and its days come off the membership. A lapsed membership's
 * leftover is expired first (its quota was no longer the user's to refund). The user's row is locked
 * before the balance is read, so the amount is exact; the INSERT itself reads no `users` row (the
 * trigger quota_ledger_post posts it, MariaDB 1442). Returns the entry's delta, or undefined (nothing
 * changed) when this order was refunded already.
 */
export async function revokeMembership(connection: PoolConnection, userId: string, reference: string, quota: number, days: number): Promise<number | undefined> {
  await expireIfLapsed(connection, userId);
  const user = await lockMembership(connection, userId);
  const taken = Math.min(quota, Math.max(user.quota_balance, 0));
  const delta = taken === 0 ? 0 : -taken;
  if ((await appendEntry(connection, { userId, kind: 'refund', reference, delta })) === 'duplicate') return undefined;
  await shortenMembership(connection, userId, days);
  return delta;
}

/**
 * Reserves 1 quota for `reference` (a task id) in one statement. Not a member → 1002; no quota →
 * 1003 (told apart by a read, on that path only). 'already' when this reference holds already.
 */
export async function hold(connection: PoolConnection, userId: string, reference: string): Promise<'held' | 'already'> {
  const outcome = await appendEntry(connection, { userId, kind: 'hold', reference, delta: -QUOTA_PER_TASK });
  if (outcome === 'posted') return 'held';
  if (outcome === 'duplicate') return 'already';
  const user = await lockMembership(connection, userId);
  throw user.is_member ? new QuotaExhaustedError() : new NotMemberError();
}

export async function checkLedgerInvariants(on?: Parameters<typeof ledgerViolations>[0]): Promise<LedgerViolation[]> {
  return ledgerViolations(on);
}
