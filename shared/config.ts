import * as z from 'zod/mini';

/**
 * All settings, parsed once at cold start. Outside production every secret has a local default
 * that points at the sandbox; in production a missing secret stops the function at start with
 * its name (never its value).
 */
const appEnvs = ['local', 'test', 'production'] as const;

const int = (fallback: number, min = 0) =>
  z._default(
    z.coerce.number().check(
      z.refine((value) => Number.isInteger(value), 'must be an integer'),
      z.gte(min),
    ),
    fallback,
  );
const text = (fallback: string) => z._default(z.string().check(z.minLength(1)), fallback);
const optionalText = () => z.optional(z.string().check(z.minLength(1)));
const list = (fallback: string) =>
  z.pipe(
    z._default(z.string(), fallback),
    z.transform((value: string) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  );

const schema = z.object({
  APP_ENV: z._default(z.enum(appEnvs), 'local'),
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  SERVICE_NAME: text('ai-photo-api'),
  API_BASE_PATH: z._default(z.string().check(z.regex(/^(\/[A-Za-z0-9._-]+)*$/, 'must look like /api or be empty')), '/api'),
  MAX_BODY_BYTES: int(64 * 1024, 1024),
  CORS_ORIGINS: list('http://localhost:5173,http://127.0.0.1:5173'),

  DATABASE_URL: z._default(z.string().check(z.regex(/^mysql:\/\//, 'must be a mysql:// URL')), 'mysql://root@127.0.0.1:3306/aiphoto'),
  DB_POOL_SIZE: int(2, 1),

  JWT_SECRET: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
  JWT_ISSUER: text('ai-photo-api'),
  JWT_AUDIENCE: text('ai-photo-h5'),
  JWT_TTL_SECONDS: int(7 * 24 * 3600, 60),
  ADMIN_JWT_TTL_SECONDS: int(3600, 60),
  JWT_CLOCK_TOLERANCE_SECONDS: int(30, 0),

  OTP_PEPPER: z.optional(z.string().check(z.minLength(16, 'must be at least 16 characters'))),
  OTP_TTL_SECONDS: int(300, 30),
  OTP_MAX_ATTEMPTS: int(5, 1),
  SMS_RESEND_GAP_SECONDS: int(60, 0),
  SMS_DAILY_CAP_PER_PHONE: int(10, 1),
  SMS_RATE_PER_PHONE_PER_MINUTE: int(5, 1),
  SMS_RATE_PER_IP_PER_HOUR: int(20, 1),

  TENCENT_SECRET_ID: optionalText(),
  TENCENT_SECRET_KEY: optionalText(),
  TENCENT_REGION: text('ap-guangzhou'),
  /** Overrides the Tencent Cloud API host (the sandbox locally); unset in production. */
  TENCENT_API_ENDPOINT: optionalText(),
  SMS_SDK_APP_ID: text('1400000000'),
  SMS_SIGN_NAME: text('AI照片'),
  SMS_TEMPLATE_ID: text('100001'),
});

type ParsedSettings = z.infer<typeof schema>;
const secretNames = ['JWT_SECRET', 'OTP_PEPPER', 'TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY'] as const;
type SecretName = (typeof secretNames)[number];

/** Local defaults for secrets; the sandbox knows the same Tencent test keys. */
const localSecrets: Record<SecretName, string> = {
  JWT_SECRET: 'local-only-jwt-secret-change-me-0123456789abcdef',
  OTP_PEPPER: 'local-only-otp-pepper-0123456789',
  TENCENT_SECRET_ID: 'AKIDsandboxLocal0000000000000000000',
  TENCENT_SECRET_KEY: 'sandboxLocalSecretKey000000000000',
};
const localEndpoints = { TENCENT_API_ENDPOINT: 'http://127.0.0.1:3100' };

export type Config = Omit<ParsedSettings, SecretName> & Record<SecretName, string> & { isLocal: boolean };

export class ConfigError extends Error {
  constructor(readonly settings: string[], detail: string) {
    super(`Invalid configuration: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from an environment; throws ConfigError naming every bad or missing setting. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = z.safeParse(schema, present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')} (${issue.message})`);
    throw new ConfigError(
      result.error.issues.map((issue) => issue.path.join('.')),
      problems.join(', '),
    );
  }
  const settings = result.data;
  const isLocal = settings.APP_ENV !== 'production';
  const missing = secretNames.filter((name) => settings[name] === undefined);
  if (!isLocal && missing.length > 0) {
    throw new ConfigError(missing, `missing required secret setting(s): ${missing.join(', ')}`);
  }
  const secrets = Object.fromEntries(secretNames.map((name) => [name, settings[name] ?? localSecrets[name]])) as Record<SecretName, string>;
  return {
    ...settings,
    ...(isLocal ? { TENCENT_API_ENDPOINT: settings.TENCENT_API_ENDPOINT ?? localEndpoints.TENCENT_API_ENDPOINT } : {}),
    ...secrets,
    isLocal,
  };
}

let current: Config | undefined;

/** The process-wide configuration, parsed on first use (which is cold start for every function). */
export function config(): Config {
  current ??= loadConfig(process.env);
  return current;
}
