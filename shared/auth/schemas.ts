import * as z from 'zod/mini';

/** Mainland China mobile number: 11 digits starting 13-19. */
export const phoneSchema = z.string({ error: '请输入手机号' }).check(z.regex(/^1[3-9]\d{9}$/, '手机号格式不正确,应为11位手机号'));

export const codeSchema = z.string({ error: '请输入验证码' }).check(z.regex(/^\d{6}$/, '验证码应为6位数字'));

/**
 * `captchaTicket` and `captchaRandstr` (extensions): what the Tencent Captcha front-end callback
 * answered, needed only from an address past CAPTCHA_AFTER_SENDS_PER_IP_HOUR (shared/auth/captcha.ts).
 */
export const sendCodeBody = z.object({
  phone: phoneSchema,
  captchaTicket: z.optional(z.string().check(z.minLength(1, '请先完成人机验证'), z.maxLength(4096, '人机验证票据过长'))),
  captchaRandstr: z.optional(z.string().check(z.minLength(1, '请先完成人机验证'), z.maxLength(256, '人机验证随机串过长'))),
});

export const loginBody = z.object({ phone: phoneSchema, code: codeSchema });

/** 43 base64url characters, as shared/auth/refresh.ts issues them. */
export const refreshBody = z.object({
  refreshToken: z.string({ error: '请提供刷新令牌' }).check(z.regex(/^[A-Za-z0-9_-]{43}$/, '刷新令牌格式不正确')),
});
