import { reconcileOrdersPastValidity } from '../payments/reconcile';
import { checkRunningHubTask } from '../tasks/runninghub';
import { failTask } from '../tasks/transitions';
import type { SweepStep } from './sweeper';
import { TIMEOUT_ERROR_CODE, TIMEOUT_ERROR_REASON, type LastCheck } from './tasks';

/**
 * How the sweeper reaches the tasks area for overdue tasks that need a vendor call. Only a
 * RunningHub run with a vendor task id can still have a result; a basic_clean is processed inside
 * its create request (overdue means that request died) and a RunningHub task without a vendor id
 * was never started, so those fail without a call (shared/ops/tasks.ts, in batches).
 */
export const runningHubLastCheck: LastCheck = {
  needsCheck: (task) => task.vendor === 'runninghub' && task.vendorTaskId !== null,

  async check(task) {
    // force: the sweeper is the last word, so the poll throttle does not apply (a finishing lease still does).
    const outcome = await checkRunningHubTask(
      { id: task.id, user_id: task.userId, status: 'processing', vendor: 'runninghub', vendor_task_id: task.vendorTaskId },
      { force: true, finishedBy: 'sweeper' },
    );
    switch (outcome) {
      case 'done':
      case 'failed':
      case 'not-processing':
        return 'finished';
      case 'busy':
        return 'busy';
      // pending, error (vendor unreachable or copy failed), not-started, throttled: past the deadline, it times out.
      default:
        return 'unfinished';
    }
  },

  async failTimedOut(task) {
    // failTask writes the task's metrics line itself.
    return failTask(task.id, TIMEOUT_ERROR_CODE, TIMEOUT_ERROR_REASON, task.userId, 'sweeper');
  },
};

/** Orders per batch: each one is a platform round trip (and maybe a close), made one after another. */
export const ORDER_BATCH_LIMIT = 20;

/**
 * Pending orders past their validity, settled by asking their platform (shared/payments/reconcile.ts):
 * paid → credited once, otherwise closed at the platform → failed. Each order is claimed with a
 * conditional UPDATE of orders.last_queried_at before the question, so overlapping runs split them.
 * A batch in which every order was already claimed by another run asks nothing: that ends the step
 * for this run instead of re-reading the same claimed orders until the budget runs out.
 */
export function orderReconciliation(batchSize: number): SweepStep {
  const limit = Math.min(batchSize, ORDER_BATCH_LIMIT);
  return {
    name: 'orders',
    async batch() {
      const result = await reconcileOrdersPastValidity(limit);
      const asked = result.credited + result.failed + result.pending + result.errors;
      return { ...result, done: result.done || asked === 0 };
    },
  };
}
