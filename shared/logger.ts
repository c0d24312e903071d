import { Logger } from '@aws-lambda-powertools/logger';
import { config } from './config';

/**
 * One structured JSON logger per function instance. Per-request keys (requestId, userId, taskId)
 * are appended by the HTTP layer and cleared after each invocation. Never log secrets, codes,
 * tokens or request bodies.
 */
export const logger = new Logger({
  serviceName: config().SERVICE_NAME,
  logLevel: config().LOG_LEVEL,
});
