import middy from '@middy/core';
import { config } from '../config';
import { MethodNotAllowedError, NotFoundError } from '../errors';
import { fallbackRoute, findRoute, httpRoutes, type HttpRoute } from '../routes';
import { platformHandlers, type PlatformHandlers } from './handlers';
import { errorEnvelope, httpContext } from './middleware';
import type { HttpRequest, HttpResponse } from './types';

/** The catch-all function: 405 when the path exists under another method, else 404. */
export function defineFallback(): PlatformHandlers {
  const settings = config();
  const pseudoRoute: HttpRoute = { ...fallbackRoute, method: 'GET', path: '/' };
  const core = middy<HttpRequest, HttpResponse>({ timeoutEarlyInMillis: 0 })
    .use(httpContext(settings, pseudoRoute))
    .use(errorEnvelope())
    .handler(async (request) => {
      const found = findRoute(httpRoutes, request.method, request.path);
      if (found && 'methodMismatch' in found) {
        if (request.method === 'OPTIONS') return { statusCode: 204, headers: {}, body: '' };
        throw new MethodNotAllowedError();
      }
      throw new NotFoundError();
    });
  return platformHandlers(core, { routePath: '/', basePath: settings.API_BASE_PATH }, fallbackRoute.timeoutSeconds);
}
