import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { authenticate, type Caller } from '../auth/session';
import { config } from '../config';
import { logger } from '../logger';
import { MethodNotAllowedError, NotFoundError, ValidationError, type FieldIssue } from '../errors';
import { fallbackRoute, findRoute, httpRoutes, type HttpRoute } from '../routes';
import { errorEnvelope, httpContext, requestGuard, type BodyKind } from './middleware';
import {
  fromAwsHttpEvent,
  fromScfHttpEvent,
  lambdaContextFromScf,
  toPlatformResult,
  type HttpParseOptions,
  type ScfContext,
  type ScfHttpEvent,
} from './platform';
import { errorResponse, toHttpResponse, type Reply } from './respond';
import type { HttpRequest, HttpResponse } from './types';

type AuthMode = 'public' | 'user' | 'admin';
type Schema<T> = z.ZodMiniType<T, unknown>;

export interface EndpointInput<TBody, TQuery, TParams, TAuth extends AuthMode> {
  body: TBody;
  query: TQuery;
  params: TParams;
  caller: TAuth extends 'public' ? undefined : Caller;
  request: HttpRequest;
}

export interface EndpointSpec<TBody, TQuery, TParams, TAuth extends AuthMode> {
  /** Name of the route in shared/routes.ts. */
  route: string;
  auth: TAuth;
  /** JSON body schema; `'raw'` hands the bytes over unparsed (payment callbacks). */
  body?: Schema<TBody> | 'raw';
  query?: Schema<TQuery>;
  params?: Schema<TParams>;
  run(input: EndpointInput<TBody, TQuery, TParams, TAuth>): Promise<Reply>;
}

export interface PlatformHandlers {
  /** AWS Lambda entry (HTTP API payload 2.0). */
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse & { isBase64Encoded: false }>;
  /** Tencent SCF entry (Function URL / API Gateway event). */
  main_handler: (event: ScfHttpEvent, context: ScfContext) => Promise<HttpResponse & { isBase64Encoded: false }>;
}

function issuesOf(error: z.core.$ZodError, root: string): FieldIssue[] {
  return error.issues.map((issue) => ({ field: issue.path.length > 0 ? issue.path.join('.') : root, message: issue.message }));
}

function validate<T>(schema: Schema<T> | undefined, value: unknown, root: string): T {
  if (!schema) return undefined as T;
  const result = z.safeParse(schema, value);
  if (!result.success) throw new ValidationError(issuesOf(result.error, root));
  return result.data;
}

function parseJsonBody(request: HttpRequest): unknown {
  if (request.body.length === 0) return {};
  try {
    return JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new ValidationError([{ field: 'body', message: 'body is not valid JSON' }]);
  }
}

export function findHttpRoute(name: string): HttpRoute {
  const route = httpRoutes.find((candidate) => candidate.name === name);
  if (!route) throw new Error(`No route named ${name} in shared/routes.ts`);
  return route;
}

/**
 * Builds a function's two platform entry points over one core: event → neutral request, the
 * middy stack (context, errors, guard), input validation, authentication, then `run`.
 * Configuration is read here, so a bad setting fails the function at cold start.
 */
export function defineEndpoint<TBody = undefined, TQuery = undefined, TParams = undefined, TAuth extends AuthMode = AuthMode>(
  spec: EndpointSpec<TBody, TQuery, TParams, TAuth>,
): PlatformHandlers {
  const settings = config();
  const route = findHttpRoute(spec.route);
  const bodyKind: BodyKind = spec.body === 'raw' ? 'raw' : spec.body ? 'json' : 'none';

  const core = middy<HttpRequest, HttpResponse>({ timeoutEarlyInMillis: 0 })
    .use(httpContext(settings, route))
    .use(errorEnvelope())
    .use(requestGuard(route, settings, bodyKind))
    .handler(async (request) => {
      if (request.method === 'OPTIONS') return { statusCode: 204, headers: {}, body: '' };
      const body = spec.body === 'raw' ? (request.body as TBody) : validate(spec.body, spec.body ? parseJsonBody(request) : undefined, 'body');
      const query = validate(spec.query, request.query, 'query');
      const params = validate(spec.params, request.pathParams, 'path');
      const caller = (spec.auth === 'public' ? undefined : await authenticate(request.headers.authorization, spec.auth)) as EndpointInput<TBody, TQuery, TParams, TAuth>['caller'];
      if (caller) logger.appendKeys({ userId: caller.user.id });
      return toHttpResponse(await spec.run({ body, query, params, caller, request }));
    });

  return platformHandlers(core, { routePath: route.path, basePath: settings.API_BASE_PATH });
}

/** Wraps one neutral core in both platforms' entry points. */
function platformHandlers(core: (request: HttpRequest, context: Context) => Promise<HttpResponse>, options: HttpParseOptions): PlatformHandlers {
  const invoke = async (toRequest: () => HttpRequest, toContext: (request: HttpRequest) => Context) => {
    let request: HttpRequest;
    try {
      request = toRequest();
    } catch {
      return toPlatformResult(errorResponse(new Error('unreadable platform event'), 'unknown'));
    }
    return toPlatformResult(await core(request, toContext(request)));
  };
  return {
    handler: (event, context) => invoke(() => fromAwsHttpEvent(event, context, options), () => context),
    main_handler: (event, context) => invoke(() => fromScfHttpEvent(event, context, options), (request) => lambdaContextFromScf(context, request.requestId)),
  };
}

/** The catch-all function: 405 when the path exists under another method, else 404. */
export function defineFallback(): PlatformHandlers {
  const settings = config();
  const pseudoRoute: HttpRoute = { name: fallbackRoute.name, file: fallbackRoute.file, method: 'GET', path: '/' };
  const core = middy<HttpRequest, HttpResponse>({ timeoutEarlyInMillis: 0 })
    .use(httpContext(settings, pseudoRoute))
    .use(errorEnvelope())
    .handler(async (request) => {
      const found = findRoute(httpRoutes, request.method, request.path);
      if (found && 'methodMismatch' in found) {
        if (request.method === 'OPTIONS') return { statusCode: 204, headers: {}, body: '' };
        throw new MethodNotAllowedError();
      }
      throw new NotFoundError();
    });
  return platformHandlers(core, { routePath: '/', basePath: settings.API_BASE_PATH });
}
