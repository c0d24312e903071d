/**
 * Builds one Tencent SCF code package per function in shared/routes.ts:
 * dist/tencent/<name>/index.js (esbuild, the shared options) and dist/tencent/<name>.zip with
 * index.js at the zip root, because an SCF handler string is `file.export` and may not contain a
 * directory (platform.md §2.4). Offline; needs no credentials. The deployer reuses buildTencent().
 * Every zip is checked before it is returned: none may hold private key text or a sandbox secret
 * (infra/build/sandbox-material.ts), so neither `npm run package:tencent` nor a deploy ships one.
 *
 *   npm run package:tencent                  # all functions
 *   TENCENT_SCF_RUNTIME=Nodejs18.15 npm run package:tencent
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { allFunctions } from '../../shared/routes';
import { projectRoot, sharedEsbuildOptions } from '../build/esbuild-options';
import { sandboxMaterialInZip, sandboxSecretNeedles } from '../build/sandbox-material';

/**
 * SCF runtime used when TENCENT_SCF_RUNTIME is unset: the same as that setting's default
 * (shared/config/operations.ts). It only decides the esbuild target here (and the polyfill below).
 */
export const defaultScfRuntime = 'Nodejs20.19';

/** Entry file and export name inside every zip; SCF's handler string. */
export const scfHandler = 'index.main_handler';

export interface TencentBuildOptions {
  /** Functions to build; defaults to every function in the route table. */
  readonly functions?: readonly { readonly name: string; readonly file: string }[];
  /** Output directory; defaults to dist/tencent under the project root. */
  readonly outDir?: string;
  /** SCF runtime string, e.g. `Nodejs18.15`; decides the esbuild target. Defaults to TENCENT_SCF_RUNTIME or defaultScfRuntime. */
  readonly runtime?: string;
  /** Print the size table (the CLI does; the deployer may not want it). */
  readonly log?: boolean;
}

export interface TencentArtifact {
  readonly name: string;
  /** Source file from the route table. */
  readonly file: string;
  readonly handler: typeof scfHandler;
  readonly runtime: string;
  readonly bundlePath: string;
  readonly bundleBytes: number;
  readonly zipPath: string;
  readonly zipBytes: number;
  /** Hex SHA-256 of the zip, so a deployer can skip unchanged code. */
  readonly zipSha256: string;
}

/** `Nodejs18.15` → 18. Throws on anything that is not a Node runtime, before any build work. */
export function nodeMajorOfRuntime(runtime: string): number {
  const match = /^Nodejs(\d+)(?:\.|$)/.exec(runtime);
  if (!match?.[1]) throw new Error(`TENCENT_SCF_RUNTIME must be a Node runtime such as Nodejs18.15 (got "${runtime}")`);
  return Number(match[1]);
}

/**
 * jose needs the global WebCrypto object, which Node only exposes by default from 19 on; on an
 * older SCF runtime the bundle installs it before any other code runs.
 */
const webCryptoPolyfill = "if (!globalThis.crypto) globalThis.crypto = require('node:crypto').webcrypto;";

const commonJsMarker = '{ "type": "commonjs" }\n';

/** Fixed timestamp (the DOS epoch) so the same code produces the same zip and hash. */
const zipTimestamp = new Date('1980-01-01T00:00:00Z');

export async function buildTencent(options: TencentBuildOptions = {}): Promise<TencentArtifact[]> {
  const functions = options.functions ?? allFunctions;
  const outDir = path.resolve(projectRoot, options.outDir ?? path.join('dist', 'tencent'));
  const runtime = options.runtime ?? process.env.TENCENT_SCF_RUNTIME ?? defaultScfRuntime;
  const major = nodeMajorOfRuntime(runtime);
  const shared = sharedEsbuildOptions({ target: `node${major}` });
  const needles = sandboxSecretNeedles();
  const findings: string[] = [];

  const artifacts = await Promise.all(
    functions.map(async (fn): Promise<TencentArtifact> => {
      const functionDir = path.join(outDir, fn.name);
      const bundlePath = path.join(functionDir, 'index.js');
      const zipPath = path.join(outDir, `${fn.name}.zip`);
      await rm(functionDir, { recursive: true, force: true });
      await mkdir(functionDir, { recursive: true });

      await build({
        ...shared,
        // The wrapper re-exports only the SCF entry, so `handler` (AWS) is not part of the interface.
        stdin: {
          contents: `export { main_handler } from ${JSON.stringify(`./${fn.file}`)};\n`,
          resolveDir: projectRoot,
          sourcefile: `${fn.name}-scf-entry.ts`,
          loader: 'ts',
        },
        outfile: bundlePath,
        ...(major < 19 ? { banner: { js: webCryptoPolyfill } } : {}),
        logLevel: 'warning',
      });

      // The bundle is CommonJS; this marker keeps it so even under a `"type": "module"` package.json
      // (ours, when the dist folder is required locally) instead of relying on where it is unpacked.
      await writeFile(path.join(functionDir, 'package.json'), commonJsMarker);
      const code = await readFile(bundlePath);
      // Unix mode 0644 so the runtime can read the files whatever the unpacking tool assumes.
      const entry = { level: 9, mtime: zipTimestamp, os: 3, attrs: 0o644 << 16 } as const;
      const zip = zipSync({ 'index.js': [code, entry], 'package.json': [Buffer.from(commonJsMarker), entry] });
      findings.push(...sandboxMaterialInZip(`${fn.name}.zip`, zip, needles));
      await writeFile(zipPath, zip);
      return {
        name: fn.name,
        file: fn.file,
        handler: scfHandler,
        runtime,
        bundlePath,
        bundleBytes: code.byteLength,
        zipPath,
        zipBytes: zip.byteLength,
        zipSha256: createHash('sha256').update(zip).digest('hex'),
      };
    }),
  );

  if (findings.length > 0) {
    throw new Error(`SCF zips in ${path.relative(projectRoot, outDir)} hold material that must not ship:\n${findings.map((finding) => `  - ${finding}`).join('\n')}`);
  }

  if (options.log) printTable(artifacts, runtime, outDir);
  return artifacts;
}

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

function printTable(artifacts: readonly TencentArtifact[], runtime: string, outDir: string): void {
  const rows = artifacts.map((a) => [a.name, kb(a.bundleBytes), kb(a.zipBytes), path.relative(projectRoot, a.zipPath)]);
  const header = ['function', 'index.js (KB)', 'zip (KB)', 'zip'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log(`SCF runtime ${runtime}, handler ${scfHandler}, output ${path.relative(projectRoot, outDir)}; no zip holds a private key or sandbox secret`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

// Run as a script (npm run package:tencent), not when imported by the deployer.
const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(path.resolve(invokedPath)).href) {
  buildTencent({ log: true }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
