import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as jpeg from 'jpeg-js';
import { Webhook } from 'standardwebhooks';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jpegImage } from '../helpers/images';
import { api, stackLedgerProblems, startStack, type RunningStack } from '../helpers/stack';
import { buyWithAlipay, logIn, quotaOf, sandboxCall, uploadPhoto } from '../helpers/stack-steps';
import { browserCos } from '../helpers/tasks';

/**
 * The "done when" against `npm run dev`: log in, buy, get upload keys, upload a real JPEG
 * with cos-nodejs-sdk-v5, run basic_clean and model_pose12 to done, and see the quota move
 * 100 → 98; RunningHub calls the webhook back over HTTP on the dev gateway.
 */
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ SANDBOX_RUNNINGHUB_DELAY_MS: '300' });
});

afterEach(async () => {
  expect(await stackLedgerProblems(stack)).toEqual([]);
});

afterAll(async () => {
  await stack?.stop();
});

const sandbox = (path: string, body?: unknown) => sandboxCall(stack, path, body);

async function loginAndBuy(phone: string): Promise<string> {
  const token = await logIn(stack, phone);
  const bought = await buyWithAlipay(stack, token);
  expect([bought.pageStatus, bought.paid.status, bought.paid.text]).toEqual([200, 200, 'success']);
  return token;
}

const upload = (token: string) => uploadPhoto(stack, token);
const quota = (token: string) => quotaOf(stack, token);

async function decode(url: string): Promise<{ width: number; height: number }> {
  const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
  return bytes[0] === 0xff ? jpeg.decode(bytes, { useTArray: true }) : PNG.sync.read(bytes);
}

async function waitForSettled(token: string, taskId: string) {
  for (;;) {
    const answer = await api(stack.api, 'GET', `/task/${taskId}`, { token });
    if (answer.json.data?.status !== 'processing') return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('uploads and tasks on the local stack (npm run dev)', () => {
  it('buys, uploads with STS keys, runs basic_clean and model_pose12 to done, spends 2 of 100', async () => {
    // Arrange
    const token = await loginAndBuy('13800138001');
    const before = await quota(token);

    // Act: basic_clean
    const first = await upload(token);
    const outside = await browserCos(first.keys)
      .putObject({ Bucket: first.keys.bucket, Region: first.keys.region, Key: `input/someoneelse/${first.keys.taskId}/x.jpg`, Body: jpegImage() })
      .then(() => 200, (error: { statusCode?: number }) => error.statusCode);
    const clean = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'basic_clean', inputImageUrl: first.key, params: { template: 'white_bg' } } });
    const cleanRead = await api(stack.api, 'GET', `/task/${first.keys.taskId}`, { token });

    // Act: model_pose12
    const second = await upload(token);
    const pose = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'model_pose12', inputImageUrl: second.key, params: { scene: 'street', category: 'hoodie' } } });
    const poseDone = await waitForSettled(token, second.keys.taskId);

    // Act: the first task again
    const repeat = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'basic_clean', inputImageUrl: first.key, params: { template: 'white_bg' } } });
    const after = await quota(token);

    // Assert
    expect(before).toBe(100);
    expect(outside).toBe(403);
    expect(clean.json.data).toMatchObject({ taskId: first.keys.taskId, status: 'done' });
    const cleanUrls = cleanRead.json.data?.resultUrls as string[];
    expect(cleanUrls).toHaveLength(1);
    expect(await decode(cleanUrls[0] ?? '')).toMatchObject({ width: 160, height: 120 });
    expect(pose.json.data).toMatchObject({ taskId: second.keys.taskId, status: 'processing' });
    expect(poseDone.json.data?.status).toBe('done');
    const frames = poseDone.json.data?.resultUrls as string[];
    expect(frames).toHaveLength(12);
    for (const url of frames) expect((await decode(url)).width).toBeGreaterThan(0);
    expect(repeat.json.data).toEqual(clean.json.data);
    expect(after).toBe(98);
  });

  it('lets the RunningHub webhook finish a task over HTTP before anyone polls', async () => {
    // Arrange
    const token = await loginAndBuy('13800138002');
    const { keys, key } = await upload(token);

    // Act: create, then only watch the sandbox until its webhook delivery was answered
    await api(stack.api, 'POST', '/task/create', { token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'indoor', category: 'coat' } } });
    let delivered: { status?: number } | undefined;
    while (!delivered) {
      const tasks = (await sandbox('/_sandbox/runninghub/tasks')).json.tasks as { webhookUrl: string | null; webhookDeliveries: { status?: number }[] }[];
      delivered = tasks.find((task) => task.webhookUrl?.includes('/task/runninghub-callback?token='))?.webhookDeliveries.find((delivery) => delivery.status !== undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const read = await api(stack.api, 'GET', `/task/${keys.taskId}`, { token });

    // Assert
    expect(delivered.status).toBe(200);
    expect(read.json.data?.status).toBe('done');
  });

  it('shows a pose task’s trail (vendor progress, 12 frames in order) and POSTs one signed webhook to a local receiver', async () => {
    // Arrange: a receiver on this machine (any URL is allowed locally) and a run that waits to be finished
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const token = await loginAndBuy('13800138004');
    const secret = String((await api(stack.api, 'GET', '/webhook/secret', { token })).json.data?.secret);
    const { keys, key } = await upload(token);
    await sandbox('/_sandbox/faults', { runninghub: 'hang' });

    // Act: create, poll until RunningHub says it runs, finish the run, poll to the end
    await api(stack.api, 'POST', '/task/create', { token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'studio', category: 'dress' }, callbackUrl } });
    const kinds = async () => ((await api(stack.api, 'GET', `/task/events/${keys.taskId}`, { token })).json.data?.events as { kind: string }[]).map((event) => event.kind);
    // Each GET /task/{id} is a poll (at most one RunningHub check per poll interval); the trail records what it heard.
    for (;;) {
      await api(stack.api, 'GET', `/task/${keys.taskId}`, { token });
      if ((await kinds()).includes('vendor_running')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const running = (await sandbox('/_sandbox/runninghub/tasks')).json.tasks as { taskId: string; outcome: string | null; nodeInfoList: unknown }[];
    const vendorTask = running.find((task) => JSON.stringify(task.nodeInfoList).includes(keys.taskId));
    await sandbox('/_sandbox/runninghub/finish', { taskId: vendorTask?.taskId, outcome: 'success' });
    await sandbox('/_sandbox/faults', { runninghub: 'ok' });
    const done = await waitForSettled(token, keys.taskId);
    while (!(await kinds()).includes('webhook_delivered')) await new Promise((resolve) => setTimeout(resolve, 200));
    receiver.close();

    // Assert
    expect(done.json.data).toMatchObject({ status: 'done', progress: 100 });
    const trail = (await kinds()).filter((kind) => kind !== 'vendor_queued');
    expect(trail).toEqual([
      'created',
      'quota_held',
      'input_checked',
      'moderation',
      'vendor_submitted',
      'vendor_running',
      ...Array.from({ length: 12 }, () => 'frames_copied'),
      'done',
      'quota_confirmed',
      'webhook_delivered',
    ]);
    expect(received).toHaveLength(1);
    const delivery = received[0] as { headers: Record<string, string>; body: string };
    const verified = new Webhook(secret).verify(delivery.body, delivery.headers) as Record<string, unknown>;
    expect(verified).toMatchObject({ id: keys.taskId, status: 'done' });
    expect(delivery.headers['webhook-id']).toBe(`msg_${keys.taskId}`);
  });

  it('fails a RunningHub run with 3003 and gives the quota back', async () => {
    // Arrange
    const token = await loginAndBuy('13800138003');
    const { keys, key } = await upload(token);
    await sandbox('/_sandbox/faults', { runninghub: 'fail' });

    // Act
    await api(stack.api, 'POST', '/task/create', { token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'shoes' } } });
    const failed = await waitForSettled(token, keys.taskId);
    await sandbox('/_sandbox/faults', { runninghub: 'ok' });

    // Assert
    expect(failed.json.data).toMatchObject({ status: 'failed', errorCode: 3003 });
    expect(await quota(token)).toBe(100);
  });
});
