import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../infra/sandbox/server';
import { corsTargetFrom, getBucketCors, putBucketCors } from '../../infra/tencent/cos-cors';

/**
 * Bucket CORS in the sandbox COS (infra/sandbox/cos-cors.ts) and `npm run cos:cors`
 * (infra/tencent/cos-cors.ts), which sets the rules through cos-nodejs-sdk-v5 putBucketCors: the
 * sandbox enforces what was set, as COS does, so a browser upload from another origin fails.
 */
const { target } = corsTargetFrom(process.env);
const objectUrl = (base: string) => `${base}/${target.bucket}/input/u1/task_abcdefgh/original.jpg`;

function preflight(base: string, origin: string, method = 'PUT', headers = 'authorization,content-type,x-cos-security-token') {
  return fetch(objectUrl(base), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });
}

const withDefaults = await startSandbox({ port: 0, corsOrigins: ['http://127.0.0.1:3000'] });
afterAll(async () => {
  await withDefaults.close();
});

describe('sandbox COS bucket CORS', () => {
  it('refuses every preflight on a bucket without CORS rules (a fresh bucket)', async () => {
    // Arrange: the integration sandbox was started without corsOrigins
    await fetch(`${process.env.SANDBOX_URL}/_sandbox/reset`, { method: 'POST' });

    // Act
    const answer = await preflight(String(process.env.SANDBOX_URL), 'http://127.0.0.1:3000');

    // Assert
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    expect(await answer.text()).toContain('CORSResponse');
  });

  it('npm run cos:cors sets PUT/GET/HEAD for the H5 origins with ETag exposed; the sandbox then enforces exactly that', async () => {
    // Arrange
    const origins = ['https://h5.example.com', 'http://127.0.0.1:3000'];

    // Act
    await putBucketCors(target, origins);
    const rules = await getBucketCors(target);
    const allowed = await preflight(String(process.env.SANDBOX_URL), 'https://h5.example.com');
    const otherOrigin = await preflight(String(process.env.SANDBOX_URL), 'https://evil.example.com');
    const otherMethod = await preflight(String(process.env.SANDBOX_URL), 'https://h5.example.com', 'DELETE');
    const anonymousGet = await fetch(objectUrl(String(process.env.SANDBOX_URL)), { headers: { origin: 'http://127.0.0.1:3000' } });

    // Assert
    expect(rules).toEqual([{ AllowedOrigins: origins, AllowedMethods: ['PUT', 'GET', 'HEAD'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: '600' }]);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://h5.example.com');
    expect(allowed.headers.get('access-control-allow-methods')).toBe('PUT,GET,HEAD');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-cos-security-token');
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(otherOrigin.status).toBe(403);
    expect(otherMethod.status).toBe(403);
    // Errors carry the CORS headers too, so the browser can read why a request was refused.
    expect(anonymousGet.status).toBe(403);
    expect(anonymousGet.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(anonymousGet.headers.get('access-control-expose-headers')).toBe('ETag');
  });

  it('refuses an origin that is not an origin, before calling COS', async () => {
    // Act
    const refused = await putBucketCors(target, ['https://h5.example.com/app']).then(
      () => 'set',
      (error: Error) => error.message,
    );

    // Assert
    expect(refused).toMatch(/not an origin/);
  });

  it('a sandbox started with corsOrigins (npm run dev passes CORS_ORIGINS) allows them on every bucket, also after a reset', async () => {
    // Act
    const before = await preflight(withDefaults.url, 'http://127.0.0.1:3000');
    await fetch(`${withDefaults.url}/_sandbox/reset`, { method: 'POST' });
    const after = await preflight(withDefaults.url, 'http://127.0.0.1:3000');
    const stranger = await preflight(withDefaults.url, 'http://localhost:3000');

    // Assert
    expect(before.status).toBe(200);
    expect(after.status).toBe(200);
    expect(stranger.status).toBe(403);
  });
});
