import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
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

/** Wraps one neutral core in both platforms' entry points. */
export function platformHandlers(core: (request: HttpRequest, context: Context) => Promise<HttpResponse>, options: HttpParseOptions): PlatformHandlers {
  const invoke = async (toRequest: () => HttpRequest, toContext: (request: HttpRequest) => Context) => {
    let request: HttpRequest;
    try {
      request = toRequest();
    } catch {
      return toPlatformResult(errorResponse(new Error('unreadable platform event'), 'unknown'));
    }
    return toPlatformResult(await core(request, toContext(request)));
  };
  return {
    handler: (event, context) => invoke(() => fromAwsHttpEvent(event, context, options), () => context),
    main_handler: (event, context) => invoke(() => fromScfHttpEvent(event, context, options), (request) => lambdaContextFromScf(context, request.requestId)),
  };
}

