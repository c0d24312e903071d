import * as z from 'zod/mini';
import { isoDateTime } from '../responses';

/** Success `data` of GET /media/sts (contract §7, shared/media/sts.ts UploadKeys), for the OpenAPI document only. */
export const uploadKeysData = z.object({
  credentials: z.object({ tmpSecretId: z.string(), tmpSecretKey: z.string(), sessionToken: z.string(), expiredTime: z.int() }),
  /** Unix seconds when the keys stop working. */
  expiredTime: z.int(),
  bucket: z.string(),
  region: z.string(),
  /** Keys may only be PUT under this prefix: `input/{userId}/{taskId}/`. */
  allowPrefix: z.string(),
  /** Extension: the task id the prefix is for (minted when none was asked for); pass it to POST /task/create's key. */
  taskId: z.string(),
  /** Extension, only when COS is not the real service (local sandbox): base URL of `<endpoint>/<bucket>/<key>`. */
  endpoint: z.optional(z.string()),
  /** Extension, only with `endpoint`: the cos-js-sdk-v5 `Domain` option for it. */
  cosDomain: z.optional(z.string()),
});

/** Extension: POST /media/signed-download (shared/media/download.ts): a presigned GET that downloads with a file name. */
export const signedDownloadData = z.object({
  url: z.string(),
  /** When the URL stops working. */
  expiresAt: isoDateTime,
});
