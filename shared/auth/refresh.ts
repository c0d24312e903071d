import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { withTransaction } from '../db/pool';
import { findPresentedToken, insertRefreshToken, retireUsableToken, revokeFamily, type PresentedRefreshToken } from '../db/repositories/refresh-tokens';
import { revokeTokensOfVersion } from '../db/repositories/users';
import { RefreshTokenInvalidError } from '../errors';
import { logger } from '../logger';
import { issueToken } from './jwt';

/**
 * Refresh tokens, an extension beside the contract's access `token` (docs/decisions/0015-refresh-tokens.md):
 * opaque, 256 random bits, stored only as a SHA-256, REFRESH_TOKEN_TTL_DAYS each. A login starts a
 * family; each refresh retires the presented token and issues its child. Presenting a retired token
 * again is reuse: the whole family is revoked and the user's token version bumped, so every access
 * token of the user stops working too. Of concurrent refreshes with one token exactly one rotates;
 * the others present a token that is retired by then, which is reuse as well (strict rotation).
 * A bumped token version (logout, `npm run admin -- revoke`) ends every family of the user, as each
 * row carries the version it was issued under.
 */
type RefreshSettings = Pick<Config, 'REFRESH_TOKEN_TTL_DAYS'>;

/** 32 bytes from the CSPRNG, base64url: 43 characters. */
const newToken = (): string => randomBytes(32).toString('base64url');
const hashOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Starts a family for a user who just logged in; answers the refresh token (never stored as such). */
export async function startRefreshFamily(settings: RefreshSettings, user: { readonly id: string; readonly token_version: number }): Promise<string> {
  const token = newToken();
  await insertRefreshToken({
    userId: user.id,
    familyId: randomBytes(12).toString('hex'),
    tokenHash: hashOf(token),
    parentId: null,
    tokenVersion: user.token_version,
    ttlDays: settings.REFRESH_TOKEN_TTL_DAYS,
  });
  return token;
}

/** Ends a family after reuse: its tokens revoked, and the user's access tokens with them (one bump per family). */
async function endFamily(presented: PresentedRefreshToken): Promise<void> {
  await withTransaction(
    async (connection) => {
      await revokeFamily(presented.familyId, connection);
      await revokeTokensOfVersion(presented.userId, presented.tokenVersion, connection);
    },
    { isolation: 'READ COMMITTED' },
  );
  logger.warn('refresh token reused: its family and the user’s access tokens are revoked', { userId: presented.userId, familyId: presented.familyId });
}

/** Usable: the user exists and the token is not revoked, not expired and from the user's current token version. */
const isLive = (presented: PresentedRefreshToken): boolean =>
  presented.user !== undefined && !presented.revoked && !presented.expired && presented.tokenVersion === presented.user.tokenVersion;

/**
 * POST /auth/refresh: exchanges a refresh token for a new access token and a new refresh token. Every
 * refusal is RefreshTokenInvalidError (401, 1015). Reuse of a retired token of a live family ends it.
 */
export async function rotateRefreshToken(settings: RefreshSettings, presentedToken: string): Promise<{ token: string; refreshToken: string }> {
  const tokenHash = hashOf(presentedToken);
  // A second look only follows a lost conditional retire: it sees what the winner made of the row.
  for (let look = 1; look <= 2; look += 1) {
    const presented = await findPresentedToken(tokenHash);
    if (!presented?.user || !isLive(presented)) throw new RefreshTokenInvalidError();
    if (presented.retired) {
      await endFamily(presented);
      throw new RefreshTokenInvalidError();
    }
    const next = newToken();
    const rotated = await withTransaction(
      async (connection) => {
        if (!(await retireUsableToken(connection, presented.id))) return false;
        await insertRefreshToken(
          { userId: presented.userId, familyId: presented.familyId, tokenHash: hashOf(next), parentId: presented.id, tokenVersion: presented.tokenVersion, ttlDays: settings.REFRESH_TOKEN_TTL_DAYS },
          connection,
        );
        return true;
      },
      { isolation: 'READ COMMITTED' },
    );
    if (rotated) {
      const token = await issueToken({ userId: presented.userId, tokenVersion: presented.tokenVersion, role: presented.user.role });
      return { token, refreshToken: next };
    }
  }
  throw new RefreshTokenInvalidError();
}
