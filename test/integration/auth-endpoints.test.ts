import { describe, expect, it } from 'vitest';
import * as login from '../../functions/auth/login';
import * as logout from '../../functions/auth/logout';
import * as me from '../../functions/auth/me';
import * as sendCode from '../../functions/auth/send-code';
import { platforms } from '../helpers/events';
import { latestSmsCode, uniqueIp, uniquePhone } from '../helpers/sandbox';
import { createUser } from '../helpers/users';
import { issueToken } from '../../shared/auth/jwt';

describe.each(platforms)('auth endpoints on $name', (platform) => {
  it('sends a code, logs in with it, and reads the profile', async () => {
    // Arrange
    const phone = uniquePhone();
    const sourceIp = uniqueIp();

    // Act
    const sent = await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp });
    const code = await latestSmsCode(phone);
    const loggedIn = await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone, code }, sourceIp });
    const token = String(loggedIn.json.data?.token);
    const profile = await platform.call(me, { method: 'GET', path: '/auth/me', token });

    // Assert
    expect(sent.status).toBe(200);
    expect(sent.json).toEqual({ success: true, data: { expireIn: 300 }, message: '验证码已发送' });
    expect(code).toMatch(/^\d{6}$/);
    expect(loggedIn.status).toBe(200);
    expect(token.split('.')).toHaveLength(3);
    const user = loggedIn.json.data?.user as Record<string, unknown>;
    expect(user).toMatchObject({ phone, isMember: false, quota_remaining: 0, quota_expireAt: null });
    expect(user.id).toMatch(/^[0-9a-f]{12}$/);
    expect(profile.status).toBe(200);
    expect(profile.json.success).toBe(true);
    expect(profile.json.data).toEqual({
      id: user.id,
      phone,
      isMember: false,
      quota_remaining: 0,
      quota_expireAt: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('logs a returning phone into the same user', async () => {
    // Arrange
    const phone = uniquePhone();
    await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp: uniqueIp() });
    const first = await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone, code: await latestSmsCode(phone) } });
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Act: the resend gap is per phone, so wait it out by clearing the last code's timestamp
    const { execute } = await import('../../shared/db/pool');
    await execute('UPDATE otp_codes SET created_at = created_at - INTERVAL 2 MINUTE WHERE phone = ?', [phone]);
    await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp: uniqueIp() });
    const second = await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone, code: await latestSmsCode(phone) } });

    // Assert
    expect((second.json.data?.user as { id: string }).id).toBe((first.json.data?.user as { id: string }).id);
  });

  it('answers a new phone and a known phone identically', async () => {
    // Arrange: one phone with an account, one without
    const known = uniquePhone();
    await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone: known }, sourceIp: uniqueIp() });
    await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone: known, code: await latestSmsCode(known) } });
    const { execute } = await import('../../shared/db/pool');
    await execute('UPDATE otp_codes SET created_at = created_at - INTERVAL 2 MINUTE WHERE phone = ?', [known]);

    // Act
    const forKnown = await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone: known }, sourceIp: uniqueIp() });
    const forNew = await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone: uniquePhone() }, sourceIp: uniqueIp() });

    // Assert
    expect(forKnown.status).toBe(forNew.status);
    expect(forKnown.text).toBe(forNew.text);
  });

  it('logs out: this token and every other one of the user stop working; a second logout is 401', async () => {
    // Arrange: the same user signed in on two devices
    const { user, token } = await createUser();
    const otherDevice = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: user.role });

    // Act
    const loggedOut = await platform.call(logout, { method: 'POST', path: '/auth/logout', token });
    const sameToken = await platform.call(me, { method: 'GET', path: '/auth/me', token });
    const otherToken = await platform.call(me, { method: 'GET', path: '/auth/me', token: otherDevice });
    const again = await platform.call(logout, { method: 'POST', path: '/auth/logout', token });
    const anonymous = await platform.call(logout, { method: 'POST', path: '/auth/logout' });

    // Assert
    expect(loggedOut.status).toBe(200);
    expect(loggedOut.json).toEqual({ success: true, data: { loggedOut: true }, message: '已退出登录' });
    expect(sameToken.status).toBe(401);
    expect(otherToken.status).toBe(401);
    expect(again.json.error?.code).toBe(1001);
    expect(anonymous.status).toBe(401);
  });

  it('refuses /auth/me without a token with 401 and code 1001', async () => {
    // Act
    const result = await platform.call(me, { method: 'GET', path: '/auth/me' });

    // Assert
    expect(result.status).toBe(401);
    expect(result.json).toMatchObject({ success: false, error: { code: 1001, message: '请先登录' } });
    expect(result.headers['x-request-id']).toBeTruthy();
  });

  it('refuses a wrong code with 400 and code 1005', async () => {
    // Arrange
    const phone = uniquePhone();
    await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp: uniqueIp() });
    const code = await latestSmsCode(phone);
    const wrong = code === '000000' ? '000001' : '000000';

    // Act
    const result = await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone, code: wrong } });

    // Assert
    expect(result.status).toBe(400);
    expect(result.json.error?.code).toBe(1005);
  });

  it('answers the second send within the resend gap with 429 and Retry-After', async () => {
    // Arrange
    const phone = uniquePhone();
    await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp: uniqueIp() });

    // Act
    const again = await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp: uniqueIp() });

    // Assert
    expect(again.status).toBe(429);
    expect(again.json.error?.code).toBe(1004);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});
