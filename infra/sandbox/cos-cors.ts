/**
 * Bucket CORS as COS plays it (cloud.tencent.com/document/product/436/8279, PUT Bucket cors):
 *   PUT /<bucket>?cors   <CORSConfiguration><CORSRule>… AllowedOrigin, AllowedMethod, AllowedHeader,
 *                        ExposeHeader, MaxAgeSeconds …</CORSRule></CORSConfiguration> replaces the rules
 *   GET /<bucket>?cors   the rules (404 NoSuchCORSConfiguration when there are none)
 *   OPTIONS on an object: the preflight, answered from the first rule matching the Origin, the
 *                        Access-Control-Request-Method and every Access-Control-Request-Headers
 *                        entry; 403 otherwise (a browser then refuses the upload)
 *   other requests with an Origin: Access-Control-Allow-Origin and -Expose-Headers when a rule matches.
 * A bucket nobody configured uses the sandbox's default rules (SandboxOptions.corsOrigins: what
 * `npm run dev` passes from CORS_ORIGINS, the rules `npm run cos:cors` sets on the real bucket);
 * none → no CORS at all, as with a fresh bucket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CosError } from './cos-store';
import { headerValue } from './tencent-api';
import { toXml } from './xml';

export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number | undefined;
}

/** What `npm run cos:cors` sets for the H5 origins: PUT/GET/HEAD, any request header, ETag exposed. */
export function h5CorsRule(origins: readonly string[]): CorsRule {
  return { allowedOrigins: origins, allowedMethods: ['PUT', 'GET', 'HEAD'], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 600 };
}

export class BucketCors {
  private readonly configured = new Map<string, readonly CorsRule[]>();

  constructor(private readonly defaults: readonly CorsRule[]) {}

  rulesOf(bucket: string): readonly CorsRule[] {
    return this.configured.get(bucket) ?? this.defaults;
  }

  set(bucket: string, rules: readonly CorsRule[]): void {
    this.configured.set(bucket, rules);
  }

  delete(bucket: string): void {
    this.configured.set(bucket, []);
  }

  clear(): void {
    this.configured.clear();
  }
}

/** `*` matches any run of characters (COS allows one wildcard in an origin, e.g. https://*.example.com). */
function wildcardMatch(pattern: string, value: string, caseless: boolean): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, caseless ? 'i' : '').test(value);
}

function matchingRule(rules: readonly CorsRule[], origin: string, method: string, requestHeaders: readonly string[]): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((allowed) => wildcardMatch(allowed, origin, false)) &&
      rule.allowedMethods.some((allowed) => allowed.toUpperCase() === method) &&
      requestHeaders.every((header) => rule.allowedHeaders.some((allowed) => wildcardMatch(allowed, header, true))),
  );
}

/** Headers for an actual (non-preflight) request from `Origin`; none without a matching rule. */
export function corsResponseHeaders(rules: readonly CorsRule[], req: IncomingMessage): Record<string, string> {
  const origin = headerValue(req.headers, 'origin');
  if (origin === undefined) return {};
  const rule = matchingRule(rules, origin, (req.method ?? 'GET').toUpperCase(), []);
  if (!rule) return {};
  return {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    ...(rule.exposeHeaders.length ? { 'access-control-expose-headers': rule.exposeHeaders.join(',') } : {}),
  };
}

/** OPTIONS on an object: 200 with the rule's answer, or 403 as COS answers a preflight no rule allows. */
export function answerPreflight(rules: readonly CorsRule[], req: IncomingMessage, res: ServerResponse, requestId: string): void {
  const origin = headerValue(req.headers, 'origin');
  const method = headerValue(req.headers, 'access-control-request-method')?.toUpperCase();
  const requested = (headerValue(req.headers, 'access-control-request-headers') ?? '')
    .split(',')
    .map((header) => header.trim())
    .filter(Boolean);
  const rule = origin !== undefined && method !== undefined ? matchingRule(rules, origin, method, requested) : undefined;
  if (!rule || origin === undefined || method === undefined) {
    throw new CosError(
      403,
      'AccessForbidden',
      'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.',
    );
  }
  const headers: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': rule.allowedMethods.join(','),
    ...(requested.length ? { 'access-control-allow-headers': requested.join(',') } : {}),
    ...(rule.exposeHeaders.length ? { 'access-control-expose-headers': rule.exposeHeaders.join(',') } : {}),
    ...(rule.maxAgeSeconds === undefined ? {} : { 'access-control-max-age': String(rule.maxAgeSeconds) }),
    vary: 'Origin,Access-Control-Request-Method,Access-Control-Request-Headers',
    'x-cos-request-id': requestId,
    'content-length': '0',
  };
  res.writeHead(200, headers);
  res.end();
}

/** All `<name>…</name>` texts directly inside `xml` (the CORS document has no nesting beyond CORSRule). */
function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((match) => unescapeXml((match[1] ?? '').trim()));
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The body of PUT Bucket cors (as cos-nodejs-sdk-v5 putBucketCors sends it). */
export function parseCorsConfiguration(body: Buffer): CorsRule[] {
  const xml = body.toString('utf8');
  if (!/<CORSConfiguration>/.test(xml)) throw new CosError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  const rules = elements(xml, 'CORSRule').map((rule) => {
    const maxAge = elements(rule, 'MaxAgeSeconds')[0];
    const parsed: CorsRule = {
      allowedOrigins: elements(rule, 'AllowedOrigin'),
      allowedMethods: elements(rule, 'AllowedMethod').map((method) => method.toUpperCase()),
      allowedHeaders: elements(rule, 'AllowedHeader'),
      exposeHeaders: elements(rule, 'ExposeHeader'),
      maxAgeSeconds: maxAge === undefined ? undefined : Number(maxAge),
    };
    if (parsed.allowedOrigins.length === 0 || parsed.allowedMethods.length === 0) {
      throw new CosError(400, 'InvalidArgument', 'Each CORSRule needs at least one AllowedOrigin and one AllowedMethod.');
    }
    if (parsed.allowedMethods.some((method) => !['PUT', 'GET', 'POST', 'DELETE', 'HEAD'].includes(method))) {
      throw new CosError(400, 'InvalidArgument', 'AllowedMethod must be PUT, GET, POST, DELETE or HEAD.');
    }
    return parsed;
  });
  if (rules.length === 0) throw new CosError(400, 'MalformedXML', 'CORSConfiguration needs at least one CORSRule.');
  return rules;
}

/** The body of GET Bucket cors. */
export function corsConfigurationXml(rules: readonly CorsRule[]): string {
  return toXml('CORSConfiguration', {
    CORSRule: rules.map((rule) => ({
      AllowedOrigin: rule.allowedOrigins,
      AllowedMethod: rule.allowedMethods,
      AllowedHeader: rule.allowedHeaders,
      ExposeHeader: rule.exposeHeaders,
      ...(rule.maxAgeSeconds === undefined ? {} : { MaxAgeSeconds: rule.maxAgeSeconds }),
    })),
  });
}
