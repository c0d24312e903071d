import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import * as cancel from '../../functions/task/cancel';
import * as create from '../../functions/task/create';
import * as events from '../../functions/task/events';
import * as get from '../../functions/task/get';
import * as retry from '../../functions/task/retry';
import * as callback from '../../functions/task/runninghub-callback';
import * as rotate from '../../functions/webhook/rotate-secret';
import * as secret from '../../functions/webhook/secret';
import { execute, select } from '../../shared/db/pool';
import { runningHubLastCheck } from '../../shared/ops/last-check';
import { sweepOverdueTasks } from '../../shared/ops/tasks';
import { clientWebhookRetries } from '../../shared/ops/webhooks';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { taskPorts } from '../../shared/wiring/ports';
import { platforms, type Platform } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { balanceOf, finishRunningHubTask, heldTask, makePollDue, runningHubWebhookCall, taskRow, uploadInput } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/**
 * Signed completion webhooks (issue 10 item 5; shared/tasks/client-webhooks.ts): a receiver on
 * 127.0.0.1 (any URL is allowed locally) checks every delivery with the `standardwebhooks` package,
 * an implementation independent of ours.
 */
interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Receiver {
  readonly url: string;
  readonly deliveries: Delivery[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];

/** A local receiver answering `statuses` in order (the last one repeats). */
async function startReceiver(statuses: readonly number[] = [200]): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(statuses[Math.min(deliveries.length - 1, statuses.length - 1)] ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tasks?source=ai-photo`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  receivers.push(receiver);
  return receiver;
}

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  await setFaults({ moderation: 'pass', runninghub: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const cleanBody = (key: string, callbackUrl: unknown) => ({ type: 'basic_clean', inputImageUrl: key, params: { template: 'white_bg' }, callbackUrl });

/** The independent verifier: throws unless the signature, id and timestamp hold for this secret. */
function verified(secretText: string, delivery: Delivery): Record<string, unknown> {
  const headers = {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  };
  return new Webhook(secretText).verify(delivery.body, headers) as Record<string, unknown>;
}

async function secretOf(platform: Platform, token: string): Promise<string> {
  const answer = await platform.call(secret, { method: 'GET', path: '/webhook/secret', token });
  if (answer.status !== 200) throw new Error(`GET /webhook/secret answered ${answer.status}: ${answer.text}`);
  return String(answer.json.data?.secret);
}

async function createTask(platform: Platform, token: string, callbackUrl: string): Promise<string> {
  const { taskId, key } = await uploadInput(platform, token, jpegImage());
  await platform.call(create, { method: 'POST', path: '/task/create', token, body: cleanBody(key, callbackUrl) });
  return taskId;
}

/** Makes the task's next attempt due now and runs the sweeper's webhook step once. */
async function retryNow(taskId: string): Promise<void> {
  await execute('UPDATE webhook_deliveries SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE task_id = ?', [taskId]);
  await clientWebhookRetries(50, taskPorts).batch(Date.now() + 20_000);
}

async function deliveryRow(taskId: string) {
  const [row] = await select<{ status: string; attempts: number; last_status_code: number | null; webhook_id: string }>(
    'SELECT status, attempts, last_status_code, webhook_id FROM webhook_deliveries WHERE task_id = ?',
    [taskId],
  );
  return row;
}

async function eventKinds(platform: Platform, token: string, taskId: string): Promise<{ kind: string; data?: Record<string, unknown> }[]> {
  const answer = await platform.call(events, { method: 'GET', path: `/task/events/${taskId}`, token });
  return (answer.json.data as unknown as { events: { kind: string; data?: Record<string, unknown> }[] }).events.map(({ kind, data }) => ({ kind, ...(data ? { data } : {}) }));
}

describe.each(platforms)('completion webhooks on $name', (platform) => {
  it('POSTs exactly one signed webhook per finished task (done and failed), verified by standardwebhooks', async () => {
    // Arrange
    const receiver = await startReceiver();
    const { token } = await createUser({ quota: 3 });
    const secretText = await secretOf(platform, token);
    const doneId = await createTask(platform, token, receiver.url);
    await setFaults({ moderation: 'block' });
    const failedId = await createTask(platform, token, receiver.url);

    // Act
    await retryNow(doneId);
    await retryNow(failedId);
    const read = await platform.call(get, { method: 'GET', path: `/task/${doneId}`, token });

    // Assert
    expect(receiver.deliveries).toHaveLength(2);
    const [done, failed] = receiver.deliveries.map((delivery) => verified(secretText, delivery));
    expect(receiver.deliveries.map((delivery) => delivery.headers['webhook-id'])).toEqual([`msg_${doneId}`, `msg_${failedId}`]);
    expect(done).toMatchObject({ id: doneId, type: 'basic_clean', status: 'done', progress: 100, resultUrls: [expect.stringContaining('/result.jpg?')] });
    expect(done).toMatchObject({ inputUrl: read.json.data?.inputUrl, createdAt: read.json.data?.createdAt, resultUrls: [expect.any(String)] });
    expect(failed).toMatchObject({ id: failedId, status: 'failed', errorCode: 4001, errorReason: '内容不符合使用规范,已返还本次次数', resultUrls: null });
    expect(receiver.deliveries[0]?.headers['content-type']).toBe('application/json');
    expect(await deliveryRow(doneId)).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200 });
    expect((await eventKinds(platform, token, doneId)).slice(-1)).toEqual([{ kind: 'webhook_delivered', data: { attempts: 1, statusCode: 200 } }]);
  });

  it('delivers a pose task’s webhook once from the poll that finished it; RunningHub’s webhook and later looks add none', async () => {
    // Arrange
    await setFaults({ runninghub: 'hang' });
    const receiver = await startReceiver();
    const { token } = await createUser({ quota: 1 });
    const secretText = await secretOf(platform, token);
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'dress' }, callbackUrl: receiver.url } });
    const row = await taskRow(taskId);
    await finishRunningHubTask(row?.vendor_task_id ?? '', 'success');

    // Act
    let status: unknown = 'processing';
    while (status === 'processing') {
      await makePollDue(taskId);
      status = (await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token })).json.data?.status;
    }
    const deliveredByPoll = receiver.deliveries.length;
    await platform.call(callback, runningHubWebhookCall(row?.webhook_token ?? '', row?.vendor_task_id ?? ''));
    await retryNow(taskId);

    // Assert
    expect(status).toBe('done');
    expect(deliveredByPoll).toBe(1);
    expect(receiver.deliveries).toHaveLength(1);
    const body = verified(secretText, receiver.deliveries[0] as Delivery);
    expect(body).toMatchObject({ id: taskId, status: 'done', progress: 100 });
    expect(body.resultUrls).toHaveLength(12);
    expect((body.logs as { kind: string }[]).filter((log) => log.kind === 'frames_copied')).toHaveLength(12);
  });

  it('a cancelled task gets one signed webhook and a trail ending cancelled; its retry keeps the callbackUrl unless given one', async () => {
    // Arrange: a pose task still running at RunningHub
    await setFaults({ runninghub: 'hang' });
    const receiver = await startReceiver();
    const other = await startReceiver();
    const { token } = await createUser({ quota: 3 });
    const secretText = await secretOf(platform, token);
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'dress' }, callbackUrl: receiver.url } });

    // Act
    const cancelled = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token });
    const trail = await eventKinds(platform, token, taskId);
    const inherited = await platform.call(retry, { method: 'POST', path: `/task/retry/${taskId}`, token });
    const overridden = await platform.call(retry, { method: 'POST', path: `/task/retry/${taskId}`, token, body: { callbackUrl: other.url } });

    // Assert
    expect(cancelled.json.data?.status).toBe('cancelled');
    expect(receiver.deliveries).toHaveLength(1);
    expect(verified(secretText, receiver.deliveries[0] as Delivery)).toMatchObject({ status: 'cancelled', errorCode: 3004 });
    expect(trail.map((event) => event.kind).slice(-3)).toEqual(['cancelled', 'quota_released', 'webhook_delivered']);
    const retried = await select<{ id: string; callback_url: string | null }>('SELECT id, callback_url FROM tasks WHERE original_task_id = ? ORDER BY created_at', [taskId]);
    expect(retried.map((row) => row.id).sort()).toEqual([String(inherited.json.data?.taskId), String(overridden.json.data?.taskId)].sort());
    expect(retried.find((row) => row.id === inherited.json.data?.taskId)?.callback_url).toBe(receiver.url);
    expect(retried.find((row) => row.id === overridden.json.data?.taskId)?.callback_url).toBe(other.url);
  });

  it('delivers the webhook of a task the sweeper timed out, from its webhook step (the end queued it in the same statement)', async () => {
    // Arrange
    const receiver = await startReceiver();
    const { user, token } = await createUser({ quota: 1 });
    const secretText = await secretOf(platform, token);
    const task = await heldTask(user.id);
    await execute('UPDATE tasks SET callback_url = ?, deadline_at = UTC_TIMESTAMP(3) - INTERVAL 1 MINUTE WHERE id = ?', [receiver.url, task.id]);

    // Act
    await sweepOverdueTasks(50, Date.now() + 20_000, runningHubLastCheck(taskPorts));
    await clientWebhookRetries(50, taskPorts).batch(Date.now() + 20_000);

    // Assert
    expect(receiver.deliveries).toHaveLength(1);
    expect(verified(secretText, receiver.deliveries[0] as Delivery)).toMatchObject({ id: task.id, status: 'failed', errorCode: 3002 });
    expect((await eventKinds(platform, token, task.id)).map((event) => event.kind)).toEqual(['created', 'quota_held', 'input_checked', 'failed', 'quota_released', 'webhook_delivered']);
  });

  it('retries a receiver that fails 3 times with the same webhook-id until it answers 2xx', async () => {
    // Arrange
    const receiver = await startReceiver([500, 503, 404, 204]);
    const { token } = await createUser({ quota: 1 });
    const secretText = await secretOf(platform, token);
    const taskId = await createTask(platform, token, receiver.url);

    // Act
    for (let round = 0; round < 4; round += 1) await retryNow(taskId);

    // Assert
    expect(receiver.deliveries).toHaveLength(4);
    expect(new Set(receiver.deliveries.map((delivery) => delivery.headers['webhook-id']))).toEqual(new Set([`msg_${taskId}`]));
    const bodies = receiver.deliveries.map((delivery) => verified(secretText, delivery));
    expect(bodies.every((body) => JSON.stringify(body) === JSON.stringify(bodies[0]))).toBe(true);
    expect(await deliveryRow(taskId)).toMatchObject({ status: 'delivered', attempts: 4, last_status_code: 204 });
    expect((await eventKinds(platform, token, taskId)).filter((event) => event.kind.startsWith('webhook'))).toEqual([{ kind: 'webhook_delivered', data: { attempts: 4, statusCode: 204 } }]);
  });

  it('gives up after the sixth failed attempt: status failed and a webhook_failed event', async () => {
    // Arrange
    const receiver = await startReceiver([500]);
    const { token } = await createUser({ quota: 1 });
    const taskId = await createTask(platform, token, receiver.url);

    // Act
    for (let round = 0; round < 7; round += 1) await retryNow(taskId);

    // Assert
    expect(receiver.deliveries).toHaveLength(6);
    expect(await deliveryRow(taskId)).toMatchObject({ status: 'failed', attempts: 6, last_status_code: 500 });
    expect((await eventKinds(platform, token, taskId)).slice(-1)).toEqual([{ kind: 'webhook_failed', data: { attempts: 6, statusCode: 500 } }]);
  });

  it('keeps a stable secret; rotating replaces it and later deliveries verify with the new one only', async () => {
    // Arrange
    const receiver = await startReceiver();
    const { token } = await createUser({ quota: 1 });
    const first = await secretOf(platform, token);
    const again = await secretOf(platform, token);

    // Act
    const rotated = await platform.call(rotate, { method: 'POST', path: '/webhook/secret/rotate', token });
    const afterRotation = await secretOf(platform, token);
    await createTask(platform, token, receiver.url);

    // Assert
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(again).toBe(first);
    expect(rotated.status).toBe(200);
    expect(rotated.json.data).toMatchObject({ secret: afterRotation, rotatedAt: expect.stringMatching(/Z$/) });
    expect(afterRotation).not.toBe(first);
    expect(receiver.deliveries).toHaveLength(1);
    const delivery = receiver.deliveries[0] as Delivery;
    expect(verified(afterRotation, delivery)).toMatchObject({ status: 'done' });
    expect(() => verified(first, delivery)).toThrow();
  });

  it.each([
    ['not a URL', 'callback please', 'absolute http(s) URL'],
    ['another scheme', 'ftp://example.com/hook', 'absolute http(s) URL'],
    ['credentials in the URL', 'https://user:pass@example.com/hook', 'without credentials'],
    ['too long', `https://example.com/${'a'.repeat(2030)}`, 'at most 2048'],
    ['not a string', 42, 'must be a string'],
  ])('refuses a callbackUrl that is %s with 1000 and details, spending nothing', async (_why, callbackUrl, message) => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });
    const { key } = await uploadInput(platform, token, jpegImage());

    // Act
    const answer = await platform.call(create, { method: 'POST', path: '/task/create', token, body: cleanBody(key, callbackUrl) });

    // Assert
    expect(answer.status).toBe(400);
    expect(await balanceOf(user.id)).toBe(1);
    expect(answer.json.error).toMatchObject({ code: 1000, details: [{ field: 'callbackUrl', message: expect.stringContaining(message) }] });
  });
});
