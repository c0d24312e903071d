import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import * as me from '../../functions/auth/me';
import { issueToken } from '../../shared/auth/jwt';
import { config } from '../../shared/config';
import { execute } from '../../shared/db/pool';
import { findOrCreateUserByPhone, type UserRow } from '../../shared/users';
import { platforms } from '../helpers/events';
import { uniquePhone } from '../helpers/sandbox';

const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const secret = () => new TextEncoder().encode(config().JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);

let user: UserRow;
const claims = () => ({ sub: user.id, ver: user.token_version, role: 'user', iss: config().JWT_ISSUER, aud: config().JWT_AUDIENCE, iat: now(), exp: now() + 600 });

async function signed(payload: Record<string, unknown>, alg = 'HS256'): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(secret());
}

beforeAll(async () => {
  user = await findOrCreateUserByPhone(uniquePhone());
});

describe.each(platforms)('JWT attacks on $name', (platform) => {
  const callMe = (token: string) => platform.call(me, { method: 'GET', path: '/auth/me', token });

  it('accepts a genuine token (the control case)', async () => {
    const result = await callMe(await issueToken({ userId: user.id, tokenVersion: user.token_version, role: 'user' }));
    expect(result.status).toBe(200);
  });

  const attacks: [string, () => Promise<string>][] = [
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['another HMAC alg (HS512)', () => signed(claims(), 'HS512')],
    ['no exp', async () => { const { exp: _exp, ...rest } = claims(); return signed(rest); }],
    ['expired beyond tolerance', () => signed({ ...claims(), iat: now() - 7200, exp: now() - 120 })],
    ['wrong issuer', () => signed({ ...claims(), iss: 'someone-else' })],
    ['wrong audience', () => signed({ ...claims(), aud: 'another-app' })],
    ['no subject', async () => { const { sub: _sub, ...rest } = claims(); return signed(rest); }],
    ['forged admin role', () => signed({ ...claims(), role: 'admin' })],
    ['signed with another secret', async () => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(48)))],
    ['unknown user', () => signed({ ...claims(), sub: '000000000000' })],
    ['exp 10 years ahead, signed with the real secret', () => signed({ ...claims(), exp: now() + 10 * 365 * 24 * 3600 })],
    ['a user token living longer than JWT_TTL_SECONDS', () => signed({ ...claims(), exp: now() + config().JWT_TTL_SECONDS + config().JWT_CLOCK_TOLERANCE_SECONDS + 60 })],
    ['iat in the future', () => signed({ ...claims(), iat: now() + 3600, exp: now() + 7200 })],
  ];

  it.each(attacks)('%s → 401 with code 1001', async (_label, makeToken) => {
    const result = await callMe(await makeToken());
    expect(result.status).toBe(401);
    expect(result.json.error?.code).toBe(1001);
  });

  it('a tampered payload → 401 with code 1001, though the same claims properly signed pass', async () => {
    // Arrange: a real user's token with its expiry pushed a day out (still within the user
    // lifetime, so the properly signed control passes); only the signature is wrong
    const original = claims();
    const [header, , signature] = (await signed(original)).split('.');
    const extended = { ...original, exp: original.exp + 24 * 3600 };
    const tampered = `${header}.${b64(extended)}.${signature}`;

    // Act
    const rejected = await callMe(tampered);
    const control = await callMe(await signed(extended));

    // Assert
    expect(control.status).toBe(200);
    expect(rejected.status).toBe(401);
    expect(rejected.json.error?.code).toBe(1001);
  });

  it('a stale token version → 401 after the user’s tokens are revoked', async () => {
    // Arrange
    const victim = await findOrCreateUserByPhone(uniquePhone());
    const token = await issueToken({ userId: victim.id, tokenVersion: victim.token_version, role: 'user' });
    const before = await callMe(token);

    // Act
    await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [victim.id]);
    const after = await callMe(token);

    // Assert
    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
    expect(after.json.error?.code).toBe(1001);
  });
});
