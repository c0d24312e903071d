/**
 * `npm run cos:cors`: sets the COS bucket's CORS rules from CORS_ORIGINS, so the H5 app can PUT its
 * photo straight to COS with the STS keys (contract flow 3): PUT/GET/HEAD from those origins, any
 * request header, ETag exposed, preflights cached 10 minutes. PUT Bucket cors replaces the whole
 * rule set, so running it again after CORS_ORIGINS changes is the whole procedure.
 *
 *   npm run cos:cors -- --env-file .env.production           # the real bucket (APP_ENV=production)
 *   npm run cos:cors -- --env-file .env.production --plan    # print the rules, change nothing
 *   npm run cos:cors                                          # locally: the sandbox's bucket
 *
 * Settings are read and validated as the functions read them (shared/config): TENCENT_SECRET_ID /
 * TENCENT_SECRET_KEY (a key allowed cos:PutBucketCORS), COS_BUCKET, COS_REGION, CORS_ORIGINS; locally
 * COS is the sandbox (TENCENT_API_ENDPOINT / COS_ENDPOINT), which enforces what is set here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import COS from 'cos-nodejs-sdk-v5';
import { loadConfig } from '../../shared/config';
import { resolveTaskSettings } from '../../shared/config/tasks';
import { readEnvFile } from './deploy';

export interface BucketCorsTarget {
  readonly secretId: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly region: string;
  /** `<url>/<bucket>/<key>` addressing (the sandbox); undefined = the real COS. */
  readonly baseUrl: string | undefined;
}

export type H5CorsRule = COS.CORSRule;

export function h5CorsRules(origins: readonly string[]): H5CorsRule[] {
  if (origins.length === 0) throw new Error('CORS_ORIGINS is empty: name the H5 origins (e.g. https://h5.example.com)');
  const bad = origins.find((origin) => !/^https?:\/\/[^/\s]+$/.test(origin));
  if (bad !== undefined) throw new Error(`CORS_ORIGINS entry "${bad}" is not an origin (scheme://host[:port], no path)`);
  return [{ AllowedOrigin: [...origins], AllowedMethod: ['PUT', 'GET', 'HEAD'], AllowedHeader: ['*'], ExposeHeader: ['ETag'], MaxAgeSeconds: 600 }];
}

function client(target: BucketCorsTarget): COS {
  return new COS({
    SecretId: target.secretId,
    SecretKey: target.secretKey,
    ...(target.baseUrl ? { Domain: `${target.baseUrl}/{Bucket}`, Protocol: target.baseUrl.startsWith('https') ? 'https:' : 'http:' } : {}),
  });
}

export async function putBucketCors(target: BucketCorsTarget, origins: readonly string[]): Promise<H5CorsRule[]> {
  const rules = h5CorsRules(origins);
  await client(target).putBucketCors({ Bucket: target.bucket, Region: target.region, CORSRules: rules });
  return rules;
}

export async function getBucketCors(target: BucketCorsTarget): Promise<unknown> {
  return (await client(target).getBucketCors({ Bucket: target.bucket, Region: target.region })).CORSRules;
}

/** The target and origins from settings, validated as at cold start. */
export function corsTargetFrom(env: Record<string, string | undefined>): { target: BucketCorsTarget; origins: string[] } {
  const settings = loadConfig(env);
  const tasks = resolveTaskSettings(settings);
  return {
    target: { secretId: settings.TENCENT_SECRET_ID, secretKey: settings.TENCENT_SECRET_KEY, bucket: tasks.bucket, region: tasks.region, baseUrl: tasks.cosBaseUrl },
    origins: [...settings.CORS_ORIGINS],
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const planOnly = argv.includes('--plan');
  const fileIndex = argv.indexOf('--env-file');
  const envFile = fileIndex >= 0 ? argv[fileIndex + 1] : undefined;
  if (fileIndex >= 0 && (!envFile || !existsSync(envFile))) throw new Error(`no such env file: ${envFile ?? ''}`);
  const env = { ...(envFile ? readEnvFile(path.resolve(envFile)) : {}), ...process.env };
  const { target, origins } = corsTargetFrom(env);
  const rules = h5CorsRules(origins);
  console.log(`bucket ${target.bucket} (${target.region}${target.baseUrl ? `, at ${target.baseUrl}` : ''}): CORS rules\n${JSON.stringify(rules, null, 2)}`);
  if (planOnly) return;
  await putBucketCors(target, origins);
  console.log('set; the bucket now answers:', JSON.stringify(await getBucketCors(target)));
}

const invokedPath = process.argv[1];
if (invokedPath && import.meta.url === pathToFileURL(path.resolve(invokedPath)).href) {
  main().catch((error: unknown) => {
    console.error(`cos:cors failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
