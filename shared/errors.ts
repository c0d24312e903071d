/**
 * Every failure a caller can see is one of these named classes. The HTTP layer maps them to the
 * contract's envelope in one place (shared/http/respond.ts); nothing else builds error responses.
 * Codes 1001-5002 are the contract's, each with the contract's user message (seeds/000 错误码); the
 * others are documented extensions (README.md, "Errors") whose message is the contract's word for
 * their HTTP status where it has one (400 请求参数错误, 403 权限不足, 404 资源不存在, 429 请求过于频繁).
 * test/unit/error-messages.test.ts holds every message to this.
 */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export abstract class AppError extends Error {
  abstract readonly code: number;
  abstract readonly status: number;
  readonly details?: readonly FieldIssue[];
  /** Seconds a client should wait, sent as Retry-After. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, extra?: { details?: readonly FieldIssue[]; retryAfterSeconds?: number }) {
    super(message);
    this.name = new.target.name;
    if (extra?.details) this.details = extra.details;
    if (extra?.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

export class ValidationError extends AppError {
  readonly code = 1000;
  readonly status = 400;
  constructor(details: readonly FieldIssue[], message = '请求参数错误') {
    super(message, { details });
  }
}

export class UnauthorizedError extends AppError {
  readonly code = 1001;
  readonly status = 401;
  constructor(message = '请先登录') {
    super(message);
  }
}

export class NotMemberError extends AppError {
  readonly code = 1002;
  readonly status = 403;
  constructor(message = '请购买会员后使用') {
    super(message);
  }
}

export class QuotaExhaustedError extends AppError {
  readonly code = 1003;
  readonly status = 403;
  constructor(message = '剩余次数不足,请续费') {
    super(message);
  }
}

export class RateLimitedError extends AppError {
  readonly code = 1004;
  readonly status = 429;
  constructor(retryAfterSeconds: number, message = '请求过于频繁') {
    super(message, { retryAfterSeconds });
  }
}

export class InvalidCodeError extends AppError {
  readonly code = 1005;
  readonly status = 400;
  constructor(message = '请求参数错误') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly code = 1006;
  readonly status = 403;
  constructor(message = '权限不足') {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly code = 1007;
  readonly status = 404;
  constructor(message = '资源不存在') {
    super(message);
  }
}

export class MethodNotAllowedError extends AppError {
  readonly code = 1008;
  readonly status = 405;
  constructor(message = '不支持的请求方法') {
    super(message);
  }
}

export class PayloadTooLargeError extends AppError {
  readonly code = 1009;
  readonly status = 413;
  constructor(message = '请求体过大') {
    super(message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly code = 1010;
  readonly status = 415;
  constructor(message = '请使用 application/json') {
    super(message);
  }
}

export class ImageFormatError extends AppError {
  readonly code = 2001;
  readonly status = 400;
  constructor(message = '请上传 JPG/PNG 格式图片') {
    super(message);
  }
}

export class ImageTooLargeError extends AppError {
  readonly code = 2002;
  readonly status = 400;
  constructor(message = '图片不能超过 10MB') {
    super(message);
  }
}

export class GarmentNotFoundError extends AppError {
  readonly code = 2003;
  readonly status = 400;
  constructor(message = '未检测到服装,请更换图片') {
    super(message);
  }
}

export class ImageProcessingError extends AppError {
  readonly code = 3001;
  readonly status = 502;
  constructor(message = '图像处理失败,请重试') {
    super(message);
  }
}

export class GenerationTimeoutError extends AppError {
  readonly code = 3002;
  readonly status = 502;
  constructor(message = '生成超时,请稍后重试') {
    super(message);
  }
}

export class GenerationFailedError extends AppError {
  readonly code = 3003;
  readonly status = 502;
  constructor(message = 'AI服务暂时不可用,请重试') {
    super(message);
  }
}

export class ContentRejectedError extends AppError {
  readonly code = 4001;
  readonly status = 422;
  constructor(message = '内容不符合使用规范,已返还本次次数') {
    super(message);
  }
}

export class PaymentFailedError extends AppError {
  readonly code = 5001;
  readonly status = 402;
  constructor(message = '支付失败,请重试') {
    super(message);
  }
}

export class OrderNotFoundError extends AppError {
  readonly code = 5002;
  readonly status = 404;
  constructor(message = '订单不存在') {
    super(message);
  }
}

export class SmsDeliveryError extends AppError {
  readonly code = 6001;
  readonly status = 502;
  constructor(message = '短信发送失败,请稍后重试') {
    super(message);
  }
}

/**
 * No database connection could be had: the server's connection limits (max_connections,
 * max_user_connections, the account's MAX_USER_CONNECTIONS) or it could not be reached in time.
 * Nothing was sent, so nothing was written; the client may try again after Retry-After. Made in one
 * place, where shared/db/pool.ts opens a connection. The contract has no word for 503, so the
 * message is our own. `cause` keeps the driver's error for the log line.
 */
export class ServiceBusyError extends AppError {
  readonly code = 1011;
  readonly status = 503;
  constructor(retryAfterSeconds = 3, message = '服务繁忙,请稍后重试', cause?: unknown) {
    super(message, { retryAfterSeconds });
    if (cause !== undefined) this.cause = cause;
  }
}

/** Narrows an unknown thrown value (JavaScript can throw anything). */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** WeChat OAuth (code → openid) could not be completed on WeChat's side; the client may retry. */
export class WechatAuthError extends AppError {
  readonly code = 6002;
  readonly status = 502;
  constructor(message = '微信授权失败,请重试') {
    super(message);
  }
}

/**
 * A refresh token that is unknown, expired, retired, revoked, or issued before the user's sessions
 * were ended (docs/decisions/0015-refresh-tokens.md): the client logs in again. One answer for every
 * case, so a caller learns nothing about which. The contract's word for 401.
 */
export class RefreshTokenInvalidError extends AppError {
  readonly code = 1015;
  readonly status = 401;
  constructor(message = '未登录或token无效') {
    super(message);
  }
}

/**
 * send-code from an address past CAPTCHA_AFTER_SENDS_PER_IP_HOUR needs a Tencent Captcha ticket: it
 * was missing, or Tencent did not accept it. `details` names the field and says which; the client
 * shows the captcha and sends the new ticket. The contract's word for 400.
 */
export class CaptchaRequiredError extends AppError {
  readonly code = 1016;
  readonly status = 400;
  constructor(reason: 'required' | 'failed' = 'required', message = '请求参数错误') {
    super(message, { details: [{ field: 'captchaTicket', message: reason === 'required' ? '请先完成人机验证' : '人机验证未通过,请重试' }] });
  }
}

/** A refund asked for an order that is not paid (pending or failed): nothing was taken, so nothing goes back. */
export class OrderNotRefundableError extends AppError {
  readonly code = 5003;
  readonly status = 409;
  constructor(message = '订单状态不允许退款') {
    super(message);
  }
}

/**
 * The payment platform refused the refund, or could not be asked. The order says which: `paid` again
 * after a refusal (support may try later), `refunding` when the outcome is unknown (the sweeper asks
 * the platform and finishes it).
 */
export class RefundFailedError extends AppError {
  readonly code = 5004;
  readonly status = 502;
  constructor(message = '退款失败,请稍后重试') {
    super(message);
  }
}

/**
 * The task was cancelled by its owner (POST /task/cancel/{taskId}; extension): its quota came back.
 * The failure table's entry for a task that ends `cancelled` (shared/tasks/failures.ts); the contract
 * has no word for 409, so the message is our own.
 */
export class TaskCancelledError extends AppError {
  readonly code = 3004;
  readonly status = 409;
  constructor(message = '已取消,已返还配额') {
    super(message);
  }
}

/**
 * POST /task/retry/{taskId} on a task that is still processing or ended done (extension): only a
 * failed or cancelled task is re-run. The contract has no word for 409.
 */
export class TaskNotRetryableError extends AppError {
  readonly code = 1012;
  readonly status = 409;
  constructor(message = '任务处理中或已完成,无法重试') {
    super(message);
  }
}

/**
 * The uploaded image a retry would re-use is no longer in storage (extension): the client uploads it
 * again and creates a new task. 410 Gone, a status the contract has no word for.
 */
export class InputGoneError extends AppError {
  readonly code = 2004;
  readonly status = 410;
  constructor(message = '原图已不存在,请重新上传后创建任务') {
    super(message);
  }
}
