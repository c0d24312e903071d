import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What every benchmark script shares: run counts, quantiles, and its own section of docs/benchmarks.md. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const benchmarksFile = path.join(projectRoot, 'docs', 'benchmarks.md');

/** `--runs N` (or BENCH_RUNS), at least `min`. */
export function parseRuns(argv: readonly string[], fallback: number, min = 1): number {
  const flag = argv.indexOf('--runs');
  const raw = flag >= 0 ? argv[flag + 1] : process.env.BENCH_RUNS;
  if (raw === undefined) return fallback;
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < min) throw new Error(`--runs must be an integer ≥ ${min} (got "${raw}")`);
  return runs;
}

/** Linear-interpolated quantile (q in 0..1) of a non-empty sample. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] ?? 0;
  const b = sorted[high] ?? a;
  return a + (b - a) * (position - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const sectionMarkers = (name: string) => ({ start: `<!-- bench:${name}:start -->`, end: `<!-- bench:${name}:end -->` });

/** Replaces (or appends) the section between this benchmark's markers, leaving the others alone. */
export function upsertSection(document: string, name: string, section: string): string {
  const { start: startMarker, end: endMarker } = sectionMarkers(name);
  const start = document.indexOf(startMarker);
  const end = document.indexOf(endMarker);
  if (start === -1 && end === -1) return `${document.trimEnd()}\n\n${section}\n`;
  if (start === -1 || end === -1 || end < start) throw new Error(`${benchmarksFile}: ${name} markers are unbalanced; fix them by hand`);
  return document.slice(0, start) + section + document.slice(end + endMarker.length);
}

export async function writeBenchSection(name: string, section: string): Promise<void> {
  const current = existsSync(benchmarksFile) ? await readFile(benchmarksFile, 'utf8') : '# Benchmarks\n';
  await writeFile(benchmarksFile, upsertSection(current, name, section));
  console.log(`\nWrote the ${name} section of ${path.relative(projectRoot, benchmarksFile)}`);
}

/** "Measured <date> UTC on <cpu> (<n> vCPU), <os>, Node <v>" — the first words of every section. */
export function measuredOn(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${model} (${cpus.length} vCPU), ${os.type()} ${os.release()}, Node ${process.version}`;
}
