import * as z from 'zod/mini';

/**
 * How a setting is declared: its schema, a one-line description (the README configuration table
 * and .env.example are generated from these), and for secrets the local-only default.
 */
export interface SettingSpec<T = unknown> {
  readonly schema: z.ZodMiniType<T, unknown>;
  readonly description: string;
  /** Secrets are required outside local/test; `localDefault` is used only locally. */
  readonly secret?: { readonly localDefault: string };
  /** A value used only in local/test mode when unset (e.g. sandbox URLs). */
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

/** Declares a plain setting. */
export function setting<T>(schema: z.ZodMiniType<T, unknown>, description: string, extra: Omit<SettingSpec<T>, 'schema' | 'description'> = {}): SettingSpec<T> {
  return { schema, description, ...extra };
}

/** Declares a secret: required in production, with a local-only default elsewhere. */
export function secret(description: string, localDefault: string, minLength = 1): SettingSpec<string | undefined> & { readonly secret: { readonly localDefault: string } } {
  return { schema: z.optional(z.string().check(z.minLength(minLength, `must be at least ${minLength} characters`))), description, secret: { localDefault } };
}
