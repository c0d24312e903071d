import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { logger } from '../../shared/logger';
import { retryTask } from '../../shared/tasks/retry';
import { retryTaskBody, taskParams } from '../../shared/tasks/schemas';
import { createPorts } from '../../shared/wiring/task-create';

/** POST /task/retry/{taskId} — a failed or cancelled task re-run as a new task (new id, same input, params and callbackUrl unless given); Idempotency-Key header. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-retry',
  auth: 'session',
  params: taskParams,
  body: retryTaskBody,
  async run({ caller, params, body, request }) {
    logger.appendKeys({ taskId: params.taskId });
    return ok(await retryTask(caller, params.taskId, { idempotencyKey: request.headers['idempotency-key'], body }, createPorts));
  },
});
