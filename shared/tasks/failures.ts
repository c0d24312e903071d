import { ContentRejectedError, GarmentNotFoundError, GenerationFailedError, GenerationTimeoutError, ImageProcessingError, TaskCancelledError, type AppError } from '../errors';

/**
 * The one table of task failures: for each code a task can end with, the error a client gets
 * (class, HTTP status and the contract's user message, shared/errors.ts) and the reason stored on
 * the task and shown as errorReason. Both are the contract's own words (seeds/000: the error table's
 * 用户提示 column; 3002's reason is the contract's failed-task example). Vendor detail never goes
 * here: it is logged and kept in tasks.error_detail (TaskFailure.detail). 3004 (extension) is the
 * code of a task its owner cancelled (status `cancelled`, not `failed`); its words are our own, as
 * the contract has no cancel.
 */
export type TaskErrorCode = 2003 | 3001 | 3002 | 3003 | 3004 | 4001;

interface FailureEntry {
  readonly error: new () => AppError;
  /** errorReason of the failed task. */
  readonly reason: string;
}

export const taskFailures = {
  2003: { error: GarmentNotFoundError, reason: '未检测到服装,请更换图片' },
  3001: { error: ImageProcessingError, reason: '图像处理失败,请重试' },
  3002: { error: GenerationTimeoutError, reason: '生成超时,已返还配额' },
  3003: { error: GenerationFailedError, reason: 'AI服务暂时不可用,请重试' },
  4001: { error: ContentRejectedError, reason: '内容不符合使用规范,已返还本次次数' },
  3004: { error: TaskCancelledError, reason: '已取消,已返还配额' },
} as const satisfies Record<TaskErrorCode, FailureEntry>;

/** How a task that holds quota fails: its code and, for logs and tasks.error_detail only, the vendor's detail. */
export class TaskFailure extends Error {
  constructor(
    readonly code: TaskErrorCode,
    readonly detail: string | null = null,
  ) {
    super(`task failure ${code}${detail ? `: ${detail}` : ''}`);
    this.name = 'TaskFailure';
  }

  get reason(): string {
    return taskFailures[this.code].reason;
  }
}

/** The error envelope a client gets for a task failure (DESIGN.md's HTTP status per code). */
export function errorForCode(code: TaskErrorCode): AppError {
  return new taskFailures[code].error();
}

/** A stored error_code as a task failure code (undefined for anything else). */
export function asTaskErrorCode(value: number | null): TaskErrorCode | undefined {
  return value !== null && value in taskFailures ? (value as TaskErrorCode) : undefined;
}
