import { camSafeUrlEncode } from '../vendors/cos';
import { taskServices } from '../tasks/services';

/**
 * The URL a client downloads a result from: `RESULT_PUBLIC_BASE_URL/<key>` when a public or CDN
 * origin is configured, else a presigned COS GET valid for RESULT_URL_TTL_SECONDS (the bucket is
 * private, so nobody reads another user's results without a URL we handed out).
 */
export function resultUrl(key: string, now = Date.now()): string {
  const { settings, store } = taskServices();
  if (settings.RESULT_PUBLIC_BASE_URL) return `${settings.RESULT_PUBLIC_BASE_URL}/${camSafeUrlEncode(key).replace(/%2F/g, '/')}`;
  return store.signedGetUrl(key, settings.RESULT_URL_TTL_SECONDS, now);
}
