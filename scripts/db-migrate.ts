/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL. Locally (APP_ENV other than
 * production) it first creates the database; in production the database must already exist.
 */
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');
const { loadConfig } = await import('../shared/config');
const { ensureDatabase, migrate } = await import('../shared/db/migrate');

// Only the database settings matter here; secrets are not needed to migrate.
const databaseUrl = process.env.DATABASE_URL ?? loadConfig({ APP_ENV: 'local' }).DATABASE_URL;
const production = process.env.APP_ENV === 'production';
if (!production) await ensureDatabase(databaseUrl);
const result = await migrate(databaseUrl);
const target = new URL(databaseUrl);
console.log(`${target.host}${target.pathname}: applied ${result.applied.length} (${result.applied.join(', ') || 'none'}), already applied ${result.alreadyApplied.length}`);
