import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';

/**
 * esbuild plugin that keeps mysql2's module scope down to what every query needs. Measured on
 * auth-me (docs/benchmarks.md): ~8 ms of a ~48 ms cold load. Nothing is removed; three things mysql2
 * loads eagerly are loaded on first use instead:
 *
 * - `lib/constants/errors.js` (~200 KB of `exports.X = n` statements, ~4 ms to run): the same table
 *   as one JSON string, parsed the first time an error code or name is looked up (an error packet);
 * - the `tls` built-in, which only `ssl` connections use;
 * - the `zlib` built-in, which only `compress: true` connections use.
 *
 * test/integration/function-bundle.test.ts runs a bundle built with this plugin against the real
 * database and checks both the laziness and that error codes and compression still work.
 */

const lazyBuiltins = /^(tls|zlib)$/;
const fromMysql2 = /[\\/]node_modules[\\/]mysql2[\\/]/;
const errorTable = /[\\/]node_modules[\\/]mysql2[\\/]lib[\\/]constants[\\/]errors\.js$/;
const namespace = 'mysql2-lazy-builtin';

/**
 * CommonJS source for a module whose exports are `load()`'s result, produced on first access.
 * A Proxy rather than getters because the full key set is unknown until loaded.
 */
function lazyModuleSource(loadExpression: string): string {
  return [
    "'use strict';",
    'let loaded;',
    `const load = () => (loaded ??= ${loadExpression});`,
    'module.exports = new Proxy({}, {',
    '  get: (_target, key) => Reflect.get(load(), key),',
    '  has: (_target, key) => Reflect.has(load(), key),',
    '  ownKeys: () => Reflect.ownKeys(load()),',
    '  getOwnPropertyDescriptor: (_target, key) => {',
    '    const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);',
    // A proxy may only report a property as non-configurable if its (empty) target has it.
    '    return descriptor && { ...descriptor, configurable: true };',
    '  },',
    '});',
    '',
  ].join('\n');
}

export const mysql2ColdStartPlugin: Plugin = {
  name: 'mysql2-cold-start',
  setup(build) {
    build.onResolve({ filter: lazyBuiltins }, (args) =>
      fromMysql2.test(args.importer) ? { path: args.path, namespace } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace }, (args) => ({
      // `node:`-prefixed, so this require is not matched by the filter above and stays external.
      contents: lazyModuleSource(`require(${JSON.stringify(`node:${args.path}`)})`),
      loader: 'js',
    }));

    build.onLoad({ filter: errorTable }, (args) => {
      // Read at build time from the installed mysql2, so the table always matches its version.
      const table: unknown = createRequire(import.meta.url)(args.path);
      return { contents: lazyModuleSource(`JSON.parse(${JSON.stringify(JSON.stringify(table))})`), loader: 'js' };
    });
  },
};
