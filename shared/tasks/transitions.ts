import type { PoolConnection } from 'mysql2/promise';
import { execute, select, withTransaction } from '../db/pool';
import { logger } from '../logger';
import { confirm, release } from '../quota/ledger';

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
export async function failTask(taskId: string, code: TaskErrorCode, reason: string, userId?: string): Promise<boolean> {
  const failed = await withTransaction(async (connection) => {
    const result = await execute(
      `UPDATE tasks SET status = 'failed', error_code = ?, error_reason = ?, finished_at = NOW(3), next_poll_at = NULL
        WHERE id = ? AND status = 'processing' ${userId ? 'AND user_id = ?' : ''}`,
      [code, reason.slice(0, reasonLimit), taskId, ...(userId ? [userId] : [])],
      connection,
    );
    if (result.affectedRows !== 1) return false;
    await release(connection, userId ?? (await ownerOf(connection, taskId)), taskId);
    return true;
  });
  if (failed) logger.info('task failed', { taskId, errorCode: code });
  return failed;
}

/** processing → done with its result keys; the hold is confirmed. True when this call completed it. */
export async function completeTask(taskId: string, resultKeys: readonly string[], extra: { vendorCost?: string; userId?: string } = {}): Promise<boolean> {
  const completed = await withTransaction(async (connection) => {
    const result = await execute(
      `UPDATE tasks SET status = 'done', result_keys = ?, vendor_cost = COALESCE(?, vendor_cost), finished_at = NOW(3), next_poll_at = NULL
        WHERE id = ? AND status = 'processing' ${extra.userId ? 'AND user_id = ?' : ''}`,
      [JSON.stringify(resultKeys), extra.vendorCost ?? null, taskId, ...(extra.userId ? [extra.userId] : [])],
      connection,
    );
    if (result.affectedRows !== 1) return false;
    await confirm(connection, extra.userId ?? (await ownerOf(connection, taskId)), taskId);
    return true;
  });
  if (completed) logger.info('task done', { taskId, results: resultKeys.length });
  return completed;
}

async function ownerOf(connection: PoolConnection, taskId: string): Promise<string> {
  const [task] = await select<{ user_id: string }>('SELECT user_id FROM tasks WHERE id = ?', [taskId], connection);
  if (!task) throw new Error(`task ${taskId} vanished inside its own transaction`);
  return task.user_id;
}
