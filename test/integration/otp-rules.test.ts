import { afterEach, describe, expect, it } from 'vitest';
import { loginCodeSender, verifyLoginCode } from '../../shared/auth/otp';
import { config, type Config } from '../../shared/config';
import { execute, select } from '../../shared/db/pool';
import { InvalidCodeError, RateLimitedError, SmsDeliveryError } from '../../shared/errors';
import { tencentSmsSender } from '../../shared/vendors/sms';
import { latestSmsCode, setFaults, uniqueIp, uniquePhone } from '../helpers/sandbox';

/** The real service over the real SMS SDK and sandbox, with limits adjusted per test. */
function service(overrides: Partial<Config> = {}) {
  const settings = { ...config(), ...overrides };
  const sender = loginCodeSender(settings, tencentSmsSender(settings));
  return { sendCode: sender.sendCode, verifyCode: (phone: string, code: string) => verifyLoginCode(settings, phone, code) };
}
const wrongCode = (code: string) => (code === '999999' ? '999998' : '999999');

afterEach(async () => {
  await setFaults({ sms: 'ok' });
});

describe('login code rules', () => {
  it('stores only a hash of the code', async () => {
    const phone = uniquePhone();
    await service().sendCode(phone, uniqueIp());
    const code = await latestSmsCode(phone);
    const rows = await select<{ code_hash: Buffer }>('SELECT code_hash FROM otp_codes WHERE phone = ?', [phone]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.code_hash.length).toBe(32);
    expect(rows[0]?.code_hash.toString('latin1')).not.toContain(code);
  });

  it('accepts the right code on the 5th try', async () => {
    const codes = service();
    const phone = uniquePhone();
    await codes.sendCode(phone, uniqueIp());
    const code = await latestSmsCode(phone);
    for (let i = 0; i < 4; i += 1) await expect(codes.verifyCode(phone, wrongCode(code))).rejects.toBeInstanceOf(InvalidCodeError);
    await expect(codes.verifyCode(phone, code)).resolves.toBeUndefined();
  });

  it('refuses the 6th try even with the right code', async () => {
    const codes = service();
    const phone = uniquePhone();
    await codes.sendCode(phone, uniqueIp());
    const code = await latestSmsCode(phone);
    for (let i = 0; i < 5; i += 1) await expect(codes.verifyCode(phone, wrongCode(code))).rejects.toBeInstanceOf(InvalidCodeError);
    await expect(codes.verifyCode(phone, code)).rejects.toBeInstanceOf(InvalidCodeError);
  });

  it('refuses an expired code', async () => {
    const codes = service();
    const phone = uniquePhone();
    await codes.sendCode(phone, uniqueIp());
    const code = await latestSmsCode(phone);
    await execute('UPDATE otp_codes SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE phone = ?', [phone]);
    await expect(codes.verifyCode(phone, code)).rejects.toBeInstanceOf(InvalidCodeError);
  });

  it('refuses a code used once already', async () => {
    const codes = service();
    const phone = uniquePhone();
    await codes.sendCode(phone, uniqueIp());
    const code = await latestSmsCode(phone);
    await codes.verifyCode(phone, code);
    await expect(codes.verifyCode(phone, code)).rejects.toBeInstanceOf(InvalidCodeError);
  });

  it('refuses a code superseded by a newer one', async () => {
    const codes = service({ SMS_RESEND_GAP_SECONDS: 0 });
    const phone = uniquePhone();
    await codes.sendCode(phone, uniqueIp());
    const first = await latestSmsCode(phone);
    await codes.sendCode(phone, uniqueIp());
    const second = await latestSmsCode(phone);
    if (first !== second) await expect(codes.verifyCode(phone, first)).rejects.toBeInstanceOf(InvalidCodeError);
    await expect(codes.verifyCode(phone, second)).resolves.toBeUndefined();
  });

  it('refuses another phone’s code', async () => {
    const codes = service();
    const phone = uniquePhone();
    const other = uniquePhone();
    await codes.sendCode(phone, uniqueIp());
    await codes.sendCode(other, uniqueIp());
    const code = await latestSmsCode(phone);
    const otherCode = await latestSmsCode(other);
    if (code !== otherCode) await expect(codes.verifyCode(other, code)).rejects.toBeInstanceOf(InvalidCodeError);
  });

  it('lets exactly one of ten concurrent logins with one code win', async () => {
    const codes = service();
    const phone = uniquePhone();
    await codes.sendCode(phone, uniqueIp());
    const code = await latestSmsCode(phone);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => codes.verifyCode(phone, code)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  });

  it('allows 5 sends per phone per minute and refuses the 6th with 429', async () => {
    // Arrange: the limits slide (no calendar minute), so when this runs does not matter
    const codes = service({ SMS_RESEND_GAP_SECONDS: 0 });
    const phone = uniquePhone();
    for (let i = 0; i < 5; i += 1) await codes.sendCode(phone, uniqueIp());

    // Act
    const sixth = codes.sendCode(phone, uniqueIp());

    // Assert: refused until the first of the five is a minute old
    await expect(sixth).rejects.toBeInstanceOf(RateLimitedError);
    await expect(sixth).rejects.toMatchObject({ status: 429, code: 1004, retryAfterSeconds: expect.any(Number) });
    const retryAfter = await sixth.catch((error: unknown) => (error instanceof RateLimitedError ? error.retryAfterSeconds : undefined));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('allows 20 sends per IP per hour and refuses the 21st with 429', async () => {
    const codes = service();
    const ip = uniqueIp();
    for (let i = 0; i < 20; i += 1) await codes.sendCode(uniquePhone(), ip);
    await expect(codes.sendCode(uniquePhone(), ip)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(codes.sendCode(uniquePhone(), uniqueIp())).resolves.toEqual({ expireIn: 300 });
  });

  it('keeps a resend gap and a daily cap per phone', async () => {
    const gapped = service();
    const phone = uniquePhone();
    await gapped.sendCode(phone, uniqueIp());
    await expect(gapped.sendCode(phone, uniqueIp())).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });

    const capped = service({ SMS_RESEND_GAP_SECONDS: 0, SMS_RATE_PER_PHONE_PER_MINUTE: 100, SMS_DAILY_CAP_PER_PHONE: 3 });
    const busy = uniquePhone();
    for (let i = 0; i < 3; i += 1) await capped.sendCode(busy, uniqueIp());
    await expect(capped.sendCode(busy, uniqueIp())).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('reports an SMS failure and leaves no usable code', async () => {
    const codes = service();
    const phone = uniquePhone();
    await setFaults({ sms: 'fail' });
    await expect(codes.sendCode(phone, uniqueIp())).rejects.toBeInstanceOf(SmsDeliveryError);
    const usable = await select('SELECT id FROM otp_codes WHERE phone = ? AND consumed_at IS NULL', [phone]);
    expect(usable).toHaveLength(0);
  });
});
