/**
 * Fixed test credentials the sandbox accepts. The API's local defaults use exactly these,
 * so a fresh checkout talks to the sandbox without any configuration.
 * They are not secrets: they only open doors on 127.0.0.1.
 */
export const SANDBOX_TENCENT_SECRET_ID = 'AKIDsandboxLocal0000000000000000000';
export const SANDBOX_TENCENT_SECRET_KEY = 'sandboxLocalSecretKey000000000000';
export const SANDBOX_SMS_APP_ID = '1400000000';
/** COS: any `<name>-<appid>` bucket works; this is the one the API's local defaults should name. */
export const SANDBOX_COS_APP_ID = '1250000000';
export const SANDBOX_COS_BUCKET = `ai-photo-local-${SANDBOX_COS_APP_ID}`;
export const SANDBOX_COS_REGION = 'ap-guangzhou';
/** RunningHub legacy API key (32 characters, like real keys); sent as `apiKey` in bodies, `apikey` for accountStatus. */
export const SANDBOX_RUNNINGHUB_API_KEY = 'sandboxrunninghubkey000000000000';
/** Tencent Captcha: the sandbox's CaptchaAppId and AppSecretKey (DescribeCaptchaResult checks both). */
export const SANDBOX_CAPTCHA_APP_ID = 190000001;
export const SANDBOX_CAPTCHA_APP_SECRET_KEY = 'sandboxCaptchaAppSecretKey0000000';
