/**
 * Fixed test credentials the sandbox accepts. The API's local defaults use exactly these,
 * so a fresh checkout talks to the sandbox without any configuration.
 * They are not secrets: they only open doors on 127.0.0.1.
 */
export const SANDBOX_TENCENT_SECRET_ID = 'AKIDsandboxLocal0000000000000000000';
export const SANDBOX_TENCENT_SECRET_KEY = 'sandboxLocalSecretKey000000000000';
export const SANDBOX_SMS_APP_ID = '1400000000';
