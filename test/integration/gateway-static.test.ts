import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../infra/local/gateway';

/**
 * The local gateway serves the built H5 app (npm run dev, infra/local/dev.ts) for every path outside
 * the API, as a static website host would: files as they are, index.html for unknown pages with the
 * local runtime configuration injected, 404 for a missing asset, nothing outside the app's folder.
 */
const staticRoot = mkdtempSync(join(tmpdir(), 'app-dist-'));
let gateway: RunningGateway;
let origin: string;

beforeAll(async () => {
  mkdirSync(join(staticRoot, 'assets'));
  writeFileSync(join(staticRoot, 'index.html'), '<!doctype html><html><head><title>app</title></head><body></body></html>');
  writeFileSync(join(staticRoot, 'assets', 'index-abc.js'), 'console.log(1)');
  gateway = await startGateway({
    port: 0,
    basePath: '/api',
    projectRoot: fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, ''),
    staticRoot,
    appConfig: { sandboxUrl: 'http://127.0.0.1:3100</script>' },
  });
  origin = gateway.url.replace(/\/api$/, '');
});

afterAll(async () => {
  await gateway.close();
  rmSync(staticRoot, { recursive: true, force: true });
});

/** Sends the path exactly as written (fetch would normalise "/../"). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin);
    const outgoing = request({ host: url.hostname, port: url.port, path, method }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('the local gateway serving the H5 app', () => {
  it('answers / and unknown pages with index.html carrying window.__APP_CONFIG__ (escaped), revalidated', async () => {
    // Act
    const root = await get('/');
    const deepLink = await get('/membership');

    // Assert
    expect(root.status).toBe(200);
    expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(root.headers['cache-control']).toBe('no-cache');
    expect(root.body).toContain('<script>window.__APP_CONFIG__={"sandboxUrl":"http://127.0.0.1:3100\\u003c/script>"}</script></head>');
    expect(deepLink.body).toBe(root.body);
  });

  it('serves hashed assets for a year, 404 for a missing one, and nothing outside its folder', async () => {
    // Act
    const asset = await get('/assets/index-abc.js');
    const missing = await get('/assets/index-zzz.js');
    const escape = await get('/%2e%2e/%2e%2e/package.json');

    // Assert
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log(1)');
    expect(missing.status).toBe(404);
    expect(escape.body).not.toContain('"name"');
  });

  it('leaves /api to the functions and non-GET requests outside it to the API fallback', async () => {
    // Act
    const me = await get('/api/auth/me');
    const post = await get('/', 'POST');

    // Assert
    expect(me.status).toBe(401);
    expect(JSON.parse(me.body)).toMatchObject({ success: false, error: { code: 1001 } });
    expect(post.status).toBe(404);
    expect(JSON.parse(post.body)).toMatchObject({ success: false, error: { code: 1007 } });
  });
});
