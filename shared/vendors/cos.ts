import { createHash, createHmac } from 'node:crypto';
import type COS from 'cos-nodejs-sdk-v5';
import { VendorError } from './vendor-error';

/**
 * Tencent COS through cos-nodejs-sdk-v5 with the API's permanent keys. The SDK (~130 ms to load)
 * is imported on first use; presigned GET URLs are computed here without it, so reading tasks
 * never pays for loading it.
 */
export interface ObjectStore {
  readonly bucket: string;
  /** Size and type of an object, or null when it does not exist. */
  stat(key: string): Promise<{ size: number; contentType: string | undefined } | null>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** A presigned GET URL valid for `ttlSeconds`. */
  signedGetUrl(key: string, ttlSeconds: number, now?: number): string;
  /** The SDK client, for Cloud Infinite calls on objects (shared/vendors/ci.ts). */
  client(): Promise<COS>;
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

/**
 * COS request signature (XML API "q-sign" v5, vendors.md §2.10) for a GET of `key` with only
 * `host` signed, as the SDK's getObjectUrl({Sign:true}) builds it: test/unit/cos-sign.test.ts
 * checks it against the SDK.
 */
export function presignGetUrl(options: CosOptions, key: string, ttlSeconds: number, now = Date.now()): string {
  const base = objectBaseUrl(options);
  const host = new URL(base).host;
  const start = Math.round(now / 1000) - 1;
  const keyTime = `${start};${start + ttlSeconds}`;
  const signKey = createHmac('sha1', options.secretKey).update(keyTime).digest('hex');
  const formatString = ['get', `/${key}`, '', `host=${camSafeUrlEncode(host)}`, ''].join('\n');
  const stringToSign = ['sha1', keyTime, createHash('sha1').update(formatString, 'utf8').digest('hex'), ''].join('\n');
  const signature = createHmac('sha1', signKey).update(stringToSign).digest('hex');
  const query = `q-sign-algorithm=sha1&q-ak=${options.secretId}&q-sign-time=${keyTime}&q-key-time=${keyTime}&q-header-list=host&q-url-param-list=&q-signature=${signature}`;
  return `${base}/${camSafeUrlEncode(key).replace(/%2F/g, '/')}?${query}`;
}

interface CosSdkFailure {
  code?: string;
  message?: string;
  statusCode?: number;
  error?: { Code?: string; Message?: string } | string;
}

/** Turns the SDK's error object (or a transport error) into a VendorError. */
export function cosError(vendor: 'cos' | 'ci', error: unknown): VendorError {
  if (error instanceof VendorError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as CosSdkFailure;
  const detail = typeof failure.error === 'object' ? failure.error : undefined;
  const code = detail?.Code ?? failure.code ?? (failure.statusCode ? String(failure.statusCode) : 'NetworkError');
  const message = detail?.Message ?? failure.message ?? (typeof failure.error === 'string' ? failure.error : 'COS request failed');
  return new VendorError(vendor, code, message, failure.statusCode);
}

export function cosObjectStore(options: CosOptions): ObjectStore {
  let sdk: Promise<COS> | undefined;
  const load = async (): Promise<COS> => {
    const { default: Cos } = await import('cos-nodejs-sdk-v5');
    return new Cos({
      SecretId: options.secretId,
      SecretKey: options.secretKey,
      // The SDK's ForcePathStyle throws in 3.0.0; a Domain template with the bucket in the path
      // gives the same `<url>/<bucket>/<key>` requests (docs/sandbox-wire-formats.md §2.1).
      ...(options.baseUrl ? { Domain: `${options.baseUrl}/{Bucket}`, Protocol: options.baseUrl.startsWith('https:') ? 'https:' : 'http:' } : {}),
      Timeout: options.timeoutMs ?? 20_000,
      KeepAlive: true,
    });
  };
  const client = (): Promise<COS> => {
    sdk ??= load().catch((error: unknown) => {
      sdk = undefined;
      throw error;
    });
    return sdk;
  };
  const target = { Bucket: options.bucket, Region: options.region };

  return {
    bucket: options.bucket,
    client,
    async stat(key) {
      const cos = await client();
      try {
        const result = await cos.headObject({ ...target, Key: key });
        const headers = (result.headers ?? {}) as Record<string, string | undefined>;
        return { size: Number(headers['content-length'] ?? Number.NaN), contentType: headers['content-type'] };
      } catch (error) {
        if ((error as CosSdkFailure).statusCode === 404) return null;
        throw cosError('cos', error);
      }
    },
    async put(key, body, contentType) {
      const cos = await client();
      try {
        await cos.putObject({ ...target, Key: key, Body: body, ContentType: contentType, ContentLength: body.length });
      } catch (error) {
        throw cosError('cos', error);
      }
    },
    signedGetUrl: (key, ttlSeconds, now) => presignGetUrl(options, key, ttlSeconds, now),
  };
}
