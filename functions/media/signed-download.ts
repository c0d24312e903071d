import { defineEndpoint } from '../../shared/http/endpoint';
import { ok } from '../../shared/http/respond';
import { signedDownload, signedDownloadBody } from '../../shared/media/download';
import { taskPorts } from '../../shared/wiring/ports';

/** POST /media/signed-download {objectKey, ttl} — a presigned download URL (with a file name) for one of the caller's task objects. */
export const { handler, main_handler } = defineEndpoint({
  route: 'media-signed-download',
  auth: 'session',
  body: signedDownloadBody,
  async run({ caller, body }) {
    return ok(await signedDownload(caller, body, taskPorts.store));
  },
});
