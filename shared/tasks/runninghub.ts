import { vendorSignal } from '../deadline';
import { outputKey } from '../media/keys';
import { VendorError } from '../vendors/vendor-error';
import { TaskFailure } from './failures';
import { sniffImage } from './images';
import type { TaskPorts } from './ports';

/** model_pose12 makes exactly this many frames; fewer or more is a failed generation. */
export const POSE_FRAMES = 12;
/** The largest frame we copy; RunningHub's own upload cap is 30 MB. */
const MAX_FRAME_BYTES = 30 * 1024 * 1024;
/** Vendor answers that mean "busy now, try again shortly" (vendors.md §1.12). */
const queueFullCodes = new Set(['TASK_QUEUE_MAXED', 'TASK_INSTANCE_MAXED']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts the RunningHub workflow for a held task and returns RunningHub's task id: the garment as a
 * presigned URL valid past the task's deadline, scene and category, and the webhook with the task's
 * unguessable token. A full queue is retried with backoff; any other refusal is a 3003 TaskFailure
 * (the caller fails the task).
 */
export async function startRunningHub(ports: TaskPorts, task: { id: string; inputKey: string; params: Record<string, string>; webhookToken: string | null }): Promise<string> {
  const { settings, tasks, store, runningHub } = ports;
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
      throw new TaskFailure(3003, `runninghub create: ${error.code}: ${error.message}`);
    }
  }
  return vendorTaskId;
}

/** CI's on-upload conversion to JPEG (vendors.md §2.1 "on upload", §2.4 `format/jpg`). */
export const FRAME_JPEG_RULE = 'imageMogr2/format/jpg';

/**
 * Copies the frames into `output/{userId}/{taskId}/frame_NN.jpg`, TASK_COPY_CONCURRENCY at a
 * time: RunningHub's URLs expire after 24 h, ours must not. RunningHub (ComfyUI) saves PNG, and
 * the contract promises JPEGs, so a frame that is not one already is uploaded with a Pic-Operations
 * rule that has Cloud Infinite convert it and persist the result under the same key (the result
 * replaces the original, 1045/33695); no image codec runs in our function. `onCopied` hears the
 * running count after each frame lands (the event trail's n/12).
 */
export async function copyFrames(
  ports: Pick<TaskPorts, 'settings' | 'store'>,
  userId: string,
  taskId: string,
  urls: readonly string[],
  onCopied: (copied: number) => void = () => undefined,
): Promise<string[]> {
  const { settings, store } = ports;
  const keys: string[] = new Array<string>(urls.length);
  let next = 0;
  let copied = 0;
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
      copied += 1;
      onCopied(copied);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.TASK_COPY_CONCURRENCY, urls.length) }, worker));
  return keys;
}
