import * as z from 'zod/mini';
import { isoDateTime } from '../responses';
import { taskEventKinds } from './events';

/** Success `data` of the task routes (contract §8–10), for the OpenAPI document only (see shared/responses.ts). */

export const taskType = z.enum(['basic_clean', 'model_pose12']);
/** `cancelled` (extension): its owner cancelled it (POST /task/cancel/{taskId}); the quota came back. */
export const taskStatus = z.enum(['processing', 'done', 'failed', 'cancelled']);

/** POST /task/create (shared/tasks/view.ts taskSummary). */
export const taskSummaryData = z.object({ taskId: z.string(), status: taskStatus, createdAt: isoDateTime });

/** Extension: POST /task/retry/{taskId} (shared/tasks/retry.ts RetryAnswer): the new task as create answers it, and the task it re-runs. */
export const taskRetryData = z.object({ ...taskSummaryData.shape, originalTaskId: z.string() });

/** What may happen to a task: the trail's own list (shared/tasks/events.ts). */
export const taskEventKind = z.enum(taskEventKinds);

/** One line of a task's trail in GET /task/{taskId}'s `logs` (shared/tasks/events.ts taskEventView without its data). */
export const taskLog = z.object({
  kind: taskEventKind,
  level: z.enum(['info', 'warn', 'error']),
  /** Chinese, for the user. */
  message: z.string(),
  createdAt: isoDateTime,
});

/** One event of GET /task/events/{taskId}: the log line and, when it has any, its small user-safe data (counts, codes, statuses). */
export const taskEvent = z.object({ ...taskLog.shape, data: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))) });

/** Extension: GET /task/events/{taskId}, oldest first. */
export const taskEventsData = z.object({ taskId: z.string(), events: z.array(taskEvent) });

const taskFields = {
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
 * The task as the contract shows it (shared/tasks/view.ts taskView), split by status: result URLs
 * only when done (1 image, or 12 frames); a failed task adds the error code (extension) and the
 * contract's errorReason, a cancelled one (extension) 3004 and its reason.
 */
const byStatus = <F extends z.core.$ZodLooseShape>(fields: F) =>
  z.discriminatedUnion('status', [
    z.object({ ...fields, status: z.literal('processing'), resultUrls: z.null(), resultKeys: z.null() }),
    z.object({ ...fields, status: z.literal('done'), resultUrls: z.array(z.string()), resultKeys: z.array(z.string()) }),
    z.object({ ...fields, status: z.literal('failed'), resultUrls: z.null(), resultKeys: z.null(), errorCode: z.int(), errorReason: z.string() }),
    z.object({ ...fields, status: z.literal('cancelled'), resultUrls: z.null(), resultKeys: z.null(), errorCode: z.literal(3004), errorReason: z.string() }),
  ]);

/**
 * GET /task/{taskId} (shared/tasks/read.ts TaskDetails): the task and, as extensions, its progress
 * and trail. The same JSON is a completion webhook's body and POST /task/cancel/{taskId}'s answer.
 */
export const taskViewData = byStatus({
  ...taskFields,
  /** Extension: 0–100 from the trail; 100 once the task ended. */
  progress: z.int().check(z.gte(0), z.lte(100)),
  /** Extension: the task's trail, oldest first (GET /task/events/{taskId} adds each event's data). */
  logs: z.array(taskLog),
});

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

/** Extension: GET /webhook/secret and POST /webhook/secret/rotate (shared/tasks/client-webhooks.ts WebhookSecretView). */
export const webhookSecretData = z.object({
  /** `whsec_` and base64: the Standard Webhooks signing key of the caller's completion webhooks. */
  secret: z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/)),
  createdAt: isoDateTime,
  /** When it was last replaced; null if never. */
  rotatedAt: z.nullable(isoDateTime),
});

/** Extension: GET /abilities/{abilityId}, and each entry of GET /abilities (shared/tasks/abilities.ts Ability). */
export const abilityData = z.object({
  id: taskType,
  name: z.string(),
  description: z.string(),
  /** Quota units one run holds (and keeps when it ends done). */
  price: z.int().check(z.gt(0)),
  outputs: z.object({ count: z.int().check(z.gt(0)), kind: z.literal('image') }),
  /** A typical run, from create to done, in seconds. */
  typicalSeconds: z.int().check(z.gt(0)),
  /** JSON Schema (draft-07) of POST /task/create's body for this type, generated from the schema create validates with. */
  inputSchema: z.record(z.string(), z.unknown()),
});

/** Extension: GET /abilities. */
export const abilitiesData = z.object({ abilities: z.array(abilityData) });
