import { readdir, readFile } from 'node:fs/promises';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';

/**
 * A small forward-only migrator: numbered .sql files in shared/db/migrations, applied in order
 * under a named lock, each recorded in schema_migrations. Why not a framework: docs/decisions/0002.
 */
const migrationsDir = new URL('./migrations/', import.meta.url);

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Splits a database URL into the server URL and the database name. */
export function splitDatabaseUrl(databaseUrl: string): { serverUrl: string; database: string } {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new Error('DATABASE_URL must name a database of letters, digits and underscores');
  }
  url.pathname = '/';
  return { serverUrl: url.toString(), database };
}

/** Creates the database when it does not exist (local and test use; production DBs are provisioned). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const { serverUrl, database } = splitDatabaseUrl(databaseUrl);
  const connection = await createConnection({ uri: serverUrl });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const { serverUrl, database } = splitDatabaseUrl(databaseUrl);
  const connection = await createConnection({ uri: serverUrl });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

export async function listMigrations(): Promise<string[]> {
  const files = await readdir(migrationsDir);
  return files.filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file)).sort();
}

export async function migrate(databaseUrl: string): Promise<MigrationResult> {
  const connection = await createConnection({ uri: databaseUrl, multipleStatements: true, timezone: 'Z' });
  try {
    await connection.query("SET time_zone = '+00:00'");
    await lock(connection);
    await connection.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version VARCHAR(191) NOT NULL PRIMARY KEY,
         applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
       ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`,
    );
    const [rows] = await connection.query<RowDataPacket[]>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => String(row.version)));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const file of await listMigrations()) {
      if (done.has(file)) {
        result.alreadyApplied.push(file);
        continue;
      }
      const sql = await readFile(new URL(file, migrationsDir), 'utf8');
      await connection.query(sql);
      await connection.query('INSERT INTO schema_migrations (version) VALUES (?)', [file]);
      result.applied.push(file);
    }
    return result;
  } finally {
    await connection.query("DO RELEASE_LOCK('aiphoto_migrations')").catch(() => undefined);
    await connection.end();
  }
}

async function lock(connection: Connection): Promise<void> {
  const [rows] = await connection.query<RowDataPacket[]>("SELECT GET_LOCK('aiphoto_migrations', 60) AS got");
  if (rows[0]?.got !== 1) throw new Error('Could not take the migration lock within 60 s');
}
