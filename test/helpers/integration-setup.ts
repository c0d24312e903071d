import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { closeDb } from '../../shared/db/pool';
import { dropDatabase, ensureDatabase, migrate } from '../../shared/db/migrate';
import { startSandbox } from '../../infra/sandbox/server';
import { startGateway } from '../../infra/local/gateway';

/**
 * Runs before each integration test file, before the file's imports read configuration:
 * a fresh database with every migration applied, and a vendor sandbox on a free port. The local
 * gateway serves this file's functions over HTTP too, so the sandbox can deliver payment
 * notifications to them.
 */
const server = process.env.TEST_DATABASE_SERVER_URL ?? 'mysql://root@127.0.0.1:3306';
const databaseUrl = `${server}/aiphoto_test_${randomBytes(5).toString('hex')}`;
await ensureDatabase(databaseUrl);
await migrate(databaseUrl);

const gateway = await startGateway({ port: 0, basePath: '/api', projectRoot: fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '') });
const sandbox = await startSandbox({ port: 0, apiBaseUrl: gateway.url });

Object.assign(process.env, {
  APP_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'SILENT',
  DATABASE_URL: databaseUrl,
  TENCENT_API_ENDPOINT: sandbox.url,
  SANDBOX_URL: sandbox.url,
  API_URL: gateway.url,
  PAYMENT_NOTIFY_URL: `${gateway.url}/membership/payment-callback`,
  WECHAT_PAY_BASE_URL: sandbox.url,
  WECHAT_OAUTH_BASE_URL: sandbox.url,
  ALIPAY_GATEWAY_URL: `${sandbox.url}/gateway.do`,
});

afterAll(async () => {
  await closeDb();
  await sandbox.close();
  await gateway.close();
  await dropDatabase(databaseUrl);
});
