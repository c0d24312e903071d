import * as z from 'zod/mini';
import { TASK_ID_PATTERN } from '../media/keys';

/** Request shapes of the media and task endpoints (the contract's fields; messages name the rule). */
export const templates = ['white_bg', 'studio', 'live'] as const;
export const scenes = ['street', 'studio', 'indoor'] as const;
export const categories = ['shoes', 'dress', 'hoodie', 'coat'] as const;

const inputImageUrl = z.string({ error: 'inputImageUrl is required' }).check(z.minLength(1), z.maxLength(300));

const basicCleanBody = z.object({
  type: z.literal('basic_clean'),
  inputImageUrl,
  params: z._default(z.object({ template: z._default(z.enum(templates, `template must be one of ${templates.join('/')}`), 'white_bg') }), { template: 'white_bg' as const }),
});

const modelPoseBody = z.object({
  type: z.literal('model_pose12'),
  inputImageUrl,
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

export const stsQuery = z.object({ taskId: z.optional(z.string()) });

/** Any string: a malformed id answers 404 like a missing one. */
export const taskParams = z.object({ taskId: z.string() });

export const isTaskId = (value: string): boolean => TASK_ID_PATTERN.test(value);

export const MAX_LIST_LIMIT = 50;

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
  status: z._default(z.enum(['all', 'processing', 'done', 'failed'], 'status must be all/processing/done/failed'), 'all'),
});

/** The webhook's token; a malformed one answers 404 like an unknown one. */
export const callbackQuery = z.object({ token: z._default(z.string(), '') });
export const isWebhookToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);
