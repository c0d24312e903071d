/**
 * Reads what exists in SCF (read-only calls: GetFunction, ListTriggers, ListVersionByFunction,
 * ListAliases, ListFunctions, ListNamespaces, GetAccount, GetCustomDomain), compares it with the
 * desired state and describes every change: per function, per version and alias, per trigger and per
 * custom-domain route, `create`, `update` or `unchanged`; functions this deployer once made that left
 * the route table (deleted only with --prune); and how full the namespace will be. Environment values
 * are compared but never shown: a change lists variable names only.
 */
import type { GetFunctionResponse, TriggerInfo } from 'tencentcloud-sdk-nodejs-scf/tencentcloud/services/scf/v20180416/scf_models';
import {
  ALIAS,
  codeHashOf,
  HTTP_TRIGGER_NAME,
  httpTriggerDesc,
  MANAGED_MARK,
  type DeploySettings,
  type DesiredDomain,
  type DesiredEndpoint,
  type DesiredFunction,
  type DesiredState,
} from './desired';
import { errorCode, isNotFound, type ScfClient } from './scf-client';
import { readAlias, readVersion, readVersions, versionBefore, type PublishedVersion } from './versions';

export type Action = 'create' | 'update' | 'unchanged';

export interface CurrentFunction {
  readonly runtime: string | undefined;
  readonly handler: string | undefined;
  readonly memorySize: number | undefined;
  readonly timeout: number | undefined;
  readonly role: string | undefined;
  readonly description: string | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly triggers: readonly TriggerInfo[];
}

/**
 * What the alias `live` will point at: a version published from `$LATEST` by this deploy, an
 * existing version that already holds the desired code and configuration (after a rollback), or
 * the one it points at now.
 */
export interface ReleasePlan {
  readonly action: 'publish' | 'move' | 'unchanged';
  /** The version the alias points at now; undefined when there is no alias yet. */
  readonly aliasFrom: string | undefined;
  /** The existing version it will point at; undefined for `publish` (a new version). */
  readonly aliasTo: string | undefined;
  /** Published versions now, oldest first. */
  readonly versions: readonly string[];
}

export interface FunctionPlan {
  readonly desired: DesiredFunction;
  readonly action: Action;
  readonly codeChanged: boolean;
  /** Configuration differences, e.g. `memory 128 → 256 MB`, `env ~JWT_SECRET` (names only). */
  readonly configChanges: readonly string[];
  readonly release: ReleasePlan;
  readonly http?: TriggerPlan;
  readonly timer?: TriggerPlan;
  /** Existing URL of the alias when the function already has one. */
  readonly url: string | undefined;
  /** Triggers we do not manage (including ones on other qualifiers), left as they are. */
  readonly unmanagedTriggers: readonly string[];
}

export interface TriggerPlan {
  readonly action: Action;
  readonly name: string;
  readonly desc: string;
  readonly detail: string;
}

export interface RoutePlan {
  readonly action: Action | 'delete';
  readonly pathMatch: string;
  readonly functionName: string;
  readonly was?: string;
}

export interface DomainPlan {
  readonly desired: DesiredDomain;
  readonly action: Action;
  readonly changes: readonly string[];
  readonly routes: readonly RoutePlan[];
}

/** A function of this deployer (its mark in the description, our prefix) that the route table no longer has. */
export interface StaleFunction {
  readonly functionName: string;
  /** `delete` with --prune; `keep` (listed only) without. */
  readonly action: 'delete' | 'keep';
}

export interface QuotaPlan {
  readonly limit: number;
  /** Where the limit came from: GetAccount's AccountLimit, or the documented default. */
  readonly source: 'GetAccount' | 'default';
  readonly existing: number;
  readonly after: number;
}

export interface DeployPlan {
  readonly settings: DeploySettings;
  readonly namespaceAction: Action;
  readonly stale: readonly StaleFunction[];
  readonly functions: readonly FunctionPlan[];
  readonly domain: DomainPlan | undefined;
  readonly quota: QuotaPlan;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

/** SCF's default number of functions per namespace (issue 12); GetAccount reports the real one. */
export const DEFAULT_FUNCTIONS_PER_NAMESPACE = 50;
/** The plan warns once a namespace would be this full. */
const QUOTA_WARNING_SHARE = 0.8;

function currentOf(fn: GetFunctionResponse, triggers: readonly TriggerInfo[]): CurrentFunction {
  return {
    runtime: fn.Runtime,
    handler: fn.Handler,
    memorySize: fn.MemorySize,
    timeout: fn.Timeout,
    role: fn.Role,
    description: fn.Description,
    environment: Object.fromEntries((fn.Environment?.Variables ?? []).map((variable) => [variable.Key ?? '', variable.Value ?? ''])),
    triggers,
  };
}

async function readFunction(client: ScfClient, namespace: string, name: string): Promise<CurrentFunction | undefined> {
  let fn;
  try {
    fn = await client.GetFunction({ FunctionName: name, Namespace: namespace });
  } catch (error) {
    if (isNotFound(error, 'Function')) return undefined;
    throw error;
  }
  const triggers: TriggerInfo[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await client.ListTriggers({ FunctionName: name, Namespace: namespace, Offset: offset, Limit: 100 });
    triggers.push(...(page.Triggers ?? []));
    if ((page.Triggers ?? []).length < 100) break;
  }
  return currentOf(fn, triggers);
}

function parseJson(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The Function URL of an http trigger (ASSUMPTION: SCF reports it as TriggerDesc.NetConfig.ExtranetUrl). */
export function urlOf(trigger: TriggerInfo | undefined): string | undefined {
  const net = parseJson(trigger?.TriggerDesc).NetConfig as { ExtranetUrl?: unknown } | undefined;
  return typeof net?.ExtranetUrl === 'string' ? net.ExtranetUrl : undefined;
}

/** Compares only the fields we set; SCF adds its own (the URL) to what it reports. */
function sameHttpDesc(reported: string | undefined): boolean {
  const current = parseJson(reported);
  const net = (current.NetConfig ?? {}) as Record<string, unknown>;
  const cors = (current.CorsConfig ?? {}) as Record<string, unknown>;
  return (
    current.AuthType === httpTriggerDesc.AuthType &&
    net.EnableExtranet === httpTriggerDesc.NetConfig.EnableExtranet &&
    (net.EnableIntranet ?? false) === httpTriggerDesc.NetConfig.EnableIntranet &&
    (current.ApiGwCompatible ?? false) === httpTriggerDesc.ApiGwCompatible &&
    (cors.Enable ?? false) === httpTriggerDesc.CorsConfig.Enable &&
    (current.EnableSimpleMode ?? false) === httpTriggerDesc.EnableSimpleMode
  );
}

function environmentChanges(current: Readonly<Record<string, string>>, desired: Readonly<Record<string, string>>): string[] {
  const added = Object.keys(desired).filter((name) => !(name in current));
  const changed = Object.keys(desired).filter((name) => name in current && current[name] !== desired[name]);
  const removed = Object.keys(current).filter((name) => !(name in desired));
  const parts = [...added.map((name) => `+${name}`), ...changed.map((name) => `~${name}`), ...removed.map((name) => `-${name}`)];
  return parts.length > 0 ? [`env ${parts.join(' ')}`] : [];
}

/** How $LATEST or a version differs from the desired function (code by the hash in its description). */
function differences(desired: DesiredFunction, current: CurrentFunction): { codeChanged: boolean; configChanges: string[] } {
  const codeChanged = codeHashOf(current.description) !== desired.codeSha256 || current.handler !== desired.handler;
  const configChanges = [
    ...(current.memorySize !== desired.memorySize ? [`memory ${current.memorySize ?? '?'} → ${desired.memorySize} MB`] : []),
    ...(current.timeout !== desired.timeout ? [`timeout ${current.timeout ?? '?'} → ${desired.timeout} s`] : []),
    ...((current.role || undefined) !== desired.role ? [`role ${current.role || '(none)'} → ${desired.role ?? '(none)'}`] : []),
    ...environmentChanges(current.environment, desired.environment),
  ];
  return { codeChanged, configChanges };
}

/** Whether a published version already holds exactly the desired code and configuration. */
async function versionMatches(client: ScfClient, namespace: string, desired: DesiredFunction, version: string): Promise<boolean> {
  const snapshot = currentOf(await readVersion(client, namespace, desired.functionName, version), []);
  const { codeChanged, configChanges } = differences(desired, snapshot);
  return !codeChanged && configChanges.length === 0 && snapshot.runtime === desired.runtime;
}

/**
 * A changed $LATEST is published. An unchanged one needs no new version when the alias already
 * points at a version that matches it, or when the newest version does (a deploy after --rollback
 * moves the alias forward again instead of publishing the same code twice).
 */
async function planRelease(client: ScfClient, namespace: string, desired: DesiredFunction, latestChanged: boolean): Promise<ReleasePlan> {
  const versions = (await readVersions(client, namespace, desired.functionName)).map((entry) => entry.version);
  const aliasFrom = await readAlias(client, namespace, desired.functionName);
  if (latestChanged) return { action: 'publish', aliasFrom, aliasTo: undefined, versions };
  const numbered = aliasFrom !== undefined && versions.includes(aliasFrom);
  if (numbered && (await versionMatches(client, namespace, desired, aliasFrom))) return { action: 'unchanged', aliasFrom, aliasTo: aliasFrom, versions };
  const newest = versions.at(-1);
  if (newest !== undefined && newest !== aliasFrom && (await versionMatches(client, namespace, desired, newest))) return { action: 'move', aliasFrom, aliasTo: newest, versions };
  return { action: 'publish', aliasFrom, aliasTo: undefined, versions };
}

async function planFunction(client: ScfClient, namespace: string, desired: DesiredFunction, current: CurrentFunction | undefined, problems: string[]): Promise<FunctionPlan> {
  const httpDesc = JSON.stringify(httpTriggerDesc);
  const wantsHttp = desired.kind !== 'timer';
  if (!current) {
    return {
      desired,
      action: 'create',
      codeChanged: true,
      configChanges: [],
      release: { action: 'publish', aliasFrom: undefined, aliasTo: undefined, versions: [] },
      url: undefined,
      unmanagedTriggers: [],
      ...(wantsHttp ? { http: { action: 'create', name: HTTP_TRIGGER_NAME, desc: httpDesc, detail: `Function URL on ${ALIAS} (assigned on create)` } } : {}),
      ...(desired.timer ? { timer: { action: 'create', name: desired.timer.triggerName, desc: desired.timer.cron, detail: `${desired.timer.cron} (every ${desired.timer.everyMinutes} min) on ${ALIAS}` } } : {}),
    };
  }
  if (current.runtime !== undefined && current.runtime !== desired.runtime) {
    problems.push(`${desired.functionName} runs ${current.runtime}; SCF cannot change a runtime in place (wanted ${desired.runtime}): delete the function first or keep TENCENT_SCF_RUNTIME=${current.runtime}`);
  }
  // The description holds the code hash, so it changes with the code and rides on the config update.
  const { codeChanged, configChanges } = differences(desired, current);
  const action: Action = codeChanged || configChanges.length > 0 ? 'update' : 'unchanged';
  const release = await planRelease(client, namespace, desired, action !== 'unchanged');
  const onAlias = (trigger: TriggerInfo) => trigger.Qualifier === ALIAS;
  const httpTrigger = wantsHttp ? current.triggers.find((trigger) => trigger.Type === 'http' && onAlias(trigger)) : undefined;
  const timerTrigger = desired.timer ? current.triggers.find((trigger) => trigger.Type === 'timer' && trigger.TriggerName === desired.timer?.triggerName && onAlias(trigger)) : undefined;
  const url = urlOf(httpTrigger);
  const http: TriggerPlan | undefined = wantsHttp
    ? httpTrigger
      ? { action: sameHttpDesc(httpTrigger.TriggerDesc) ? 'unchanged' : 'update', name: httpTrigger.TriggerName ?? HTTP_TRIGGER_NAME, desc: httpDesc, detail: url ?? 'Function URL' }
      : { action: 'create', name: HTTP_TRIGGER_NAME, desc: httpDesc, detail: `Function URL on ${ALIAS} (assigned on create)` }
    : undefined;
  const timer: TriggerPlan | undefined = desired.timer
    ? {
        action: !timerTrigger ? 'create' : timerTrigger.TriggerDesc?.trim() === desired.timer.cron && timerTrigger.Enable === 1 ? 'unchanged' : 'update',
        name: desired.timer.triggerName,
        desc: desired.timer.cron,
        detail: `${desired.timer.cron} (every ${desired.timer.everyMinutes} min) on ${ALIAS}${timerTrigger && timerTrigger.TriggerDesc?.trim() !== desired.timer.cron ? `, was ${timerTrigger.TriggerDesc ?? '?'}` : ''}`,
      }
    : undefined;
  return {
    desired,
    action,
    codeChanged,
    configChanges,
    release,
    url,
    unmanagedTriggers: current.triggers.filter((trigger) => trigger !== httpTrigger && trigger !== timerTrigger).map((trigger) => `${trigger.Type ?? '?'}:${trigger.TriggerName ?? '?'} (${trigger.Qualifier ?? '$LATEST'})`),
    ...(http ? { http } : {}),
    ...(timer ? { timer } : {}),
  };
}

const sameEndpoint = (a: DesiredEndpoint, b: { Namespace?: string; FunctionName?: string; Qualifier?: string }): boolean =>
  a.Namespace === b.Namespace && a.FunctionName === b.FunctionName && a.Qualifier === b.Qualifier;

async function planDomain(client: ScfClient, desired: DesiredDomain): Promise<DomainPlan> {
  let current;
  try {
    current = await client.GetCustomDomain({ Domain: desired.domain });
  } catch (error) {
    if (!isNotFound(error, 'Domain')) throw error;
  }
  if (!current) {
    return { desired, action: 'create', changes: [], routes: desired.endpoints.map((endpoint) => ({ action: 'create', pathMatch: endpoint.PathMatch, functionName: endpoint.FunctionName })) };
  }
  const existing = current.EndpointsConfig ?? [];
  const routes: RoutePlan[] = desired.endpoints.map((endpoint) => {
    const found = existing.find((candidate) => candidate.PathMatch === endpoint.PathMatch);
    if (!found) return { action: 'create', pathMatch: endpoint.PathMatch, functionName: endpoint.FunctionName };
    return sameEndpoint(endpoint, found)
      ? { action: 'unchanged', pathMatch: endpoint.PathMatch, functionName: endpoint.FunctionName }
      : { action: 'update', pathMatch: endpoint.PathMatch, functionName: endpoint.FunctionName, was: `${found.FunctionName ?? '?'}:${found.Qualifier ?? '?'}` };
  });
  for (const endpoint of existing) {
    if (!desired.endpoints.some((wanted) => wanted.PathMatch === endpoint.PathMatch)) routes.push({ action: 'delete', pathMatch: endpoint.PathMatch ?? '?', functionName: endpoint.FunctionName ?? '?' });
  }
  // Order matters when paths overlap (`/api/task/list` before `/api/task/*`), so a reorder is a change too.
  const order = (list: readonly { PathMatch?: string }[]) => list.map((endpoint) => endpoint.PathMatch).join(' ');
  const changes = [
    ...(current.Protocol !== desired.protocol ? [`protocol ${current.Protocol ?? '?'} → ${desired.protocol}`] : []),
    ...((current.CertConfig?.CertificateId || undefined) !== desired.certificateId ? [`certificate ${current.CertConfig?.CertificateId || '(none)'} → ${desired.certificateId ?? '(none)'}`] : []),
    ...(routes.every((route) => route.action === 'unchanged') && order(existing) !== order(desired.endpoints) ? ['route order'] : []),
  ];
  const action: Action = changes.length > 0 || routes.some((route) => route.action !== 'unchanged') ? 'update' : 'unchanged';
  return { desired, action, changes, routes };
}

interface ListedFunction {
  readonly name: string;
  readonly description: string;
}

/** Every function in the namespace (ListFunctions, page by page). */
async function listFunctions(client: ScfClient, namespace: string): Promise<ListedFunction[]> {
  const listed: ListedFunction[] = [];
  for (let offset = 0; ; offset += 20) {
    const page = await client.ListFunctions({ Namespace: namespace, Offset: offset, Limit: 20, Order: 'ASC', Orderby: 'FunctionName' });
    listed.push(...(page.Functions ?? []).map((fn) => ({ name: fn.FunctionName ?? '', description: fn.Description ?? '' })));
    if ((page.Functions ?? []).length < 20) break;
  }
  return listed;
}

/** The namespace's function quota from GetAccount (the namespace's own, else `default`'s), else the documented default. */
async function readQuota(client: ScfClient, namespace: string, warnings: string[]): Promise<Pick<QuotaPlan, 'limit' | 'source'>> {
  try {
    const account = await client.GetAccount();
    const limits = account.AccountLimit?.Namespace ?? [];
    const limit = (limits.find((entry) => entry.Namespace === namespace) ?? limits.find((entry) => entry.Namespace === 'default'))?.FunctionsCount;
    if (limit !== undefined && limit > 0) return { limit, source: 'GetAccount' };
  } catch (error) {
    warnings.push(`could not read the namespace quota (GetAccount: ${errorCode(error) ?? (error as Error).message}); assuming ${DEFAULT_FUNCTIONS_PER_NAMESPACE} functions`);
  }
  return { limit: DEFAULT_FUNCTIONS_PER_NAMESPACE, source: 'default' };
}

export async function planDeployment(client: ScfClient, settings: DeploySettings, desired: DesiredState, options: { prune: boolean } = { prune: false }): Promise<DeployPlan> {
  const problems: string[] = [];
  const warnings: string[] = [];
  let namespaceAction: Action = 'unchanged';
  if (settings.namespace !== 'default') {
    const listed = await client.ListNamespaces({ Limit: 100 });
    namespaceAction = (listed.Namespaces ?? []).some((namespace) => namespace.Name === settings.namespace) ? 'unchanged' : 'create';
  }
  const existing = namespaceAction === 'create' ? [] : await listFunctions(client, settings.namespace);
  const wanted = new Set(desired.functions.map((fn) => fn.functionName));
  const stale: StaleFunction[] = existing
    .filter((fn) => fn.name.startsWith(settings.prefix) && fn.description.includes(MANAGED_MARK) && !wanted.has(fn.name))
    .map((fn) => ({ functionName: fn.name, action: options.prune ? 'delete' : 'keep' }));

  const functions: FunctionPlan[] = [];
  for (const fn of desired.functions) {
    const current = namespaceAction === 'create' ? undefined : await readFunction(client, settings.namespace, fn.functionName);
    functions.push(await planFunction(client, settings.namespace, fn, current, problems));
  }
  for (const fn of functions) {
    const code = fn.desired.code;
    if (fn.codeChanged && code.via === 'cos' && !code.bucket) {
      problems.push(`${fn.desired.functionName}: the zip is ${(fn.desired.zipBytes / 1024 / 1024).toFixed(1)} MB, over the inline upload limit; set TENCENT_SCF_CODE_BUCKET to a COS bucket in ${settings.region}`);
    }
  }

  const quotaLimit = await readQuota(client, settings.namespace, warnings);
  const creates = functions.filter((fn) => fn.action === 'create').length;
  const deletes = stale.filter((fn) => fn.action === 'delete').length;
  const quota: QuotaPlan = { ...quotaLimit, existing: existing.length, after: existing.length + creates - deletes };
  if (quota.after > quota.limit) {
    problems.push(`namespace ${settings.namespace} would hold ${quota.after} functions, over its quota of ${quota.limit}: use another TENCENT_SCF_NAMESPACE, remove functions (--prune) or ask Tencent for a higher quota`);
  } else if (quota.after >= Math.ceil(quota.limit * QUOTA_WARNING_SHARE)) {
    warnings.push(`namespace ${settings.namespace} will hold ${quota.after} of its ${quota.limit} functions; plan another namespace or a higher quota before the route table grows`);
  }
  if (settings.appEnv !== 'production') {
    warnings.push(`APP_ENV is ${settings.appEnv}: the functions would use local defaults (sandbox keys) for every unset secret; only APP_ENV=production reaches the real cloud`);
  }
  const domain = desired.domain ? await planDomain(client, desired.domain) : undefined;
  return { settings, namespaceAction, stale, functions, domain, quota, problems, warnings };
}

/** Counts of changes, for the summary line and the exit decision. */
export function changeCount(plan: DeployPlan): number {
  const actions: string[] = [
    plan.namespaceAction,
    ...plan.stale.map((fn) => (fn.action === 'delete' ? 'delete' : 'unchanged')),
    ...plan.functions.flatMap((fn) => [fn.action, fn.release.action, ...(fn.http ? [fn.http.action] : []), ...(fn.timer ? [fn.timer.action] : [])]),
    ...(plan.domain ? [plan.domain.action] : []),
  ];
  return actions.filter((action) => action !== 'unchanged').length;
}

const pad = (text: string, width: number): string => text.padEnd(width);

function codeDetail(fn: FunctionPlan): string {
  const code = fn.desired.code;
  return code.via === 'cos' ? ` via COS ${code.bucket ?? '(TENCENT_SCF_CODE_BUCKET unset)'}${code.objectName}` : '';
}

function releaseDetail(release: ReleasePlan): string {
  const from = release.aliasFrom === undefined ? `${ALIAS} (new alias)` : `${ALIAS} ${release.aliasFrom}`;
  const published = release.versions.length > 0 ? ` (published: ${release.versions.join(', ')})` : '';
  if (release.action === 'publish') return `${from} → new version${published}`;
  if (release.action === 'move') return `${from} → ${release.aliasTo ?? '?'}, already published${published}`;
  return `${ALIAS} → ${release.aliasTo ?? '?'}${published}`;
}

/** The plan as people read it; secret values never appear (environment changes are names only). */
export function renderPlan(plan: DeployPlan): string {
  const { settings } = plan;
  const width = Math.max(...plan.functions.map((fn) => fn.desired.functionName.length), ...plan.stale.map((fn) => fn.functionName.length), 10) + 2;
  const lines: string[] = [
    `Tencent SCF — region ${settings.region}, namespace ${settings.namespace}${plan.namespaceAction === 'create' ? ' (create)' : ''}, runtime ${settings.runtime}, alias ${ALIAS}, API ${settings.endpoint ?? 'scf.tencentcloudapi.com'}`,
  ];
  if (plan.stale.length > 0) {
    lines.push('', 'Not in the route table (made by this deployer)');
    for (const fn of plan.stale) {
      lines.push(`  ${pad(fn.action === 'delete' ? 'delete' : 'left', 10)} ${pad(fn.functionName, width)} ${fn.action === 'delete' ? 'with every version, alias and trigger (--prune)' : 'run with --prune to delete it'}`);
    }
  }
  lines.push('', 'Functions ($LATEST)');
  for (const fn of plan.functions) {
    const d = fn.desired;
    const details =
      fn.action === 'create'
        ? `code ${(d.zipBytes / 1024).toFixed(1)} KB${codeDetail(fn)}, ${d.memorySize} MB, ${d.timeout} s, env ${Object.keys(d.environment).length} vars`
        : fn.action === 'update'
          ? [...(fn.codeChanged ? [`code changed${codeDetail(fn)}`] : []), ...fn.configChanges].join('; ')
          : '';
    lines.push(`  ${pad(fn.action, 10)} ${pad(d.functionName, width)} ${details}`.trimEnd());
    if (fn.unmanagedTriggers.length > 0) lines.push(`  ${pad('', 10)} ${pad('', width)} left alone: ${fn.unmanagedTriggers.join(', ')}`);
  }
  lines.push('', `Versions and alias ${ALIAS}`);
  for (const fn of plan.functions) lines.push(`  ${pad(fn.release.action, 10)} ${pad(fn.desired.functionName, width)} ${releaseDetail(fn.release)}`);
  lines.push('', `Function URLs (http triggers on ${ALIAS})`);
  for (const fn of plan.functions) if (fn.http) lines.push(`  ${pad(fn.http.action, 10)} ${pad(fn.desired.functionName, width)} ${fn.url ?? fn.http.detail}`);
  lines.push('', `Timers (on ${ALIAS})`);
  for (const fn of plan.functions) if (fn.timer) lines.push(`  ${pad(fn.timer.action, 10)} ${pad(fn.desired.functionName, width)} ${fn.timer.name}: ${fn.timer.detail}`);
  if (plan.domain) {
    const d = plan.domain.desired;
    lines.push('', `Custom domain ${d.domain} (${d.protocol})`, `  ${pad(plan.domain.action, 10)} ${d.domain}${plan.domain.changes.length > 0 ? ` — ${plan.domain.changes.join('; ')}` : ''}`);
    const routeWidth = Math.max(...plan.domain.routes.map((route) => route.pathMatch.length)) + 2;
    for (const route of plan.domain.routes) {
      lines.push(`  ${pad(route.action, 10)} route ${pad(route.pathMatch, routeWidth)} → ${route.functionName}${route.action === 'delete' ? '' : `:${ALIAS}`}${route.was ? ` (was ${route.was})` : ''}`);
    }
  } else {
    lines.push('', 'Custom domain: none (TENCENT_SCF_CUSTOM_DOMAIN unset; each function answers on its own Function URL)');
  }
  const tally = (actions: string[], kinds: readonly string[]) => kinds.filter((kind) => kind !== 'delete' || actions.includes('delete')).map((kind) => `${actions.filter((a) => a === kind).length} ${kind}`).join(', ');
  const basic = ['create', 'update', 'unchanged', 'delete'] as const;
  lines.push(
    '',
    `Functions: ${tally(plan.functions.map((fn) => fn.action), basic)}. Versions: ${tally(plan.functions.map((fn) => fn.release.action), ['publish', 'move', 'unchanged'])}. Triggers: ${tally(
      plan.functions.flatMap((fn) => [...(fn.http ? [fn.http.action] : []), ...(fn.timer ? [fn.timer.action] : [])]),
      basic,
    )}.${plan.domain ? ` Routes: ${tally(plan.domain.routes.map((route) => route.action), basic)}.` : ''}`,
    `Namespace ${settings.namespace}: ${plan.quota.after} of ${plan.quota.limit} functions after this deploy (quota from ${plan.quota.source === 'GetAccount' ? 'GetAccount' : 'the default; GetAccount did not say'}).`,
  );
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  for (const problem of plan.problems) lines.push(`problem: ${problem}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Rollback

export interface RollbackStep {
  readonly functionName: string;
  readonly from: string;
  /** The version before; undefined when there is none (the function was new in that release). */
  readonly to: string | undefined;
}

export interface RollbackPlan {
  readonly settings: DeploySettings;
  /** The release being undone: the newest one any alias points at. */
  readonly release: string | undefined;
  readonly steps: readonly RollbackStep[];
  /** Functions whose alias points at an older release, left as they are. */
  readonly unchanged: readonly { readonly functionName: string; readonly version: string | undefined }[];
  readonly problems: readonly string[];
}

/**
 * Undoes the newest release the aliases point at: every function whose alias points at a version
 * of that release moves to its version before; functions that release did not change stay. Run it
 * again to undo the release before.
 */
export async function planRollback(client: ScfClient, settings: DeploySettings, functionNames: readonly string[]): Promise<RollbackPlan> {
  const states: { functionName: string; alias: string | undefined; release: string | undefined; versions: PublishedVersion[] }[] = [];
  for (const functionName of functionNames) {
    try {
      await client.GetFunction({ FunctionName: functionName, Namespace: settings.namespace });
    } catch (error) {
      if (isNotFound(error, 'Function')) continue;
      throw error;
    }
    const versions = await readVersions(client, settings.namespace, functionName);
    const alias = await readAlias(client, settings.namespace, functionName);
    states.push({ functionName, alias, release: versions.find((entry) => entry.version === alias)?.release, versions });
  }
  const release = states.map((state) => state.release).reduce<string | undefined>((newest, candidate) => (candidate !== undefined && (newest === undefined || candidate > newest) ? candidate : newest), undefined);
  const problems = release === undefined ? [`nothing to roll back: no alias ${ALIAS} in namespace ${settings.namespace} points at a version this deployer published`] : [];
  const steps: RollbackStep[] = [];
  const unchanged: { functionName: string; version: string | undefined }[] = [];
  for (const state of states) {
    if (release !== undefined && state.release === release && state.alias !== undefined) {
      steps.push({ functionName: state.functionName, from: state.alias, to: versionBefore(state.versions, state.alias)?.version });
    } else {
      unchanged.push({ functionName: state.functionName, version: state.alias });
    }
  }
  return { settings, release, steps, unchanged, problems };
}

export function renderRollback(plan: RollbackPlan): string {
  const width = Math.max(...plan.steps.map((step) => step.functionName.length), ...plan.unchanged.map((entry) => entry.functionName.length), 10) + 2;
  const lines = [`Tencent SCF rollback — region ${plan.settings.region}, namespace ${plan.settings.namespace}, alias ${ALIAS}${plan.release ? `, undoing release ${plan.release}` : ''}`, ''];
  for (const step of plan.steps) {
    lines.push(step.to ? `  ${pad('move', 10)} ${pad(step.functionName, width)} ${ALIAS} ${step.from} → ${step.to}` : `  ${pad('keep', 10)} ${pad(step.functionName, width)} ${ALIAS} ${step.from}: new in that release, no version before it`);
  }
  for (const entry of plan.unchanged) lines.push(`  ${pad('unchanged', 10)} ${pad(entry.functionName, width)} ${ALIAS} ${entry.version ?? '(none)'}`);
  for (const problem of plan.problems) lines.push(`problem: ${problem}`);
  return lines.join('\n');
}
