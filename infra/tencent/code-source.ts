/**
 * How a function's zip reaches SCF. Small zips ride inline as base64 (`ZipFile`); larger ones are
 * uploaded to the code bucket first and named by their COS location. The request fields are the
 * SDK's (tencentcloud-sdk-nodejs-scf scf_models.d.ts): CreateFunction takes them inside `Code`
 * (`Code.ZipFile`, or `Code.CosBucketName` + `Code.CosObjectName` + `Code.CosBucketRegion`),
 * UpdateFunctionCode at the top level, each with `CodeSource` `ZipFile` or `Cos`. `CosBucketName` is
 * the bucket name without `-<appid>`; `CosObjectName` starts with `/`.
 */
import { readFile } from 'node:fs/promises';
import { cosObjectStore } from '../../shared/vendors/cos';
import type { DeploySettings, DesiredFunction } from './desired';

export type CreateCode =
  | { readonly CodeSource: 'ZipFile'; readonly Code: { readonly ZipFile: string } }
  | { readonly CodeSource: 'Cos'; readonly Code: { readonly CosBucketName: string; readonly CosObjectName: string; readonly CosBucketRegion: string } };

export type UpdateCode =
  | { readonly CodeSource: 'ZipFile'; readonly ZipFile: string }
  | { readonly CodeSource: 'Cos'; readonly CosBucketName: string; readonly CosObjectName: string; readonly CosBucketRegion: string };

interface CosLocation {
  readonly CosBucketName: string;
  readonly CosObjectName: string;
  readonly CosBucketRegion: string;
}

/** A bucket `<name>-<appid>` as SCF wants it: the name part only (SCF appends the account's appid). */
export const bucketNameWithoutAppId = (bucket: string): string => bucket.replace(/-\d+$/, '');

/**
 * Uploads the zip to the code bucket (PUT Object, signed with the deploy key) and returns where it
 * is. The key is the zip's hash, so uploading the same code twice writes the same object. Against
 * the sandbox the bucket is addressed in the path (`<endpoint>/<bucket>/<key>`), as the app's COS
 * client does locally.
 */
async function uploadToCos(settings: DeploySettings, fn: DesiredFunction, bucket: string, objectName: string): Promise<CosLocation> {
  const store = cosObjectStore({ secretId: settings.secretId, secretKey: settings.secretKey, bucket, region: settings.region, baseUrl: settings.endpoint, timeoutMs: 300_000 });
  await store.put(objectName.replace(/^\//, ''), await readFile(fn.zipPath), 'application/zip');
  return { CosBucketName: bucketNameWithoutAppId(bucket), CosObjectName: objectName, CosBucketRegion: settings.region };
}

function cosTarget(fn: DesiredFunction): { bucket: string; objectName: string } | undefined {
  if (fn.code.via === 'inline') return undefined;
  // The plan refuses a COS-bound zip without a bucket, so this is a programming error if it happens.
  if (!fn.code.bucket) throw new Error(`${fn.functionName}: no TENCENT_SCF_CODE_BUCKET for a zip over the inline limit`);
  return { bucket: fn.code.bucket, objectName: fn.code.objectName };
}

export async function createCode(settings: DeploySettings, fn: DesiredFunction): Promise<CreateCode> {
  const target = cosTarget(fn);
  if (!target) return { CodeSource: 'ZipFile', Code: { ZipFile: (await readFile(fn.zipPath)).toString('base64') } };
  return { CodeSource: 'Cos', Code: await uploadToCos(settings, fn, target.bucket, target.objectName) };
}

export async function updateCode(settings: DeploySettings, fn: DesiredFunction): Promise<UpdateCode> {
  const target = cosTarget(fn);
  if (!target) return { CodeSource: 'ZipFile', ZipFile: (await readFile(fn.zipPath)).toString('base64') };
  return { CodeSource: 'Cos', ...(await uploadToCos(settings, fn, target.bucket, target.objectName)) };
}
