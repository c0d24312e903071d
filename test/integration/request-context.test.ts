import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as me from '../../functions/auth/me';
import { issueToken } from '../../shared/auth/jwt';
import { logger } from '../../shared/logger';
import { findOrCreateUserByPhone } from '../../shared/users';
import { platforms } from '../helpers/events';
import { uniquePhone } from '../helpers/sandbox';

/** Structured log lines written while a test runs (tests otherwise log nothing). */
let lines: string[] = [];
let level = logger.getLevelName();

beforeEach(() => {
  lines = [];
  level = logger.getLevelName();
  const capture = (chunk: string | Uint8Array) => lines.push(String(chunk)) > 0;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  logger.setLogLevel('INFO');
});

afterEach(() => {
  logger.setLogLevel(level);
  vi.restoreAllMocks();
});

describe.each(platforms)('overlapping requests in one process on $name', (platform) => {
  it('log each access line with its own request id and duration', async () => {
    // Arrange: one function instance, several requests in flight at once (as in the local gateway)
    const user = await findOrCreateUserByPhone(uniquePhone());
    const token = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: 'user' });

    // Act
    const results = await Promise.all(Array.from({ length: 5 }, () => platform.call(me, { method: 'GET', path: '/auth/me', token })));

    // Assert
    const accessLines = lines.map((line) => JSON.parse(line) as { message?: string; requestId?: string; durationMs?: number }).filter((line) => line.message === 'request');
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    expect(accessLines.map((line) => line.requestId).sort()).toEqual(results.map((result) => result.headers['x-request-id']).sort());
    for (const line of accessLines) expect(line.durationMs).toBeGreaterThanOrEqual(0);
  });
});
