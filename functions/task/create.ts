import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { createTask } from '../../shared/tasks/create';
import { createTaskBody } from '../../shared/tasks/schemas';
import { createPorts } from '../../shared/wiring/task-create';

/** POST /task/create — holds 1 quota and starts basic_clean (synchronously) or model_pose12. */
export const { handler, main_handler } = defineEndpoint({
  route: 'task-create',
  auth: 'session',
  body: createTaskBody,
  async run({ caller, body }) {
    return ok(await createTask(caller, body, createPorts));
  },
});
