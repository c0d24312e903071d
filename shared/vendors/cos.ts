import { createHash, createHmac } from 'node:crypto';
import { vendorSignal } from '../deadline';
import { VendorError } from './vendor-error';

/**
 * Tencent COS object operations: HEAD, PUT and presigned GET, signed here (XML API "q-sign",
 * vendors.md §2.10) and sent with fetch. These are the only COS calls the read paths need (a poll
 * copies RunningHub frames in; every answer presigns result URLs), and cos-nodejs-sdk-v5 costs
 * ~1.5 MB of bundle (~25 ms of every cold start) and ~130 ms to load, so it is left to the one
 * place that needs its XML handling: Cloud Infinite in POST /task/create (shared/vendors/ci.ts).
 * test/unit/tasks-vendors.test.ts checks these signatures against the SDK's own signer.
 */
export interface ObjectStore {
  readonly bucket: string;
  /** Size and type of an object, or null when it does not exist. */
  stat(key: string): Promise<{ size: number; contentType: string | undefined } | null>;
  /**
   * Stores `body` at `key`. With `picOperations` (a Pic-Operations JSON, vendors.md §2.1–2.2) Cloud
   * Infinite processes the upload on the way in and persists the results it names.
   */
  /**
   * Stores an object. With `picOperations`, Cloud Infinite processes it on upload and the answer's
   * ProcessResults are returned (key without the leading slash, format as CI names it, e.g. `jpg`).
   */
  put(key: string, body: Buffer, contentType: string, options?: { picOperations?: string }): Promise<ProcessedObject[]>;
  /** A presigned GET URL valid for `ttlSeconds`. */
  signedGetUrl(key: string, ttlSeconds: number, now?: number): string;
  /**
   * A presigned GET URL that downloads as `fileName` (a signed `response-content-disposition: attachment`
   * query parameter, which COS answers as the Content-Disposition header), and when it stops working.
   */
  signedDownloadUrl(key: string, ttlSeconds: number, fileName: string, now?: number): { url: string; expiresAt: Date };
  /** Server-side copy within the bucket (PUT Object - Copy, no bytes through us); false when `sourceKey` does not exist. */
  copy(sourceKey: string, targetKey: string): Promise<boolean>;
}

export interface CosOptions {
  readonly secretId: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly region: string;
  /** `<url>/<bucket>/<key>` addressing (the local sandbox); undefined = real COS virtual hosts. */
  readonly baseUrl: string | undefined;
  readonly timeoutMs?: number;
}

/** cos-nodejs-sdk-v5's URL encoding (encodeURIComponent plus !'()*), used in signatures and URLs. */
export function camSafeUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The URL prefix objects live under, without a trailing slash. */
export function objectBaseUrl(options: Pick<CosOptions, 'bucket' | 'region' | 'baseUrl'>): string {
  return options.baseUrl ? `${options.baseUrl}/${options.bucket}` : `https://${options.bucket}.cos.${options.region}.myqcloud.com`;
}

export function objectUrl(options: Pick<CosOptions, 'bucket' | 'region' | 'baseUrl'>, key: string): string {
  return `${objectBaseUrl(options)}/${camSafeUrlEncode(key).replace(/%2F/g, '/')}`;
}

/**
 * The `q-sign` authorization for `method` on `key`, valid from one second ago for `ttlSeconds`.
 * `host` is always signed; `signedHeaders` adds more (COS requires Pic-Operations to be signed,
 * vendors.md §2.1), and `signedQuery` the URL's parameters (`response-content-disposition`), both
 * lower-cased and sorted as the SDK does.
 */
export function cosAuthorization(
  options: CosOptions,
  method: string,
  key: string,
  ttlSeconds: number,
  now = Date.now(),
  signedHeaders: Record<string, string> = {},
  signedQuery: Record<string, string> = {},
): string {
  const host = new URL(objectBaseUrl(options)).host;
  const start = Math.round(now / 1000) - 1;
  const keyTime = `${start};${start + ttlSeconds}`;
  const headers = [...Object.entries(signedHeaders).map(([name, value]): [string, string] => [camSafeUrlEncode(name).toLowerCase(), value]), ['host', host] as [string, string]].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const signKey = createHmac('sha1', options.secretKey).update(keyTime).digest('hex');
  const headerString = headers.map(([name, value]) => `${name}=${camSafeUrlEncode(value)}`).join('&');
  const params = Object.entries(signedQuery)
    .map(([name, value]): [string, string] => [camSafeUrlEncode(name).toLowerCase(), value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const paramString = params.map(([name, value]) => `${name}=${camSafeUrlEncode(value)}`).join('&');
  const formatString = [method.toLowerCase(), `/${key}`, paramString, headerString, ''].join('\n');
  const stringToSign = ['sha1', keyTime, createHash('sha1').update(formatString, 'utf8').digest('hex'), ''].join('\n');
  const signature = createHmac('sha1', signKey).update(stringToSign).digest('hex');
  const headerList = headers.map(([name]) => name).join(';');
  const paramList = params.map(([name]) => name).join(';');
  return `q-sign-algorithm=sha1&q-ak=${options.secretId}&q-sign-time=${keyTime}&q-key-time=${keyTime}&q-header-list=${headerList}&q-url-param-list=${paramList}&q-signature=${signature}`;
}

/** When a signature made at `now` for `ttlSeconds` stops working (its key time starts a second early, as above). */
export function signatureExpiry(ttlSeconds: number, now = Date.now()): Date {
  return new Date((Math.round(now / 1000) - 1 + ttlSeconds) * 1000);
}

/** A presigned GET URL, as the SDK's getObjectUrl({Sign:true}) builds it. */
export function presignGetUrl(options: CosOptions, key: string, ttlSeconds: number, now = Date.now()): string {
  return `${objectUrl(options, key)}?${cosAuthorization(options, 'get', key, ttlSeconds, now)}`;
}

export interface ProcessedObject {
  readonly key: string;
  readonly format: string;
}

/** `UploadResult.ProcessResults.Object` entries of a Pic-Operations upload answer (vendors.md §2.7). */
export function processedObjects(uploadResultXml: string): ProcessedObject[] {
  const results = /<ProcessResults>([\s\S]*?)<\/ProcessResults>/.exec(uploadResultXml)?.[1] ?? '';
  return [...results.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map(([, object = '']) => ({
    key: (/<Key>([^<]*)<\/Key>/.exec(object)?.[1] ?? '').replace(/^\//, ''),
    format: (/<Format>([^<]*)<\/Format>/.exec(object)?.[1] ?? '').toLowerCase(),
  }));
}

/** COS errors are XML `<Error><Code>…</Code><Message>…</Message>` (vendors.md §2.9). */
async function cosFailure(response: Response, what: string): Promise<VendorError> {
  const body = await response.text().catch(() => '');
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? `HTTP_${response.status}`;
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? `${what} answered ${response.status}`;
  return new VendorError('cos', code, message, response.status);
}

export function cosObjectStore(options: CosOptions): ObjectStore {
  // Signatures only need to outlive the request itself.
  const signatureSeconds = 300;
  const send = async (method: 'HEAD' | 'PUT', key: string, init: { body?: Buffer; headers?: Record<string, string>; signed?: Record<string, string> } = {}): Promise<Response> => {
    try {
      return await fetch(objectUrl(options, key), {
        method,
        headers: { authorization: cosAuthorization(options, method, key, signatureSeconds, Date.now(), init.signed), ...init.headers, ...init.signed },
        ...(init.body ? { body: init.body } : {}),
        signal: vendorSignal(options.timeoutMs ?? 20_000),
      });
    } catch (error) {
      throw new VendorError('cos', 'NetworkError', `${method} ${key}: ${(error as Error).message}`);
    }
  };

  return {
    bucket: options.bucket,
    async stat(key) {
      const response = await send('HEAD', key);
      if (response.status === 404) return null;
      if (!response.ok) throw await cosFailure(response, `HEAD ${key}`);
      return { size: Number(response.headers.get('content-length') ?? Number.NaN), contentType: response.headers.get('content-type') ?? undefined };
    },
    async put(key, body, contentType, putOptions = {}) {
      const signed = putOptions.picOperations === undefined ? undefined : { 'pic-operations': putOptions.picOperations };
      const response = await send('PUT', key, { body, headers: { 'content-type': contentType, 'content-length': String(body.length) }, ...(signed ? { signed } : {}) });
      if (!response.ok) throw await cosFailure(response, `PUT ${key}`);
      const answer = await response.text();
      return signed ? processedObjects(answer) : [];
    },
    signedGetUrl: (key, ttlSeconds, now) => presignGetUrl(options, key, ttlSeconds, now),
    signedDownloadUrl(key, ttlSeconds, fileName, now = Date.now()) {
      const query = { 'response-content-disposition': `attachment; filename="${fileName.replace(/["\\\r\n]/g, '_')}"` };
      const authorization = cosAuthorization(options, 'get', key, ttlSeconds, now, {}, query);
      const queryString = Object.entries(query).map(([name, value]) => `${camSafeUrlEncode(name)}=${camSafeUrlEncode(value)}`).join('&');
      return { url: `${objectUrl(options, key)}?${queryString}&${authorization}`, expiresAt: signatureExpiry(ttlSeconds, now) };
    },
    async copy(sourceKey, targetKey) {
      // The source in COS's own form, `<bucket>.cos.<region>.myqcloud.com/<key>` (the sandbox reads it too).
      const source = `${options.bucket}.cos.${options.region}.myqcloud.com/${camSafeUrlEncode(sourceKey).replace(/%2F/g, '/')}`;
      const response = await send('PUT', targetKey, { headers: { 'x-cos-copy-source': source } });
      if (response.status === 404) return false;
      if (!response.ok) throw await cosFailure(response, `PUT ${targetKey} (copy)`);
      await response.arrayBuffer().catch(() => undefined);
      return true;
    },
  };
}
