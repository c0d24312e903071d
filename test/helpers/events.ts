import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import awsV2Fixture from '../fixtures/aws-v2/post.json';
import scfUrlFixture from '../fixtures/scf-url/post.json';
import type { PlatformHandlers } from '../../shared/http/endpoint';
import type { ScfContext, ScfHttpEvent } from '../../shared/http/platform';
import { assertConformsToOpenApi } from './conformance';

/** One API call, described once and turned into each platform's real event shape. */
export interface ApiCall {
  method: string;
  /** Path below the API base, e.g. `/auth/login` (the events carry `/api/auth/login`). */
  path: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Objects are sent as JSON with content-type application/json unless headers say otherwise. */
  body?: string | object;
  sourceIp?: string;
  base64?: boolean;
  token?: string;
  /** Time the platform gives the invocation (context), in ms; AWS tests otherwise give none. */
  timeLimitMs?: number;
}

export interface ApiResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: {
    success?: boolean;
    data?: Record<string, unknown> & { [key: string]: unknown };
    message?: string;
    error?: { code: number; message: string; requestId?: string; details?: { field: string; message: string }[] };
  };
  text: string;
}

function bodyAndHeaders(call: ApiCall): { body: string | undefined; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (typeof call.body === 'object') {
    body = JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
  } else if (typeof call.body === 'string') {
    body = call.body;
  }
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  return { body, headers: { ...headers, ...call.headers } };
}

export function awsHttpEvent(call: ApiCall): APIGatewayProxyEventV2 {
  const { body, headers } = bodyAndHeaders(call);
  const fixture = structuredClone(awsV2Fixture) as unknown as APIGatewayProxyEventV2;
  const rawPath = `/api${call.path}`;
  const fixtureHeaders: Record<string, string | undefined> = { ...fixture.headers };
  delete fixtureHeaders['content-type'];
  const sourceIp = call.sourceIp ?? '203.0.113.9';
  return {
    ...fixture,
    routeKey: `${call.method} ${rawPath}`,
    rawPath,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers: { ...fixtureHeaders, ...headers, 'x-forwarded-for': sourceIp },
    ...(call.query ? { queryStringParameters: call.query } : {}),
    requestContext: {
      ...fixture.requestContext,
      http: { ...fixture.requestContext.http, method: call.method, path: rawPath, sourceIp },
      requestId: randomUUID(),
      routeKey: `${call.method} ${rawPath}`,
    },
    ...(body === undefined ? { body: undefined } : { body: call.base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: call.base64 === true,
  } as APIGatewayProxyEventV2;
}

export function scfUrlEvent(call: ApiCall): ScfHttpEvent {
  const { body, headers } = bodyAndHeaders(call);
  const fixture = structuredClone(scfUrlFixture) as ScfHttpEvent;
  const fixtureHeaders: Record<string, string | undefined> = { ...fixture.headers };
  delete fixtureHeaders['content-type'];
  delete fixtureHeaders['content-length'];
  return {
    ...fixture,
    httpMethod: call.method,
    path: `/api${call.path}`,
    headers: {
      ...fixtureHeaders,
      ...headers,
      ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      'x-scf-remote-addr': call.sourceIp ?? '111.206.96.145',
    },
    queryString: call.query ?? {},
    body: body ?? '',
  };
}

function awsContext(timeLimitMs: number | undefined): Context {
  const deadline = Date.now() + (timeLimitMs ?? 0);
  return { awsRequestId: randomUUID(), ...(timeLimitMs ? { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) } : {}) } as Context;
}
const scfContext = (timeLimitMs = 10_000): ScfContext => ({ request_id: randomUUID(), function_name: 'test', time_limit_in_ms: timeLimitMs, memory_limit_in_mb: 128 });

function toResult(response: { statusCode: number; headers: Record<string, string>; body: string }): ApiResult {
  let json: ApiResult['json'];
  try {
    json = response.body ? (JSON.parse(response.body) as ApiResult['json']) : {};
  } catch {
    json = {};
  }
  return { status: response.statusCode, headers: response.headers, json, text: response.body };
}

/** The answer, after checking it against the OpenAPI document (test/helpers/conformance.ts). */
function conforming(call: ApiCall, result: ApiResult): ApiResult {
  assertConformsToOpenApi(call.method, call.path, result);
  return result;
}

export interface Platform {
  name: string;
  call(fn: PlatformHandlers, call: ApiCall): Promise<ApiResult>;
}

/** Every platform a function runs on; tests use `describe.each(platforms)`. Every answer is checked against the OpenAPI document. */
export const platforms: Platform[] = [
  { name: 'AWS HTTP API v2', call: async (fn, call) => conforming(call, toResult(await fn.handler(awsHttpEvent(call), awsContext(call.timeLimitMs)))) },
  { name: 'SCF Function URL', call: async (fn, call) => conforming(call, toResult(await fn.main_handler(scfUrlEvent(call), scfContext(call.timeLimitMs)))) },
];
