import type { MiddlewareObj } from '@middy/core';
import type { Config } from '../config';
import { MethodNotAllowedError, NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import { logger } from '../logger';
import { httpRoutes, matchPath, type HttpRoute } from '../routes';
import { errorResponse } from './respond';
import type { HttpRequest, HttpResponse } from './types';

type HttpMiddleware = MiddlewareObj<HttpRequest, HttpResponse>;

/** On every response, including those made before the middy stack runs (handlers.ts). */
export const securityHeaders: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

function corsHeaders(request: HttpRequest, allowedOrigins: readonly string[]): Record<string, string> {
  const origin = request.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return {};
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    'access-control-expose-headers': 'x-request-id, retry-after',
  };
  if (request.method === 'OPTIONS') {
    headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
    headers['access-control-allow-headers'] = 'authorization, content-type, idempotency-key';
    headers['access-control-max-age'] = '600';
  }
  return headers;
}

/** When each invocation began, keyed by its event: one process may serve overlapping requests (local gateway). */
const startedAt = new WeakMap<HttpRequest, number>();

/**
 * Request context in and headers out: the request id on every log line and every response, CORS
 * for the configured H5 origins, security headers, and one access-log line per request.
 */
export function httpContext(settings: Config, route: HttpRoute): HttpMiddleware {
  const finish: HttpMiddleware['after'] = (request) => {
    const response = request.response;
    if (!response) return;
    const event = request.event;
    // A route may make its answer cacheable (GET /openapi.json); every other security header is fixed.
    const caching: Record<string, string> = response.headers['cache-control'] ? { 'cache-control': response.headers['cache-control'] } : {};
    response.headers = { ...response.headers, ...securityHeaders, ...caching, ...corsHeaders(event, settings.CORS_ORIGINS), 'x-request-id': event.requestId };
    // requestId is passed explicitly: the logger's appended keys are shared by the whole process.
    const began = startedAt.get(event) ?? Date.now();
    logger.info('request', { requestId: event.requestId, route: route.name, method: event.method, status: response.statusCode, durationMs: Date.now() - began });
    logger.resetKeys();
  };
  return {
    before: (request) => {
      startedAt.set(request.event, Date.now());
      logger.resetKeys();
      logger.appendKeys({ requestId: request.event.requestId, platform: request.event.platform });
    },
    after: finish,
    onError: finish,
  };
}

/** Maps any error to the envelope; internal ones are logged with their stack, never returned. */
export function errorEnvelope(): HttpMiddleware {
  return {
    onError: (request) => {
      const error = request.error;
      const response = errorResponse(error, request.event.requestId);
      if (response.statusCode >= 500) logger.error('request failed', { requestId: request.event.requestId, error: error ?? undefined });
      request.response = response;
    },
  };
}

export type BodyKind = 'none' | 'json' | 'raw';

/**
 * Paths of the route table without parameters. A parameter route never serves one of them
 * (`/task/create` is no task id): such a request used a method that path does not have.
 */
const staticPaths = new Set(httpRoutes.filter((candidate) => !candidate.path.includes('{')).map((candidate) => candidate.path));

/**
 * Checks what the platform route cannot: SCF custom domains match paths by prefix and never by
 * method, so the function itself answers 404/405; then the body size cap and content type.
 */
export function requestGuard(route: HttpRoute, settings: Config, bodyKind: BodyKind): HttpMiddleware {
  return {
    before: (request) => {
      const event = request.event;
      if (!matchPath(route.path, event.path)) throw new NotFoundError();
      if (event.method === 'OPTIONS') return;
      if (route.path !== event.path && staticPaths.has(event.path)) throw new MethodNotAllowedError();
      if (event.method !== route.method) throw new MethodNotAllowedError();
      if (event.body.length > settings.MAX_BODY_BYTES) throw new PayloadTooLargeError();
      if (bodyKind === 'json' && event.body.length > 0 && !/^application\/json\s*(;|$)/i.test(event.headers['content-type'] ?? '')) {
        throw new UnsupportedMediaTypeError();
      }
    },
  };
}
