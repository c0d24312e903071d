import { hitRateLimit } from '../auth/rate-limit';
import { NotMemberError, ValidationError } from '../errors';
import type { MediaPorts } from './ports';
import { isMemberAt, type UserRow } from '../users';
import { inputPrefix, mintTaskId, TASK_ID_PATTERN } from './keys';

/** What GET /media/sts answers: the contract's fields, plus `taskId` and (locally) where COS is. */
export interface UploadKeys {
  credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string; expiredTime: number };
  expiredTime: number;
  bucket: string;
  region: string;
  allowPrefix: string;
  taskId: string;
  /** Only when COS is not the real service: base URL of `<endpoint>/<bucket>/<key>` addressing. */
  endpoint?: string;
  /** Only with `endpoint`: the cos-nodejs-sdk-v5 / cos-js-sdk-v5 `Domain` option for it. */
  cosDomain?: string;
}

/**
 * The STS policy (vendors.md §4.1): PutObject only, only under this user's task prefix, only
 * bodies up to UPLOAD_MAX_BYTES. No principal (refused by GetFederationToken).
 */
export function uploadPolicy(options: { region: string; appId: string; bucket: string; prefix: string; maxBytes: number }): object {
  return {
    version: '2.0',
    statement: [
      {
        effect: 'allow',
        action: ['name/cos:PutObject'],
        resource: [`qcs::cos:${options.region}:uid/${options.appId}:${options.bucket}/${options.prefix}*`],
        condition: { numeric_less_than_equal: { 'cos:content-length': options.maxBytes } },
      },
    ],
  };
}

/**
 * Temporary upload keys for `input/{userId}/{taskId}/`, for 15 minutes by default. The task id is
 * the client's (validated) or a new one. Members only: nobody else can create a task, so nobody
 * else needs to store files.
 */
export async function issueUploadKeys(user: UserRow, requestedTaskId: string | undefined, ports: MediaPorts): Promise<UploadKeys> {
  if (requestedTaskId !== undefined && !TASK_ID_PATTERN.test(requestedTaskId)) {
    throw new ValidationError([{ field: 'taskId', message: 'must be task_ followed by 8 to 32 letters or digits' }]);
  }
  if (!isMemberAt(user, new Date())) throw new NotMemberError();
  const { settings, tasks } = ports;
  await hitRateLimit(`sts-user:${user.id}`, settings.STS_RATE_PER_USER_PER_MINUTE, 60);

  const taskId = requestedTaskId ?? mintTaskId();
  const prefix = inputPrefix(user.id, taskId);
  const policy = uploadPolicy({ region: tasks.region, appId: tasks.appId, bucket: tasks.bucket, prefix, maxBytes: settings.UPLOAD_MAX_BYTES });
  // A failing STS is an outage, not the caller's fault: it surfaces as a logged 500.
  const keys = await ports.sts.issue({ name: `upload-${user.id}`.slice(0, 32), policy, durationSeconds: settings.STS_DURATION_SECONDS });
  const answer: UploadKeys = {
    credentials: { tmpSecretId: keys.tmpSecretId, tmpSecretKey: keys.tmpSecretKey, sessionToken: keys.sessionToken, expiredTime: keys.expiredTime },
    expiredTime: keys.expiredTime,
    bucket: tasks.bucket,
    region: tasks.region,
    allowPrefix: prefix,
    taskId,
  };
  if (tasks.cosBaseUrl) {
    answer.endpoint = tasks.cosBaseUrl;
    answer.cosDomain = `${tasks.cosBaseUrl}/{Bucket}`;
  }
  return answer;
}
