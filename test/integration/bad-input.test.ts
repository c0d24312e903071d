import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import * as login from '../../functions/auth/login';
import * as me from '../../functions/auth/me';
import * as sendCode from '../../functions/auth/send-code';
import * as notFound from '../../functions/system/not-found';
import * as getTask from '../../functions/task/get';
import type { ScfHttpEvent } from '../../shared/http/platform';
import { logger } from '../../shared/logger';
import { platforms, type ApiResult } from '../helpers/events';
import { uniqueIp, uniquePhone } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

function expectEnvelope(result: ApiResult, status: number, code: number): void {
  expect(result.status).toBe(status);
  expect(result.json.success).toBe(false);
  expect(result.json.error?.code).toBe(code);
  expect(typeof result.json.error?.message).toBe('string');
  expect(result.headers['content-type']).toMatch(/^application\/json/);
  expect(result.headers['x-request-id']).toBeTruthy();
}

describe.each(platforms)('bad input on $name never answers 500', (platform) => {
  const post = (body: string | object | undefined, headers?: Record<string, string>) =>
    platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body, ...(headers ? { headers } : {}), sourceIp: uniqueIp() });

  it.each([
    ['missing phone', {}],
    ['empty phone', { phone: '' }],
    ['phone as a number', { phone: 13800138000 }],
    ['malformed phone', { phone: '1380013800a' }],
    ['too short phone', { phone: '1380013800' }],
    ['over-long phone', { phone: '138001380001' }],
    ['absurdly long phone', { phone: '1'.repeat(5000) }],
    ['not a mobile prefix', { phone: '10000000000' }],
    ['an array body', [{ phone: '13800138000' }]],
  ])('%s → 400 with details naming the field', async (_label, body) => {
    // Act
    const result = await post(body);

    // Assert
    expectEnvelope(result, 400, 1000);
    expect(result.json.error?.details?.length).toBeGreaterThan(0);
    expect(result.json.error?.details?.map((detail) => detail.field).join(',')).toMatch(/phone|body/);
  });

  it('no body at all → 400 naming phone', async () => {
    const result = await post(undefined);
    expectEnvelope(result, 400, 1000);
    expect(result.json.error?.details?.[0]?.field).toBe('phone');
  });

  it('bad JSON → 400', async () => {
    const result = await post('{"phone": "138', { 'content-type': 'application/json' });
    expectEnvelope(result, 400, 1000);
    expect(result.json.error?.details?.[0]).toEqual({ field: 'body', message: 'body is not valid JSON' });
  });

  it('wrong content type → 415', async () => {
    const result = await post('phone=13800138000', { 'content-type': 'application/x-www-form-urlencoded' });
    expectEnvelope(result, 415, 1010);
  });

  it('oversized body → 413', async () => {
    const result = await post({ phone: uniquePhone(), padding: 'x'.repeat(70 * 1024) });
    expectEnvelope(result, 413, 1009);
  });

  it('a bad code format on login → 400 naming code', async () => {
    const result = await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone: uniquePhone(), code: '12ab' } });
    expectEnvelope(result, 400, 1000);
    expect(result.json.error?.details?.map((detail) => detail.field)).toEqual(['code']);
  });

  it('the wrong method on a known path → 405', async () => {
    const result = await platform.call(sendCode, { method: 'GET', path: '/auth/send-code' });
    expectEnvelope(result, 405, 1008);
  });

  it('another route’s static path reaching a parameter route (GET /task/create → task-get) → 405, not a missing task', async () => {
    const result = await platform.call(getTask, { method: 'GET', path: '/task/create', token: (await createUser()).token });
    expectEnvelope(result, 405, 1008);
  });

  it('a path the function does not serve → 404', async () => {
    const result = await platform.call(me, { method: 'GET', path: '/auth/me/extra' });
    expectEnvelope(result, 404, 1007);
  });

  it.each([
    ['GET', '/nope'],
    ['POST', '/auth/unknown'],
    ['GET', '/'],
  ])('unknown route %s %s → 404 from the catch-all', async (method, path) => {
    const result = await platform.call(notFound, { method, path });
    expectEnvelope(result, 404, 1007);
  });

  it('a known path with another method → 405 from the catch-all', async () => {
    const result = await platform.call(notFound, { method: 'DELETE', path: '/auth/login' });
    expectEnvelope(result, 405, 1008);
  });

  it('a malformed Authorization header → 401', async () => {
    const result = await platform.call(me, { method: 'GET', path: '/auth/me', headers: { authorization: 'Basic abc' } });
    expectEnvelope(result, 401, 1001);
  });
});

describe('platform details', () => {
  it('accepts a base64-encoded body (AWS)', async () => {
    const [aws] = platforms;
    if (!aws) throw new Error('no platforms');
    const result = await aws.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone: uniquePhone() }, base64: true, sourceIp: uniqueIp() });
    expect(result.status).toBe(200);
  });

  it('adds CORS headers for a configured origin and answers preflight', async () => {
    const [aws] = platforms;
    if (!aws) throw new Error('no platforms');
    const preflight = await aws.call(sendCode, { method: 'OPTIONS', path: '/auth/send-code', headers: { origin: 'http://localhost:5173' } });
    const foreign = await aws.call(me, { method: 'GET', path: '/auth/me', headers: { origin: 'https://evil.example' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization, content-type, idempotency-key');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    expect(foreign.headers['x-content-type-options']).toBe('nosniff');
  });
});

/** Events no platform adapter can read: the handler must still answer like every other failure. */
const unreadable = [
  { name: 'AWS HTTP API v2', call: (requestId: string) => sendCode.handler({} as unknown as APIGatewayProxyEventV2, { awsRequestId: requestId } as Context) },
  { name: 'SCF Function URL', call: (requestId: string) => sendCode.main_handler({} as unknown as ScfHttpEvent, { request_id: requestId }) },
];

describe.each(unreadable)('an unreadable $name event', ({ call }) => {
  it('answers 500 with the platform request id, the usual headers and one error log line', async () => {
    // Arrange: capture the structured log, which tests otherwise keep silent
    const requestId = randomUUID();
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => lines.push(String(chunk)) > 0;
    const writes = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    const level = logger.getLevelName();
    logger.setLogLevel('ERROR');

    // Act
    const response = await call(requestId).finally(() => {
      logger.setLogLevel(level);
      for (const write of writes) write.mockRestore();
    });

    // Assert
    const body = JSON.parse(response.body) as { success: boolean; error: { code: number; requestId: string } };
    expect(response.statusCode).toBe(500);
    expect(body).toMatchObject({ success: false, error: { code: 9999, requestId } });
    expect(response.headers).toMatchObject({ 'x-request-id': requestId, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === 'unreadable platform event');
    expect(logged).toEqual([expect.objectContaining({ level: 'ERROR', requestId })]);
  });
});
