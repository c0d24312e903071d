import { afterEach, describe, expect, it } from 'vitest';
import * as createTask from '../../functions/task/create';
import { config } from '../../shared/config';
import { execute, select } from '../../shared/db/pool';
import { takeFinishLease } from '../../shared/db/repositories/tasks';
import { CLAIM_SECONDS } from '../../shared/db/repositories/sweep-claims';
import { runningHubLastCheck } from '../../shared/ops/last-check';
import { runSweep, sweepSteps } from '../../shared/ops/sweeper';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { scheduleRoutes } from '../../shared/routes';
import { FINISH_LEASE_SECONDS, LEASE_GRACE_AFTER_DEADLINE_SECONDS } from '../../shared/tasks/lifecycle';
import { taskPorts } from '../../shared/wiring/ports';
import { platforms } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { finishRunningHubTask, ledgerKinds, seedInput, taskRow } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/**
 * Issue "Core" item 8: whatever dies mid-request, a task past its deadline is settled within its
 * deadline plus two sweeper periods, and no lease or claim outlives that. Time is simulated: after
 * the first run, every timestamp of the task and its claim is moved one sweeper period into the past.
 */
const periodSeconds = (scheduleRoutes.find((route) => route.name === 'ops-sweeper')?.everyMinutes ?? 0) * 60;
const [aws] = platforms;

afterEach(async () => {
  await setFaults({ runninghub: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const sweepTasks = () => runSweep(sweepSteps(config(), { lastCheck: runningHubLastCheck(taskPorts) }).filter((step) => step.name === 'tasks'), Date.now() + 30_000);

async function onePeriodLater(taskId: string): Promise<void> {
  await execute(
    `UPDATE tasks SET deadline_at = deadline_at - INTERVAL ? SECOND, next_poll_at = next_poll_at - INTERVAL ? SECOND, created_at = created_at - INTERVAL ? SECOND WHERE id = ?`,
    [periodSeconds, periodSeconds, periodSeconds, taskId],
  );
  await execute('UPDATE sweep_claims SET claimed_until = claimed_until - INTERVAL ? SECOND WHERE subject = ?', [periodSeconds, taskId]);
}

/** A started model_pose12 task just past its deadline; at RunningHub it finished (`success`) or still runs. */
async function overdueTask(atVendor: 'success' | 'running') {
  if (!aws) throw new Error('no platform');
  await setFaults({ runninghub: 'hang' });
  const { user, token } = await createUser({ quota: 1 });
  const { taskId, key } = await seedInput(user.id, jpegImage());
  await aws.call(createTask, { method: 'POST', path: '/task/create', token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'dress' } } });
  const vendorTaskId = (await taskRow(taskId))?.vendor_task_id ?? '';
  if (atVendor === 'success') await finishRunningHubTask(vendorTaskId, 'success');
  await execute('UPDATE tasks SET deadline_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [taskId]);
  return taskId;
}

describe('bounded settlement', () => {
  it('keeps every lease and claim shorter than one sweeper period past the deadline', () => {
    expect(LEASE_GRACE_AFTER_DEADLINE_SECONDS).toBeLessThan(periodSeconds);
    expect(CLAIM_SECONDS).toBeLessThan(periodSeconds);
    expect(FINISH_LEASE_SECONDS).toBeGreaterThan(LEASE_GRACE_AFTER_DEADLINE_SECONDS);
  });

  it.each(['success', 'running'] as const)('a finisher that died holding its lease (vendor: %s): settled by the second sweeper run', async (atVendor) => {
    // Arrange: a poll saw the run succeed, took the finishing lease and died before copying
    const taskId = await overdueTask(atVendor);
    expect(await takeFinishLease(taskId, config().RUNNINGHUB_POLL_INTERVAL_SECONDS, FINISH_LEASE_SECONDS, LEASE_GRACE_AFTER_DEADLINE_SECONDS)).toBe(true);
    const [lease] = await select<{ past_deadline: number }>('SELECT TIMESTAMPDIFF(SECOND, deadline_at, next_poll_at) AS past_deadline FROM tasks WHERE id = ?', [taskId]);

    // Act
    await sweepTasks();
    const afterFirst = (await taskRow(taskId))?.status;
    await onePeriodLater(taskId);
    await sweepTasks();

    // Assert
    expect(Number(lease?.past_deadline)).toBeLessThanOrEqual(LEASE_GRACE_AFTER_DEADLINE_SECONDS + 1);
    // A run still going at the vendor times out at once (the lease only guards copying); a finished
    // one waits for the lapsed lease and is then completed, not timed out.
    expect(afterFirst).toBe(atVendor === 'success' ? 'processing' : 'failed');
    expect((await taskRow(taskId))?.status).toBe(atVendor === 'success' ? 'done' : 'failed');
    expect(await ledgerKinds(taskId)).toEqual(['hold', atVendor === 'success' ? 'confirm' : 'release']);
  });

  it('a sweeper that died holding its claim: settled by the next run', async () => {
    // Arrange: a run claimed the task for its last check and died
    const taskId = await overdueTask('running');
    await execute("INSERT INTO sweep_claims (kind, subject, claimed_until) VALUES ('task', ?, NOW(3) + INTERVAL ? SECOND)", [taskId, CLAIM_SECONDS]);

    // Act
    await sweepTasks();
    const afterFirst = (await taskRow(taskId))?.status;
    await onePeriodLater(taskId);
    await sweepTasks();

    // Assert
    expect(afterFirst).toBe('processing');
    expect((await taskRow(taskId))?.status).toBe('failed');
    expect((await taskRow(taskId))?.error_code).toBe(3002);
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
  });
});
