import { TaskFailure } from '../tasks/failures';
import { advanceTask, failTask } from '../tasks/lifecycle';
import type { TaskPorts } from '../tasks/ports';
import type { LastCheck } from './tasks';

/**
 * How the sweeper reaches the tasks area for overdue tasks that need a vendor call. Only a
 * RunningHub run with a vendor task id can still have a result; a basic_clean is processed inside
 * its create request (overdue means that request died) and a RunningHub task without a vendor id
 * was never started, so those fail without a call (shared/ops/tasks.ts, in batches). The check is
 * the lifecycle's own (advanceTask), the same one polls and the webhook use.
 */
export function runningHubLastCheck(ports: TaskPorts): LastCheck {
  return {
    needsCheck: (task) => task.vendor === 'runninghub' && task.vendor_task_id !== null,

    async check(task) {
      const outcome = await advanceTask(task, 'sweeper', ports);
      if (outcome === 'settled') return 'finished';
      return outcome === 'busy' ? 'busy' : 'unfinished';
    },

    failTimedOut: (task) => failTask(task, new TaskFailure(3002, 'deadline passed (sweeper)'), 'sweeper'),
  };
}
