import { randomBytes } from 'node:crypto';
import { assertSessionCurrent, type Session } from '../auth/session';
import { findTask, findUserAndTask, type TaskRow } from '../db/repositories/tasks';
import { asError, ImageFormatError, ImageProcessingError, ImageTooLargeError, NotMemberError, QuotaExhaustedError, ValidationError } from '../errors';
import { logger } from '../logger';
import { outputKey, parseInputKey } from '../media/keys';
import { isMemberAt, type UserRow } from '../users';
import { VendorError } from '../vendors/vendor-error';
import { asTaskErrorCode, errorForCode, TaskFailure } from './failures';
import { deliverTaskWebhook } from './client-webhooks';
import { taskTrail } from './events';
import { completeTask, createWithHold, failTask, markStarted, reclaimStart, START_LEASE_SECONDS } from './lifecycle';
import type { CreatePorts } from './ports';
import { startRunningHub } from './runninghub';
import type { CreateTaskBody } from './schemas';
import { taskSummary, type TaskSummary } from './view';

/** Template backgrounds of basic_clean, as CI's URL-safe base64 of `#RRGGBB`. */
const templateColours: Record<string, string> = { white_bg: '#FFFFFF', studio: '#F2F2F2', live: '#EDE4D8' };

/** A task made by POST /task/retry/{taskId} (shared/tasks/retry.ts): the task it re-runs and the client's Idempotency-Key. */
export interface RetryOrigin {
  readonly originalTaskId: string;
  readonly idempotencyKey: string | null;
}

const notYours = () => new ValidationError([{ field: 'inputImageUrl', message: 'must be a file under your own upload prefix (allowPrefix from GET /media/sts)' }]);
/** The id is already another user's task; only reachable after uploading under it, so it probes nothing cheaply. */
const idTaken = () => new ValidationError([{ field: 'inputImageUrl', message: 'this task id is already in use; get a new one from GET /media/sts without taskId' }]);

/**
 * POST /task/create (contract + DESIGN.md). Order matters for the quota:
 *  1. one statement reads the caller (session check, membership) and any task with this id; the
 *     input must be the caller's own upload. The caller's own task seen before answers as it is,
 *     spending nothing (and is started now if its creator died before starting it);
 *  2. membership and quota (the contract's first step; the hold re-checks both in its statement);
 *  3. the object exists, is at most UPLOAD_MAX_BYTES and is a JPEG/PNG by its bytes — all before
 *     any quota is held, so 2001/2002/"missing" spend nothing;
 *  4. one transaction: the hold + the task row (processing, its deadline, the creator's start lease);
 *  5. moderation and garment check, then the vendor work. Any failure from here ends the task
 *     through the lifecycle (release) and answers the envelope of its code.
 */
export async function createTask(session: Session, body: CreateTaskBody, ports: CreatePorts, retryOf?: RetryOrigin): Promise<TaskSummary> {
  const input = parseInputKey(body.inputImageUrl);
  if (!input || input.userId !== session.userId) throw notYours();
  logger.appendKeys({ taskId: input.taskId });
  const found = await findUserAndTask(session.userId, input.taskId);
  assertSessionCurrent(found?.user, session);
  const { user, task: existing } = found as { user: UserRow; task: TaskRow | undefined };
  if (existing) return resume(existing, ports);

  if (!isMemberAt(user, new Date())) throw new NotMemberError();
  if (user.quota_balance < 1) throw new QuotaExhaustedError();
  await inspectInput(input.key, ports);

  const { settings } = ports;
  const isPose = body.type === 'model_pose12';
  // Millisecond precision, as DATETIME(3) stores it: the answer needs no re-read of the row.
  const createdAt = new Date(Date.now());
  const task: TaskRow = {
    id: input.taskId,
    user_id: user.id,
    type: body.type,
    status: 'processing',
    input_key: input.key,
    params: { ...body.params },
    result_keys: null,
    error_code: null,
    error_reason: null,
    vendor: isPose ? 'runninghub' : 'ci',
    vendor_task_id: null,
    vendor_cost: null,
    webhook_token: isPose ? randomBytes(32).toString('base64url') : null,
    callback_url: body.callbackUrl ?? null,
    created_at: createdAt,
    updated_at: createdAt,
    overdue: false,
    poll_due: false,
  };
  const created = await createWithHold({
    id: task.id,
    userId: task.user_id,
    type: task.type,
    inputKey: task.input_key,
    params: task.params,
    vendor: task.vendor,
    webhookToken: task.webhook_token,
    callbackUrl: task.callback_url,
    deadlineSeconds: isPose ? settings.TASK_DEADLINE_MODEL_POSE12_SECONDS : settings.TASK_DEADLINE_BASIC_CLEAN_SECONDS,
    startLeaseSeconds: START_LEASE_SECONDS,
    createdAt: task.created_at,
    ...(retryOf ? { originalTaskId: retryOf.originalTaskId, idempotencyKey: retryOf.idempotencyKey } : {}),
  });
  if (created === 'exists') {
    // Created meanwhile by a concurrent request with the same id, or the id is someone else's.
    const current = await findTask(task.id);
    if (!current || current.user_id !== user.id) throw idTaken();
    return resume(current, ports);
  }
  return run(task, ports);
}

/**
 * A repeated create answers the task as it is. One whose creator's start lease lapsed before its
 * vendor work began (the request died, or its commit's answer was lost) is started now, so it never
 * waits for its deadline.
 */
async function resume(task: TaskRow, ports: CreatePorts): Promise<TaskSummary> {
  if (!(await reclaimStart(task))) return taskSummary(task);
  logger.warn('task resumed by a repeated create: its creator never started it', { taskId: task.id });
  return run(task, ports);
}

/**
 * Screens the input, then starts RunningHub or runs basic_clean; any failure fails the task (release).
 * The trail's fixed steps come with the statements that make them true (migration 018: the insert,
 * the run id, the end); what else it says is appended beside the vendor calls (shared/tasks/events.ts)
 * and waited for before the task ends, so the end's events come after it.
 */
async function run(task: TaskRow, ports: CreatePorts): Promise<TaskSummary> {
  const isPose = task.type === 'model_pose12';
  const trail = taskTrail(task);
  let screened = false;
  try {
    await screenInput(task.input_key, ports);
    screened = true;
    if (isPose) {
      // Recording the run id writes `moderation` (passed) and `vendor_submitted` (trigger tasks_trail_update).
      await markStarted(task, await startRunningHub(ports, { id: task.id, inputKey: task.input_key, params: task.params, webhookToken: task.webhook_token }), ports);
      return taskSummary(task);
    }
    trail.add({ kind: 'moderation', data: { result: 'pass' } });
    const resultKey = await runBasicClean(task, ports);
    await trail.flush();
    if (await completeTask(task, [resultKey], 'create')) {
      await deliverTaskWebhook(task, ports);
      return taskSummary({ ...task, status: 'done' });
    }
  } catch (error) {
    const failure = error instanceof TaskFailure ? error : new TaskFailure(isPose ? 3003 : 3001, asError(error).message);
    if (error instanceof TaskFailure) logger.warn('task rejected', { taskId: task.id, errorCode: failure.code, detail: failure.detail });
    else logger.error('task creation failed unexpectedly', { taskId: task.id, error: asError(error) });
    // Moderation decides before the garment check (screenInput): 2003 means it passed. A pose task
    // screened but never started has no `moderation` from its run id; a repeat changes nothing.
    if (failure.code === 4001) trail.add({ kind: 'moderation', data: { result: 'reject' } });
    else if (failure.code === 2003 || (screened && isPose)) trail.add({ kind: 'moderation', data: { result: 'pass' } });
    await trail.flush();
    // If this write fails too, the task stays processing and its deadline releases the quota.
    if (await failTask(task, failure, 'create')) {
      await deliverTaskWebhook(task, ports);
      throw errorForCode(failure.code);
    }
  }
  // Someone else settled it first (the sweeper at the deadline): answer what it is now.
  const current = (await findTask(task.id)) ?? task;
  const code = current.status === 'failed' ? asTaskErrorCode(current.error_code) : undefined;
  if (code) throw errorForCode(code);
  return taskSummary(current);
}

/**
 * Exists, size, format — from COS (HEAD) and CI imageInfo (the bytes), in parallel. The file
 * name and the uploader's Content-Type are never trusted.
 */
export async function inspectInput(key: string, ports: Pick<CreatePorts, 'settings' | 'store' | 'ci'>): Promise<void> {
  const [stat, info] = await Promise.allSettled([ports.store.stat(key), ports.ci.imageInfo(key)]);
  if (stat.status === 'rejected') throw stat.reason;
  if (stat.value === null) throw new ValidationError([{ field: 'inputImageUrl', message: 'no uploaded file at this key; upload it with the keys from GET /media/sts first' }]);
  if (!(stat.value.size <= ports.settings.UPLOAD_MAX_BYTES)) throw new ImageTooLargeError();
  if (info.status === 'rejected') {
    const error = info.reason as unknown;
    // CI refuses bytes that are not an image at all (400). Anything else is a CI outage: 3001,
    // and nothing was spent yet.
    if (error instanceof VendorError && error.status === 400) throw new ImageFormatError();
    logger.error('imageInfo failed', { vendorCode: (error as VendorError).code, vendorMessage: asError(error).message });
    throw new ImageProcessingError();
  }
  if (info.value.format !== 'jpeg' && info.value.format !== 'jpg' && info.value.format !== 'png') throw new ImageFormatError();
}

/**
 * Moderation (4001) and the garment check (2003), in parallel: both are reads of the same object.
 * Moderation decides first; "suspicious" (Result 2) is refused too, as nobody can review it while
 * the user waits. A CI outage here is a 3001.
 */
export async function screenInput(key: string, ports: Pick<CreatePorts, 'settings' | 'ci'>): Promise<void> {
  const { settings, ci } = ports;
  const [moderation, labels] = await Promise.allSettled([ci.moderate(key), ci.detectLabels(key)]);
  if (moderation.status === 'rejected') throw new TaskFailure(3001, `moderation: ${asError(moderation.reason).message}`);
  if (moderation.value.result !== 0) throw new TaskFailure(4001, `moderation ${moderation.value.result} ${moderation.value.label}`);
  if (labels.status === 'rejected') throw new TaskFailure(3001, `detect-label: ${asError(labels.reason).message}`);
  const clothing = new Set(settings.CLOTHING_LABELS);
  const garment = labels.value.some((label) => label.confidence >= settings.GARMENT_MIN_CONFIDENCE && [label.name, ...label.categories].some((name) => clothing.has(name)));
  if (!garment) throw new TaskFailure(2003, `labels: ${labels.value.map((label) => label.name).join(',')}`);
}

/**
 * basic_clean, synchronously: CI cuts the product out and flattens it onto the template's
 * background into output/{userId}/{taskId}/result.jpg. Returns the result's key.
 */
async function runBasicClean(task: TaskRow, ports: Pick<CreatePorts, 'settings' | 'ci'>): Promise<string> {
  const colour = templateColours[task.params.template ?? 'white_bg'] ?? '#FFFFFF';
  const rule = ports.settings.CI_CLEAN_RULE.replaceAll('{background}', Buffer.from(colour).toString('base64url'));
  const key = outputKey(task.user_id, task.id, 'result.jpg');
  try {
    await ports.ci.process(task.input_key, key, rule);
  } catch (error) {
    throw new TaskFailure(3001, `image_process: ${asError(error).message}`);
  }
  return key;
}
