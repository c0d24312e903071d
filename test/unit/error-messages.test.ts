import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from '../../shared/errors';
import { errorResponse } from '../../shared/http/respond';
import { taskFailures, type TaskErrorCode } from '../../shared/tasks/failures';

/**
 * Every message a user can see comes from the API contract (../shared/seeds/000, beside the
 * project): a contract code says its 用户提示, an extension code says the contract's word for its
 * HTTP status where the contract has one, and a failed task's errorReason is the contract's.
 */
const contract = readFileSync(fileURLToPath(new URL('../../../shared/seeds/000_c14ac2d0488d0e16.md', import.meta.url)), 'utf8');

/** `| 1002 | 非会员 | 请购买会员后使用 |` → 1002 → 请购买会员后使用 */
const contractMessages = new Map([...contract.matchAll(/^\| (\d{4}) \| [^|]+ \| ([^|]+?) \|$/gm)].map((match) => [Number(match[1]), match[2] ?? '']));
/** `| 403 | 权限不足 |` → 403 → 权限不足 */
const statusMessages = new Map([...contract.matchAll(/^\| (\d{3}) \| ([^|]+?) \|$/gm)].map((match) => [Number(match[1]), match[2] ?? '']));

type AnyAppError = new (...args: never[]) => errors.AppError;
const errorClasses = (Object.values(errors) as unknown[]).filter((value): value is AnyAppError => typeof value === 'function' && value.prototype instanceof errors.AppError);
/** Each class with its default message (the two with required arguments get harmless ones). */
const instance = (ErrorClass: AnyAppError): errors.AppError => {
  if (ErrorClass === errors.ValidationError) return new errors.ValidationError([]);
  if (ErrorClass === errors.RateLimitedError) return new errors.RateLimitedError(1);
  return new (ErrorClass as unknown as new () => errors.AppError)();
};

describe('user-facing messages', () => {
  it('reads the contract’s error and status tables', () => {
    expect(contractMessages.get(1001)).toBe('请先登录');
    expect(statusMessages.get(404)).toBe('资源不存在');
  });

  it.each(errorClasses.map((ErrorClass) => [ErrorClass.name, ErrorClass] as const))('%s says the contract’s message for its code, or for its HTTP status', (_name, ErrorClass) => {
    // Arrange
    const error = instance(ErrorClass);
    const expected = contractMessages.get(error.code) ?? statusMessages.get(error.status);

    // Assert: a status the contract has no word for (405, 413, 415, SMS/OAuth 502) keeps its own
    expect(error.message).toBe(expected ?? error.message);
  });

  it('answers an unexpected error with the contract’s 500 message', () => {
    // Act
    const response = errorResponse(new Error('internal detail'), 'req-1');

    // Assert
    expect(JSON.parse(response.body)).toEqual({ success: false, error: { code: 9999, message: statusMessages.get(500), requestId: 'req-1' } });
  });

  /** Extension task codes the contract has no words for (3004 cancelled, README "Errors"). */
  const extensionTaskCodes: readonly TaskErrorCode[] = [3004];

  it.each((Object.keys(taskFailures).map(Number) as TaskErrorCode[]).filter((code) => !extensionTaskCodes.includes(code)))('task failure %i: errorReason is the contract’s, and so is the error a client gets', (code) => {
    // Arrange
    const { error: ErrorClass, reason } = taskFailures[code];
    const contractWords = [...contractMessages.values(), '生成超时,已返还配额'];

    // Assert
    expect(contractWords).toContain(reason);
    expect(contract).toContain(reason);
    expect(new ErrorClass().message).toBe(contractMessages.get(code));
  });

  it.each(extensionTaskCodes)('extension task code %i: not a contract code, its reason and error message are one text', (code) => {
    // Arrange
    const { error: ErrorClass, reason } = taskFailures[code];

    // Assert
    expect(contractMessages.has(code)).toBe(false);
    expect(new ErrorClass().message).toBe(reason);
  });
});
