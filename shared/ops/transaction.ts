import type { PoolConnection } from 'mysql2/promise';
import { db, isConnectionLost } from '../db/pool';

/**
 * A short READ COMMITTED transaction for the sweeper's batches.
 *
 * Why not withTransaction (REPEATABLE READ): a locking read in RR also takes gap locks. The ledger
 * checks a task's entries with `SELECT … WHERE reference = ? FOR UPDATE` and then inserts the
 * release; in RR that read locks the gap up to the next reference, so two sweepers settling
 * neighbouring task ids in one batch each block the other's insert and deadlock. In READ COMMITTED
 * InnoDB takes no gap locks for such reads (only record locks; unique checks still use them), the
 * rows a batch does not keep are unlocked as soon as they fail the WHERE, and exactly-once still
 * rests on the record locks, the conditional UPDATE of the task and the ledger's unique key.
 * (A candidate for an `isolation` option on withTransaction in shared/db/pool.ts.)
 */
const retryable = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

export async function withSweepTransaction<T>(work: (connection: PoolConnection) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const connection = await db().getConnection();
    try {
      // Applies to the next transaction only; the pooled connection keeps its session default.
      await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await connection.query('START TRANSACTION');
    } catch (error) {
      connection.destroy();
      if (attempt < attempts && isConnectionLost(error)) continue;
      throw error;
    }
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
      if (attempt < attempts && code !== undefined && retryable.has(code)) {
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
        continue;
      }
      throw error;
    }
  }
}
