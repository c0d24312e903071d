import { ForbiddenError, UnauthorizedError } from '../errors';
import { revokeTokensOfSession } from '../db/repositories/users';
import { findUserById, type UserRow } from '../users';
import { verifyToken, type Role } from './jwt';

/**
 * A caller whose token verified (signature, issuer, audience, age, expiry) but whose user row has
 * not been read yet. Endpoints that take a Session fold the revocation check into their own single
 * statement: that statement returns the user's token_version and role beside its data, and
 * assertSessionCurrent refuses the answer if either changed, exactly as authenticate does.
 */
export interface Session {
  readonly userId: string;
  readonly tokenVersion: number;
  readonly role: Role;
}

/** The user columns a session check needs, as the endpoint's statement returns them. */
export interface SessionColumns {
  readonly token_version: number;
  readonly role: Role;
}

export interface Caller {
  readonly user: UserRow;
}

function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization?.trim() ?? '');
  if (!match?.[1]) throw new UnauthorizedError();
  return match[1];
}

/** Verifies the bearer token without touching the database; an admin route needs an admin token. */
export async function verifySession(authorization: string | undefined, required: Role): Promise<Session> {
  const claims = await verifyToken(bearerToken(authorization));
  if (required === 'admin' && claims.role !== 'admin') throw new ForbiddenError();
  return claims;
}

/**
 * Refuses a session whose user is gone, whose token version was bumped (every older token is
 * revoked at once) or whose role changed. `row` comes from the same statement as the endpoint's data.
 */
export function assertSessionCurrent(row: SessionColumns | undefined, session: Session): void {
  if (!row || Number(row.token_version) !== session.tokenVersion || row.role !== session.role) throw new UnauthorizedError();
}

/** Resolves the caller with its user row: a current session (assertSessionCurrent) and the role required. */
export async function authenticate(authorization: string | undefined, required: Role): Promise<Caller> {
  const session = await verifySession(authorization, required);
  const user = await findUserById(session.userId);
  assertSessionCurrent(user, session);
  return { user: user as UserRow };
}

/**
 * Logout: bumps the user's token version, so this token and every other one issued before stop
 * working at once. One conditional statement that is also the session check: a token already revoked
 * (or of a user gone, or whose role changed) changes nothing and answers 401.
 */
export async function endEverySession(session: Session): Promise<void> {
  if (!(await revokeTokensOfSession(session.userId, session.tokenVersion, session.role))) throw new UnauthorizedError();
}
