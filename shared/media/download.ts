import * as z from 'zod/mini';
import { assertSessionCurrent, type Session } from '../auth/session';
import { findUserAndTask } from '../db/repositories/tasks';
import { NotFoundError } from '../errors';
import type { ObjectStore } from '../vendors/cos';
import { parseTaskObjectKey } from './keys';

export const MIN_DOWNLOAD_TTL_SECONDS = 60;
export const MAX_DOWNLOAD_TTL_SECONDS = 86_400;
export const DEFAULT_DOWNLOAD_TTL_SECONDS = 300;

export const signedDownloadBody = z.object({
  objectKey: z.string({ error: 'objectKey is required' }).check(z.minLength(1), z.maxLength(300)),
  ttl: z._default(
    z.number({ error: `ttl must be an integer from ${MIN_DOWNLOAD_TTL_SECONDS} to ${MAX_DOWNLOAD_TTL_SECONDS} (seconds)` }).check(
      z.refine((value) => Number.isInteger(value) && value >= MIN_DOWNLOAD_TTL_SECONDS && value <= MAX_DOWNLOAD_TTL_SECONDS, `ttl must be an integer from ${MIN_DOWNLOAD_TTL_SECONDS} to ${MAX_DOWNLOAD_TTL_SECONDS} (seconds)`),
    ),
    DEFAULT_DOWNLOAD_TTL_SECONDS,
  ),
});
export type SignedDownloadBody = z.infer<typeof signedDownloadBody>;

/**
 * POST /media/signed-download: a presigned COS GET for one of the caller's task objects, valid `ttl`
 * seconds, that downloads with a file name (`<taskId>_<file>`, Content-Disposition: attachment). Only
 * keys the task itself names are signed (its input, or one of its results once done), so nothing is
 * signed that the API did not write or check; any other key, another user's task and a missing one
 * answer the same 404 (1007), as GET /task/{taskId} does. One statement reads the session columns
 * and the task.
 */
export async function signedDownload(session: Session, body: SignedDownloadBody, store: Pick<ObjectStore, 'signedDownloadUrl'>): Promise<{ url: string; expiresAt: string }> {
  const object = parseTaskObjectKey(body.objectKey);
  const found = await findUserAndTask(session.userId, object && object.userId === session.userId ? object.taskId : '');
  assertSessionCurrent(found?.user, session);
  const task = found?.task;
  const named = task !== undefined && object !== undefined && (task.input_key === object.key || (task.status === 'done' && (task.result_keys ?? []).includes(object.key)));
  if (!named) throw new NotFoundError();
  const { url, expiresAt } = store.signedDownloadUrl(object.key, body.ttl, `${object.taskId}_${object.fileName}`);
  return { url, expiresAt: expiresAt.toISOString() };
}
