import { findTask, findTaskByWebhookToken, type TaskStatus } from '../db/repositories/tasks';
import { NotFoundError } from '../errors';
import { logger } from '../logger';
import { deliverTaskWebhook } from './client-webhooks';
import { advanceTask } from './lifecycle';
import type { TaskPorts } from './ports';
import { isWebhookToken } from './schemas';

/**
 * POST /task/runninghub-callback?token=…: RunningHub's TASK_END webhook. It is unsigned
 * (vendors.md §1.10), so it is only a hint: the token (256 random bits, one per task) picks the
 * task, and the outcome always comes from re-asking /outputs — exactly what a poll does, minus
 * the throttle (shared/tasks/lifecycle.ts advanceTask). Deliveries repeat; every repeat is a no-op
 * once the task is settled. Answers the task's status, or `retry` when the vendor could not be
 * asked yet or the create request has not stored the vendor's id (a non-2xx makes RunningHub deliver again).
 */
export async function handleRunningHubCallback(token: string, body: Buffer, ports: TaskPorts): Promise<TaskStatus | 'retry'> {
  const task = isWebhookToken(token) ? await findTaskByWebhookToken(token) : undefined;
  if (!task) throw new NotFoundError();
  // From here on every log line of this delivery names its task, as task create and get do.
  logger.appendKeys({ taskId: task.id });
  // The body's id, read as text (a 19-digit number must not pass through a JS number), must be
  // this task's; a mismatch means the token leaked into someone else's call.
  const claimed = /"taskId"\s*:\s*"?(\d{1,32})"?/.exec(body.toString('utf8'))?.[1];
  if (claimed && task.vendor_task_id && claimed !== task.vendor_task_id) throw new NotFoundError();
  if (task.status !== 'processing') return task.status;
  if (task.vendor_task_id === null) return 'retry';
  const outcome = await advanceTask(task, 'webhook', ports);
  if (outcome === 'unreachable') return 'retry';
  const current = (await findTask(task.id)) ?? task;
  // This delivery ended the task: its owner's completion webhook gets its first attempt now.
  if (outcome === 'settled') await deliverTaskWebhook(current, ports);
  return current.status;
}
