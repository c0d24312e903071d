import { camSafeUrlEncode, type ObjectStore } from '../vendors/cos';

export interface ResultUrlOptions {
  /** RESULT_PUBLIC_BASE_URL: a public or CDN origin for results, without a trailing slash. */
  readonly publicBaseUrl: string | undefined;
  /** RESULT_URL_TTL_SECONDS: how long a signed URL works. */
  readonly ttlSeconds: number;
  readonly store: Pick<ObjectStore, 'signedGetUrl'>;
}

/**
 * The URL a client downloads a result from: `RESULT_PUBLIC_BASE_URL/<key>` when a public or CDN
 * origin is configured, else a presigned COS GET valid for RESULT_URL_TTL_SECONDS (the bucket is
 * private, so nobody reads another user's results without a URL we handed out).
 */
export function resultUrlWith(options: ResultUrlOptions, key: string, now = Date.now()): string {
  if (options.publicBaseUrl) return `${options.publicBaseUrl}/${camSafeUrlEncode(key).replace(/%2F/g, '/')}`;
  return options.store.signedGetUrl(key, options.ttlSeconds, now);
}
