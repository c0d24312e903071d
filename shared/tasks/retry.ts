import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { assertSessionCurrent, type Session } from '../auth/session';
import { findTaskByIdempotencyKey, findUserAndTask } from '../db/repositories/tasks';
import { InputGoneError, NotFoundError, TaskNotRetryableError, ValidationError } from '../errors';
import { logger } from '../logger';
import { mintTaskId, parseInputKey } from '../media/keys';
import { createTask } from './create';
import type { CreatePorts } from './ports';
import { createTaskBody, isTaskId, type RetryTaskBody } from './schemas';
import type { TaskSummary } from './view';

/** An Idempotency-Key: 1–64 visible ASCII characters (a UUID fits), stored per user (tasks.idempotency_key). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,64}$/;

const keyReused = () => new ValidationError([{ field: 'Idempotency-Key', message: 'this Idempotency-Key was already used to retry another task; use a new key' }]);

export type RetryAnswer = TaskSummary & { originalTaskId: string };

/**
 * POST /task/retry/{taskId}: a failed or cancelled task of the caller becomes a new task with a new
 * id, the same input image and params, and a new hold; the answer is what POST /task/create answers
 * for it, plus `originalTaskId`. Another user's id answers 404 as a missing one.
 *
 * The input is copied, not shared: every task's upload lives under its own prefix
 * `input/{userId}/{taskId}/` (shared/media/keys.ts), which createTask relies on (the task id is read
 * from the key, so a repeated create finds its task) and which keeps one task's input from
 * vanishing with another's. The copy is server-side in COS (one request, no bytes through the
 * function) into the new task's prefix, under the same file name; a source that is gone is 2004.
 *
 * Idempotency-Key (optional header): the new task's id is derived from (user, original task, key),
 * so every request with the same key and task names the same new task, and createTask's own guards
 * make it once (the hold is unique per task id: one hold, whoever else races it answers the task as it
 * is). The key is stored with the task, unique per user: a key already used for another task's retry
 * is refused. Without a key each request is a new retry.
 */
export async function retryTask(session: Session, taskId: string, request: { idempotencyKey: string | undefined; body: RetryTaskBody }, ports: CreatePorts): Promise<RetryAnswer> {
  const { idempotencyKey } = request;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new ValidationError([{ field: 'Idempotency-Key', message: 'must be 1-64 visible ASCII characters' }]);
  }
  const found = await findUserAndTask(session.userId, isTaskId(taskId) ? taskId : '');
  assertSessionCurrent(found?.user, session);
  const original = found?.task;
  if (!original) throw new NotFoundError();

  let newTaskId = mintTaskId();
  let repeat = false;
  if (idempotencyKey !== undefined) {
    const earlier = await findTaskByIdempotencyKey(session.userId, idempotencyKey);
    if (earlier && earlier.original_task_id !== original.id) throw keyReused();
    repeat = earlier !== undefined;
    newTaskId = earlier?.id ?? derivedTaskId(session.userId, original.id, idempotencyKey);
  }
  // A repeat of a retry that exists answers that task (createTask finds it), whatever the original's state now.
  if (!repeat && original.status !== 'failed' && original.status !== 'cancelled') throw new TaskNotRetryableError();

  const fileName = original.input_key.split('/').at(-1) ?? 'original.jpg';
  const inputKey = `input/${session.userId}/${newTaskId}/${fileName}`;
  // The stored params passed create's validation once; a task from before a rule changed may not now.
  const callbackUrl = request.body.callbackUrl ?? original.callback_url ?? undefined;
  const parsed = z.safeParse(createTaskBody, { type: original.type, inputImageUrl: inputKey, params: original.params, ...(callbackUrl ? { callbackUrl } : {}) });
  if (!parsed.success) throw new TaskNotRetryableError();
  const body = parsed.data;
  if (!repeat && (!parseInputKey(original.input_key) || !(await ports.store.copy(original.input_key, inputKey)))) throw new InputGoneError();

  logger.appendKeys({ originalTaskId: original.id });
  try {
    const summary = await createTask(session, body, ports, { originalTaskId: original.id, idempotencyKey: idempotencyKey ?? null });
    return { ...summary, originalTaskId: original.id };
  } catch (error) {
    // Two retries of different tasks with one key at once: the second INSERT meets uq_tasks_user_idempotency.
    if ((error as { errno?: number }).errno === 1062) throw keyReused();
    throw error;
  }
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The retry's task id for a key: 24 letters/digits from SHA-256 of (user, original task id, key). As
 * unguessable as the original's id (~143 random bits, known only to its owner), and the same for
 * every request that repeats the retry.
 */
export function derivedTaskId(userId: string, originalTaskId: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(`retry\n${userId}\n${originalTaskId}\n${idempotencyKey}`).digest();
  let id = 'task_';
  for (let i = 0; i < 24; i += 1) id += alphabet[(digest[i] ?? 0) % alphabet.length];
  return id;
}
