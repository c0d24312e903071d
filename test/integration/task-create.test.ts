import { afterEach, describe, expect, it } from 'vitest';
import * as create from '../../functions/task/create';
import * as get from '../../functions/task/get';
import { select } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { platforms, type Platform } from '../helpers/events';
import { gifImage, jpegImage, pngImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { adminCos, balanceOf, downloadBytes, downloadImage, finishRunningHubTask, ledgerKinds, makePollDue, runningHubOutcomesFor, taskRow, uploadInput, uploadKeys } from '../helpers/tasks';
import { createUser } from '../helpers/users';

afterEach(async () => {
  await setFaults({ runninghub: 'ok', ci: 'ok', moderation: 'pass', garment: 'found' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const createBody = (key: string, type: 'basic_clean' | 'model_pose12' = 'basic_clean') =>
  type === 'basic_clean' ? { type, inputImageUrl: key, params: { template: 'white_bg' } } : { type, inputImageUrl: key, params: { scene: 'street', category: 'dress' } };

async function getTask(platform: Platform, token: string, taskId: string) {
  return platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
}

/** Polls GET /task/{id} (making each poll due) until the task leaves processing. */
async function pollUntilSettled(platform: Platform, token: string, taskId: string) {
  for (;;) {
    await makePollDue(taskId);
    const answer = await getTask(platform, token, taskId);
    if (answer.json.data?.status !== 'processing') return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(platforms)('POST /task/create on $name', (platform) => {
  it('runs basic_clean synchronously: done, one result URL that downloads a real JPEG, hold confirmed', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 3 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage({ width: 96, height: 64 }));

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key) });
    const read = await getTask(platform, token, taskId);

    // Assert
    expect(created.status).toBe(200);
    expect(created.json.data).toEqual({ taskId, status: 'done', createdAt: expect.stringMatching(/Z$/) });
    expect(read.json.data).toEqual({
      id: taskId,
      type: 'basic_clean',
      status: 'done',
      inputUrl: key,
      resultUrls: [expect.stringContaining(`/output/${user.id}/${taskId}/result.jpg?`)],
      resultKeys: [`output/${user.id}/${taskId}/result.jpg`],
      params: { template: 'white_bg' },
      createdAt: created.json.data?.createdAt,
      updatedAt: expect.stringMatching(/Z$/),
      // Extensions (issue 10, the event trail): how far along it is and what happened, in Chinese.
      progress: 100,
      logs: expect.arrayContaining([expect.objectContaining({ kind: 'done', message: '任务完成' })]),
    });
    const resultUrls = read.json.data?.resultUrls as string[];
    expect(await downloadImage(resultUrls[0] ?? '')).toEqual({ format: 'jpeg', width: 96, height: 64 });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(2);
  });

  it('accepts a PNG and answers a repeated create with the same task, spending nothing', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 3 });
    const { taskId, key } = await uploadInput(platform, token, pngImage(), 'shirt.png');
    const first = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key) });

    // Act
    const again = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key) });

    // Assert
    expect(first.json.data?.status).toBe('done');
    expect(again.status).toBe(200);
    expect(again.json.data).toEqual(first.json.data);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(2);
  });

  it('starts model_pose12 (processing, 19-digit vendor id) and finishes with 12 JPEG frames in COS', async () => {
    // Arrange
    await setFaults({ runninghub: 'hang' });
    const { user, token } = await createUser({ quota: 2 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'model_pose12') });
    const whileRunning = await getTask(platform, token, taskId);
    const row = await taskRow(taskId);
    await finishRunningHubTask(row?.vendor_task_id ?? '', 'success');
    const finished = await pollUntilSettled(platform, token, taskId);

    // Assert
    expect(created.json.data).toEqual({ taskId, status: 'processing', createdAt: expect.any(String) });
    expect(row?.vendor_task_id).toMatch(/^\d{19}$/);
    expect(whileRunning.json.data).toMatchObject({ status: 'processing', resultUrls: null, params: { scene: 'street', category: 'dress' } });
    expect(finished.json.data?.status).toBe('done');
    const urls = finished.json.data?.resultUrls as string[];
    expect(urls).toHaveLength(12);
    urls.forEach((url, index) => expect(url).toContain(`/output/${user.id}/${taskId}/frame_${String(index + 1).padStart(2, '0')}.jpg?`));
    // RunningHub serves PNGs; Cloud Infinite converted each one on upload.
    const heads = await Promise.all(urls.map(async (url) => (await downloadBytes(url)).subarray(0, 3).toString('hex')));
    expect(heads).toEqual(Array.from({ length: 12 }, () => 'ffd8ff'));
    expect(await downloadImage(urls[11] ?? '')).toEqual({ format: 'jpeg', width: 384, height: 512 });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('fails model_pose12 with 3003 and returns the quota when RunningHub fails the run', async () => {
    // Arrange
    await setFaults({ runninghub: 'fail' });
    const { user, token } = await createUser({ quota: 2 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'model_pose12') });
    await finishRunningHubTask((await taskRow(taskId))?.vendor_task_id ?? '');

    // Act
    const failed = await pollUntilSettled(platform, token, taskId);

    // Assert
    // The contract's message only: the vendor's reason stays in tasks.error_detail and the logs.
    expect(failed.json.data).toMatchObject({ status: 'failed', errorCode: 3003, errorReason: 'AI服务暂时不可用,请重试', resultUrls: null });
    expect((await select<{ error_detail: string }>('SELECT error_detail FROM tasks WHERE id = ?', [taskId]))[0]?.error_detail).toMatch(/^runninghub: /);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(2);
  });

  it.each([
    { type: 'model_pose12', seconds: 600 },
    { type: 'basic_clean', seconds: 120 },
  ] as const)('gives a created $type task a deadline $seconds s after its creation', async ({ type, seconds }) => {
    // Arrange
    await setFaults({ runninghub: 'hang' });
    const { token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, type) });

    // Assert
    expect(created.status).toBe(200);
    const [row] = await select<{ span: number | string; lag: number | string }>(
      'SELECT TIMESTAMPDIFF(MICROSECOND, created_at, deadline_at) / 1000000 AS span, TIMESTAMPDIFF(MICROSECOND, NOW(3), deadline_at) / 1000000 AS lag FROM tasks WHERE id = ?',
      [taskId],
    );
    expect(Math.abs(Number(row?.span) - seconds)).toBeLessThan(1);
    expect(Math.abs(Number(row?.lag) - seconds)).toBeLessThan(5);
  });

  it.each([
    { fault: 'node_errors', why: 'RunningHub reports node_errors at create' },
    { fault: 'queue_maxed', why: 'the RunningHub queue stays full' },
  ])('fails model_pose12 at create with 3003 (502) and returns the quota when $why', async ({ fault }) => {
    // Arrange
    await setFaults({ runninghub: fault });
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'model_pose12') });
    const read = await getTask(platform, token, taskId);

    // Assert
    expect([created.status, created.json.error?.code]).toEqual([502, 3003]);
    expect(read.json.data).toMatchObject({ status: 'failed', errorCode: 3003, resultUrls: null });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
    // A run RunningHub accepted but that cannot succeed is cancelled; a full queue made none
    expect(await runningHubOutcomesFor(taskId)).toEqual(fault === 'node_errors' ? ['cancelled'] : []);
  });

  it('retries a full RunningHub queue once and starts the run', async () => {
    // Arrange
    await setFaults({ runninghub: 'queue_maxed_once' });
    const { token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'model_pose12') });

    // Assert
    expect(created.json.data?.status).toBe('processing');
    expect((await taskRow(taskId))?.vendor_task_id).toMatch(/^\d{19}$/);
  });

  it.each([
    { fault: { moderation: 'block' }, status: 422, code: 4001 },
    { fault: { moderation: 'review' }, status: 422, code: 4001 },
    { fault: { garment: 'none' }, status: 400, code: 2003 },
    { fault: { ci: 'fail' }, status: 502, code: 3001 },
  ] as { fault: Record<string, string>; status: number; code: number }[])('answers $code after the hold when $fault, with the task failed and the quota back', async ({ fault, status, code }) => {
    // Arrange
    await setFaults(fault);
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key) });
    const read = await getTask(platform, token, taskId);
    const again = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key) });

    // Assert
    expect([created.status, created.json.error?.code]).toEqual([status, code]);
    expect(read.json.data).toMatchObject({ id: taskId, status: 'failed', errorCode: code, errorReason: expect.any(String), resultUrls: null });
    expect(again.json.data).toEqual({ taskId, status: 'failed', createdAt: expect.any(String) });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('gives up on a processing call that would outlive the function: 3001 in time, task failed, quota back', async () => {
    // Arrange: processing answers after 5 s; the platform gives the function 4 s
    await setFaults({ ci: 'slow' });
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    const startedAt = Date.now();

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key), timeLimitMs: 4_000 });
    const answeredAfterMs = Date.now() - startedAt;

    // Assert: answered before the platform's limit, with the outcome recorded by this invocation
    expect([created.status, created.json.error?.code]).toEqual([502, 3001]);
    expect(answeredAfterMs).toBeLessThan(4_000);
    expect((await getTask(platform, token, taskId)).json.data).toMatchObject({ status: 'failed', errorCode: 3001 });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('refuses a GIF named .jpg with 2001 before holding anything', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, gifImage(), 'photo.jpg');

    // Act
    const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key) });

    // Assert
    expect([created.status, created.json.error?.code]).toEqual([400, 2001]);
    expect(await taskRow(taskId)).toBeUndefined();
    expect(await ledgerKinds(taskId)).toEqual([]);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('refuses an object over 10 MB with 2002 and a missing object with a clear 400', async () => {
    // Arrange: the STS policy keeps big uploads out, so this one comes in with the permanent keys
    const { user, token } = await createUser({ quota: 1 });
    const keys = await uploadKeys(platform, token);
    const bigKey = `${keys.allowPrefix}big.jpg`;
    await adminCos().putObject({ Bucket: keys.bucket, Region: keys.region, Key: bigKey, Body: jpegImage({ padTo: 11 * 1024 * 1024 }) });

    // Act
    const big = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(bigKey) });
    const missing = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(`${keys.allowPrefix}nothing.jpg`) });

    // Assert
    expect([big.status, big.json.error?.code]).toEqual([400, 2002]);
    expect([missing.status, missing.json.error?.code]).toEqual([400, 1000]);
    expect(missing.json.error?.details).toEqual([{ field: 'inputImageUrl', message: expect.stringContaining('upload') }]);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('refuses non-members (1002) and members without quota (1003) before anything else', async () => {
    // Arrange
    const member = await createUser({ quota: 1 });
    const { key } = await uploadInput(platform, member.token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token: member.token, body: createBody(key) });
    const second = await uploadInput(platform, member.token, jpegImage());
    const stranger = await createUser();

    // Act
    const noQuota = await platform.call(create, { method: 'POST', path: '/task/create', token: member.token, body: createBody(second.key) });
    const notMember = await platform.call(create, { method: 'POST', path: '/task/create', token: stranger.token, body: createBody(`input/${stranger.user.id}/task_strangers1/a.jpg`) });

    // Assert
    expect([noQuota.status, noQuota.json.error?.code]).toEqual([403, 1003]);
    expect([notMember.status, notMember.json.error?.code]).toEqual([403, 1002]);
    expect(await taskRow(second.taskId)).toBeUndefined();
  });

  it('validates the body and names each bad field', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });

    // Act
    const badType = await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'upscale', inputImageUrl: 'x' } });
    const badParams = await platform.call(create, {
      method: 'POST',
      path: '/task/create',
      token,
      body: { type: 'model_pose12', inputImageUrl: `input/${user.id}/task_abcdefgh/a.jpg`, params: { scene: 'moon', category: 'dress' } },
    });
    const traversal = await platform.call(create, { method: 'POST', path: '/task/create', token, body: createBody(`input/${user.id}/task_abcdefgh/../../x.jpg`) });

    // Assert
    expect([badType.status, badType.json.error?.code]).toEqual([400, 1000]);
    expect(badParams.json.error?.details).toEqual([{ field: 'params.scene', message: expect.stringContaining('street') }]);
    expect(traversal.json.error?.details).toEqual([{ field: 'inputImageUrl', message: expect.any(String) }]);
  });
});
