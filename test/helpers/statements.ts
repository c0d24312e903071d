import mysql from 'mysql2';

/**
 * Statements sent to the database while `work` runs (every one goes through mysql2's core
 * Connection.query, pool queries included), for tests that hold a request to its round trips.
 */
export async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const original = mysql.Connection.prototype.query;
  let count = 0;
  mysql.Connection.prototype.query = function counted(this: mysql.Connection, ...args: Parameters<typeof original>) {
    count += 1;
    return original.apply(this, args);
  } as typeof original;
  try {
    await work();
  } finally {
    mysql.Connection.prototype.query = original;
  }
  return count;
}
