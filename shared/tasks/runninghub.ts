import { vendorSignal } from '../deadline';
import { logger } from '../logger';
import { outputKey } from '../media/keys';
import { VendorError } from '../vendors/vendor-error';
import { failTask, completeTask } from './transitions';
import { generationFailedReason, TaskFailure } from './failures';
import { sniffImage } from './images';
import { claimPoll, reopenPoll, setVendorTask, takeFinishLease, type TaskRow } from './repository';
import { taskServices } from './services';

/** model_pose12 makes exactly this many frames; fewer or more is a failed generation. */
export const POSE_FRAMES = 12;
/** How long a finisher may take to copy the frames before another may try (seconds). */
const FINISH_LEASE_SECONDS = 60;
/** The largest frame we copy; RunningHub's own upload cap is 30 MB. */
const MAX_FRAME_BYTES = 30 * 1024 * 1024;
/** Vendor answers that mean "busy now, try again shortly" (vendors.md §1.12). */
const queueFullCodes = new Set(['TASK_QUEUE_MAXED', 'TASK_INSTANCE_MAXED']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the RunningHub workflow for a held task: the garment as a presigned URL valid past the
 * task's deadline, scene and category, and the webhook with the task's unguessable token. A full
 * queue is retried with backoff; any other refusal fails the task with 3003 (by the caller).
 */
export async function startRunningHub(task: { id: string; inputKey: string; params: Record<string, string>; webhookToken: string | null }): Promise<void> {
  const { settings, tasks, store, runningHub } = taskServices();
  const imageUrl = store.signedGetUrl(task.inputKey, settings.TASK_DEADLINE_MODEL_POSE12_SECONDS + 600);
  const nodeInfoList = [
    { ...tasks.imageNode, fieldValue: imageUrl },
    { ...tasks.sceneNode, fieldValue: task.params.scene ?? '' },
    { ...tasks.categoryNode, fieldValue: task.params.category ?? '' },
  ];
  const webhookUrl = settings.WEBHOOK_BASE_URL && task.webhookToken ? `${settings.WEBHOOK_BASE_URL}/task/runninghub-callback?token=${task.webhookToken}` : undefined;

  let vendorTaskId: string | undefined;
  for (let attempt = 0; vendorTaskId === undefined; attempt += 1) {
    try {
      ({ taskId: vendorTaskId } = await runningHub.create({ workflowId: tasks.workflowId, nodeInfoList, ...(webhookUrl ? { webhookUrl } : {}) }));
    } catch (error) {
      if (!(error instanceof VendorError)) throw error;
      if (queueFullCodes.has(error.code) && attempt < settings.RUNNINGHUB_QUEUE_RETRIES) {
        await sleep(300 * 2 ** attempt);
        continue;
      }
      throw new TaskFailure(3003, generationFailedReason(queueFullCodes.has(error.code) ? '服务繁忙' : ''), `${error.code}: ${error.message}`);
    }
  }
  if (!(await setVendorTask(task.id, vendorTaskId, settings.RUNNINGHUB_POLL_INTERVAL_SECONDS))) {
    // Someone ended the task while we were creating it (the sweeper at its deadline): it is settled.
    logger.warn('runninghub task started for a task that is no longer processing', { taskId: task.id, vendorTaskId });
  }
}

/** What a vendor check did, for callers that answer differently (the webhook asks for a retry on `error`). */
export type CheckOutcome = 'not-processing' | 'not-started' | 'throttled' | 'pending' | 'busy' | 'done' | 'failed' | 'error';

/**
 * Asks RunningHub about a processing model_pose12 task and finishes it: on success copies every
 * frame into COS and completes (confirm); on failure fails with 3003 (release). Polls are
 * throttled to one per RUNNINGHUB_POLL_INTERVAL_SECONDS per task in the database; `force` (the
 * webhook, the sweeper) skips the throttle but never a finishing lease. Exported for the sweeper.
 */
export async function checkRunningHubTask(task: Pick<TaskRow, 'id' | 'user_id' | 'status' | 'vendor' | 'vendor_task_id'>, options: { force?: boolean; finishedBy?: string } = {}): Promise<CheckOutcome> {
  if (task.status !== 'processing' || task.vendor !== 'runninghub') return 'not-processing';
  if (!task.vendor_task_id) return 'not-started';
  const { settings, runningHub } = taskServices();
  const interval = settings.RUNNINGHUB_POLL_INTERVAL_SECONDS;
  if (!options.force && !(await claimPoll(task.id, interval))) return 'throttled';

  let outcome;
  try {
    outcome = await runningHub.outputs(task.vendor_task_id);
  } catch (error) {
    // A vendor hiccup is not a task failure: the next poll asks again, the deadline bounds it.
    logger.warn('runninghub outputs failed', { taskId: task.id, vendorCode: (error as VendorError).code, vendorMessage: (error as Error).message });
    return 'error';
  }
  if (outcome.state === 'pending') return 'pending';
  if (outcome.state === 'failed') {
    logger.warn('runninghub task failed', { taskId: task.id, vendorReason: outcome.reason });
    await failTask(task.id, 3003, generationFailedReason(outcome.reason), task.user_id, options.finishedBy);
    return 'failed';
  }
  if (outcome.files.length !== POSE_FRAMES) {
    await failTask(task.id, 3003, generationFailedReason(`只生成了 ${outcome.files.length}/${POSE_FRAMES} 张`), task.user_id, options.finishedBy);
    return 'failed';
  }
  if (!(await takeFinishLease(task.id, interval, FINISH_LEASE_SECONDS))) return 'busy';

  let keys: string[];
  try {
    keys = await copyFrames(task.user_id, task.id, outcome.files.map((file) => file.url));
  } catch (error) {
    logger.warn('copying frames failed', { taskId: task.id, error: (error as Error).message });
    await reopenPoll(task.id, interval);
    return 'error';
  }
  const completed = await completeTask(task.id, keys, {
    userId: task.user_id,
    ...(options.finishedBy ? { finishedBy: options.finishedBy } : {}),
    ...(outcome.cost === undefined ? {} : { vendorCost: outcome.cost }),
    ...(outcome.runSeconds === undefined ? {} : { vendorRunSeconds: outcome.runSeconds }),
  });
  return completed ? 'done' : 'not-processing';
}

/** CI's on-upload conversion to JPEG (vendors.md §2.1 "on upload", §2.4 `format/jpg`). */
export const FRAME_JPEG_RULE = 'imageMogr2/format/jpg';

/**
 * Copies the frames into `output/{userId}/{taskId}/frame_NN.jpg`, TASK_COPY_CONCURRENCY at a
 * time: RunningHub's URLs expire after 24 h, ours must not. RunningHub (ComfyUI) saves PNG, and
 * the contract promises JPEGs, so a frame that is not one already is uploaded with a Pic-Operations
 * rule that has Cloud Infinite convert it and persist the result under the same key (the result
 * replaces the original, 1045/33695); no image codec runs in our function.
 */
export async function copyFrames(userId: string, taskId: string, urls: readonly string[]): Promise<string[]> {
  const { settings, store } = taskServices();
  const keys: string[] = new Array<string>(urls.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < urls.length; index = next++) {
      const url = urls[index] ?? '';
      const response = await fetch(url, { signal: vendorSignal(30_000) });
      if (!response.ok) throw new Error(`frame ${index + 1}: HTTP ${response.status}`);
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > MAX_FRAME_BYTES) throw new Error(`frame ${index + 1}: ${declared} bytes`);
      const bytes = Buffer.from(await response.arrayBuffer());
      const image = sniffImage(bytes);
      if (!image || bytes.length > MAX_FRAME_BYTES) throw new Error(`frame ${index + 1}: not a JPEG/PNG/WebP image of at most ${MAX_FRAME_BYTES} bytes`);
      const key = outputKey(userId, taskId, `frame_${String(index + 1).padStart(2, '0')}.jpg`);
      if (image.extension === 'jpg') await store.put(key, bytes, image.contentType);
      else {
        const processed = await store.put(key, bytes, image.contentType, { picOperations: JSON.stringify({ is_pic_info: 0, rules: [{ fileid: `/${key}`, rule: FRAME_JPEG_RULE }] }) });
        // A rule CI skipped (e.g. not enabled on the bucket) would leave PNG bytes under a .jpg name.
        const format = processed.find((object) => object.key === key)?.format;
        if (format !== 'jpg' && format !== 'jpeg') throw new Error(`frame ${index + 1}: Cloud Infinite did not convert it to JPEG (answered ${format ?? 'no result'})`);
      }
      keys[index] = key;
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.TASK_COPY_CONCURRENCY, urls.length) }, worker));
  return keys;
}
