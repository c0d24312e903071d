import type { PoolConnection } from 'mysql2/promise';
import { withTransaction } from '../db/pool';
import { lockOverdueTasks, type TaskRow } from '../db/repositories/tasks';
import { lockFreeUsers } from '../db/repositories/users';
import { claim, releaseClaim } from '../db/repositories/sweep-claims';
import { asError } from '../errors';
import { logger } from '../logger';
import { failOverdue, logTimedOut } from '../tasks/lifecycle';

/**
 * Tasks still `processing` after their deadline (tasks.deadline_at, set at creation from the
 * per-type timeout). A task that can still have a result at the vendor (a RunningHub run with a
 * vendor task id) gets one last status check, which finishes it if the vendor is done; every other
 * overdue task fails with 3002 and its quota hold is released — exactly once, whoever else
 * (client poll, webhook, another sweeper) is looking at the same task.
 */
export type OverdueTask = TaskRow;

/** What the tasks area provides for the tasks that need a vendor call (wired in shared/ops/last-check.ts). */
export interface LastCheck {
  /** True when the task can still have a result at its vendor, so it deserves a last check. */
  needsCheck(task: OverdueTask): boolean;
  /**
   * One last vendor check. `finished`: the task is no longer processing (this check or someone
   * else finished it); `busy`: someone is finishing it right now (copying the results), leave it;
   * `unfinished`: the vendor is not done (or did not answer), so the task times out.
   */
  check(task: OverdueTask): Promise<'finished' | 'busy' | 'unfinished'>;
  /**
   * Fails the task with 3002 and releases its hold in one transaction, logging its metrics line;
   * false when it was already finished.
   */
  failTimedOut(task: OverdueTask): Promise<boolean>;
}

export type TaskBatchResult = {
  /**
   * Nothing more for this run: the batch was not full and nothing in it was skipped, or it made no
   * progress at all (everything it found is being settled elsewhere right now; a later run looks again).
   */
  readonly done: boolean;
  /** The batch was not full and skipped nothing: no overdue task was left when it was taken. */
  readonly complete: boolean;
  /** Tasks failed or claimed for a check by this batch. */
  readonly progress: number;
  readonly failed: number;
  readonly checked: number;
  readonly finishedByCheck: number;
  readonly busy: number;
  readonly alreadyFinished: number;
  readonly checkErrors: number;
  /** Overdue tasks left for a later batch because their user was being settled elsewhere. */
  readonly skipped: number;
};

/**
 * Keeps the tasks whose user row this transaction could lock without waiting. A user row locked
 * elsewhere belongs to another sweeper's batch (or a request settling that user's quota); its
 * tasks stay locked by us until commit, so nobody else takes them meanwhile, and come back in a
 * later batch. Without this, two batches that share users settle one after the other (each holds
 * its users until commit), which halves what two overlapping runs get done.
 */
async function withLockedUsers(connection: PoolConnection, tasks: readonly OverdueTask[]): Promise<OverdueTask[]> {
  const locked = await lockFreeUsers(
    connection,
    tasks.map((task) => task.user_id),
  );
  return tasks.filter((task) => locked.has(task.user_id));
}

/**
 * One batch: lock up to `batchSize` overdue, unclaimed tasks with FOR UPDATE SKIP LOCKED (rows
 * another run or a finishing request holds are skipped, not waited for); fail the ones with nothing
 * to check in the same short transaction; claim the ones to check and check them after commit,
 * without holding any lock during the vendor call.
 */
export async function sweepOverdueTasks(batchSize: number, deadline: number, lastCheck: LastCheck): Promise<TaskBatchResult> {
  const { failed, toCheck, taken, skipped } = await withTransaction(async (connection) => {
    const tasks = await lockOverdueTasks(connection, batchSize);
    const checks = tasks.filter((task) => lastCheck.needsCheck(task));
    const plain = await withLockedUsers(
      connection,
      tasks.filter((task) => !lastCheck.needsCheck(task)),
    );
    await claim(
      connection,
      'task',
      checks.map((task) => task.id),
    );
    const skipped = tasks.length - checks.length - plain.length;
    await failOverdue(connection, plain);
    return { failed: plain, toCheck: checks, taken: tasks.length, skipped };
  }, { isolation: 'READ COMMITTED' });
  for (const task of failed) logTimedOut(task);

  let finishedByCheck = 0;
  let busy = 0;
  let alreadyFinished = 0;
  let checkErrors = 0;
  let failedAfterCheck = 0;
  let checked = 0;
  // Bounded parallelism: vendor round trips dominate, and the vendor should not see a burst.
  const queue = [...toCheck];
  const worker = async (): Promise<void> => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      // Out of time: leave the rest claimed; the claim lapses and a later run takes them.
      if (Date.now() >= deadline) return;
      checked += 1;
      try {
        const outcome = await lastCheck.check(task);
        if (outcome === 'busy') {
          // Keep the claim: it lapses within one sweeper period, when the finisher's lease (capped
          // 30 s past the deadline) has lapsed too, so the next run looks again (bounded settlement).
          busy += 1;
          continue;
        }
        if (outcome === 'finished') finishedByCheck += 1;
        else if (await lastCheck.failTimedOut(task)) failedAfterCheck += 1;
        else alreadyFinished += 1;
        await releaseClaim('task', task.id);
      } catch (error) {
        checkErrors += 1;
        logger.error('sweeper: last check failed; the task stays for a later run', { taskId: task.id, error: asError(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, toCheck.length) }, worker));

  if (checkErrors > 0 && checkErrors === checked) throw new Error(`every last vendor check in the batch failed (${checkErrors})`);
  const progress = failed.length + toCheck.length;
  const complete = taken < batchSize && skipped === 0;
  return {
    done: complete || progress === 0,
    complete,
    progress,
    failed: failed.length + failedAfterCheck,
    checked,
    finishedByCheck,
    busy,
    alreadyFinished,
    checkErrors,
    skipped,
  };
}

/**
 * `count` batches at once, each in its own transaction on its own connection: they do not wait on
 * each other (tasks and users are taken with SKIP LOCKED), so one run uses more than one
 * connection's worth of time. Together they are done when every batch found nothing more, or when
 * none of them made progress; a batch that only met users its sibling held is not the end, since
 * the tasks it hid during that round are free again for the next one.
 */
export async function sweepOverdueTasksInParallel(count: number, batchSize: number, deadline: number, lastCheck: LastCheck): Promise<TaskBatchResult> {
  const results = await Promise.all(Array.from({ length: Math.max(1, count) }, () => sweepOverdueTasks(batchSize, deadline, lastCheck)));
  const sum = (key: keyof TaskBatchResult) => results.reduce((total, result) => total + Number(result[key]), 0);
  const complete = results.every((result) => result.complete);
  const progress = sum('progress');
  return {
    done: complete || progress === 0,
    complete,
    progress,
    failed: sum('failed'),
    checked: sum('checked'),
    finishedByCheck: sum('finishedByCheck'),
    busy: sum('busy'),
    alreadyFinished: sum('alreadyFinished'),
    checkErrors: sum('checkErrors'),
    skipped: sum('skipped'),
  };
}
