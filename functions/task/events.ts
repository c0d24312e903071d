import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { logger } from '../../shared/logger';
import { readTaskEvents } from '../../shared/tasks/read';
import { taskParams } from '../../shared/tasks/schemas';

/** GET /task/events/{taskId} — the caller's task's event trail, oldest first; others' answer 404 as if missing. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-events',
  auth: 'session',
  params: taskParams,
  async run({ caller, params }) {
    logger.appendKeys({ taskId: params.taskId });
    return ok(await readTaskEvents(caller, params.taskId));
  },
});
