import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import awsScheduleFixture from '../fixtures/aws-schedule/event.json';
import scfTimerFixture from '../fixtures/scf-timer/event.json';
import * as me from '../../functions/auth/me';
import * as purchase from '../../functions/membership/purchase';
import * as createTask from '../../functions/task/create';
import * as getTask from '../../functions/task/get';
import * as runningHubCallback from '../../functions/task/runninghub-callback';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { config } from '../../shared/config';
import { execute, select } from '../../shared/db/pool';
import { defineTimer, timerDeadline, TIMER_SAFETY_MARGIN_MS } from '../../shared/http/timer';
import type { ScfContext, ScfTimerEvent } from '../../shared/http/platform';
import { logger } from '../../shared/logger';
import { entriesFor } from '../../shared/db/repositories/quota-ledger';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { runningHubLastCheck } from '../../shared/ops/last-check';
import { ORDER_BATCH_LIMIT } from '../../shared/ops/orders';
import { runSweep, SweepFailedError, sweepSteps, type SweepReport, type SweepStep } from '../../shared/ops/sweeper';
import { sweepOverdueTasks, type LastCheck } from '../../shared/ops/tasks';
import { TaskFailure, taskFailures } from '../../shared/tasks/failures';
import { completeTask, failTask } from '../../shared/tasks/lifecycle';
import { findUserById } from '../../shared/users';
import { taskPorts } from '../../shared/wiring/ports';
import { platforms } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { expireOrder, insertOrder, ledgerEntries, orderState, sandboxPay, sandboxTrade } from '../helpers/payments';
import { setFaults } from '../helpers/sandbox';
import { seedStuckTasks } from '../helpers/stuck-tasks';
import { balanceOf, finishRunningHubTask, heldTask, ledgerKinds, makePollDue, runningHubWebhookCall, storedTask, taskRow, uploadInput } from '../helpers/tasks';
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
    // Arrange: 10,000 overdue tasks of 2,000 members (5 each), every one holding 1 quota
    const seeded = await seedStuckTasks({ users: 2_000, tasks: 10_000 });
    const prefix = `${seeded.taskIds[0]?.slice(0, 16) ?? ''}%`;
    const deadline = Date.now() + 120_000;

    // Act: two runs at once, then a third (a platform retry, or the next tick)
    const started = performance.now();
    const [first, second] = await Promise.all([runSweep(steps(), deadline), runSweep(steps(), deadline)]);
    const seconds = (performance.now() - started) / 1000;
    const retried = await runSweep(steps(), deadline);

    // Assert: every task failed by exactly one run and released exactly once
    const byFirst = counts(first, 'tasks').failed ?? 0;
    const bySecond = counts(second, 'tasks').failed ?? 0;
    const byRetry = counts(retried, 'tasks').failed ?? 0;
    console.log(`two sweepers: 10,000 stuck tasks in ${seconds.toFixed(2)} s (${Math.round((byFirst + bySecond) / seconds)}/s); split ${byFirst} + ${bySecond}, retry ${byRetry}`);
    expect(byFirst + bySecond + byRetry).toBe(10_000);
    expect(byFirst).toBeGreaterThan(0);
    expect(bySecond).toBeGreaterThan(0);
    expect(counts(await runSweep(steps(), deadline), 'tasks').failed ?? 0).toBe(0);
    const states = await select<{ status: string; error_code: number; error_reason: string; n: number | string }>(
      `SELECT status, error_code, error_reason, COUNT(*) AS n FROM tasks WHERE id LIKE ? GROUP BY status, error_code, error_reason`,
      [prefix],
    );
    expect(states.map((row) => ({ ...row, n: Number(row.n) }))).toEqual([{ status: 'failed', error_code: 3002, error_reason: taskFailures[3002].reason, n: 10_000 }]);
    const [releases] = await select<{ n: number | string; refs: number | string }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT reference) AS refs FROM quota_ledger WHERE kind = 'release' AND reference LIKE ?`,
      [prefix],
    );
    expect(Number(releases?.n)).toBe(10_000);
    expect(Number(releases?.refs)).toBe(10_000);
    const balances = await select<{ quota_balance: number }>(`SELECT quota_balance FROM users WHERE id IN (${inList(seeded.userIds)})`, seeded.userIds);
    expect(new Set(balances.map((row) => row.quota_balance))).toEqual(new Set([seeded.granted]));
  }, 180_000);

  it('settles many tasks of the same few users with two runs at once', async () => {
    // Arrange: 50 tasks per user, so concurrent batches keep meeting the same users
    const seeded = await seedStuckTasks({ users: 20, tasks: 1_000 });

    // Act
    await Promise.all([runSweep(steps(), Date.now() + 60_000), runSweep(steps(), Date.now() + 60_000)]);
    await runSweep(steps(), Date.now() + 60_000);

    // Assert
    const [left] = await select<{ n: number | string }>(`SELECT COUNT(*) AS n FROM tasks WHERE id IN (${inList(seeded.taskIds)}) AND status <> 'failed'`, seeded.taskIds);
    expect(Number(left?.n)).toBe(0);
    const balances = await select<{ quota_balance: number }>(`SELECT quota_balance FROM users WHERE id IN (${inList(seeded.userIds)})`, seeded.userIds);
    expect(new Set(balances.map((row) => row.quota_balance))).toEqual(new Set([seeded.granted]));
  }, 60_000);

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

describe('a sweeper batch fail (the release, in bulk)', () => {
  /**
   * One user's story: tasks holding quota, one of them already failed and one done, one from
   * before the ledger (no hold), maybe a lapsed membership; every task's deadline still ahead.
   */
  async function scenario(lapsed: boolean): Promise<{ userId: string; taskIds: string[] }> {
    const { user } = await createUser({ quota: 10 });
    const taskIds = Array.from({ length: 5 }, (_, i) => `task_rel${user.id}${i}`);
    for (const id of taskIds.slice(0, 4)) await heldTask(user.id, { id });
    await failTask(await storedTask(taskIds[2] ?? ''), new TaskFailure(3003, 'runninghub: failed'), 'poll');
    await completeTask(await storedTask(taskIds[3] ?? ''), [`output/${user.id}/${taskIds[3] ?? ''}/result.jpg`], 'poll');
    await execute(
      `INSERT INTO tasks (id, user_id, type, status, input_key, params, vendor, deadline_at) VALUES (?, ?, 'basic_clean', 'processing', ?, '{}', 'ci', NOW(3) + INTERVAL 10 MINUTE)`,
      [taskIds[4] ?? '', user.id, `input/${user.id}/${taskIds[4] ?? ''}/original.jpg`],
    );
    if (lapsed) await execute('UPDATE users SET member_expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [user.id]);
    return { userId: user.id, taskIds };
  }
  const ledgerOf = (userId: string) =>
    select<{ kind: string; delta: number; balance_after: number; note: string | null }>('SELECT kind, delta, balance_after, note FROM quota_ledger WHERE user_id = ? ORDER BY id', [userId]);
  const tasksOf = (ids: string[]) =>
    select<{ status: string; error_code: number | null; error_reason: string | null; error_detail: string | null }>(
      `SELECT status, error_code, error_reason, error_detail FROM tasks WHERE id IN (${inList(ids)}) ORDER BY id`,
      ids,
    );

  it.each([
    ['a member', false, 1, null],
    ['a user whose membership lapsed', true, 0, 'membership lapsed'],
  ] as const)('writes exactly what a single failTask writes, for %s', async (_label, lapsed, refund, note) => {
    // Arrange: the same story twice
    const one = await scenario(lapsed);
    const bulk = await scenario(lapsed);

    // Act: one story's tasks failed one by one as the sweeper's last check does, the other's
    // made overdue and failed by one sweeper batch
    const singly: boolean[] = [];
    for (const id of one.taskIds) singly.push(await failTask(await storedTask(id), new TaskFailure(3002, 'deadline passed (sweeper)'), 'sweeper'));
    await execute(`UPDATE tasks SET deadline_at = NOW(3) - INTERVAL 1 SECOND WHERE id IN (${inList(bulk.taskIds)}) AND status = 'processing'`, bulk.taskIds);
    const batch = await sweepOverdueTasks(config().SWEEP_BATCH_SIZE, Date.now() + 30_000, noVendorCalls);

    // Assert
    expect(singly).toEqual([true, true, false, false, true]);
    expect(batch.failed).toBe(3);
    expect(await tasksOf(bulk.taskIds)).toEqual(await tasksOf(one.taskIds));
    expect(await ledgerOf(bulk.userId)).toEqual(await ledgerOf(one.userId));
    expect((await findUserById(bulk.userId))?.quota_balance).toBe((await findUserById(one.userId))?.quota_balance);
    const released = [...(await entriesFor(bulk.taskIds[0] ?? '')), ...(await entriesFor(bulk.taskIds[1] ?? ''))].filter((entry) => entry.kind === 'release');
    expect(released.map((entry) => ({ delta: entry.delta, note: entry.note }))).toEqual([
      { delta: refund, note },
      { delta: refund, note },
    ]);
    expect(await entriesFor(bulk.taskIds[4] ?? '')).toEqual([]);
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
    needsCheck: (task) => task.vendor_task_id !== null,
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

  it('purges login codes long expired and rate-limit logs whose hits all left their window, and keeps the rest', async () => {
    // Arrange
    await execute(
      `INSERT INTO otp_codes (phone, code_hash, expires_at, request_ip) VALUES
         ('13000000001', REPEAT('a', 32), NOW(3) - INTERVAL 2 DAY, '203.0.113.1'),
         ('13000000002', REPEAT('b', 32), NOW(3) - INTERVAL 1 HOUR, '203.0.113.1'),
         ('13000000003', REPEAT('c', 32), NOW(3) + INTERVAL 5 MINUTE, '203.0.113.1')`,
    );
    await execute(
      `INSERT INTO rate_limit_logs (bucket, hits, expires_at) VALUES
         ('purge-test:old', '1,2,3', NOW(3) - INTERVAL 1 SECOND), ('purge-test:live', '4', NOW(3) + INTERVAL 1 MINUTE)`,
    );

    // Act
    const report = await runSweep(steps(), Date.now() + 30_000);

    // Assert
    expect(counts(report, 'purge').otpCodes).toBeGreaterThanOrEqual(1);
    const phones = await select<{ phone: string }>(`SELECT phone FROM otp_codes WHERE phone LIKE '1300000000_' ORDER BY phone`);
    expect(phones.map((row) => row.phone)).toEqual(['13000000002', '13000000003']);
    const buckets = await select<{ bucket: string }>(`SELECT bucket FROM rate_limit_logs WHERE bucket LIKE 'purge-test:%'`);
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
    const capture = (chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    };
    // Powertools writes INFO to stdout and WARN/ERROR to stderr.
    const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    restore = () => spies.forEach((spy) => spy.mockRestore());
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

describe('sweeper function: orders past their validity', () => {
  const [platform] = platforms;

  async function wxOrder() {
    if (!platform) throw new Error('no platform');
    const { user, token } = await createUser();
    const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body: { channel: 'wx', openid: sandboxOpenidForCode(`sweeper-${user.id}`) }, token });
    expect(result.status).toBe(200);
    return { user, orderId: String(result.json.data?.orderId) };
  }

  afterEach(async () => {
    await setFaults({ notify: 'deliver', alipay_signature: 'ok' });
  });

  it('closes an unpaid order and credits a paid one whose notification never came, once, with two runs at once', async () => {
    // Arrange
    const unpaid = await wxOrder();
    const paid = await wxOrder();
    await setFaults({ notify: 'drop' });
    await sandboxPay(paid.orderId);
    await expireOrder(unpaid.orderId);
    await expireOrder(paid.orderId);
    const sweeper = await import('../../functions/ops/sweeper');
    const fire = (id: string) => sweeper.handler(structuredClone(awsScheduleFixture) as ScheduledEvent, { awsRequestId: id, getRemainingTimeInMillis: () => 50_000 } as Context);

    // Act
    const reports = await Promise.all([fire('orders-a'), fire('orders-b')]);

    // Assert
    expect(await orderState(unpaid.orderId)).toMatchObject({ status: 'failed', failure_reason: 'expired unpaid' });
    expect(await sandboxTrade(unpaid.orderId)).toMatchObject({ trade_state: 'CLOSED' });
    expect((await orderState(paid.orderId))?.status).toBe('paid');
    expect(await ledgerEntries(paid.user.id)).toEqual([{ kind: 'grant', reference: paid.orderId, delta: 100 }]);
    expect(await ledgerEntries(unpaid.user.id)).toEqual([]);
    const credited = reports.map((report) => report.steps.orders?.counts.credited ?? 0);
    expect((credited[0] ?? 0) + (credited[1] ?? 0)).toBe(1);
  });

  it('is not held up by a block of older orders whose platform cannot answer', async () => {
    // Arrange: a full batch of older Alipay orders whose answers fail verification, and behind them
    // a WeChat order that was paid but never notified
    const stuck = await Promise.all(Array.from({ length: ORDER_BATCH_LIMIT }, async () => insertOrder((await createUser()).user.id, { quota: 100, days: 30 })));
    await execute('UPDATE orders SET expires_at = NOW(3) - INTERVAL 10 MINUTE WHERE id IN (?)', [stuck]);
    const paid = await wxOrder();
    await setFaults({ notify: 'drop' });
    await sandboxPay(paid.orderId);
    await expireOrder(paid.orderId);
    await setFaults({ alipay_signature: 'forged' });
    const sweeper = await import('../../functions/ops/sweeper');
    const fire = (id: string) => sweeper.handler(structuredClone(awsScheduleFixture) as ScheduledEvent, { awsRequestId: id, getRemainingTimeInMillis: () => 50_000 } as Context);

    // Act: the first run meets the unanswerable batch; the next one must look past it
    await fire('orders-blocked-1').catch(() => undefined);
    await fire('orders-blocked-2').catch(() => undefined);

    // Assert
    expect((await orderState(paid.orderId))?.status).toBe('paid');
    expect(await ledgerEntries(paid.user.id)).toEqual([{ kind: 'grant', reference: paid.orderId, delta: 100 }]);
    for (const orderId of stuck) expect((await orderState(orderId))?.status).toBe('pending');
  });
});

describe('sweeper races on a finishing RunningHub task', () => {
  const [platform] = platforms;
  const poseBody = (key: string) => ({ type: 'model_pose12', inputImageUrl: key, params: { scene: 'studio', category: 'coat' } });

  afterEach(async () => {
    await setFaults({ runninghub: 'ok' });
  });

  /** A model_pose12 task past its deadline; at RunningHub it has `outcome` (or is still running). */
  async function overdueAtVendor(outcome: 'success' | 'fail' | 'running') {
    if (!platform) throw new Error('no platform');
    await setFaults({ runninghub: 'hang' });
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    const created = await platform.call(createTask, { method: 'POST', path: '/task/create', token, body: poseBody(key) });
    expect(created.json.data?.status).toBe('processing');
    const row = await taskRow(taskId);
    if (outcome !== 'running') await finishRunningHubTask(row?.vendor_task_id ?? '', outcome);
    await makePollDue(taskId);
    await execute('UPDATE tasks SET deadline_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [taskId]);
    return { user, token, taskId, webhookToken: row?.webhook_token ?? '', vendorTaskId: row?.vendor_task_id ?? '' };
  }

  const sweepTasks = () => runSweep(sweepSteps(config(), { lastCheck: runningHubLastCheck(taskPorts) }).filter((step) => step.name === 'tasks'), Date.now() + 30_000);

  it('keeps what RunningHub finished: the last check completes the task, with its frames', async () => {
    // Arrange
    const { user, taskId } = await overdueAtVendor('success');

    // Act
    const report = await sweepTasks();

    // Assert
    expect(report.steps.tasks?.counts.finishedByCheck).toBeGreaterThanOrEqual(1);
    expect((await taskRow(taskId))?.status).toBe('done');
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(0);
  });

  // Whoever comes first past the deadline asks the vendor once more, so a finished run ends done.
  it.each([
    ['success', 'done', ['hold', 'confirm'], 0, null],
    ['fail', 'failed', ['hold', 'release'], 1, 3003],
    ['running', 'failed', ['hold', 'release'], 1, 3002],
  ] as const)('ends with one outcome when the sweeper, a client poll and the webhook race (vendor: %s)', async (outcome, status, kinds, balance, errorCode) => {
    if (!platform) throw new Error('no platform');
    // Arrange
    const { user, token, taskId, webhookToken, vendorTaskId } = await overdueAtVendor(outcome);
    const webhook = () => platform.call(runningHubCallback, runningHubWebhookCall(webhookToken, vendorTaskId));
    const poll = () => platform.call(getTask, { method: 'GET', path: `/task/${taskId}`, token });

    // Act
    await Promise.all([sweepTasks(), poll(), webhook(), sweepTasks(), poll()]);
    const final = await poll();

    // Assert: exactly one settlement of the hold, and the task says the same as the ledger
    expect(final.json.data?.status).toBe(status);
    expect(await ledgerKinds(taskId)).toEqual(kinds);
    expect(await balanceOf(user.id)).toBe(balance);
    expect((await taskRow(taskId))?.error_code).toBe(errorCode);
  });
});
