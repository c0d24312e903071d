import { createHash, createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-sms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SANDBOX_SMS_APP_ID,
  SANDBOX_TENCENT_SECRET_ID,
  SANDBOX_TENCENT_SECRET_KEY,
} from '../../infra/sandbox/keys';
import { type RunningSandbox, startSandbox } from '../../infra/sandbox/server';

/**
 * The vendor sandbox driven by the real tencentcloud-sdk-nodejs-sms client, plus raw signed requests
 * for what the SDK cannot be made to send (tampered bodies, stale timestamps, garbage headers).
 */
const SmsClient = tencentcloud.sms.v20210111.Client;
type SmsClientInstance = InstanceType<typeof SmsClient>;

let sandbox: RunningSandbox;
let agent: Agent;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  agent = new Agent({ keepAlive: true });
});

afterAll(async () => {
  agent.destroy();
  await sandbox.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
});

function smsClient(credential: { secretId: string; secretKey: string; token?: string }): SmsClientInstance {
  return new SmsClient({
    credential,
    region: 'ap-guangzhou',
    // An explicit agent also keeps the SDK from routing 127.0.0.1 through an http_proxy from the env.
    profile: { httpProfile: { endpoint: `127.0.0.1:${sandbox.port}`, protocol: 'http://', agent } },
  });
}

const sandboxCredential = { secretId: SANDBOX_TENCENT_SECRET_ID, secretKey: SANDBOX_TENCENT_SECRET_KEY };

function sendCodeRequest(phone: string, code = '123456') {
  return {
    PhoneNumberSet: [phone],
    SmsSdkAppId: SANDBOX_SMS_APP_ID,
    TemplateId: '2000001',
    SignName: '测试签名',
    TemplateParamSet: [code, '5'],
  };
}

async function latestSms(phone: string): Promise<Response> {
  return fetch(`${sandbox.url}/_sandbox/sms/latest?phone=${encodeURIComponent(phone)}`);
}

async function postFaults(faults: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

/** An independent TC3-HMAC-SHA256 signer written from vendors.md §5, to cross-check the sandbox's verifier. */
function tc3Authorization(input: {
  body: string;
  timestamp: number;
  secretId?: string;
  secretKey?: string;
}): string {
  const secretId = input.secretId ?? SANDBOX_TENCENT_SECRET_ID;
  const secretKey = input.secretKey ?? SANDBOX_TENCENT_SECRET_KEY;
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const service = 'sms';
  const hashHex = (data: string) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const canonical = ['POST', '/', '', 'content-type:application/json\nhost:127.0.0.1\n', 'content-type;host', hashHex(input.body)].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, hashHex(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

interface TencentEnvelope {
  Response: { Error?: { Code: string; Message: string }; RequestId: string; SendStatusSet?: Array<{ Code: string }> };
}

async function rawTencentCall(body: string, headers: Record<string, string>): Promise<TencentEnvelope> {
  const response = await fetch(`${sandbox.url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
      ...headers,
    },
    body,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as TencentEnvelope;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('sandbox SendSms through the real SDK', () => {
  it('records a sent code that /_sandbox/sms/latest returns', async () => {
    const client = smsClient(sandboxCredential);

    const result = await client.SendSms(sendCodeRequest('+8613800138000', '654321'));

    expect(result.SendStatusSet).toEqual([
      expect.objectContaining({ PhoneNumber: '+8613800138000', Code: 'Ok', Fee: 1, IsoCode: 'CN' }),
    ]);
    expect(result.RequestId).toEqual(expect.any(String));
    const latest = await latestSms('13800138000');
    expect(latest.status).toBe(200);
    expect(await latest.json()).toEqual({ phone: '13800138000', code: '654321', sentAt: expect.any(String) });
  });

  it('returns the newest code when a number was texted twice', async () => {
    const client = smsClient(sandboxCredential);
    await client.SendSms(sendCodeRequest('13800138001', '111111'));

    await client.SendSms(sendCodeRequest('+8613800138001', '222222'));

    const latest = await latestSms('+8613800138001');
    expect(await latest.json()).toMatchObject({ phone: '13800138001', code: '222222' });
  });

  it('answers 404 for a phone that got nothing', async () => {
    const response = await latestSms('13900000000');

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no sms for phone' });
  });

  it('refuses a wrong secret key with AuthFailure.SignatureFailure and sends nothing', async () => {
    const client = smsClient({ secretId: SANDBOX_TENCENT_SECRET_ID, secretKey: 'not-the-sandbox-key' });

    const sending = client.SendSms(sendCodeRequest('13800138000'));

    await expect(sending).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure' });
    expect(sandbox.state.sentSms).toHaveLength(0);
  });

  it('refuses an unknown secret id with AuthFailure.SecretIdNotFound', async () => {
    const client = smsClient({ secretId: 'AKIDunknown', secretKey: SANDBOX_TENCENT_SECRET_KEY });

    const sending = client.SendSms(sendCodeRequest('13800138000'));

    await expect(sending).rejects.toMatchObject({ code: 'AuthFailure.SecretIdNotFound' });
  });

  it('refuses an SmsSdkAppId that is not the sandbox app', async () => {
    const client = smsClient(sandboxCredential);

    const sending = client.SendSms({ ...sendCodeRequest('13800138000'), SmsSdkAppId: '1400999999' });

    await expect(sending).rejects.toMatchObject({ code: 'UnauthorizedOperation.SmsSdkAppIdVerifyFail' });
  });

  it('requires SignName for Mainland numbers', async () => {
    const client = smsClient(sandboxCredential);
    const request = { ...sendCodeRequest('13800138000'), SignName: undefined };

    const sending = client.SendSms(request);

    await expect(sending).rejects.toMatchObject({ code: 'MissingParameter' });
  });

  it('answers an unknown action with InvalidAction', async () => {
    const client = smsClient(sandboxCredential);

    const calling = client.request('NoSuchAction', {});

    await expect(calling).rejects.toMatchObject({ code: 'InvalidAction' });
  });

  it('accepts temporary credentials only with their token', async () => {
    sandbox.state.temporaryCredentials.set('AKIDtemporary', {
      secretId: 'AKIDtemporary',
      secretKey: 'temporaryKey',
      token: 'session-token',
      expiresAt: Date.now() + 60_000,
    });
    const withToken = smsClient({ secretId: 'AKIDtemporary', secretKey: 'temporaryKey', token: 'session-token' });
    const withWrongToken = smsClient({ secretId: 'AKIDtemporary', secretKey: 'temporaryKey', token: 'other' });

    const accepted = await withToken.SendSms(sendCodeRequest('13800138000'));
    const refused = withWrongToken.SendSms(sendCodeRequest('13800138000'));

    expect(accepted.SendStatusSet?.[0]?.Code).toBe('Ok');
    await expect(refused).rejects.toMatchObject({ code: 'AuthFailure.TokenFailure' });
  });

  it('reports fault sms=fail per number and records nothing', async () => {
    await postFaults({ sms: 'fail' });
    const client = smsClient(sandboxCredential);

    const result = await client.SendSms(sendCodeRequest('13800138000'));

    expect(result.SendStatusSet?.[0]?.Code).toBe('LimitExceeded.DeliveryFrequencyLimit');
    expect((await latestSms('13800138000')).status).toBe(404);
  });
});

describe('sandbox TC3 verification on raw requests', () => {
  const originalBody = JSON.stringify(sendCodeRequest('13800138000', '111111'));

  it('accepts a body signed by an independent TC3 implementation', async () => {
    const timestamp = nowSeconds();

    const envelope = await rawTencentCall(originalBody, {
      authorization: tc3Authorization({ body: originalBody, timestamp }),
      'x-tc-timestamp': String(timestamp),
    });

    expect(envelope.Response.Error).toBeUndefined();
    expect(envelope.Response.SendStatusSet?.[0]?.Code).toBe('Ok');
  });

  it('refuses a body that differs from the one signed', async () => {
    const timestamp = nowSeconds();
    const tamperedBody = JSON.stringify(sendCodeRequest('13800138000', '999999'));

    const envelope = await rawTencentCall(tamperedBody, {
      authorization: tc3Authorization({ body: originalBody, timestamp }),
      'x-tc-timestamp': String(timestamp),
    });

    expect(envelope.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
    expect(sandbox.state.sentSms).toHaveLength(0);
  });

  it('refuses a timestamp more than five minutes old with AuthFailure.SignatureExpire', async () => {
    const timestamp = nowSeconds() - 301;

    const envelope = await rawTencentCall(originalBody, {
      authorization: tc3Authorization({ body: originalBody, timestamp }),
      'x-tc-timestamp': String(timestamp),
    });

    expect(envelope.Response.Error?.Code).toBe('AuthFailure.SignatureExpire');
  });

  it('refuses a garbled Authorization header with AuthFailure.InvalidAuthorization', async () => {
    const envelope = await rawTencentCall(originalBody, {
      authorization: 'TC3-HMAC-SHA256 nonsense',
      'x-tc-timestamp': String(nowSeconds()),
    });

    expect(envelope.Response.Error?.Code).toBe('AuthFailure.InvalidAuthorization');
    expect(envelope.Response.RequestId).toEqual(expect.any(String));
  });

  it('answers a correctly signed malformed JSON body with a Tencent error, not a crash', async () => {
    const timestamp = nowSeconds();
    const malformed = '{"PhoneNumberSet": [';

    const envelope = await rawTencentCall(malformed, {
      authorization: tc3Authorization({ body: malformed, timestamp }),
      'x-tc-timestamp': String(timestamp),
    });

    expect(envelope.Response.Error?.Code).toBe('InvalidParameter');
    expect((await fetch(`${sandbox.url}/_sandbox/health`)).status).toBe(200);
  });
});

describe('sandbox control surface', () => {
  it('reports health', async () => {
    const response = await fetch(`${sandbox.url}/_sandbox/health`);

    expect(await response.json()).toEqual({ ok: true });
  });

  it('merges fault settings and resets a key with "ok"', async () => {
    await postFaults({ sms: 'fail' });
    await postFaults({ ci: 'fail', notify: 'drop' });

    const merged = (await (await fetch(`${sandbox.url}/_sandbox/faults`)).json()) as Record<string, string>;
    const afterReset = (await (await postFaults({ sms: 'ok', notify: 'ok' })).json()) as Record<string, string>;

    // Other vendor modules declare faults of their own; only the ones this test touched matter.
    expect(merged).toMatchObject({ runninghub: 'ok', ci: 'fail', moderation: 'pass', garment: 'found', sms: 'fail', notify: 'drop' });
    expect(afterReset).toMatchObject({ runninghub: 'ok', ci: 'fail', moderation: 'pass', garment: 'found', sms: 'ok' });
    expect(afterReset.notify === undefined || afterReset.notify === 'deliver').toBe(true);
  });

  it('rejects an unknown value for a known fault without applying any of the patch', async () => {
    const response = await postFaults({ ci: 'fail', sms: 'sometimes' });

    expect(response.status).toBe(400);
    expect(sandbox.state.fault('ci')).toBe('ok');
  });

  it('rejects a faults body that is not JSON', async () => {
    const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: 'sms=fail' });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: expect.any(String) });
  });

  it('clears sent messages and faults on reset', async () => {
    await smsClient(sandboxCredential).SendSms(sendCodeRequest('13800138000'));
    await postFaults({ moderation: 'block' });

    const response = await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });

    expect(response.status).toBe(200);
    expect((await latestSms('13800138000')).status).toBe(404);
    expect(sandbox.state.fault('moderation')).toBe('pass');
  });

  it('refuses a body over the size cap with 413', async () => {
    const oversized = Buffer.alloc(30 * 1024 * 1024 + 1, 0x20);

    const response = await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'POST', body: oversized });

    expect(response.status).toBe(413);
  });

  it('answers unknown routes with 404 JSON', async () => {
    const response = await fetch(`${sandbox.url}/nowhere`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.any(String) });
  });
});
