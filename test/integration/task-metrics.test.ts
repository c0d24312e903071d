import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execute, withTransaction } from '../../shared/db/pool';
import { logger } from '../../shared/logger';
import { checkLedgerInvariants, hold } from '../../shared/quota/ledger';
import { completeTask, failTask } from '../../shared/tasks/transitions';
import { createUser } from '../helpers/users';

/** Captures the structured log lines written while a test runs. */
let lines: Record<string, unknown>[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);

beforeEach(() => {
  lines = [];
  logger.setLogLevel('INFO');
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of ours
      }
    }
    return originalWrite(chunk, ...(rest as []));
  }) as typeof process.stdout.write;
});

afterEach(async () => {
  process.stdout.write = originalWrite;
  logger.setLogLevel('SILENT');
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
  return { userId: user.id, taskId };
}

const metricLines = () => lines.filter((line) => line.metric === 'task_finished');

describe('one metrics line per finished task', () => {
  it('is written once when a task completes, with type, vendor, outcome, duration and vendor cost', async () => {
    const { taskId } = await processingTask('model_pose12');

    await completeTask(taskId, ['output/x/frame_01.png'], { finishedBy: 'poll' });
    await completeTask(taskId, ['output/x/frame_01.png'], { finishedBy: 'webhook' });

    expect(metricLines()).toEqual([
      expect.objectContaining({ taskId, type: 'model_pose12', vendor: 'runninghub', outcome: 'done', finishedBy: 'poll', VendorCost: 12, TaskDurationMs: expect.any(Number) }),
    ]);
  });

  it('is written once when a task fails, with its error code', async () => {
    const { taskId, userId } = await processingTask('basic_clean');

    await Promise.all([failTask(taskId, 3001, '图像处理失败', userId), failTask(taskId, 3002, '生成超时,已返还配额', userId, 'sweeper')]);

    expect(metricLines()).toHaveLength(1);
    expect(metricLines()[0]).toMatchObject({ taskId, type: 'basic_clean', vendor: 'ci', outcome: 'failed' });
    expect([3001, 3002]).toContain(metricLines()[0]?.errorCode);
  });
});
