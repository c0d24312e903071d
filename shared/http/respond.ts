import { AppError } from '../errors';
import type { HttpResponse } from './types';

/** What an endpoint returns: data for the contract's envelope, or a raw reply (payment callbacks). */
export type Reply =
  | { readonly kind: 'json'; readonly data: unknown; readonly message?: string; readonly status: number }
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly headers: Record<string, string> };

export function ok(data: unknown, message?: string): Reply {
  return message === undefined ? { kind: 'json', data, status: 200 } : { kind: 'json', data, message, status: 200 };
}

export function raw(status: number, body = '', headers: Record<string, string> = {}): Reply {
  return { kind: 'raw', status, body, headers };
}

const jsonType = { 'content-type': 'application/json; charset=utf-8' };

export function toHttpResponse(reply: Reply): HttpResponse {
  if (reply.kind === 'raw') return { statusCode: reply.status, headers: { ...reply.headers }, body: reply.body };
  const envelope: Record<string, unknown> = { success: true, data: reply.data };
  if (reply.message !== undefined) envelope.message = reply.message;
  return { statusCode: reply.status, headers: { ...jsonType }, body: JSON.stringify(envelope) };
}

export const INTERNAL_ERROR_CODE = 9999;

/**
 * The one error → envelope map. Known errors carry their code, Chinese message and field details;
 * anything else is a 500 with the request id and nothing internal.
 */
export function errorResponse(error: unknown, requestId: string): HttpResponse {
  if (error instanceof AppError) {
    const body: Record<string, unknown> = { code: error.code, message: error.message, requestId };
    if (error.details) body.details = error.details;
    const headers: Record<string, string> = { ...jsonType };
    if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    return { statusCode: error.status, headers, body: JSON.stringify({ success: false, error: body }) };
  }
  return {
    statusCode: 500,
    headers: { ...jsonType },
    body: JSON.stringify({ success: false, error: { code: INTERNAL_ERROR_CODE, message: '服务器内部错误', requestId } }),
  };
}
