import { afterEach, describe, expect, it } from 'vitest';
import * as callback from '../../functions/task/runninghub-callback';
import * as cancel from '../../functions/task/cancel';
import * as create from '../../functions/task/create';
import * as get from '../../functions/task/get';
import * as list from '../../functions/task/list';
import { execute } from '../../shared/db/pool';
import { runningHubLastCheck } from '../../shared/ops/last-check';
import { sweepOverdueTasks } from '../../shared/ops/tasks';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { markStarted } from '../../shared/tasks/lifecycle';
import { taskPorts } from '../../shared/wiring/ports';
import { platforms, type Platform } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { balanceOf, finishRunningHubTask, heldTask, ledgerKinds, makePollDue, runningHubRun, runningHubWebhookCall, taskRow, uploadInput } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/**
 * POST /task/cancel/{taskId}: a processing task ends cancelled (3004) with its quota back once and its
 * RunningHub run cancelled; a finished task answers as it is; racing the poll, the webhook and the
 * sweeper ends in exactly one outcome and one ledger resolution. Every test ends with the ledger invariants.
 */
afterEach(async () => {
  await setFaults({ runninghub: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const poseBody = (key: string) => ({ type: 'model_pose12', inputImageUrl: key, params: { scene: 'studio', category: 'coat' } });

/** A model_pose12 task whose RunningHub run is going (fault hang) for a user with `quota`. */
async function runningPoseTask(platform: Platform, quota = 1) {
  await setFaults({ runninghub: 'hang' });
  const { user, token } = await createUser({ quota });
  const { taskId, key } = await uploadInput(platform, token, jpegImage());
  const created = await platform.call(create, { method: 'POST', path: '/task/create', token, body: poseBody(key) });
  expect(created.json.data?.status).toBe('processing');
  const row = await taskRow(taskId);
  return { user, token, taskId, vendorTaskId: row?.vendor_task_id ?? '', webhookToken: row?.webhook_token ?? '' };
}

describe.each(platforms)('task cancel on $name', (platform) => {
  it('cancels a running model_pose12: cancelled (3004), quota back once, the RunningHub run cancelled', async () => {
    // Arrange
    const { user, token, taskId, vendorTaskId } = await runningPoseTask(platform);
    expect(await balanceOf(user.id)).toBe(0);

    // Act
    const answer = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token });
    const again = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token });
    const read = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({ id: taskId, status: 'cancelled', errorCode: 3004, errorReason: '已取消,已返还配额', resultUrls: null, progress: 100 });
    expect((answer.json.data?.logs as { kind: string }[]).map((log) => log.kind).slice(-2)).toEqual(['cancelled', 'quota_released']);
    expect(answer.json.data).toEqual(read.json.data);
    expect(again.status).toBe(200);
    expect(again.json.data).toMatchObject({ status: 'cancelled', errorCode: 3004 });
    expect(read.json.data).toMatchObject({ status: 'cancelled', errorCode: 3004 });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
    expect(await runningHubRun(vendorTaskId)).toEqual({ outcome: 'cancelled', cancelCalls: 1 });
  });

  it('answers a finished task as it is: no error, no refund', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'basic_clean', inputImageUrl: key } });

    // Act
    const answer = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({ id: taskId, status: 'done' });
    expect((answer.json.data?.resultUrls as string[]).length).toBe(1);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(0);
  });

  it('cancels a basic_clean still processing (its create request has not finished it)', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });
    const task = await heldTask(user.id, { type: 'basic_clean' });

    // Act
    const answer = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${task.id}`, token });

    // Assert
    expect(answer.json.data).toMatchObject({ status: 'cancelled', errorCode: 3004 });
    expect(await ledgerKinds(task.id)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('answers another user’s task, a missing id and a malformed id exactly as missing, and cancels nothing', async () => {
    // Arrange
    const owner = await createUser({ quota: 1 });
    const other = await createUser({ quota: 1 });
    const task = await heldTask(owner.user.id, { type: 'basic_clean' });

    // Act
    const foreign = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${task.id}`, token: other.token });
    const missing = await platform.call(cancel, { method: 'POST', path: '/task/cancel/task_doesnotexist1', token: other.token });
    const malformed = await platform.call(cancel, { method: 'POST', path: '/task/cancel/..%2Fetc', token: other.token });

    // Assert
    expect(foreign.status).toBe(404);
    expect(foreign.json.error).toEqual({ ...missing.json.error, requestId: foreign.json.error?.requestId });
    expect(malformed.status).toBe(404);
    expect(await ledgerKinds(task.id)).toEqual(['hold']);
    expect((await taskRow(task.id))?.status).toBe('processing');
  });

  it('lists cancelled tasks under status=cancelled', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 2 });
    const cancelled = await heldTask(user.id, { type: 'basic_clean' });
    const other = await heldTask(user.id, { type: 'basic_clean' });
    await platform.call(cancel, { method: 'POST', path: `/task/cancel/${cancelled.id}`, token });
    await platform.call(cancel, { method: 'POST', path: `/task/cancel/${other.id}`, token });

    // Act
    const page = await platform.call(list, { method: 'GET', path: '/task/list', token, query: { status: 'cancelled' } });

    // Assert
    expect(page.status).toBe(200);
    expect(page.json.data?.total).toBe(2);
    expect((page.json.data?.tasks as { status: string }[]).map((item) => item.status)).toEqual(['cancelled', 'cancelled']);
  });
});

function firstPlatform(): Platform {
  const [first] = platforms;
  if (!first) throw new Error('no platform');
  return first;
}

describe('cancel racing completion', () => {
  const platform = firstPlatform();

  /** A running pose task whose run has just succeeded at RunningHub, overdue, so the sweeper looks at it too. */
  async function succeededAtVendor() {
    const task = await runningPoseTask(platform);
    await finishRunningHubTask(task.vendorTaskId, 'success');
    await makePollDue(task.taskId);
    await execute('UPDATE tasks SET deadline_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [task.taskId]);
    return task;
  }

  const poll = (token: string, taskId: string) => platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
  const webhook = (webhookToken: string, vendorTaskId: string) => platform.call(callback, runningHubWebhookCall(webhookToken, vendorTaskId));
  const sweep = () => sweepOverdueTasks(10, Date.now() + 30_000, runningHubLastCheck(taskPorts));

  it('cancel first: the poll, the webhook and the sweeper find it cancelled and change nothing', async () => {
    // Arrange
    const { user, token, taskId, vendorTaskId, webhookToken } = await succeededAtVendor();

    // Act
    const cancelled = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token });
    await Promise.all([poll(token, taskId), webhook(webhookToken, vendorTaskId), sweep()]);

    // Assert
    expect(cancelled.json.data?.status).toBe('cancelled');
    expect((await taskRow(taskId))?.status).toBe('cancelled');
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('completion first: the cancel answers done unchanged, no refund, no RunningHub cancel', async () => {
    // Arrange
    const { user, token, taskId, vendorTaskId } = await succeededAtVendor();
    await poll(token, taskId);

    // Act
    const answer = await platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token });

    // Assert
    expect(answer.json.data?.status).toBe('done');
    expect((answer.json.data?.resultUrls as string[]).length).toBe(12);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(0);
    expect((await runningHubRun(vendorTaskId)).cancelCalls).toBe(0);
  });

  it('cancels at RunningHub a run its creator records only after the cancel', async () => {
    // Arrange: a pose task cancelled while its creator was still starting the run
    await setFaults({ runninghub: 'hang' });
    const { user, token } = await createUser({ quota: 1 });
    const task = await heldTask(user.id, { type: 'model_pose12' });
    await platform.call(cancel, { method: 'POST', path: `/task/cancel/${task.id}`, token });
    const { taskId: vendorTaskId } = await taskPorts.runningHub.create({ workflowId: taskPorts.tasks.workflowId, nodeInfoList: [] });

    // Act
    await markStarted(task, vendorTaskId, taskPorts);

    // Assert
    expect(await runningHubRun(vendorTaskId)).toEqual({ outcome: 'cancelled', cancelCalls: 1 });
    expect((await taskRow(task.id))?.vendor_task_id).toBeNull();
    expect(await ledgerKinds(task.id)).toEqual(['hold', 'release']);
  });

  it.each([1, 2, 3])('all at once (round %i): exactly one outcome, one ledger resolution, and the cancel tells it', async () => {
    // Arrange
    const { user, token, taskId, vendorTaskId, webhookToken } = await succeededAtVendor();

    // Act
    const [answer] = await Promise.all([
      platform.call(cancel, { method: 'POST', path: `/task/cancel/${taskId}`, token }),
      poll(token, taskId),
      webhook(webhookToken, vendorTaskId),
      sweep(),
    ]);

    // Assert: whoever won, the row, the ledger, the balance and the cancel's answer agree
    const final = (await taskRow(taskId))?.status;
    expect(['done', 'cancelled']).toContain(final);
    expect(answer.json.data?.status).toBe(final);
    expect(await ledgerKinds(taskId)).toEqual(['hold', final === 'done' ? 'confirm' : 'release']);
    expect(await balanceOf(user.id)).toBe(final === 'done' ? 0 : 1);
  });
});
