/**
 * The client profile every Tencent Cloud API SDK client gets: a request timeout, and — when an
 * endpoint override is configured (the local sandbox) — its host and protocol instead of the
 * product's default `<product>.tencentcloudapi.com` over HTTPS.
 */
export function tencentClientProfile(endpointOverride: string | undefined, timeoutSeconds = 10) {
  const endpoint = endpointOverride ? new URL(endpointOverride) : undefined;
  return { httpProfile: { reqTimeout: timeoutSeconds, ...(endpoint ? { endpoint: endpoint.host, protocol: `${endpoint.protocol}//` } : {}) } };
}
