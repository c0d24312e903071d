import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';

// Configuration is read once, on first use: set it before anything calls config().
vi.hoisted(() => {
  Object.assign(process.env, {
    APP_ENV: 'test',
    JWT_SECRET: 'unit-test-jwt-secret-0123456789abcdef-0123456789',
    JWT_ISSUER: 'ai-photo-api',
    JWT_AUDIENCE: 'ai-photo-h5',
    JWT_TTL_SECONDS: '604800',
    ADMIN_JWT_TTL_SECONDS: '3600',
    JWT_CLOCK_TOLERANCE_SECONDS: '30',
  });
});

const { issueToken, verifyToken, verifyTokenAt } = await import('../../shared/auth/jwt');
const { config } = await import('../../shared/config');
const { UnauthorizedError } = await import('../../shared/errors');

const userTtl = 604_800;
const adminTtl = 3600;
const tolerance = 30;
const year = 365 * 24 * 3600;

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'u_1001',
  ver: 3,
  role: 'user',
  iss: 'ai-photo-api',
  aud: 'ai-photo-h5',
  iat: now(),
  exp: now() + 600,
  ...extra,
});
const without = (name: string) => Object.fromEntries(Object.entries(claims()).filter(([key]) => key !== name));

/** Signed with the real secret by jose (independent of the code under test). */
const joseSigned = (payload: Record<string, unknown>, alg = 'HS256') =>
  new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(config().JWT_SECRET));

/** A valid HMAC-SHA256 signature with the real secret over any header and payload. */
function hmacSigned(header: object | string, payload: object | string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', config().JWT_SECRET).update(input).digest('base64url')}`;
}

const refusal = { name: 'UnauthorizedError', code: 1001, status: 401 };

describe('verifyToken', () => {
  it('accepts a token issueToken minted, for a user and for an admin', async () => {
    // Arrange
    const userToken = await issueToken({ userId: 'u_1', tokenVersion: 0, role: 'user' });
    const adminToken = await issueToken({ userId: 'u_2', tokenVersion: 7, role: 'admin' });

    // Act
    const user = await verifyToken(userToken);
    const admin = await verifyToken(adminToken);

    // Assert
    expect(user).toEqual({ userId: 'u_1', tokenVersion: 0, role: 'user' });
    expect(admin).toEqual({ userId: 'u_2', tokenVersion: 7, role: 'admin' });
  });

  it('accepts genuine claims signed by jose and by a plain HMAC (the control for every refusal below)', async () => {
    // Arrange
    const byJose = await joseSigned(claims());
    const byHmac = hmacSigned({ alg: 'HS256', typ: 'JWT' }, claims());
    const noTyp = hmacSigned({ alg: 'HS256' }, claims({ aud: ['another-app', 'ai-photo-h5'] }));

    // Act
    const results = await Promise.all([byJose, byHmac, noTyp].map((token) => verifyToken(token)));

    // Assert
    expect(results).toEqual([0, 1, 2].map(() => ({ userId: 'u_1001', tokenVersion: 3, role: 'user' })));
  });

  const refused: [string, () => Promise<string> | string][] = [
    // lifetime and time
    ['a far-future exp (10 years) signed with the real secret', () => joseSigned(claims({ exp: now() + 10 * year }))],
    ['a user token living longer than JWT_TTL_SECONDS + tolerance', () => joseSigned(claims({ iat: now() - 60, exp: now() - 60 + userTtl + tolerance + 1 }))],
    ['an admin token older than the admin lifetime', () => joseSigned(claims({ role: 'admin', iat: now() - adminTtl - tolerance - 60, exp: now() + 600 }))],
    ['an admin token minted with a user lifetime', () => joseSigned(claims({ role: 'admin', iat: now(), exp: now() + userTtl }))],
    ['iat in the future beyond tolerance', () => joseSigned(claims({ iat: now() + 120, exp: now() + 600 }))],
    ['expired beyond tolerance', () => joseSigned(claims({ iat: now() - 7200, exp: now() - tolerance - 5 }))],
    ['nbf in the future', () => joseSigned(claims({ nbf: now() + 600 }))],
    // header and algorithm
    ['alg none, no signature', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['alg none with a valid HMAC', () => hmacSigned({ alg: 'none', typ: 'JWT' }, claims())],
    ['HS512 signed with the real secret', () => joseSigned(claims(), 'HS512')],
    ['RS256 header over a valid HMAC-SHA256 (algorithm confusion)', () => hmacSigned({ alg: 'RS256', typ: 'JWT' }, claims())],
    ['lower-case hs256', () => hmacSigned({ alg: 'hs256' }, claims())],
    ['no alg', () => hmacSigned({ typ: 'JWT' }, claims())],
    ['a header that is an array', () => hmacSigned([{ alg: 'HS256' }], claims())],
    ['a header that is not JSON', () => hmacSigned('HS256', claims())],
    ['a crit header', () => hmacSigned({ alg: 'HS256', crit: ['b64'], b64: false }, claims())],
    ['another typ', () => hmacSigned({ alg: 'HS256', typ: 'at+jwt+refresh' }, claims())],
    // signature and shape
    ['signed with another secret', () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(48)))],
    ['no signature', async () => `${(await joseSigned(claims())).split('.').slice(0, 2).join('.')}.`],
    ['two segments', async () => (await joseSigned(claims())).split('.').slice(0, 2).join('.')],
    ['four segments', async () => `${await joseSigned(claims())}.AAAA`],
    ['a payload that is not JSON', () => hmacSigned({ alg: 'HS256' }, 'not json')],
    ['a payload that is an array', () => hmacSigned({ alg: 'HS256' }, [claims()])],
    ['an empty string', () => ''],
    // claims
    ['wrong issuer', () => joseSigned(claims({ iss: 'someone-else' }))],
    ['wrong audience', () => joseSigned(claims({ aud: 'another-app' }))],
    ['no exp', () => joseSigned(without('exp'))],
    ['no iat', () => joseSigned(without('iat'))],
    ['no ver', () => joseSigned(without('ver'))],
    ['no sub', () => joseSigned(without('sub'))],
    ['a numeric sub', () => joseSigned(claims({ sub: 1001 }))],
    ['a string ver', () => joseSigned(claims({ ver: '3' }))],
    ['a fractional ver', () => joseSigned(claims({ ver: 3.5 }))],
    ['a string exp', () => joseSigned(claims({ exp: String(now() + 600) }))],
    ['role root', () => joseSigned(claims({ role: 'root' }))],
    ['no role', () => joseSigned(without('role'))],
  ];

  it.each(refused)('refuses %s with UnauthorizedError 1001', async (_label, makeToken) => {
    // Arrange
    const token = await makeToken();

    // Act
    const attempt = verifyToken(token);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(attempt).rejects.toMatchObject(refusal);
  });

  it('refuses a tampered payload carrying the real subject, though the same claims properly signed pass', async () => {
    // Arrange: a genuine token whose payload is swapped for a longer-lived admin one
    const genuine = await issueToken({ userId: 'u_1001', tokenVersion: 3, role: 'user' });
    const [header, payload, signature] = genuine.split('.');
    const original = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = { ...original, role: 'admin' };
    const tampered = `${header}.${b64(forged)}.${signature}`;

    // Act
    const attempt = verifyToken(tampered);
    const control = await verifyToken(genuine);

    // Assert
    expect(control.userId).toBe('u_1001');
    await expect(attempt).rejects.toMatchObject(refusal);
  });

  it('refuses a signature spelled non-canonically (the same 32 bytes, other spare bits)', async () => {
    // Arrange: the last of 43 characters carries 2 spare bits; flip one
    const token = await joseSigned(claims());
    const last = token.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    const respelled = `${token.slice(0, -1)}${sibling}`;

    // Act
    const attempt = verifyToken(respelled);

    // Assert
    expect(Buffer.from(respelled.split('.')[2] ?? '', 'base64url')).toEqual(Buffer.from(token.split('.')[2] ?? '', 'base64url'));
    await expect(attempt).rejects.toMatchObject(refusal);
  });
});

describe('verifyTokenAt: the time limits at their edges', () => {
  const at = 2_000_000_000;
  const token = (extra: Record<string, unknown>) => hmacSigned({ alg: 'HS256', typ: 'JWT' }, { ...claims(), ...extra });

  it.each([
    ['a user token living exactly JWT_TTL_SECONDS + tolerance', { iat: at, exp: at + userTtl + tolerance }, at],
    ['an admin token living exactly ADMIN_JWT_TTL_SECONDS', { role: 'admin', iat: at, exp: at + adminTtl }, at + adminTtl],
    ['an admin token aged exactly its lifetime + tolerance', { role: 'admin', iat: at, exp: at + adminTtl + tolerance }, at + adminTtl + tolerance],
    ['iat at the edge of the tolerance', { iat: at + tolerance, exp: at + 600 }, at],
    ['exp just inside the tolerance', { iat: at - 600, exp: at - tolerance + 1 }, at],
  ] as const)('accepts %s', (_label, extra, now) => {
    expect(verifyTokenAt(token(extra), now).userId).toBe('u_1001');
  });

  it.each([
    ['a user token living JWT_TTL_SECONDS + tolerance + 1', { iat: at, exp: at + userTtl + tolerance + 1 }, at],
    ['an admin token living ADMIN_JWT_TTL_SECONDS + tolerance + 1', { role: 'admin', iat: at, exp: at + adminTtl + tolerance + 1 }, at],
    ['an admin token aged its lifetime + tolerance + 1, exp still within tolerance', { role: 'admin', iat: at, exp: at + adminTtl + tolerance }, at + adminTtl + tolerance + 1],
    ['iat one second beyond the tolerance', { iat: at + tolerance + 1, exp: at + 600 }, at],
    ['exp at the edge of the tolerance', { iat: at - 600, exp: at - tolerance }, at],
  ] as const)('refuses %s', (_label, extra, now) => {
    expect(() => verifyTokenAt(token(extra), now)).toThrow(UnauthorizedError);
  });
});
