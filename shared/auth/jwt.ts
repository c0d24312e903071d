import { SignJWT, jwtVerify } from 'jose';
import { config } from '../config';
import { UnauthorizedError } from '../errors';

export type Role = 'user' | 'admin';

export interface TokenClaims {
  readonly userId: string;
  readonly tokenVersion: number;
  readonly role: Role;
}

let secretKey: Uint8Array | undefined;
const key = (): Uint8Array => (secretKey ??= new TextEncoder().encode(config().JWT_SECRET));

/** Admin tokens live shorter than user tokens (ADMIN_JWT_TTL_SECONDS vs JWT_TTL_SECONDS). */
export function tokenLifetimeSeconds(role: Role): number {
  return role === 'admin' ? config().ADMIN_JWT_TTL_SECONDS : config().JWT_TTL_SECONDS;
}

export async function issueToken(claims: TokenClaims): Promise<string> {
  return new SignJWT({ ver: claims.tokenVersion, role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(config().JWT_ISSUER)
    .setAudience(config().JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${tokenLifetimeSeconds(claims.role)}s`)
    .sign(key());
}

/**
 * Verifies signature (HS256 only), issuer, audience and expiry (exp is required: jose would
 * otherwise accept a token without one). Every failure is the same 401 with code 1001.
 */
export async function verifyToken(token: string): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, key(), {
      algorithms: ['HS256'],
      issuer: config().JWT_ISSUER,
      audience: config().JWT_AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub', 'ver'],
      clockTolerance: config().JWT_CLOCK_TOLERANCE_SECONDS,
    });
    const { sub, ver, role } = payload;
    if (typeof sub !== 'string' || !Number.isInteger(ver) || (role !== 'user' && role !== 'admin')) {
      throw new UnauthorizedError();
    }
    return { userId: sub, tokenVersion: ver as number, role };
  } catch {
    throw new UnauthorizedError();
  }
}
