/**
 * Cold-start benchmark: for every function in shared/routes.ts, bundle it exactly as the clouds do
 * (infra/build/esbuild-options.ts), then time `require(bundle)` in fresh `node` processes. Loading
 * a bundle runs its module scope, which builds the handler (config parse, logger, middy stack), so
 * this is the part of a cold start our code controls. Prints a markdown table and rewrites the
 * cold-start section of docs/benchmarks.md, leaving other sections alone.
 *
 *   npm run bench                 # 25 runs per row
 *   npm run bench -- --runs 50
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import { settingsBlocks } from '../shared/config';
import { allFunctions } from '../shared/routes';
import { projectRoot, sharedEsbuildOptions } from '../infra/build/esbuild-options';
import { benchmarksFile, measuredOn, quantile, sectionMarkers, writeBenchSection } from './bench-lib';

const targetMs = 30;
const warmupRuns = 2;
/** A bundle whose process has not exited by then keeps the event loop busy at module scope (a socket or timer). */
const processTimeoutMs = 10_000;
const { start: startMarker, end: endMarker } = sectionMarkers('cold-start');
/** Quantile of the samples a row has (a failed row has none). */
const quantileOf = (values: readonly number[], q: number): number | undefined => (values.length === 0 ? undefined : quantile(values, q));
const resultPrefix = 'BENCH_REQUIRE_MS=';

/** Runs inside each fresh process: time require() of the bundle named by argv[1]. */
const childScript = [
  'const start = process.hrtime.bigint();',
  'require(process.argv[1]);',
  `console.log(${JSON.stringify(resultPrefix)} + Number(process.hrtime.bigint() - start) / 1e6);`,
].join('\n');

interface Sample {
  requireMs?: number;
  wallMs: number;
}

interface Row {
  readonly label: string;
  readonly bundle?: string;
  readonly bundleBytes?: number;
  readonly samples: Sample[];
  error?: string;
}

function parseRuns(argv: readonly string[]): number {
  const flag = argv.indexOf('--runs');
  const raw = flag >= 0 ? argv[flag + 1] : process.env.BENCH_RUNS;
  if (raw === undefined) return 25;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer (got "${raw}")`);
  if (runs < 20) console.warn(`Only ${runs} runs per row: medians below 20 runs are noisy.`);
  return runs;
}

/**
 * Production mode, as deployed, with placeholder secrets (loading must not need real ones) and no
 * reachable database (loading must not connect). Built from the declared settings so new secrets
 * are covered without editing this script. Nothing else is inherited from the caller's shell.
 */
function childEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, APP_ENV: 'production', LOG_LEVEL: 'SILENT' };
  for (const block of Object.values(settingsBlocks)) {
    for (const [name, spec] of Object.entries(block)) {
      if ('secret' in spec && spec.secret) env[name] = `bench-placeholder-${name}-0123456789abcdef0123456789abcdef`;
    }
  }
  env.DATABASE_URL = 'mysql://bench@127.0.0.1:9/bench';
  return env;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0 && !line.startsWith('at ')) ?? 'no output'
  );
}

/** The `SomeError: message` line of a crash report (Node prints the source line first), else the first line. */
function errorLine(stderr: string): string {
  const line = stderr.split('\n').find((candidate) => /^(?:[A-Za-z_$][\w$.]*)?(?:Error|Exception)\b[^:]*:/.test(candidate.trim()));
  return line?.trim() ?? firstLine(stderr);
}

/** esbuild's own message ("Could not resolve ...") rather than its "Build failed with 1 error" summary. */
function buildErrorText(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors)) {
    const first: unknown = error.errors[0];
    if (typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string') return first.text;
  }
  return firstLine(error instanceof Error ? error.message : String(error));
}

function runOnce(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Sample | { error: string } {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8', timeout: processTimeoutMs });
  const wallMs = performance.now() - started;
  if (child.error) {
    const timedOut = (child.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    return { error: timedOut ? `process did not exit within ${processTimeoutMs / 1000} s (module scope holds a socket or timer?)` : child.error.message };
  }
  if (child.status !== 0) return { error: `exit ${String(child.status ?? child.signal)}: ${errorLine(child.stderr)}` };
  const line = child.stdout.split('\n').find((candidate) => candidate.startsWith(resultPrefix));
  if (line === undefined) return { wallMs };
  return { wallMs, requireMs: Number(line.slice(resultPrefix.length)) };
}


const fmt = (value: number | undefined, digits = 1): string => (value === undefined ? '–' : value.toFixed(digits));

function renderTable(rows: readonly Row[]): string {
  const lines = [
    '| function | bundle (KB) | require median (ms) | require p90 (ms) | process median (ms) | ≤ 30 ms |',
    '|---|---:|---:|---:|---:|:---:|',
  ];
  for (const row of rows) {
    const size = row.bundleBytes === undefined ? '–' : (row.bundleBytes / 1024).toFixed(1);
    if (row.error) {
      lines.push(`| ${row.label} | ${size} | error: ${row.error.replaceAll('|', '\\|')} | | | ✗ |`);
      continue;
    }
    const requireTimes = row.samples.flatMap((sample) => (sample.requireMs === undefined ? [] : [sample.requireMs]));
    const median = quantileOf(requireTimes, 0.5);
    const verdict = row.bundle === undefined ? '' : median !== undefined && median <= targetMs ? '✓' : '✗';
    lines.push(`| ${row.label} | ${size} | ${fmt(median)} | ${fmt(quantileOf(requireTimes, 0.9))} | ${fmt(quantileOf(row.samples.map((s) => s.wallMs), 0.5))} | ${verdict} |`);
  }
  return lines.join('\n');
}

function describeMachine(runs: number): string {
  return (
    `${measuredOn()}; ${runs} fresh processes per row after ${warmupRuns} warm-up runs, rows interleaved.`
  );
}

function renderSection(table: string, runs: number): string {
  return [
    startMarker,
    '## Cold start: bundle load per function',
    '',
    describeMachine(runs),
    '',
    table,
    '',
    `*require* = \`process.hrtime\` around \`require(bundle)\` inside the process: module scope builds the handler ` +
      `(config, logger, middy stack); no database is reachable and none may be contacted. *process* = wall time of the ` +
      `whole \`node\` process seen by the parent (spawn, Node start-up, require, exit); \`node -e 0\` is the floor. ` +
      `Target: require median ≤ ${targetMs} ms. Bundles use infra/build/esbuild-options.ts (what both clouds deploy). ` +
      `Lambda CPUs are slower than this machine and add a ~125 ms platform init (../shared/reference/platform.md §5).`,
    endMarker,
  ].join('\n');
}

const fileIntro = [
  '# Benchmarks',
  '',
  'Measurements taken by scripts in this repository. Each script owns one section between',
  '`<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->` markers and rewrites only that section;',
  'each section records its own machine, Node version and date.',
  '',
  '- Cold start (bundle size and load time per function): `npm run bench` (`--runs N`, default 25).',
  '',
].join('\n');

/** Replaces the cold-start section, or appends it; everything outside the markers is kept. */

async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2));
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'ai-photo-bench-'));
  try {
    const rows: Row[] = [{ label: '`node -e 0` (baseline)', samples: [] }];
    for (const fn of allFunctions) {
      const bundle = path.join(workDir, `${fn.name}.cjs`);
      try {
        // Relative entry + working directory: error rows name `functions/...`, not this machine's paths.
        await build({ ...sharedEsbuildOptions(), absWorkingDir: projectRoot, entryPoints: [fn.file], outfile: bundle, logLevel: 'silent' });
        rows.push({ label: fn.name, bundle, bundleBytes: (await stat(bundle)).size, samples: [] });
      } catch (error) {
        rows.push({ label: fn.name, samples: [], error: `build failed: ${buildErrorText(error)}` });
      }
    }

    const env = childEnvironment();
    for (let round = 0; round < warmupRuns + runs; round += 1) {
      // One process per row per round, so drift (thermal, other load) spreads over all rows evenly.
      for (const row of rows) {
        if (row.error) continue;
        const args = row.bundle === undefined ? ['-e', '0'] : ['-e', childScript, row.bundle];
        const result = runOnce(args, env, workDir);
        if ('error' in result) {
          row.error = result.error;
          continue;
        }
        if (row.bundle !== undefined && result.requireMs === undefined) {
          row.error = 'no timing printed';
          continue;
        }
        if (round >= warmupRuns) row.samples.push(result);
      }
      process.stderr.write(`\rround ${round + 1}/${warmupRuns + runs}`);
    }
    process.stderr.write('\n');

    const table = renderTable(rows);
    console.log(table);
    const section = renderSection(table, runs);
    if (!existsSync(benchmarksFile)) await writeFile(benchmarksFile, fileIntro);
    await writeBenchSection('cold-start', section);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
