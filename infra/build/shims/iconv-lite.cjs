'use strict';
/**
 * Stand-in for iconv-lite (~480 KiB of code tables) in function bundles.
 *
 * mysql2 calls iconv-lite only for encodings Node's Buffer cannot handle itself
 * (lib/parsers/string.js checks Buffer.isEncoding first). Our connections use utf8mb4, which
 * maps to Node's utf8. One more encoding is reached on every connection: mysql2 reads the
 * server's version in the handshake, and server error messages on utf8mb3 connections, as
 * CESU-8, so that one is implemented here (it is UTF-8 except for characters outside the BMP).
 * Any other encoding fails naming it instead of silently corrupting text: then drop the alias in
 * infra/build/esbuild-options.ts. test/integration/function-bundle.test.ts connects through a
 * bundle built with this shim.
 */
function notBundled(encoding) {
  throw new Error(`encoding not bundled: ${String(encoding)} (iconv-lite is shimmed; see infra/build/shims/iconv-lite.cjs)`);
}

const isCesu8 = (encoding) => String(encoding).toLowerCase().replace(/[^a-z0-9]/g, '') === 'cesu8';

/** CESU-8 writes a character outside the BMP as two 3-byte surrogates (ED A0–BF xx, ED B0–BF xx). */
function decodeCesu8(buffer) {
  let text = '';
  let from = 0;
  for (let i = 0; i + 2 < buffer.length; i += 1) {
    if (buffer[i] === 0xed && (buffer[i + 1] & 0xe0) === 0xa0) {
      text += buffer.toString('utf8', from, i);
      text += String.fromCharCode(((buffer[i] & 0x0f) << 12) | ((buffer[i + 1] & 0x3f) << 6) | (buffer[i + 2] & 0x3f));
      i += 2;
      from = i + 1;
    }
  }
  return text + buffer.toString('utf8', from);
}

function encodeCesu8(text) {
  const chunks = [];
  let from = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      chunks.push(Buffer.from(text.slice(from, i), 'utf8'), Buffer.from([0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]));
      from = i + 1;
    }
  }
  chunks.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(chunks);
}

module.exports = {
  getDecoder: (encoding) => (isCesu8(encoding) ? { write: decodeCesu8, end: () => undefined } : notBundled(encoding)),
  getEncoder: (encoding) => (isCesu8(encoding) ? { write: encodeCesu8, end: () => undefined } : notBundled(encoding)),
  decode: (buffer, encoding) => (isCesu8(encoding) ? decodeCesu8(buffer) : notBundled(encoding)),
  encode: (text, encoding) => (isCesu8(encoding) ? encodeCesu8(text) : notBundled(encoding)),
  encodingExists: (encoding) => isCesu8(encoding),
};
