/**
 * Deploys every function of the route table to Tencent SCF over the SCF API
 * (tencentcloud-sdk-nodejs-scf; there is no maintained framework for SCF, platform.md §2) as a
 * release: per function GetFunction → CreateFunction, or UpdateFunctionCode +
 * UpdateFunctionConfiguration when something changed (zips over the inline limit uploaded to COS
 * first); PublishVersion; the alias `live` created or moved to the new version (CreateAlias /
 * UpdateAlias); its Function URL (`http` trigger) or timer (`timer` trigger, 7-field cron) on that
 * alias; with TENCENT_SCF_CUSTOM_DOMAIN, one custom domain whose path routes serve the whole API from
 * one host through the aliases (most specific path first, `/*` to the not-found function last); and,
 * with --prune, DeleteFunction for functions this deployer made that left the route table.
 *
 *   npm run deploy:tencent -- --plan                          # what would change; changes nothing
 *   npm run deploy:tencent -- --env-file .env.production      # deploy (a release)
 *   npm run deploy:tencent -- --env-file .env.production --prune      # … and delete stale functions
 *   npm run deploy:tencent -- --env-file .env.production --rollback   # aliases back to the previous release
 *   npm run deploy:tencent -- --env-file .env.production --rollback --plan
 *
 * Settings come from --env-file (dotenv format) overlaid by the process environment (so CI can
 * inject secrets). They are validated exactly as a function validates them at cold start, so a
 * production deploy missing a secret, or an unknown TENCENT_SCF_RUNTIME, stops here, by name. Every
 * declared setting that is set becomes a function environment variable except the deployer's own
 * TENCENT_SCF_*; values are never printed. Unless APP_ENV=production (which also makes every secret
 * required), the SCF API is the sandbox at TENCENT_SCF_API_ENDPOINT (default http://127.0.0.1:3100:
 * run `npm run sandbox` first), so a local or test configuration can never reach the real cloud.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../shared/config';
import { buildTencent, type TencentArtifact } from './build';
import { createCode, updateCode } from './code-source';
import {
  ALIAS,
  deploySettings,
  describeVersion,
  desiredState,
  functionEnvironment,
  functionNamesOf,
  httpTriggerDesc,
  newReleaseId,
  routeTable,
  type DeploySettings,
  type DesiredState,
  type RouteTable,
} from './desired';
import { changeCount, planDeployment, planRollback, renderPlan, renderRollback, urlOf, type DeployPlan, type FunctionPlan, type RollbackPlan } from './plan';
import { createScfClient, waitUntilActive, type ScfClient } from './scf-client';

export interface DeployOptions {
  /** Settings and function environment (already merged). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Only print what would change. */
  readonly planOnly: boolean;
  /** Delete functions this deployer made that are no longer in the route table (without it they are only listed). */
  readonly prune?: boolean;
  /** Zips already built (tests reuse one build); the CLI builds them. */
  readonly artifacts?: readonly TencentArtifact[];
  /** The route table; defaults to shared/routes.ts (tests pass a fixture). */
  readonly routes?: RouteTable;
  /** Zips above this go through COS; defaults to INLINE_ZIP_LIMIT_BYTES (tests lower it). */
  readonly inlineZipLimitBytes?: number;
  /** Where the zips go; defaults to dist/tencent. */
  readonly outDir?: string;
  /** Status polling while functions settle. */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

export interface DeployResult {
  readonly plan: DeployPlan;
  readonly applied: boolean;
  /** The release id written into every version this deploy published; undefined when nothing was applied. */
  readonly release: string | undefined;
  /** Function name → Function URL of its alias, after a deploy (and for existing functions in a plan). */
  readonly urls: Readonly<Record<string, string>>;
}

export interface RollbackOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly planOnly: boolean;
  readonly routes?: RouteTable;
  readonly log?: (line: string) => void;
}

export interface RollbackResult {
  readonly plan: RollbackPlan;
  readonly applied: boolean;
}

/** Reads a dotenv file with Node's own parser (the same format process.loadEnvFile reads). */
export function readEnvFile(file: string): Record<string, string> {
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

const environmentOf = (fn: FunctionPlan) => ({ Variables: Object.entries(fn.desired.environment).map(([Key, Value]) => ({ Key, Value })) });

interface ApplyContext {
  readonly client: ScfClient;
  readonly settings: DeploySettings;
  readonly release: string;
  readonly wait: (name: string, qualifier?: string) => Promise<void>;
  readonly log: (line: string) => void;
}

/** $LATEST: create, or update code and configuration. */
async function applyLatest({ client, settings, wait, log }: ApplyContext, fn: FunctionPlan): Promise<void> {
  const d = fn.desired;
  const common = { Namespace: settings.namespace, FunctionName: d.functionName };
  const config = { Description: d.description, MemorySize: d.memorySize, Timeout: d.timeout, Environment: environmentOf(fn), ...(d.role ? { Role: d.role } : {}) };
  if (fn.action === 'create') {
    log(`  create   ${d.functionName}${d.code.via === 'cos' ? ' (code through COS)' : ''}`);
    await client.CreateFunction({ ...common, ...config, Handler: d.handler, Runtime: d.runtime, Type: 'Event', ...(await createCode(settings, d)) });
    await wait(d.functionName);
  } else if (fn.action === 'update') {
    log(`  update   ${d.functionName} (${[...(fn.codeChanged ? [`code${d.code.via === 'cos' ? ' through COS' : ''}`] : []), ...fn.configChanges].join('; ') || 'description'})`);
    if (fn.codeChanged) {
      await client.UpdateFunctionCode({ ...common, Handler: d.handler, ...(await updateCode(settings, d)) });
      await wait(d.functionName);
    }
    // Always with the code: the description records the code hash the next plan compares against.
    await client.UpdateFunctionConfiguration({ ...common, ...config });
    await wait(d.functionName);
  }
}

/** A new version from $LATEST, or an existing one; then the alias onto it. */
async function applyRelease({ client, settings, release, wait, log }: ApplyContext, fn: FunctionPlan): Promise<void> {
  const d = fn.desired;
  const common = { Namespace: settings.namespace, FunctionName: d.functionName };
  let target = fn.release.aliasTo;
  if (fn.release.action === 'publish') {
    await wait(d.functionName);
    const published = await client.PublishVersion({ ...common, Description: describeVersion(release, d.codeSha256) });
    if (!published.FunctionVersion) throw new Error(`PublishVersion for ${d.functionName} answered no FunctionVersion`);
    target = published.FunctionVersion;
    await wait(d.functionName, target);
  }
  if (fn.release.action === 'unchanged' || !target) return;
  log(`  ${fn.release.action.padEnd(8)} ${d.functionName} ${ALIAS} ${fn.release.aliasFrom ?? '(new)'} → ${target}`);
  if (fn.release.aliasFrom === undefined) await client.CreateAlias({ ...common, Name: ALIAS, FunctionVersion: target });
  else await client.UpdateAlias({ ...common, Name: ALIAS, FunctionVersion: target });
}

/** The Function URL and the timer, both on the alias (they need it to exist). */
async function applyTriggers({ client, settings, log }: ApplyContext, fn: FunctionPlan): Promise<void> {
  const d = fn.desired;
  const common = { Namespace: settings.namespace, FunctionName: d.functionName, Qualifier: ALIAS, Enable: 'OPEN' };
  if (fn.http && fn.http.action !== 'unchanged') {
    log(`  ${fn.http.action.padEnd(8)} ${d.functionName} Function URL on ${ALIAS}`);
    const trigger = { ...common, Type: 'http', TriggerName: fn.http.name, TriggerDesc: JSON.stringify(httpTriggerDesc) };
    if (fn.http.action === 'create') await client.CreateTrigger(trigger);
    else await client.UpdateTrigger(trigger);
  }
  if (fn.timer && fn.timer.action !== 'unchanged') {
    log(`  ${fn.timer.action.padEnd(8)} ${d.functionName} timer ${fn.timer.desc} on ${ALIAS}`);
    const trigger = { ...common, Type: 'timer', TriggerName: fn.timer.name, TriggerDesc: fn.timer.desc };
    if (fn.timer.action === 'create') await client.CreateTrigger(trigger);
    else await client.UpdateTrigger(trigger);
  }
}

async function functionUrls(client: ScfClient, settings: DeploySettings, desired: DesiredState): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const fn of desired.functions) {
    if (fn.kind === 'timer') continue;
    const listed = await client.ListTriggers({ FunctionName: fn.functionName, Namespace: settings.namespace, Limit: 100 });
    const url = urlOf((listed.Triggers ?? []).find((trigger) => trigger.Type === 'http' && trigger.Qualifier === ALIAS));
    if (url) urls[fn.functionName] = url;
  }
  return urls;
}

function settingsFrom(env: Readonly<Record<string, string | undefined>>, log: (line: string) => void): DeploySettings {
  const settings = deploySettings(loadConfig(env));
  if (settings.endpoint && !settings.endpoint.startsWith('http://127.0.0.1') && !settings.endpoint.startsWith('http://localhost')) {
    log(`note: SCF API endpoint overridden to ${settings.endpoint}`);
  }
  return settings;
}

const pollMsFor = (settings: DeploySettings, pollMs: number | undefined): number => pollMs ?? (settings.endpoint ? 20 : 1_000);

export async function deployTencent(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = settingsFrom(options.env, log);
  const artifacts = options.artifacts ?? (await buildTencent({ runtime: settings.runtime, ...(options.outDir ? { outDir: options.outDir } : {}) }));
  const desired = desiredState(settings, artifacts, functionEnvironment(options.env), {
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.inlineZipLimitBytes !== undefined ? { inlineZipLimitBytes: options.inlineZipLimitBytes } : {}),
  });
  const client = createScfClient(settings);
  const plan = await planDeployment(client, settings, desired, { prune: options.prune ?? false });
  log(renderPlan(plan));
  if (plan.problems.length > 0) throw new Error(`the plan has ${plan.problems.length} problem(s); nothing was changed:\n- ${plan.problems.join('\n- ')}`);
  const existingUrls = Object.fromEntries(plan.functions.flatMap((fn) => (fn.url ? [[fn.desired.functionName, fn.url]] : [])));
  if (options.planOnly) {
    log(`\n${changeCount(plan)} change(s) planned; --plan: nothing was changed.`);
    return { plan, applied: false, release: undefined, urls: existingUrls };
  }
  if (changeCount(plan) === 0) {
    log('\nEverything is up to date.');
    return { plan, applied: false, release: undefined, urls: existingUrls };
  }

  const release = newReleaseId();
  log(`\nApplying release ${release}`);
  if (plan.namespaceAction === 'create') {
    log(`  create   namespace ${settings.namespace}`);
    await client.CreateNamespace({ Namespace: settings.namespace, Description: 'ai photo api' });
  }
  const pollMs = pollMsFor(settings, options.pollMs);
  const wait = (name: string, qualifier?: string) => waitUntilActive(client, settings.namespace, name, { pollMs, timeoutMs: 180_000, ...(qualifier ? { qualifier } : {}) });
  const context: ApplyContext = { client, settings, release, wait, log };
  // A few at a time: SCF's API rate limit is per account, and each function waits for itself.
  const queue = [...plan.functions];
  const worker = async (): Promise<void> => {
    for (let fn = queue.shift(); fn; fn = queue.shift()) {
      await applyLatest(context, fn);
      await applyRelease(context, fn);
      await applyTriggers(context, fn);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));

  if (plan.domain && plan.domain.action !== 'unchanged') {
    const d = plan.domain.desired;
    const request = { Domain: d.domain, Protocol: d.protocol, EndpointsConfig: d.endpoints.map((endpoint) => ({ ...endpoint })), ...(d.certificateId ? { CertConfig: { CertificateId: d.certificateId } } : {}) };
    log(`  ${plan.domain.action.padEnd(8)} custom domain ${d.domain} (${d.endpoints.length} routes)`);
    if (plan.domain.action === 'create') await client.CreateCustomDomain(request);
    else await client.UpdateCustomDomain(request);
  }

  // Last, once no domain route points at them any more.
  for (const stale of plan.stale.filter((fn) => fn.action === 'delete')) {
    log(`  delete   ${stale.functionName} (not in the route table)`);
    await client.DeleteFunction({ FunctionName: stale.functionName, Namespace: settings.namespace });
  }

  const urls = await functionUrls(client, settings, desired);
  log(`\nFunction URLs (alias ${ALIAS})`);
  for (const [name, url] of Object.entries(urls)) log(`  ${name.padEnd(40)} ${url}`);
  if (desired.domain) log(`\nAPI: ${desired.domain.protocol === 'HTTP' ? 'http' : 'https'}://${desired.domain.domain}${settings.basePath} (point a CNAME for ${desired.domain.domain} at a Function URL host first; SCF checks it)`);
  return { plan, applied: true, release, urls };
}

/** Moves every alias of the newest release back one version (UpdateAlias); code, configuration and triggers stay. */
export async function rollbackTencent(options: RollbackOptions): Promise<RollbackResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const settings = settingsFrom(options.env, log);
  const client = createScfClient(settings);
  const plan = await planRollback(client, settings, functionNamesOf(settings, options.routes ?? routeTable));
  log(renderRollback(plan));
  if (plan.problems.length > 0) throw new Error(`the rollback has ${plan.problems.length} problem(s); nothing was changed`);
  const moves = plan.steps.flatMap((step) => (step.to === undefined ? [] : [{ ...step, to: step.to }]));
  if (options.planOnly) {
    log(`\n${moves.length} alias move(s) planned; --plan: nothing was changed.`);
    return { plan, applied: false };
  }
  log(`\nRolling back release ${plan.release ?? '?'}`);
  for (const step of moves) {
    log(`  move     ${step.functionName} ${ALIAS} ${step.from} → ${step.to}`);
    await client.UpdateAlias({ Namespace: settings.namespace, FunctionName: step.functionName, Name: ALIAS, FunctionVersion: step.to });
  }
  return { plan, applied: moves.length > 0 };
}

interface CliArgs {
  planOnly: boolean;
  rollback: boolean;
  prune: boolean;
  envFile: string | undefined;
}

const usage = 'usage: npm run deploy:tencent -- [--plan] [--prune | --rollback] [--env-file <path>]';

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { planOnly: false, rollback: false, prune: false, envFile: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--plan') args.planOnly = true;
    else if (arg === '--rollback') args.rollback = true;
    else if (arg === '--prune') args.prune = true;
    else if (arg === '--env-file') {
      args.envFile = argv[i + 1];
      i += 1;
      if (!args.envFile) throw new Error('--env-file needs a path');
    } else throw new Error(`unknown argument ${arg ?? ''}; ${usage}`);
  }
  if (args.rollback && args.prune) throw new Error(`--rollback only moves aliases; run --prune with a deploy. ${usage}`);
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.envFile && !existsSync(args.envFile)) throw new Error(`no such env file: ${args.envFile}`);
  const fromFile = args.envFile ? readEnvFile(path.resolve(args.envFile)) : {};
  const env = { ...fromFile, ...process.env };
  if (args.rollback) await rollbackTencent({ env, planOnly: args.planOnly });
  else await deployTencent({ env, planOnly: args.planOnly, prune: args.prune });
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(path.resolve(invokedPath)).href) {
  main().catch((error: unknown) => {
    console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
