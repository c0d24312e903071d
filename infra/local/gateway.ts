import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { PlatformHandlers } from '../../shared/http/endpoint';
import { fallbackRoute, findRoute, httpRoutes } from '../../shared/routes';

/**
 * The local API gateway: turns each HTTP request into a real AWS HTTP API payload-2.0 event and
 * hands it to the function the route table names, through the same `handler` export Lambda calls.
 */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const textTypes = /^(application\/(json|x-www-form-urlencoded|xml)|text\/)/i;

export interface GatewayOptions {
  port: number;
  host?: string;
  basePath: string;
  projectRoot: string;
  /** The built H5 app (app/dist): served for every path outside basePath, index.html for unknown pages. */
  staticRoot?: string;
  /** Injected into index.html as window.__APP_CONFIG__ (local-only values: the sandbox's URL, the sandbox WeChat AppID). */
  appConfig?: Record<string, string>;
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

const loaded = new Map<string, Promise<PlatformHandlers>>();
function loadFunction(projectRoot: string, file: string): Promise<PlatformHandlers> {
  let module = loaded.get(file);
  if (!module) {
    module = import(pathToFileURL(`${projectRoot}/${file}`).href) as Promise<PlatformHandlers>;
    loaded.set(file, module);
  }
  return module;
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** Builds the event API Gateway would send for this request (payload format 2.0). */
export function toHttpApiEvent(request: IncomingMessage, body: Buffer, routeKey: string, pathParameters: Record<string, string> | undefined): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://local');
  const headers = headersOf(request);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
  const method = (request.method ?? 'GET').toUpperCase();
  const isText = body.length === 0 || textTypes.test(headers['content-type'] ?? '');
  const now = new Date();
  const cookies = request.headers.cookie?.split(/;\s*/).filter(Boolean);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(pathParameters && Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
}

/** A Lambda context with the function's own time limit from the route table, as deployed. */
function lambdaContext(fn: { name: string; timeoutSeconds: number }, requestId: string): Context {
  const functionName = fn.name;
  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The app's static files, as a static website host (COS static website, S3 + CloudFront) serves
 * them: hashed assets cached for good, index.html revalidated, unknown extension-less paths → index.html.
 */
async function serveStatic(options: GatewayOptions & { staticRoot: string }, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    pathname = '/';
  }
  const root = normalize(options.staticRoot);
  const candidate = normalize(join(root, pathname));
  const inside = candidate.startsWith(`${root}${sep}`) || candidate === root;
  let file = join(root, 'index.html');
  if (inside && pathname !== '/') {
    const found = await stat(candidate).catch(() => undefined);
    if (found?.isFile()) file = candidate;
    else if (extname(pathname) !== '') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found');
      return;
    }
  }
  let body: Buffer | string = await readFile(file);
  const type = contentTypes[extname(file)] ?? 'application/octet-stream';
  if (file.endsWith('index.html') && options.appConfig) {
    const json = JSON.stringify(options.appConfig).replace(/</g, '\\u003c');
    body = body.toString('utf8').replace('</head>', `<script>window.__APP_CONFIG__=${json}</script></head>`);
  }
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  response.writeHead(200, { 'content-type': type, 'cache-control': cache, 'content-length': String(Buffer.byteLength(body)) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

async function serve(options: GatewayOptions, invocations: InvokeStoreBase, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  const path = new URL(request.url ?? '/', 'http://local').pathname;
  const underApi = path === options.basePath || path.startsWith(`${options.basePath}/`);
  if (options.staticRoot && !underApi && (method === 'GET' || method === 'HEAD')) {
    await serveStatic({ ...options, staticRoot: options.staticRoot }, request, response);
    return;
  }
  const body = await readBody(request);
  if (body === 'too-large') {
    response.writeHead(413, { 'content-type': 'application/json' }).end('{"message":"Request Entity Too Large"}');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://local');
  const underBase = url.pathname === options.basePath || url.pathname.startsWith(`${options.basePath}/`);
  const match = underBase ? findRoute(httpRoutes, method, url.pathname.slice(options.basePath.length) || '/') : undefined;
  const route = match && 'route' in match ? match.route : undefined;
  const routeKey = route ? `${route.method} ${options.basePath}${route.path}` : '$default';
  const fn = await loadFunction(options.projectRoot, route ? route.file : fallbackRoute.file);
  const event = toHttpApiEvent(request, body, routeKey, match && 'params' in match ? match.params : undefined);
  const { requestId } = event.requestContext;
  const result = await invocations.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, () => fn.handler(event, lambdaContext(route ?? fallbackRoute, requestId)));
  response.writeHead(result.statusCode, result.headers);
  response.end(result.body);
}

/**
 * One Lambda (or SCF) instance serves one request at a time; this gateway serves many at once in one
 * process. Lambda's multi-concurrency runtime keeps each invocation's state apart with an
 * InvokeStore (AsyncLocalStorage); the gateway runs each request in one too. Powertools Logger
 * scopes its keys (user, task) to it when AWS_LAMBDA_MAX_CONCURRENCY is set, which `npm run dev`
 * does for its own process (infra/local/dev.ts); it is not set here, because the variable would
 * then reach child processes that have no InvokeStore.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const invocations = await InvokeStore.getInstanceAsync(true);
  const server: Server = createServer((request, response) => {
    serve(options, invocations, request, response).catch((error: unknown) => {
      console.error('[gateway] function crashed:', error);
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end('{"message":"Internal Server Error"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}${options.basePath}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
