import type { Session } from '../auth/session';
import { findTaskAndEvents } from '../db/repositories/tasks';
import { deliverTaskWebhook } from './client-webhooks';
import { cancelTask } from './lifecycle';
import type { TaskPorts } from './ports';
import { findOwnTask } from './read';
import { taskDetails, type TaskDetails } from './view';

/**
 * POST /task/cancel/{taskId}: the caller's task only (another user's id, a malformed id and a
 * missing one answer the same 404, as GET /task/{taskId}). A processing task ends `cancelled` (3004)
 * with its quota released once, and its RunningHub run is cancelled (shared/tasks/lifecycle.ts
 * cancelTask); a basic_clean still inside its create request is cancelled the same way (the create
 * then answers it as cancelled). A task that already ended, or that someone else ends first, is
 * answered as it is: no error, no refund. The answer is the task exactly as GET /task/{taskId}
 * shows it, `progress` and `logs` included.
 */
export async function cancelOwnTask(session: Session, taskId: string, ports: TaskPorts): Promise<TaskDetails> {
  let current = await findOwnTask(session, taskId);
  const { task } = current;
  if (task.status === 'processing') {
    // The statement that cancelled it queued its completion webhook (trigger tasks_queue_webhook,
    // migration 017); the first attempt is made here, as the other finishers do.
    if (await cancelTask(task, ports)) await deliverTaskWebhook(task, ports);
    current = (await findTaskAndEvents(task.id)) ?? current;
  }
  return taskDetails(current, ports);
}
