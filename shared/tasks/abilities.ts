import * as z from 'zod/mini';
import type { TaskType } from '../db/repositories/tasks';
import { QUOTA_PER_TASK } from '../quota/price';
import { POSE_FRAMES } from './runninghub';
import { basicCleanBody, modelPoseBody } from './schemas';

/**
 * GET /abilities and GET /abilities/{abilityId}: what the app offers, one entry per task type (seed
 * 004's ability catalogue). `inputSchema` is generated from the very zod schema that validates
 * POST /task/create for that type (shared/tasks/schemas.ts), so the catalogue cannot drift from
 * validation (test/unit/abilities.test.ts feeds the same bodies to both). It describes the request's
 * input (`io: 'input'`: defaulted fields are optional) as JSON Schema draft-07, the draft most
 * client form and validation tools read. Generated on first use and kept for the instance: only
 * this function pays for it.
 */
export interface Ability {
  readonly id: TaskType;
  readonly name: string;
  readonly description: string;
  /** Quota units one run holds (and keeps when it ends done). */
  readonly price: number;
  readonly outputs: { readonly count: number; readonly kind: 'image' };
  /** A typical run, from create to done (basic_clean answers within its create request). */
  readonly typicalSeconds: number;
  readonly inputSchema: Record<string, unknown>;
}

const catalogue = [
  {
    id: 'basic_clean',
    name: '基础精修',
    description: '去除商品图背景并铺上所选模板底色(白底/影棚/生活),输出 1 张 JPG,创建请求内同步完成。',
    outputs: { count: 1, kind: 'image' },
    typicalSeconds: 5,
    body: basicCleanBody,
  },
  {
    id: 'model_pose12',
    name: '模特12姿势',
    description: `由 AI 模特按所选场景与品类穿上服装,生成 ${POSE_FRAMES} 张不同姿势的 JPG,异步完成,可轮询任务状态。`,
    outputs: { count: POSE_FRAMES, kind: 'image' },
    typicalSeconds: 90,
    body: modelPoseBody,
  },
] as const;

let built: readonly Ability[] | undefined;

export function abilities(): readonly Ability[] {
  built ??= catalogue.map(({ body, ...entry }) => ({
    ...entry,
    price: QUOTA_PER_TASK,
    inputSchema: z.toJSONSchema(body, { io: 'input', target: 'draft-07' }) as Record<string, unknown>,
  }));
  return built;
}

export function findAbility(id: string): Ability | undefined {
  return abilities().find((ability) => ability.id === id);
}
