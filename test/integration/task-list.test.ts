import { describe, expect, it } from 'vitest';
import * as list from '../../functions/task/list';
import { execute, select } from '../../shared/db/pool';
import { mintTaskId } from '../../shared/media/keys';
import { platforms, type ApiResult, type Platform } from '../helpers/events';
import { createUser } from '../helpers/users';
import { statementsDuring } from '../helpers/statements';

/**
 * GET /task/list: totals from user_task_counts (migration 008, kept by triggers on tasks), keyset
 * paging by `cursor`, offset paging, and the session check folded into the one statement. Tasks are
 * written with SQL: volume, ties and status changes without vendors.
 */
type Status = 'processing' | 'done' | 'failed';
interface ListData {
  tasks: { id: string; type: string; status: string; thumbnail: string | null; createdAt: string }[];
  total: number;
  limit: number;
  offset: number;
  nextCursor: string | null;
}

/** `count` tasks of `userId`, `secondsApart` apart (0: all created in the same millisecond), newest `newestAgoSeconds` ago. */
async function insertTasks(userId: string, count: number, options: { status?: (index: number) => Status; secondsApart?: number; newestAgoSeconds?: number } = {}): Promise<string[]> {
  const ids = Array.from({ length: count }, () => mintTaskId());
  const at = new Date(Date.now() - (options.newestAgoSeconds ?? 0) * 1000);
  await execute(
    `INSERT INTO tasks (id, user_id, type, status, input_key, params, result_keys, vendor, deadline_at, created_at) VALUES ${ids.map(() => "(?, ?, 'basic_clean', ?, ?, '{}', ?, 'ci', NOW(3) + INTERVAL 1 HOUR, ?)").join(', ')}`,
    ids.flatMap((id, index) => {
      const status = options.status?.(index) ?? 'processing';
      const createdAt = new Date(at.getTime() - index * (options.secondsApart ?? 1) * 1000);
      return [id, userId, status, `input/${userId}/${id}/original.jpg`, status === 'done' ? JSON.stringify([`output/${userId}/${id}/result.jpg`]) : null, createdAt];
    }),
  );
  return ids;
}

/** The list's order as the database defines it (its collation decides ties on id). */
async function idsInListOrder(userId: string, status?: Status): Promise<string[]> {
  const rows = await select<{ id: string }>(
    `SELECT id FROM tasks WHERE user_id = ? ${status ? 'AND status = ?' : ''} ORDER BY created_at DESC, id DESC`,
    status ? [userId, status] : [userId],
  );
  return rows.map((row) => row.id);
}

async function listOf(platform: Platform, token: string, query: Record<string, string> = {}): Promise<ApiResult & { data: ListData }> {
  const result = await platform.call(list, { method: 'GET', path: '/task/list', token, query });
  return { ...result, data: result.json.data as unknown as ListData };
}

/** Follows nextCursor from the first page to the last; every page's ids in order. */
async function walk(platform: Platform, token: string, query: Record<string, string>): Promise<{ pages: string[][]; totals: number[] }> {
  const pages: string[][] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await listOf(platform, token, { ...query, ...(cursor ? { cursor } : {}) });
    expect(page.status).toBe(200);
    pages.push(page.data.tasks.map((task) => task.id));
    totals.push(page.data.total);
    cursor = page.data.nextCursor;
  } while (cursor !== null && pages.length < 100);
  return { pages, totals };
}

describe.each(platforms)('GET /task/list on $name', (platform) => {
  it('keeps the total of each status right as tasks are created and change status', async () => {
    // Arrange: 6 processing tasks
    const { user, token } = await createUser();
    const ids = await insertTasks(user.id, 6);
    const totals = async () => {
      const answers = await Promise.all((['all', 'processing', 'done', 'failed'] as const).map((status) => listOf(platform, token, { status })));
      return Object.fromEntries(answers.map((answer, index) => [['all', 'processing', 'done', 'failed'][index], answer.data.total]));
    };
    const before = await totals();

    // Act: two finish, one fails, one done task fails after all, and one more is created
    await execute(`UPDATE tasks SET status = 'done' WHERE id IN (?, ?, ?)`, [ids[0], ids[1], ids[2]]);
    await execute(`UPDATE tasks SET status = 'failed' WHERE id = ?`, [ids[3]]);
    await execute(`UPDATE tasks SET status = 'failed' WHERE id = ?`, [ids[2]]);
    await execute(`UPDATE tasks SET error_reason = 'not a status change' WHERE id = ?`, [ids[4]]);
    await insertTasks(user.id, 1, { newestAgoSeconds: -1 });
    const after = await totals();
    const failedOnly = await listOf(platform, token, { status: 'failed' });

    // Assert
    expect(before).toEqual({ all: 6, processing: 6, done: 0, failed: 0 });
    expect(after).toEqual({ all: 7, processing: 3, done: 2, failed: 2 });
    expect(failedOnly.data.tasks.map((task) => task.id)).toEqual(await idsInListOrder(user.id, 'failed'));
    const counts = await select<{ status: string; task_count: number }>('SELECT status, task_count FROM user_task_counts WHERE user_id = ? ORDER BY status', [user.id]);
    expect(counts.map((row) => [row.status, Number(row.task_count)])).toEqual([
      ['done', 2],
      ['failed', 2],
      ['processing', 3],
    ]);
  });

  it('walks every task exactly once, in order, by cursor — ties in created_at included — and ignores tasks created meanwhile', async () => {
    // Arrange: 13 tasks a second apart, then 9 created in one millisecond (the id breaks the tie)
    const { user, token } = await createUser();
    await insertTasks(user.id, 13, { status: (index) => (['done', 'failed', 'processing'] as const)[index % 3] ?? 'done', newestAgoSeconds: 100 });
    await insertTasks(user.id, 9, { secondsApart: 0, newestAgoSeconds: 50, status: () => 'done' });
    const expected = await idsInListOrder(user.id);

    // Act
    const first = await listOf(platform, token, { limit: '5' });
    await insertTasks(user.id, 2, { newestAgoSeconds: -5 }); // newer than everything: not in this walk
    const rest = await walk(platform, token, { limit: '5', cursor: first.data.nextCursor ?? '' });
    const done = await walk(platform, token, { limit: '4', status: 'done' });

    // Assert
    const walked = [first.data.tasks.map((task) => task.id), ...rest.pages];
    expect(walked.map((page) => page.length)).toEqual([5, 5, 5, 5, 2]);
    expect(walked.flat()).toEqual(expected);
    expect(first.data).toMatchObject({ total: 22, limit: 5, offset: 0, nextCursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/) });
    expect(rest.totals).toEqual([24, 24, 24, 24]);
    expect(done.pages.flat()).toEqual(await idsInListOrder(user.id, 'done'));
    expect(done.pages.flat()).toHaveLength(14);
    expect(done.pages.at(-1)).toHaveLength(2);
    expect(Object.keys(first.data).sort()).toEqual(['limit', 'nextCursor', 'offset', 'tasks', 'total']);
    expect(first.data.tasks[0]).toEqual({ id: expected[0], type: 'basic_clean', status: 'done', thumbnail: expect.stringContaining(`/output/${user.id}/${expected[0]}/result.jpg`), createdAt: expect.any(String) });
  });

  it('still pages by offset, with nextCursor continuing from any offset page', async () => {
    // Arrange
    const { user, token } = await createUser();
    await insertTasks(user.id, 12, { status: (index) => (index % 2 === 0 ? 'done' : 'failed') });
    const expected = await idsInListOrder(user.id);

    // Act
    const pages = await Promise.all([0, 5, 10].map((offset) => listOf(platform, token, { limit: '5', offset: String(offset) })));
    const afterSecond = await listOf(platform, token, { limit: '5', cursor: pages[1]?.data.nextCursor ?? '' });
    const done = await listOf(platform, token, { limit: '2', offset: '1', status: 'done' });

    // Assert
    expect(pages.map((page) => page.data.tasks.map((task) => task.id))).toEqual([expected.slice(0, 5), expected.slice(5, 10), expected.slice(10)]);
    expect(pages.map((page) => [page.data.total, page.data.limit, page.data.offset])).toEqual([
      [12, 5, 0],
      [12, 5, 5],
      [12, 5, 10],
    ]);
    expect(pages[2]?.data.nextCursor).toBeNull();
    expect(afterSecond.data.tasks.map((task) => task.id)).toEqual(expected.slice(10));
    expect(done.data).toMatchObject({ total: 6, limit: 2, offset: 1 });
    expect(done.data.tasks.map((task) => task.id)).toEqual((await idsInListOrder(user.id, 'done')).slice(1, 3));
    expect(done.data.tasks.every((task) => task.thumbnail?.includes(`/output/${user.id}/${task.id}/result.jpg`))).toBe(true);
  });

  it('answers a page past the end, and a user with no tasks, with the total and no tasks', async () => {
    // Arrange
    const { user, token } = await createUser();
    const empty = await createUser();
    await insertTasks(user.id, 3, { status: () => 'done' });

    // Act
    const beyond = await listOf(platform, token, { offset: '50' });
    const beyondFiltered = await listOf(platform, token, { offset: '3', status: 'done' });
    const exactEnd = await listOf(platform, token, { limit: '3' });
    const none = await listOf(platform, empty.token);
    const noneFailed = await listOf(platform, token, { status: 'failed' });

    // Assert
    expect(beyond.data).toEqual({ tasks: [], total: 3, limit: 10, offset: 50, nextCursor: null });
    expect(beyondFiltered.data).toEqual({ tasks: [], total: 3, limit: 10, offset: 3, nextCursor: null });
    expect(exactEnd.data.tasks).toHaveLength(3);
    expect(exactEnd.data.nextCursor).toBeNull();
    expect(none.data).toEqual({ tasks: [], total: 0, limit: 10, offset: 0, nextCursor: null });
    expect(noneFailed.data).toEqual({ tasks: [], total: 0, limit: 10, offset: 0, nextCursor: null });
  });

  it('answers in one statement: session check, total and page together', async () => {
    // Arrange: a warm pool (a new connection sends its time zone first)
    const { user, token } = await createUser();
    await insertTasks(user.id, 30);
    const first = await listOf(platform, token, { limit: '10' });

    // Act: one request at a time (the counter is global)
    const firstPage = await statementsDuring(() => listOf(platform, token, { limit: '10', status: 'processing' }));
    const cursorPage = await statementsDuring(() => listOf(platform, token, { limit: '10', cursor: first.data.nextCursor ?? '' }));
    const beyond = await statementsDuring(() => listOf(platform, token, { offset: '100' }));

    // Assert
    expect([firstPage, cursorPage, beyond]).toEqual([1, 1, 1]);
  });

  it('refuses a revoked token or a changed role with 401, before showing anything', async () => {
    // Arrange
    const revoked = await createUser();
    const demoted = await createUser();
    await insertTasks(revoked.user.id, 2);
    const before = await listOf(platform, revoked.token);
    await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [revoked.user.id]);
    await execute("UPDATE users SET role = 'admin' WHERE id = ?", [demoted.user.id]);

    // Act
    const after = await listOf(platform, revoked.token);
    const roleChanged = await listOf(platform, demoted.token);
    const noToken = await platform.call(list, { method: 'GET', path: '/task/list' });

    // Assert
    expect(before.status).toBe(200);
    for (const answer of [after, roleChanged, noToken]) {
      expect([answer.status, answer.json.success, answer.json.error?.code]).toEqual([401, false, 1001]);
      expect(answer.json.data).toBeUndefined();
    }
  });

  it('never shows another user’s tasks or counts them, whatever the cursor or offset', async () => {
    // Arrange: A and B with tasks interleaved in time
    const a = await createUser();
    const b = await createUser();
    const aIds = await insertTasks(a.user.id, 4, { secondsApart: 2 });
    const bIds = await insertTasks(b.user.id, 4, { secondsApart: 2, newestAgoSeconds: 1 });

    // Act: A's walk, and B continuing from a cursor taken from A's first page
    const aWalk = await walk(platform, a.token, { limit: '3' });
    const aFirst = await listOf(platform, a.token, { limit: '1' });
    const bFromACursor = await listOf(platform, b.token, { cursor: aFirst.data.nextCursor ?? '' });
    const bOffset = await listOf(platform, b.token, { offset: '2', limit: '50' });

    // Assert
    expect(aWalk.pages.flat().sort()).toEqual([...aIds].sort());
    expect(aWalk.totals.every((total) => total === 4)).toBe(true);
    expect(bFromACursor.data.total).toBe(4);
    expect(bFromACursor.data.tasks.every((task) => bIds.includes(task.id))).toBe(true);
    expect(bFromACursor.data.tasks.length).toBeGreaterThan(0);
    expect(bOffset.data.tasks.map((task) => task.id)).toEqual((await idsInListOrder(b.user.id)).slice(2));
  });

  it('answers a malformed cursor, or a cursor with an offset, with 400 naming the field', async () => {
    // Arrange
    const { user, token } = await createUser();
    await insertTasks(user.id, 3);
    const cursor = (await listOf(platform, token, { limit: '1' })).data.nextCursor ?? '';
    const notOurs = Buffer.from('1700000000000:../../etc/passwd').toString('base64url');

    // Act
    const answers = await Promise.all(
      ['not a cursor!', 'abc', notOurs, `${cursor}x`, ''].map((bad) => listOf(platform, token, { cursor: bad })),
    );
    const withOffset = await listOf(platform, token, { cursor, offset: '1' });
    const withZeroOffset = await listOf(platform, token, { cursor, offset: '0' });

    // Assert
    for (const answer of answers) {
      expect([answer.status, answer.json.error?.code]).toEqual([400, 1000]);
      expect(answer.json.error?.details).toEqual([{ field: 'cursor', message: expect.stringContaining('cursor') }]);
    }
    expect([withOffset.status, withOffset.json.error?.details]).toEqual([400, [{ field: 'offset', message: expect.stringContaining('cursor') }]]);
    expect(withZeroOffset.status).toBe(200);
    expect(withZeroOffset.data.tasks).toHaveLength(2);
  });
});
