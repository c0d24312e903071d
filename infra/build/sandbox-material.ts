import path from 'node:path';
import { unzipSync } from 'fflate';
import { settingsBlocks } from '../../shared/config';
import type { SettingSpec } from '../../shared/config/define';
import { readLocalDefaults, localDefaultsPath } from '../../shared/config/local-defaults';
import { projectRoot } from './esbuild-options';

/**
 * The check both packagers run on their own zips (infra/aws/check-package.ts after
 * `osls package`, infra/tencent/build.ts after building): no file in a function zip may hold
 * private key text or the local-only value of a secret setting. The secrets' values come from the
 * file the local defaults are read from (infra/local/sandbox-defaults.json), so the list cannot
 * drift from what `npm run dev` and the tests use (local values of settings that are not secrets,
 * such as sandbox URLs, are left out: they are not in any bundle either, but are too plain to look
 * for). Findings name the setting, never the value.
 */

/** One string that must not ship, and what to call it in a finding. */
export interface Needle {
  readonly label: string;
  readonly value: string;
}

/**
 * Private key text: PEM armor followed by key material (a library that only builds the header,
 * e.g. `"-----BEGIN " + type + "-----"`, does not count), or the one-line base64 body of a DER
 * private key as the settings accept it (PKCS#8 RSA, EC or Ed25519; PKCS#1 RSA; SEC1 EC).
 */
const privateKeyPatterns: readonly { readonly label: string; readonly pattern: RegExp }[] = [
  { label: 'PEM private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:\s|\\[rn])*[A-Za-z0-9+/]{40}/ },
  { label: 'base64 PKCS#8 RSA private key', pattern: /MII[A-Za-z0-9+/]{3}IBADANBgkqhkiG9w0BAQEFAAS/ },
  { label: 'base64 PKCS#1 RSA private key', pattern: /MII[A-Za-z0-9+/]{3}IBAAK(?:CAQEA|CAgEA|BgQ)/ },
  { label: 'base64 PKCS#8 EC private key', pattern: /MI[A-Za-z0-9+/]{2}AgEAMB[AM]GByqGSM49AgEG/ },
  { label: 'base64 SEC1 EC private key', pattern: /MHcCAQEEI|MI[A-Za-z0-9+/]{2}AgEBB[DE][A-Za-z0-9+/]/ },
  { label: 'base64 PKCS#8 Ed25519 private key', pattern: /MC4CAQAwBQYDK2VwBCIEI/ },
];

/** Whitespace and JSON/JS newline escapes, so a key wrapped at 64 columns still matches its one-line form. */
const compact = (text: string): string => text.replace(/\\[rn]|\s/g, '');

/** The local-only values of every secret setting, from the local defaults file. */
export function sandboxSecretNeedles(file = path.join(projectRoot, localDefaultsPath)): Needle[] {
  const values = readLocalDefaults(file);
  const secrets = Object.values(settingsBlocks).flatMap((block) => Object.entries(block as Record<string, SettingSpec>).filter(([, spec]) => spec.secret));
  return secrets.flatMap(([name]) => {
    const value = values[name];
    return value === undefined ? [] : [{ label: `the sandbox ${name}`, value }];
  });
}

/** What in one text must not ship: labels only. */
export function sandboxMaterialIn(text: string, needles: readonly Needle[]): string[] {
  const found = privateKeyPatterns.filter(({ pattern }) => pattern.test(text)).map(({ label }) => label);
  const squeezed = compact(text);
  for (const needle of needles) {
    if (text.includes(needle.value) || squeezed.includes(compact(needle.value))) found.push(needle.label);
  }
  return found;
}

/** The findings in one zip, one line per offending file: `<zip>: <entry> contains <what>, <what>`. */
export function sandboxMaterialInZip(zipName: string, zip: Uint8Array, needles: readonly Needle[]): string[] {
  return Object.entries(unzipSync(zip)).flatMap(([entry, bytes]) => {
    // latin1 keeps every byte as one character, so ASCII needles match inside UTF-8 text and binary files alike.
    const found = sandboxMaterialIn(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), needles);
    return found.length > 0 ? [`${zipName}: ${entry} contains ${found.join(', ')}`] : [];
  });
}
