import * as z from 'zod/mini';
import { int, list, optionalText, secret, setting, text } from './define';

/** Settings of the foundation: runtime, HTTP, database, tokens, login codes, Tencent Cloud API. */
export const coreSettings = {
  APP_ENV: setting(z._default(z.enum(['local', 'test', 'production']), 'local'), 'local (sandbox defaults), test, or production (every secret required)'),
  LOG_LEVEL: setting(z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'), 'Structured log level'),
  SERVICE_NAME: setting(text('ai-photo-api'), 'Service name on every log line'),
  API_BASE_PATH: setting(z._default(z.string().check(z.regex(/^(\/[A-Za-z0-9._-]+)*$/, 'must look like /api or be empty')), '/api'), 'Path prefix the API is served under (stripped before routing)'),
  MAX_BODY_BYTES: setting(int(64 * 1024, 1024), 'Largest request body accepted (bytes); larger → 413'),
  CORS_ORIGINS: setting(list('http://localhost:5173,http://127.0.0.1:5173'), 'Comma-separated H5 origins allowed by CORS: the API answers them, and `npm run cos:cors` sets them as the COS bucket CORS rules (browser uploads); `npm run dev` defaults to the app origins'),

  // A secret (it carries the database password): required in production, so a function that lost
  // its setting fails at start instead of trying root@127.0.0.1; the local default stays.
  DATABASE_URL: {
    ...secret('MySQL 8 / MariaDB 10.6+ URL (the database is created locally if missing)'),
    schema: z.optional(z.string().check(z.regex(/^mysql:\/\//, 'must be a mysql:// URL'))),
  },
  DB_POOL_SIZE: setting(int(2, 1), 'Connections per function instance'),

  JWT_SECRET: secret('HS256 signing secret for access tokens (≥ 32 random characters)', 32),
  JWT_ISSUER: setting(text('ai-photo-api'), 'Token issuer (iss)'),
  JWT_AUDIENCE: setting(text('ai-photo-h5'), 'Token audience (aud)'),
  JWT_TTL_SECONDS: setting(int(7 * 24 * 3600, 60), 'User token lifetime (seconds)'),
  ADMIN_JWT_TTL_SECONDS: setting(int(3600, 60), 'Admin token lifetime (seconds), shorter than users’'),
  JWT_CLOCK_TOLERANCE_SECONDS: setting(int(30, 0), 'Clock skew tolerated on exp/iat (seconds)'),
  REFRESH_TOKEN_TTL_DAYS: setting(int(30, 1), 'Refresh token lifetime (days); each refresh issues a new one with a full lifetime (ADR 0015)'),

  OTP_PEPPER: secret('HMAC key for stored login codes (≥ 16 characters)', 16),
  OTP_TTL_SECONDS: setting(int(300, 30), 'Login code lifetime (seconds)'),
  OTP_MAX_ATTEMPTS: setting(int(5, 1), 'Tries per login code'),
  SMS_RESEND_GAP_SECONDS: setting(int(60, 0), 'Minimum gap between two codes to one phone (seconds)'),
  SMS_DAILY_CAP_PER_PHONE: setting(int(10, 1), 'Codes per phone per day'),
  SMS_RATE_PER_PHONE_PER_MINUTE: setting(int(5, 1), 'send-code requests per phone per minute'),
  SMS_RATE_PER_IP_PER_HOUR: setting(int(20, 1), 'send-code requests per client IP per hour'),
  CAPTCHA_AFTER_SENDS_PER_IP_HOUR: setting(
    int(0, 0),
    'After this many send-code requests from one IP within an hour, send-code requires a Tencent Captcha ticket (captchaTicket, captchaRandstr); 0 = never',
  ),
  CAPTCHA_APP_ID: setting(
    z.optional(z.string().check(z.regex(/^\d{1,12}$/, 'must be the numeric CaptchaAppId'))),
    'Tencent Captcha CaptchaAppId; required when CAPTCHA_AFTER_SENDS_PER_IP_HOUR > 0',
  ),
  CAPTCHA_APP_SECRET_KEY: setting(optionalText(), 'Tencent Captcha AppSecretKey (keep it secret); required when CAPTCHA_AFTER_SENDS_PER_IP_HOUR > 0'),

  TENCENT_SECRET_ID: secret('Tencent Cloud API SecretId (SMS, STS, COS, CI)'),
  TENCENT_SECRET_KEY: secret('Tencent Cloud API SecretKey'),
  TENCENT_REGION: setting(text('ap-guangzhou'), 'Tencent Cloud region'),
  TENCENT_API_ENDPOINT: setting(optionalText(), 'Override for the Tencent Cloud API host; unset in production', { scope: 'local' }),
  API_PORT: setting(int(3000, 1), 'npm run dev: port of the local API gateway (http://127.0.0.1:<port>/api)', { scope: 'local' }),
  SANDBOX_PORT: setting(int(3100, 1), 'npm run dev: port of the vendor sandbox', { scope: 'local' }),
  SMS_SDK_APP_ID: setting(text('1400000000'), 'SMS SdkAppId'),
  SMS_SIGN_NAME: setting(text('AI照片'), 'SMS signature text'),
  SMS_TEMPLATE_ID: setting(text('100001'), 'SMS template id (params: code, minutes)'),
};
