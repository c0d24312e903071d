/**
 * Real vendor SDK clients pointed at a vendor sandbox, and small real images, for the sandbox tests.
 * COS uses `Domain: '<sandbox>/{Bucket}'` because cos-nodejs-sdk-v5 3.0.0 refuses ForcePathStyle.
 */
import { Agent } from 'node:http';
import COS from 'cos-nodejs-sdk-v5';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import * as tencentcloud from 'tencentcloud-sdk-nodejs-sts';
import {
  SANDBOX_COS_APP_ID,
  SANDBOX_COS_BUCKET,
  SANDBOX_COS_REGION,
  SANDBOX_TENCENT_SECRET_ID,
  SANDBOX_TENCENT_SECRET_KEY,
} from '../../infra/sandbox/keys';
import type { RunningSandbox } from '../../infra/sandbox/server';

export const BUCKET = SANDBOX_COS_BUCKET;
export const REGION = SANDBOX_COS_REGION;
export const APP_ID = SANDBOX_COS_APP_ID;
export const TEN_MB = 10 * 1024 * 1024;

const StsClient = tencentcloud.sts.v20180813.Client;
export type StsClientInstance = InstanceType<typeof StsClient>;

export interface TemporaryKeys {
  readonly TmpSecretId: string;
  readonly TmpSecretKey: string;
  readonly Token: string;
  readonly ExpiredTime: number;
}

export function stsClient(sandbox: RunningSandbox, agent: Agent): StsClientInstance {
  return new StsClient({
    credential: { secretId: SANDBOX_TENCENT_SECRET_ID, secretKey: SANDBOX_TENCENT_SECRET_KEY },
    region: REGION,
    // An explicit agent also keeps the SDK from routing 127.0.0.1 through an http_proxy from the env.
    profile: { httpProfile: { endpoint: `127.0.0.1:${sandbox.port}`, protocol: 'http://', agent } },
  });
}

/** The upload policy the API is expected to mint (vendors.md §4.1): PutObject under one prefix, ≤ 10 MB. */
export function uploadPolicy(prefix: string, resourceStyle: 'bucket' | 'prefix' = 'bucket'): object {
  const shortBucket = BUCKET.slice(0, BUCKET.lastIndexOf('-'));
  const resource =
    resourceStyle === 'bucket'
      ? `qcs::cos:${REGION}:uid/${APP_ID}:${BUCKET}/${prefix}*`
      : `qcs::cos:${REGION}:uid/${APP_ID}:prefix//${APP_ID}/${shortBucket}/${prefix}*`;
  return {
    version: '2.0',
    statement: [
      {
        effect: 'allow',
        action: ['name/cos:PutObject'],
        resource: [resource],
        condition: { numeric_less_than_equal: { 'cos:content-length': TEN_MB } },
      },
    ],
  };
}

export async function mintUploadKeys(
  client: StsClientInstance,
  policy: object,
  durationSeconds = 900,
): Promise<TemporaryKeys> {
  const response = await client.GetFederationToken({
    Name: 'upload',
    Policy: encodeURIComponent(JSON.stringify(policy)),
    DurationSeconds: durationSeconds,
  });
  const { Credentials: credentials, ExpiredTime: expiredTime } = response;
  if (!credentials?.TmpSecretId || !credentials.TmpSecretKey || !credentials.Token || expiredTime === undefined) {
    throw new Error('GetFederationToken returned no credentials');
  }
  return {
    TmpSecretId: credentials.TmpSecretId,
    TmpSecretKey: credentials.TmpSecretKey,
    Token: credentials.Token,
    ExpiredTime: expiredTime,
  };
}

export function cosDomain(sandbox: RunningSandbox): string {
  return `${sandbox.url}/{Bucket}`;
}

export function permanentCos(sandbox: RunningSandbox, secretKey = SANDBOX_TENCENT_SECRET_KEY, secretId = SANDBOX_TENCENT_SECRET_ID): COS {
  return new COS({ SecretId: secretId, SecretKey: secretKey, Domain: cosDomain(sandbox), Protocol: 'http:' });
}

/** How a browser or the API would use STS keys with the SDK: getAuthorization hands them over. */
export function temporaryCos(sandbox: RunningSandbox, keys: TemporaryKeys): COS {
  return new COS({
    Domain: cosDomain(sandbox),
    Protocol: 'http:',
    getAuthorization: (_options, callback) => {
      callback({
        TmpSecretId: keys.TmpSecretId,
        TmpSecretKey: keys.TmpSecretKey,
        SecurityToken: keys.Token,
        StartTime: Math.floor(Date.now() / 1000),
        ExpiredTime: keys.ExpiredTime,
      });
    },
  });
}

/** Resolves the SDK error (the promise API rejects with it) so tests can assert on code and status. */
export async function cosFailure(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; code?: string };
  }
  throw new Error('expected the COS call to fail');
}

// ---------------------------------------------------------------------------------------------
// Images

/** A white JPEG with a solid red "garment" block in the middle. */
export function productJpeg(width = 64, height = 48): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 4;
      const inside = x >= width / 4 && x < (3 * width) / 4 && y >= height / 4 && y < (3 * height) / 4;
      data[i] = inside ? 200 : 255;
      data[i + 1] = inside ? 30 : 255;
      data[i + 2] = inside ? 30 : 255;
      data[i + 3] = 255;
    }
  }
  return jpeg.encode({ width, height, data }, 95).data;
}

export function solidPng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(128);
  return PNG.sync.write(png);
}

/** A real 10×7 GIF (the classic 1×1 GIF with its logical screen widened). */
export function tinyGif(): Buffer {
  const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
  gif.writeUInt16LE(10, 6);
  gif.writeUInt16LE(7, 8);
  return gif;
}

export function decodeJpeg(bytes: Buffer): { width: number; height: number; data: Uint8Array } {
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
}

export function decodePng(bytes: Buffer): PNG {
  return PNG.sync.read(bytes);
}

export function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): [number, number, number, number] {
  const i = (y * image.width + x) * 4;
  return [image.data[i] ?? -1, image.data[i + 1] ?? -1, image.data[i + 2] ?? -1, image.data[i + 3] ?? -1];
}

export function newKeepAliveAgent(): Agent {
  return new Agent({ keepAlive: true });
}
