import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { logger } from '../../shared/logger';
import { cancelOwnTask } from '../../shared/tasks/cancel';
import { taskParams } from '../../shared/tasks/schemas';
import { taskPorts } from '../../shared/wiring/ports';

/** POST /task/cancel/{taskId} — ends the caller's processing task as cancelled (quota back); a finished task answers as it is. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-cancel',
  auth: 'session',
  params: taskParams,
  async run({ caller, params }) {
    logger.appendKeys({ taskId: params.taskId });
    return ok(await cancelOwnTask(caller, params.taskId, taskPorts));
  },
});
