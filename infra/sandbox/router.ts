import type { IncomingMessage, ServerResponse } from 'node:http';

/** What every handler gets besides req/res: the body is already read (and size-capped) by the server. */
export interface RequestContext {
  readonly rawBody: Buffer;
  readonly url: URL;
  /**
   * Parses the body as JSON. The type argument is a claim, not a check: validate before trusting.
   * Throws HttpError(400) on malformed JSON so handlers never crash on bad input.
   */
  json<T = unknown>(): T;
}

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
) => void | Promise<void>;

/** Thrown by handlers to answer `{error: message}` with a chosen status; the server turns it into JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly handler: RouteHandler }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

interface Route {
  readonly method: string;
  readonly path: string;
  readonly prefix: boolean;
  readonly handler: RouteHandler;
}

/** Any method: for vendors such as COS that serve GET/PUT/HEAD/DELETE on the same paths. */
export const ANY_METHOD = '*';
const PREFIX_MARK = '*';

/**
 * Exact paths win over prefixes; among prefixes the longest wins; a specific method wins over ANY_METHOD.
 * `add('GET', '/a/b', h)` matches only `/a/b`; `add('*', '/bucket/*', h)` matches everything starting `/bucket/`.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pathOrPrefix: string, handler: RouteHandler): this {
    const route = toRoute(method, pathOrPrefix, handler);
    const clash = this.routes.find(
      (r) => r.method === route.method && r.path === route.path && r.prefix === route.prefix,
    );
    if (clash) {
      // Two vendor modules claiming the same route is a wiring bug; fail at startup, not per request.
      throw new Error(`route already registered: ${route.method} ${pathOrPrefix}`);
    }
    this.routes.push(route);
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const candidates = this.pathCandidates(pathname);
    if (candidates.length === 0) return { kind: 'not-found' };
    const wanted = method.toUpperCase();
    const chosen =
      findForMethod(candidates, wanted) ?? (wanted === 'HEAD' ? findForMethod(candidates, 'GET') : undefined);
    if (chosen) return { kind: 'found', handler: chosen.handler };
    return { kind: 'method-not-allowed', allow: [...new Set(candidates.map((r) => r.method))] };
  }

  /** Routes whose path fits, best first: exact before prefix, longer prefix first, specific method before ANY. */
  private pathCandidates(pathname: string): Route[] {
    const exact = this.routes.filter((r) => !r.prefix && r.path === pathname);
    const prefixes = this.routes.filter((r) => r.prefix && pathname.startsWith(r.path));
    return [...exact.sort(bySpecificity), ...prefixes.sort(bySpecificity)];
  }
}

export function createRouter(): Router {
  return new Router();
}

function toRoute(method: string, pathOrPrefix: string, handler: RouteHandler): Route {
  if (!pathOrPrefix.startsWith('/')) throw new Error(`route path must start with "/": ${pathOrPrefix}`);
  const prefix = pathOrPrefix.endsWith(PREFIX_MARK);
  const path = prefix ? pathOrPrefix.slice(0, -PREFIX_MARK.length) : pathOrPrefix;
  return { method: method.toUpperCase(), path, prefix, handler };
}

function bySpecificity(a: Route, b: Route): number {
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  return Number(a.method === ANY_METHOD) - Number(b.method === ANY_METHOD);
}

function findForMethod(candidates: readonly Route[], method: string): Route | undefined {
  return candidates.find((r) => r.method === method || r.method === ANY_METHOD);
}

export function createRequestContext(rawBody: Buffer, url: URL): RequestContext {
  return {
    rawBody,
    url,
    json<T = unknown>(): T {
      return parseJsonBody(rawBody) as T;
    },
  };
}

function parseJsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
