import { defineEndpoint } from '../../shared/http/endpoint';
import { ok, raw } from '../../shared/http/respond';
import { callbackQuery } from '../../shared/tasks/schemas';
import { handleRunningHubCallback } from '../../shared/tasks/webhook';
import { taskPorts } from '../../shared/wiring/ports';

/** POST /task/runninghub-callback?token=… — RunningHub's webhook; public, the token picks the task. */
export const { handler, main_handler } = defineEndpoint<Buffer, { token: string }, undefined, 'public'>({
  route: 'task-runninghub-callback',
  auth: 'public',
  // The vendor's body is only a hint and is never parsed as our JSON.
  body: 'raw',
  query: callbackQuery,
  async run({ query, body }) {
    const status = await handleRunningHubCallback(query.token, body, taskPorts);
    if (status === 'retry') return raw(503, JSON.stringify({ success: false, retry: true }), { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
    return ok({ status });
  },
});
