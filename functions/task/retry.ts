import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { logger } from '../../shared/logger';
import { retryTask } from '../../shared/tasks/retry';
import { taskParams } from '../../shared/tasks/schemas';
import { createPorts } from '../../shared/wiring/task-create';

/** POST /task/retry/{taskId} — a failed or cancelled task re-run as a new task (new id, same input and params, a new hold); Idempotency-Key header. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-retry',
  auth: 'session',
  params: taskParams,
  async run({ caller, params, request }) {
    logger.appendKeys({ taskId: params.taskId });
    return ok(await retryTask(caller, params.taskId, request.headers['idempotency-key'], createPorts));
  },
});
