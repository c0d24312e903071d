import { checkRunningHubTask } from '../tasks/runninghub';
import { failTask } from '../tasks/transitions';
import { logTimeout, TIMEOUT_ERROR_CODE, TIMEOUT_ERROR_REASON, type LastCheck } from './tasks';

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
      { force: true },
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
    const failed = await failTask(task.id, TIMEOUT_ERROR_CODE, TIMEOUT_ERROR_REASON);
    // failTask does not log the metrics line itself (yet); when it does, drop this call.
    if (failed) logTimeout(task);
    return failed;
  },
};
