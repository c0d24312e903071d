import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTencent, type TencentArtifact } from '../../infra/tencent/build';
import { deployTencent } from '../../infra/tencent/deploy';
import { deploySettings, domainEndpoints, scfCron } from '../../infra/tencent/desired';
import { createScfClient } from '../../infra/tencent/scf-client';
import { loadConfig } from '../../shared/config';
import { changeCount } from '../../infra/tencent/plan';
import { allFunctions, fallbackRoute, httpRoutes, scheduleRoutes } from '../../shared/routes';

/**
 * The Tencent deployer against the sandbox's SCF API (infra/sandbox/scf.ts), through the real
 * tencentcloud-sdk-nodejs-scf client with TC3 signatures: plan, deploy, plan again, change.
 */
interface SandboxFunction {
  name: string;
  codeSha256: string;
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  status: string;
  environment: string[];
  triggers: { Type: string; TriggerName: string; TriggerDesc: string; Enable: number }[];
}
interface SandboxScf {
  functions: SandboxFunction[];
  domains: { Domain: string; Protocol: string; CertConfig: { CertificateId?: string }; EndpointsConfig: { FunctionName: string; PathMatch: string; Qualifier: string; Namespace: string }[] }[];
}

const sandboxUrl = () => process.env.SANDBOX_URL ?? '';
const scfState = async (): Promise<SandboxScf> => (await (await fetch(`${sandboxUrl()}/_sandbox/scf`)).json()) as SandboxScf;
const prefix = 'ai-photo-';
const secretValue = 'deploy-test-jwt-secret-never-printed-0123456789';

let outDir: string;
let artifacts: TencentArtifact[];
const baseEnv = (): Record<string, string> => ({
  APP_ENV: 'test',
  LOG_LEVEL: 'WARN',
  TENCENT_SCF_API_ENDPOINT: sandboxUrl(),
  TENCENT_SCF_CUSTOM_DOMAIN: 'api.example.test',
  TENCENT_SCF_DOMAIN_PROTOCOL: 'HTTPS',
  TENCENT_SCF_CERTIFICATE_ID: 'cert-sandbox01',
  JWT_SECRET: secretValue,
  DATABASE_URL: 'mysql://app@db.internal:3306/aiphoto',
});

/** The same bundle with a comment appended, zipped as the build does: new code, new hash. */
async function rebuiltWithBanner(from: readonly TencentArtifact[], name: string): Promise<TencentArtifact> {
  const original = from.find((artifact) => artifact.name === name);
  if (!original) throw new Error(`no artifact ${name}`);
  const source = `${await readFile(original.bundlePath, 'utf8')}\n// rebuilt ${Date.now()}\n`;
  const zip = zipSync({ 'index.js': strToU8(source) });
  const zipPath = path.join(outDir, `${name}-rebuilt.zip`);
  await writeFile(zipPath, zip);
  return { ...original, zipPath, zipBytes: zip.byteLength, zipSha256: createHash('sha256').update(zip).digest('hex') };
}

async function run(env: Record<string, string>, planOnly: boolean) {
  const lines: string[] = [];
  const result = await deployTencent({ env, planOnly, artifacts, log: (line) => lines.push(line) });
  return { result, output: lines.join('\n') };
}

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ai-photo-deploy-test-'));
  artifacts = await buildTencent({ outDir, runtime: 'Nodejs20.x' });
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('npm run deploy:tencent against the sandbox', () => {
  it('plans every function, Function URL, the timer and every domain route, and changes nothing', async () => {
    // Act
    const { result, output } = await run(baseEnv(), true);

    // Assert
    expect(result.applied).toBe(false);
    expect((await scfState()).functions).toEqual([]);
    for (const fn of allFunctions) expect(output).toMatch(new RegExp(`create\\s+${prefix}${fn.name}\\s`));
    const urlSection = output.slice(output.indexOf('Function URLs'), output.indexOf('Timers'));
    for (const fn of [...httpRoutes, fallbackRoute]) expect(urlSection).toContain(`${prefix}${fn.name}`);
    for (const route of scheduleRoutes) expect(output).toContain(`${route.name}-timer: ${scfCron(route.everyMinutes)} (every ${route.everyMinutes} min)`);
    const routeLines = output.split('\n').filter((line) => line.includes(' route '));
    expect(routeLines.map((line) => line.split(/\s+/)[3])).toEqual(domainEndpoints({ basePath: '/api', namespace: 'default', prefix }).map((endpoint) => endpoint.PathMatch));
    expect(output.indexOf('route /api/task/list')).toBeLessThan(output.indexOf('route /api/task/*'));
    expect(routeLines.at(-1)).toMatch(/route \/\*\s+→ ai-photo-not-found/);
    expect(output).toContain('--plan: nothing was changed');
    expect(output).not.toContain(secretValue);
  });

  it('deploys them all, after which a second plan shows everything unchanged', async () => {
    // Act
    const deployed = await run(baseEnv(), false);
    const state = await scfState();
    const again = await run(baseEnv(), true);

    // Assert: functions
    expect(deployed.result.applied).toBe(true);
    expect(state.functions.map((fn) => fn.name).sort()).toEqual(allFunctions.map((fn) => `${prefix}${fn.name}`).sort());
    for (const fn of state.functions) {
      expect(fn).toMatchObject({ runtime: 'Nodejs20.x', handler: 'index.main_handler', memorySize: 256 });
      expect(fn.timeout).toBe(allFunctions.find((route) => `${prefix}${route.name}` === fn.name)?.timeoutSeconds);
      // Declared settings that were set, minus the deployer's own TENCENT_SCF_*; names only here.
      expect(fn.environment).toEqual(['APP_ENV', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL']);
    }
    // Function URLs on every HTTP function, the timer on the sweeper, nothing else
    for (const route of [...httpRoutes, fallbackRoute]) {
      const fn = state.functions.find((candidate) => candidate.name === `${prefix}${route.name}`);
      expect(fn?.triggers.map((trigger) => trigger.Type)).toEqual(['http']);
      expect(JSON.parse(fn?.triggers[0]?.TriggerDesc ?? '{}')).toMatchObject({ AuthType: 'NONE', NetConfig: { EnableExtranet: true } });
      expect(deployed.result.urls[`${prefix}${route.name}`]).toMatch(/^https:\/\/\d+-[0-9a-f]+\.ap-guangzhou\.tencentscf\.com$/);
    }
    const sweeper = state.functions.find((fn) => fn.name === `${prefix}ops-sweeper`);
    expect(sweeper?.triggers).toEqual([expect.objectContaining({ Type: 'timer', TriggerName: 'ops-sweeper-timer', TriggerDesc: '0 */1 * * * * *', Enable: 1 })]);
    // One host for the whole API
    expect(state.domains).toHaveLength(1);
    expect(state.domains[0]).toMatchObject({ Domain: 'api.example.test', Protocol: 'HTTPS', CertConfig: { CertificateId: 'cert-sandbox01' } });
    expect(state.domains[0]?.EndpointsConfig.map((endpoint) => `${endpoint.PathMatch} ${endpoint.FunctionName}`)).toEqual(
      domainEndpoints({ basePath: '/api', namespace: 'default', prefix }).map((endpoint) => `${endpoint.PathMatch} ${endpoint.FunctionName}`),
    );
    // Nothing left to do
    expect(changeCount(again.result.plan)).toBe(0);
    expect(again.output).toContain(`Functions: 0 create, 0 update, ${allFunctions.length} unchanged.`);
    expect(again.output).toContain('Routes: 0 create, 0 update, 16 unchanged.');
    expect(deployed.output).not.toContain(secretValue);
  }, 60_000);

  it('updates only what changed, naming changed settings without their values', async () => {
    // Arrange
    const changed = { ...baseEnv(), JWT_SECRET: `${secretValue}-rotated`, TENCENT_SCF_MEMORY_MB: '512' };

    // Act
    const planned = await run(changed, true);
    await run(changed, false);
    const after = await run(changed, true);

    // Assert
    expect(planned.output).toMatch(/update\s+ai-photo-auth-login\s+memory 256 → 512 MB; env ~JWT_SECRET/);
    expect(planned.output).toMatch(/update\s+ai-photo-ops-sweeper\s+memory 256 → 512 MB; env ~JWT_SECRET/);
    expect(planned.output).not.toContain(secretValue);
    expect(planned.result.plan.functions.every((fn) => !fn.codeChanged)).toBe(true);
    expect((await scfState()).functions.find((fn) => fn.name === `${prefix}ops-sweeper`)?.memorySize).toBe(512);
    expect(changeCount(after.result.plan)).toBe(0);
  }, 60_000);

  it('ships changed code and puts a drifted timer and domain route back', async () => {
    // Arrange: new code for one function, and someone edited the timer and the domain in the console
    const env = { ...baseEnv(), TENCENT_SCF_MEMORY_MB: '512', JWT_SECRET: `${secretValue}-rotated` };
    const settings = deploySettings(loadConfig(env));
    const client = createScfClient(settings);
    const sweeper = scheduleRoutes[0];
    if (!sweeper) throw new Error('no schedule route');
    await client.UpdateTrigger({ Namespace: 'default', FunctionName: `${prefix}${sweeper.name}`, Type: 'timer', TriggerName: `${sweeper.name}-timer`, TriggerDesc: '0 */5 * * * * *', Qualifier: '$DEFAULT', Enable: 'OPEN' });
    const [domain] = (await scfState()).domains;
    await client.UpdateCustomDomain({ Domain: 'api.example.test', Protocol: 'HTTPS', CertConfig: { CertificateId: 'cert-sandbox01' }, EndpointsConfig: (domain?.EndpointsConfig ?? []).slice(1) });
    const changedArtifact = await rebuiltWithBanner(artifacts, 'auth-me');
    const changedArtifacts = artifacts.map((artifact) => (artifact.name === 'auth-me' ? changedArtifact : artifact));

    // Act
    const planned = await deployTencent({ env, planOnly: true, artifacts: changedArtifacts, log: () => undefined });
    await deployTencent({ env, planOnly: false, artifacts: changedArtifacts, log: () => undefined });
    const after = await deployTencent({ env, planOnly: true, artifacts: changedArtifacts, log: () => undefined });

    // Assert
    expect(planned.plan.functions.filter((fn) => fn.codeChanged).map((fn) => fn.desired.routeName)).toEqual(['auth-me']);
    expect(planned.plan.functions.find((fn) => fn.desired.routeName === sweeper.name)?.timer?.action).toBe('update');
    expect(planned.plan.domain?.action).toBe('update');
    const state = await scfState();
    expect(state.functions.find((fn) => fn.name === `${prefix}auth-me`)?.codeSha256).toBe(changedArtifact.zipSha256);
    expect(state.functions.find((fn) => fn.name === `${prefix}${sweeper.name}`)?.triggers.find((trigger) => trigger.Type === 'timer')?.TriggerDesc).toBe(scfCron(sweeper.everyMinutes));
    expect(state.domains[0]?.EndpointsConfig.map((endpoint) => endpoint.PathMatch)).toEqual(domainEndpoints({ basePath: '/api', namespace: 'default', prefix }).map((endpoint) => endpoint.PathMatch));
    expect(changeCount(after.plan)).toBe(0);
  }, 60_000);

  it('runs as `npm run deploy:tencent -- --plan` and refuses an HTTPS domain without a certificate', async () => {
    // Arrange: asynchronous on purpose, the sandbox answering the child runs in this process
    const env = { ...process.env, ...baseEnv() };
    const cli = (extra: Record<string, string>) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'infra/tencent/deploy.ts', '--plan'], { env: { ...env, ...extra } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });

    const before = await scfState();

    // Act: the whole process environment this time (the test setup's settings too), so there is something to change
    const [planned, refused] = await Promise.all([cli({}), cli({ TENCENT_SCF_CERTIFICATE_ID: '' })]);

    // Assert
    expect(planned.status, planned.stderr).toBe(0);
    for (const fn of allFunctions) expect(planned.stdout).toMatch(new RegExp(`update\\s+${prefix}${fn.name}\\s+.*env .*~JWT_SECRET`));
    expect(planned.stdout).toContain('--plan: nothing was changed');
    expect(planned.stdout).not.toContain(secretValue);
    expect(await scfState()).toEqual(before);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('needs TENCENT_SCF_CERTIFICATE_ID');
  }, 240_000);
});
