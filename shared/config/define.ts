import * as z from 'zod/mini';
import { localDefaults } from './local-defaults';

/**
 * How a setting is declared: its schema, a one-line description (the README configuration table
 * and .env.example are generated from these), and whether it is a secret. Local-only values are
 * not declared here: they live in infra/local/sandbox-defaults.json (./local-defaults.ts), so the
 * function bundles, which include this code, carry none of them.
 */
export interface SettingSpec<T = unknown> {
  readonly schema: z.ZodMiniType<T, unknown>;
  readonly description: string;
  /**
   * Present on secrets, which are required outside local/test. `localDefault` is the value used
   * only locally, read from the local defaults file on access (see withLocalDefaults).
   */
  readonly secret?: { readonly localDefault?: string };
  /** A value used only in local/test mode when unset (e.g. sandbox URLs), read from the local defaults file on access. */
  readonly localValue?: string;
  /** What .env.example shows; defaults to the schema default or the local default. */
  readonly example?: string;
  /**
   * Who reads it: functions at runtime (default), only the deploy tooling, or only local
   * development. Deploy and local settings are never put into a deployed function's environment.
   */
  readonly scope?: 'runtime' | 'deploy' | 'local';
}

export type SettingsBlock = Record<string, SettingSpec>;

export const int = (fallback: number, min = 0) =>
  z._default(
    z.coerce.number().check(
      z.refine((value) => Number.isInteger(value), 'must be an integer'),
      z.gte(min),
    ),
    fallback,
  );
export const text = (fallback: string) => z._default(z.string().check(z.minLength(1)), fallback);
export const optionalText = () => z.optional(z.string().check(z.minLength(1)));
export const list = (fallback: string) =>
  z.pipe(
    z._default(z.string(), fallback),
    z.transform((value: string) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  );
export const bool = (fallback: boolean) => z._default(z.stringbool(), fallback);

/** Declares a plain setting. Its local-only value, if any, goes in the local defaults file, not here. */
export function setting<T>(schema: z.ZodMiniType<T, unknown>, description: string, extra: Pick<SettingSpec<T>, 'example' | 'scope'> = {}): SettingSpec<T> {
  return { schema, description, ...extra };
}

/** Declares a secret: required in production; elsewhere its value defaults to the local defaults file's. */
export function secret(description: string, minLength = 1): SettingSpec<string | undefined> & { readonly secret: { readonly localDefault?: string } } {
  return { schema: z.optional(z.string().check(z.minLength(minLength, `must be at least ${minLength} characters`))), description, secret: {} };
}

/**
 * The block with each setting's local-only value attached by name (`secret.localDefault` for
 * secrets, `localValue` for the rest), read from the local defaults file when first asked for, so
 * tooling (docs, tests) sees them while a production function never opens the file.
 */
export function withLocalDefaults<B extends SettingsBlock>(block: B): B {
  const bound = Object.entries(block).map(([name, spec]): [string, SettingSpec] => {
    const local = (): string | undefined => localDefaults()[name];
    const withValue: SettingSpec = { ...spec };
    Object.defineProperty(withValue, 'localValue', { enumerable: true, get: () => (spec.secret ? undefined : local()) });
    if (spec.secret) Object.defineProperty(withValue, 'secret', { enumerable: true, value: Object.defineProperty({}, 'localDefault', { enumerable: true, get: local }) });
    return [name, withValue];
  });
  return Object.fromEntries(bound) as B;
}
