import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { logger } from '../../shared/logger';
import { readTask } from '../../shared/tasks/read';
import { taskParams } from '../../shared/tasks/schemas';
import { taskPorts } from '../../shared/wiring/ports';

/** GET /task/{taskId} — the caller's task; others' answer 404 as if missing. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-get',
  auth: 'session',
  params: taskParams,
  async run({ caller, params }) {
    logger.appendKeys({ taskId: params.taskId });
    return ok(await readTask(caller, params.taskId, taskPorts));
  },
});
