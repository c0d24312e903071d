import { spawnSync } from 'node:child_process';
import { createConnection } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { hitRateLimit } from '../../shared/auth/rate-limit';
import { config } from '../../shared/config';
import { migrate } from '../../shared/db/migrate';
import { db, execute, poolStats, select, withTransaction } from '../../shared/db/pool';
import { RateLimitedError } from '../../shared/errors';
import { findOrCreateUserByPhone } from '../../shared/users';
import { uniquePhone } from '../helpers/sandbox';

/**
 * Kills every connection of the pool from another process while this one is blocked in
 * spawnSync, as when the server's wait_timeout passes while a function instance is frozen: the
 * closed sockets are only noticed once the next statement has been written to them.
 */
async function killPooledConnectionsWhileFrozen(idleMs = 0): Promise<void> {
  const sleepers = await Promise.all([0, 1].map(() => select<{ id: number }>('SELECT CONNECTION_ID() AS id, SLEEP(0.05) AS pause')));
  const ids = sleepers.map(([row]) => Number(row?.id));
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const script = `const m = require('mysql2/promise');
    (async () => { const c = await m.createConnection({ uri: process.argv[1] }); for (const id of ${JSON.stringify(ids)}) await c.query('KILL CONNECTION ?', [id]); await c.end(); })()
      .catch((error) => { console.error(error); process.exit(1); });`;
  const killed = spawnSync(process.execPath, ['-e', script, config().DATABASE_URL], { cwd: process.cwd(), encoding: 'utf8' });
  if (killed.status !== 0) throw new Error(`could not kill the pooled connections: ${killed.stderr}`);
}

describe('database layer', () => {
  it('runs migrations once: a second run applies nothing', async () => {
    const result = await migrate(config().DATABASE_URL);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied.length).toBeGreaterThan(0);
  });

  it('retries a SELECT that met a connection the server closed while the instance was frozen', async () => {
    // Arrange: both pooled connections die while this process cannot see it (a frozen instance)
    await killPooledConnectionsWhileFrozen();
    const before = poolStats().retries;

    // Act: issued before the event loop has read the closed sockets, so the first try fails
    const rows = await select<{ one: number }>('SELECT 1 AS one');

    // Assert
    expect(rows[0]?.one).toBe(1);
    expect(poolStats().retries).toBe(before + 1);
  });

  it('applies a write exactly once after the server closed the idle connections', async () => {
    // Arrange: idle long enough to be pinged before a write, then killed while "frozen"
    const phone = uniquePhone();
    await execute('INSERT INTO otp_codes (phone, code_hash, expires_at, request_ip) VALUES (?, ?, NOW(3) + INTERVAL 5 MINUTE, ?)', [phone, Buffer.alloc(32), '127.0.0.1']);
    await killPooledConnectionsWhileFrozen(1_100);
    const before = poolStats();

    // Act
    const result = await execute('UPDATE otp_codes SET attempts = attempts + 1 WHERE phone = ?', [phone]);

    // Assert: the dead connection was found by a ping, never by the (unrepeatable) update
    const [row] = await select<{ attempts: number }>('SELECT attempts FROM otp_codes WHERE phone = ?', [phone]);
    expect(result.affectedRows).toBe(1);
    expect(row?.attempts).toBe(1);
    expect(poolStats().staleDropped).toBeGreaterThan(before.staleDropped);
    expect(poolStats().retries).toBe(before.retries);
  });

  it('does not retry a write whose connection died after it was sent', async () => {
    // Arrange: a second connection kills the writer's connection while the write is running
    const phone = uniquePhone();
    const [writer] = await select<{ id: number }>('SELECT CONNECTION_ID() AS id');
    const admin = await createConnection({ uri: config().DATABASE_URL });
    const before = poolStats().retries;

    // Act: the pool's most recently used connection (`writer`) takes the next statement
    // Its outcome is taken at once: the kill may fail it while this test still awaits the admin connection.
    const outcome = execute(
      `INSERT INTO otp_codes (phone, code_hash, expires_at, request_ip)
       SELECT ?, ?, NOW(3), '127.0.0.1' FROM (SELECT SLEEP(0.5) AS pause) AS slow`,
      [phone, Buffer.alloc(32)],
    ).then(
      () => 'written',
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await admin.query('KILL CONNECTION ?', [Number(writer?.id)]);
    await admin.end();

    // Assert: the error reaches the caller; a retry would have inserted the row
    expect(await outcome).toMatchObject({ code: expect.stringMatching(/PROTOCOL_CONNECTION_LOST|ECONNRESET|ER_CONNECTION_KILLED/) });
    expect(poolStats().retries).toBe(before);
    expect(await select('SELECT id FROM otp_codes WHERE phone = ?', [phone])).toHaveLength(0);
  });

  it('stores UTC and reads back the same instant', async () => {
    const [row] = await select<{ now: Date; utc: Date }>('SELECT NOW(3) AS now, UTC_TIMESTAMP(3) AS utc');
    expect(row?.now.getTime()).toBe(row?.utc.getTime());
    expect(Math.abs((row?.now.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);
  });

  it('rolls a transaction back when its work throws', async () => {
    const phone = uniquePhone();
    await expect(
      withTransaction(async (connection) => {
        await execute('INSERT INTO users (id, phone) VALUES (?, ?)', ['abcabcabcabc', phone], connection);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await select('SELECT id FROM users WHERE phone = ?', [phone])).toHaveLength(0);
  });

  it('creates one user when two first logins race', async () => {
    const phone = uniquePhone();
    const users = await Promise.all(Array.from({ length: 8 }, () => findOrCreateUserByPhone(phone)));
    expect(new Set(users.map((user) => user.id)).size).toBe(1);
  });

  it('counts rate-limit hits atomically under concurrency', async () => {
    const bucket = `test:${uniquePhone()}`;
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => hitRateLimit(bucket, 10, 3600)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(10);
    expect(results.filter((result) => result.status === 'rejected' && result.reason instanceof RateLimitedError)).toHaveLength(20);
    expect(db()).toBeDefined();
  });
});
