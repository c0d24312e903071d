import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as login from '../../functions/auth/login';
import * as logout from '../../functions/auth/logout';
import * as me from '../../functions/auth/me';
import * as refresh from '../../functions/auth/refresh';
import * as sendCode from '../../functions/auth/send-code';
import { execute, select } from '../../shared/db/pool';
import { purgeExpired } from '../../shared/ops/purge';
import { findUserById } from '../../shared/users';
import { platforms, type ApiResult } from '../helpers/events';
import { latestSmsCode, uniqueIp, uniquePhone } from '../helpers/sandbox';

type Platform = (typeof platforms)[number];

/** Logs a fresh phone in through send-code and login; answers the login's data. */
async function logIn(platform: Platform, phone = uniquePhone()): Promise<{ phone: string; userId: string; token: string; refreshToken: string }> {
  await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp: uniqueIp() });
  const loggedIn = await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone, code: await latestSmsCode(phone) } });
  const data = loggedIn.json.data as { token: string; refreshToken: string; user: { id: string } };
  return { phone, userId: data.user.id, token: data.token, refreshToken: data.refreshToken };
}

const refreshWith = (platform: Platform, refreshToken: unknown): Promise<ApiResult> =>
  platform.call(refresh, { method: 'POST', path: '/auth/refresh', body: { refreshToken }, sourceIp: uniqueIp() });

const profile = (platform: Platform, token: string): Promise<ApiResult> => platform.call(me, { method: 'GET', path: '/auth/me', token });

const pairOf = (result: ApiResult): { token: string; refreshToken: string } => result.json.data as { token: string; refreshToken: string };

const sha256 = (token: string): Buffer => createHash('sha256').update(token).digest();

const invalidRefresh = { success: false, error: { code: 1015, message: '未登录或token无效' } };

describe.each(platforms)('refresh tokens over HTTP on $name', (platform) => {
  it('login returns an opaque refresh token beside the access token, stored only as its SHA-256', async () => {
    // Act
    const session = await logIn(platform);

    // Assert
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(session.refreshToken, 'base64url')).toHaveLength(32);
    const rows = await select<{ token_hash: Buffer; parent_id: unknown; lifetime_days: number | string }>(
      'SELECT token_hash, parent_id, TIMESTAMPDIFF(DAY, created_at, expires_at) AS lifetime_days FROM refresh_tokens WHERE user_id = ?',
      [session.userId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash.equals(sha256(session.refreshToken))).toBe(true);
    expect(rows[0]?.parent_id).toBeNull();
    expect(Number(rows[0]?.lifetime_days)).toBe(30);
  });

  it('rotates: a refresh answers a new access token and a new refresh token; the new pair works, the old refresh token is retired', async () => {
    // Arrange
    const session = await logIn(platform);

    // Act
    const rotated = await refreshWith(platform, session.refreshToken);
    const next = pairOf(rotated);
    const withNewAccess = await profile(platform, next.token);
    const rotatedAgain = await refreshWith(platform, next.refreshToken);

    // Assert
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ success: true, data: { token: expect.any(String), refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } });
    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect(withNewAccess.status).toBe(200);
    expect((withNewAccess.json.data as { id: string }).id).toBe(session.userId);
    expect(rotatedAgain.status).toBe(200);
    const [old] = await select<{ retired_at: Date | null }>('SELECT retired_at FROM refresh_tokens WHERE token_hash = ?', [sha256(session.refreshToken)]);
    expect(old?.retired_at).toBeInstanceOf(Date);
  });

  it('reuse of a retired token ends the family: the newest token stops working, and so do the user’s access tokens', async () => {
    // Arrange: the login's token was exchanged once, twice
    const session = await logIn(platform);
    const first = pairOf(await refreshWith(platform, session.refreshToken));
    const second = pairOf(await refreshWith(platform, first.refreshToken));
    const versionBefore = (await findUserById(session.userId))?.token_version;

    // Act: the first retired token comes back (a thief, or a client that kept a copy)
    const reused = await refreshWith(platform, session.refreshToken);
    const newest = await refreshWith(platform, second.refreshToken);
    const newestAccess = await profile(platform, second.token);
    const reusedAgain = await refreshWith(platform, session.refreshToken);

    // Assert
    expect(reused.status).toBe(401);
    expect(reused.json).toMatchObject(invalidRefresh);
    expect(newest.status).toBe(401);
    expect(newest.json.error?.code).toBe(1015);
    expect(newestAccess.status).toBe(401);
    const rows = await select<{ revoked_at: Date | null }>('SELECT revoked_at FROM refresh_tokens WHERE user_id = ?', [session.userId]);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.revoked_at instanceof Date)).toBe(true);
    // One bump for the family, however often the retired token comes back
    expect(reusedAgain.json.error?.code).toBe(1015);
    expect((await findUserById(session.userId))?.token_version).toBe((versionBefore ?? 0) + 1);
  });

  it('reuse from an old, already ended family does not end the user’s newer sessions', async () => {
    // Arrange: a family, rotated once, then ended by logout; the user logs in again
    const phone = uniquePhone();
    const old = await logIn(platform, phone);
    await refreshWith(platform, old.refreshToken);
    await platform.call(logout, { method: 'POST', path: '/auth/logout', token: old.token });
    await execute('UPDATE otp_codes SET created_at = created_at - INTERVAL 2 MINUTE WHERE phone = ?', [phone]);
    const current = await logIn(platform, phone);

    // Act
    const reused = await refreshWith(platform, old.refreshToken);
    const currentAccess = await profile(platform, current.token);
    const currentRefresh = await refreshWith(platform, current.refreshToken);

    // Assert
    expect(reused.json.error?.code).toBe(1015);
    expect(currentAccess.status).toBe(200);
    expect(currentRefresh.status).toBe(200);
  });

  it('refuses an expired refresh token, and an unknown one, with 401 and code 1015', async () => {
    // Arrange
    const session = await logIn(platform);
    await execute('UPDATE refresh_tokens SET expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE token_hash = ?', [sha256(session.refreshToken)]);

    // Act
    const expired = await refreshWith(platform, session.refreshToken);
    const unknown = await refreshWith(platform, 'A'.repeat(43));

    // Assert
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject(invalidRefresh);
    expect(unknown.status).toBe(401);
    expect(unknown.json).toMatchObject(invalidRefresh);
    // An expired token is not reuse: the access token still works
    expect((await profile(platform, session.token)).status).toBe(200);
  });

  it('logout ends every refresh token of the user, rotated or not', async () => {
    // Arrange: the user on two devices, one of which has refreshed
    const phone = uniquePhone();
    const phoneA = await logIn(platform, phone);
    await execute('UPDATE otp_codes SET created_at = created_at - INTERVAL 2 MINUTE WHERE phone = ?', [phone]);
    const phoneB = await logIn(platform, phone);
    const rotatedB = pairOf(await refreshWith(platform, phoneB.refreshToken));

    // Act
    const loggedOut = await platform.call(logout, { method: 'POST', path: '/auth/logout', token: phoneA.token });
    const refreshA = await refreshWith(platform, phoneA.refreshToken);
    const refreshB = await refreshWith(platform, rotatedB.refreshToken);

    // Assert
    expect(loggedOut.status).toBe(200);
    expect(refreshA.status).toBe(401);
    expect(refreshA.json.error?.code).toBe(1015);
    expect(refreshB.status).toBe(401);
    expect(refreshB.json.error?.code).toBe(1015);
  });

  it('20 concurrent refreshes with one token: exactly one answers a new pair; the others are reuse and end the family', async () => {
    // Arrange
    const session = await logIn(platform);

    // Act
    const results = await Promise.all(Array.from({ length: 20 }, () => refreshWith(platform, session.refreshToken)));
    const winners = results.filter((result) => result.status === 200);
    const [winner] = winners;
    const afterwards = await refreshWith(platform, winner ? pairOf(winner).refreshToken : 'x');

    // Assert
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result.status === 401 && result.json.error?.code === 1015)).toHaveLength(19);
    const rows = await select<{ parent_id: unknown }>('SELECT parent_id FROM refresh_tokens WHERE user_id = ?', [session.userId]);
    expect(rows).toHaveLength(2);
    expect(afterwards.status).toBe(401);
    expect((await profile(platform, session.token)).status).toBe(401);
  });

  it('npm run admin -- revoke ends every refresh token of the user', async () => {
    // Arrange
    const session = await logIn(platform);
    const rotated = pairOf(await refreshWith(platform, session.refreshToken));

    // Act
    const revoked = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'revoke', session.phone], {
      encoding: 'utf8',
      env: { ...process.env, APP_ENV: 'test', LOG_LEVEL: 'SILENT' },
      timeout: 30_000,
    });
    const after = await refreshWith(platform, rotated.refreshToken);

    // Assert
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(after.status).toBe(401);
    expect(after.json.error?.code).toBe(1015);
  });

  it.each([
    ['no body field', {}, 'refreshToken'],
    ['a number', { refreshToken: 12345 }, 'refreshToken'],
    ['a short string', { refreshToken: 'abc' }, 'refreshToken'],
    ['an access token', { refreshToken: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }, 'refreshToken'],
  ])('refuses %s with 400, code 1000 and details', async (_name, body, field) => {
    // Act
    const result = await platform.call(refresh, { method: 'POST', path: '/auth/refresh', body, sourceIp: uniqueIp() });

    // Assert
    expect(result.status).toBe(400);
    expect(result.json.error?.code).toBe(1000);
    expect(result.json.error?.details).toEqual([{ field, message: expect.any(String) }]);
  });
});

describe('purging refresh tokens', () => {
  it('deletes tokens PURGE_AFTER_HOURS after they expired and keeps the rest', async () => {
    // Arrange: one token long expired, one expired an hour ago, one live, in one family
    const session = await logIn(platforms[0] as Platform);
    await execute(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, token_version, expires_at) VALUES
         (?, 'purge-test', UNHEX(SHA2('old', 256)), 1, UTC_TIMESTAMP(3) - INTERVAL 2 DAY),
         (?, 'purge-test', UNHEX(SHA2('recent', 256)), 1, UTC_TIMESTAMP(3) - INTERVAL 1 HOUR)`,
      [session.userId, session.userId],
    );

    // Act
    const purged = await purgeExpired(100, 24);

    // Assert
    expect(purged.refreshTokens).toBe(1);
    const left = await select<{ token_hash: Buffer }>('SELECT token_hash FROM refresh_tokens WHERE user_id = ? ORDER BY id', [session.userId]);
    expect(left.map((row) => row.token_hash.toString('hex'))).toEqual([sha256(session.refreshToken).toString('hex'), sha256('recent').toString('hex')]);
  });
});
