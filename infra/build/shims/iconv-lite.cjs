'use strict';
/**
 * Stand-in for iconv-lite (~480 KiB of code tables) in function bundles.
 *
 * mysql2 calls iconv-lite only for encodings Node's Buffer cannot handle itself
 * (lib/parsers/string.js checks Buffer.isEncoding first). Our connections always use
 * utf8mb4, which maps to Node's utf8, so these functions are never reached. If some
 * future column or connection uses another charset, the failure names it instead of
 * silently corrupting text: then drop the alias in infra/build/esbuild-options.ts.
 */
function notBundled(encoding) {
  throw new Error(`encoding not bundled: ${String(encoding)} (iconv-lite is shimmed; see infra/build/shims/iconv-lite.cjs)`);
}

module.exports = {
  getDecoder: notBundled,
  getEncoder: notBundled,
  decode: (_buffer, encoding) => notBundled(encoding),
  encode: (_text, encoding) => notBundled(encoding),
  encodingExists: () => false,
};
