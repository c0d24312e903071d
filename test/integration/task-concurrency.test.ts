import { afterEach, describe, expect, it } from 'vitest';
import * as callback from '../../functions/task/runninghub-callback';
import * as create from '../../functions/task/create';
import * as get from '../../functions/task/get';
import { execute, select } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { advanceTask } from '../../shared/tasks/lifecycle';
import { taskPorts } from '../../shared/wiring/ports';
import { platforms, type Platform } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { balanceOf, finishRunningHubTask, ledgerKinds, makePollDue, putWithKeys, runningHubCalls, runningHubWebhookCall, seedInput, storedTask, taskRow, uploadInput, uploadKeys } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/**
 * Races that must end in exactly one outcome: parallel creates against a small quota, parallel
 * polls of a finishing task, and the webhook against polls. Every test ends with the ledger
 * invariants (balance = ledger sum, never negative, one hold and at most one resolution).
 */
function firstPlatform(): Platform {
  const [first] = platforms;
  if (!first) throw new Error('no platform');
  return first;
}
const platform = firstPlatform();

afterEach(async () => {
  await setFaults({ runninghub: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const poseBody = (key: string) => ({ type: 'model_pose12', inputImageUrl: key, params: { scene: 'studio', category: 'coat' } });

/** A model_pose12 task whose RunningHub run has just succeeded (or failed) but nobody has looked yet. */
async function finishedAtVendor(outcome: 'success' | 'fail') {
  await setFaults({ runninghub: 'hang' });
  const { user, token } = await createUser({ quota: 1 });
  const { taskId, key } = await uploadInput(platform, token, jpegImage());
  const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: poseBody(key) });
  expect(created.json.data?.status).toBe('processing');
  const row = await taskRow(taskId);
  await finishRunningHubTask(row?.vendor_task_id ?? '', outcome);
  await makePollDue(taskId);
  return { user, token, taskId, webhookToken: row?.webhook_token ?? '', vendorTaskId: row?.vendor_task_id ?? '' };
}

async function outputObjects(userId: string, taskId: string): Promise<number> {
  // Result keys are what the completion wrote; counting them per task shows one set of frames.
  const rows = await select<{ result_keys: unknown }>('SELECT result_keys FROM tasks WHERE id = ? AND user_id = ?', [taskId, userId]);
  const keys: unknown = typeof rows[0]?.result_keys === 'string' ? JSON.parse(rows[0].result_keys) : rows[0]?.result_keys;
  return Array.isArray(keys) ? keys.length : 0;
}

describe('task races', () => {
  it('lets exactly 5 of 50 parallel creates through with quota 5: 5 tasks, balance 0, never negative', async () => {
    // Arrange: 50 uploads, each under its own task id
    const { user, token } = await createUser({ quota: 5 });
    const inputs = await Promise.all(Array.from({ length: 50 }, () => seedInput(user.id, jpegImage())));

    // Act
    const answers = await Promise.all(
      inputs.map(({ key }) => platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'basic_clean', inputImageUrl: key } })),
    );

    // Assert
    const accepted = answers.filter((answer) => answer.status === 200);
    expect(accepted).toHaveLength(5);
    expect(accepted.every((answer) => answer.json.data?.status === 'done')).toBe(true);
    expect(answers.filter((answer) => answer.json.error?.code === 1003)).toHaveLength(45);
    const [count] = await select<{ tasks: number }>('SELECT COUNT(*) AS tasks FROM tasks WHERE user_id = ?', [user.id]);
    expect(Number(count?.tasks)).toBe(5);
    expect(await balanceOf(user.id)).toBe(0);
  });

  it('creates one task and holds once when 20 creates of one task id race', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 5 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());

    // Act
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'basic_clean', inputImageUrl: key } })),
    );

    // Assert
    expect(answers.every((answer) => answer.status === 200 && answer.json.data?.taskId === taskId)).toBe(true);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(4);
  });

  it('completes once when 20 polls of a finishing task race: one done, one confirm, frames copied once', async () => {
    // Arrange
    const { user, token, taskId, vendorTaskId } = await finishedAtVendor('success');

    // Act
    const polls = await Promise.all(Array.from({ length: 20 }, () => platform.call(get, { method: 'GET', path: `/task/${taskId}`, token })));

    // Assert: the poll throttle lets one poll ask RunningHub; it copies and completes. Polls
    // that read the row after that see done too, the rest still see processing.
    const statuses = polls.map((poll) => poll.json.data?.status);
    expect(statuses.filter((status) => status === 'done').length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 'done' || status === 'processing')).toBe(true);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await outputObjects(user.id, taskId)).toBe(12);
    expect(await runningHubCalls(vendorTaskId)).toEqual({ outputsCalls: 1, fileDownloads: 12 });
    expect(await balanceOf(user.id)).toBe(0);
  });

  it('asks RunningHub at most once per 3 s however many polls arrive (the DB throttle, no test shortcut)', async () => {
    // Arrange: a running task whose first check has become due by waiting, not by makePollDue
    await setFaults({ runninghub: 'hang' });
    const { token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: poseBody(key) });
    const vendorTaskId = (await taskRow(taskId))?.vendor_task_id ?? '';
    const early = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
    const beforeDue = await runningHubCalls(vendorTaskId);
    await new Promise((resolve) => setTimeout(resolve, 3_100));

    // Act
    const polls = await Promise.all(Array.from({ length: 20 }, () => platform.call(get, { method: 'GET', path: `/task/${taskId}`, token })));
    const afterBurst = await runningHubCalls(vendorTaskId);
    const again = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
    const afterAgain = await runningHubCalls(vendorTaskId);

    // Assert
    expect(early.json.data?.status).toBe('processing');
    expect(beforeDue.outputsCalls).toBe(0);
    expect(polls.every((poll) => poll.status === 200 && poll.json.data?.status === 'processing')).toBe(true);
    expect(afterBurst.outputsCalls).toBe(1);
    expect(again.json.data?.status).toBe('processing');
    expect(afterAgain.outputsCalls).toBe(1);
    expect(await ledgerKinds(taskId)).toEqual(['hold']);
  });

  it('keeps the throttle for polls of an overdue task: one last check, then the timeout', async () => {
    // Arrange: a hanging run past its deadline, checked less than 3 s ago
    await setFaults({ runninghub: 'hang' });
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: poseBody(key) });
    const vendorTaskId = (await taskRow(taskId))?.vendor_task_id ?? '';
    await execute('UPDATE tasks SET deadline_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [taskId]);

    // Act
    const throttled = await Promise.all(Array.from({ length: 20 }, () => platform.call(get, { method: 'GET', path: `/task/${taskId}`, token })));
    const whileThrottled = await runningHubCalls(vendorTaskId);
    await makePollDue(taskId);
    const due = await Promise.all(Array.from({ length: 20 }, () => platform.call(get, { method: 'GET', path: `/task/${taskId}`, token })));
    const final = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });

    // Assert
    expect(throttled.every((poll) => poll.json.data?.status === 'processing')).toBe(true);
    expect(whileThrottled.outputsCalls).toBe(0);
    expect(due.every((poll) => poll.status === 200)).toBe(true);
    expect((await runningHubCalls(vendorTaskId)).outputsCalls).toBe(1);
    expect(final.json.data).toMatchObject({ status: 'failed', errorCode: 3002 });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('copies frames once when 20 unthrottled checks race (the finishing lease)', async () => {
    // Arrange
    const { taskId, vendorTaskId } = await finishedAtVendor('success');
    const task = await storedTask(taskId);

    // Act: webhook checks skip the poll throttle, so all 20 ask RunningHub and see success
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => advanceTask(task, 'webhook', taskPorts)));

    // Assert: copying happens only after taking the lease, and only the one that took it settled the task
    expect(outcomes.filter((outcome) => outcome === 'settled')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'unreachable')).toHaveLength(0);
    expect(outcomes.every((outcome) => outcome === 'settled' || outcome === 'busy')).toBe(true);
    expect(await runningHubCalls(vendorTaskId)).toEqual({ outputsCalls: 20, fileDownloads: 12 });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
  });

  it.each(['success', 'fail'] as const)('ends with one outcome when webhooks and polls race (%s)', async (outcome) => {
    // Arrange
    const { user, token, taskId, webhookToken, vendorTaskId } = await finishedAtVendor(outcome);
    const webhook = () => platform.call(callback, runningHubWebhookCall(webhookToken, vendorTaskId));
    const poll = () => platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });

    // Act
    const answers = await Promise.all([webhook(), poll(), webhook(), poll(), webhook(), poll()]);
    const final = await poll();

    // Assert
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const expected = outcome === 'success' ? ['hold', 'confirm'] : ['hold', 'release'];
    expect(await ledgerKinds(taskId)).toEqual(expected);
    expect(final.json.data?.status).toBe(outcome === 'success' ? 'done' : 'failed');
    expect(await balanceOf(user.id)).toBe(outcome === 'success' ? 0 : 1);
  });

  it('answers an unknown or malformed webhook token with 404 and a replayed webhook with the settled status', async () => {
    // Arrange
    const { taskId, webhookToken, vendorTaskId } = await finishedAtVendor('success');
    const body = `{"event":"TASK_END","taskId":"${vendorTaskId}","eventData":"{}"}`;
    const send = (token: string, payload = body) =>
      platform.call(callback, { method: 'POST', path: '/task/runninghub-callback', query: { token }, headers: { 'content-type': 'application/json' }, body: payload });

    // Act
    const unknown = await send('A'.repeat(43));
    const malformed = await send('short');
    const wrongTask = await send(webhookToken, '{"event":"TASK_END","taskId":"1111111111111111111"}');
    const first = await send(webhookToken);
    const replay = await send(webhookToken);

    // Assert
    expect([unknown.status, malformed.status, wrongTask.status]).toEqual([404, 404, 404]);
    expect(first.json.data).toEqual({ status: 'done' });
    expect(replay.json.data).toEqual({ status: 'done' });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
  });

  it('keeps uploads of one task apart from another user’s identical task id', async () => {
    // Arrange: A creates task_X; B uploads under B's own prefix with the same id
    const a = await createUser({ quota: 1 });
    const b = await createUser({ quota: 1 });
    const aInput = await uploadInput(platform, a.token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token: a.token, body: { type: 'basic_clean', inputImageUrl: aInput.key } });
    const bKeys = await uploadKeys(platform, b.token, aInput.taskId);
    await putWithKeys(bKeys, `${bKeys.allowPrefix}original.jpg`, jpegImage());

    // Act
    const bCreate = await platform.call(create, { method: 'POST', path: '/task/create', token: b.token, body: { type: 'basic_clean', inputImageUrl: `${bKeys.allowPrefix}original.jpg` } });

    // Assert: B cannot take over or read A's task, and spends nothing
    expect(bCreate.status).toBe(400);
    expect(await balanceOf(b.user.id)).toBe(1);
    expect(await ledgerKinds(aInput.taskId)).toEqual(['hold', 'confirm']);
  });
});
