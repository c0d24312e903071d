/**
 * Tencent Cloud API v3 (`POST /`, TC3-HMAC-SHA256) as tencentcloud-sdk-nodejs speaks it.
 * Verifies the signature the way the real service does (vendors.md §5), then dispatches on X-TC-Action
 * to actions that vendor modules register. Every answer is HTTP 200 `{"Response": {...}}`, like Tencent.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { SANDBOX_TENCENT_SECRET_ID, SANDBOX_TENCENT_SECRET_KEY } from './keys';
import { type RequestContext, type Router, sendJson } from './router';
import type { SandboxState } from './state';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
/** Tencent refuses requests whose X-TC-Timestamp is more than five minutes off. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const PERMANENT_KEYS: ReadonlyMap<string, string> = new Map([
  [SANDBOX_TENCENT_SECRET_ID, SANDBOX_TENCENT_SECRET_KEY],
]);

/** An error answered as `Response.Error`; the SDK turns it into an exception with `.code`. */
export class TencentApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TencentApiError';
  }
}

export type TencentParams = Readonly<Record<string, unknown>>;
export type TencentResponsePayload = Record<string, unknown>;

export interface TencentCallerCredentials {
  readonly secretId: string;
  /** X-TC-Token when the caller used temporary (STS) keys. */
  readonly token: string | null;
  readonly temporary: boolean;
}

export interface TencentActionContext {
  readonly action: string;
  readonly version: string;
  /** X-TC-Region; null when the SDK client had no region. */
  readonly region: string | null;
  readonly credentials: TencentCallerCredentials;
  readonly requestId: string;
}

export type TencentActionHandler = (
  params: TencentParams,
  ctx: TencentActionContext,
) => TencentResponsePayload | Promise<TencentResponsePayload>;

export interface TencentActionOptions {
  /** API versions this action answers (e.g. `['2021-01-11']`); others get NoSuchVersion. Omit for any. */
  readonly versions?: readonly string[];
}

export interface TencentApi {
  /** Registers an action by its X-TC-Action name; the returned payload gets RequestId added. */
  registerTencentAction(action: string, handler: TencentActionHandler, options?: TencentActionOptions): void;
  readonly handle: (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void>;
}

interface RegisteredAction {
  readonly handler: TencentActionHandler;
  readonly versions: readonly string[] | null;
}

/** Creates the Tencent API dispatcher and mounts it on `POST /`. */
export function registerTencentApi(router: Router, state: SandboxState): TencentApi {
  const api = createTencentApi(state);
  router.add('POST', '/', api.handle);
  return api;
}

export function createTencentApi(state: SandboxState): TencentApi {
  const actions = new Map<string, RegisteredAction>();

  function registerTencentAction(
    action: string,
    handler: TencentActionHandler,
    options: TencentActionOptions = {},
  ): void {
    if (actions.has(action)) throw new Error(`Tencent action already registered: ${action}`);
    actions.set(action, { handler, versions: options.versions ?? null });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const requestId = randomUUID();
    const traceHeaders = traceHeadersOf(req.headers);
    try {
      const payload = await authenticateAndDispatch(req, ctx, requestId);
      sendJson(res, 200, { Response: { ...payload, RequestId: requestId } }, traceHeaders);
    } catch (error) {
      const { code, message } = toTencentError(error);
      sendJson(res, 200, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } }, traceHeaders);
    }
  }

  async function authenticateAndDispatch(
    req: IncomingMessage,
    ctx: RequestContext,
    requestId: string,
  ): Promise<TencentResponsePayload> {
    const credentials = verifyTc3Request(req, ctx, state, Date.now());
    const action = requiredHeader(req.headers, 'x-tc-action', 'Action');
    const version = requiredHeader(req.headers, 'x-tc-version', 'Version');
    const registered = actions.get(action);
    if (!registered) throw new TencentApiError('InvalidAction', `The action \`${action}\` does not exist.`);
    if (registered.versions && !registered.versions.includes(version)) {
      throw new TencentApiError('NoSuchVersion', `The API version \`${version}\` of \`${action}\` does not exist.`);
    }
    const params = parseJsonParams(req.headers, ctx.rawBody);
    const region = headerValue(req.headers, 'x-tc-region') ?? null;
    return registered.handler(params, { action, version, region, credentials, requestId });
  }

  return { registerTencentAction, handle };
}

// ---------------------------------------------------------------------------------------------
// TC3 verification

interface ParsedAuthorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: Buffer;
}

const AUTHORIZATION_PATTERN =
  /^TC3-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})$/;
const SCOPE_TERMINATOR = 'tc3_request';
const REQUIRED_SIGNED_HEADERS = ['content-type', 'host'] as const;

/**
 * Checks Authorization against the request as received and returns who signed it.
 * Order: shape → clock → key lookup → signature, so the cheapest and most telling error comes first.
 */
export function verifyTc3Request(
  req: IncomingMessage,
  ctx: RequestContext,
  state: SandboxState,
  nowMs: number,
): TencentCallerCredentials {
  const auth = parseAuthorization(headerValue(req.headers, 'authorization'));
  const timestamp = parseTimestamp(headerValue(req.headers, 'x-tc-timestamp'));
  if (Math.abs(nowMs / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    throw new TencentApiError(
      'AuthFailure.SignatureExpire',
      'Signature expired: X-TC-Timestamp differs from server time by more than 5 minutes.',
    );
  }
  if (auth.date !== utcDate(timestamp)) {
    throw signatureFailure('the Credential date does not match X-TC-Timestamp');
  }
  const { secretKey, credentials } = lookUpKey(state, auth.secretId, headerValue(req.headers, 'x-tc-token'), nowMs);
  const expected = computeSignature(req, ctx, auth, timestamp, secretKey);
  if (!timingSafeEqual(expected, auth.signature)) throw signatureFailure();
  return credentials;
}

function parseAuthorization(header: string | undefined): ParsedAuthorization {
  const match = header === undefined ? null : AUTHORIZATION_PATTERN.exec(header.trim());
  const [, credential, signedHeaderList, signatureHex] = match ?? [];
  if (credential === undefined || signedHeaderList === undefined || signatureHex === undefined) {
    throw invalidAuthorization('expected "TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=<64 hex>"');
  }
  const scope = credential.split('/');
  const [secretId, date, service, terminator] = scope;
  if (scope.length !== 4 || !secretId || !date || !service || terminator !== SCOPE_TERMINATOR) {
    throw invalidAuthorization('Credential must be <SecretId>/<YYYY-MM-DD>/<service>/tc3_request');
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw invalidAuthorization('Credential date must be YYYY-MM-DD');
  const signedHeaders = signedHeaderList.split(';');
  if (signedHeaders.some((name) => !/^[a-z0-9-]+$/.test(name))) {
    throw invalidAuthorization('SignedHeaders must be lowercase header names joined by ";"');
  }
  if (REQUIRED_SIGNED_HEADERS.some((name) => !signedHeaders.includes(name))) {
    throw invalidAuthorization('SignedHeaders must include content-type and host');
  }
  return { secretId, date, service, signedHeaders, signature: Buffer.from(signatureHex, 'hex') };
}

function parseTimestamp(value: string | undefined): number {
  if (value === undefined) throw new TencentApiError('MissingParameter', 'The request is missing X-TC-Timestamp.');
  if (!/^\d{1,12}$/.test(value.trim())) {
    throw new TencentApiError('InvalidParameterValue', 'X-TC-Timestamp must be a Unix time in seconds.');
  }
  return Number(value.trim());
}

interface KeyLookup {
  readonly secretKey: string;
  readonly credentials: TencentCallerCredentials;
}

/** Permanent keys must come without a token; temporary ones only with their own unexpired token. */
function lookUpKey(state: SandboxState, secretId: string, token: string | undefined, nowMs: number): KeyLookup {
  const temporary = state.temporaryCredentials.get(secretId);
  if (temporary) {
    if (token === undefined || !safeEqualStrings(token, temporary.token)) {
      throw new TencentApiError('AuthFailure.TokenFailure', 'The X-TC-Token is missing or does not match the SecretId.');
    }
    if (temporary.expiresAt <= nowMs) {
      throw new TencentApiError('AuthFailure.TokenFailure', 'The temporary credentials have expired.');
    }
    return { secretKey: temporary.secretKey, credentials: { secretId, token, temporary: true } };
  }
  const permanentKey = PERMANENT_KEYS.get(secretId);
  if (permanentKey === undefined) {
    throw new TencentApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please check that it is correct.');
  }
  if (token !== undefined) {
    throw new TencentApiError('AuthFailure.TokenFailure', 'X-TC-Token was sent with a permanent SecretId.');
  }
  return { secretKey: permanentKey, credentials: { secretId, token: null, temporary: false } };
}

function computeSignature(
  req: IncomingMessage,
  ctx: RequestContext,
  auth: ParsedAuthorization,
  timestamp: number,
  secretKey: string,
): Buffer {
  const canonicalRequest = buildCanonicalRequest(req, ctx, auth.signedHeaders);
  // The service comes from the scope, not the Host: with a 127.0.0.1 endpoint the SDK signs service "127".
  const scope = `${auth.date}/${auth.service}/${SCOPE_TERMINATOR}`;
  const stringToSign = [TC3_ALGORITHM, String(timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`TC3${secretKey}`, auth.date);
  const kService = hmac(kDate, auth.service);
  const kSigning = hmac(kService, SCOPE_TERMINATOR);
  return hmac(kSigning, stringToSign);
}

/** method \n path \n query \n headers(each "name:value\n") \n signedHeaders \n sha256(raw body). */
export function buildCanonicalRequest(
  req: IncomingMessage,
  ctx: RequestContext,
  signedHeaders: readonly string[],
): string {
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${canonicalHeaderValue(req.headers, name)}\n`).join('');
  return [
    (req.method ?? '').toUpperCase(),
    ctx.url.pathname,
    ctx.url.search.slice(1),
    canonicalHeaders,
    signedHeaders.join(';'),
    sha256Hex(ctx.rawBody),
  ].join('\n');
}

/** Tencent lowercases and trims values; the host is signed without its port (the SDK uses URL.hostname). */
function canonicalHeaderValue(headers: IncomingHttpHeaders, name: string): string {
  const value = (headerValue(headers, name) ?? '').trim().toLowerCase();
  return name === 'host' ? hostnameOf(value) : value;
}

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

// ---------------------------------------------------------------------------------------------
// Request helpers

function parseJsonParams(headers: IncomingHttpHeaders, rawBody: Buffer): TencentParams {
  const contentType = (headerValue(headers, 'content-type') ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) {
    // The SDK's JSON actions are all we play; multipart/octet-stream actions can add a parser here.
    throw new TencentApiError('InvalidParameter', `Unsupported Content-Type \`${contentType}\`; expected application/json.`);
  }
  let parsed: unknown;
  try {
    parsed = rawBody.length === 0 ? {} : (JSON.parse(rawBody.toString('utf8')) as unknown);
  } catch {
    throw new TencentApiError('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TencentApiError('InvalidParameter', 'The request body must be a JSON object.');
  }
  return parsed as TencentParams;
}

function requiredHeader(headers: IncomingHttpHeaders, name: string, parameter: string): string {
  const value = headerValue(headers, name)?.trim();
  if (!value) throw new TencentApiError('MissingParameter', `The request is missing a required parameter \`${parameter}\`.`);
  return value;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function traceHeadersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const traceId = headerValue(headers, 'x-tc-traceid');
  return traceId ? { 'x-tc-traceid': traceId } : {};
}

function toTencentError(error: unknown): { code: string; message: string } {
  if (error instanceof TencentApiError) return { code: error.code, message: error.message };
  // A bug in an action must look like a Tencent outage to the client, and be visible to whoever runs us.
  console.error('[sandbox] Tencent action failed:', error);
  return { code: 'InternalError', message: 'Internal error in the sandbox.' };
}

function invalidAuthorization(detail: string): TencentApiError {
  return new TencentApiError('AuthFailure.InvalidAuthorization', `Authorization header is invalid: ${detail}.`);
}

function signatureFailure(detail?: string): TencentApiError {
  const base = 'The provided credentials could not be validated. Please check your signature is correct.';
  return new TencentApiError('AuthFailure.SignatureFailure', detail ? `${base} (${detail})` : base);
}

// ---------------------------------------------------------------------------------------------
// Crypto helpers

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function safeEqualStrings(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Parameter readers for action handlers (Tencent answers type errors with InvalidParameter).

export function readString(params: TencentParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameterType(name);
  return value;
}

export function readRequiredString(params: TencentParams, name: string): string {
  const value = readString(params, name);
  if (value === undefined || value === '') {
    throw new TencentApiError('MissingParameter', `The request is missing a required parameter \`${name}\`.`);
  }
  return value;
}

export function readStringArray(params: TencentParams, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw invalidParameterType(name);
  }
  return value;
}

export function readInteger(params: TencentParams, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidParameterType(name);
  return value;
}

function invalidParameterType(name: string): TencentApiError {
  return new TencentApiError('InvalidParameter', `The value type of parameter \`${name}\` is not valid.`);
}
