import * as z from 'zod/mini';
import { coreSettings } from './core';
import { withLocalDefaults, type SettingSpec, type SettingsBlock } from './define';
import { localDefaults, localDefaultsPath } from './local-defaults';
import { operationsSettings } from './operations';
import { paymentsSettings } from './payments';
import { tasksSettings } from './tasks';

/**
 * All settings, declared per area and parsed once at cold start. Outside production every secret
 * has a local default pointing at the sandbox, read from infra/local/sandbox-defaults.json (never
 * part of a bundle); in production a missing secret stops the function at start with its name
 * (never its value), and the file is not looked at. README's table and .env.example are generated
 * from these declarations (`npm run docs:config`).
 */
export const settingsBlocks = onFirstAccess({ core: coreSettings, payments: paymentsSettings, tasks: tasksSettings, operations: operationsSettings });
const allSettings = { ...coreSettings, ...paymentsSettings, ...tasksSettings, ...operationsSettings } satisfies SettingsBlock;
type AllSettings = typeof allSettings;

/**
 * The blocks with their local-only values attached (withLocalDefaults), each built the first time
 * it is read: only tooling and tests read them, so a function's cold start does not pay for it.
 */
function onFirstAccess<T extends Record<string, SettingsBlock>>(blocks: T): Readonly<T> {
  const lazy = {} as T;
  for (const [area, block] of Object.entries(blocks)) {
    let bound: SettingsBlock | undefined;
    Object.defineProperty(lazy, area, { enumerable: true, get: () => (bound ??= withLocalDefaults(block)) });
  }
  return lazy;
}

type ValueOf<S> = S extends { secret: object } ? string : S extends SettingSpec<infer T> ? T : never;
export type Config = { -readonly [K in keyof AllSettings]: ValueOf<AllSettings[K]> } & { isLocal: boolean };

const schema = z.object(Object.fromEntries(Object.entries(allSettings).map(([name, spec]) => [name, spec.schema])));

export class ConfigError extends Error {
  constructor(
    readonly settings: string[],
    detail: string,
  ) {
    super(`Invalid configuration: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from an environment; throws ConfigError naming every bad or missing setting. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = z.safeParse(schema, present);
  if (!result.success) {
    const names = result.error.issues.map((issue) => issue.path.join('.'));
    throw new ConfigError(names, result.error.issues.map((issue) => `${issue.path.join('.')} (${issue.message})`).join(', '));
  }
  const values: Record<string, unknown> = { ...result.data };
  const isLocal = values.APP_ENV !== 'production';
  const specs: [string, SettingSpec][] = Object.entries(allSettings);
  const missing = specs.filter(([name, spec]) => spec.secret && values[name] === undefined).map(([name]) => name);
  if (!isLocal && missing.length > 0) throw new ConfigError(missing, `missing required secret setting(s): ${missing.join(', ')}`);
  if (isLocal) {
    const local = localDefaults();
    for (const [name] of specs) if (values[name] === undefined && local[name] !== undefined) values[name] = local[name];
    const unset = specs.filter(([name, spec]) => spec.secret && values[name] === undefined).map(([name]) => name);
    if (unset.length > 0) throw new ConfigError(unset, `secret setting(s) neither set nor in ${localDefaultsPath}: ${unset.join(', ')}`);
  }
  // The captcha (README "Login codes") needs its app's id and key only when it is switched on.
  const captchaUnset = ['CAPTCHA_APP_ID', 'CAPTCHA_APP_SECRET_KEY'].filter((name) => values[name] === undefined);
  if (Number(values.CAPTCHA_AFTER_SENDS_PER_IP_HOUR) > 0 && captchaUnset.length > 0) {
    throw new ConfigError(captchaUnset, `CAPTCHA_AFTER_SENDS_PER_IP_HOUR is on, so these must be set: ${captchaUnset.join(', ')}`);
  }
  return { ...(values as Omit<Config, 'isLocal'>), isLocal };
}

let current: Config | undefined;

/** The process-wide configuration, parsed on first use (which is cold start for every function). */
export function config(): Config {
  current ??= loadConfig(process.env);
  return current;
}
