import * as z from 'zod/mini';
import { TASK_ID_PATTERN } from '../media/keys';

/** Request shapes of the media and task endpoints (the contract's fields; messages name the rule). */
export const templates = ['white_bg', 'studio', 'live'] as const;
export const scenes = ['street', 'studio', 'indoor'] as const;
export const categories = ['shoes', 'dress', 'hoodie', 'coat'] as const;

const inputImageUrl = z.string({ error: 'inputImageUrl is required' }).check(z.minLength(1), z.maxLength(300));

/** An absolute http(s) URL; whether it may be called is decided at delivery (shared/vendors/webhook-sender.ts). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** Extension: where the task's JSON is POSTed, signed, when it ends (README "Completion webhooks"). */
const callbackUrl = z.optional(
  z.string('callbackUrl must be a string').check(z.maxLength(2048, 'callbackUrl must be at most 2048 characters'), z.refine(isHttpUrl, 'callbackUrl must be an absolute http(s) URL without credentials')),
);

export const basicCleanBody = z.object({
  type: z.literal('basic_clean'),
  inputImageUrl,
  callbackUrl,
  params: z._default(z.object({ template: z._default(z.enum(templates, `template must be one of ${templates.join('/')}`), 'white_bg') }), { template: 'white_bg' as const }),
});

export const modelPoseBody = z.object({
  type: z.literal('model_pose12'),
  inputImageUrl,
  callbackUrl,
  params: z.object(
    {
      scene: z.enum(scenes, `scene must be one of ${scenes.join('/')}`),
      category: z.enum(categories, `category must be one of ${categories.join('/')}`),
    },
    'params {scene, category} are required for model_pose12',
  ),
});

export const createTaskBody = z.discriminatedUnion('type', [basicCleanBody, modelPoseBody], 'type must be basic_clean or model_pose12');
export type CreateTaskBody = z.infer<typeof createTaskBody>;

/**
 * POST /task/retry/{taskId}'s optional JSON body: where the new task's completion webhook goes. The
 * body may be empty; without `callbackUrl` the new task keeps the original's.
 */
export const retryTaskBody = z.object({ callbackUrl });
export type RetryTaskBody = z.infer<typeof retryTaskBody>;

export const stsQuery = z.object({ taskId: z.optional(z.string()) });

/** Any string: a malformed id answers 404 like a missing one. */
export const taskParams = z.object({ taskId: z.string() });

export const isTaskId = (value: string): boolean => TASK_ID_PATTERN.test(value);

export const MAX_LIST_LIMIT = 50;

/**
 * Keyset position in GET /task/list: the last listed task's creation time (ms) and id, opaque to
 * clients (base64url of `<ms>:<id>`). The next page holds the tasks strictly older in the list's
 * order (created_at DESC, id DESC), so tasks created meanwhile neither repeat nor shift it.
 */
export interface TaskCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/** The latest instant a DATETIME holds (9999-12-31 23:59:59.999 UTC). */
const MAX_CURSOR_MS = 253_402_300_799_999;

export function encodeCursor(task: { readonly createdAt: Date; readonly id: string }): string {
  return Buffer.from(`${task.createdAt.getTime()}:${task.id}`, 'utf8').toString('base64url');
}

/** The cursor a client sent back, or undefined when it is not one this API issued in form. */
export function decodeCursor(value: string): TaskCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.toString('base64url') !== value) return undefined;
  const match = /^(\d{1,15}):(.+)$/.exec(bytes.toString('utf8'));
  const ms = Number(match?.[1]);
  const id = match?.[2];
  if (!match || !id || ms > MAX_CURSOR_MS || !TASK_ID_PATTERN.test(id)) return undefined;
  return { createdAt: new Date(ms), id };
}

const cursor = z.pipe(
  z.string().check(z.refine((value) => decodeCursor(value) !== undefined, 'cursor is malformed: pass back nextCursor as received')),
  z.transform((value: string) => decodeCursor(value) as TaskCursor),
);

export const listQuery = z.object({
  limit: z._default(
    z.pipe(
      z.coerce.number().check(z.refine((value) => Number.isInteger(value) && value >= 1, 'limit must be a positive integer')),
      // The contract has no maximum; larger pages are capped rather than refused.
      z.transform((value: number) => Math.min(value, MAX_LIST_LIMIT)),
    ),
    10,
  ),
  offset: z._default(z.coerce.number().check(z.refine((value) => Number.isInteger(value) && value >= 0 && value <= 1_000_000, 'offset must be an integer from 0')), 0),
  status: z._default(z.enum(['all', 'processing', 'done', 'failed', 'cancelled'], 'status must be all/processing/done/failed/cancelled'), 'all'),
  /** Extension: keyset paging, the page after this position (offset must then be 0 or absent). */
  cursor: z.optional(cursor),
}).check(z.refine((query) => query.cursor === undefined || query.offset === 0, { path: ['offset'], error: 'offset must be 0 or absent when a cursor is given' }));
export type ListQuery = z.infer<typeof listQuery>;

/** The webhook's token; a malformed one answers 404 like an unknown one. */
export const callbackQuery = z.object({ token: z._default(z.string(), '') });
export const isWebhookToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);
