import { ForbiddenError, UnauthorizedError } from '../errors';
import { findUserById, type UserRow } from '../users';
import { verifyToken, type Role } from './jwt';

export interface Caller {
  readonly user: UserRow;
}

function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization?.trim() ?? '');
  if (!match?.[1]) throw new UnauthorizedError();
  return match[1];
}

/**
 * Resolves the caller from the Authorization header: a valid token whose version still matches
 * the user's (bumping token_version revokes every token of that user), and the role required.
 */
export async function authenticate(authorization: string | undefined, required: Role): Promise<Caller> {
  const claims = await verifyToken(bearerToken(authorization));
  const user = await findUserById(claims.userId);
  if (!user || user.token_version !== claims.tokenVersion || user.role !== claims.role) throw new UnauthorizedError();
  if (required === 'admin' && user.role !== 'admin') throw new ForbiddenError();
  return { user };
}
