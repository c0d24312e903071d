import { randomBytes } from 'node:crypto';
import type { PoolConnection } from 'mysql2/promise';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAmbiguousCommitProxy } from '../helpers/ambiguous-commit-proxy';

/**
 * Issue "Operations at scale", item 4. The app reaches MariaDB/MySQL as an account limited by
 * MAX_USER_CONNECTIONS, as one of many function instances would when the fleet has used up its
 * connection budget: this file holds every allowed connection itself and calls the API, which must
 * answer 503 with Retry-After (code 1011), write nothing, and work again once connections are free.
 * The account's traffic passes through a TCP proxy that reads every statement
 * (test/helpers/ambiguous-commit-proxy.ts), which shows that a new connection sends no SET.
 * DATABASE_URL is replaced before anything reads configuration (modules are imported afterwards).
 */
const LIMIT = 3;
const adminUrl = process.env.DATABASE_URL ?? '';
const database = decodeURIComponent(new URL(adminUrl).pathname.slice(1));
const admin = await createConnection({ uri: adminUrl });
const account = `cl_${randomBytes(5).toString('hex')}`;
const password = randomBytes(12).toString('hex');
await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ? WITH MAX_USER_CONNECTIONS ${LIMIT}`, [account, password]);
await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.* TO ?@'%'`, [account]);
const accountUrl = new URL(adminUrl);
accountUrl.username = account;
accountUrl.password = password;

const proxy = await startAmbiguousCommitProxy({ target: adminUrl });
process.env.DATABASE_URL = proxy.databaseUrl(accountUrl.toString());

const me = await import('../../functions/auth/me');
const create = await import('../../functions/task/create');
const paymentCallback = await import('../../functions/membership/payment-callback');
const purchase = await import('../../functions/membership/purchase');
const { closeDb } = await import('../../shared/db/pool');
const { findTask, insertTask, markManyFailed } = await import('../../shared/db/repositories/tasks');
const { checkLedgerInvariants, grantMembership, hold } = await import('../../shared/quota/ledger');
const { sandboxOpenidForCode } = await import('../../infra/sandbox/wechat-oauth');
const { platforms } = await import('../helpers/events');
const { jpegImage } = await import('../helpers/images');
const { callbackCall, signedNotification } = await import('../helpers/payments');
const { uniquePhone } = await import('../helpers/sandbox');
const { newTaskOf, seedInput } = await import('../helpers/tasks');
const { createUser } = await import('../helpers/users');

const [aws] = platforms;
if (!aws) throw new Error('no platform');

// ------------------------------------------------------------------------------------------------
// Holding the account's connections, as the rest of the fleet would

let held: Connection[] = [];

/** Sessions the server has open for the limited account (it counts them against MAX_USER_CONNECTIONS), or only those with these ids. */
async function sessionsOfAccount(ids?: readonly number[]): Promise<number> {
  const [rows] = await admin.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ? ${ids ? 'AND ID IN (?)' : ''}`,
    ids ? [account, ids.length > 0 ? ids : [0]] : [account],
  );
  return Number(rows[0]?.n);
}

/** Waits until the server has ended those sessions of the account (it does so a moment after the client closed them). */
async function untilEnded(ids?: readonly number[]): Promise<void> {
  for (let waited = 0; (await sessionsOfAccount(ids)) > 0; waited += 20) {
    if (waited > 5_000) throw new Error(`sessions of ${account} still open`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A connection as the limited account, straight to the server (not through the proxy). */
const connectAsAccount = () => createConnection({ uri: accountUrl.toString(), connectTimeout: 2_000 });

/** The function instance has no open connection, and every connection the account may have is taken. */
async function exhaustConnections(): Promise<void> {
  await closeDb();
  await untilEnded();
  held = await Promise.all(Array.from({ length: LIMIT }, connectAsAccount));
  // The limit is real: one more is refused by the server itself.
  await expect(connectAsAccount()).rejects.toMatchObject({ code: expect.stringMatching(/^ER_USER_LIMIT_REACHED$|^ER_TOO_MANY_USER_CONNECTIONS$/) });
}

/** Gives the held connections back, as the rest of the fleet finishing its requests. */
async function freeConnections(): Promise<void> {
  const ids = held.map((connection) => connection.threadId);
  await Promise.all(held.map((connection) => connection.end()));
  held = [];
  await untilEnded(ids);
}

afterEach(async () => {
  proxy.disarm();
  await freeConnections();
  expect(await checkLedgerInvariants()).toEqual([]);
});

afterAll(async () => {
  await closeDb();
  await proxy.close();
  await admin.query(`DROP USER IF EXISTS ?@'%'`, [account]);
  await admin.end();
});

function expectBusy(result: { status: number; headers: Record<string, string>; json: { success?: boolean; error?: { code: number; message: string; requestId?: string } } }): void {
  expect(result.status).toBe(503);
  expect(result.headers['retry-after']).toMatch(/^[2-5]$/);
  expect(result.json).toEqual({ success: false, error: { code: 1011, message: '服务繁忙,请稍后重试', requestId: expect.any(String) } });
}

const basicClean = (key: string) => ({ type: 'basic_clean', inputImageUrl: key, params: { template: 'white_bg' } });

// ------------------------------------------------------------------------------------------------

describe('when the database has no connection to give', () => {
  it.each(platforms.map((platform) => [platform.name, platform] as const))('GET /auth/me on %s: 503 with Retry-After and code 1011, then 200 once a connection is free', async (_name, platform) => {
    // Arrange
    const { user, token } = await createUser();
    await exhaustConnections();

    // Act
    const refused = await platform.call(me, { method: 'GET', path: '/auth/me', token });
    await freeConnections();
    const answered = await platform.call(me, { method: 'GET', path: '/auth/me', token });

    // Assert
    expectBusy(refused);
    expect(refused.headers['x-request-id']).toBe(refused.json.error?.requestId);
    expect(answered.status).toBe(200);
    expect(answered.json.data).toMatchObject({ id: user.id });
  });

  it('POST /task/create: 503, no task, no hold, the quota untouched; the same create succeeds afterwards', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 2 });
    const { taskId, key } = await seedInput(user.id, jpegImage());
    await exhaustConnections();

    // Act
    const refused = await aws.call(create, { method: 'POST', path: '/task/create', token, body: basicClean(key) });

    // Assert: read by the administrator while the account still has no connection
    expectBusy(refused);
    const [tasks] = await admin.query<RowDataPacket[]>('SELECT id FROM tasks WHERE id = ?', [taskId]);
    const [entries] = await admin.query<RowDataPacket[]>('SELECT kind FROM quota_ledger WHERE reference = ?', [taskId]);
    const [users] = await admin.query<RowDataPacket[]>('SELECT quota_balance FROM users WHERE id = ?', [user.id]);
    expect(tasks).toEqual([]);
    expect(entries).toEqual([]);
    expect(Number(users[0]?.quota_balance)).toBe(2);

    // Act: the client retries after Retry-After
    await freeConnections();
    const retried = await aws.call(create, { method: 'POST', path: '/task/create', token, body: basicClean(key) });

    // Assert
    expect(retried.status).toBe(200);
    expect(retried.json.data).toMatchObject({ taskId });
    expect(await checkLedgerInvariants()).toEqual([]);
  });

  it('a signed payment notification is not acknowledged and credits nothing; the platform’s next delivery credits once', async () => {
    // Arrange: a pending WeChat JSAPI order, then no connection to be had
    const { user, token } = await createUser();
    const ordered = await aws.call(purchase, { method: 'POST', path: '/membership/purchase', token, body: { channel: 'wx', openid: sandboxOpenidForCode('connection-limits') } });
    const orderId = String(ordered.json.data?.orderId);
    const notification = await signedNotification(orderId);
    await exhaustConnections();

    // Act
    const refused = await aws.call(paymentCallback, callbackCall(notification));

    // Assert: 503 with Retry-After (WeChat delivers again), and nothing written
    expect(refused.status).toBe(503);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json).toMatchObject({ code: 'FAIL' });
    const [orders] = await admin.query<RowDataPacket[]>('SELECT status FROM orders WHERE id = ?', [orderId]);
    const [entries] = await admin.query<RowDataPacket[]>('SELECT kind FROM quota_ledger WHERE user_id = ?', [user.id]);
    expect(orders[0]?.status).toBe('pending');
    expect(entries).toEqual([]);

    // Act: WeChat's next delivery, once connections are free
    await freeConnections();
    const delivered = await aws.call(paymentCallback, callbackCall(notification));

    // Assert
    expect(delivered.status).toBe(204);
    const [credited] = await admin.query<RowDataPacket[]>('SELECT kind, delta FROM quota_ledger WHERE user_id = ?', [user.id]);
    expect(credited).toEqual([{ kind: 'grant', delta: 100 }]);
  });
});

describe('new connections and the time zone', () => {
  it('a new connection sends no SET: its first statement is the request’s own', async () => {
    // Arrange: the instance starts without connections; the proxy records every statement
    const { user, token } = await createUser({ quota: 1 });
    const { key } = await seedInput(user.id, jpegImage());
    await closeDb();
    const statements: { sql: string; first: boolean }[] = [];
    void proxy.dropResponseTo(
      (sql, history) => {
        statements.push({ sql, first: history.length === 0 });
        return false;
      },
      { times: Infinity },
    );
    const connectionsBefore = proxy.connectionCount;

    // Act: two requests at once open two connections; a task create runs a transaction
    const answers = await Promise.all([aws.call(me, { method: 'GET', path: '/auth/me', token }), aws.call(me, { method: 'GET', path: '/auth/me', token })]);
    const created = await aws.call(create, { method: 'POST', path: '/task/create', token, body: basicClean(key) });

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(created.status).toBe(200);
    const opened = proxy.connectionCount - connectionsBefore;
    expect(opened).toBeGreaterThanOrEqual(2);
    expect(statements.filter((statement) => statement.first)).toHaveLength(opened);
    expect(statements.filter((statement) => /^\s*SET\b/i.test(statement.sql))).toEqual([]);
    expect(statements.some((statement) => /^START TRANSACTION/.test(statement.sql))).toBe(true);
  });

  it('a session whose time zone is not UTC (+08:00) still stores and compares UTC: defaults, triggers and the app’s statements', async () => {
    // Arrange: a connection as the pool makes it, in a session at +08:00, as on a server created with
    // that time zone; everything below goes through it
    const session = await createConnection({ uri: adminUrl, timezone: 'Z' });
    const on = session as unknown as PoolConnection;
    try {
      await session.query("SET time_zone = '+08:00'");
      const [[clocks]] = await session.query<RowDataPacket[]>('SELECT TIMESTAMPDIFF(HOUR, UTC_TIMESTAMP(), NOW()) AS ahead');
      expect(Number(clocks?.ahead)).toBe(8);
      const userId = randomBytes(6).toString('hex');
      const orderId = `order_utc_${randomBytes(6).toString('hex')}`;
      const task = newTaskOf(userId);

      // Act: a user and a paid order by their column defaults; a grant; a membership ending in one
      // hour (on this session's clock it ended 7 hours ago); a hold; a task; the task fails
      await session.query('INSERT INTO users (id, phone) VALUES (?, ?)', [userId, uniquePhone()]);
      await session.query(
        `INSERT INTO orders (id, user_id, channel, pay_method, status, amount_fen, membership_days, quota, subject, expires_at, paid_at)
         VALUES (?, ?, 'alipay', 'wap', 'paid', 9900, 1, 2, 'utc test', ?, ?)`,
        [orderId, userId, new Date(Date.now() + 1_800_000), new Date()],
      );
      await grantMembership(on, userId, orderId, 2, 1);
      await session.query('UPDATE users SET member_expires_at = ? WHERE id = ?', [new Date(Date.now() + 3_600_000), userId]);
      const held = await hold(on, userId, task.id);
      await insertTask(on, task);
      const stored = await findTask(task.id, on);
      await markManyFailed(on, [task.id], { code: 3003, reason: 'AI服务暂时不可用,请重试', detail: null });

      // Assert: the trigger saw a member (the hold was taken, the release returns the unit)
      expect(held).toBe('held');
      expect(stored).toMatchObject({ overdue: false, poll_due: false });
      const [entries] = await session.query<RowDataPacket[]>('SELECT kind, delta, note FROM quota_ledger WHERE user_id = ? ORDER BY id', [userId]);
      expect(entries).toEqual([
        { kind: 'grant', delta: 2, note: null },
        { kind: 'hold', delta: -1, note: null },
        { kind: 'release', delta: 1, note: null },
      ]);
      // Every time written by a default, a trigger or a statement is now in UTC, not 8 hours ahead
      const [[times]] = await session.query<RowDataPacket[]>(
        `SELECT u.created_at AS user_created, u.updated_at AS user_updated, o.created_at AS order_created,
                (SELECT MAX(created_at) FROM quota_ledger WHERE user_id = u.id) AS ledger_created,
                t.updated_at AS task_updated, t.finished_at AS task_finished, t.deadline_at - INTERVAL 600 SECOND AS task_deadline_less_600
           FROM users u JOIN orders o ON o.user_id = u.id JOIN tasks t ON t.user_id = u.id WHERE u.id = ?`,
        [userId],
      );
      for (const [column, value] of Object.entries(times ?? {})) {
        expect({ column, skewMs: Math.abs((value as Date).getTime() - Date.now()) < 60_000 }).toEqual({ column, skewMs: true });
      }
      expect(await checkLedgerInvariants(session)).toEqual([]);
    } finally {
      await session.end();
    }
  });
});
