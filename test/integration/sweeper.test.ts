import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import awsScheduleFixture from '../fixtures/aws-schedule/event.json';
import scfTimerFixture from '../fixtures/scf-timer/event.json';
import * as me from '../../functions/auth/me';
import { config } from '../../shared/config';
import { execute, select } from '../../shared/db/pool';
import { defineTimer, timerDeadline, TIMER_SAFETY_MARGIN_MS } from '../../shared/http/timer';
import type { ScfContext, ScfTimerEvent } from '../../shared/http/platform';
import { logger } from '../../shared/logger';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { runSweep, SweepFailedError, sweepSteps, type SweepReport, type SweepStep } from '../../shared/ops/sweeper';
import { TIMEOUT_ERROR_CODE, TIMEOUT_ERROR_REASON, type LastCheck } from '../../shared/ops/tasks';
import { findUserById } from '../../shared/users';
import { platforms } from '../helpers/events';
import { seedStuckTasks } from '../helpers/stuck-tasks';
import { createUser } from '../helpers/users';

/** Overdue tasks here never have a vendor task id, so no vendor call is made. */
const noVendorCalls: LastCheck = {
  needsCheck: () => false,
  check: () => Promise.reject(new Error('no vendor check expected')),
  failTimedOut: () => Promise.reject(new Error('no vendor check expected')),
};

const steps = () => sweepSteps(config(), { lastCheck: noVendorCalls });
const counts = (report: SweepReport, step: string) => report.steps[step]?.counts ?? {};
const inList = (ids: readonly string[]) => ids.map(() => '?').join(', ');

afterEach(async () => {
  expect(await checkLedgerInvariants()).toEqual([]);
});

describe('sweeper: overdue tasks', () => {
  it('fails and refunds 10,000 stuck tasks exactly once with two sweepers running at once', async () => {
    // Arrange
    const seeded = await seedStuckTasks({ users: 200, tasks: 10_000 });
    const deadline = Date.now() + 120_000;

    // Act
    const started = performance.now();
    const [first, second] = await Promise.all([runSweep(steps(), deadline), runSweep(steps(), deadline)]);
    const seconds = (performance.now() - started) / 1000;
    const retried = await runSweep(steps(), deadline);

    // Assert: each task failed once (by exactly one of the two runs) and released once
    const failedBy = [counts(first, 'tasks').failed ?? 0, counts(second, 'tasks').failed ?? 0];
    console.log(`swept 10,000 stuck tasks in ${seconds.toFixed(2)} s (${Math.round(10_000 / seconds)}/s); split ${failedBy.join(' + ')}`);
    expect(failedBy[0] + failedBy[1]).toBe(10_000);
    expect(failedBy[0]).toBeGreaterThan(0);
    expect(failedBy[1]).toBeGreaterThan(0);
    expect(counts(retried, 'tasks').failed ?? 0).toBe(0);
    const [states] = await Promise.all([
      select<{ status: string; error_code: number; error_reason: string; n: number | string }>(
        `SELECT status, error_code, error_reason, COUNT(*) AS n FROM tasks WHERE id LIKE ? AND finished_at IS NOT NULL GROUP BY status, error_code, error_reason`,
        [`${seeded.taskIds[0]?.slice(0, 16)}%`],
      ),
    ]);
    expect(states.map((row) => ({ ...row, n: Number(row.n) }))).toEqual([{ status: 'failed', error_code: TIMEOUT_ERROR_CODE, error_reason: TIMEOUT_ERROR_REASON, n: 10_000 }]);
    const [releases] = await select<{ n: number | string; refs: number | string }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT reference) AS refs FROM quota_ledger WHERE kind = 'release' AND reference LIKE ?`,
      [`${seeded.taskIds[0]?.slice(0, 16)}%`],
    );
    expect(Number(releases?.n)).toBe(10_000);
    expect(Number(releases?.refs)).toBe(10_000);
    const balances = await select<{ quota_balance: number }>(`SELECT quota_balance FROM users WHERE id IN (${inList(seeded.userIds)})`, seeded.userIds);
    expect(new Set(balances.map((row) => row.quota_balance))).toEqual(new Set([seeded.granted]));
  }, 180_000);

  it('leaves tasks before their deadline, and finished tasks, alone', async () => {
    // Arrange
    const { user } = await createUser({ quota: 3 });
    const { taskIds } = await seedStuckTasks({ users: 1, tasks: 2 });
    await execute(`UPDATE tasks SET deadline_at = NOW(3) + INTERVAL 5 MINUTE WHERE id = ?`, [taskIds[0] ?? '']);
    await execute(`UPDATE tasks SET status = 'done', finished_at = NOW(3) WHERE id = ?`, [taskIds[1] ?? '']);

    // Act
    await runSweep(steps(), Date.now() + 30_000);

    // Assert
    const rows = await select<{ id: string; status: string }>(`SELECT id, status FROM tasks WHERE id IN (?, ?) ORDER BY id`, taskIds);
    expect(rows.map((row) => row.status)).toEqual(['processing', 'done']);
    expect((await findUserById(user.id))?.quota_balance).toBe(3);
  });
});

describe('sweeper: last vendor check', () => {
  const overdueRunningHubTask = async () => {
    const { taskIds } = await seedStuckTasks({ users: 1, tasks: 2 });
    const id = taskIds[1] ?? '';
    await execute(`UPDATE tasks SET vendor_task_id = '1900000000000000001' WHERE id = ?`, [id]);
    return id;
  };
  const lastCheck = (outcome: 'finished' | 'busy' | 'unfinished', calls: string[]): LastCheck => ({
    needsCheck: (task) => task.vendorTaskId !== null,
    check: async (task) => {
      calls.push(`check ${task.id}`);
      if (outcome === 'finished') await execute(`UPDATE tasks SET status = 'done', finished_at = NOW(3) WHERE id = ?`, [task.id]);
      return outcome;
    },
    failTimedOut: async (task) => {
      calls.push(`fail ${task.id}`);
      return (await execute(`UPDATE tasks SET status = 'failed', error_code = 3002, finished_at = NOW(3) WHERE id = ? AND status = 'processing'`, [task.id])).affectedRows === 1;
    },
  });
  const statusOf = async (id: string) => (await select<{ status: string }>('SELECT status FROM tasks WHERE id = ?', [id]))[0]?.status;

  it('checks a RunningHub task once, outside any lock, even with two runs at once, and keeps what the vendor finished', async () => {
    // Arrange
    const id = await overdueRunningHubTask();
    const calls: string[] = [];
    const finishing = sweepSteps(config(), { lastCheck: lastCheck('finished', calls) }).filter((step) => step.name === 'tasks');

    // Act
    const [a, b] = await Promise.all([runSweep(finishing, Date.now() + 30_000), runSweep(finishing, Date.now() + 30_000)]);

    // Assert
    expect(calls.filter((call) => call.endsWith(id))).toEqual([`check ${id}`]);
    expect((counts(a, 'tasks').finishedByCheck ?? 0) + (counts(b, 'tasks').finishedByCheck ?? 0)).toBe(1);
    expect(await statusOf(id)).toBe('done');
    expect(await select('SELECT 1 FROM sweep_claims WHERE subject = ?', [id])).toEqual([]);
  });

  it('times out a task the vendor has not finished, and leaves one being finished right now', async () => {
    // Arrange
    const unfinished = await overdueRunningHubTask();
    const calls: string[] = [];
    const busyCalls: string[] = [];

    // Act
    await runSweep(sweepSteps(config(), { lastCheck: lastCheck('unfinished', calls) }).filter((step) => step.name === 'tasks'), Date.now() + 30_000);
    const busy = await overdueRunningHubTask();
    await runSweep(sweepSteps(config(), { lastCheck: lastCheck('busy', busyCalls) }).filter((step) => step.name === 'tasks'), Date.now() + 30_000);
    await runSweep(sweepSteps(config(), { lastCheck: lastCheck('busy', busyCalls) }).filter((step) => step.name === 'tasks'), Date.now() + 30_000);

    // Assert
    expect(calls.filter((call) => call.endsWith(unfinished))).toEqual([`check ${unfinished}`, `fail ${unfinished}`]);
    expect(await statusOf(unfinished)).toBe('failed');
    expect(await statusOf(busy)).toBe('processing');
    // Claimed after the first look, so the second run does not ask the vendor again while the finisher works.
    expect(busyCalls.filter((call) => call.endsWith(busy))).toEqual([`check ${busy}`]);
  });
});

describe('sweeper: memberships and purge', () => {
  it('records the expiry of a lapsed membership once, whether a read or the sweeper notices first', async () => {
    // Arrange
    const swept = await createUser({ quota: 40 });
    const read = await createUser({ quota: 25 });
    await execute(`UPDATE users SET member_expires_at = NOW(3) - INTERVAL 1 MINUTE WHERE id IN (?, ?)`, [swept.user.id, read.user.id]);

    // Act
    const profile = await platforms[0]?.call(me, { method: 'GET', path: '/auth/me', token: read.token });
    const first = await runSweep(steps(), Date.now() + 30_000);
    const second = await runSweep(steps(), Date.now() + 30_000);

    // Assert
    expect(profile?.json.data).toMatchObject({ isMember: false, quota_remaining: 0 });
    expect(counts(first, 'memberships').expired).toBeGreaterThanOrEqual(1);
    expect(counts(second, 'memberships').expired ?? 0).toBe(0);
    for (const [user, balance] of [
      [swept.user.id, 40],
      [read.user.id, 25],
    ] as const) {
      expect((await findUserById(user))?.quota_balance).toBe(0);
      const entries = await select<{ kind: string; delta: number }>(`SELECT kind, delta FROM quota_ledger WHERE user_id = ? AND kind = 'expire'`, [user]);
      expect(entries).toEqual([{ kind: 'expire', delta: -balance }]);
    }
  });

  it('purges login codes long expired and rate-limit windows that ended, and keeps the rest', async () => {
    // Arrange
    await execute(
      `INSERT INTO otp_codes (phone, code_hash, expires_at, request_ip) VALUES
         ('13000000001', REPEAT('a', 32), NOW(3) - INTERVAL 2 DAY, '203.0.113.1'),
         ('13000000002', REPEAT('b', 32), NOW(3) - INTERVAL 1 HOUR, '203.0.113.1'),
         ('13000000003', REPEAT('c', 32), NOW(3) + INTERVAL 5 MINUTE, '203.0.113.1')`,
    );
    await execute(
      `INSERT INTO rate_limits (bucket, window_start, hits, expires_at) VALUES
         ('purge-test:old', 1, 3, NOW(3) - INTERVAL 1 SECOND), ('purge-test:live', 2, 1, NOW(3) + INTERVAL 1 MINUTE)`,
    );

    // Act
    const report = await runSweep(steps(), Date.now() + 30_000);

    // Assert
    expect(counts(report, 'purge').otpCodes).toBeGreaterThanOrEqual(1);
    const phones = await select<{ phone: string }>(`SELECT phone FROM otp_codes WHERE phone LIKE '1300000000_' ORDER BY phone`);
    expect(phones.map((row) => row.phone)).toEqual(['13000000002', '13000000003']);
    const buckets = await select<{ bucket: string }>(`SELECT bucket FROM rate_limits WHERE bucket LIKE 'purge-test:%'`);
    expect(buckets.map((row) => row.bucket)).toEqual(['purge-test:live']);
  });
});

describe('sweeper: runs and budget', () => {
  it('stops at its deadline and leaves the rest for the next run', async () => {
    // Arrange
    await seedStuckTasks({ users: 10, tasks: 600 });
    const slow: SweepStep = { name: 'slow', batch: () => new Promise((resolve) => setTimeout(() => resolve({ done: false, waited: 1 }), 60)) };

    // Act
    const report = await runSweep([slow], Date.now() + 200);
    const finishing = await runSweep(steps(), Date.now() + 60_000);

    // Assert
    expect(report.outOfTime).toBe(true);
    expect(report.steps.slow?.batches).toBeGreaterThanOrEqual(2);
    expect(report.steps.slow?.batches).toBeLessThanOrEqual(5);
    expect(finishing.outOfTime).toBe(false);
    expect(counts(finishing, 'tasks').failed).toBeGreaterThanOrEqual(600);
  });

  it('keeps going when one step fails, then fails the run so the platform counts an error', async () => {
    // Arrange
    const { taskIds } = await seedStuckTasks({ users: 1, tasks: 3 });
    const broken: SweepStep = { name: 'orders', batch: () => Promise.reject(new Error('payment platform down')) };

    // Act
    const run = runSweep([broken, ...steps()], Date.now() + 30_000);

    // Assert
    await expect(run).rejects.toBeInstanceOf(SweepFailedError);
    await expect(run).rejects.toThrow(/orders \(payment platform down\)/);
    const rows = await select<{ status: string }>(`SELECT status FROM tasks WHERE id IN (${inList(taskIds)})`, taskIds);
    expect(rows.every((row) => row.status === 'failed')).toBe(true);
  });

  it('takes its budget from the platform’s remaining time, less a safety margin, capped by the setting', () => {
    expect(timerDeadline(1_000, 10_000, 45_000)).toBe(1_000 + 10_000 - TIMER_SAFETY_MARGIN_MS);
    expect(timerDeadline(1_000, 900_000, 45_000)).toBe(1_000 + 45_000);
    expect(timerDeadline(1_000, 1_000, 45_000)).toBe(1_000);
  });
});

describe('sweeper function: both platforms’ timer events', () => {
  let output: string[] = [];
  let restore: () => void = () => undefined;

  beforeAll(() => {
    // Logs are silent in tests; turn them on here to see the request id on the lines.
    logger.setLogLevel('INFO');
    const original = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
    restore = () => {
      spy.mockRestore();
      void original;
    };
  });
  afterAll(() => {
    restore();
    logger.setLogLevel('SILENT');
  });

  it.each([
    ['AWS EventBridge schedule', 'aws'],
    ['SCF timer trigger', 'scf'],
  ] as const)('runs on a %s with the request id on its log lines', async (_label, platform) => {
    // Arrange
    output = [];
    const { taskIds } = await seedStuckTasks({ users: 1, tasks: 4 });
    const sweeper = await import('../../functions/ops/sweeper');
    const requestId = `req-${platform}-${Date.now()}`;

    // Act
    const report =
      platform === 'aws'
        ? await sweeper.handler(structuredClone(awsScheduleFixture) as ScheduledEvent, { awsRequestId: requestId, getRemainingTimeInMillis: () => 50_000 } as Context)
        : await sweeper.main_handler(structuredClone(scfTimerFixture) as ScfTimerEvent, { request_id: requestId, time_limit_in_ms: 50_000 } satisfies ScfContext);

    // Assert
    expect(report.steps.tasks?.counts.failed).toBeGreaterThanOrEqual(4);
    const rows = await select<{ status: string }>(`SELECT status FROM tasks WHERE id IN (${inList(taskIds)})`, taskIds);
    expect(rows.every((row) => row.status === 'failed')).toBe(true);
    const lines = output.flatMap((chunk) => chunk.split('\n')).filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    const finished = lines.find((line) => line.message === 'timer finished');
    expect(finished).toMatchObject({ requestId, platform, timer: 'ops-sweeper' });
    const metric = lines.find((line) => line.message === 'task finished' && taskIds.includes(String(line.taskId)));
    expect(metric).toMatchObject({ requestId, metric: 'task_finished', outcome: 'failed', errorCode: 3002, finishedBy: 'sweeper', TasksFinished: 1 });
    expect(metric?.TaskDurationMs).toEqual(expect.any(Number));
  });

  it('refuses an event that is not a timer, and rethrows what a run throws', async () => {
    // Arrange
    const sweeper = await import('../../functions/ops/sweeper');
    const failing = defineTimer({ route: 'ops-sweeper', maxBudgetMs: () => 1_000, run: () => Promise.reject(new Error('database unreachable')) });

    // Act / Assert
    await expect(sweeper.handler({ httpMethod: 'GET' } as unknown as ScheduledEvent, { awsRequestId: 'x', getRemainingTimeInMillis: () => 50_000 } as Context)).rejects.toThrow(/not a timer event/);
    await expect(failing.main_handler(structuredClone(scfTimerFixture) as ScfTimerEvent, { request_id: 'y' })).rejects.toThrow('database unreachable');
    expect(output.join('')).toContain('"message":"timer failed"');
  });
});
