import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { closeDb } from '../../shared/db/pool';
import { dropDatabase, ensureDatabase, migrate } from '../../shared/db/migrate';
import { startSandbox } from '../../infra/sandbox/server';

/**
 * Runs before each integration test file, before the file's imports read configuration:
 * a fresh database with every migration applied, and a vendor sandbox on a free port.
 */
const server = process.env.TEST_DATABASE_SERVER_URL ?? 'mysql://root@127.0.0.1:3306';
const databaseUrl = `${server}/aiphoto_test_${randomBytes(5).toString('hex')}`;
await ensureDatabase(databaseUrl);
await migrate(databaseUrl);

const sandbox = await startSandbox({ port: 0 });

Object.assign(process.env, {
  APP_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'SILENT',
  DATABASE_URL: databaseUrl,
  TENCENT_API_ENDPOINT: sandbox.url,
  SANDBOX_URL: sandbox.url,
});

afterAll(async () => {
  await closeDb();
  await sandbox.close();
  await dropDatabase(databaseUrl);
});
