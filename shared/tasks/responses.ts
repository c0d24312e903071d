import * as z from 'zod/mini';
import { isoDateTime } from '../responses';

/** Success `data` of the task routes (contract §8–10), for the OpenAPI document only (see shared/responses.ts). */

export const taskType = z.enum(['basic_clean', 'model_pose12']);
export const taskStatus = z.enum(['processing', 'done', 'failed']);

/** POST /task/create (shared/tasks/view.ts taskSummary). */
export const taskSummaryData = z.object({ taskId: z.string(), status: taskStatus, createdAt: isoDateTime });

const taskViewFields = {
  id: z.string(),
  type: taskType,
  /** The COS key the task was created with. */
  inputUrl: z.string(),
  /** basic_clean: `{template}`; model_pose12: `{scene, category}`. */
  params: z.record(z.string(), z.string()),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
};

/**
 * GET /task/{taskId} (shared/tasks/view.ts taskView): result URLs only when done (1 image, or 12
 * frames); a failed task adds the error code (extension) and the contract's errorReason.
 */
export const taskViewData = z.discriminatedUnion('status', [
  z.object({ ...taskViewFields, status: z.literal('processing'), resultUrls: z.null() }),
  z.object({ ...taskViewFields, status: z.literal('done'), resultUrls: z.array(z.string()) }),
  z.object({ ...taskViewFields, status: z.literal('failed'), resultUrls: z.null(), errorCode: z.int(), errorReason: z.string() }),
]);

/** One entry of GET /task/list (shared/tasks/view.ts taskListItem); the thumbnail is the first result. */
export const taskListItem = z.object({ id: z.string(), type: taskType, status: taskStatus, thumbnail: z.nullable(z.string()), createdAt: isoDateTime });

export const taskListData = z.object({
  tasks: z.array(taskListItem),
  total: z.int().check(z.gte(0)),
  /** The page size used (requests above the maximum are capped). */
  limit: z.int().check(z.gte(1)),
  offset: z.int().check(z.gte(0)),
  /** Extension: pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.nullable(z.string()),
});

/** POST /task/runninghub-callback: the task's status after the delivery was handled. */
export const runningHubCallbackData = z.object({ status: taskStatus });

/** POST /task/runninghub-callback when the vendor could not be asked: 503 with Retry-After, RunningHub delivers again. */
export const runningHubRetryBody = z.object({ success: z.literal(false), retry: z.literal(true) });
