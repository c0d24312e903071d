import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTencent, type TencentArtifact } from '../../infra/tencent/build';
import { deployTencent, rollbackTencent, type DeployOptions } from '../../infra/tencent/deploy';
import { deploySettings, domainEndpoints, scfCron, type RouteTable } from '../../infra/tencent/desired';
import { createScfClient } from '../../infra/tencent/scf-client';
import { loadConfig } from '../../shared/config';
import { changeCount } from '../../infra/tencent/plan';
import { allFunctions, fallbackRoute, httpRoutes, scheduleRoutes, type HttpRoute } from '../../shared/routes';

/**
 * The Tencent deployer against the sandbox's SCF API (infra/sandbox/scf.ts), through the real
 * tencentcloud-sdk-nodejs-scf client with TC3 signatures: plan, deploy (a release: versions and the
 * alias `live`), plan again, change, roll back, prune, upload through COS, quotas. The first describe
 * deploys the real route table; the later ones use small route-table fixtures under their own
 * function prefixes, so each arranges its own state.
 */
interface SandboxTrigger {
  Type: string;
  TriggerName: string;
  TriggerDesc: string;
  Enable: number;
  Qualifier: string;
}
interface SandboxFunction {
  namespace: string;
  name: string;
  description: string;
  codeSha256: string;
  codeSource: { type: 'ZipFile' } | { type: 'Cos'; bucket: string; object: string };
  runtime: string;
  handler: string;
  memorySize: number;
  timeout: number;
  status: string;
  environment: string[];
  versions: { version: string; description: string; codeSha256: string; memorySize: number }[];
  aliases: { name: string; functionVersion: string }[];
  triggers: SandboxTrigger[];
}
interface SandboxScf {
  functions: SandboxFunction[];
  domains: { Domain: string; Protocol: string; CertConfig: { CertificateId?: string }; EndpointsConfig: { FunctionName: string; PathMatch: string; Qualifier: string; Namespace: string }[] }[];
}

const sandboxUrl = () => process.env.SANDBOX_URL ?? '';
const scfState = async (): Promise<SandboxScf> => (await (await fetch(`${sandboxUrl()}/_sandbox/scf`)).json()) as SandboxScf;
const functionsWithPrefix = async (prefix: string): Promise<SandboxFunction[]> => (await scfState()).functions.filter((fn) => fn.name.startsWith(prefix));
const functionNamed = async (name: string): Promise<SandboxFunction | undefined> => (await scfState()).functions.find((fn) => fn.name === name);
const aliasOf = (fn: SandboxFunction | undefined): string | undefined => fn?.aliases.find((alias) => alias.name === 'live')?.functionVersion;
const versionsOf = (fn: SandboxFunction | undefined): string[] => (fn?.versions ?? []).map((version) => version.version);
const setFunctionQuota = async (functionsPerNamespace: number): Promise<void> => {
  await fetch(`${sandboxUrl()}/_sandbox/scf/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ functionsPerNamespace }) });
};
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
/** Settings for a fixture deploy: its own function prefix, Function URLs only unless a domain is given. */
const fixtureEnv = (functionPrefix: string, extra: Record<string, string> = {}): Record<string, string> => {
  const { TENCENT_SCF_CUSTOM_DOMAIN: _domain, TENCENT_SCF_CERTIFICATE_ID: _cert, ...rest } = baseEnv();
  return { ...rest, TENCENT_SCF_FUNCTION_PREFIX: functionPrefix, ...extra };
};

const artifactNamed = (name: string, from: readonly TencentArtifact[] = artifacts): TencentArtifact => {
  const found = from.find((artifact) => artifact.name === name);
  if (!found) throw new Error(`no artifact ${name}`);
  return found;
};

/** The same bundle with a comment appended (and optionally incompressible padding), zipped as the build does: new code, new hash. */
async function rebuilt(name: string, paddingBytes = 0): Promise<TencentArtifact> {
  const original = artifactNamed(name);
  const padding = paddingBytes > 0 ? `\n// ${randomBytes(paddingBytes).toString('base64')}` : '';
  const source = `${await readFile(original.bundlePath, 'utf8')}\n// rebuilt ${Date.now()} ${randomBytes(4).toString('hex')}${padding}\n`;
  const zip = zipSync({ 'index.js': strToU8(source) });
  const zipPath = path.join(outDir, `${name}-rebuilt-${randomBytes(4).toString('hex')}.zip`);
  await writeFile(zipPath, zip);
  return { ...original, zipPath, zipBytes: zip.byteLength, zipSha256: createHash('sha256').update(zip).digest('hex') };
}

/** A fixture route table: GET /<name> for each HTTP name (built from the auth-me zip), the real fallback, optionally the sweeper. */
const fixtureRoute = (name: string): HttpRoute => ({ name, file: 'functions/auth/me.ts', method: 'GET', path: `/${name}`, timeoutSeconds: 15 });
const fixtureTable = (http: readonly string[], withSweeper = false): RouteTable => ({ http: http.map(fixtureRoute), fallback: fallbackRoute, schedules: withSweeper ? scheduleRoutes : [] });
const fixtureArtifacts = (http: readonly string[], overrides: readonly TencentArtifact[] = []): TencentArtifact[] => [
  ...artifacts.filter((artifact) => !overrides.some((override) => override.name === artifact.name)),
  ...http.filter((name) => !artifacts.some((artifact) => artifact.name === name)).map((name) => ({ ...artifactNamed('auth-me'), name })),
  ...overrides,
];

async function run(env: Record<string, string>, planOnly: boolean, options: Partial<DeployOptions> = {}) {
  const lines: string[] = [];
  const result = await deployTencent({ env, planOnly, artifacts, log: (line) => lines.push(line), ...options });
  return { result, output: lines.join('\n') };
}

async function rollback(env: Record<string, string>, planOnly: boolean, routes?: RouteTable) {
  const lines: string[] = [];
  const result = await rollbackTencent({ env, planOnly, log: (line) => lines.push(line), ...(routes ? { routes } : {}) });
  return { result, output: lines.join('\n') };
}

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ai-photo-deploy-test-'));
  artifacts = await buildTencent({ outDir, runtime: 'Nodejs20.19' });
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('npm run deploy:tencent against the sandbox', () => {
  it('plans every function on Nodejs20.19, a version and the alias live for each, the Function URLs and timer on it, every domain route, and changes nothing', async () => {
    // Act
    const { result, output } = await run(baseEnv(), true);

    // Assert
    expect(result.applied).toBe(false);
    expect((await scfState()).functions).toEqual([]);
    expect(output.split('\n')[0]).toMatch(/runtime Nodejs20\.19, alias live,/);
    for (const fn of allFunctions) expect(output).toMatch(new RegExp(`create\\s+${prefix}${fn.name}\\s`));
    const versionSection = output.slice(output.indexOf('Versions and alias live'), output.indexOf('Function URLs'));
    for (const fn of allFunctions) expect(versionSection).toMatch(new RegExp(`publish\\s+${prefix}${fn.name}\\s+live \\(new alias\\) → new version\\n`));
    const urlSection = output.slice(output.indexOf('Function URLs (http triggers on live)'), output.indexOf('Timers'));
    for (const fn of [...httpRoutes, fallbackRoute]) expect(urlSection).toContain(`${prefix}${fn.name}`);
    for (const route of scheduleRoutes) expect(output).toContain(`${route.name}-timer: ${scfCron(route.everyMinutes)} (every ${route.everyMinutes} min) on live`);
    const routeLines = output.split('\n').filter((line) => line.includes(' route '));
    expect(routeLines.map((line) => line.split(/\s+/)[3])).toEqual(domainEndpoints({ basePath: '/api', namespace: 'default', prefix }).map((endpoint) => endpoint.PathMatch));
    expect(output.indexOf('route /api/task/list')).toBeLessThan(output.indexOf('route /api/task/*'));
    expect(routeLines.at(-1)).toMatch(/route \/\*\s+→ ai-photo-not-found:live/);
    expect(output).toContain(`Namespace default: ${allFunctions.length} of 50 functions after this deploy (quota from GetAccount).`);
    expect(output).toContain('--plan: nothing was changed');
    expect(output).not.toContain(secretValue);
  });

  it('deploys them all as version 1 behind the alias live, after which a second plan shows everything unchanged', async () => {
    // Act
    const deployed = await run(baseEnv(), false);
    const state = await scfState();
    const again = await run(baseEnv(), true);

    // Assert: functions
    expect(deployed.result.applied).toBe(true);
    expect(deployed.result.release).toMatch(/^\d{17}$/);
    expect(state.functions.map((fn) => fn.name).sort()).toEqual(allFunctions.map((fn) => `${prefix}${fn.name}`).sort());
    for (const fn of state.functions) {
      expect(fn).toMatchObject({ runtime: 'Nodejs20.19', handler: 'index.main_handler', memorySize: 256, codeSource: { type: 'ZipFile' } });
      expect(fn.timeout).toBe(allFunctions.find((route) => `${prefix}${route.name}` === fn.name)?.timeoutSeconds);
      // Declared settings that were set, minus the deployer's own TENCENT_SCF_*; names only here.
      expect(fn.environment).toEqual(['APP_ENV', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL']);
      // One release: version 1, published with the release id and the code hash, behind the alias
      expect(fn.versions).toEqual([expect.objectContaining({ version: '1', codeSha256: fn.codeSha256, description: `Release ${deployed.result.release ?? ''}. Code sha256 ${fn.codeSha256}.` })]);
      expect(fn.aliases).toEqual([{ name: 'live', functionVersion: '1' }]);
    }
    // Function URLs on every HTTP function's alias, the timer on the sweeper's, nothing else
    for (const route of [...httpRoutes, fallbackRoute]) {
      const fn = state.functions.find((candidate) => candidate.name === `${prefix}${route.name}`);
      expect(fn?.triggers.map((trigger) => `${trigger.Type}:${trigger.Qualifier}`)).toEqual(['http:live']);
      expect(JSON.parse(fn?.triggers[0]?.TriggerDesc ?? '{}')).toMatchObject({ AuthType: 'NONE', NetConfig: { EnableExtranet: true } });
      expect(deployed.result.urls[`${prefix}${route.name}`]).toMatch(/^https:\/\/\d+-[0-9a-f]+\.ap-guangzhou\.tencentscf\.com$/);
    }
    const sweeper = state.functions.find((fn) => fn.name === `${prefix}ops-sweeper`);
    expect(sweeper?.triggers).toEqual([expect.objectContaining({ Type: 'timer', TriggerName: 'ops-sweeper-timer', TriggerDesc: '0 */1 * * * * *', Enable: 1, Qualifier: 'live' })]);
    // One host for the whole API, every route on an alias
    const endpoints = domainEndpoints({ basePath: '/api', namespace: 'default', prefix });
    expect(state.domains).toHaveLength(1);
    expect(state.domains[0]).toMatchObject({ Domain: 'api.example.test', Protocol: 'HTTPS', CertConfig: { CertificateId: 'cert-sandbox01' } });
    expect(state.domains[0]?.EndpointsConfig.map((endpoint) => `${endpoint.PathMatch} ${endpoint.FunctionName}:${endpoint.Qualifier}`)).toEqual(
      endpoints.map((endpoint) => `${endpoint.PathMatch} ${endpoint.FunctionName}:live`),
    );
    // Nothing left to do; the plan shows the version the alias points at
    expect(changeCount(again.result.plan)).toBe(0);
    expect(again.output).toContain(`Functions: 0 create, 0 update, ${allFunctions.length} unchanged. Versions: 0 publish, 0 move, ${allFunctions.length} unchanged.`);
    expect(again.output).toContain(`Routes: 0 create, 0 update, ${endpoints.length} unchanged.`);
    expect(again.output).toMatch(/unchanged\s+ai-photo-auth-me\s+live → 1 \(published: 1\)/);
    expect(deployed.output).not.toContain(secretValue);
  }, 60_000);

  it('a second deploy updates only what changed, publishes version 2 and moves the alias to it, naming changed settings without their values', async () => {
    // Arrange
    const changed = { ...baseEnv(), JWT_SECRET: `${secretValue}-rotated`, TENCENT_SCF_MEMORY_MB: '512' };

    // Act
    const planned = await run(changed, true);
    await run(changed, false);
    const after = await run(changed, true);

    // Assert
    expect(planned.output).toMatch(/update\s+ai-photo-auth-login\s+memory 256 → 512 MB; env ~JWT_SECRET/);
    expect(planned.output).toMatch(/update\s+ai-photo-ops-sweeper\s+memory 256 → 512 MB; env ~JWT_SECRET/);
    expect(planned.output).toMatch(/publish\s+ai-photo-auth-login\s+live 1 → new version \(published: 1\)/);
    expect(planned.output).not.toContain(secretValue);
    expect(planned.result.plan.functions.every((fn) => !fn.codeChanged)).toBe(true);
    const sweeper = await functionNamed(`${prefix}ops-sweeper`);
    expect(sweeper?.memorySize).toBe(512);
    expect(sweeper?.versions.map((version) => `${version.version}:${version.memorySize}`)).toEqual(['1:256', '2:512']);
    expect(aliasOf(sweeper)).toBe('2');
    expect(sweeper?.triggers.map((trigger) => `${trigger.Type}:${trigger.Qualifier}`)).toEqual(['timer:live']);
    expect(changeCount(after.result.plan)).toBe(0);
  }, 60_000);

  it('ships changed code as a new version and puts a drifted timer and domain route back', async () => {
    // Arrange: new code for one function, and someone edited the timer and the domain in the console
    const env = { ...baseEnv(), TENCENT_SCF_MEMORY_MB: '512', JWT_SECRET: `${secretValue}-rotated` };
    const settings = deploySettings(loadConfig(env));
    const client = createScfClient(settings);
    const sweeper = scheduleRoutes[0];
    if (!sweeper) throw new Error('no schedule route');
    await client.UpdateTrigger({ Namespace: 'default', FunctionName: `${prefix}${sweeper.name}`, Type: 'timer', TriggerName: `${sweeper.name}-timer`, TriggerDesc: '0 */5 * * * * *', Qualifier: 'live', Enable: 'OPEN' });
    const [domain] = (await scfState()).domains;
    await client.UpdateCustomDomain({ Domain: 'api.example.test', Protocol: 'HTTPS', CertConfig: { CertificateId: 'cert-sandbox01' }, EndpointsConfig: (domain?.EndpointsConfig ?? []).slice(1) });
    const changedArtifact = await rebuilt('auth-me');
    const changedArtifacts = artifacts.map((artifact) => (artifact.name === 'auth-me' ? changedArtifact : artifact));

    // Act
    const planned = await deployTencent({ env, planOnly: true, artifacts: changedArtifacts, log: () => undefined });
    await deployTencent({ env, planOnly: false, artifacts: changedArtifacts, log: () => undefined });
    const after = await deployTencent({ env, planOnly: true, artifacts: changedArtifacts, log: () => undefined });

    // Assert
    expect(planned.plan.functions.filter((fn) => fn.codeChanged).map((fn) => fn.desired.routeName)).toEqual(['auth-me']);
    expect(planned.plan.functions.filter((fn) => fn.release.action === 'publish').map((fn) => fn.desired.routeName)).toEqual(['auth-me']);
    expect(planned.plan.functions.find((fn) => fn.desired.routeName === sweeper.name)?.timer?.action).toBe('update');
    expect(planned.plan.domain?.action).toBe('update');
    const state = await scfState();
    const authMe = state.functions.find((fn) => fn.name === `${prefix}auth-me`);
    expect(authMe?.versions.map((version) => version.version)).toEqual(['1', '2', '3']);
    expect(authMe?.versions.at(-1)?.codeSha256).toBe(changedArtifact.zipSha256);
    expect(aliasOf(authMe)).toBe('3');
    expect(state.functions.find((fn) => fn.name === `${prefix}${sweeper.name}`)?.triggers.find((trigger) => trigger.Type === 'timer')?.TriggerDesc).toBe(scfCron(sweeper.everyMinutes));
    expect(state.domains[0]?.EndpointsConfig.map((endpoint) => endpoint.PathMatch)).toEqual(domainEndpoints({ basePath: '/api', namespace: 'default', prefix }).map((endpoint) => endpoint.PathMatch));
    expect(changeCount(after.plan)).toBe(0);
  }, 60_000);

  it('refuses an unknown runtime by name, listing the allowed ones, before touching anything', async () => {
    // Arrange
    const before = await scfState();

    // Act
    const refused = run({ ...baseEnv(), TENCENT_SCF_RUNTIME: 'Nodejs20.x' }, false);

    // Assert
    await expect(refused).rejects.toThrow('Invalid configuration: TENCENT_SCF_RUNTIME (must be one of Nodejs20.19, Nodejs18.15');
    expect(await scfState()).toEqual(before);
  });

  it('runs as `npm run deploy:tencent -- --plan` (and `--rollback --plan`) and refuses an HTTPS domain without a certificate', async () => {
    // Arrange: asynchronous on purpose, the sandbox answering the child runs in this process
    const env = { ...process.env, ...baseEnv() };
    const cli = (args: readonly string[], extra: Record<string, string> = {}) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'infra/tencent/deploy.ts', ...args], { env: { ...env, ...extra } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });

    const before = await scfState();

    // Act: the whole process environment this time (the test setup's settings too), so there is something to change
    const [planned, refused, rollbackPlanned] = await Promise.all([cli(['--plan']), cli(['--plan'], { TENCENT_SCF_CERTIFICATE_ID: '' }), cli(['--rollback', '--plan'])]);

    // Assert
    expect(planned.status, planned.stderr).toBe(0);
    for (const fn of allFunctions) expect(planned.stdout).toMatch(new RegExp(`update\\s+${prefix}${fn.name}\\s+.*env .*~JWT_SECRET`));
    expect(planned.stdout).toContain('--plan: nothing was changed');
    expect(planned.stdout).not.toContain(secretValue);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('needs TENCENT_SCF_CERTIFICATE_ID');
    expect(rollbackPlanned.status, rollbackPlanned.stderr).toBe(0);
    expect(rollbackPlanned.stdout).toMatch(/move\s+ai-photo-auth-me\s+live 3 → 2/);
    expect(rollbackPlanned.stdout).toContain('1 alias move(s) planned; --plan: nothing was changed.');
    expect(await scfState()).toEqual(before);
  }, 240_000);
});

describe('npm run deploy:tencent -- --rollback', () => {
  const table = fixtureTable(['profile'], true);
  const env = () => fixtureEnv('rb-');

  it('moves the alias of every function the last release changed back one version, leaving code, triggers and the other functions alone', async () => {
    // Arrange: release 1 (everything version 1), release 2 (new code for rb-profile only → its version 2)
    await run(env(), false, { routes: table, artifacts: fixtureArtifacts(['profile']) });
    const newProfile = await rebuilt('auth-me');
    await run(env(), false, { routes: table, artifacts: fixtureArtifacts(['profile'], [{ ...newProfile, name: 'profile' }]) });
    const before = await functionNamed('rb-profile');

    // Act
    const rolledBack = await rollback(env(), false, table);

    // Assert
    const profile = await functionNamed('rb-profile');
    expect(aliasOf(before)).toBe('2');
    expect(rolledBack.result.applied).toBe(true);
    expect(rolledBack.output).toMatch(/move\s+rb-profile\s+live 2 → 1/);
    expect(rolledBack.output).toMatch(/unchanged\s+rb-not-found\s+live 1/);
    expect(aliasOf(profile)).toBe('1');
    expect(versionsOf(profile)).toEqual(['1', '2']);
    expect(profile?.codeSha256).toBe(newProfile.zipSha256);
    expect(profile?.triggers).toEqual(before?.triggers);
    expect(aliasOf(await functionNamed('rb-not-found'))).toBe('1');
    expect(aliasOf(await functionNamed('rb-ops-sweeper'))).toBe('1');
  }, 60_000);

  it('a deploy after a rollback moves the alias forward to the version that already holds the code, publishing nothing', async () => {
    // Arrange: release 1, release 2 (new rf-profile code → its version 2), rolled back (rf-profile live → 1)
    const forwardEnv = fixtureEnv('rf-');
    const secondRelease = fixtureArtifacts(['profile'], [{ ...(await rebuilt('auth-me')), name: 'profile' }]);
    await run(forwardEnv, false, { routes: table, artifacts: fixtureArtifacts(['profile']) });
    await run(forwardEnv, false, { routes: table, artifacts: secondRelease });
    await rollback(forwardEnv, false, table);

    // Act: deploy release 2's code again
    const planned = await run(forwardEnv, true, { routes: table, artifacts: secondRelease });
    await run(forwardEnv, false, { routes: table, artifacts: secondRelease });

    // Assert
    const profile = await functionNamed('rf-profile');
    expect(planned.output).toMatch(/move\s+rf-profile\s+live 1 → 2, already published \(published: 1, 2\)/);
    expect(planned.output).toContain('Versions: 0 publish, 1 move, 2 unchanged.');
    expect(aliasOf(profile)).toBe('2');
    expect(versionsOf(profile)).toEqual(['1', '2']);
  }, 60_000);

  it('with nothing this deployer published, refuses and changes nothing', async () => {
    // Act
    const refused = rollback(fixtureEnv('never-deployed-'), false, table);

    // Assert
    await expect(refused).rejects.toThrow('the rollback has 1 problem(s); nothing was changed');
  });
});

describe('npm run deploy:tencent -- --prune', () => {
  const withLegacy = fixtureTable(['profile', 'legacy-report']);
  const withoutLegacy = fixtureTable(['profile']);
  // Namespaces of their own, as for the code-bucket test below: the default one is near its quota.
  const domainEnv = (functionPrefix: string, domain: string) =>
    fixtureEnv(functionPrefix, { TENCENT_SCF_CUSTOM_DOMAIN: domain, TENCENT_SCF_DOMAIN_PROTOCOL: 'HTTP', TENCENT_SCF_NAMESPACE: `${functionPrefix}ns` });

  it('without --prune lists a function that left the route table first, and keeps it', async () => {
    // Arrange
    const env = domainEnv('pa-', 'pa.example.test');
    await run(env, false, { routes: withLegacy, artifacts: fixtureArtifacts(['profile', 'legacy-report']) });

    // Act
    const deployed = await run(env, false, { routes: withoutLegacy, artifacts: fixtureArtifacts(['profile']) });

    // Assert
    const staleLine = deployed.output.split('\n').findIndex((line) => /left\s+pa-legacy-report\s+run with --prune to delete it/.test(line));
    expect(staleLine).toBeGreaterThan(0);
    expect(staleLine).toBeLessThan(deployed.output.split('\n').indexOf('Functions ($LATEST)'));
    expect((await functionsWithPrefix('pa-')).map((fn) => fn.name).sort()).toEqual(['pa-legacy-report', 'pa-not-found', 'pa-profile']);
    expect((await scfState()).domains.find((domain) => domain.Domain === 'pa.example.test')?.EndpointsConfig.map((endpoint) => endpoint.FunctionName)).toEqual(['pa-profile', 'pa-not-found']);
  }, 60_000);

  it('with --prune deletes it after its domain route is gone, and leaves functions it did not make alone', async () => {
    // Arrange: a release with the legacy route, and a hand-made function sharing the prefix
    const env = domainEnv('pb-', 'pb.example.test');
    await run(env, false, { routes: withLegacy, artifacts: fixtureArtifacts(['profile', 'legacy-report']) });
    const client = createScfClient(deploySettings(loadConfig(env)));
    const zip = (await readFile(artifactNamed('not-found').zipPath)).toString('base64');
    await client.CreateFunction({ FunctionName: 'pb-hand-made', Namespace: 'default', Runtime: 'Nodejs20.19', Handler: 'index.main_handler', Description: 'Made in the console.', CodeSource: 'ZipFile', Code: { ZipFile: zip } });

    // Act
    const planned = await run(env, true, { routes: withoutLegacy, artifacts: fixtureArtifacts(['profile']), prune: true });
    const pruned = await run(env, false, { routes: withoutLegacy, artifacts: fixtureArtifacts(['profile']), prune: true });

    // Assert
    const lines = planned.output.split('\n');
    expect(lines.findIndex((line) => /delete\s+pb-legacy-report\s+with every version, alias and trigger \(--prune\)/.test(line))).toBeLessThan(lines.indexOf('Functions ($LATEST)'));
    expect(planned.output).not.toContain('pb-hand-made');
    expect(pruned.output).toContain('delete   pb-legacy-report (not in the route table)');
    expect((await functionsWithPrefix('pb-')).map((fn) => fn.name).sort()).toEqual(['pb-hand-made', 'pb-not-found', 'pb-profile']);
    expect((await scfState()).domains.find((domain) => domain.Domain === 'pb.example.test')?.EndpointsConfig.map((endpoint) => endpoint.FunctionName)).toEqual(['pb-profile', 'pb-not-found']);
  }, 60_000);
});

describe('code over the inline upload limit', () => {
  it('goes to the code bucket and reaches SCF as CosBucketName/CosObjectName, on create and on update', async () => {
    // Arrange: big (incompressible padding) profile code, and an inline limit between it and the not-found zip
    // A namespace of its own: the default one already holds the real route table's ~40 functions and
    // the other fixtures', near SCF's quota of 50 (which the plan refuses to pass).
    const env = fixtureEnv('cos-', { TENCENT_SCF_NAMESPACE: 'code-bucket-test' });
    const table = fixtureTable(['profile']);
    const firstBig = { ...(await rebuilt('auth-me', 96 * 1024)), name: 'profile' };
    const secondBig = { ...(await rebuilt('auth-me', 96 * 1024)), name: 'profile' };
    const inlineZipLimitBytes = artifactNamed('not-found').zipBytes;

    // Act
    const created = await run(env, false, { routes: table, artifacts: fixtureArtifacts(['profile'], [firstBig]), inlineZipLimitBytes });
    const afterCreate = await functionNamed('cos-profile');
    const updated = await run(env, false, { routes: table, artifacts: fixtureArtifacts(['profile'], [secondBig]), inlineZipLimitBytes });
    const afterUpdate = await functionNamed('cos-profile');

    // Assert
    expect(created.output).toContain(`via COS ai-photo-deploy-1250000000/scf-code/cos-profile/${firstBig.zipSha256}.zip`);
    expect(afterCreate).toMatchObject({ codeSha256: firstBig.zipSha256, codeSource: { type: 'Cos', bucket: 'ai-photo-deploy-1250000000', object: `/scf-code/cos-profile/${firstBig.zipSha256}.zip` } });
    expect(updated.output).toContain('update   cos-profile (code through COS)');
    expect(afterUpdate).toMatchObject({ codeSha256: secondBig.zipSha256, codeSource: { type: 'Cos', object: `/scf-code/cos-profile/${secondBig.zipSha256}.zip` } });
    expect(afterUpdate?.versions.map((version) => `${version.version}:${version.codeSha256}`)).toEqual([`1:${firstBig.zipSha256}`, `2:${secondBig.zipSha256}`]);
    expect(aliasOf(afterUpdate)).toBe('2');
    expect((await functionNamed('cos-not-found'))?.codeSource).toEqual({ type: 'ZipFile' });
  }, 60_000);
});

describe('the namespace function quota', () => {
  const table = fixtureTable(['profile', 'history', 'settings']);
  const env = () => fixtureEnv('quota-', { TENCENT_SCF_NAMESPACE: 'quota-test' });

  afterEach(async () => {
    await setFunctionQuota(50);
  });

  it('the plan warns when the namespace would be nearly full', async () => {
    // Arrange
    await setFunctionQuota(5);

    // Act
    const { output } = await run(env(), true, { routes: table, artifacts: fixtureArtifacts(['profile', 'history', 'settings']) });

    // Assert
    expect(output).toContain('Namespace quota-test: 4 of 5 functions after this deploy (quota from GetAccount).');
    expect(output).toContain('warning: namespace quota-test will hold 4 of its 5 functions');
  });

  it('a deploy that would go over it is refused before anything changes', async () => {
    // Arrange
    await setFunctionQuota(3);
    const before = await scfState();

    // Act
    const refused = run(env(), false, { routes: table, artifacts: fixtureArtifacts(['profile', 'history', 'settings']) });

    // Assert
    await expect(refused).rejects.toThrow('the plan has 1 problem(s); nothing was changed');
    expect(await scfState()).toEqual(before);
  });
});
