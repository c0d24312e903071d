import { NotFoundError } from '../errors';
import type { UserRow } from '../users';
import { failureReasons } from './failures';
import { findTask, findUserTask, listUserTasks, type TaskRow, type TaskStatus } from './repository';
import { checkRunningHubTask } from './runninghub';
import { isTaskId } from './schemas';
import { failTask } from './transitions';
import { taskListItem, taskView, type TaskView } from './view';

/**
 * GET /task/{taskId}: the caller's task only — another user's id, a malformed id and a missing
 * one all answer the same 404. A processing task is brought up to date on the way: past its
 * deadline it fails (3002, quota back); a RunningHub task whose poll is due is checked.
 * A finished task costs two statements per request: the caller and the task.
 */
export async function readTask(user: UserRow, taskId: string): Promise<TaskView> {
  const task = isTaskId(taskId) ? await findUserTask(taskId, user.id) : undefined;
  if (!task) throw new NotFoundError('任务不存在');
  return taskView(await refreshTask(task));
}

/** Moves a processing task along if its deadline passed or its vendor may be asked; returns it as it is now. */
export async function refreshTask(task: TaskRow): Promise<TaskRow> {
  if (task.status !== 'processing') return task;
  if (task.overdue) {
    // A run the vendor already finished must end as done, not as a timeout: ask once more first,
    // under the same poll throttle (only the sweeper and the webhook skip it). Throttled or busy:
    // someone else is asking or finishing right now, and settles it; this poll answers as it is.
    const lastCheck = task.vendor === 'runninghub' && task.vendor_task_id ? await checkRunningHubTask(task, { finishedBy: 'poll' }) : 'not-started';
    if (lastCheck === 'busy' || lastCheck === 'throttled') return task;
    if (lastCheck !== 'done' && lastCheck !== 'failed' && lastCheck !== 'not-processing') await failTask(task.id, 3002, failureReasons[3002], task.user_id, 'poll');
    return (await findTask(task.id)) ?? task;
  }
  if (task.vendor !== 'runninghub' || !task.poll_due) return task;
  const outcome = await checkRunningHubTask(task, { finishedBy: 'poll' });
  if (outcome === 'done' || outcome === 'failed' || outcome === 'not-processing') return (await findTask(task.id)) ?? task;
  return task;
}

/** GET /task/list: one page of the caller's tasks, newest first, with the total (one statement). */
export async function listTasks(user: UserRow, query: { limit: number; offset: number; status: TaskStatus | 'all' }) {
  const page = await listUserTasks(user.id, query.status === 'all' ? undefined : query.status, query.limit, query.offset);
  const now = Date.now();
  return { tasks: page.rows.map((task) => taskListItem(task, now)), total: page.total, limit: query.limit, offset: query.offset };
}
