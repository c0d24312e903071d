import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { issueUploadKeys } from '../../shared/media/sts';
import { stsQuery } from '../../shared/tasks/schemas';
import { mediaPorts } from '../../shared/wiring/media';

/** GET /media/sts?taskId=… — temporary keys that can only PUT under input/{userId}/{taskId}/. */
export const { handler, main_handler } = defineEndpoint({
  route: 'media-sts',
  auth: 'user',
  query: stsQuery,
  async run({ caller, query }) {
    return ok(await issueUploadKeys(caller.user, query.taskId, mediaPorts));
  },
});
