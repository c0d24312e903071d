import { randomBytes } from 'node:crypto';
import { withTransaction } from '../db/pool';
import { ImageFormatError, ImageProcessingError, ImageTooLargeError, NotMemberError, QuotaExhaustedError, ValidationError } from '../errors';
import { logger } from '../logger';
import { outputKey, parseInputKey } from '../media/keys';
import { hold } from '../quota/ledger';
import { isMemberAt, type UserRow } from '../users';
import { cloudInfinite, type CloudInfinite } from '../vendors/ci';
import { VendorError } from '../vendors/vendor-error';
import { asTaskErrorCode, errorForCode, failureReasons, TaskFailure } from './failures';
import { findTask, findUserTask, insertTask, type TaskRow } from './repository';
import { startRunningHub } from './runninghub';
import type { CreateTaskBody } from './schemas';
import { taskServices } from './services';
import { completeTask, failTask } from './transitions';
import { taskSummary } from './view';

export type TaskSummary = ReturnType<typeof taskSummary>;

/** Template backgrounds of basic_clean, as CI's URL-safe base64 of `#RRGGBB`. */
const templateColours: Record<string, string> = { white_bg: '#FFFFFF', studio: '#F2F2F2', live: '#EDE4D8' };

let ciClient: CloudInfinite | undefined;
/** Cloud Infinite is only needed here, so only the task-create bundle carries the COS SDK. */
function ci(): CloudInfinite {
  ciClient ??= cloudInfinite(taskServices().cos);
  return ciClient;
}

const notYours = () => new ValidationError([{ field: 'inputImageUrl', message: 'must be a file under your own upload prefix (allowPrefix from GET /media/sts)' }]);
/** The id is already another user's task; only reachable after uploading under it, so it probes nothing cheaply. */
const idTaken = () => new ValidationError([{ field: 'inputImageUrl', message: 'this task id is already in use; get a new one from GET /media/sts without taskId' }]);

/**
 * POST /task/create (contract + DESIGN.md). Order matters for the quota:
 *  1. the input is the caller's own upload; the caller's own task id seen before answers its task,
 *     spending nothing. Another user's id goes on exactly like a free one (DESIGN.md: it must answer
 *     as a missing one), so it meets the same membership, quota and "no uploaded file" answers;
 *  2. membership and quota (the contract's first step; the hold re-checks both under lock);
 *  3. the object exists, is at most UPLOAD_MAX_BYTES and is a JPEG/PNG by its bytes — all before
 *     any quota is held, so 2001/2002/"missing" spend nothing;
 *  4. one transaction: hold 1 + insert the task (processing, with its deadline);
 *  5. moderation and garment check, then the vendor work. Any failure from here ends the task
 *     through failTask (release) and answers the envelope of its code.
 */
export async function createTask(user: UserRow, body: CreateTaskBody): Promise<TaskSummary> {
  const input = parseInputKey(body.inputImageUrl);
  if (!input || input.userId !== user.id) throw notYours();
  logger.appendKeys({ taskId: input.taskId });
  const existing = await findUserTask(input.taskId, user.id);
  if (existing) return taskSummary(existing);

  if (!isMemberAt(user, new Date())) throw new NotMemberError();
  if (user.quota_balance < 1) throw new QuotaExhaustedError();
  await inspectInput(input.key);

  const { settings } = taskServices();
  const isPose = body.type === 'model_pose12';
  const params: Record<string, string> = { ...body.params };
  const webhookToken = isPose ? randomBytes(32).toString('base64url') : null;
  const created = await withTransaction(async (connection) => {
    // Hold first: it locks the user row, so concurrent creates of one user queue here and the
    // task insert (whose foreign key reads that row) cannot deadlock against another hold.
    if ((await hold(connection, user.id, input.taskId)) === 'already') return false;
    await insertTask(connection, {
      id: input.taskId,
      userId: user.id,
      type: body.type,
      inputKey: input.key,
      params,
      vendor: isPose ? 'runninghub' : 'ci',
      webhookToken,
      deadlineSeconds: isPose ? settings.TASK_DEADLINE_MODEL_POSE12_SECONDS : settings.TASK_DEADLINE_BASIC_CLEAN_SECONDS,
    });
    return true;
  });
  const task = await findTask(input.taskId);
  if (!task) throw new Error(`task ${input.taskId} missing after create`);
  if (!created) return replay(task, user);

  try {
    await screenInput(input.key);
    if (isPose) {
      await startRunningHub({ id: task.id, inputKey: input.key, params, webhookToken });
      return taskSummary(task);
    }
    if (await runBasicClean(task)) return taskSummary({ ...task, status: 'done' });
  } catch (error) {
    const failure = error instanceof TaskFailure ? error : new TaskFailure(isPose ? 3003 : 3001, failureReasons[isPose ? 3003 : 3001], (error as Error).message);
    if (!(error instanceof TaskFailure)) logger.error('task creation failed unexpectedly', { taskId: task.id, error: error as Error });
    else logger.warn('task rejected', { taskId: task.id, errorCode: failure.code, detail: failure.detail });
    // If this write fails too, the task stays processing and its deadline releases the quota.
    await failTask(task.id, failure.code, failure.reason, user.id, 'create');
    throw errorForCode(failure.code);
  }
  // Someone else settled it first (the sweeper at the deadline): answer what it is now.
  const current = (await findTask(task.id)) ?? task;
  const code = current.status === 'failed' ? asTaskErrorCode(current.error_code) : undefined;
  if (code) throw errorForCode(code);
  return taskSummary(current);
}

/** A repeated create: the same caller gets the task as it is; anyone else cannot reuse the id. */
function replay(task: TaskRow, user: UserRow): TaskSummary {
  if (task.user_id !== user.id) throw idTaken();
  return taskSummary(task);
}

/**
 * Exists, size, format — from COS (HEAD) and CI imageInfo (the bytes), in parallel. The file
 * name and the uploader's Content-Type are never trusted.
 */
async function inspectInput(key: string): Promise<void> {
  const { settings, store } = taskServices();
  const [stat, info] = await Promise.allSettled([store.stat(key), ci().imageInfo(key)]);
  if (stat.status === 'rejected') throw stat.reason;
  if (stat.value === null) throw new ValidationError([{ field: 'inputImageUrl', message: 'no uploaded file at this key; upload it with the keys from GET /media/sts first' }]);
  if (!(stat.value.size <= settings.UPLOAD_MAX_BYTES)) throw new ImageTooLargeError();
  if (info.status === 'rejected') {
    const error = info.reason as unknown;
    // CI refuses bytes that are not an image at all (400). Anything else is a CI outage: 3001,
    // and nothing was spent yet.
    if (error instanceof VendorError && error.status === 400) throw new ImageFormatError();
    logger.error('imageInfo failed', { vendorCode: (error as VendorError).code, vendorMessage: (error as Error).message });
    throw new ImageProcessingError();
  }
  if (info.value.format !== 'jpeg' && info.value.format !== 'jpg' && info.value.format !== 'png') throw new ImageFormatError();
}

/**
 * Moderation (4001) and the garment check (2003), in parallel: both are reads of the same object.
 * Moderation decides first; "suspicious" (Result 2) is refused too, as nobody can review it while
 * the user waits. A CI outage here is a 3001.
 */
async function screenInput(key: string): Promise<void> {
  const { settings } = taskServices();
  const [moderation, labels] = await Promise.allSettled([ci().moderate(key), ci().detectLabels(key)]);
  if (moderation.status === 'rejected') throw new TaskFailure(3001, failureReasons[3001], `moderation: ${(moderation.reason as Error).message}`);
  if (moderation.value.result !== 0) throw new TaskFailure(4001, failureReasons[4001], `moderation ${moderation.value.result} ${moderation.value.label}`);
  if (labels.status === 'rejected') throw new TaskFailure(3001, failureReasons[3001], `detect-label: ${(labels.reason as Error).message}`);
  const clothing = new Set(settings.CLOTHING_LABELS);
  const garment = labels.value.some((label) => label.confidence >= settings.GARMENT_MIN_CONFIDENCE && [label.name, ...label.categories].some((name) => clothing.has(name)));
  if (!garment) throw new TaskFailure(2003, failureReasons[2003], `labels: ${labels.value.map((label) => label.name).join(',')}`);
}

/**
 * basic_clean, synchronously: CI cuts the product out and flattens it onto the template's
 * background into output/{userId}/{taskId}/result.jpg, then the task completes (confirm).
 * False when the task was settled by someone else meanwhile.
 */
async function runBasicClean(task: TaskRow): Promise<boolean> {
  const { settings } = taskServices();
  const colour = templateColours[task.params.template ?? 'white_bg'] ?? '#FFFFFF';
  const rule = settings.CI_CLEAN_RULE.replaceAll('{background}', Buffer.from(colour).toString('base64url'));
  const key = outputKey(task.user_id, task.id, 'result.jpg');
  try {
    await ci().process(task.input_key, key, rule);
  } catch (error) {
    throw new TaskFailure(3001, failureReasons[3001], `image_process: ${(error as Error).message}`);
  }
  return completeTask(task.id, [key], { userId: task.user_id, finishedBy: 'create' });
}
