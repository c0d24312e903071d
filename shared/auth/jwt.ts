import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { config } from '../config';
import { UnauthorizedError } from '../errors';

export type Role = 'user' | 'admin';

export interface TokenClaims {
  readonly userId: string;
  readonly tokenVersion: number;
  readonly role: Role;
}

/** jose signs with the raw secret; verification uses a KeyObject built once from the same bytes. */
let signingKey: Uint8Array | undefined;
const signingSecret = (): Uint8Array => (signingKey ??= new TextEncoder().encode(config().JWT_SECRET));
let verifyingKey: KeyObject | undefined;
const verifyingSecret = (): KeyObject => (verifyingKey ??= createSecretKey(signingSecret()));

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
    .sign(signingSecret());
}

/** Far above any token we issue (~250 characters); bounds the work an oversized header can cause. */
const maxTokenLength = 4096;
/** Compact JWS: three base64url segments; an HS256 signature is 32 bytes = 43 characters. */
const compactHs256 = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

type JsonObject = Record<string, unknown>;

function jsonSegment(segment: string): JsonObject | undefined {
  const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

const numericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * The whole check, synchronous, at a given time (seconds since the epoch); undefined when the
 * token is refused for any reason. Order: shape, signature (HMAC-SHA256 over the exact bytes
 * received, compared in constant time), then the header and the claims, so no attacker-made JSON
 * is parsed before the signature has proved we minted it.
 */
function checkToken(token: string, now: number): TokenClaims | undefined {
  if (typeof token !== 'string' || token.length > maxTokenLength) return undefined;
  const parts = compactHs256.exec(token);
  if (!parts) return undefined;
  const [, headerPart = '', payloadPart = '', signaturePart = ''] = parts;

  const expected = createHmac('sha256', verifyingSecret()).update(`${headerPart}.${payloadPart}`, 'ascii').digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  // 43 characters carry 2 spare bits: only the canonical spelling of the signature is accepted.
  if (given.toString('base64url') !== signaturePart) return undefined;

  // RFC 8725 §3.1: the algorithm is pinned, never taken from the header. We mint no `crit`/`b64`
  // extensions, so a header carrying one is not ours.
  const header = jsonSegment(headerPart);
  if (!header || header.alg !== 'HS256') return undefined;
  if (header.typ !== undefined && header.typ !== 'JWT') return undefined;
  if (Object.hasOwn(header, 'crit') || Object.hasOwn(header, 'b64')) return undefined;

  const payload = jsonSegment(payloadPart);
  if (!payload) return undefined;
  const { iss, aud, sub, ver, role, exp, iat, nbf } = payload;
  const settings = config();
  if (iss !== settings.JWT_ISSUER) return undefined;
  if (aud !== settings.JWT_AUDIENCE && !(Array.isArray(aud) && aud.includes(settings.JWT_AUDIENCE))) return undefined;
  if (typeof sub !== 'string' || sub === '' || typeof ver !== 'number' || !Number.isInteger(ver)) return undefined;
  if (role !== 'user' && role !== 'admin') return undefined;

  const tolerance = settings.JWT_CLOCK_TOLERANCE_SECONDS;
  if (!numericDate(exp) || exp <= now - tolerance) return undefined; // required; expired
  if (!numericDate(iat) || iat > now + tolerance) return undefined; // required; not from the future
  if (nbf !== undefined && (!numericDate(nbf) || nbf > now + tolerance)) return undefined;
  // Maximum age: no token outlives its role's lifetime, whatever its exp says (a token minted
  // with a far-future exp, or an admin token minted with a user's lifetime, is refused).
  const lifetime = tokenLifetimeSeconds(role) + tolerance;
  if (exp - iat > lifetime || now - iat > lifetime) return undefined;

  return { userId: sub, tokenVersion: ver, role };
}

/**
 * Verifies a token at `nowSeconds` (seconds since the epoch; the current time by default) without
 * awaiting anything. Every failure is the same UnauthorizedError (401, code 1001).
 */
export function verifyTokenAt(token: string, nowSeconds = Math.floor(Date.now() / 1000)): TokenClaims {
  let claims: TokenClaims | undefined;
  try {
    claims = checkToken(token, nowSeconds);
  } catch {
    claims = undefined; // malformed JSON inside a correctly signed token
  }
  if (!claims) throw new UnauthorizedError();
  return claims;
}

/**
 * Verifies an access token: HS256 only (the header's alg must say so; `none` and every other alg
 * are refused), the signature in constant time, issuer, audience, exp and iat (both required,
 * JWT_CLOCK_TOLERANCE_SECONDS of skew), sub, an integer `ver`, the role, and a maximum age of the
 * role's lifetime. A hand-written check on node:crypto (~5 µs): jose's jwtVerify costs 40 µs and
 * more a call even with a cached key (docs/decisions/0006-jwt-verification.md). Every failure is
 * the same 401 with code 1001.
 */
export async function verifyToken(token: string): Promise<TokenClaims> {
  return verifyTokenAt(token);
}
