import { createServer } from 'node:net';
import { createConnection } from 'mysql2';
import { beforeAll, describe, expect, it } from 'vitest';
import { failedBeforeSending, isConnectionLost } from '../../shared/db/pool';

/** Real mysql2 errors, made without a database: a port nothing listens on. */
let refusedPort = 0;

beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  refusedPort = Number((probe.address() as { port: number }).port);
  await new Promise((resolve) => probe.close(resolve));
});

function refusedErrors(port: number): Promise<{ connectError: Error; queryError: Error }> {
  return new Promise((resolve) => {
    const connection = createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2_000 });
    connection.connect((connectError) => {
      // The connection is now in the closed state; the next statement is refused before sending.
      connection.query('SELECT 1', (queryError) => {
        if (connectError && queryError) resolve({ connectError, queryError });
      });
    });
  });
}

function error(fields: { message: string; code?: string; fatal?: boolean; syscall?: string }): Error {
  return Object.assign(new Error(fields.message), fields);
}

describe('classifying database errors', () => {
  it('retries anything on a refused connection: nothing was sent', async () => {
    // Act
    const { connectError, queryError } = await refusedErrors(refusedPort);

    // Assert
    expect(connectError).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isConnectionLost(connectError)).toBe(true);
    expect(failedBeforeSending(connectError)).toBe(true);
    expect(queryError.message).toMatch(/closed state/);
    expect(failedBeforeSending(queryError)).toBe(true);
  });

  it.each([
    ['PROTOCOL_CONNECTION_LOST', error({ message: 'Connection lost: The server closed the connection.', code: 'PROTOCOL_CONNECTION_LOST', fatal: true })],
    ['ECONNRESET on a read', error({ message: 'read ECONNRESET', code: 'ECONNRESET', fatal: true, syscall: 'read' })],
    ['EPIPE on a write', error({ message: 'write EPIPE', code: 'EPIPE', fatal: true, syscall: 'write' })],
    ['ETIMEDOUT on an open socket', error({ message: 'read ETIMEDOUT', code: 'ETIMEDOUT', fatal: true, syscall: 'read' })],
  ])('calls %s lost but not unsent: the server may have run the statement (a sent write is covered in test/integration/database.test.ts)', (_name, lost) => {
    expect(isConnectionLost(lost)).toBe(true);
    expect(failedBeforeSending(lost)).toBe(false);
  });

  it('calls a connect timeout unsent', () => {
    const timeout = error({ message: 'connect ETIMEDOUT', code: 'ETIMEDOUT', fatal: true, syscall: 'connect' });
    expect(failedBeforeSending(timeout)).toBe(true);
  });

  it.each([
    ['a duplicate key', error({ message: "Duplicate entry '1' for key 'PRIMARY'", code: 'ER_DUP_ENTRY' })],
    ['a deadlock', error({ message: 'Deadlock found', code: 'ER_LOCK_DEADLOCK' })],
    ['a non-error', 'ECONNRESET'],
  ])('retries nothing for %s', (_name, other) => {
    expect(isConnectionLost(other)).toBe(false);
    expect(failedBeforeSending(other)).toBe(false);
  });
});
