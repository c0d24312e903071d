import {
  ContentRejectedError,
  GarmentNotFoundError,
  GenerationFailedError,
  GenerationTimeoutError,
  ImageProcessingError,
  type AppError,
} from '../errors';
import type { TaskErrorCode } from './transitions';

/**
 * How a task that already holds quota fails: a code from the contract and the reason stored on the
 * task (what GET /task/{id} shows as errorReason). Every reason says the quota came back, as the
 * contract's own example does ("生成超时,已返还配额").
 */
export class TaskFailure extends Error {
  constructor(
    readonly code: TaskErrorCode,
    readonly reason: string,
    /** For logs only (vendor code/message); never stored or shown. */
    readonly detail?: string,
  ) {
    super(reason);
    this.name = 'TaskFailure';
  }
}

export const failureReasons = {
  2003: '未检测到服装,已返还配额',
  3001: '图像处理失败,已返还配额',
  3002: '生成超时,已返还配额',
  3003: 'AI生成失败,已返还配额',
  4001: '内容不符合使用规范,已返还本次次数',
} as const satisfies Record<TaskErrorCode, string>;

/** A 3003 reason with the vendor's short explanation (node and message, never a traceback). */
export function generationFailedReason(vendorReason: string): string {
  const short = vendorReason.replace(/\s+/g, ' ').trim().slice(0, 120);
  return short ? `${failureReasons[3003]}(${short})` : failureReasons[3003];
}

/** The error envelope a client gets for a task failure (DESIGN.md's HTTP status per code). */
export function errorForCode(code: TaskErrorCode): AppError {
  switch (code) {
    case 2003:
      return new GarmentNotFoundError();
    case 3001:
      return new ImageProcessingError();
    case 3002:
      return new GenerationTimeoutError();
    case 3003:
      return new GenerationFailedError();
    case 4001:
      return new ContentRejectedError();
  }
}

const taskErrorCodes: ReadonlySet<number> = new Set(Object.keys(failureReasons).map(Number));

/** A stored error_code as a task failure code (undefined for anything else). */
export function asTaskErrorCode(value: number | null): TaskErrorCode | undefined {
  return value !== null && taskErrorCodes.has(value) ? (value as TaskErrorCode) : undefined;
}
