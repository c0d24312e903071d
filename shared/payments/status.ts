import { assertSessionCurrent, type Session } from '../auth/session';
import { config } from '../config';
import { findUserWithAwaitingOrders } from '../db/repositories/users';
import { withExpiryApplied } from '../quota/membership';
import { findUserById, toPublicUser, type PublicUser, type UserRow } from '../users';
import type { PaymentPorts } from './ports';
import { reconcileAwaitingOrders } from './reconcile';

/** GET /membership/status, field for field as the contract (seeds/000 §5). */
export interface MembershipStatus {
  readonly isMember: PublicUser['isMember'];
  readonly quota_remaining: PublicUser['quota_remaining'];
  readonly quota_expireAt: PublicUser['quota_expireAt'];
  /** Whole days until the membership ends, rounded up (30 right after buying 30 days); 0 when not a member. */
  readonly expireDays: number;
  /** Current price of one membership order, in fen. */
  readonly price: number;
}

const dayMs = 86_400_000;

/**
 * The caller's membership: one statement reads the session columns, the membership and whether a
 * pending order's notification is overdue; only then are such orders settled with their platform
 * (throttled). Expiry is applied on read and recorded in the ledger, and the three shared fields
 * come from toPublicUser, exactly as GET /auth/me derives them.
 */
export async function membershipStatus(session: Session, ports: PaymentPorts): Promise<MembershipStatus> {
  const found = await findUserWithAwaitingOrders(session.userId, config().PAYMENT_QUERY_AFTER_SECONDS);
  assertSessionCurrent(found?.user, session);
  const { user: caller, awaitingOrders } = found as { user: UserRow; awaitingOrders: boolean };
  const credited = awaitingOrders ? await reconcileAwaitingOrders(caller.id, ports) : 0;
  const current = credited > 0 ? ((await findUserById(caller.id)) ?? caller) : caller;
  const now = new Date();
  const user = await withExpiryApplied(current, now);
  const shown = toPublicUser(user, now);
  const expiresAt = user.member_expires_at?.getTime();
  return {
    isMember: shown.isMember,
    quota_remaining: shown.quota_remaining,
    quota_expireAt: shown.quota_expireAt,
    expireDays: shown.isMember && expiresAt !== undefined ? Math.ceil((expiresAt - now.getTime()) / dayMs) : 0,
    price: config().MEMBERSHIP_PRICE_FEN,
  };
}
