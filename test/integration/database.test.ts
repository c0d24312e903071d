import { describe, expect, it } from 'vitest';
import { hitRateLimit } from '../../shared/auth/rate-limit';
import { config } from '../../shared/config';
import { migrate } from '../../shared/db/migrate';
import { db, execute, select, withTransaction } from '../../shared/db/pool';
import { RateLimitedError } from '../../shared/errors';
import { findOrCreateUserByPhone } from '../../shared/users';
import { uniquePhone } from '../helpers/sandbox';

describe('database layer', () => {
  it('runs migrations once: a second run applies nothing', async () => {
    const result = await migrate(config().DATABASE_URL);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied.length).toBeGreaterThan(0);
  });

  it('survives connections the server closed while the instance was frozen', async () => {
    // Arrange: warm the pool, then kill its connections from outside (as wait_timeout would)
    const ids = await Promise.all([select<{ id: number }>('SELECT CONNECTION_ID() AS id'), select<{ id: number }>('SELECT CONNECTION_ID() AS id')]);
    const { createConnection } = await import('mysql2/promise');
    const admin = await createConnection({ uri: config().DATABASE_URL });
    for (const [row] of ids) if (row) await admin.query('KILL CONNECTION ?', [row.id]);
    await admin.end();

    // Act
    const rows = await select<{ one: number }>('SELECT 1 AS one');

    // Assert
    expect(rows[0]?.one).toBe(1);
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
