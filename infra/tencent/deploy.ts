/**
 * Deploys every function of the route table to Tencent SCF over the SCF API
 * (tencentcloud-sdk-nodejs-scf; there is no maintained framework for SCF, platform.md §2):
 * per function GetFunction → CreateFunction, or UpdateFunctionCode + UpdateFunctionConfiguration
 * when something changed; its Function URL (`http` trigger) or timer (`timer` trigger, 7-field
 * cron); and, with TENCENT_SCF_CUSTOM_DOMAIN, one custom domain whose path routes serve the whole
 * API from one host (most specific path first, `/*` to the not-found function last).
 *
 *   npm run deploy:tencent -- --plan                          # what would change; changes nothing
 *   npm run deploy:tencent -- --env-file .env.production      # deploy
 *   npm run deploy:tencent -- --env-file .env.production --plan
 *
 * Settings come from --env-file (dotenv format) overlaid by the process environment (so CI can
 * inject secrets). They are validated exactly as a function validates them at cold start, so a
 * production deploy missing a secret stops here, by name. Every declared setting that is set
 * becomes a function environment variable except the deployer's own TENCENT_SCF_*; values are
 * never printed. Unless APP_ENV=production (which also makes every secret required), the SCF API
 * is the sandbox at TENCENT_SCF_API_ENDPOINT (default http://127.0.0.1:3100: run `npm run sandbox`
 * first), so a local or test configuration can never reach the real cloud.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../shared/config';
import { buildTencent, type TencentArtifact } from './build';
import { deploySettings, desiredState, functionEnvironment, httpTriggerDesc, QUALIFIER, type DeploySettings, type DesiredState } from './desired';
import { changeCount, planDeployment, renderPlan, urlOf, type DeployPlan, type FunctionPlan } from './plan';
import { createScfClient, waitUntilActive, type ScfClient } from './scf-client';

export interface DeployOptions {
  /** Settings and function environment (already merged). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Only print what would change. */
  readonly planOnly: boolean;
  /** Zips already built (tests reuse one build); the CLI builds them. */
  readonly artifacts?: readonly TencentArtifact[];
  /** Where the zips go; defaults to dist/tencent. */
  readonly outDir?: string;
  /** Status polling while functions settle. */
  readonly pollMs?: number;
  readonly log?: (line: string) => void;
}

export interface DeployResult {
  readonly plan: DeployPlan;
  readonly applied: boolean;
  /** Function name → Function URL, after a deploy (and for existing functions in a plan). */
  readonly urls: Readonly<Record<string, string>>;
}

/** Reads a dotenv file with Node's own parser (the same format process.loadEnvFile reads). */
export function readEnvFile(file: string): Record<string, string> {
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

async function codeOf(fn: FunctionPlan): Promise<string> {
  return (await readFile(fn.desired.zipPath)).toString('base64');
}

const environmentOf = (fn: FunctionPlan) => ({ Variables: Object.entries(fn.desired.environment).map(([Key, Value]) => ({ Key, Value })) });

async function applyFunction(client: ScfClient, settings: DeploySettings, fn: FunctionPlan, wait: (name: string) => Promise<void>, log: (line: string) => void): Promise<void> {
  const d = fn.desired;
  const common = { Namespace: settings.namespace, FunctionName: d.functionName };
  const config = { Description: d.description, MemorySize: d.memorySize, Timeout: d.timeout, Environment: environmentOf(fn), ...(d.role ? { Role: d.role } : {}) };
  if (fn.action === 'create') {
    log(`  create   ${d.functionName}`);
    await client.CreateFunction({ ...common, ...config, Handler: d.handler, Runtime: d.runtime, Type: 'Event', CodeSource: 'ZipFile', Code: { ZipFile: await codeOf(fn) } });
    await wait(d.functionName);
  } else if (fn.action === 'update') {
    log(`  update   ${d.functionName} (${[...(fn.codeChanged ? ['code'] : []), ...fn.configChanges].join('; ') || 'description'})`);
    if (fn.codeChanged) {
      await client.UpdateFunctionCode({ ...common, Handler: d.handler, CodeSource: 'ZipFile', ZipFile: await codeOf(fn) });
      await wait(d.functionName);
    }
    // Always with the code: the description records the code hash the next plan compares against.
    await client.UpdateFunctionConfiguration({ ...common, ...config });
    await wait(d.functionName);
  }
  if (fn.http && fn.http.action !== 'unchanged') {
    log(`  ${fn.http.action.padEnd(8)} ${d.functionName} Function URL`);
    const trigger = { ...common, Type: 'http', TriggerName: fn.http.name, TriggerDesc: JSON.stringify(httpTriggerDesc), Qualifier: QUALIFIER };
    if (fn.http.action === 'create') await client.CreateTrigger({ ...trigger, Enable: 'OPEN' });
    else await client.UpdateTrigger({ ...trigger, Enable: 'OPEN' });
  }
  if (fn.timer && fn.timer.action !== 'unchanged') {
    log(`  ${fn.timer.action.padEnd(8)} ${d.functionName} timer ${fn.timer.desc}`);
    const trigger = { ...common, Type: 'timer', TriggerName: fn.timer.name, TriggerDesc: fn.timer.desc, Qualifier: QUALIFIER, Enable: 'OPEN' };
    if (fn.timer.action === 'create') await client.CreateTrigger(trigger);
    else await client.UpdateTrigger(trigger);
  }
}

async function functionUrls(client: ScfClient, settings: DeploySettings, desired: DesiredState): Promise<Record<string, string>> {
  const urls: Record<string, string> = {};
  for (const fn of desired.functions) {
    if (fn.kind === 'timer') continue;
    const listed = await client.ListTriggers({ FunctionName: fn.functionName, Namespace: settings.namespace, Limit: 100 });
    const url = urlOf((listed.Triggers ?? []).find((trigger) => trigger.Type === 'http'));
    if (url) urls[fn.functionName] = url;
  }
  return urls;
}

export async function deployTencent(options: DeployOptions): Promise<DeployResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const config = loadConfig(options.env);
  const settings = deploySettings(config);
  if (settings.endpoint && !settings.endpoint.startsWith('http://127.0.0.1') && !settings.endpoint.startsWith('http://localhost')) {
    log(`note: SCF API endpoint overridden to ${settings.endpoint}`);
  }
  const artifacts = options.artifacts ?? (await buildTencent({ runtime: settings.runtime, ...(options.outDir ? { outDir: options.outDir } : {}) }));
  const desired = desiredState(settings, artifacts, functionEnvironment(options.env));
  const client = createScfClient(settings);
  const plan = await planDeployment(client, settings, desired);
  log(renderPlan(plan));
  if (plan.problems.length > 0) throw new Error(`the plan has ${plan.problems.length} problem(s); nothing was changed`);
  const existingUrls = Object.fromEntries(plan.functions.flatMap((fn) => (fn.url ? [[fn.desired.functionName, fn.url]] : [])));
  if (options.planOnly) {
    log(`\n${changeCount(plan)} change(s) planned; --plan: nothing was changed.`);
    return { plan, applied: false, urls: existingUrls };
  }
  if (changeCount(plan) === 0) {
    log('\nEverything is up to date.');
    return { plan, applied: false, urls: existingUrls };
  }

  log('\nApplying');
  if (plan.namespaceAction === 'create') {
    log(`  create   namespace ${settings.namespace}`);
    await client.CreateNamespace({ Namespace: settings.namespace, Description: 'ai photo api' });
  }
  const pollMs = options.pollMs ?? (settings.endpoint ? 20 : 1_000);
  const wait = (name: string) => waitUntilActive(client, settings.namespace, name, { pollMs, timeoutMs: 180_000 });
  // A few at a time: SCF's API rate limit is per account, and each function waits for itself.
  const queue = [...plan.functions];
  const worker = async (): Promise<void> => {
    for (let fn = queue.shift(); fn; fn = queue.shift()) await applyFunction(client, settings, fn, wait, log);
  };
  await Promise.all(Array.from({ length: 4 }, worker));

  if (plan.domain && plan.domain.action !== 'unchanged') {
    const d = plan.domain.desired;
    const request = { Domain: d.domain, Protocol: d.protocol, EndpointsConfig: d.endpoints.map((endpoint) => ({ ...endpoint })), ...(d.certificateId ? { CertConfig: { CertificateId: d.certificateId } } : {}) };
    log(`  ${plan.domain.action.padEnd(8)} custom domain ${d.domain} (${d.endpoints.length} routes)`);
    if (plan.domain.action === 'create') await client.CreateCustomDomain(request);
    else await client.UpdateCustomDomain(request);
  }

  const urls = await functionUrls(client, settings, desired);
  log('\nFunction URLs');
  for (const [name, url] of Object.entries(urls)) log(`  ${name.padEnd(40)} ${url}`);
  if (desired.domain) log(`\nAPI: ${desired.domain.protocol === 'HTTP' ? 'http' : 'https'}://${desired.domain.domain}${settings.basePath} (point a CNAME for ${desired.domain.domain} at a Function URL host first; SCF checks it)`);
  return { plan, applied: true, urls };
}

interface CliArgs {
  planOnly: boolean;
  envFile: string | undefined;
}

function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { planOnly: false, envFile: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--plan') args.planOnly = true;
    else if (arg === '--env-file') {
      args.envFile = argv[i + 1];
      i += 1;
      if (!args.envFile) throw new Error('--env-file needs a path');
    } else throw new Error(`unknown argument ${arg ?? ''}; usage: npm run deploy:tencent -- [--plan] [--env-file <path>]`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.envFile && !existsSync(args.envFile)) throw new Error(`no such env file: ${args.envFile}`);
  const fromFile = args.envFile ? readEnvFile(path.resolve(args.envFile)) : {};
  await deployTencent({ env: { ...fromFile, ...process.env }, planOnly: args.planOnly });
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(path.resolve(invokedPath)).href) {
  main().catch((error: unknown) => {
    console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
