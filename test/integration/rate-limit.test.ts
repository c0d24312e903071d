import { describe, expect, it } from 'vitest';
import { hitRateLimit } from '../../shared/auth/rate-limit';
import { select } from '../../shared/db/pool';
import { RateLimitedError } from '../../shared/errors';
import { uniquePhone } from '../helpers/sandbox';

/** Times are passed explicitly, so nothing here depends on when the test runs. */
const MINUTE = 60_000;
/** 500 ms before a calendar-minute edge, where fixed windows would reset. */
const beforeEdge = Math.floor(Date.now() / MINUTE) * MINUTE - 500;

async function outcome(bucket: string, at: number, limit = 5): Promise<'ok' | number> {
  try {
    await hitRateLimit(bucket, limit, 60, at);
    return 'ok';
  } catch (error) {
    if (error instanceof RateLimitedError && error.retryAfterSeconds !== undefined) return error.retryAfterSeconds;
    throw error;
  }
}

describe('sliding-log rate limits', () => {
  it('lets no more than the limit through across a calendar-minute edge', async () => {
    // Arrange: the limit used up just before the edge
    const bucket = `edge:${uniquePhone()}`;
    for (let i = 0; i < 5; i += 1) expect(await outcome(bucket, beforeEdge + i * 100)).toBe('ok');

    // Act: just after the edge, where a fixed window would start counting from zero
    const afterEdge = await outcome(bucket, beforeEdge + 1_000);

    // Assert: refused until the oldest hit is 60 s old
    expect(afterEdge).toBeCloseTo(59, 5);
  });

  it('accepts again exactly as the oldest hits leave the window, one at a time', async () => {
    // Arrange: five hits 10 s apart
    const bucket = `slide:${uniquePhone()}`;
    for (let i = 0; i < 5; i += 1) await outcome(bucket, beforeEdge + i * 10_000);

    // Act
    const justBefore = await outcome(bucket, beforeEdge + MINUTE - 1);
    const onTheMinute = await outcome(bucket, beforeEdge + MINUTE);
    const rightAfter = await outcome(bucket, beforeEdge + MINUTE + 1);

    // Assert: the first hit frees one place at +60 s, the second only at +70 s
    expect(justBefore).toBeCloseTo(0.001, 5);
    expect(onTheMinute).toBe('ok');
    expect(rightAfter).toBeCloseTo(9.999, 5);
  });

  it('holds for every 60 s interval over a long run of hits', async () => {
    // Arrange: a hit every 3 s for 5 minutes
    const bucket = `run:${uniquePhone()}`;
    const accepted: number[] = [];

    // Act
    for (let at = beforeEdge; at < beforeEdge + 5 * MINUTE; at += 3_000) if ((await outcome(bucket, at)) === 'ok') accepted.push(at);

    // Assert: no 60 s interval holds more than 5 accepted hits, and the limit is used in full
    for (const start of accepted) expect(accepted.filter((at) => at >= start && at < start + MINUTE).length).toBeLessThanOrEqual(5);
    expect(accepted.length).toBeGreaterThanOrEqual(5 * 5);
  });

  it('keeps one row per key, expiring when its newest hit leaves the window', async () => {
    // Arrange
    const bucket = `row:${uniquePhone()}`;

    // Act
    for (let i = 0; i < 7; i += 1) await outcome(bucket, beforeEdge + i, 3);

    // Assert
    const rows = await select<{ hits: string; expires_at: Date }>('SELECT hits, expires_at FROM rate_limit_logs WHERE bucket = ?', [bucket]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.hits.split(',')).toHaveLength(3);
    expect(rows[0]?.expires_at.getTime()).toBe(beforeEdge + 2 + MINUTE);
  });
});
