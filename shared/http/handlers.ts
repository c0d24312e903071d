import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { withDeadline } from '../deadline';
import { asError } from '../errors';
import { logger } from '../logger';
import { securityHeaders } from './middleware';
import { fromAwsHttpEvent, fromScfHttpEvent, lambdaContextFromScf, toPlatformResult, type HttpParseOptions, type ScfContext, type ScfHttpEvent } from './platform';
import { errorResponse } from './respond';
import type { HttpRequest, HttpResponse } from './types';

/**
 * A function's two entry points over one neutral core. Kept apart from endpoint.ts so a function
 * that needs no authentication (the catch-all) does not bundle the session and database code.
 */
export interface PlatformHandlers {
  /** AWS Lambda entry (HTTP API payload 2.0). */
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse & { isBase64Encoded: false }>;
  /** Tencent SCF entry (Function URL / API Gateway event). */
  main_handler: (event: ScfHttpEvent, context: ScfContext) => Promise<HttpResponse & { isBase64Encoded: false }>;
}

/** Wraps one neutral core in both platforms' entry points; `timeLimitSeconds` is the function's own (route table). */
export function platformHandlers(core: (request: HttpRequest, context: Context) => Promise<HttpResponse>, options: HttpParseOptions, timeLimitSeconds: number): PlatformHandlers {
  const invoke = async (toRequest: () => HttpRequest, toContext: (request: HttpRequest) => Context, platformRequestId: string | undefined) => {
    let request: HttpRequest;
    try {
      request = toRequest();
    } catch (error) {
      // The middy stack never ran, so this path gives its own request id, log line and headers.
      const requestId = platformRequestId ?? randomUUID();
      logger.error('unreadable platform event', { requestId, error: asError(error) });
      const response = errorResponse(error, requestId);
      return toPlatformResult({ ...response, headers: { ...response.headers, ...securityHeaders, 'x-request-id': requestId } });
    }
    const context = toContext(request);
    const remainingMs = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 0;
    const answer = () => core(request, context);
    // Vendor calls inside the request cut their timeouts to this (shared/deadline.ts).
    return toPlatformResult(await (remainingMs > 0 ? withDeadline(Date.now() + remainingMs, answer) : answer()));
  };
  return {
    handler: (event, context) => invoke(() => fromAwsHttpEvent(event, context, options), () => context, context?.awsRequestId),
    main_handler: (event, context) =>
      invoke(() => fromScfHttpEvent(event, context, options), (request) => lambdaContextFromScf(context, request.requestId, timeLimitSeconds * 1000), context?.request_id),
  };
}

