import type { Agent } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CosObjectStore } from '../../infra/sandbox/cos-store';
import { SANDBOX_TENCENT_SECRET_ID } from '../../infra/sandbox/keys';
import { type RunningSandbox, startSandbox } from '../../infra/sandbox/server';
import {
  BUCKET,
  REGION,
  TEN_MB,
  type StsClientInstance,
  cosFailure,
  mintUploadKeys,
  newKeepAliveAgent,
  permanentCos,
  productJpeg,
  stsClient,
  temporaryCos,
  uploadPolicy,
} from '../helpers/vendor-clients';

/**
 * STS GetFederationToken and COS objects, driven by the real tencentcloud-sdk-nodejs-sts and
 * cos-nodejs-sdk-v5 clients, exactly as the API and the browser upload will use them.
 */
let sandbox: RunningSandbox;
let agent: Agent;
let sts: StsClientInstance;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, runninghubDelayMs: 200 });
  agent = newKeepAliveAgent();
  sts = stsClient(sandbox, agent);
});

afterAll(async () => {
  agent.destroy();
  await sandbox.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
});

const PREFIX = 'input/u_1/task_abc12345/';

describe('STS GetFederationToken', () => {
  it('mints temporary keys with expiry as the SDK returns them', async () => {
    const before = Math.floor(Date.now() / 1000);

    const response = await sts.GetFederationToken({
      Name: 'upload',
      Policy: encodeURIComponent(JSON.stringify(uploadPolicy(PREFIX))),
      DurationSeconds: 900,
    });

    expect(response.Credentials?.TmpSecretId).toMatch(/^AKID/);
    expect(response.Credentials?.TmpSecretKey).toEqual(expect.any(String));
    expect(response.Credentials?.Token?.length).toBeGreaterThan(40);
    expect(response.ExpiredTime).toBeGreaterThanOrEqual(before + 900);
    expect(response.ExpiredTime).toBeLessThanOrEqual(before + 902);
    expect(response.Expiration).toBe(new Date((response.ExpiredTime ?? 0) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(response.RequestId).toEqual(expect.any(String));
  });

  it('accepts the qcloud-cos-sts "prefix//" resource spelling too', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX, 'prefix'));

    await temporaryCos(sandbox, keys).putObject({
      Bucket: BUCKET,
      Region: REGION,
      Key: `${PREFIX}a.jpg`,
      Body: productJpeg(),
      ContentType: 'image/jpeg',
    });
  });

  it.each([
    ['a principal', { ...uploadPolicyStatement(), principal: { qcs: ['*'] } }],
    ['no action', { effect: 'allow', resource: ['*'] }],
    ['a bad effect', { ...uploadPolicyStatement(), effect: 'maybe' }],
    ['a bad resource', { ...uploadPolicyStatement(), resource: ['bucket/*'] }],
  ])('refuses a policy with %s', async (_label, statement) => {
    const error = await rejection(
      sts.GetFederationToken({
        Name: 'upload',
        Policy: encodeURIComponent(JSON.stringify({ version: '2.0', statement: [statement] })),
      }),
    );

    expect(error.code).toBe('InvalidParameter');
  });

  it('refuses a wrong version, non-JSON policy and out-of-range duration', async () => {
    const call = (Policy: string, DurationSeconds?: number) => rejection(sts.GetFederationToken({ Name: 'u', Policy, DurationSeconds }));

    expect((await call(encodeURIComponent(JSON.stringify({ version: '1.0', statement: [uploadPolicyStatement()] })))).code).toBe(
      'InvalidParameter',
    );
    expect((await call('%7Bnot json')).code).toBe('InvalidParameter');
    expect((await call('%E0%A4%A')).code).toBe('InvalidParameter');
    expect((await call(encodeURIComponent(JSON.stringify(uploadPolicy(PREFIX))), 7201)).code).toBe('InvalidParameterValue');
  });

  it('lets the temporary keys sign Tencent API calls with X-TC-Token (TC3 accepts them)', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    const { sts: stsModule } = await import('tencentcloud-sdk-nodejs-sts');
    const temporaryClient = new stsModule.v20180813.Client({
      credential: { secretId: keys.TmpSecretId, secretKey: keys.TmpSecretKey, token: keys.Token },
      region: REGION,
      profile: { httpProfile: { endpoint: `127.0.0.1:${sandbox.port}`, protocol: 'http://', agent } },
    });

    const again = await mintUploadKeys(temporaryClient, uploadPolicy(PREFIX));

    expect(again.TmpSecretId).not.toBe(keys.TmpSecretId);
  });
});

describe('COS with STS temporary keys (policy enforced)', () => {
  it('PUTs a JPEG under the allowed prefix, and the bytes and type are stored', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    const body = productJpeg();

    const put = await temporaryCos(sandbox, keys).putObject({
      Bucket: BUCKET,
      Region: REGION,
      Key: `${PREFIX}photo.jpg`,
      Body: body,
      ContentType: 'image/jpeg',
    });

    expect(put.statusCode).toBe(200);
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const got = await permanentCos(sandbox).getObject({ Bucket: BUCKET, Region: REGION, Key: `${PREFIX}photo.jpg` });
    expect(Buffer.compare(got.Body, body)).toBe(0);
    expect(got.headers?.['content-type']).toBe('image/jpeg');
  });

  it('refuses a PUT outside the prefix with 403 AccessDenied', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    const cos = temporaryCos(sandbox, keys);

    for (const Key of ['input/u_2/task_abc12345/photo.jpg', 'input/u_1/task_other/photo.jpg', 'photo.jpg']) {
      const error = await cosFailure(cos.putObject({ Bucket: BUCKET, Region: REGION, Key, Body: productJpeg() }));
      expect(error).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
    }
  });

  it('refuses another bucket even with the same prefix', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));

    const error = await cosFailure(
      temporaryCos(sandbox, keys).putObject({ Bucket: 'other-1250000000', Region: REGION, Key: `${PREFIX}a.jpg`, Body: productJpeg() }),
    );

    expect(error).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
  });

  it('refuses GET, HEAD and DELETE (the policy grants PutObject only)', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    const cos = temporaryCos(sandbox, keys);
    const Key = `${PREFIX}photo.jpg`;
    await cos.putObject({ Bucket: BUCKET, Region: REGION, Key, Body: productJpeg() });

    expect(await cosFailure(cos.getObject({ Bucket: BUCKET, Region: REGION, Key }))).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
    expect(await cosFailure(cos.headObject({ Bucket: BUCKET, Region: REGION, Key }))).toMatchObject({ statusCode: 403 });
    expect(await cosFailure(cos.deleteObject({ Bucket: BUCKET, Region: REGION, Key }))).toMatchObject({ statusCode: 403 });
  });

  it('refuses a body over the 10 MB content-length condition, accepts exactly 10 MB', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    const cos = temporaryCos(sandbox, keys);

    const error = await cosFailure(
      cos.putObject({ Bucket: BUCKET, Region: REGION, Key: `${PREFIX}big.jpg`, Body: Buffer.alloc(TEN_MB + 1, 1) }),
    );
    const exact = await cos.putObject({ Bucket: BUCKET, Region: REGION, Key: `${PREFIX}ok.jpg`, Body: Buffer.alloc(TEN_MB, 1) });

    expect(error).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
    expect(exact.statusCode).toBe(200);
  });

  it('refuses expired temporary keys', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    const stored = sandbox.state.temporaryCredentials.get(keys.TmpSecretId);
    if (!stored) throw new Error('keys not remembered');
    sandbox.state.temporaryCredentials.set(keys.TmpSecretId, { ...stored, expiresAt: Date.now() - 1000 });

    const error = await cosFailure(
      temporaryCos(sandbox, keys).putObject({ Bucket: BUCKET, Region: REGION, Key: `${PREFIX}late.jpg`, Body: productJpeg() }),
    );

    expect(error).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
  });

  it('refuses temporary keys without their security token or with a wrong one', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    const noToken = permanentCos(sandbox, keys.TmpSecretKey, keys.TmpSecretId);
    const wrongToken = temporaryCos(sandbox, { ...keys, Token: `${keys.Token}x` });

    const put = { Bucket: BUCKET, Region: REGION, Key: `${PREFIX}a.jpg`, Body: productJpeg() };
    expect(await cosFailure(noToken.putObject(put))).toMatchObject({ statusCode: 403, code: 'InvalidAccessKeyId' });
    expect(await cosFailure(wrongToken.putObject(put))).toMatchObject({ statusCode: 403, code: 'InvalidAccessKeyId' });
  });

  it('forgets temporary keys on reset', async () => {
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));
    await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });

    const error = await cosFailure(
      temporaryCos(sandbox, keys).putObject({ Bucket: BUCKET, Region: REGION, Key: `${PREFIX}a.jpg`, Body: productJpeg() }),
    );

    expect(error).toMatchObject({ statusCode: 403, code: 'InvalidAccessKeyId' });
  });
});

describe('COS with the permanent keys', () => {
  const Key = 'output/u_1/task_abc12345/result.jpg';

  it('PUT, HEAD, GET, copy and DELETE', async () => {
    const cos = permanentCos(sandbox);
    const body = productJpeg();
    await cos.putObject({ Bucket: BUCKET, Region: REGION, Key, Body: body, ContentType: 'image/jpeg' });

    const head = await cos.headObject({ Bucket: BUCKET, Region: REGION, Key });
    expect(head.headers?.['content-length']).toBe(String(body.length));
    expect(head.headers?.['content-type']).toBe('image/jpeg');
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);

    const copy = await cos.putObjectCopy({
      Bucket: BUCKET,
      Region: REGION,
      Key: 'archive/copy.jpg',
      CopySource: `${BUCKET}.cos.${REGION}.myqcloud.com/${Key}`,
    });
    expect(copy.ETag).toBe(head.ETag);
    const copied = await cos.getObject({ Bucket: BUCKET, Region: REGION, Key: 'archive/copy.jpg' });
    expect(Buffer.compare(copied.Body, body)).toBe(0);
    expect(copied.headers?.['content-type']).toBe('image/jpeg');

    await cos.deleteObject({ Bucket: BUCKET, Region: REGION, Key });
    expect(await cosFailure(cos.getObject({ Bucket: BUCKET, Region: REGION, Key }))).toMatchObject({ statusCode: 404, code: 'NoSuchKey' });
    expect(await cosFailure(cos.headObject({ Bucket: BUCKET, Region: REGION, Key }))).toMatchObject({ statusCode: 404 });
  });

  it('keeps keys with spaces, unicode and brackets intact', async () => {
    const cos = permanentCos(sandbox);
    const odd = 'input/u 1/任务 (1)/a+b*c!.jpg';
    await cos.putObject({ Bucket: BUCKET, Region: REGION, Key: odd, Body: Buffer.from('x') });

    const got = await cos.getObject({ Bucket: BUCKET, Region: REGION, Key: odd });

    expect(got.Body.toString()).toBe('x');
  });

  it('copies a missing source as 404 NoSuchKey', async () => {
    const cos = permanentCos(sandbox);
    const copy = (CopySource: string) => cosFailure(cos.putObjectCopy({ Bucket: BUCKET, Region: REGION, Key: 'x.jpg', CopySource }));

    expect(await copy(`${BUCKET}.cos.${REGION}.myqcloud.com/missing.jpg`)).toMatchObject({ statusCode: 404, code: 'NoSuchKey' });
  });

  it('serves presigned GET URLs and verifies them', async () => {
    const cos = permanentCos(sandbox);
    await cos.putObject({ Bucket: BUCKET, Region: REGION, Key, Body: Buffer.from('signed'), ContentType: 'image/jpeg' });
    const url = await signedUrl(cos, Key);

    expect(url.startsWith(`${sandbox.url}/${BUCKET}/`)).toBe(true);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(await response.text()).toBe('signed');

    const tampered = await fetch(url.replace('result.jpg', 'other.jpg'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a presigned URL made with upload-only temporary keys', async () => {
    await permanentCos(sandbox).putObject({ Bucket: BUCKET, Region: REGION, Key: `${PREFIX}a.jpg`, Body: Buffer.from('x') });
    const keys = await mintUploadKeys(sts, uploadPolicy(PREFIX));

    const response = await fetch(await signedUrl(temporaryCos(sandbox, keys), `${PREFIX}a.jpg`));

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('answers anonymous, unknown-key and wrong-secret requests with COS XML errors', async () => {
    const anonymous = await fetch(`${sandbox.url}/${BUCKET}/${Key}`);
    expect(anonymous.status).toBe(403);
    expect(anonymous.headers.get('content-type')).toBe('application/xml');
    expect(anonymous.headers.get('x-cos-request-id')).toEqual(expect.any(String));
    expect(await anonymous.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>.+<\/Message>.*<RequestId>.+<\/RequestId>/);

    const put = { Bucket: BUCKET, Region: REGION, Key, Body: Buffer.from('x') };
    expect(await cosFailure(permanentCos(sandbox, 'wrong-secret').putObject(put))).toMatchObject({
      statusCode: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect(await cosFailure(permanentCos(sandbox, 'k', 'AKIDunknown').putObject(put))).toMatchObject({
      statusCode: 403,
      code: 'InvalidAccessKeyId',
    });
    expect(SANDBOX_TENCENT_SECRET_ID).toMatch(/^AKID/);
  });

  it('answers garbage Authorization headers and odd methods without crashing', async () => {
    const target = `${sandbox.url}/${BUCKET}/${Key}`;
    const garbage = await fetch(target, { headers: { authorization: 'q-sign-algorithm=sha1&q-ak=&q-signature=zz' } });
    const badTime = await fetch(target, {
      headers: {
        authorization: `q-sign-algorithm=sha1&q-ak=${SANDBOX_TENCENT_SECRET_ID}&q-sign-time=9;1&q-key-time=9;1&q-header-list=&q-url-param-list=&q-signature=${'a'.repeat(40)}`,
      },
    });
    const badEncoding = await fetch(`${sandbox.url}/${BUCKET}/%E0%A4%A`);

    expect(garbage.status).toBe(403);
    expect(badTime.status).toBe(403);
    expect(badEncoding.status).toBe(400);
    expect((await fetch(`${sandbox.url}/_sandbox/health`)).status).toBe(200);
  });

  it('leaves non-bucket paths as unknown sandbox routes (404 JSON)', async () => {
    const response = await fetch(`${sandbox.url}/nowhere/at/all`);

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.any(String) });
  });

  it('forgets objects on reset', async () => {
    const cos = permanentCos(sandbox);
    await cos.putObject({ Bucket: BUCKET, Region: REGION, Key, Body: Buffer.from('x') });

    await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });

    expect(await cosFailure(cos.getObject({ Bucket: BUCKET, Region: REGION, Key }))).toMatchObject({ statusCode: 404 });
  });
});

describe('COS object store memory bound', () => {
  it('evicts the oldest objects beyond its byte cap', () => {
    const store = new CosObjectStore(10);
    store.put('b-1250000000', 'one', Buffer.alloc(4), 'x');
    store.put('b-1250000000', 'two', Buffer.alloc(4), 'x');
    store.put('b-1250000000', 'three', Buffer.alloc(4), 'x');

    expect(store.get('b-1250000000', 'one')).toBeUndefined();
    expect(store.get('b-1250000000', 'three')).toBeDefined();
    expect(store.bytes).toBe(8);
  });
});

function uploadPolicyStatement(): Record<string, unknown> {
  const [statement] = (uploadPolicy(PREFIX) as { statement: Record<string, unknown>[] }).statement;
  return { ...statement };
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected the call to fail');
}

function signedUrl(cos: ReturnType<typeof permanentCos>, Key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    cos.getObjectUrl({ Bucket: BUCKET, Region: REGION, Key, Sign: true, Expires: 600 }, (error, data) => {
      if (error) reject(new Error(error.message));
      else resolve(data.Url);
    });
  });
}
