import { createPool, type Pool, type PoolConnection, type QueryValues, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { config } from '../config';
import { ServiceBusyError } from '../errors';

/** Anything that can run a statement: the pool, or a connection inside a transaction. */
export type Queryable = Pick<Pool, 'query'> | Pick<PoolConnection, 'query'>;
export type SqlParams = QueryValues;

let pool: Pool | undefined;

/**
 * The instance's pool, created on first use and kept for the life of the function instance.
 * Small (DB_POOL_SIZE, default 2) because one instance serves one request at a time; keep-alive
 * and a short idle timeout so a frozen-then-thawed instance does not hold dead sockets for long.
 * A budget for the whole fleet: README, "Database connections".
 *
 * Nothing runs on a new connection: no session `SET`, so a proxy in front of the database (RDS
 * Proxy, the TDSQL-C database proxy) never has session state to keep and can multiplex. Times are
 * UTC without a session time zone: mysql2 writes and reads DATETIMEs as UTC (`timezone: 'Z'`), every
 * statement reads the clock as UTC_TIMESTAMP(3), and column defaults and triggers do too (migration
 * 010; docs/decisions/0008-utc-without-a-session-time-zone.md).
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

/**
 * The server's "no more connections" answers: max_connections (ER_CON_COUNT_ERROR 1040), the global
 * max_user_connections (ER_TOO_MANY_USER_CONNECTIONS 1203), and an account's MAX_USER_CONNECTIONS or
 * other resource limit (ER_USER_LIMIT_REACHED 1226, MySQL and MariaDB alike).
 */
const connectionLimitErrnos = new Set([1040, 1203, 1226]);

/**
 * True when opening a connection failed in a way that waiting may cure: the server's connection
 * limits, or the server not reachable (refused, timed out, unreachable, a DNS lookup that may
 * succeed later). Access denied or an unknown database are not among them: no wait cures those.
 */
export function isConnectFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { errno, code, syscall } = error as Error & { errno?: unknown; code?: string; syscall?: string };
  if (typeof errno === 'number' && connectionLimitErrnos.has(errno)) return true;
  return syscall === 'connect' || code === 'ECONNREFUSED' || code === 'EAI_AGAIN';
}

/** Seconds a turned-away client is asked to wait: 2 to 5, spread so that clients turned away together come back apart. */
const retryAfterSeconds = (): number => 2 + Math.floor(Math.random() * 4);

/**
 * The one map from "no connection" to the API's answer: an error met while opening a connection
 * (the pool had no idle one) becomes ServiceBusyError, 503 with Retry-After, when waiting may cure
 * it, or when the socket died during the handshake. Nothing of the caller's statement was sent.
 * Anything else is returned unchanged.
 */
export function connectErrorToAppError(error: unknown): unknown {
  return isConnectFailure(error) || isConnectionLost(error) ? new ServiceBusyError(retryAfterSeconds(), undefined, error) : error;
}

/** A connection from the pool; failing to open one is a ServiceBusyError (connectErrorToAppError). */
async function acquire(): Promise<PoolConnection> {
  try {
    return await db().getConnection();
  } catch (error) {
    throw connectErrorToAppError(error);
  }
}

/**
 * True only when the statement provably never reached the server: mysql2 refused to enqueue it on
 * a connection already in the closed state, or the connection itself could not be opened. A lost
 * socket after the statement was written (ECONNRESET, PROTOCOL_CONNECTION_LOST, ...) is ambiguous:
 * the server may have run it.
 */
export function failedBeforeSending(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, fatal, syscall } = error as Error & { code?: string; fatal?: boolean; syscall?: string };
  if (fatal === true && code === undefined && /^Can't add new command when connection is in closed state/.test(error.message)) return true;
  return code === 'ECONNREFUSED' || syscall === 'connect';
}

const counters = { retries: 0, staleDropped: 0 };

/** How often this instance retried a statement and dropped a dead idle connection (for tests and logs). */
export function poolStats(): Readonly<typeof counters> {
  return { ...counters };
}

async function onceMoreIf<T>(retryable: (error: unknown) => boolean, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    // The pool drops a dead connection when it errors; the retry takes another one.
    if (!retryable(error)) throw error;
    counters.retries += 1;
    return run();
  }
}

/** Connections idle at least this long are pinged before a write: the instance may have been frozen. */
const PING_IF_IDLE_MS = 1_000;

/**
 * A pooled connection that answered a ping if it sat idle. A write cannot be retried once sent,
 * so dead sockets left by a freeze are found (and dropped) here, where a retry is harmless.
 */
async function liveConnection(): Promise<PoolConnection> {
  for (let tries = 1; ; tries += 1) {
    const connection = await acquire();
    // mysql2 stamps a pooled connection when it is created and each time it is released (untyped field).
    const idleSince = (connection.connection as { lastActiveTime?: number }).lastActiveTime;
    if (idleSince === undefined || Date.now() - idleSince < PING_IF_IDLE_MS) return connection;
    try {
      await connection.ping();
      return connection;
    } catch (error) {
      connection.destroy();
      counters.staleDropped += 1;
      if (!isConnectionLost(error) || tries > config().DB_POOL_SIZE) throw error;
    }
  }
}

/** A SQL comparison's value as a boolean: MariaDB sends 1/0, MySQL 8 a BIGINT (the string "1" with bigNumberStrings). */
export const sqlFlag = (value: unknown): boolean => Number(value) === 1;

/** Runs a SELECT. On the pool, a statement that failed on a dead socket is retried once. */
export async function select<T>(sql: string, params: SqlParams = [], on: Queryable = db()): Promise<T[]> {
  if (on !== pool) {
    const [rows] = await on.query<RowDataPacket[]>(sql, params);
    return rows as unknown as T[];
  }
  // Reading twice is harmless, so any lost connection is worth one more try. The connection is
  // taken explicitly (pool.query would do the same) so that failing to open one is told apart.
  return onceMoreIf(isConnectionLost, async () => {
    const connection = await acquire();
    try {
      const [rows] = await connection.query<RowDataPacket[]>(sql, params);
      return rows as unknown as T[];
    } finally {
      connection.release();
    }
  });
}

/**
 * Runs a write. On the pool it goes to a connection checked alive (liveConnection) and is retried
 * only if it provably was never sent: `attempts = attempts + 1` must not apply twice.
 */
export async function execute(sql: string, params: SqlParams = [], on: Queryable = db()): Promise<ResultSetHeader> {
  if (on !== pool) {
    const [result] = await on.query<ResultSetHeader>(sql, params);
    return result;
  }
  return onceMoreIf(failedBeforeSending, async () => {
    const connection = await liveConnection();
    try {
      const [result] = await connection.query<ResultSetHeader>(sql, params);
      return result;
    } finally {
      // A connection that errored fatally has already left the pool; release() is then a no-op.
      connection.release();
    }
  });
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
 * whole unit (bounded); so does a connection that was dead before anything was sent. A unit that
 * could not get a connection changed nothing (ServiceBusyError); one whose connection died before
 * COMMIT is rolled back by the server.
 */
export async function withTransaction<T>(work: (connection: PoolConnection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt += 1) {
    // Nothing of the unit has run yet, so a connection lost while starting it can be replaced.
    const connection = await onceMoreIf(isConnectionLost, async () => {
      const candidate = await acquire();
      try {
        // SET TRANSACTION applies to the next transaction only; the pooled connection keeps its default.
        // The only SET the application sends (the sweeper's batches): see README, "Behind a database proxy".
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
