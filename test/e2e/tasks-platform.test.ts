import Ajv from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jpegImage } from '../helpers/images';
import { api, stackLedgerProblems, startStack, type RunningStack } from '../helpers/stack';
import { browserCos } from '../helpers/tasks';
import type { UploadKeys } from '../../shared/media/sts';

/**
 * Issue 10's "done when" against `npm run dev`: the catalogue's schema accepts what create accepts
 * and refuses what it refuses; a model_pose12 cancelled mid-run ends cancelled with its quota back and
 * its RunningHub run cancelled in the sandbox; a failed task retried ends done with a new id.
 * RunningHub runs take 10 minutes here, so a run is always mid-run when it is cancelled.
 */
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ SANDBOX_RUNNINGHUB_DELAY_MS: '600000' });
});

afterEach(async () => {
  await sandbox('/_sandbox/faults', { moderation: 'pass' });
  expect(await stackLedgerProblems(stack)).toEqual([]);
});

afterAll(async () => {
  await stack?.stop();
});

async function sandbox(path: string, body?: unknown) {
  const response = await fetch(`${stack.sandbox}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function loginAndBuy(phone: string): Promise<string> {
  await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
  const sms = await sandbox(`/_sandbox/sms/latest?phone=${phone}`);
  const login = await api(stack.api, 'POST', '/auth/login', { body: { phone, code: sms.json.code } });
  const token = String(login.json.data?.token);
  const purchase = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'alipay' } });
  const payParams = purchase.json.data?.payParams as { payUrl: string };
  expect((await fetch(payParams.payUrl)).status).toBe(200);
  const paid = await fetch(`${stack.sandbox}/_sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: purchase.json.data?.orderId }) });
  expect(paid.status).toBe(200);
  return token;
}

async function upload(token: string): Promise<string> {
  const sts = await api(stack.api, 'GET', '/media/sts', { token });
  const keys = sts.json.data as unknown as UploadKeys;
  const key = `${keys.allowPrefix}original.jpg`;
  await browserCos(keys).putObject({ Bucket: keys.bucket, Region: keys.region, Key: key, Body: jpegImage({ width: 160, height: 120 }), ContentType: 'image/jpeg' });
  return key;
}

async function quota(token: string): Promise<unknown> {
  return (await api(stack.api, 'GET', '/auth/me', { token })).json.data?.quota_remaining;
}

describe('tasks as a platform on the local stack (npm run dev)', () => {
  it('serves a catalogue whose schema accepts what create accepts and refuses what it refuses', async () => {
    // Arrange
    const token = await loginAndBuy('13700000101');
    const key = await upload(token);
    const catalogue = await api(stack.api, 'GET', '/abilities');
    const abilities = (catalogue.json.data?.abilities ?? []) as { id: string; inputSchema: Record<string, unknown> }[];
    const ajv = new Ajv();
    const accepts = (body: unknown) => abilities.some((ability) => ajv.validate(ability.inputSchema, body) === true);
    const refused = [
      { type: 'basic_clean', inputImageUrl: key, params: { template: 'beach' } },
      { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street' } },
      { type: 'video', inputImageUrl: key },
    ];
    const accepted = { type: 'basic_clean', inputImageUrl: key, params: { template: 'studio' } };

    // Act
    const refusals = await Promise.all(refused.map((body) => api(stack.api, 'POST', '/task/create', { token, body })));
    const created = await api(stack.api, 'POST', '/task/create', { token, body: accepted });

    // Assert
    expect(abilities.map((ability) => ability.id)).toEqual(['basic_clean', 'model_pose12']);
    expect(refused.map(accepts)).toEqual([false, false, false]);
    expect(refusals.map((answer) => answer.status)).toEqual([400, 400, 400]);
    expect(accepts(accepted)).toBe(true);
    expect(created.json.data?.status).toBe('done');
  });

  it('cancels a model_pose12 mid-run: cancelled, quota back, the RunningHub run cancelled in the sandbox', async () => {
    // Arrange
    const token = await loginAndBuy('13700000102');
    const key = await upload(token);
    const created = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'studio', category: 'coat' } } });
    const taskId = String(created.json.data?.taskId);
    const quotaWhileRunning = await quota(token);

    // Act
    const cancelled = await api(stack.api, 'POST', `/task/cancel/${taskId}`, { token });

    // Assert
    expect(created.json.data?.status).toBe('processing');
    expect(cancelled.json.data).toMatchObject({ id: taskId, status: 'cancelled', errorCode: 3004 });
    expect([quotaWhileRunning, await quota(token)]).toEqual([99, 100]);
    const runs = (await sandbox('/_sandbox/runninghub/tasks')).json.tasks as { nodeInfoList: unknown; outcome: string | null; cancelCalls: number }[];
    const run = runs.find((candidate) => JSON.stringify(candidate.nodeInfoList).includes(taskId));
    expect([run?.outcome, run?.cancelCalls]).toEqual(['cancelled', 1]);
  });

  it('retries a failed task: it ends done with a new id', async () => {
    // Arrange
    const token = await loginAndBuy('13700000103');
    const key = await upload(token);
    await sandbox('/_sandbox/faults', { moderation: 'block' });
    const failed = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'basic_clean', inputImageUrl: key } });
    await sandbox('/_sandbox/faults', { moderation: 'pass' });
    const originalTaskId = key.split('/')[2];

    // Act
    const retried = await api(stack.api, 'POST', `/task/retry/${originalTaskId}`, { token });
    const read = await api(stack.api, 'GET', `/task/${String(retried.json.data?.taskId)}`, { token });

    // Assert
    expect(failed.json.error?.code).toBe(4001);
    expect(retried.json.data).toMatchObject({ status: 'done', originalTaskId });
    expect(retried.json.data?.taskId).not.toBe(originalTaskId);
    expect(read.json.data?.status).toBe('done');
    expect(await quota(token)).toBe(99);
  });
});
