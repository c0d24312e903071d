/**
 * The vendor sandbox: one plain node:http server that plays every third-party vendor over its real wire
 * format. Each vendor is a module in VENDOR_MODULES that adds routes, Tencent actions, faults and reset hooks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerAlipay } from './alipay';
import { registerCaptcha } from './captcha';
import { registerControl } from './control';
import { registerCos } from './cos';
import { registerPayControl } from './pay-control';
import { createRequestContext, HttpError, Router, sendJson } from './router';
import { registerRunningHub } from './runninghub';
import { registerScf } from './scf';
import { registerSms } from './sms';
import { SandboxState } from './state';
import { registerSts } from './sts';
import { headerValue, registerTencentApi, type TencentApi } from './tencent-api';
import { registerWechatOAuth } from './wechat-oauth';
import { registerWechatPay } from './wechat-pay';

export const DEFAULT_SANDBOX_PORT = 3100;
export const DEFAULT_SANDBOX_HOST = '127.0.0.1';
/** Above the largest real payload we relay (10 MB uploads) with room to spare; protects the dev machine. */
export const MAX_BODY_BYTES = 30 * 1024 * 1024;

/** The client went away while we read its body: nobody is left to answer, and it is not our bug. */
class ClientGoneError extends Error {}

export interface SandboxOptions {
  /** 0 picks a free port (tests); the real one is in the result. */
  readonly port?: number;
  readonly host?: string;
  /** One stdout line per request. */
  readonly verbose?: boolean;
  /** How long a RunningHub task runs before it ends by itself; default env SANDBOX_RUNNINGHUB_DELAY_MS, else 3000. */
  readonly runninghubDelayMs?: number;
  /** Where the API is (e.g. http://127.0.0.1:3000/api): payment notifications of orders without a notify_url go there. */
  readonly apiBaseUrl?: string;
  /** The H5 origins (CORS_ORIGINS) the buckets' default CORS rule allows, as `npm run cos:cors` sets them on the real bucket. */
  readonly corsOrigins?: readonly string[];
  /** Also run on POST /_sandbox/reset: npm run dev clears the API's local rate-limit rows here. */
  readonly onReset?: () => Promise<void> | void;
}

export interface RunningSandbox {
  readonly url: string;
  readonly port: number;
  readonly state: SandboxState;
  close(): Promise<void>;
}

/** What a vendor module gets to wire itself in. */
export interface SandboxModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  readonly tencent: TencentApi;
  /** The startSandbox options, for modules with settings (e.g. runninghubDelayMs). */
  readonly options: SandboxOptions;
}

export type SandboxModule = (ctx: SandboxModuleContext) => void;

/** Add later vendors (STS, COS, CI, RunningHub, WeChat Pay, Alipay, SCF) here. */
const VENDOR_MODULES: readonly SandboxModule[] = [registerControl, registerSms, registerSts, registerCos, registerRunningHub, registerWechatPay, registerWechatOAuth, registerAlipay, registerPayControl, registerScf, registerCaptcha];

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const state = new SandboxState();
  const router = new Router();
  const tencent = registerTencentApi(router, state);
  for (const register of VENDOR_MODULES) register({ router, state, tencent, options });

  const verbose = options.verbose ?? false;
  const server = createServer((req, res) => {
    void handleRequest(router, req, res, verbose);
  });
  // Malformed HTTP must not take the process down; answer 400 and drop the socket.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const host = options.host ?? DEFAULT_SANDBOX_HOST;
  const port = await listen(server, options.port ?? DEFAULT_SANDBOX_PORT, host);
  return { url: `http://${formatHost(host)}:${port}`, port, state, close: () => closeServer(server) };
}

async function handleRequest(router: Router, req: IncomingMessage, res: ServerResponse, verbose: boolean): Promise<void> {
  if (verbose) logWhenFinished(req, res);
  try {
    await routeRequest(router, req, res);
  } catch (error) {
    answerFailure(res, error);
  }
}

async function routeRequest(router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = parseRequestUrl(req);
  if (!url) throw new HttpError(400, 'request target must be an absolute path');
  if (declaredLength(req) > MAX_BODY_BYTES) {
    tooLarge(res);
    return;
  }
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === null) {
    tooLarge(res);
    return;
  }
  const match = router.match(req.method ?? 'GET', url.pathname);
  if (match.kind === 'not-found') throw new HttpError(404, `no sandbox route for ${req.method ?? ''} ${url.pathname}`);
  if (match.kind === 'method-not-allowed') {
    sendJson(res, 405, { error: 'method not allowed' }, { allow: match.allow.join(', ') });
    return;
  }
  await match.handler(req, res, createRequestContext(body, url));
}

function answerFailure(res: ServerResponse, error: unknown): void {
  if (error instanceof ClientGoneError) {
    res.destroy();
    return;
  }
  if (res.headersSent) {
    // Too late for a status; cutting the connection is the only honest signal left.
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendJson(res, error.status, { error: error.message });
    return;
  }
  console.error('[sandbox] request failed:', error);
  sendJson(res, 500, { error: 'internal sandbox error' });
}

function tooLarge(res: ServerResponse): void {
  // Closing the connection stops the client from streaming the rest of an oversized body at us.
  sendJson(res, 413, { error: `request body exceeds ${MAX_BODY_BYTES} bytes` }, { connection: 'close' });
}

/** Uses the Host header when it is sane so handlers see the URL the client used. */
function parseRequestUrl(req: IncomingMessage): URL | null {
  const target = req.url ?? '';
  if (!target.startsWith('/')) return null;
  const host = headerValue(req.headers, 'host');
  for (const base of [host ? `http://${host}` : null, 'http://sandbox.invalid']) {
    if (base === null) continue;
    try {
      // Concatenate instead of new URL(target, base): "//x" would otherwise be read as a host.
      return new URL(`${base}${target}`);
    } catch {
      // fall through to the next base
    }
  }
  return null;
}

function declaredLength(req: IncomingMessage): number {
  const value = Number(headerValue(req.headers, 'content-length') ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** Resolves null once the body passes `limit`; the rest is drained and discarded. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      action();
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) settle(() => resolve(null));
      else chunks.push(chunk);
    });
    req.on('end', () => settle(() => resolve(Buffer.concat(chunks))));
    req.on('error', () => settle(() => reject(new ClientGoneError('request aborted'))));
    req.on('close', () => settle(() => reject(new ClientGoneError('request closed before its body was read'))));
  });
}

function logWhenFinished(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  const action = headerValue(req.headers, 'x-tc-action');
  res.on('finish', () => {
    const elapsed = Math.round(performance.now() - started);
    const label = action ? ` (${action})` : '';
    console.log(`[sandbox] ${req.method ?? ''} ${req.url ?? ''}${label} -> ${res.statusCode} ${elapsed}ms`);
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      if (isAddressInfo(address)) resolve(address.port);
      else reject(new Error('sandbox server has no TCP address'));
    });
  });
}

function isAddressInfo(address: string | AddressInfo | null): address is AddressInfo {
  return typeof address === 'object' && address !== null;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets (the SDK's agent keeps them) and hung "hang"-fault requests would block close.
    server.closeAllConnections();
  });
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
