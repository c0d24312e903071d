import middy from '@middy/core';
import * as z from 'zod/mini';
import { authenticate, verifySession, type Caller, type Session } from '../auth/session';
import { config } from '../config';
import { logger } from '../logger';
import { ValidationError, type FieldIssue } from '../errors';
import { httpRoutes, type HttpRoute } from '../routes';
import { platformHandlers, type PlatformHandlers } from './handlers';
import { errorEnvelope, httpContext, requestGuard, type BodyKind } from './middleware';
import { toHttpResponse, type Reply } from './respond';
import type { HttpRequest, HttpResponse } from './types';

export type { PlatformHandlers } from './handlers';

/**
 * `user`/`admin`: the caller's user row is read before `run` (one statement). `session`: only the
 * token is verified; `run` must fold the revocation check into its own statement
 * (assertSessionCurrent), so a read endpoint costs one round trip.
 */
type AuthMode = 'public' | 'session' | 'user' | 'admin';
type Schema<T> = z.ZodMiniType<T, unknown>;

export interface EndpointInput<TBody, TQuery, TParams, TAuth extends AuthMode> {
  body: TBody;
  query: TQuery;
  params: TParams;
  caller: TAuth extends 'public' ? undefined : TAuth extends 'session' ? Session : Caller;
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

async function callerOf(auth: AuthMode, authorization: string | undefined): Promise<Caller | Session | undefined> {
  if (auth === 'public') return undefined;
  const caller = auth === 'session' ? await verifySession(authorization, 'user') : await authenticate(authorization, auth);
  logger.appendKeys({ userId: 'user' in caller ? caller.user.id : caller.userId });
  return caller;
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
      const caller = (await callerOf(spec.auth, request.headers.authorization)) as EndpointInput<TBody, TQuery, TParams, TAuth>['caller'];
      return toHttpResponse(await spec.run({ body, query, params, caller, request }));
    });

  return platformHandlers(core, { routePath: route.path, basePath: settings.API_BASE_PATH }, route.timeoutSeconds);
}
