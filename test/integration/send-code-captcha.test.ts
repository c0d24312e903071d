import { describe, expect, it } from 'vitest';

/**
 * Issue 11, item 5 (optional captcha): with CAPTCHA_AFTER_SENDS_PER_IP_HOUR on, send-code from an
 * address past the threshold needs a Tencent Captcha ticket, checked with DescribeCaptchaResult
 * (the sandbox plays it, TC3 signature checked; infra/sandbox/captcha.ts) before any SMS goes out.
 * The setting is set before anything reads configuration (modules are imported afterwards).
 */
process.env.CAPTCHA_AFTER_SENDS_PER_IP_HOUR = '3';

const sendCode = await import('../../functions/auth/send-code');
const { platforms } = await import('../helpers/events');
const { sentSms, setFaults, uniqueIp, uniquePhone } = await import('../helpers/sandbox');
const { tencentCaptchaVerifier } = await import('../../shared/vendors/captcha');
const { config } = await import('../../shared/config');

type Platform = (typeof platforms)[number];
type Proof = { captchaTicket?: string; captchaRandstr?: string };

const send = (platform: Platform, sourceIp: string, proof: Proof = {}, phone = uniquePhone()) =>
  platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone, ...proof }, sourceIp });

/** Three accepted sends from `ip`: the threshold. */
async function reachThreshold(platform: Platform, ip: string): Promise<number[]> {
  const statuses = [];
  for (let i = 0; i < 3; i += 1) statuses.push((await send(platform, ip)).status);
  return statuses;
}

async function captchaChecks(): Promise<{ ticket: string; userIp: string; captchaCode: number }[]> {
  const response = await fetch(`${process.env.SANDBOX_URL}/_sandbox/captcha/checks`);
  return ((await response.json()) as { checks: { ticket: string; userIp: string; captchaCode: number }[] }).checks;
}

let ticketCounter = 0;
const ticket = (kind: 'ok' | 'evil' | 'expired'): string => `sandbox-${kind}-${Date.now()}-${(ticketCounter += 1)}`;

describe.each(platforms)('send-code with the captcha on, on $name', (platform) => {
  it('asks an address past the threshold for a captcha (400, code 1016) and sends nothing', async () => {
    // Arrange
    const ip = uniqueIp();
    const below = await reachThreshold(platform, ip);
    const phone = uniquePhone();

    // Act
    const without = await send(platform, ip, {}, phone);
    const onlyTicket = await send(platform, ip, { captchaTicket: ticket('ok') }, phone);
    const otherAddress = await send(platform, uniqueIp());

    // Assert
    expect(below).toEqual([200, 200, 200]);
    expect(without.status).toBe(400);
    expect(without.json).toMatchObject({ success: false, error: { code: 1016, message: '请求参数错误', details: [{ field: 'captchaTicket', message: '请先完成人机验证' }] } });
    expect(onlyTicket.json.error?.code).toBe(1016);
    expect(await sentSms(phone)).toEqual([]);
    expect(otherAddress.status).toBe(200);
  });

  it('sends the code when Tencent accepts the ticket, checked with the client’s address', async () => {
    // Arrange
    const ip = uniqueIp();
    await reachThreshold(platform, ip);
    const phone = uniquePhone();
    const good = ticket('ok');

    // Act
    const result = await send(platform, ip, { captchaTicket: good, captchaRandstr: 'sandbox-randstr' }, phone);

    // Assert
    expect(result.status).toBe(200);
    expect(await sentSms(phone)).toHaveLength(1);
    expect((await captchaChecks()).filter((check) => check.ticket === good)).toEqual([{ ticket: good, userIp: ip, captchaCode: 1, evilLevel: 0 }]);
  });

  it.each([
    ['a reused ticket', 'reused', 'sandbox-randstr'],
    ['a wrong randstr', 'ok', 'not-the-randstr'],
    ['a ticket Tencent judges malicious', 'evil', 'sandbox-randstr'],
    ['an expired ticket', 'expired', 'sandbox-randstr'],
    ['a forged ticket', 'forged', 'sandbox-randstr'],
  ] as const)('refuses %s with 400, code 1016, and sends nothing', async (_name, kind, randstr) => {
    // Arrange
    const ip = uniqueIp();
    await reachThreshold(platform, ip);
    const used = ticket('ok');
    await send(platform, ip, { captchaTicket: used, captchaRandstr: 'sandbox-randstr' });
    const presented = kind === 'reused' ? used : kind === 'forged' ? `forged-${Date.now()}` : ticket(kind);
    const phone = uniquePhone();

    // Act
    const result = await send(platform, ip, { captchaTicket: presented, captchaRandstr: randstr }, phone);

    // Assert
    expect(result.status).toBe(400);
    expect(result.json).toMatchObject({ success: false, error: { code: 1016, details: [{ field: 'captchaTicket', message: '人机验证未通过,请重试' }] } });
    expect(await sentSms(phone)).toEqual([]);
  });

  it('sends nothing when Tencent Captcha cannot be asked (502, code 6001)', async () => {
    // Arrange
    const ip = uniqueIp();
    await reachThreshold(platform, ip);
    const phone = uniquePhone();
    await setFaults({ captcha: 'error' });

    // Act
    const result = await send(platform, ip, { captchaTicket: ticket('ok'), captchaRandstr: 'sandbox-randstr' }, phone).finally(() => setFaults({ captcha: 'ok' }));

    // Assert
    expect(result.status).toBe(502);
    expect(result.json.error?.code).toBe(6001);
    expect(await sentSms(phone)).toEqual([]);
  });

  it('refuses an over-long ticket as bad input (400, code 1000)', async () => {
    // Act
    const result = await send(platform, uniqueIp(), { captchaTicket: 'x'.repeat(5000), captchaRandstr: 'sandbox-randstr' });

    // Assert
    expect(result.status).toBe(400);
    expect(result.json.error?.code).toBe(1000);
    expect(result.json.error?.details).toEqual([{ field: 'captchaTicket', message: expect.any(String) }]);
  });
});

describe('the Tencent Captcha client against the sandbox', () => {
  const options = () => ({
    secretId: config().TENCENT_SECRET_ID,
    secretKey: config().TENCENT_SECRET_KEY,
    region: config().TENCENT_REGION,
    endpoint: config().TENCENT_API_ENDPOINT,
    captchaAppId: Number(config().CAPTCHA_APP_ID),
    appSecretKey: config().CAPTCHA_APP_SECRET_KEY ?? '',
  });

  it('signs DescribeCaptchaResult with TC3: a wrong SecretKey is refused by the signature check', async () => {
    // Arrange
    const verifier = tencentCaptchaVerifier({ ...options(), secretKey: 'not-the-sandbox-secret-key-000000' });

    // Act
    const attempt = verifier.verify({ ticket: ticket('ok'), randstr: 'sandbox-randstr', userIp: '203.0.113.7' });

    // Assert
    await expect(attempt).rejects.toMatchObject({ name: 'VendorError', vendor: 'captcha', code: 'AuthFailure.SignatureFailure' });
  });

  it('reads CaptchaCode: 1 passes, a wrong AppSecretKey answers 100', async () => {
    // Arrange
    const good = tencentCaptchaVerifier(options());
    const wrongKey = tencentCaptchaVerifier({ ...options(), appSecretKey: 'wrong' });

    // Act
    const passed = await good.verify({ ticket: ticket('ok'), randstr: 'sandbox-randstr', userIp: '203.0.113.7' });
    const refused = await wrongKey.verify({ ticket: ticket('ok'), randstr: 'sandbox-randstr', userIp: '203.0.113.7' });

    // Assert
    expect(passed).toEqual({ passed: true });
    expect(refused).toEqual({ passed: false, captchaCode: 100, captchaMsg: 'appid-secretkey-ticket mismatch', evilLevel: 0 });
  });
});
