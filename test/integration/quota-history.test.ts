import { afterEach, describe, expect, it } from 'vitest';
import * as statistics from '../../functions/quota/statistics';
import * as transactions from '../../functions/quota/transactions';
import { execute, select } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { encodeLedgerCursor } from '../../shared/quota/schemas';
import { recentMonths } from '../../shared/quota/statistics';
import { TaskFailure } from '../../shared/tasks/failures';
import { completeTask, failTask } from '../../shared/tasks/lifecycle';
import { encodeCursor } from '../../shared/tasks/schemas';
import { platforms, type ApiResult, type Platform } from '../helpers/events';
import { seedPaidOrder } from '../helpers/payments';
import { heldTask } from '../helpers/tasks';
import { createUser } from '../helpers/users';
import { statementsDuring } from '../helpers/statements';

/**
 * GET /quota/transactions (the caller's ledger, newest first, keyset pages) and GET /quota/statistics
 * (where the quota went). Money moves through the real paths: orders credited by creditOrder, tasks
 * held by the lifecycle and settled by the trigger with the task's end.
 */
afterEach(async () => {
  expect(await checkLedgerInvariants()).toEqual([]);
});

interface Transaction {
  id: string;
  kind: string;
  delta: number;
  balanceAfter: number;
  reference: string;
  note: string;
  createdAt: string;
}
interface TransactionsPage {
  items: Transaction[];
  nextCursor: string | null;
}

const isoDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function transactionsOf(platform: Platform, token: string, query: Record<string, string> = {}): Promise<ApiResult & { data: TransactionsPage }> {
  const result = await platform.call(transactions, { method: 'GET', path: '/quota/transactions', token, query });
  return { ...result, data: result.json.data as unknown as TransactionsPage };
}

/** Follows nextCursor to the last page; every page's items. */
async function walk(platform: Platform, token: string, limit: number, cursor: string | null = null): Promise<Transaction[][]> {
  const pages: Transaction[][] = [];
  let next = cursor;
  do {
    const page = await transactionsOf(platform, token, { limit: String(limit), ...(next ? { cursor: next } : {}) });
    expect(page.status).toBe(200);
    pages.push(page.data.items);
    next = page.data.nextCursor;
  } while (next !== null && pages.length < 200);
  return pages;
}

/** Oldest first, each balance is the one before plus its delta, starting from nothing. */
function balancesAddUp(newestFirst: readonly Transaction[]): boolean {
  let balance = 0;
  return [...newestFirst].reverse().every((entry) => {
    balance += entry.delta;
    return entry.balanceAfter === balance;
  });
}

async function ledgerIdsNewestFirst(userId: string): Promise<string[]> {
  const rows = await select<{ id: number }>('SELECT id FROM quota_ledger WHERE user_id = ? ORDER BY id DESC', [userId]);
  return rows.map((row) => String(row.id));
}

describe.each(platforms)('GET /quota/transactions on $name', (platform) => {
  it('shows a purchase, a task done, a task failed and one running, newest first, with notes and balances that add up', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 5 });
    const other = await createUser({ quota: 2 });
    const done = await heldTask(user.id);
    const failed = await heldTask(user.id);
    const running = await heldTask(user.id, { type: 'model_pose12' });
    await completeTask(done, [`output/${user.id}/${done.id}/result.jpg`], 'poll');
    await failTask(failed, new TaskFailure(3001), 'poll');

    // Act
    const result = await transactionsOf(platform, token);

    // Assert
    expect(result.status).toBe(200);
    expect(result.data.nextCursor).toBeNull();
    expect(result.data.items.map((entry) => [entry.kind, entry.delta, entry.balanceAfter, entry.reference, entry.note])).toEqual([
      ['release', 1, 3, failed.id, '任务失败返还'],
      ['confirm', 0, 2, done.id, '任务完成扣除'],
      ['hold', -1, 2, running.id, '生成任务预扣'],
      ['hold', -1, 3, failed.id, '生成任务预扣'],
      ['hold', -1, 4, done.id, '生成任务预扣'],
      ['grant', 5, 5, `order_seed_${user.id}`, '购买会员 +5'],
    ]);
    expect(balancesAddUp(result.data.items)).toBe(true);
    expect(result.data.items.map((entry) => entry.id)).toEqual(await ledgerIdsNewestFirst(user.id));
    expect(result.data.items.every((entry) => isoDate.test(entry.createdAt))).toBe(true);
    expect(Object.keys(result.data.items[0] ?? {}).sort()).toEqual(['balanceAfter', 'createdAt', 'delta', 'id', 'kind', 'note', 'reference']);
    expect(result.data.items.map((entry) => entry.reference)).not.toContain(`order_seed_${other.user.id}`);
  });

  it('walks 100+ entries exactly once across pages — created_at ties included — and leaves entries posted meanwhile for a new walk', async () => {
    // Arrange: 1 grant, 60 holds, 25 confirms and 20 releases, all stamped with one created_at
    const { user, token } = await createUser({ quota: 80 });
    const tasks = [];
    for (let index = 0; index < 60; index += 1) tasks.push(await heldTask(user.id));
    for (const task of tasks.slice(0, 25)) await completeTask(task, [`output/${user.id}/${task.id}/result.jpg`], 'poll');
    for (const task of tasks.slice(25, 45)) await failTask(task, new TaskFailure(3003), 'sweeper');
    await execute("UPDATE quota_ledger SET created_at = '2026-01-15 08:00:00.000' WHERE user_id = ?", [user.id]);
    const expected = await ledgerIdsNewestFirst(user.id);

    // Act
    const first = await transactionsOf(platform, token, { limit: '7' });
    const postedMeanwhile = await heldTask(user.id);
    const rest = await walk(platform, token, 7, first.data.nextCursor);
    const whole = await walk(platform, token, 100);

    // Assert
    const walked = [first.data.items, ...rest].flat();
    expect(expected).toHaveLength(106);
    expect(walked.map((entry) => entry.id)).toEqual(expected);
    expect(new Set(walked.map((entry) => entry.id)).size).toBe(106);
    expect([first.data.items, ...rest].map((page) => page.length)).toEqual([...Array.from({ length: 15 }, () => 7), 1]);
    expect(balancesAddUp(walked)).toBe(true);
    expect(walked.map((entry) => entry.reference)).not.toContain(postedMeanwhile.id);
    expect(whole.map((page) => page.length)).toEqual([100, 7]);
    expect(whole[0]?.[0]?.reference).toBe(postedMeanwhile.id);
    expect(balancesAddUp(whole.flat())).toBe(true);
  });

  it('reads each page in one statement, the session check included', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 3 });
    await heldTask(user.id);
    const first = await transactionsOf(platform, token, { limit: '1' });

    // Act
    const statements = await statementsDuring(() => transactionsOf(platform, token, { limit: '1', cursor: first.data.nextCursor ?? '' }));

    // Assert
    expect(statements).toBe(1);
  });

  it('defaults to 20 entries a page', async () => {
    // Arrange: 1 grant and 21 holds
    const { user, token } = await createUser({ quota: 25 });
    for (let index = 0; index < 21; index += 1) await heldTask(user.id);

    // Act
    const result = await transactionsOf(platform, token);

    // Assert
    expect(result.data.items).toHaveLength(20);
    expect(result.data.nextCursor).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
  });

  it.each([
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['limit 2.5', { limit: '2.5' }, 'limit'],
    ['limit abc', { limit: 'abc' }, 'limit'],
    ['a cursor that is not base64url', { cursor: 'not a cursor!' }, 'cursor'],
    ['a cursor of something else', { cursor: Buffer.from('ledger:abc').toString('base64url') }, 'cursor'],
    ['a cursor of id 0', { cursor: Buffer.from('ledger:0').toString('base64url') }, 'cursor'],
    ['a task list cursor', { cursor: encodeCursor({ createdAt: new Date(), id: 'task_0123456789abcdef01234567' }) }, 'cursor'],
  ])('%s → 400, code 1000, naming the field', async (_label, query, field) => {
    // Arrange
    const { token } = await createUser();

    // Act
    const result = await transactionsOf(platform, token, query);

    // Assert
    expect(result.status).toBe(400);
    expect(result.json.error?.code).toBe(1000);
    expect(result.json.error?.details?.map((detail) => detail.field)).toEqual([field]);
  });

  it('a cursor past another user’s entries shows only the caller’s', async () => {
    // Arrange: the other user's entries have larger ids than the caller's
    const { user, token } = await createUser({ quota: 2 });
    const other = await createUser({ quota: 2 });
    await heldTask(other.user.id);
    const [newest] = await select<{ id: number }>('SELECT MAX(id) AS id FROM quota_ledger', []);

    // Act
    const result = await transactionsOf(platform, token, { cursor: encodeLedgerCursor(Number(newest?.id) + 1) });

    // Assert
    expect(result.data.items.map((entry) => entry.reference)).toEqual([`order_seed_${user.id}`]);
  });

  it('a lapsed membership’s expiry is recorded on read and listed', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 4 });
    await heldTask(user.id);
    await execute('UPDATE users SET member_expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR WHERE id = ?', [user.id]);

    // Act
    const result = await transactionsOf(platform, token);

    // Assert
    expect(result.data.items.map((entry) => [entry.kind, entry.delta, entry.balanceAfter, entry.note])).toEqual([
      ['expire', -3, 0, '会员到期清零'],
      ['hold', -1, 3, '生成任务预扣'],
      ['grant', 4, 4, '购买会员 +4'],
    ]);
  });

  it('a revoked token → 401; no token → 401', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });
    await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [user.id]);

    // Act
    const revoked = await transactionsOf(platform, token);
    const anonymous = await platform.call(transactions, { method: 'GET', path: '/quota/transactions' });

    // Assert
    expect([revoked.status, revoked.json.error?.code]).toEqual([401, 1001]);
    expect([anonymous.status, anonymous.json.error?.code]).toEqual([401, 1001]);
  });
});

interface Totals {
  granted: number;
  used: number;
  returned: number;
  expired: number;
  refunded: number;
}
interface TaskCounts {
  total: number;
  byStatus: Record<string, number>;
  byType: Record<string, { total: number; byStatus: Record<string, number> }>;
}
interface Statistics {
  balance: number;
  totals: Totals & { held: number };
  tasks: TaskCounts;
  monthly: (Totals & { month: string; tasks: TaskCounts })[];
}

describe.each(platforms)('GET /quota/statistics on $name', (platform) => {
  const statisticsOf = async (token: string) => {
    const result = await platform.call(statistics, { method: 'GET', path: '/quota/statistics', token });
    return { ...result, data: result.json.data as unknown as Statistics };
  };

  it('totals by kind, tasks by type and outcome, the last 12 months; balance = granted − used − held − expired − refunded', async () => {
    // Arrange: 10 bought this month; 2 done, 1 failed, 1 running; 5 more bought two months ago; 3 bought 13 months ago
    const { user, token } = await createUser({ quota: 10 });
    const doneA = await heldTask(user.id);
    const doneB = await heldTask(user.id, { type: 'model_pose12' });
    const failed = await heldTask(user.id, { type: 'model_pose12' });
    await heldTask(user.id);
    await completeTask(doneA, [`output/${user.id}/${doneA.id}/result.jpg`], 'poll');
    await completeTask(doneB, [`output/${user.id}/${doneB.id}/result.jpg`], 'poll');
    await failTask(failed, new TaskFailure(3003), 'sweeper');
    const twoMonthsAgo = await seedPaidOrder(user.id, { quota: 5, days: 30 });
    const longAgo = await seedPaidOrder(user.id, { quota: 3, days: 30 });
    const now = new Date();
    const { months } = recentMonths(now);
    await execute("UPDATE quota_ledger SET created_at = CONCAT(?, '-10 12:00:00') WHERE reference = ?", [months[9], twoMonthsAgo]);
    await execute('UPDATE quota_ledger SET created_at = UTC_TIMESTAMP(3) - INTERVAL 13 MONTH WHERE reference = ?', [longAgo]);
    await execute("UPDATE tasks SET created_at = CONCAT(?, '-10 12:00:00') WHERE id = ?", [months[9], doneB.id]);

    // Act
    const result = await statisticsOf(token);

    // Assert
    const data = result.data;
    expect(result.status).toBe(200);
    expect(data.balance).toBe(15);
    expect(data.totals).toEqual({ granted: 18, used: 2, returned: 1, expired: 0, refunded: 0, held: 1 });
    expect(data.balance).toBe(data.totals.granted - data.totals.used - data.totals.held - data.totals.expired - data.totals.refunded);
    expect(data.tasks).toEqual({
      total: 4,
      byStatus: { processing: 1, done: 2, failed: 1, cancelled: 0 },
      byType: { basic_clean: { total: 2, byStatus: { processing: 1, done: 1, failed: 0, cancelled: 0 } }, model_pose12: { total: 2, byStatus: { processing: 0, done: 1, failed: 1, cancelled: 0 } } },
    });
    expect(data.monthly.map((month) => month.month)).toEqual(months);
    expect(data.monthly).toHaveLength(12);
    expect(data.monthly[11]).toMatchObject({ month: now.toISOString().slice(0, 7), granted: 10, used: 2, returned: 1, expired: 0, refunded: 0 });
    expect(data.monthly[11]?.tasks).toMatchObject({ total: 3, byStatus: { processing: 1, done: 1, failed: 1 } });
    expect(data.monthly[9]).toMatchObject({ granted: 5, used: 0, tasks: { total: 1, byStatus: { processing: 0, done: 1, failed: 0 } } });
    expect(data.monthly.reduce((sum, month) => sum + month.granted, 0)).toBe(15);
  });

  it('a lapsed membership: the expiry is recorded on read and counted, and the identity still holds', async () => {
    // Arrange: 6 bought, 1 running task; the membership lapses; then the running task fails (its unit lapsed too)
    const { user, token } = await createUser({ quota: 6 });
    const running = await heldTask(user.id);
    await execute('UPDATE users SET member_expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 HOUR WHERE id = ?', [user.id]);
    const beforeFailure = await statisticsOf(token);
    await failTask(running, new TaskFailure(3003), 'sweeper');

    // Act
    const result = await statisticsOf(token);

    // Assert
    expect(beforeFailure.data.totals).toEqual({ granted: 6, used: 0, returned: 0, expired: 5, refunded: 0, held: 1 });
    expect(result.data.balance).toBe(0);
    expect(result.data.totals).toEqual({ granted: 6, used: 0, returned: 0, expired: 6, refunded: 0, held: 0 });
    const totals = result.data.totals;
    expect(result.data.balance).toBe(totals.granted - totals.used - totals.held - totals.expired - totals.refunded);
  });

  it('a new user: zeros everywhere, twelve months', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const result = await statisticsOf(token);

    // Assert
    expect(result.data.balance).toBe(0);
    expect(result.data.totals).toEqual({ granted: 0, used: 0, returned: 0, expired: 0, refunded: 0, held: 0 });
    expect(result.data.tasks.total).toBe(0);
    expect(result.data.monthly.every((month) => month.granted === 0 && month.tasks.total === 0)).toBe(true);
  });

  it('a revoked token → 401', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });
    await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [user.id]);

    // Act
    const result = await statisticsOf(token);

    // Assert
    expect([result.status, result.json.error?.code]).toEqual([401, 1001]);
  });
});
