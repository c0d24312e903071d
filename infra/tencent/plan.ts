/**
 * Reads what exists in SCF (read-only calls: GetFunction, ListTriggers, ListNamespaces,
 * GetCustomDomain), compares it with the desired state and describes every change: per function,
 * per trigger and per custom-domain route, `create`, `update` or `unchanged`. Environment values
 * are compared but never shown: a change lists variable names only.
 */
import type { TriggerInfo } from 'tencentcloud-sdk-nodejs-scf/tencentcloud/services/scf/v20180416/scf_models';
import { codeHashOf, HTTP_TRIGGER_NAME, httpTriggerDesc, QUALIFIER, type DeploySettings, type DesiredDomain, type DesiredEndpoint, type DesiredFunction, type DesiredState } from './desired';
import { isNotFound, type ScfClient } from './scf-client';

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

export interface FunctionPlan {
  readonly desired: DesiredFunction;
  readonly action: Action;
  readonly codeChanged: boolean;
  /** Configuration differences, e.g. `memory 128 → 256 MB`, `env ~JWT_SECRET` (names only). */
  readonly configChanges: readonly string[];
  readonly http?: TriggerPlan;
  readonly timer?: TriggerPlan;
  /** Existing URL when the function already has one. */
  readonly url: string | undefined;
  /** Triggers we do not manage, left as they are. */
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

export interface DeployPlan {
  readonly settings: DeploySettings;
  readonly namespaceAction: Action;
  readonly functions: readonly FunctionPlan[];
  readonly domain: DomainPlan | undefined;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
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

function planFunction(desired: DesiredFunction, current: CurrentFunction | undefined, problems: string[]): FunctionPlan {
  const httpDesc = JSON.stringify(httpTriggerDesc);
  const wantsHttp = desired.kind !== 'timer';
  if (!current) {
    return {
      desired,
      action: 'create',
      codeChanged: true,
      configChanges: [],
      url: undefined,
      unmanagedTriggers: [],
      ...(wantsHttp ? { http: { action: 'create', name: HTTP_TRIGGER_NAME, desc: httpDesc, detail: 'Function URL (assigned on create)' } } : {}),
      ...(desired.timer ? { timer: { action: 'create', name: desired.timer.triggerName, desc: desired.timer.cron, detail: `${desired.timer.cron} (every ${desired.timer.everyMinutes} min)` } } : {}),
    };
  }
  if (current.runtime !== undefined && current.runtime !== desired.runtime) {
    problems.push(`${desired.functionName} runs ${current.runtime}; SCF cannot change a runtime in place (wanted ${desired.runtime}): delete the function first or keep TENCENT_SCF_RUNTIME=${current.runtime}`);
  }
  const codeChanged = codeHashOf(current.description) !== desired.codeSha256 || current.handler !== desired.handler;
  const configChanges = [
    ...(current.memorySize !== desired.memorySize ? [`memory ${current.memorySize ?? '?'} → ${desired.memorySize} MB`] : []),
    ...(current.timeout !== desired.timeout ? [`timeout ${current.timeout ?? '?'} → ${desired.timeout} s`] : []),
    ...((current.role || undefined) !== desired.role ? [`role ${current.role || '(none)'} → ${desired.role ?? '(none)'}`] : []),
    ...environmentChanges(current.environment, desired.environment),
  ];
  // The description holds the code hash, so it changes with the code and rides on the config update.
  const managed = new Set<string>([HTTP_TRIGGER_NAME, ...(desired.timer ? [desired.timer.triggerName] : [])]);
  const httpTrigger = current.triggers.find((trigger) => trigger.Type === 'http' && (trigger.Qualifier ?? QUALIFIER) === QUALIFIER);
  const timerTrigger = desired.timer ? current.triggers.find((trigger) => trigger.Type === 'timer' && trigger.TriggerName === desired.timer?.triggerName) : undefined;
  const url = urlOf(httpTrigger);
  const http: TriggerPlan | undefined = wantsHttp
    ? httpTrigger
      ? { action: sameHttpDesc(httpTrigger.TriggerDesc) ? 'unchanged' : 'update', name: httpTrigger.TriggerName ?? HTTP_TRIGGER_NAME, desc: httpDesc, detail: url ?? 'Function URL' }
      : { action: 'create', name: HTTP_TRIGGER_NAME, desc: httpDesc, detail: 'Function URL (assigned on create)' }
    : undefined;
  const timer: TriggerPlan | undefined = desired.timer
    ? {
        action: !timerTrigger ? 'create' : timerTrigger.TriggerDesc?.trim() === desired.timer.cron && timerTrigger.Enable === 1 ? 'unchanged' : 'update',
        name: desired.timer.triggerName,
        desc: desired.timer.cron,
        detail: `${desired.timer.cron} (every ${desired.timer.everyMinutes} min)${timerTrigger && timerTrigger.TriggerDesc?.trim() !== desired.timer.cron ? `, was ${timerTrigger.TriggerDesc ?? '?'}` : ''}`,
      }
    : undefined;
  return {
    desired,
    action: codeChanged || configChanges.length > 0 ? 'update' : 'unchanged',
    codeChanged,
    configChanges,
    url,
    unmanagedTriggers: current.triggers.filter((trigger) => !managed.has(trigger.TriggerName ?? '') && trigger !== httpTrigger).map((trigger) => `${trigger.Type ?? '?'}:${trigger.TriggerName ?? '?'}`),
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
    return sameEndpoint(endpoint, found) ? { action: 'unchanged', pathMatch: endpoint.PathMatch, functionName: endpoint.FunctionName } : { action: 'update', pathMatch: endpoint.PathMatch, functionName: endpoint.FunctionName, was: found.FunctionName ?? '?' };
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

export async function planDeployment(client: ScfClient, settings: DeploySettings, desired: DesiredState): Promise<DeployPlan> {
  const problems: string[] = [];
  const warnings: string[] = [];
  let namespaceAction: Action = 'unchanged';
  if (settings.namespace !== 'default') {
    const listed = await client.ListNamespaces({ Limit: 100 });
    namespaceAction = (listed.Namespaces ?? []).some((namespace) => namespace.Name === settings.namespace) ? 'unchanged' : 'create';
  }
  const functions: FunctionPlan[] = [];
  for (const fn of desired.functions) {
    const current = namespaceAction === 'create' ? undefined : await readFunction(client, settings.namespace, fn.functionName);
    functions.push(planFunction(fn, current, problems));
  }
  for (const fn of functions) if (fn.desired.zipBytes > 20 * 1024 * 1024) problems.push(`${fn.desired.functionName}: the zip is over 20 MB; upload through COS is not implemented`);
  if (settings.appEnv !== 'production') {
    warnings.push(`APP_ENV is ${settings.appEnv}: the functions would use local defaults (sandbox keys) for every unset secret; only APP_ENV=production reaches the real cloud`);
  }
  const domain = desired.domain ? await planDomain(client, desired.domain) : undefined;
  return { settings, namespaceAction, functions, domain, problems, warnings };
}

/** Counts of changes, for the summary line and the exit decision. */
export function changeCount(plan: DeployPlan): number {
  const actions: (Action | 'delete')[] = [
    plan.namespaceAction,
    ...plan.functions.flatMap((fn) => [fn.action, ...(fn.http ? [fn.http.action] : []), ...(fn.timer ? [fn.timer.action] : [])]),
    ...(plan.domain ? [plan.domain.action] : []),
  ];
  return actions.filter((action) => action !== 'unchanged').length;
}

const pad = (text: string, width: number): string => text.padEnd(width);

/** The plan as people read it; secret values never appear (environment changes are names only). */
export function renderPlan(plan: DeployPlan): string {
  const { settings } = plan;
  const width = Math.max(...plan.functions.map((fn) => fn.desired.functionName.length), 10) + 2;
  const lines: string[] = [
    `Tencent SCF — region ${settings.region}, namespace ${settings.namespace}${plan.namespaceAction === 'create' ? ' (create)' : ''}, runtime ${settings.runtime}, API ${settings.endpoint ?? 'scf.tencentcloudapi.com'}`,
    '',
    'Functions',
  ];
  for (const fn of plan.functions) {
    const d = fn.desired;
    const details =
      fn.action === 'create'
        ? `code ${(d.zipBytes / 1024).toFixed(1)} KB, ${d.memorySize} MB, ${d.timeout} s, env ${Object.keys(d.environment).length} vars`
        : fn.action === 'update'
          ? [...(fn.codeChanged ? ['code changed'] : []), ...fn.configChanges].join('; ')
          : '';
    lines.push(`  ${pad(fn.action, 10)} ${pad(d.functionName, width)} ${details}`.trimEnd());
    if (fn.unmanagedTriggers.length > 0) lines.push(`  ${pad('', 10)} ${pad('', width)} left alone: ${fn.unmanagedTriggers.join(', ')}`);
  }
  lines.push('', 'Function URLs (http triggers)');
  for (const fn of plan.functions) if (fn.http) lines.push(`  ${pad(fn.http.action, 10)} ${pad(fn.desired.functionName, width)} ${fn.url ?? fn.http.detail}`);
  lines.push('', 'Timers');
  for (const fn of plan.functions) if (fn.timer) lines.push(`  ${pad(fn.timer.action, 10)} ${pad(fn.desired.functionName, width)} ${fn.timer.name}: ${fn.timer.detail}`);
  if (plan.domain) {
    const d = plan.domain.desired;
    lines.push('', `Custom domain ${d.domain} (${d.protocol})`, `  ${pad(plan.domain.action, 10)} ${d.domain}${plan.domain.changes.length > 0 ? ` — ${plan.domain.changes.join('; ')}` : ''}`);
    const routeWidth = Math.max(...plan.domain.routes.map((route) => route.pathMatch.length)) + 2;
    for (const route of plan.domain.routes) {
      lines.push(`  ${pad(route.action, 10)} route ${pad(route.pathMatch, routeWidth)} → ${route.functionName}${route.was ? ` (was ${route.was})` : ''}`);
    }
  } else {
    lines.push('', 'Custom domain: none (TENCENT_SCF_CUSTOM_DOMAIN unset; each function answers on its own Function URL)');
  }
  const tally = (actions: (Action | 'delete')[]) =>
    (['create', 'update', 'unchanged', 'delete'] as const)
      .filter((action) => action !== 'delete' || actions.includes('delete'))
      .map((action) => `${actions.filter((a) => a === action).length} ${action}`)
      .join(', ');
  lines.push(
    '',
    `Functions: ${tally(plan.functions.map((fn) => fn.action))}. Triggers: ${tally(plan.functions.flatMap((fn) => [...(fn.http ? [fn.http.action] : []), ...(fn.timer ? [fn.timer.action] : [])]))}.${plan.domain ? ` Routes: ${tally(plan.domain.routes.map((route) => route.action))}.` : ''}`,
  );
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  for (const problem of plan.problems) lines.push(`problem: ${problem}`);
  return lines.join('\n');
}
