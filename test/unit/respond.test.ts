import { describe, expect, it } from 'vitest';
import { GarmentNotFoundError, RateLimitedError, UnauthorizedError, ValidationError } from '../../shared/errors';
import { errorResponse, ok, toHttpResponse } from '../../shared/http/respond';

describe('envelopes', () => {
  it('wraps data in the success envelope', () => {
    const response = toHttpResponse(ok({ expireIn: 300 }, '验证码已发送'));
    expect(JSON.parse(response.body)).toEqual({ success: true, data: { expireIn: 300 }, message: '验证码已发送' });
  });

  it.each([
    [new UnauthorizedError(), 401, 1001],
    [new GarmentNotFoundError(), 400, 2003],
    [new ValidationError([{ field: 'phone', message: 'bad' }]), 400, 1000],
  ])('maps %s to its status and code', (error, status, code) => {
    const response = errorResponse(error, 'rid');
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body).error.code).toBe(code);
  });

  it('hides internals of unexpected errors behind a 500 with the request id', () => {
    const response = errorResponse(new Error('ER_ACCESS_DENIED password=hunter2 at /var/task/index.js:1'), 'rid-123');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('index.js');
    expect(JSON.parse(response.body).error).toMatchObject({ code: 9999, requestId: 'rid-123' });
  });

  it('sends Retry-After with rate limits', () => {
    expect(errorResponse(new RateLimitedError(41.2), 'rid').headers['retry-after']).toBe('42');
  });
});
