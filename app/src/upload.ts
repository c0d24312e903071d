import { api, type UploadKeys } from './api';

/** The contract's limits (2001 / 2002), checked before anything is sent. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const TYPES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' };

export function checkPhoto(file: File): string | null {
  if (!TYPES[file.type]) return '请上传 JPG/PNG 格式图片';
  if (file.size > MAX_UPLOAD_BYTES) return '图片不能超过 10MB';
  return null;
}

/**
 * Contract flow 3: STS keys from GET /media/sts, then one putObject straight to COS. Not uploadFile:
 * above 1 MB it switches to multipart, which the PutObject-only policy refuses
 * (../shared/reference/field-notes.md "Browser client"). Returns the key to create the task with.
 */
export async function uploadPhoto(file: File, onProgress: (percent: number) => void): Promise<{ key: string; taskId: string }> {
  // The SDK is most of the app's weight (~150 KB): loaded only when a photo is uploaded.
  const [keys, { default: COS }] = await Promise.all([api.uploadKeys() as Promise<UploadKeys>, import('cos-js-sdk-v5')]);
  const cos = new COS({
    ...(keys.cosDomain ? { Domain: keys.cosDomain, Protocol: keys.cosDomain.startsWith('https') ? 'https:' : 'http:' } : {}),
    getAuthorization: (_options, callback) =>
      callback({
        TmpSecretId: keys.credentials.tmpSecretId,
        TmpSecretKey: keys.credentials.tmpSecretKey,
        SecurityToken: keys.credentials.sessionToken,
        StartTime: Math.floor(Date.now() / 1000),
        ExpiredTime: keys.expiredTime,
      }),
  });
  const key = `${keys.allowPrefix}original.${TYPES[file.type] ?? 'jpg'}`;
  try {
    await cos.putObject({
      Bucket: keys.bucket,
      Region: keys.region,
      Key: key,
      Body: file,
      ContentType: file.type,
      onProgress: (info) => onProgress(Math.round(info.percent * 100)),
    });
  } catch (error) {
    console.error('COS upload failed', error);
    throw new Error('图片上传失败,请检查网络后重试', { cause: error });
  }
  return { key, taskId: keys.taskId };
}
