import { afterEach, describe, expect, it } from 'vitest';
import * as cancel from '../../functions/task/cancel';
import * as create from '../../functions/task/create';
import * as get from '../../functions/task/get';
import * as retry from '../../functions/task/retry';
import { select } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { platforms, type Platform } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { adminCos, balanceOf, heldTask, ledgerKinds, uploadInput } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/**
 * POST /task/retry/{taskId}: a failed or cancelled task re-run as a new task (new id, the same input
 * bytes under the new task's prefix, the same params, a new hold), idempotent per Idempotency-Key.
 * Every test ends with the ledger invariants.
 */
afterEach(async () => {
  await setFaults({ moderation: 'pass', runninghub: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const BUCKET = { Bucket: 'ai-photo-local-1250000000', Region: 'ap-guangzhou' };

/** A basic_clean task of a new user that failed at moderation (4001, quota back). */
async function failedTask(platform: Platform, quota = 2) {
  const { user, token } = await createUser({ quota });
  const { taskId, key } = await uploadInput(platform, token, jpegImage());
  await setFaults({ moderation: 'block' });
  const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'basic_clean', inputImageUrl: key, params: { template: 'live' } } });
  expect(created.json.error?.code).toBe(4001);
  await setFaults({ moderation: 'pass' });
  return { user, token, taskId, key };
}

const retryCall = (taskId: string, token: string, idempotencyKey?: string) => ({
  method: 'POST',
  path: `/task/retry/${taskId}`,
  token,
  ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
});

async function storedRetry(taskId: string): Promise<{ original_task_id: string | null; input_key: string; params: unknown } | undefined> {
  const [row] = await select<{ original_task_id: string | null; input_key: string; params: unknown }>('SELECT original_task_id, input_key, params FROM tasks WHERE id = ?', [taskId]);
  return row;
}

describe.each(platforms)('task retry on $name', (platform) => {
  it('re-runs a failed task as a new task that ends done: new id, same input bytes and params, a new hold', async () => {
    // Arrange
    const { user, token, taskId, key } = await failedTask(platform);

    // Act
    const answer = await platform.call(retry, retryCall(taskId, token));
    const newTaskId = String(answer.json.data?.taskId);
    const read = await platform.call(get, { method: 'GET', path: `/task/${newTaskId}`, token });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({ status: 'done', originalTaskId: taskId, createdAt: expect.any(String) });
    expect(newTaskId).not.toBe(taskId);
    expect(newTaskId).toMatch(/^task_[A-Za-z0-9]{24}$/);
    const stored = await storedRetry(newTaskId);
    expect(stored?.original_task_id).toBe(taskId);
    expect(stored?.input_key).toBe(`input/${user.id}/${newTaskId}/original.jpg`);
    expect(read.json.data).toMatchObject({ status: 'done', params: { template: 'live' }, inputUrl: stored?.input_key });
    const [copied, source] = await Promise.all([adminCos().getObject({ ...BUCKET, Key: stored?.input_key ?? '' }), adminCos().getObject({ ...BUCKET, Key: key })]);
    expect(Buffer.compare(copied.Body, source.Body)).toBe(0);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await ledgerKinds(newTaskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('re-runs a cancelled model_pose12 with its scene and category', async () => {
    // Arrange
    await setFaults({ runninghub: 'hang' });
    const { token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'dress' } } });
    await platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token });

    // Act
    const answer = await platform.call(retry, retryCall(taskId, token));

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({ status: 'processing', originalTaskId: taskId });
    const read = await platform.call(get, { method: 'GET', path: `/task/${String(answer.json.data?.taskId)}`, token });
    expect(read.json.data?.params).toEqual({ scene: 'street', category: 'dress' });
    await platform.call(cancel, { method: 'POST', path: `/task/cancel/${String(answer.json.data?.taskId)}`, token });
  });

  it('refuses a processing or done task with 1012 (409) and spends nothing', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 2 });
    const processing = await heldTask(user.id, { type: 'basic_clean' });
    const { taskId: doneId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'basic_clean', inputImageUrl: key } });

    // Act
    const whileProcessing = await platform.call(retry, retryCall(processing.id, token));
    const whenDone = await platform.call(retry, retryCall(doneId, token));

    // Assert
    expect(whileProcessing.status).toBe(409);
    expect(whileProcessing.json.error?.code).toBe(1012);
    expect(whenDone.status).toBe(409);
    expect(whenDone.json.error?.code).toBe(1012);
    expect(await balanceOf(user.id)).toBe(0);
    await platform.call(cancel, { method: 'POST', path: `/task/cancel/${processing.id}`, token });
  });

  it('answers 2004 (410) when the input object is gone, and spends nothing', async () => {
    // Arrange
    const { user, token, taskId, key } = await failedTask(platform);
    await adminCos().deleteObject({ ...BUCKET, Key: key });

    // Act
    const answer = await platform.call(retry, retryCall(taskId, token));

    // Assert
    expect(answer.status).toBe(410);
    expect(answer.json.error?.code).toBe(2004);
    expect(await balanceOf(user.id)).toBe(2);
  });

  it('answers another user’s task exactly as a missing one', async () => {
    // Arrange
    const { taskId } = await failedTask(platform);
    const other = await createUser({ quota: 1 });

    // Act
    const foreign = await platform.call(retry, retryCall(taskId, other.token));
    const missing = await platform.call(retry, retryCall('task_doesnotexist1', other.token));

    // Assert
    expect(foreign.status).toBe(404);
    expect(foreign.json.error).toEqual({ ...missing.json.error, requestId: foreign.json.error?.requestId });
    expect(await balanceOf(other.user.id)).toBe(1);
  });

  it('answers the same new task for a repeated Idempotency-Key (spent once per key); another key, or another user’s same key, is a new retry', async () => {
    // Arrange
    const { user, token, taskId } = await failedTask(platform, 3);
    const second = await failedTask(platform);

    // Act
    const first = await platform.call(retry, retryCall(taskId, token, 'retry-key-1'));
    const repeated = await platform.call(retry, retryCall(taskId, token, 'retry-key-1'));
    const otherTask = await platform.call(retry, retryCall(second.taskId, second.token, 'retry-key-1'));
    const reused = await platform.call(retry, retryCall(taskId, token, 'retry-key-2'));

    // Assert
    expect(repeated.json.data).toEqual(first.json.data);
    expect(await balanceOf(user.id)).toBe(1);
    expect(otherTask.status).toBe(200);
    expect(reused.json.data?.taskId).not.toBe(first.json.data?.taskId);
  });

  it('refuses a key already used to retry another task of the same user (1000, Idempotency-Key)', async () => {
    // Arrange
    const { user, token, taskId } = await failedTask(platform, 3);
    const { taskId: secondId, key } = await uploadInput(platform, token, jpegImage());
    await setFaults({ moderation: 'block' });
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'basic_clean', inputImageUrl: key } });
    await setFaults({ moderation: 'pass' });
    await platform.call(retry, retryCall(taskId, token, 'shared-key'));

    // Act
    const answer = await platform.call(retry, retryCall(secondId, token, 'shared-key'));

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.json.error?.details).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    expect(await balanceOf(user.id)).toBe(2);
  });
});

function firstPlatform(): Platform {
  const [first] = platforms;
  if (!first) throw new Error('no platform');
  return first;
}

describe('retry races', () => {
  const platform = firstPlatform();

  it('makes one new task with one hold when 20 retries with one Idempotency-Key race', async () => {
    // Arrange
    const { user, token, taskId } = await failedTask(platform, 5);

    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, () => platform.call(retry, retryCall(taskId, token, 'race-key'))));

    // Assert
    const ids = new Set(answers.map((answer) => answer.json.data?.taskId));
    expect(answers.every((answer) => answer.status === 200 && answer.json.data?.originalTaskId === taskId)).toBe(true);
    expect(ids.size).toBe(1);
    const [newTaskId] = [...ids] as string[];
    const rows = await select<{ id: string }>('SELECT id FROM tasks WHERE original_task_id = ?', [taskId]);
    expect(rows.map((row) => row.id)).toEqual([newTaskId]);
    expect(await ledgerKinds(newTaskId ?? '')).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(4);
  });
});
