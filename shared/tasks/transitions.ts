import type { PoolConnection } from 'mysql2/promise';
import { execute, select, withTransaction } from '../db/pool';
import { logger } from '../logger';
import { confirm, release } from '../quota/ledger';
import { logTaskMetrics, taskDurationMs } from './metrics';

/**
 * The only two ways a task leaves `processing` (reference/reliability.md §3.5 pattern A). Each is
 * one conditional UPDATE on the task row; only the caller whose UPDATE changed the row settles the
 * quota hold, in the same transaction. So whoever notices first (the create request, a poll, the
 * webhook, the sweeper) wins, and every later attempt is a no-op that returns false.
 */

/** Failure codes a task can end with: the contract's 2003, 3001-3003 and 4001. */
export type TaskErrorCode = 2003 | 3001 | 3002 | 3003 | 4001;

const reasonLimit = 255;

/**
 * processing → failed with a code and a short user-facing reason; the hold is released. True when
 * this call failed it. `userId`, when the caller has the row, saves reading the owner back (and a
 * wrong one matches nothing, so it can never settle someone else's hold).
 */
export async function failTask(taskId: string, code: TaskErrorCode, reason: string, userId?: string, finishedBy = 'api'): Promise<boolean> {
  const failed = await withTransaction(async (connection) => {
    const result = await execute(
      `UPDATE tasks SET status = 'failed', error_code = ?, error_reason = ?, finished_at = NOW(3), next_poll_at = NULL
        WHERE id = ? AND status = 'processing' ${userId ? 'AND user_id = ?' : ''}`,
      [code, reason.slice(0, reasonLimit), taskId, ...(userId ? [userId] : [])],
      connection,
    );
    if (result.affectedRows !== 1) return undefined;
    const finished = await finishedTask(connection, taskId);
    await release(connection, finished.user_id, taskId);
    return finished;
  });
  if (!failed) return false;
  logger.info('task failed', { taskId, errorCode: code });
  logTaskMetrics({ ...metricsOf(failed), outcome: 'failed', errorCode: code, finishedBy });
  return true;
}

/** processing → done with its result keys; the hold is confirmed. True when this call completed it. */
export async function completeTask(
  taskId: string,
  resultKeys: readonly string[],
  extra: { vendorCost?: string; vendorRunSeconds?: number; userId?: string; finishedBy?: string } = {},
): Promise<boolean> {
  const completed = await withTransaction(async (connection) => {
    const result = await execute(
      `UPDATE tasks SET status = 'done', result_keys = ?, vendor_cost = COALESCE(?, vendor_cost), finished_at = NOW(3), next_poll_at = NULL
        WHERE id = ? AND status = 'processing' ${extra.userId ? 'AND user_id = ?' : ''}`,
      [JSON.stringify(resultKeys), extra.vendorCost ?? null, taskId, ...(extra.userId ? [extra.userId] : [])],
      connection,
    );
    if (result.affectedRows !== 1) return undefined;
    const finished = await finishedTask(connection, taskId);
    await confirm(connection, finished.user_id, taskId);
    return finished;
  });
  if (!completed) return false;
  logger.info('task done', { taskId, results: resultKeys.length });
  logTaskMetrics({ ...metricsOf(completed), outcome: 'done', finishedBy: extra.finishedBy ?? 'api', ...(extra.vendorRunSeconds === undefined ? {} : { vendorRunSeconds: extra.vendorRunSeconds }) });
  return true;
}

interface FinishedTask {
  id: string;
  user_id: string;
  type: string;
  vendor: string;
  vendor_cost: string | null;
  created_at: Date;
  finished_at: Date;
}

/** The row just finished in this transaction: its owner settles the hold, the rest feeds the metrics line. */
async function finishedTask(connection: PoolConnection, taskId: string): Promise<FinishedTask> {
  const [task] = await select<FinishedTask>('SELECT id, user_id, type, vendor, vendor_cost, created_at, finished_at FROM tasks WHERE id = ?', [taskId], connection);
  if (!task) throw new Error(`task ${taskId} vanished inside its own transaction`);
  return task;
}

function metricsOf(task: FinishedTask) {
  return {
    taskId: task.id,
    userId: task.user_id,
    type: task.type,
    vendor: task.vendor,
    vendorCost: task.vendor_cost,
    durationMs: taskDurationMs(task.created_at, task.finished_at),
  };
}
