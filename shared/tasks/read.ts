import { assertSessionCurrent, type Session } from '../auth/session';
import { findTask, findUserAndTask } from '../db/repositories/tasks';
import { NotFoundError } from '../errors';
import { advanceTask } from './lifecycle';
import type { TaskPorts } from './ports';
import { isTaskId } from './schemas';
import { resultUrls, taskView, type TaskView } from './view';

/**
 * GET /task/{taskId}: the caller's task only — another user's id, a malformed id and a missing
 * one all answer the same 404. One statement reads the caller's session columns and the task; a
 * processing task is then brought up to date by the lifecycle (shared/tasks/lifecycle.ts
 * advanceTask: a due vendor check, a timeout past the deadline, a stalled start).
 */
export async function readTask(session: Session, taskId: string, ports: TaskPorts): Promise<TaskView> {
  const found = await findUserAndTask(session.userId, isTaskId(taskId) ? taskId : '');
  assertSessionCurrent(found?.user, session);
  const task = found?.task;
  if (!task) throw new NotFoundError();
  const settled = (await advanceTask(task, 'poll', ports)) === 'settled' && task.status === 'processing';
  return taskView(settled ? ((await findTask(task.id)) ?? task) : task, resultUrls(ports));
}
