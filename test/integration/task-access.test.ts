import { afterEach, describe, expect, it } from 'vitest';
import * as create from '../../functions/task/create';
import * as get from '../../functions/task/get';
import * as list from '../../functions/task/list';
import { execute } from '../../shared/db/pool';
import { mintTaskId } from '../../shared/media/keys';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { platforms } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { balanceOf, ledgerKinds, putFailure, seedInput, uploadInput, uploadKeys } from '../helpers/tasks';
import { createUser } from '../helpers/users';

afterEach(async () => {
  await setFaults({ moderation: 'pass' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const cleanBody = (key: string) => ({ type: 'basic_clean', inputImageUrl: key, params: { template: 'studio' } });

describe.each(platforms)('task access on $name', (platform) => {
  it('answers B’s read of A’s task exactly like a missing task (404)', async () => {
    // Arrange
    const a = await createUser({ quota: 1 });
    const b = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, a.token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token: a.token, body: cleanBody(key) });

    // Act
    const own = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token: a.token });
    const foreign = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token: b.token });
    const missing = await platform.call(get, { method: 'GET', path: '/task/task_doesnotexist1', token: b.token });
    const malformed = await platform.call(get, { method: 'GET', path: '/task/..%2Fetc', token: b.token });

    // Assert
    expect(own.status).toBe(200);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error).toEqual({ ...missing.json.error, requestId: foreign.json.error?.requestId });
    expect(malformed.status).toBe(404);
  });

  it('refuses B’s task on A’s upload prefix without spending, and B’s keys cannot write there', async () => {
    // Arrange
    const a = await createUser({ quota: 1 });
    const b = await createUser({ quota: 1 });
    const aInput = await uploadInput(platform, a.token, jpegImage());
    const bKeys = await uploadKeys(platform, b.token);

    // Act
    const bCreate = await platform.call(create, { method: 'POST', path: '/task/create', token: b.token, body: cleanBody(aInput.key) });
    const bUpload = await putFailure(bKeys, `input/${a.user.id}/${bKeys.taskId}/original.jpg`, jpegImage());

    // Assert
    expect([bCreate.status, bCreate.json.error?.code]).toEqual([400, 1000]);
    expect(bCreate.json.error?.details).toEqual([{ field: 'inputImageUrl', message: expect.stringContaining('your own upload prefix') }]);
    expect(bUpload.statusCode).toBe(403);
    expect(await ledgerKinds(aInput.taskId)).toEqual([]);
    expect(await balanceOf(b.user.id)).toBe(1);
  });

  it('answers B naming A’s task id exactly like a free id: under B’s prefix and under A’s', async () => {
    // Arrange: A has a task; B uploads nothing
    const a = await createUser({ quota: 1 });
    const b = await createUser({ quota: 1 });
    const aInput = await uploadInput(platform, a.token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token: a.token, body: cleanBody(aInput.key) });
    const freeId = mintTaskId();
    const createAs = (key: string) => platform.call(create, { method: 'POST', path: '/task/create', token: b.token, body: cleanBody(key) });
    const answerOf = (result: Awaited<ReturnType<typeof createAs>>) => ({ status: result.status, error: { ...result.json.error, requestId: undefined } });

    // Act
    const takenOwnPrefix = await createAs(`input/${b.user.id}/${aInput.taskId}/original.jpg`);
    const freeOwnPrefix = await createAs(`input/${b.user.id}/${freeId}/original.jpg`);
    const takenTheirPrefix = await createAs(aInput.key);
    const freeTheirPrefix = await createAs(`input/${a.user.id}/${freeId}/original.jpg`);

    // Assert
    expect(answerOf(takenOwnPrefix)).toEqual(answerOf(freeOwnPrefix));
    expect(answerOf(takenOwnPrefix)).toMatchObject({ status: 400, error: { code: 1000, details: [{ field: 'inputImageUrl', message: expect.stringContaining('no uploaded file') }] } });
    expect(answerOf(takenTheirPrefix)).toEqual(answerOf(freeTheirPrefix));
    expect(answerOf(takenTheirPrefix)).toMatchObject({ status: 400, error: { code: 1000, details: [{ field: 'inputImageUrl', message: expect.stringContaining('your own upload prefix') }] } });
    expect(await ledgerKinds(aInput.taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(b.user.id)).toBe(1);
  });

  it('lists only the caller’s tasks, newest first, with total, thumbnail, status filter and capped limit', async () => {
    // Arrange: three done tasks and one failed, plus another user's task
    const { user, token } = await createUser({ quota: 10 });
    const other = await createUser({ quota: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const input = await seedInput(user.id, jpegImage());
      await platform.call(create, { method: 'POST', path: '/task/create', token, body: cleanBody(input.key) });
      ids.push(input.taskId);
    }
    await setFaults({ moderation: 'block' });
    const rejected = await seedInput(user.id, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: cleanBody(rejected.key) });
    await setFaults({ moderation: 'pass' });
    const foreign = await seedInput(other.user.id, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token: other.token, body: cleanBody(foreign.key) });
    // Distinct creation times, so "newest first" is a fact to check, not a tie
    for (const [index, id] of [...ids, rejected.taskId].entries()) {
      await execute('UPDATE tasks SET created_at = NOW(3) - INTERVAL ? SECOND WHERE id = ?', [10 - index, id]);
    }

    // Act
    const all = await platform.call(list, { method: 'GET', path: '/task/list', token });
    const page = await platform.call(list, { method: 'GET', path: '/task/list', token, query: { limit: '2', offset: '1', status: 'done' } });
    const beyond = await platform.call(list, { method: 'GET', path: '/task/list', token, query: { offset: '50' } });
    const capped = await platform.call(list, { method: 'GET', path: '/task/list', token, query: { limit: '1000' } });
    const bad = await platform.call(list, { method: 'GET', path: '/task/list', token, query: { status: 'weird', limit: '-1' } });

    // Assert
    const tasks = all.json.data?.tasks as { id: string; type: string; status: string; thumbnail: string | null; createdAt: string }[];
    expect(all.json.data).toMatchObject({ total: 4, limit: 10, offset: 0 });
    expect(tasks.map((task) => task.id)).toEqual([rejected.taskId, ...[...ids].reverse()]);
    expect(tasks[0]).toEqual({ id: rejected.taskId, type: 'basic_clean', status: 'failed', thumbnail: null, createdAt: expect.any(String) });
    expect(tasks[1]?.thumbnail).toContain(`/output/${user.id}/${ids[2]}/result.jpg?`);
    expect(page.json.data).toEqual({ tasks: [expect.objectContaining({ id: ids[1] }), expect.objectContaining({ id: ids[0] })], total: 3, limit: 2, offset: 1, nextCursor: null });
    expect(beyond.json.data).toEqual({ tasks: [], total: 4, limit: 10, offset: 50, nextCursor: null });
    expect(capped.json.data?.limit).toBe(50);
    expect(bad.status).toBe(400);
    expect((bad.json.error?.details ?? []).map((issue) => issue.field).sort()).toEqual(['limit', 'status']);
  });
});
