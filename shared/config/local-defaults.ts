import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The local-only values of settings (the sandbox's keys and ids, its URLs, the local database) live
 * in one JSON file of the repository, not in code, so no function bundle carries them: the file is
 * read at run time, only when APP_ENV is local or test, and production never looks for it. The
 * packagers check their zips against the same file (infra/build/sandbox-material.ts).
 */
export const localDefaultsPath = path.join('infra', 'local', 'sandbox-defaults.json');

let cached: Readonly<Record<string, string>> | undefined;

/**
 * The file's values by setting name (keys starting with `$` are comments). Found from the working
 * directory upwards, as `npm run dev`, the tests and the scripts all run inside the checkout.
 */
export function localDefaults(): Readonly<Record<string, string>> {
  cached ??= readLocalDefaults(findLocalDefaults(process.cwd()));
  return cached;
}

/** The file above or at `from`; throws when there is none (e.g. a bundle run outside the checkout). */
export function findLocalDefaults(from: string): string {
  for (let directory = path.resolve(from); ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, localDefaultsPath);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(directory) === directory) {
      throw new Error(
        `Invalid configuration: APP_ENV is local or test, whose defaults are read from ${localDefaultsPath} in the repository, and none was found from ${from} upwards. Run inside the checkout, or set APP_ENV=production and every setting.`,
      );
    }
  }
}

export function readLocalDefaults(file: string): Readonly<Record<string, string>> {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file}: expected an object of setting names to strings`);
  const values = Object.entries(parsed).filter(([name]) => !name.startsWith('$'));
  const bad = values.filter(([, value]) => typeof value !== 'string').map(([name]) => name);
  if (bad.length > 0) throw new Error(`${file}: not a string: ${bad.join(', ')}`);
  return Object.freeze(Object.fromEntries(values) as Record<string, string>);
}
