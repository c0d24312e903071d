import * as z from 'zod/mini';
import { coreSettings } from './core';
import type { SettingSpec, SettingsBlock } from './define';
import { operationsSettings } from './operations';
import { paymentsSettings } from './payments';
import { tasksSettings } from './tasks';

/**
 * All settings, declared per area and parsed once at cold start. Outside production every secret
 * has a local default pointing at the sandbox; in production a missing secret stops the function
 * at start with its name (never its value). README's table and .env.example are generated from
 * these declarations (`npm run docs:config`).
 */
export const settingsBlocks = { core: coreSettings, payments: paymentsSettings, tasks: tasksSettings, operations: operationsSettings } as const;
const allSettings = { ...coreSettings, ...paymentsSettings, ...tasksSettings, ...operationsSettings } satisfies SettingsBlock;
type AllSettings = typeof allSettings;

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
    for (const [name, spec] of specs) {
      if (values[name] !== undefined) continue;
      const localValue = spec.secret?.localDefault ?? spec.localValue;
      if (localValue !== undefined) values[name] = localValue;
    }
  }
  return { ...(values as Omit<Config, 'isLocal'>), isLocal };
}

let current: Config | undefined;

/** The process-wide configuration, parsed on first use (which is cold start for every function). */
export function config(): Config {
  current ??= loadConfig(process.env);
  return current;
}
