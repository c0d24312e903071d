import { randomUUID } from 'node:crypto';
import { createConnection, createPool, type Connection, type Pool, type RowDataPacket } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commitAfter, startAmbiguousCommitProxy, type AmbiguousCommitProxy } from '../helpers/ambiguous-commit-proxy';

/** The fresh database of this file (test/helpers/integration-setup.ts), reached directly. */
const databaseUrl = (): string => process.env.DATABASE_URL ?? '';

let direct: Connection;
let proxy: AmbiguousCommitProxy;
/** Connections and pools a test opened through the proxy; closed after it, dead or alive. */
let opened: Array<Connection | Pool> = [];

async function connectThroughProxy(): Promise<Connection> {
  const connection = await createConnection({ uri: proxy.databaseUrl(databaseUrl()), charset: 'utf8mb4_unicode_ci' });
  opened.push(connection);
  return connection;
}

function poolThroughProxy(): Pool {
  const pool = createPool({ uri: proxy.databaseUrl(databaseUrl()), connectionLimit: 2, charset: 'utf8mb4_unicode_ci' });
  opened.push(pool);
  return pool;
}

/** A statement's outcome as a value: 'acknowledged', or the error it was rejected with. */
const outcomeOf = (statement: Promise<unknown>): Promise<unknown> =>
  statement.then(
    () => 'acknowledged',
    (error: unknown) => error,
  );

async function committedRows(ref: string): Promise<RowDataPacket[]> {
  const [rows] = await direct.query<RowDataPacket[]>('SELECT ref, kind, CHAR_LENGTH(body) AS body_length FROM proxy_scratch WHERE ref = ?', [ref]);
  return rows;
}

beforeAll(async () => {
  direct = await createConnection({ uri: databaseUrl(), charset: 'utf8mb4_unicode_ci' });
  await direct.query('CREATE TABLE proxy_scratch (id INT AUTO_INCREMENT PRIMARY KEY, ref VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, body MEDIUMTEXT NULL)');
});

afterAll(async () => {
  await direct.end();
});

beforeEach(async () => {
  proxy = await startAmbiguousCommitProxy({ target: databaseUrl() });
});

afterEach(async () => {
  await Promise.all(opened.map((resource) => resource.end().catch(() => undefined)));
  opened = [];
  await proxy.close();
});

describe('ambiguous-commit proxy', () => {
  it('passes statements and their answers through unchanged, on a pool of two connections', async () => {
    // Arrange
    const pool = poolThroughProxy();
    const ref = randomUUID();
    const text = 'héllo 照片 🙂';
    const body = 'x'.repeat(300_000);

    // Act: six at once on two connections; a write and a read of a body spanning many TCP chunks
    const answers = await Promise.all(Array.from({ length: 6 }, (_, n) => pool.query<RowDataPacket[]>('SELECT ? AS n, ? AS text', [n, text])));
    await pool.query('INSERT INTO proxy_scratch (ref, kind, body) VALUES (?, ?, ?)', [ref, 'plain', body]);
    const [read] = await pool.query<RowDataPacket[]>('SELECT body FROM proxy_scratch WHERE ref = ?', [ref]);

    // Assert
    expect(answers.map(([rows]) => rows[0])).toEqual(Array.from({ length: 6 }, (_, n) => ({ n, text })));
    expect(read[0]?.body).toBe(body);
    expect(proxy.connectionCount).toBe(2);
    expect(proxy.drops).toEqual([]);
  });

  it("drops the answer to a COMMIT that did commit: the client sees a lost connection, the row is there", async () => {
    // Arrange
    const client = await connectThroughProxy();
    const ref = randomUUID();
    const insert = `INSERT INTO proxy_scratch (ref, kind) VALUES ('${ref}', 'hold')`;
    const dropped = proxy.dropResponseTo(commitAfter(/INSERT INTO proxy_scratch[\s\S]*'hold'/));
    await client.query('START TRANSACTION');
    await client.query(insert);

    // Act
    const outcome = await outcomeOf(client.query('COMMIT'));

    // Assert
    expect(outcome).toMatchObject({ code: 'ECONNRESET', fatal: true });
    expect(await dropped).toEqual({ sql: 'COMMIT', history: ['START TRANSACTION', insert], connection: 1, answer: 'ok' });
    expect(await committedRows(ref)).toEqual([{ ref, kind: 'hold', body_length: null }]);
  });

  it('drops nothing when no statement matches', async () => {
    // Arrange: armed for a transaction that wrote a 'refund'; this one writes a 'hold'
    const client = await connectThroughProxy();
    const ref = randomUUID();
    void proxy.dropResponseTo(commitAfter(/INSERT INTO proxy_scratch[\s\S]*'refund'/));
    await client.query('START TRANSACTION');
    await client.query(`INSERT INTO proxy_scratch (ref, kind) VALUES ('${ref}', 'hold')`);

    // Act
    const outcome = await outcomeOf(client.query('COMMIT'));
    const [after] = await client.query<RowDataPacket[]>('SELECT 1 AS still_connected');

    // Assert
    expect(outcome).toBe('acknowledged');
    expect(after).toEqual([{ still_connected: 1 }]);
    expect(proxy.drops).toEqual([]);
    expect(await committedRows(ref)).toEqual([{ ref, kind: 'hold', body_length: null }]);
  });

  it("lets mysql2's pool open a new connection through the proxy after a drop", async () => {
    // Arrange: the drop ends the socket with a FIN this time
    const pool = poolThroughProxy();
    const ref = randomUUID();
    await pool.query('SELECT 1');
    const dropped = proxy.dropResponseTo((sql) => sql.includes(ref), { disconnect: 'end' });
    const lost = await outcomeOf(pool.query('INSERT INTO proxy_scratch (ref, kind) VALUES (?, ?)', [ref, 'autocommit']));
    await dropped;

    // Act
    const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM proxy_scratch WHERE ref = ?', [ref]);

    // Assert
    expect(lost).toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
    expect(rows).toEqual([{ n: 1 }]);
    expect(proxy.connectionCount).toBe(2);
    expect(proxy.drops).toHaveLength(1);
  });

  it('reassembles a statement that spans many TCP chunks before matching it, and runs it before dropping', async () => {
    // Arrange
    const client = await connectThroughProxy();
    const ref = randomUUID();
    const insert = `INSERT INTO proxy_scratch (ref, kind, body) VALUES ('${ref}', 'large', '${'y'.repeat(1_000_000)}')`;
    const dropped = proxy.dropResponseTo((sql) => sql.includes(ref) && sql.endsWith("yyy')"));

    // Act
    const outcome = await outcomeOf(client.query(insert));

    // Assert
    expect(outcome).toMatchObject({ code: 'ECONNRESET' });
    expect((await dropped).sql).toBe(insert);
    expect(await committedRows(ref)).toEqual([{ ref, kind: 'large', body_length: 1_000_000 }]);
  });

  it('drops the answer to a SELECT once its whole result set has arrived', async () => {
    // Arrange
    const client = await connectThroughProxy();
    const ref = randomUUID();
    await client.query('INSERT INTO proxy_scratch (ref, kind) VALUES (?, ?), (?, ?), (?, ?)', [ref, 'a', ref, 'b', ref, 'c']);
    const dropped = proxy.dropResponseTo((sql) => sql.startsWith('SELECT kind'));

    // Act
    const outcome = await outcomeOf(client.query('SELECT kind FROM proxy_scratch WHERE ref = ? ORDER BY kind', [ref]));

    // Assert
    expect(outcome).toMatchObject({ code: 'ECONNRESET' });
    expect(await dropped).toMatchObject({ answer: 'result-set', history: [expect.stringContaining('INSERT INTO proxy_scratch')] });
  });
});
