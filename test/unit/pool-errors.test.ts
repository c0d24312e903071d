import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createConnection } from 'mysql2';
import { createConnection as createPromiseConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, connectErrorToAppError, execute, failedBeforeSending, isConnectFailure, isConnectionLost, poolStats, select, withTransaction } from '../../shared/db/pool';
import { ServiceBusyError } from '../../shared/errors';
import { errorResponse } from '../../shared/http/respond';

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

function error(fields: { message: string; code?: string; fatal?: boolean; syscall?: string; errno?: number }): Error {
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
    // Not a failure to connect: on an open connection it stays what it is (a 500, or a read-back).
    expect(isConnectFailure(lost)).toBe(false);
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

// ------------------------------------------------------------------------------------------------
// Connection limits (issue "Operations at scale", item 4): the errors are real mysql2 errors, read
// off the wire from a small TCP server that answers a new connection the way a full server does.

type Answer =
  /** An ERR packet where the greeting would be, as MySQL sends "Too many connections". */
  | { readonly kind: 'error'; readonly errno: number; readonly message: string; readonly sqlState?: string }
  /** Accept and say nothing: the client's connectTimeout fires. */
  | { readonly kind: 'silent' }
  /** Accept and hang up before the greeting. */
  | { readonly kind: 'hang-up' };

interface FakeServer {
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly accepted: number;
  answer: Answer;
  close(): Promise<void>;
}

/** A MySQL packet: 3-byte little-endian length, sequence id 0, payload. */
function errorPacket(errno: number, message: string, sqlState?: string): Buffer {
  const code = Buffer.alloc(3);
  code[0] = 0xff;
  code.writeUInt16LE(errno, 1);
  const payload = Buffer.concat([code, Buffer.from(sqlState ? `#${sqlState}${message}` : message, 'utf8')]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = 0;
  return Buffer.concat([header, payload]);
}

async function startFakeServer(answer: Answer): Promise<FakeServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const state = { answer };
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const current = state.answer;
    if (current.kind === 'error') socket.end(errorPacket(current.errno, current.message, current.sqlState));
    else if (current.kind === 'hang-up') socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    get answer() {
      return state.answer;
    },
    set answer(next: Answer) {
      state.answer = next;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** What mysql2 rejects a new connection with (callback-free API; connectTimeout short for the silent case). */
async function connectError(port: number): Promise<Error> {
  try {
    const connection = await createPromiseConnection({ host: '127.0.0.1', port, user: 'app', connectTimeout: 300 });
    await connection.end();
  } catch (failure) {
    return failure as Error;
  }
  throw new Error('the connection was accepted');
}

const tooManyConnections = { kind: 'error', errno: 1040, message: 'Too many connections' } as const;
const limits: readonly [string, Extract<Answer, { kind: 'error' }>][] = [
  ['ER_CON_COUNT_ERROR', tooManyConnections],
  ['ER_TOO_MANY_USER_CONNECTIONS', { kind: 'error', errno: 1203, sqlState: '42000', message: "User app already has more than 'max_user_connections' active connections" }],
  ['ER_USER_LIMIT_REACHED', { kind: 'error', errno: 1226, sqlState: '42000', message: "User 'app' has exceeded the 'max_user_connections' resource (current value: 2)" }],
];

function expectBusyAnswer(mapped: unknown): void {
  expect(mapped).toBeInstanceOf(ServiceBusyError);
  const response = errorResponse(mapped, 'req-busy');
  expect(response.statusCode).toBe(503);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(2);
  expect(retryAfter).toBeLessThanOrEqual(5);
  expect(JSON.parse(response.body)).toEqual({ success: false, error: { code: 1011, message: '服务繁忙,请稍后重试', requestId: 'req-busy' } });
}

describe('a connection that cannot be had answers 503 with Retry-After, never 500', () => {
  const servers: FakeServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  const serve = async (answer: Answer) => {
    const server = await startFakeServer(answer);
    servers.push(server);
    return server;
  };

  it.each(limits)('%s (max_connections, max_user_connections, the account’s MAX_USER_CONNECTIONS)', async (code, answer) => {
    // Arrange
    const server = await serve(answer);

    // Act
    const failure = await connectError(server.port);

    // Assert: mysql2 names it, and the one map turns it into the 503
    expect(failure).toMatchObject({ code, errno: answer.errno });
    expect(isConnectFailure(failure)).toBe(true);
    expectBusyAnswer(connectErrorToAppError(failure));
  });

  it('a connect timeout (the server accepted but never greeted)', async () => {
    // Arrange
    const server = await serve({ kind: 'silent' });

    // Act
    const failure = await connectError(server.port);

    // Assert
    expect(failure).toMatchObject({ code: 'ETIMEDOUT', syscall: 'connect' });
    expectBusyAnswer(connectErrorToAppError(failure));
  });

  it('a refused connection (nothing listens: a failover, a paused serverless database)', async () => {
    const failure = await connectError(refusedPort);
    expect(failure).toMatchObject({ code: 'ECONNREFUSED' });
    expectBusyAnswer(connectErrorToAppError(failure));
  });

  it('a connection cut before the greeting (a proxy turning it away)', async () => {
    // Arrange
    const server = await serve({ kind: 'hang-up' });

    // Act
    const failure = await connectError(server.port);

    // Assert: lost, not a limit; while connecting it is still "no connection to be had"
    expect(isConnectionLost(failure)).toBe(true);
    expect(isConnectFailure(failure)).toBe(false);
    expectBusyAnswer(connectErrorToAppError(failure));
  });

  it.each([
    ['access denied', { kind: 'error', errno: 1045, sqlState: '28000', message: "Access denied for user 'app'@'10.0.0.1' (using password: YES)" }],
    ['an unknown database', { kind: 'error', errno: 1049, sqlState: '42000', message: "Unknown database 'aiphoto'" }],
  ] as const)('but not %s: waiting cures nothing, so it stays a 500 with the request id only', async (_name, answer) => {
    // Arrange
    const server = await serve(answer);

    // Act
    const failure = await connectError(server.port);
    const mapped = connectErrorToAppError(failure);

    // Assert
    expect(mapped).toBe(failure);
    expect(errorResponse(mapped, 'req-1').statusCode).toBe(500);
  });
});

describe('every way the application reaches the database goes through the one map', () => {
  let server: FakeServer;
  const previousUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    server = await startFakeServer(tooManyConnections);
    // Read once per process by config(), which nothing in this file has called yet.
    process.env.DATABASE_URL = `mysql://app@127.0.0.1:${server.port}/aiphoto`;
  });

  afterAll(async () => {
    await closeDb();
    await server.close();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  });

  it.each([
    ['select (a read)', () => select('SELECT 1')],
    ['execute (a write)', () => execute('UPDATE users SET token_version = token_version + 1 WHERE id = ?', ['abcabcabcabc'])],
    ['withTransaction (a unit of writes)', () => withTransaction(async () => 'never')],
  ])('%s: a limit answer is a ServiceBusyError, tried once (the client is told when to come back)', async (_name, run) => {
    // Arrange
    const before = { accepted: server.accepted, retries: poolStats().retries };

    // Act
    const failure = await run().then(
      () => undefined,
      (rejected: unknown) => rejected,
    );

    // Assert
    expectBusyAnswer(failure);
    expect((failure as ServiceBusyError).cause).toMatchObject({ code: 'ER_CON_COUNT_ERROR', errno: 1040 });
    expect(server.accepted - before.accepted).toBe(1);
    expect(poolStats().retries).toBe(before.retries);
  });

  it('a later call connects anew once the server has room: the failed attempt left no slot taken', async () => {
    // Arrange: each call above failed once; a pool that kept failed connections would now be full
    server.answer = { kind: 'hang-up' };
    const before = server.accepted;

    // Act
    const failures = await Promise.all([1, 2, 3].map(() => select('SELECT 1').catch((rejected: unknown) => rejected)));

    // Assert: three new connection attempts, not a queue stuck behind dead ones
    for (const failure of failures) expect(failure).toBeInstanceOf(ServiceBusyError);
    expect(server.accepted - before).toBeGreaterThanOrEqual(3);
  });
});
