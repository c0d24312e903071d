import { describe, expect, it } from 'vitest';
import awsV2Fixture from '../fixtures/aws-v2/post.json';
import awsScheduleFixture from '../fixtures/aws-schedule/event.json';
import scfTimerFixture from '../fixtures/scf-timer/event.json';
import scfUrlFixture from '../fixtures/scf-url/post.json';
import type { APIGatewayProxyEventV2, ScheduledEvent } from 'aws-lambda';
import {
  fromAwsHttpEvent,
  fromAwsScheduledEvent,
  fromScfHttpEvent,
  fromScfTimerEvent,
  isAwsScheduledEvent,
  isScfTimerEvent,
  lambdaContextFromScf,
  type ScfHttpEvent,
  UNKNOWN_CLIENT_IP,
} from '../../shared/http/platform';

const options = { routePath: '/task/{taskId}', basePath: '/api' };
const awsEvent = (patch: Partial<APIGatewayProxyEventV2>) => ({ ...structuredClone(awsV2Fixture), ...patch }) as APIGatewayProxyEventV2;
const scfEvent = (patch: Partial<ScfHttpEvent>) => ({ ...structuredClone(scfUrlFixture), ...patch }) as ScfHttpEvent;

const cases = [
  {
    name: 'AWS HTTP API v2',
    parse: (path: string, headers: Record<string, string>, body?: string, base64 = false) =>
      fromAwsHttpEvent(awsEvent({ rawPath: path, headers, ...(body === undefined ? {} : { body }), isBase64Encoded: base64 }), { awsRequestId: 'req-aws' }, options),
    requestId: 'req-aws',
    sourceIp: '203.0.113.9',
  },
  {
    name: 'SCF Function URL',
    parse: (path: string, headers: Record<string, string>, body?: string, base64 = false) =>
      fromScfHttpEvent(scfEvent({ path, headers: { ...headers, 'x-scf-remote-addr': '111.206.96.145' }, ...(body === undefined ? {} : { body }), ...(base64 ? { isBase64Encoded: true } : {}) }), { request_id: 'req-scf' }, options),
    requestId: 'req-scf',
    sourceIp: '111.206.96.145',
  },
];

describe.each(cases)('$name event → neutral request', ({ parse, requestId, sourceIp }) => {
  it('strips the base path and derives path parameters from the route template', () => {
    const request = parse('/api/task/task_abc123', {});
    expect(request.path).toBe('/task/task_abc123');
    expect(request.pathParams).toEqual({ taskId: 'task_abc123' });
  });

  it('lower-cases header names and takes the platform request id and client IP', () => {
    const request = parse('/api/task/x', { 'Content-Type': 'application/json', 'X-Custom': 'v' });
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-custom']).toBe('v');
    expect(request.requestId).toBe(requestId);
    expect(request.sourceIp).toBe(sourceIp);
  });

  it('decodes a base64 body only when flagged', () => {
    expect(parse('/api/task/x', {}, Buffer.from('{"a":1}').toString('base64'), true).body.toString()).toBe('{"a":1}');
    expect(parse('/api/task/x', {}, 'eyJhIjoxfQ==').body.toString()).toBe('eyJhIjoxfQ==');
  });
});

describe('platform specifics', () => {
  it('ignores a spoofed X-Forwarded-For on AWS', () => {
    const request = fromAwsHttpEvent(awsEvent({ headers: { 'x-forwarded-for': '1.2.3.4' } }), undefined, options);
    expect(request.sourceIp).toBe('203.0.113.9');
  });

  it.each([
    ['an IPv6 address', '2001:db8::1', '2001:db8::1'],
    ['a comma-joined repeat', '111.206.96.145, 6.6.6.6', UNKNOWN_CLIENT_IP],
    ['an over-long value', `1.2.3.4${' '.repeat(10)}${'9'.repeat(60)}`, UNKNOWN_CLIENT_IP],
    ['an over-long IPv6 zone', `fe80::1%${'z'.repeat(60)}`, UNKNOWN_CLIENT_IP],
    ['a non-IP value', 'localhost', UNKNOWN_CLIENT_IP],
    ['an SQL fragment', "1.2.3.4'; DROP TABLE users; --", UNKNOWN_CLIENT_IP],
  ])('reads the SCF Function URL address header as %s', (_name, header, expected) => {
    // Arrange: the documented Function URL event has no requestContext
    const event = scfEvent({ headers: { ...scfUrlFixture.headers, 'x-scf-remote-addr': header } });

    // Act
    const request = fromScfHttpEvent(event, undefined, options);

    // Assert
    expect(request.sourceIp).toBe(expected);
    expect(request.sourceIp.length).toBeLessThanOrEqual(45);
  });

  it('takes a Function URL event\'s address from x-scf-remote-addr even when a requestContext carries another', () => {
    const event = scfEvent({ headers: { ...scfUrlFixture.headers, 'x-scf-remote-addr': '111.206.96.145' }, requestContext: { sourceIp: '10.0.2.14' } });
    expect(fromScfHttpEvent(event, undefined, options).sourceIp).toBe('111.206.96.145');
  });

  it('falls back to requestContext.sourceIp on a Function URL event without a usable header', () => {
    const event = scfEvent({ headers: { ...scfUrlFixture.headers, 'x-scf-remote-addr': 'garbage' }, requestContext: { sourceIp: '111.206.96.145' } });
    expect(fromScfHttpEvent(event, undefined, options).sourceIp).toBe('111.206.96.145');
  });

  it('ignores a client-set header on an API Gateway event and never falls back to it', () => {
    const gateway = (sourceIp: string) => scfEvent({ headers: { ...scfUrlFixture.headers, 'X-Scf-Remote-Addr': '6.6.6.6' }, requestContext: { serviceId: 'service-f94sy04v', sourceIp } });
    expect(fromScfHttpEvent(gateway('111.206.96.145'), undefined, options).sourceIp).toBe('111.206.96.145');
    expect(fromScfHttpEvent(gateway('garbage'), undefined, options).sourceIp).toBe(UNKNOWN_CLIENT_IP);
  });

  it('ignores an x-scf-remote-addr header on AWS and validates the AWS address', () => {
    const spoofed = fromAwsHttpEvent(awsEvent({ headers: { 'x-scf-remote-addr': '6.6.6.6' } }), undefined, options);
    const junk = awsEvent({});
    junk.requestContext.http.sourceIp = 'x'.repeat(100);
    expect(spoofed.sourceIp).toBe('203.0.113.9');
    expect(fromAwsHttpEvent(junk, undefined, options).sourceIp).toBe(UNKNOWN_CLIENT_IP);
  });

  it('strips an SCF stage prefix and prefers given path parameters', () => {
    const request = fromScfHttpEvent(
      scfEvent({ path: '/release/api/task/t1', requestContext: { stage: 'release', sourceIp: '10.0.0.1' }, pathParameters: { taskId: 't1' } }),
      undefined,
      options,
    );
    expect(request.path).toBe('/task/t1');
    expect(request.pathParams).toEqual({ taskId: 't1' });
  });

  it('reads both timer shapes into one timer event', () => {
    expect(isAwsScheduledEvent(awsScheduleFixture)).toBe(true);
    expect(isScfTimerEvent(scfTimerFixture)).toBe(true);
    expect(isScfTimerEvent(awsScheduleFixture)).toBe(false);
    const aws = fromAwsScheduledEvent(awsScheduleFixture as ScheduledEvent, undefined);
    const scf = fromScfTimerEvent(scfTimerFixture, undefined);
    expect(aws.firedAt.toISOString()).toBe('2026-11-20T16:53:00.000Z');
    expect(scf.firedAt.toISOString()).toBe('2026-11-20T16:53:00.000Z');
    expect(scf.trigger).toBe('sweeper-every-minute');
  });
});

describe('lambdaContextFromScf', () => {
  it("counts down from the SCF context's time limit, or from the function's own when the context gives none", () => {
    const given = lambdaContextFromScf({ request_id: 'r1', time_limit_in_ms: 3_000 }, 'r1', 29_000);
    const missing = lambdaContextFromScf({ request_id: 'r2' }, 'r2', 29_000);

    expect(given.getRemainingTimeInMillis()).toBeLessThanOrEqual(3_000);
    expect(given.getRemainingTimeInMillis()).toBeGreaterThan(2_900);
    expect(missing.getRemainingTimeInMillis()).toBeLessThanOrEqual(29_000);
    expect(missing.getRemainingTimeInMillis()).toBeGreaterThan(28_900);
  });
});
