import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../client';
import { api, conformingFetch, startStack, type RunningStack } from '../helpers/stack';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

describe('the local stack (npm run dev)', () => {
  it('logs a phone in with the code the sandbox received, and serves /auth/me (through the typed client)', async () => {
    // Arrange
    const phone = '13800138000';
    let token: string | undefined;
    const client = createApiClient(stack.api, () => token, { fetch: conformingFetch(stack.api) });

    // Act
    const sent = await client.POST('/auth/send-code', { body: { phone } });
    const sms = (await (await fetch(`${stack.sandbox}/_sandbox/sms/latest?phone=${phone}`)).json()) as { code: string };
    const login = await client.POST('/auth/login', { body: { phone, code: sms.code } });
    token = login.data?.data.token;
    const me = await client.GET('/auth/me');
    token = undefined;
    const anonymous = await client.GET('/auth/me');

    // Assert
    expect(sent.data).toEqual({ success: true, data: { expireIn: 300 }, message: '验证码已发送' });
    expect(login.response.status).toBe(200);
    expect(login.data?.data.user).toMatchObject({ phone, isMember: false, quota_remaining: 0, quota_expireAt: null });
    expect(me.response.status).toBe(200);
    expect(Object.keys(me.data?.data ?? {}).sort()).toEqual(['createdAt', 'id', 'isMember', 'phone', 'quota_expireAt', 'quota_remaining']);
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error?.error.code).toBe(1001);
  });

  it('serves the OpenAPI document at /api/openapi.json, a valid document listing every route', async () => {
    // Arrange
    const client = createApiClient(stack.api, undefined, { fetch: conformingFetch(stack.api) });
    const validator = new Validator();

    // Act
    const { data, response } = await client.GET('/openapi.json');
    const result = await validator.validate(data as Record<string, unknown>);

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(result.valid).toBe(true);
    expect(Object.keys(data?.paths ?? {})).toEqual(expect.arrayContaining(['/auth/login', '/task/{taskId}', '/openapi.json']));
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

  it('answers unknown routes with the envelope', async () => {
    const missing = await api(stack.api, 'GET', '/does/not/exist');
    const wrongMethod = await api(stack.api, 'GET', '/auth/login');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ success: false, error: { code: 1007 } });
    expect(wrongMethod.status).toBe(405);
  });
});
