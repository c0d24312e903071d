import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context, ScheduledEvent } from 'aws-lambda';
import { matchPath } from '../routes';
import type { HttpRequest, HttpResponse, TimerEvent } from './types';

/**
 * The one place that knows platform event shapes (facts: ../shared/reference/platform.md §2-3):
 * AWS HTTP API payload 2.0, Tencent SCF Function URL (and the legacy API Gateway shape, which has
 * the same fields plus requestContext), an EventBridge schedule and an SCF timer trigger.
 */

/** SCF Function URL / API Gateway event (Function URL lacks requestContext and pathParameters). */
export interface ScfHttpEvent {
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined>;
  queryString?: Record<string, string | string[] | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  pathParameters?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
  /** Only API Gateway events (serviceId) document it; Function URL events may carry a partial one. */
  requestContext?: { serviceId?: string; requestId?: string; sourceIp?: string; stage?: string; path?: string };
}

export interface ScfTimerEvent {
  Type: string;
  TriggerName: string;
  Time: string;
  Message?: string;
}

/** The SCF handler context (snake case, no getRemainingTimeInMillis). */
export interface ScfContext {
  request_id?: string;
  function_name?: string;
  function_version?: string;
  memory_limit_in_mb?: number | string;
  time_limit_in_ms?: number | string;
  tencentcloud_region?: string;
}

export interface HttpParseOptions {
  /** Route template of the function, used when the platform gives no path parameters. */
  routePath: string;
  /** Configured base path to strip, e.g. `/api`. */
  basePath: string;
}

function lowerCaseHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    result[key] = result[key] === undefined ? value : `${result[key]}, ${value}`;
  }
  return result;
}

function stripPrefix(path: string, prefix: string | undefined): string {
  if (!prefix || prefix === '/') return path;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

function bodyBytes(body: string | null | undefined, isBase64Encoded: boolean | undefined): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  return Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
}

function definedValues(record: Record<string, string | undefined> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record ?? {})) if (value !== undefined) result[key] = value;
  return result;
}

function paramsFor(routePath: string, path: string, given: Record<string, string | undefined> | undefined): Record<string, string> {
  const fromPlatform = definedValues(given);
  if (Object.keys(fromPlatform).length > 0) return fromPlatform;
  return matchPath(routePath, path) ?? {};
}

/** Stands for "no usable client address": such requests share one rate-limit bucket. */
export const UNKNOWN_CLIENT_IP = '0.0.0.0';

/**
 * One IPv4 or IPv6 address short enough for otp_codes.request_ip (VARCHAR(45)), or the unknown
 * address. Comma-joined repeats, lists and junk are refused rather than guessed at.
 */
function validIp(value: string | undefined): string {
  const candidate = value?.trim();
  return candidate && candidate.length <= 45 && isIP(candidate) !== 0 ? candidate : UNKNOWN_CLIENT_IP;
}

export function fromAwsHttpEvent(event: APIGatewayProxyEventV2, context: Pick<Context, 'awsRequestId'> | undefined, options: HttpParseOptions): HttpRequest {
  const stage = event.requestContext?.stage;
  const withoutStage = stage && stage !== '$default' ? stripPrefix(event.rawPath, `/${stage}`) : event.rawPath;
  const path = stripPrefix(withoutStage, options.basePath);
  const headers = lowerCaseHeaders(event.headers);
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  return {
    platform: 'aws',
    method: (event.requestContext?.http?.method ?? 'GET').toUpperCase(),
    path,
    headers,
    query: definedValues(event.queryStringParameters),
    pathParams: paramsFor(options.routePath, path, event.pathParameters),
    body: bodyBytes(event.body, event.isBase64Encoded),
    sourceIp: validIp(event.requestContext?.http?.sourceIp),
    requestId: context?.awsRequestId ?? event.requestContext?.requestId ?? randomUUID(),
  };
}

function scfQuery(event: ScfHttpEvent): Record<string, string> {
  const result: Record<string, string> = {};
  const source = event.queryString ?? event.queryStringParameters ?? {};
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    result[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return result;
}

/**
 * The client's address on SCF (reference/platform.md §2.4). On a Function URL event — the only kind
 * we deploy — SCF injects x-scf-remote-addr and clients cannot set X-Scf-* headers, so that header
 * is the source; a requestContext.sourceIp seen there too is undocumented and may be an internal
 * hop, so it is only the fallback. On an API Gateway event (requestContext.serviceId) headers are the
 * client's own, so only the gateway's sourceIp counts. A repeated or malformed value counts as unknown.
 */
function scfClientIp(event: ScfHttpEvent, headers: Record<string, string>): string {
  const fromGateway = event.requestContext?.sourceIp;
  if (event.requestContext?.serviceId !== undefined) return validIp(fromGateway);
  const fromHeader = validIp(headers['x-scf-remote-addr']);
  return fromHeader === UNKNOWN_CLIENT_IP && fromGateway !== undefined ? validIp(fromGateway) : fromHeader;
}

export function fromScfHttpEvent(event: ScfHttpEvent, context: ScfContext | undefined, options: HttpParseOptions): HttpRequest {
  const headers = lowerCaseHeaders(event.headers);
  const stage = event.requestContext?.stage;
  const withoutStage = stage ? stripPrefix(event.path, `/${stage}`) : event.path;
  const path = stripPrefix(withoutStage, options.basePath);
  return {
    platform: 'scf',
    method: event.httpMethod.toUpperCase(),
    path,
    headers,
    query: scfQuery(event),
    pathParams: paramsFor(options.routePath, path, event.pathParameters),
    body: bodyBytes(event.body, event.isBase64Encoded),
    sourceIp: scfClientIp(event, headers),
    requestId: context?.request_id ?? event.requestContext?.requestId ?? randomUUID(),
  };
}

/** Both platforms take the same structured result; always return one, never rely on inference. */
export function toPlatformResult(response: HttpResponse): APIGatewayProxyResultV2 & HttpResponse & { isBase64Encoded: false } {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body, isBase64Encoded: false };
}

export function isScfTimerEvent(event: unknown): event is ScfTimerEvent {
  return typeof event === 'object' && event !== null && typeof (event as ScfTimerEvent).Type === 'string' && (event as ScfTimerEvent).Type.toLowerCase() === 'timer';
}

export function isAwsScheduledEvent(event: unknown): event is ScheduledEvent {
  return typeof event === 'object' && event !== null && (event as ScheduledEvent)['detail-type'] === 'Scheduled Event';
}

export function fromAwsScheduledEvent(event: ScheduledEvent, context: Pick<Context, 'awsRequestId'> | undefined): TimerEvent {
  return {
    platform: 'aws',
    firedAt: new Date(event.time),
    trigger: event.resources?.[0] ?? 'schedule',
    requestId: context?.awsRequestId ?? event.id ?? randomUUID(),
  };
}

export function fromScfTimerEvent(event: ScfTimerEvent, context: ScfContext | undefined): TimerEvent {
  return {
    platform: 'scf',
    firedAt: new Date(event.Time),
    trigger: event.TriggerName,
    ...(event.Message ? { payload: event.Message } : {}),
    requestId: context?.request_id ?? randomUUID(),
  };
}

/** A Lambda-shaped context for code (middy) that expects one, built from the SCF context. */
/** `fallbackLimitMs`: the function's own time limit (route table), for a context that does not say. */
export function lambdaContextFromScf(context: ScfContext | undefined, requestId: string, fallbackLimitMs: number): Context {
  const limit = Number(context?.time_limit_in_ms ?? 0) || fallbackLimitMs;
  const deadline = limit > 0 ? Date.now() + limit : 0;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: context?.function_name ?? 'scf-function',
    functionVersion: context?.function_version ?? '$LATEST',
    invokedFunctionArn: '',
    memoryLimitInMB: String(context?.memory_limit_in_mb ?? ''),
    awsRequestId: requestId,
    logGroupName: '',
    logStreamName: '',
    getRemainingTimeInMillis: () => (deadline > 0 ? Math.max(0, deadline - Date.now()) : fallbackLimitMs),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
