import { assertSessionCurrent, type Session } from '../auth/session';
import { findUserTaskEvents, type TaskEventRow } from '../db/repositories/task-events';
import { findTaskAndEvents, findUserTaskAndEvents, type TaskRow } from '../db/repositories/tasks';
import { NotFoundError } from '../errors';
import { deliverTaskWebhook } from './client-webhooks';
import { taskEventView, type TaskEventView } from './events';
import { advanceTask } from './lifecycle';
import type { TaskPorts } from './ports';
import { isTaskId } from './schemas';
import { taskDetails, type TaskDetails } from './view';

/**
 * GET /task/{taskId}: the caller's task only — another user's id, a malformed id and a missing
 * one all answer the same 404. One statement reads the caller's session columns, the task and its
 * event trail; a processing task is then brought up to date by the lifecycle (shared/tasks/lifecycle.ts
 * advanceTask: a due vendor check, a timeout past the deadline, a stalled start). A task this call
 * ended is read back (one statement) and its completion webhook gets its first attempt.
 */
export async function readTask(session: Session, taskId: string, ports: TaskPorts): Promise<TaskDetails> {
  let current = await findOwnTask(session, taskId);
  const { task } = current;
  if (task.status === 'processing') {
    const advance = await advanceTask(task, 'poll', ports);
    // The check ended the task or told the trail what the vendor is doing: read both again. A
    // throttled poll (`busy`) or an unreachable vendor changed nothing.
    if (advance === 'settled' || advance === 'waiting') current = (await findTaskAndEvents(task.id)) ?? current;
    if (advance === 'settled') await deliverTaskWebhook(current.task, ports);
  }
  return taskDetails(current, ports);
}

/**
 * The caller's task and its trail in one statement (the session checked in the same read); another
 * user's id, a malformed id and a missing one all answer the same 404.
 */
export async function findOwnTask(session: Session, taskId: string): Promise<{ task: TaskRow; events: TaskEventRow[] }> {
  const found = await findUserTaskAndEvents(session.userId, isTaskId(taskId) ? taskId : '');
  assertSessionCurrent(found?.user, session);
  if (!found?.task) throw new NotFoundError();
  return { task: found.task, events: found.events };
}

/** GET /task/events/{taskId}: the caller's task's trail, oldest first; others' and unknown ids answer 404. One statement. */
export async function readTaskEvents(session: Session, taskId: string): Promise<{ taskId: string; events: TaskEventView[] }> {
  const found = await findUserTaskEvents(session.userId, isTaskId(taskId) ? taskId : '');
  assertSessionCurrent(found?.user, session);
  if (!found?.found) throw new NotFoundError();
  return { taskId, events: found.events.map(taskEventView) };
}
