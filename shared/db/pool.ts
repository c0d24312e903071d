import { createPool, type Pool, type PoolConnection, type QueryValues, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { config } from '../config';

/** Anything that can run a statement: the pool, or a connection inside a transaction. */
export type Queryable = Pick<Pool, 'query'> | Pick<PoolConnection, 'query'>;
export type SqlParams = QueryValues;

let pool: Pool | undefined;

/**
 * The instance's pool, created on first use and kept for the life of the function instance.
 * Small (DB_POOL_SIZE, default 2) because one instance serves one request at a time; keep-alive
 * and a short idle timeout so a frozen-then-thawed instance does not hold dead sockets for long.
 */
export function db(): Pool {
  if (!pool) {
    pool = createPool({
      uri: config().DATABASE_URL,
      connectionLimit: config().DB_POOL_SIZE,
      maxIdle: config().DB_POOL_SIZE,
      idleTimeout: 60_000,
      enableKeepAlive: true,
      keepAliveInitialDelay: 10_000,
      connectTimeout: 5_000,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: false,
    });
    // Every DATETIME is UTC: NOW(3) and stored values agree with the JS Dates mysql2 builds.
    pool.pool.on('connection', (connection) => {
      connection.query("SET time_zone = '+00:00'");
    });
  }
  return pool;
}

export async function closeDb(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.end();
}

const connectionLostCodes = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED']);

/** True for errors meaning the socket died (e.g. the server closed it while the instance was frozen). */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, fatal } = error as Error & { code?: string; fatal?: boolean };
  return (code !== undefined && connectionLostCodes.has(code)) || (fatal === true && /closed state|connection lost/i.test(error.message));
}

async function onceMoreIfConnectionLost<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    // The pool drops a dead connection when it errors; the retry takes a fresh one.
    if (isConnectionLost(error)) return run();
    throw error;
  }
}

/** Runs a SELECT. On the pool, a statement that failed on a dead socket is retried once. */
export async function select<T>(sql: string, params: SqlParams = [], on: Queryable = db()): Promise<T[]> {
  const run = async () => {
    const [rows] = await on.query<RowDataPacket[]>(sql, params);
    return rows as unknown as T[];
  };
  return on === pool ? onceMoreIfConnectionLost(run) : run();
}

/**
 * Runs a write. Retried once on the pool only when the socket was already dead; callers use
 * statements that are safe to repeat (unique keys or conditional updates).
 */
export async function execute(sql: string, params: SqlParams = [], on: Queryable = db()): Promise<ResultSetHeader> {
  const run = async () => {
    const [result] = await on.query<ResultSetHeader>(sql, params);
    return result;
  };
  return on === pool ? onceMoreIfConnectionLost(run) : run();
}

const retryableTransactionErrors = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

export interface TransactionOptions {
  /** Tries in all when the unit deadlocks or times out waiting for a lock. */
  attempts?: number;
  /**
   * READ COMMITTED takes no gap locks on locking reads. The sweeper's batches use it: under the
   * default REPEATABLE READ, two sweepers settling neighbouring task ids each lock the gap the
   * other's ledger insert needs and deadlock. Exactly-once never rests on isolation here, but on
   * row locks, conditional updates and the ledger's unique (reference, kind).
   */
  isolation?: 'READ COMMITTED';
}

/**
 * Runs `work` in one transaction on one connection. Deadlocks and lock-wait timeouts retry the
 * whole unit (bounded); so does a connection that was dead before anything was sent.
 */
export async function withTransaction<T>(work: (connection: PoolConnection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt += 1) {
    const connection = await onceMoreIfConnectionLost(async () => {
      const candidate = await db().getConnection();
      try {
        // SET TRANSACTION applies to the next transaction only; the pooled connection keeps its default.
        if (options.isolation) await candidate.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolation}`);
        await candidate.query('START TRANSACTION');
        return candidate;
      } catch (error) {
        candidate.destroy();
        throw error;
      }
    });
    try {
      const result = await work(connection);
      await connection.query('COMMIT');
      connection.release();
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      if (isConnectionLost(error)) connection.destroy();
      else connection.release();
      const code = (error as { code?: string }).code;
      if (attempt < attempts && code !== undefined && retryableTransactionErrors.has(code)) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
        continue;
      }
      throw error;
    }
  }
}
