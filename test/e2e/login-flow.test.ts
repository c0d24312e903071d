import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startStack, type RunningStack } from '../helpers/stack';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('the local stack (npm run dev)', () => {
  it('logs a phone in with the code the sandbox received, and serves /auth/me', async () => {
    // Arrange
    const phone = '13800138000';

    // Act
    const sent = await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
    const sms = (await (await fetch(`${stack.sandbox}/_sandbox/sms/latest?phone=${phone}`)).json()) as { code: string };
    const login = await api(stack.api, 'POST', '/auth/login', { body: { phone, code: sms.code } });
    const token = String(login.json.data?.token);
    const me = await api(stack.api, 'GET', '/auth/me', { token });
    const anonymous = await api(stack.api, 'GET', '/auth/me');

    // Assert
    expect(sent.json).toEqual({ success: true, data: { expireIn: 300 }, message: '验证码已发送' });
    expect(login.status).toBe(200);
    expect(login.json.data?.user).toMatchObject({ phone, isMember: false, quota_remaining: 0, quota_expireAt: null });
    expect(me.status).toBe(200);
    expect(Object.keys(me.json.data ?? {}).sort()).toEqual(['createdAt', 'id', 'isMember', 'phone', 'quota_expireAt', 'quota_remaining']);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error?.code).toBe(1001);
  });

  it('POST /_sandbox/reset also clears the local rate limits: a phone locked out by the resend gap can ask again', async () => {
    // Arrange: the second code within the resend gap is refused
    const phone = '13800138077';
    await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
    const tooSoon = await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });

    // Act
    const reset = await fetch(`${stack.sandbox}/_sandbox/reset`, { method: 'POST' });
    const afterReset = await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });

    // Assert
    expect(tooSoon.status).toBe(429);
    expect(reset.status).toBe(200);
    expect(afterReset.status).toBe(200);
  });

  it('refreshes a session with the refresh token, and ends it when a spent refresh token comes back', async () => {
    // Arrange
    const phone = '13800138022';
    await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
    const sms = (await (await fetch(`${stack.sandbox}/_sandbox/sms/latest?phone=${phone}`)).json()) as { code: string };
    const login = await api(stack.api, 'POST', '/auth/login', { body: { phone, code: sms.code } });
    const refreshToken = String(login.json.data?.refreshToken);

    // Act
    const refreshed = await api(stack.api, 'POST', '/auth/refresh', { body: { refreshToken } });
    const next = refreshed.json.data as { token: string; refreshToken: string };
    const meWithNew = await api(stack.api, 'GET', '/auth/me', { token: next.token });
    const reused = await api(stack.api, 'POST', '/auth/refresh', { body: { refreshToken } });
    const meAfterReuse = await api(stack.api, 'GET', '/auth/me', { token: next.token });

    // Assert
    expect(refreshed.status).toBe(200);
    expect(meWithNew.status).toBe(200);
    expect(reused.status).toBe(401);
    expect(reused.json.error?.code).toBe(1015);
    expect(meAfterReuse.status).toBe(401);
  });

  it('answers unknown routes with the envelope', async () => {
    const missing = await api(stack.api, 'GET', '/does/not/exist');
    const wrongMethod = await api(stack.api, 'GET', '/auth/login');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ success: false, error: { code: 1007 } });
    expect(wrongMethod.status).toBe(405);
  });
});
