import { afterEach, describe, expect, it } from 'vitest';
import { execute, withTransaction } from '../../shared/db/pool';
import { checkLedgerInvariants, hold } from '../../shared/quota/ledger';
import * as callback from '../../functions/task/runninghub-callback';
import { TaskFailure } from '../../shared/tasks/failures';
import { completeTask, failTask } from '../../shared/tasks/lifecycle';
import { platforms } from '../helpers/events';
import { captureLogLines } from '../helpers/log-lines';
import { storedTask } from '../helpers/tasks';
import { createUser } from '../helpers/users';

const logLines = captureLogLines();

afterEach(async () => {
  expect(await checkLedgerInvariants()).toEqual([]);
});

let counter = 0;
async function processingTask(type: 'basic_clean' | 'model_pose12') {
  const { user } = await createUser({ quota: 5 });
  const taskId = `task_metrics${Date.now()}${(counter += 1)}`;
  await withTransaction(async (connection) => {
    await hold(connection, user.id, taskId);
    await execute(
      `INSERT INTO tasks (id, user_id, type, status, input_key, params, vendor, deadline_at, vendor_cost)
       VALUES (?, ?, ?, 'processing', ?, '{}', ?, NOW(3) + INTERVAL 10 MINUTE, ?)`,
      [taskId, user.id, type, `input/${user.id}/${taskId}/original.jpg`, type === 'basic_clean' ? 'ci' : 'runninghub', type === 'model_pose12' ? '12' : null],
      connection,
    );
  });
  return { taskId, task: await storedTask(taskId) };
}

const metricLines = () => logLines().filter((line) => line.metric === 'task_finished');

describe('one metrics line per finished task', () => {
  it('is written once when a task completes, with type, vendor, outcome, duration, coins and run seconds apart', async () => {
    const { taskId, task } = await processingTask('model_pose12');

    await completeTask(task, ['output/x/frame_01.jpg'], 'poll', { vendorRunSeconds: 83 });
    await completeTask(task, ['output/x/frame_01.jpg'], 'webhook', { vendorRunSeconds: 83 });

    expect(metricLines()).toEqual([
      expect.objectContaining({ taskId, type: 'model_pose12', vendor: 'runninghub', outcome: 'done', finishedBy: 'poll', VendorCost: 12, VendorRunSeconds: 83, TaskDurationMs: expect.any(Number) }),
    ]);
    const declared = (metricLines()[0]?._aws as { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0]?.Metrics;
    expect(declared).toEqual(expect.arrayContaining([{ Name: 'VendorCost', Unit: 'None' }, { Name: 'VendorRunSeconds', Unit: 'Seconds' }]));
  });

  it('writes a run time as VendorRunSeconds and no VendorCost when there is no cost', async () => {
    const { taskId, task } = await processingTask('basic_clean');

    await completeTask(task, ['output/x/result.jpg'], 'create', { vendorRunSeconds: 5 });

    expect(metricLines()).toHaveLength(1);
    expect(metricLines()[0]).toMatchObject({ taskId, VendorRunSeconds: 5 });
    expect(metricLines()[0]).not.toHaveProperty('VendorCost');
  });

  it('names the task on the RunningHub webhook’s request log line once its token resolves', async () => {
    const { taskId } = await processingTask('model_pose12');
    const token = 'W'.repeat(43);
    await execute('UPDATE tasks SET webhook_token = ? WHERE id = ?', [token, taskId]);
    const [platform] = platforms;
    if (!platform) throw new Error('no platform');

    await platform.call(callback, { method: 'POST', path: '/task/runninghub-callback', query: { token }, headers: { 'content-type': 'application/json' }, body: '{"event":"TASK_END"}' });

    const requestLines = logLines().filter((line) => line.message === 'request' && line.route === 'task-runninghub-callback');
    expect(requestLines).toEqual([expect.objectContaining({ taskId })]);
  });

  it('is written once when a task fails, with its error code', async () => {
    const { taskId, task } = await processingTask('basic_clean');

    await Promise.all([failTask(task, new TaskFailure(3001, 'ci: decode failed'), 'create'), failTask(task, new TaskFailure(3002, 'deadline passed (sweeper)'), 'sweeper')]);

    expect(metricLines()).toHaveLength(1);
    expect(metricLines()[0]).toMatchObject({ taskId, type: 'basic_clean', vendor: 'ci', outcome: 'failed' });
    expect([3001, 3002]).toContain(metricLines()[0]?.errorCode);
  });
});
