/**
 * Tencent COS object API at `/<Bucket>/<Key>` (bucket in the path: cos-nodejs-sdk-v5 3.0.0 refuses
 * ForcePathStyle, so clients use `Domain: 'http://127.0.0.1:3100/{Bucket}'`; see docs/sandbox-wire-formats.md).
 * Verifies the q-sign-algorithm=sha1 signature (vendors.md §2.10) with the permanent sandbox keys or STS
 * temporary keys, and with temporary keys enforces the policy they were minted with, as CAM would.
 * CI entry points on objects (ci.ts) are dispatched from here after authorisation.
 */
import { createHmac, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  defineCiFaults,
  detectLabels,
  failIfFaulted,
  imageInfo,
  MATTING_PROCESSES,
  moderate,
  parsePicOperations,
  parsePipeline,
  type PicOperations,
  runPicOperations,
  runPipeline,
} from './ci';
import { answerPreflight, BucketCors, corsConfigurationXml, corsResponseHeaders, h5CorsRule, parseCorsConfiguration } from './cos-cors';
import { buildCosObject, CosError, type CosObject, CosObjectStore } from './cos-store';
import { ImageError } from './image';
import { SANDBOX_TENCENT_SECRET_ID, SANDBOX_TENCENT_SECRET_KEY } from './keys';
import { ANY_METHOD, HttpError, type RequestContext, type Router } from './router';
import type { SandboxState } from './state';
import { type FederationPolicy, federationPolicies, isAllowed } from './sts-policy';
import { headerValue } from './tencent-api';
import { toXml, type XmlElement } from './xml';

/** `<name>-<appid>`; anything else in the first path segment is not COS (unknown routes stay 404 JSON). */
export const COS_BUCKET_PATTERN = /^[a-z0-9][a-z0-9-]*-\d{5,20}$/;
/** How far ahead of our clock a q-sign-time may start (clients' clocks drift; COS tolerates a little). */
export const COS_CLOCK_SKEW_SECONDS = 300;

const PERMANENT_KEYS: ReadonlyMap<string, string> = new Map([[SANDBOX_TENCENT_SECRET_ID, SANDBOX_TENCENT_SECRET_KEY]]);
const AUTH_FIELDS = [
  'q-sign-algorithm',
  'q-ak',
  'q-sign-time',
  'q-key-time',
  'q-header-list',
  'q-url-param-list',
  'q-signature',
] as const;

export interface CosModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  /** corsOrigins: the default bucket CORS rule's origins (cos-cors.ts); none → no CORS until PUT ?cors. */
  readonly options?: { readonly corsOrigins?: readonly string[] };
}

interface CosTarget {
  readonly bucket: string;
  /** Decoded object key without the leading "/"; "" for the bucket itself. */
  readonly key: string;
}

type Caller = { readonly temporary: false } | { readonly temporary: true; readonly policy: FederationPolicy | undefined };

export function registerCos({ router, state, options }: CosModuleContext): void {
  const store = new CosObjectStore();
  const origins = options?.corsOrigins ?? [];
  const cors = new BucketCors(origins.length ? [h5CorsRule(origins)] : []);
  state.onReset(() => {
    store.clear();
    cors.clear();
  });
  defineCiFaults(state);
  // The shortest prefix: every more specific route (/_sandbox/*, /task/*, POST /) is matched first.
  router.add(ANY_METHOD, '/*', (req, res, ctx) => handleCos(state, store, cors, req, res, ctx));
}

function handleCos(
  state: SandboxState,
  store: CosObjectStore,
  cors: BucketCors,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
): void {
  const { bucket, encodedKey } = parseBucket(ctx.url.pathname);
  const requestId = Buffer.from(`${Date.now().toString(16)}-${randomBytes(8).toString('hex')}`).toString('base64');
  if ((req.method ?? '').toUpperCase() === 'OPTIONS') {
    // Preflights carry no credentials: only the bucket's CORS rules decide.
    try {
      answerPreflight(cors.rulesOf(bucket), req, res, requestId);
    } catch (error) {
      sendCosError(req, res, toCosError(error), requestId, encodedKey);
    }
    return;
  }
  // On every answer, errors included, so a browser can read why an upload was refused.
  for (const [name, value] of Object.entries(corsResponseHeaders(cors.rulesOf(bucket), req))) res.setHeader(name, value);
  const answer = () => {
    try {
      if (encodedKey === '' && ctx.url.searchParams.has('cors')) serveBucketCors(state, cors, bucket, req, res, ctx, requestId);
      else serve(state, store, { bucket, key: decodeKey(encodedKey) }, req, res, ctx, requestId);
    } catch (error) {
      sendCosError(req, res, toCosError(error), requestId, encodedKey);
    }
  };
  if (state.fault('ci') === 'slow' && isProcessing(req, ctx.url.searchParams)) setTimeout(answer, ciSlowMs());
  else answer();
}

/** Requests the `ci` fault acts on: image processing (image_process, Pic-Operations on upload, matting). */
function isProcessing(req: IncomingMessage, query: URLSearchParams): boolean {
  return query.has('image_process') || headerValue(req.headers, 'pic-operations') !== undefined || MATTING_PROCESSES.has(query.get('ci-process') ?? '');
}

const ciSlowMs = (): number => Number(process.env.SANDBOX_CI_SLOW_MS ?? 5_000);

function serve(
  state: SandboxState,
  store: CosObjectStore,
  target: CosTarget,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  requestId: string,
): void {
  const method = (req.method ?? 'GET').toUpperCase();
  const caller = authenticate(state, target, req, ctx.url, Date.now());
  if (target.key === '') throw new CosError(501, 'NotImplemented', 'Bucket-level operations are not served by the sandbox.');
  const query = ctx.url.searchParams;
  const base = { 'x-cos-request-id': requestId };
  const authorise = (actions: readonly string[], key = target.key): void =>
    authoriseCaller(caller, actions, target.bucket, key, req, method);

  switch (method) {
    case 'PUT': {
      const copySource = headerValue(req.headers, 'x-cos-copy-source');
      if (copySource !== undefined) {
        copyObject(store, target, req, res, copySource, authorise, base);
        return;
      }
      authorise(['cos:PutObject']);
      const contentType = headerValue(req.headers, 'content-type') || 'application/octet-stream';
      const picOperations = headerValue(req.headers, 'pic-operations');
      if (picOperations !== undefined) {
        const operations = parsePicOperations(picOperations, target.bucket, target.key);
        authoriseOutputs(operations, authorise);
        const upload = buildCosObject(target.bucket, target.key, ctx.rawBody, contentType);
        // Process before storing anything: a failing rule (or ci=fail) must leave the bucket untouched.
        // The original is stored before the results, so a result under the upload's own key replaces it.
        const result = runPicOperations(state, store, upload, operations, hostOf(req), () => {
          store.put(target.bucket, target.key, ctx.rawBody, contentType);
        });
        sendXml(res, 200, 'UploadResult', result, { ...base, etag: store.get(target.bucket, target.key)?.etag ?? upload.etag });
        return;
      }
      const stored = store.put(target.bucket, target.key, ctx.rawBody, contentType);
      send(res, 200, Buffer.alloc(0), { ...base, etag: stored.etag });
      return;
    }
    case 'GET':
    case 'HEAD': {
      const object = (): CosObject => requireObject(store, target);
      if (query.has('imageInfo')) {
        authorise(['cos:GetObject', 'ci:*']);
        const body = Buffer.from(JSON.stringify(imageInfo(object())));
        send(res, 200, body, { ...base, 'content-type': 'application/json' }, method === 'HEAD');
        return;
      }
      const process = query.get('ci-process');
      if (process !== null) {
        authorise(['cos:GetObject', 'ci:*']);
        serveCiProcess(state, object(), process, query, res, base, method === 'HEAD');
        return;
      }
      const mogr = [...query.keys()].find((name) => name.startsWith('imageMogr2/'));
      if (mogr !== undefined) {
        authorise(['cos:GetObject', 'ci:*']);
        const output = runPipeline(state, object(), parsePipeline(mogr));
        send(res, 200, output.body, { ...base, 'content-type': output.contentType }, method === 'HEAD');
        return;
      }
      authorise(method === 'HEAD' ? ['cos:HeadObject', 'cos:GetObject'] : ['cos:GetObject']);
      const found = object();
      send(
        res,
        200,
        found.body,
        {
          ...base,
          ...responseOverrides(query),
          'content-type': query.get('response-content-type') ?? found.contentType,
          etag: found.etag,
          'last-modified': found.lastModified.toUTCString(),
          'accept-ranges': 'bytes',
        },
        method === 'HEAD',
      );
      return;
    }
    case 'POST': {
      if (!query.has('image_process')) {
        throw new CosError(405, 'MethodNotAllowed', 'POST on an object needs ?image_process (other POST APIs are not served).');
      }
      const header = headerValue(req.headers, 'pic-operations');
      if (header === undefined) throw new CosError(400, 'InvalidArgument', 'image_process needs a Pic-Operations header.');
      authorise(['cos:PutObject']);
      const operations = parsePicOperations(header, target.bucket, target.key);
      authoriseOutputs(operations, authorise);
      const source = requireObject(store, target);
      sendXml(res, 200, 'UploadResult', runPicOperations(state, store, source, operations, hostOf(req)), base);
      return;
    }
    case 'DELETE':
      authorise(['cos:DeleteObject']);
      store.delete(target.bucket, target.key);
      send(res, 204, Buffer.alloc(0), base);
      return;
    default:
      throw new CosError(405, 'MethodNotAllowed', `The method ${method} is not allowed on an object.`);
  }
}

/**
 * GET Object's `response-*` parameters (COS answers them as the header of that name; the URL's
 * signature covers them when they are in q-url-param-list, which computeSignature checks).
 */
function responseOverrides(query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ['content-disposition', 'cache-control', 'content-language', 'expires', 'content-encoding']) {
    const value = query.get(`response-${name}`);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

/** PUT/GET/DELETE /<bucket>?cors (cos-cors.ts); the signature and, for temporary keys, the policy are checked as for objects. */
function serveBucketCors(state: SandboxState, cors: BucketCors, bucket: string, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, requestId: string): void {
  const method = (req.method ?? 'GET').toUpperCase();
  const caller = authenticate(state, { bucket, key: '' }, req, ctx.url, Date.now());
  const base = { 'x-cos-request-id': requestId };
  const action = { PUT: 'cos:PutBucketCORS', GET: 'cos:GetBucketCORS', DELETE: 'cos:DeleteBucketCORS' }[method];
  if (action === undefined) throw new CosError(405, 'MethodNotAllowed', `The method ${method} is not allowed on ?cors.`);
  authoriseCaller(caller, [action], bucket, '', req, method);
  if (method === 'PUT') {
    cors.set(bucket, parseCorsConfiguration(ctx.rawBody));
    send(res, 200, Buffer.alloc(0), base);
  } else if (method === 'DELETE') {
    cors.delete(bucket);
    send(res, 204, Buffer.alloc(0), base);
  } else {
    const rules = cors.rulesOf(bucket);
    if (rules.length === 0) throw new CosError(404, 'NoSuchCORSConfiguration', 'The CORS configuration does not exist.');
    send(res, 200, Buffer.from(corsConfigurationXml(rules)), { ...base, 'content-type': 'application/xml' });
  }
}

function serveCiProcess(
  state: SandboxState,
  object: CosObject,
  process: string,
  query: URLSearchParams,
  res: ServerResponse,
  base: Record<string, string>,
  headOnly: boolean,
): void {
  if (process === 'sensitive-content-recognition') {
    sendXml(res, 200, 'RecognitionResult', moderate(state, object), base, headOnly);
    return;
  }
  if (process === 'detect-label') {
    sendXml(res, 200, 'RecognitionResult', detectLabels(state, object, query.get('scenes')), base, headOnly);
    return;
  }
  if (MATTING_PROCESSES.has(process)) {
    failIfFaulted(state);
    const output = runPipeline(state, object, parsePipeline(`ci-process=${process}`));
    send(res, 200, output.body, { ...base, 'content-type': output.contentType }, headOnly);
    return;
  }
  throw new CosError(400, 'InvalidArgument', `ci-process "${process.slice(0, 100)}" is not played by the sandbox.`);
}

function copyObject(
  store: CosObjectStore,
  target: CosTarget,
  req: IncomingMessage,
  res: ServerResponse,
  copySource: string,
  authorise: (actions: readonly string[], key?: string) => void,
  base: Record<string, string>,
): void {
  const source = parseCopySource(copySource);
  authorise(['cos:PutObject']);
  // Reading another bucket would need a second resource check; the API only copies within its bucket.
  if (source.bucket !== target.bucket) {
    throw new CosError(400, 'InvalidArgument', 'The sandbox copies only within one bucket.');
  }
  authorise(['cos:GetObject'], source.key);
  const found = store.get(source.bucket, source.key);
  if (!found) throw new CosError(404, 'NoSuchKey', 'The specified copy source does not exist.');
  const replace = headerValue(req.headers, 'x-cos-metadata-directive')?.toLowerCase() === 'replaced';
  const contentType = replace ? headerValue(req.headers, 'content-type') || found.contentType : found.contentType;
  const stored = store.put(target.bucket, target.key, found.body, contentType);
  sendXml(res, 200, 'CopyObjectResult', { ETag: stored.etag, LastModified: stored.lastModified.toISOString() }, base);
}

/** `<bucket>.cos.<region>.myqcloud.com/<key>` (the SDK form), `[host]/<bucket>/<key>` or `/<bucket>/<key>`. */
function parseCopySource(raw: string): CosTarget {
  const value = raw.trim().replace(/\?.*$/, '');
  const virtualHost = /^([^./]+-\d+)\.cos(?:v6|-cdc|-internal)?\.[^./]+\.(?:myqcloud\.com|tencentcos\.cn)\/(.+)$/.exec(value);
  let bucket: string | undefined;
  let encodedKey: string | undefined;
  if (virtualHost) {
    [, bucket, encodedKey] = virtualHost;
  } else {
    const segments = value.replace(/^\/+/, '').split('/');
    // An optional leading host[:port] segment, then the bucket.
    const start = segments[0] !== undefined && !COS_BUCKET_PATTERN.test(segments[0]) ? 1 : 0;
    bucket = segments[start];
    encodedKey = segments.slice(start + 1).join('/');
  }
  if (bucket === undefined || !COS_BUCKET_PATTERN.test(bucket) || !encodedKey) {
    throw new CosError(400, 'InvalidArgument', 'x-cos-copy-source must be <bucket>.cos.<region>.myqcloud.com/<key>.');
  }
  return { bucket, key: decodeKey(encodedKey) };
}

// ---------------------------------------------------------------------------------------------
// Authentication: the COS q-sign-algorithm=sha1 scheme, from the header or a presigned URL's query.

interface AuthFields {
  readonly algorithm: string;
  readonly ak: string;
  readonly signTime: string;
  readonly keyTime: string;
  readonly headerList: readonly string[];
  readonly paramList: readonly string[];
  readonly signature: string;
}

function authenticate(state: SandboxState, target: CosTarget, req: IncomingMessage, url: URL, nowMs: number): Caller {
  const fields = readAuthFields(req, url);
  if (!fields) throw new CosError(403, 'AccessDenied', 'Access Denied. The bucket is private and the request is anonymous.');
  if (fields.algorithm !== 'sha1') throw new CosError(400, 'InvalidArgument', 'q-sign-algorithm must be sha1.');
  checkSignTime(fields.signTime, nowMs);
  const token = headerValue(req.headers, 'x-cos-security-token') ?? url.searchParams.get('x-cos-security-token') ?? undefined;
  const { secretKey, caller } = lookUpKey(state, fields.ak, token, nowMs);
  // The SDK signs "/<key>" when the bucket rides in the Domain template, "/<bucket>/<key>" when it is path-style.
  const candidates = [`/${target.key}`, `/${target.bucket}/${target.key}`];
  const given = Buffer.from(fields.signature, 'utf8');
  const matches = candidates.some((pathname) => {
    const expected = Buffer.from(computeSignature(req, url, fields, pathname, secretKey), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!matches) {
    throw new CosError(403, 'SignatureDoesNotMatch', 'The Signature you specified does not match what we calculated.');
  }
  return caller;
}

function readAuthFields(req: IncomingMessage, url: URL): AuthFields | null {
  const header = headerValue(req.headers, 'authorization');
  let get: (name: string) => string | undefined;
  if (header !== undefined && header.includes('q-sign-algorithm=')) {
    const pairs = new Map<string, string>();
    for (const part of header.trim().split('&')) {
      const eq = part.indexOf('=');
      if (eq > 0) pairs.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    get = (name) => pairs.get(name);
  } else if (url.searchParams.has('q-sign-algorithm')) {
    get = (name) => url.searchParams.get(name) ?? undefined;
  } else {
    return null;
  }
  const values = AUTH_FIELDS.map((name) => get(name));
  const [algorithm, ak, signTime, keyTime, headerList, paramList, signature] = values;
  if (
    algorithm === undefined ||
    !ak ||
    !signTime ||
    !keyTime ||
    headerList === undefined ||
    paramList === undefined ||
    signature === undefined ||
    !/^[0-9a-f]{40}$/.test(signature)
  ) {
    throw new CosError(403, 'AccessDenied', `Authorization is malformed: expected ${AUTH_FIELDS.join(', ')}.`);
  }
  const list = (value: string): string[] => (value === '' ? [] : value.split(';'));
  return { algorithm, ak, signTime, keyTime, headerList: list(headerList), paramList: list(paramList), signature };
}

function checkSignTime(signTime: string, nowMs: number): void {
  const match = /^(\d{1,12});(\d{1,12})$/.exec(signTime);
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (!match || !Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    throw new CosError(403, 'AccessDenied', 'q-sign-time must be "<start>;<end>" in Unix seconds.');
  }
  const now = nowMs / 1000;
  if (now > end) throw new CosError(403, 'AccessDenied', 'Request has expired');
  if (start > now + COS_CLOCK_SKEW_SECONDS) throw new CosError(403, 'AccessDenied', 'Request is not valid yet (q-sign-time starts in the future).');
}

function lookUpKey(
  state: SandboxState,
  ak: string,
  token: string | undefined,
  nowMs: number,
): { secretKey: string; caller: Caller } {
  const temporary = state.temporaryCredentials.get(ak);
  if (temporary) {
    if (token === undefined || !safeEqual(token, temporary.token)) {
      throw new CosError(403, 'InvalidAccessKeyId', 'x-cos-security-token is missing or does not belong to this SecretId.');
    }
    if (temporary.expiresAt <= nowMs) {
      throw new CosError(403, 'AccessDenied', 'The temporary credentials (STS token) have expired.');
    }
    return { secretKey: temporary.secretKey, caller: { temporary: true, policy: federationPolicies(state).get(ak) } };
  }
  const permanent = PERMANENT_KEYS.get(ak);
  if (permanent === undefined) throw new CosError(403, 'InvalidAccessKeyId', 'The SecretId you provided does not exist.');
  return { secretKey: permanent, caller: { temporary: false } };
}

/** vendors.md §2.10, mirrored from cos-nodejs-sdk-v5 util.getAuth but fed with the request as received. */
function computeSignature(req: IncomingMessage, url: URL, fields: AuthFields, pathname: string, secretKey: string): string {
  const query = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const encoded = camSafeUrlEncode(name).toLowerCase();
    if (!query.has(encoded)) query.set(encoded, value);
  }
  // A listed parameter or header that is absent would let a signature cover less than it claims: never match.
  const params = fields.paramList.map((name) => `${name}=${camSafeUrlEncode(query.get(name) ?? '\u0000absent')}`);
  const headers = fields.headerList.map((name) => {
    const value = headerValue(req.headers, name.toLowerCase());
    return `${name}=${camSafeUrlEncode(value ?? '\u0000absent')}`;
  });
  const method = (req.method ?? 'GET').toLowerCase();
  const formatString = [method, pathname, params.join('&'), headers.join('&'), ''].join('\n');
  const signKey = createHmac('sha1', secretKey).update(fields.keyTime).digest('hex');
  const stringToSign = ['sha1', fields.signTime, createHash('sha1').update(formatString, 'utf8').digest('hex'), ''].join('\n');
  return createHmac('sha1', signKey).update(stringToSign).digest('hex');
}

function camSafeUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

// ---------------------------------------------------------------------------------------------
// Authorisation (temporary keys only: permanent keys are the account owner's)

function authoriseCaller(
  caller: Caller,
  actions: readonly string[],
  bucket: string,
  key: string,
  req: IncomingMessage,
  method: string,
): void {
  if (!caller.temporary) return;
  const declared = headerValue(req.headers, 'content-length');
  const length = declared !== undefined && /^\d+$/.test(declared.trim()) ? Number(declared) : undefined;
  // GET/HEAD/DELETE carry no body; a PUT without Content-Length cannot prove it fits a size condition.
  const bodiless = method === 'GET' || method === 'HEAD' || method === 'DELETE';
  const context = {
    'cos:content-length': length ?? (bodiless ? 0 : undefined),
    'cos:content-type': headerValue(req.headers, 'content-type'),
  };
  if (!caller.policy || !isAllowed(caller.policy, { actions, bucket, key, context })) {
    throw new CosError(403, 'AccessDenied', 'Access Denied. The temporary credentials\' policy does not allow this request.');
  }
}

function authoriseOutputs(operations: PicOperations, authorise: (actions: readonly string[], key?: string) => void): void {
  for (const rule of operations.rules) authorise(['cos:PutObject'], rule.key);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function parseBucket(pathname: string): { bucket: string; encodedKey: string } {
  const rest = pathname.slice(1);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!COS_BUCKET_PATTERN.test(bucket)) {
    // Not a bucket: answer like any unknown sandbox route, so typos in control paths stay obvious.
    throw new HttpError(404, `no sandbox route for ${pathname}`);
  }
  return { bucket, encodedKey: slash < 0 ? '' : rest.slice(slash + 1) };
}

function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new CosError(400, 'InvalidURI', 'The object key is not valid URL encoding.');
  }
}

function requireObject(store: CosObjectStore, target: CosTarget): CosObject {
  const found = store.get(target.bucket, target.key);
  if (!found) throw new CosError(404, 'NoSuchKey', 'The specified key does not exist.');
  return found;
}

function hostOf(req: IncomingMessage): string {
  return headerValue(req.headers, 'host') ?? '127.0.0.1';
}

function toCosError(error: unknown): CosError {
  if (error instanceof CosError) return error;
  if (error instanceof ImageError) return new CosError(400, 'InvalidImageFormat', error.message);
  console.error('[sandbox] COS request failed:', error);
  return new CosError(500, 'InternalError', 'Internal error in the sandbox.');
}

function sendCosError(req: IncomingMessage, res: ServerResponse, error: CosError, requestId: string, encodedKey: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = toXml('Error', {
    Code: error.code,
    Message: error.message,
    Resource: `/${encodedKey}`,
    RequestId: requestId,
    TraceId: requestId,
  });
  // HEAD answers carry no body; the SDK then reports the status code as err.code.
  send(res, error.status, Buffer.from(body), { 'content-type': 'application/xml', 'x-cos-request-id': requestId }, req.method === 'HEAD');
}

function sendXml(
  res: ServerResponse,
  status: number,
  root: string,
  content: XmlElement,
  headers: Record<string, string>,
  headOnly = false,
): void {
  send(res, status, Buffer.from(toXml(root, content)), { ...headers, 'content-type': 'application/xml' }, headOnly);
}

function send(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string>, headOnly = false): void {
  res.writeHead(status, { ...headers, 'content-length': String(status === 204 ? 0 : body.length) });
  res.end(headOnly || status === 204 ? undefined : body);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
