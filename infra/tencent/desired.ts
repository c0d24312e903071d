/**
 * What the Tencent deployment should look like, derived from the route table (shared/routes.ts),
 * the settings (shared/config/operations.ts: TENCENT_SCF_*) and the built zips: one SCF function per
 * route, each serving through its alias `live` (a published version), a Function URL (`http`
 * trigger) on every HTTP function's alias, a `timer` trigger per schedule route on the alias, and —
 * when TENCENT_SCF_CUSTOM_DOMAIN is set — one custom domain whose path routes send every API path to
 * its function's alias, so one host serves the whole API.
 */
import { settingsBlocks, type Config } from '../../shared/config';
import { fallbackRoute, httpRoutes, routeSpecificity, scheduleRoutes, type HttpRoute, type ScheduleRoute } from '../../shared/routes';
import type { TencentArtifact } from './build';

export interface DeploySettings {
  readonly region: string;
  readonly namespace: string;
  readonly prefix: string;
  readonly runtime: string;
  readonly memoryMb: number;
  readonly role: string | undefined;
  readonly customDomain: string | undefined;
  readonly domainProtocol: 'HTTP' | 'HTTPS' | 'HTTP&HTTPS';
  readonly certificateId: string | undefined;
  /** COS bucket `<name>-<appid>` for zips over the inline limit; undefined = none. */
  readonly codeBucket: string | undefined;
  /** SCF API endpoint override (the sandbox, which also plays COS); undefined = the real cloud. */
  readonly endpoint: string | undefined;
  readonly secretId: string;
  readonly secretKey: string;
  readonly basePath: string;
  readonly appEnv: string;
}

export function deploySettings(config: Config): DeploySettings {
  const secretId = config.TENCENT_SCF_DEPLOY_SECRET_ID ?? config.TENCENT_SECRET_ID;
  const secretKey = config.TENCENT_SCF_DEPLOY_SECRET_KEY ?? config.TENCENT_SECRET_KEY;
  if (!secretId || !secretKey) throw new Error('No Tencent Cloud API key to deploy with: set TENCENT_SCF_DEPLOY_SECRET_ID/KEY (or TENCENT_SECRET_ID/KEY)');
  return {
    region: config.TENCENT_SCF_REGION ?? config.TENCENT_REGION,
    namespace: config.TENCENT_SCF_NAMESPACE,
    prefix: config.TENCENT_SCF_FUNCTION_PREFIX,
    runtime: config.TENCENT_SCF_RUNTIME,
    memoryMb: config.TENCENT_SCF_MEMORY_MB,
    role: config.TENCENT_SCF_ROLE,
    customDomain: config.TENCENT_SCF_CUSTOM_DOMAIN,
    domainProtocol: config.TENCENT_SCF_DOMAIN_PROTOCOL,
    certificateId: config.TENCENT_SCF_CERTIFICATE_ID,
    codeBucket: config.TENCENT_SCF_CODE_BUCKET,
    endpoint: config.TENCENT_SCF_API_ENDPOINT,
    secretId,
    secretKey,
    basePath: config.API_BASE_PATH,
    appEnv: config.APP_ENV,
  };
}

/** The Function URL settings (platform.md §2.3): public, no platform auth (the functions check JWTs), CORS by the functions. */
export const HTTP_TRIGGER_NAME = 'url';
export const httpTriggerDesc = {
  AuthType: 'NONE',
  NetConfig: { EnableExtranet: true, EnableIntranet: false },
  ApiGwCompatible: true,
  CorsConfig: { Enable: false },
  EnableSimpleMode: false,
} as const;

/**
 * The alias every trigger and custom-domain route points at. A deploy publishes a version and moves
 * the alias to it; `--rollback` moves it back. `$LATEST` is only the staging area for the next version.
 */
export const ALIAS = 'live';

/**
 * Largest zip sent inline (base64 in the request). A TC3 request body may be at most 10 MB (Tencent
 * Cloud API request structure, cloud.tencent.com/document/product/1278/46710) — tighter than
 * CreateFunction's 50 MB or UpdateFunctionCode's 20 MB ZipFile limits — and base64 grows a zip by a
 * third: 6 MiB becomes 8 MiB, leaving room for the environment and the rest of the request. Larger
 * zips go through COS (TENCENT_SCF_CODE_BUCKET).
 */
export const INLINE_ZIP_LIMIT_BYTES = 6 * 1024 * 1024;

/** How a function's code reaches SCF: inline, or uploaded to the code bucket first. */
export type CodeUpload =
  | { readonly via: 'inline' }
  | {
      readonly via: 'cos';
      /** `<name>-<appid>`, or undefined when TENCENT_SCF_CODE_BUCKET is unset (the plan refuses). */
      readonly bucket: string | undefined;
      /** CosObjectName: the object key with a leading `/`, as SCF wants it; content-addressed. */
      readonly objectName: string;
    };

/** The route table the deployer follows; tests pass a fixture. */
export interface RouteTable {
  readonly http: readonly HttpRoute[];
  readonly fallback: { readonly name: string; readonly timeoutSeconds: number };
  readonly schedules: readonly Pick<ScheduleRoute, 'name' | 'everyMinutes' | 'timeoutSeconds'>[];
}

export const routeTable: RouteTable = { http: httpRoutes, fallback: fallbackRoute, schedules: scheduleRoutes };

/** Every function name the route table asks for. */
export function functionNamesOf(settings: Pick<DeploySettings, 'prefix'>, routes: RouteTable = routeTable): string[] {
  return [...routes.http, routes.fallback, ...routes.schedules].map((route) => scfFunctionName(settings.prefix, route.name));
}

export interface DesiredFunction {
  readonly routeName: string;
  readonly functionName: string;
  readonly kind: 'http' | 'fallback' | 'timer';
  readonly handler: string;
  readonly runtime: string;
  readonly memorySize: number;
  readonly timeout: number;
  readonly role: string | undefined;
  readonly description: string;
  readonly codeSha256: string;
  readonly zipPath: string;
  readonly zipBytes: number;
  readonly code: CodeUpload;
  readonly environment: Readonly<Record<string, string>>;
  readonly timer?: { readonly triggerName: string; readonly cron: string; readonly everyMinutes: number };
}

export interface DesiredEndpoint {
  readonly Namespace: string;
  readonly FunctionName: string;
  readonly Qualifier: string;
  readonly PathMatch: string;
}

export interface DesiredDomain {
  readonly domain: string;
  readonly protocol: DeploySettings['domainProtocol'];
  readonly certificateId: string | undefined;
  readonly endpoints: readonly DesiredEndpoint[];
}

export interface DesiredState {
  readonly functions: readonly DesiredFunction[];
  readonly domain: DesiredDomain | undefined;
}

/** SCF function names: 2-60 characters, a letter first, no trailing - or _. */
export function scfFunctionName(prefix: string, routeName: string): string {
  const name = `${prefix}${routeName}`;
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$/.test(name)) throw new Error(`SCF function name "${name}" is not valid (2-60 letters, digits, - and _, a letter first)`);
  return name;
}

/**
 * `everyMinutes` as SCF's 7-field cron (`sec min hour dom mon dow year`, platform.md §2.4b), at
 * second 0: 1 → every minute, 30 → every 30 minutes, 120 → every 2 hours. A step that does not
 * divide the hour restarts at each full hour, as cron steps do.
 */
export function scfCron(everyMinutes: number): string {
  if (!Number.isInteger(everyMinutes) || everyMinutes < 1) throw new Error(`everyMinutes must be a positive integer (got ${everyMinutes})`);
  if (everyMinutes < 60) return `0 */${everyMinutes} * * * * *`;
  if (everyMinutes % 60 === 0 && everyMinutes < 24 * 60) return `0 0 */${everyMinutes / 60} * * * *`;
  throw new Error(`every ${everyMinutes} minutes has no SCF cron form here; use a divisor of 60 or whole hours under a day`);
}

/** Marks functions this deployer manages: only those are ever offered for deletion (--prune). */
export const MANAGED_MARK = 'Managed by the ai photo api deployer.';

/** The description carries the code hash, since GetFunction reports no hash of the code it runs. */
export function describeCode(sha256: string): string {
  return `Code sha256 ${sha256}. ${MANAGED_MARK}`;
}

/**
 * A published version's description: the release (one per applying deploy, `--rollback` undoes the
 * latest) and the code hash again, whichever description GetFunction reports for a version.
 */
export function describeVersion(release: string, sha256: string): string {
  return `Release ${release}. Code sha256 ${sha256}.`;
}

export function releaseOf(description: string | undefined): string | undefined {
  return /Release (\d{14,20})\./.exec(description ?? '')?.[1];
}

/** A release id: the UTC time to the millisecond, digits only (descriptions allow no other signs). */
export function newReleaseId(now: Date = new Date()): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 17);
}

export function codeHashOf(description: string | undefined): string | undefined {
  return /Code sha256 ([0-9a-f]{64})/.exec(description ?? '')?.[1];
}

/** Settings only the deployer reads; never copied into a function's environment. */
export const deployOnlySettings = (name: string): boolean => name.startsWith('TENCENT_SCF_');

/**
 * The functions' environment: every declared setting that is set (non-empty) in the deploy
 * environment, except the deployer's own. Unset ones take their defaults in code, as on AWS.
 */
export function functionEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const names = Object.values(settingsBlocks).flatMap((block) => Object.keys(block));
  const result: Record<string, string> = {};
  for (const name of names.sort()) {
    const value = env[name];
    if (value !== undefined && value !== '' && !deployOnlySettings(name)) result[name] = value;
  }
  return result;
}

/**
 * `/task/{taskId}` under `/api` → `/api/task/*`; SCF path matches allow `*` only as the last segment,
 * so a parameter before the end cuts the path there: `/admin/orders/{orderId}/refund` →
 * `/api/admin/orders/*` (the `*` takes the rest, as the `/*` catch-all does). The function still
 * matches the whole path against its template and answers 404 otherwise (shared/http/middleware.ts);
 * two functions under one such prefix are refused by domainEndpoints.
 */
export function pathMatchOf(basePath: string, route: Pick<HttpRoute, 'path' | 'name'>): string {
  const segments = route.path.split('/').filter(Boolean);
  const firstParameter = segments.findIndex((segment) => segment.startsWith('{'));
  const fixed = firstParameter < 0 ? segments : [...segments.slice(0, firstParameter), '*'];
  return `${basePath}/${fixed.join('/')}`;
}

/**
 * Every HTTP route as a path route, most specific first (so `/api/task/list` comes before
 * `/api/task/*`), then `/*` to the not-found function. SCF matches by path only, never by method,
 * so two routes on one path would need one function; that is refused here.
 */
export function domainEndpoints(settings: Pick<DeploySettings, 'basePath' | 'namespace' | 'prefix'>, routes: readonly HttpRoute[] = httpRoutes, fallback: { readonly name: string } = fallbackRoute): DesiredEndpoint[] {
  const ordered = [...routes].sort((a, b) => {
    const sa = routeSpecificity(a.path);
    const sb = routeSpecificity(b.path);
    for (let i = 0; i < Math.max(sa.length, sb.length); i += 1) {
      const diff = (sb[i] ?? -1) - (sa[i] ?? -1);
      if (diff !== 0) return diff;
    }
    return a.path.localeCompare(b.path);
  });
  const endpoints = ordered.map((route) => ({ Namespace: settings.namespace, FunctionName: scfFunctionName(settings.prefix, route.name), Qualifier: ALIAS, PathMatch: pathMatchOf(settings.basePath, route) }));
  const seen = new Map<string, string>();
  for (const endpoint of endpoints) {
    const owner = seen.get(endpoint.PathMatch);
    if (owner && owner !== endpoint.FunctionName) throw new Error(`${endpoint.PathMatch} would go to both ${owner} and ${endpoint.FunctionName}; SCF routes by path only`);
    seen.set(endpoint.PathMatch, endpoint.FunctionName);
  }
  const unique = endpoints.filter((endpoint, index) => endpoints.findIndex((other) => other.PathMatch === endpoint.PathMatch) === index);
  return [...unique, { Namespace: settings.namespace, FunctionName: scfFunctionName(settings.prefix, fallback.name), Qualifier: ALIAS, PathMatch: '/*' }];
}

export interface DesiredOptions {
  readonly routes?: RouteTable;
  /** Zips above this go through COS; default INLINE_ZIP_LIMIT_BYTES (tests lower it). */
  readonly inlineZipLimitBytes?: number;
}

/** Inline when small enough; else the code bucket, under a key named by the zip's hash. */
function codeUpload(settings: DeploySettings, functionName: string, artifact: TencentArtifact, inlineLimit: number): CodeUpload {
  if (artifact.zipBytes <= inlineLimit) return { via: 'inline' };
  return { via: 'cos', bucket: settings.codeBucket, objectName: `/scf-code/${functionName}/${artifact.zipSha256}.zip` };
}

export function desiredState(settings: DeploySettings, artifacts: readonly TencentArtifact[], environment: Readonly<Record<string, string>>, options: DesiredOptions = {}): DesiredState {
  const routes = options.routes ?? routeTable;
  const inlineLimit = options.inlineZipLimitBytes ?? INLINE_ZIP_LIMIT_BYTES;
  const byName = new Map(artifacts.map((artifact) => [artifact.name, artifact]));
  const artifactOf = (name: string): TencentArtifact => {
    const artifact = byName.get(name);
    if (!artifact) throw new Error(`no build artifact for ${name}`);
    return artifact;
  };
  const base = ({ name: routeName, timeoutSeconds }: { name: string; timeoutSeconds: number }, kind: DesiredFunction['kind']) => {
    const artifact = artifactOf(routeName);
    const functionName = scfFunctionName(settings.prefix, routeName);
    return {
      routeName,
      functionName,
      kind,
      handler: artifact.handler,
      runtime: settings.runtime,
      memorySize: settings.memoryMb,
      timeout: timeoutSeconds,
      role: settings.role,
      description: describeCode(artifact.zipSha256),
      codeSha256: artifact.zipSha256,
      zipPath: artifact.zipPath,
      zipBytes: artifact.zipBytes,
      code: codeUpload(settings, functionName, artifact, inlineLimit),
      environment,
    };
  };
  const functions: DesiredFunction[] = [
    ...routes.http.map((route) => base(route, 'http')),
    base(routes.fallback, 'fallback'),
    ...routes.schedules.map((route) => ({ ...base(route, 'timer'), timer: { triggerName: `${route.name}-timer`, cron: scfCron(route.everyMinutes), everyMinutes: route.everyMinutes } })),
  ];
  const domain = settings.customDomain
    ? { domain: settings.customDomain, protocol: settings.domainProtocol, certificateId: settings.certificateId, endpoints: domainEndpoints(settings, routes.http, routes.fallback) }
    : undefined;
  if (domain && domain.protocol !== 'HTTP' && !domain.certificateId) {
    throw new Error(`TENCENT_SCF_DOMAIN_PROTOCOL ${domain.protocol} needs TENCENT_SCF_CERTIFICATE_ID (an SSL certificate id for ${domain.domain})`);
  }
  return { functions, domain };
}
