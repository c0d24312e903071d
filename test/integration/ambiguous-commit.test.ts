import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { commitAfter, startAmbiguousCommitProxy } from '../helpers/ambiguous-commit-proxy';

/**
 * Issue "Core" item 7: never tell a client something false about money or a task when a write's
 * acknowledgement is lost. A TCP proxy in front of MariaDB lets the chosen statement run (so it
 * commits) and then drops its answer and cuts the connection, as a network fault after COMMIT would.
 * The app must reach MariaDB through the proxy, so DATABASE_URL is replaced before anything reads
 * configuration (the function modules are imported afterwards).
 */
const proxy = await startAmbiguousCommitProxy({ target: process.env.DATABASE_URL });
process.env.DATABASE_URL = proxy.databaseUrl(process.env.DATABASE_URL ?? '');

const create = await import('../../functions/task/create');
const get = await import('../../functions/task/get');
const paymentCallback = await import('../../functions/membership/payment-callback');
const purchase = await import('../../functions/membership/purchase');
const { checkLedgerInvariants } = await import('../../shared/quota/ledger');
const { execute, select } = await import('../../shared/db/pool');
const { createWithHold, START_LEASE_SECONDS } = await import('../../shared/tasks/lifecycle');
const { platforms } = await import('../helpers/events');
const { jpegImage } = await import('../helpers/images');
const { setFaults } = await import('../helpers/sandbox');
const { balanceOf, ledgerKinds, seedInput, taskRow } = await import('../helpers/tasks');
const { createUser } = await import('../helpers/users');
const { callbackCall, ledgerEntries, orderState, signedNotification } = await import('../helpers/payments');
const { findUserById } = await import('../../shared/users');

afterEach(async () => {
  proxy.disarm();
  await setFaults({ runninghub: 'ok', moderation: 'pass', ci: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

afterAll(async () => {
  await proxy.close();
});

const [aws] = platforms;
if (!aws) throw new Error('no platform');
const createBody = (key: string, type: 'basic_clean' | 'model_pose12') =>
  type === 'basic_clean' ? { type, inputImageUrl: key, params: { template: 'white_bg' } } : { type, inputImageUrl: key, params: { scene: 'street', category: 'dress' } };
const statement = (pattern: RegExp) => (sql: string) => pattern.test(sql);

/** A model_pose12 task whose hold and row committed but whose creator died before asking RunningHub: its start lease lapsed. */
async function stalledPoseTask() {
  const { user, token } = await createUser({ quota: 2 });
  const { taskId, key } = await seedInput(user.id, jpegImage());
  await createWithHold({ id: taskId, userId: user.id, type: 'model_pose12', inputKey: key, params: { scene: 'street', category: 'dress' }, vendor: 'runninghub', webhookToken: null, deadlineSeconds: 600, startLeaseSeconds: START_LEASE_SECONDS, createdAt: new Date() });
  await execute('UPDATE tasks SET next_poll_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [taskId]);
  return { user, token, taskId, key };
}

describe('answers after an ambiguous commit', () => {
  it('hold: the create whose COMMIT answer was lost goes on with the committed task and starts RunningHub', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 2 });
    const { taskId, key } = await seedInput(user.id, jpegImage());
    const dropped = proxy.dropResponseTo(commitAfter(/INSERT INTO quota_ledger[\s\S]*'hold'/));

    // Act
    const result = await aws.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'model_pose12') });

    // Assert
    expect((await dropped).answer).toBe('ok');
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ taskId, status: 'processing' });
    expect((await taskRow(taskId))?.vendor_task_id).toMatch(/^\d+$/);
    expect(await ledgerKinds(taskId)).toEqual(['hold']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('vendor started: a lost answer to recording RunningHub’s id is read back, never answered as a failure', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 2 });
    const { taskId, key } = await seedInput(user.id, jpegImage());
    const dropped = proxy.dropResponseTo(statement(/^UPDATE tasks SET vendor_task_id = /));

    // Act
    const result = await aws.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'model_pose12') });

    // Assert
    expect((await dropped).answer).toBe('ok');
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ taskId, status: 'processing' });
    expect((await taskRow(taskId))?.vendor_task_id).toMatch(/^\d+$/);
    expect(await ledgerKinds(taskId)).toEqual(['hold']);
  });

  it('hold: a repeated create of a task whose creator died before starting it starts it now', async () => {
    // Arrange
    const { token, taskId, key } = await stalledPoseTask();

    // Act
    const repeated = await aws.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'model_pose12') });

    // Assert
    expect(repeated.status).toBe(200);
    expect(repeated.json.data).toMatchObject({ taskId, status: 'processing' });
    expect((await taskRow(taskId))?.vendor_task_id).toMatch(/^\d+$/);
    expect(await ledgerKinds(taskId)).toEqual(['hold']);
  });

  it('hold: a poll of a task whose creator died before starting it fails it at once with its quota back', async () => {
    // Arrange
    const { user, token, taskId } = await stalledPoseTask();

    // Act
    const polled = await aws.call(get, { method: 'GET', path: `/task/${taskId}`, token });

    // Assert
    expect(polled.json.data).toMatchObject({ status: 'failed', errorCode: 3003, errorReason: 'AI服务暂时不可用,请重试' });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(2);
  });

  it('basic_clean completion: the done whose answer was lost is answered done, never 3001', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 2 });
    const { taskId, key } = await seedInput(user.id, jpegImage());
    const dropped = proxy.dropResponseTo(statement(/^UPDATE tasks SET status = 'done'/));

    // Act
    const result = await aws.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'basic_clean') });

    // Assert
    expect((await dropped).answer).toBe('ok');
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ taskId, status: 'done' });
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('failure: the failed-with-release whose answer was lost is answered with its code, and it is so', async () => {
    // Arrange
    await setFaults({ moderation: 'block' });
    const { user, token } = await createUser({ quota: 2 });
    const { taskId, key } = await seedInput(user.id, jpegImage());
    const dropped = proxy.dropResponseTo(statement(/^UPDATE tasks SET status = 'failed'/));

    // Act
    const result = await aws.call(create, { method: 'POST', path: '/task/create', token, body: createBody(key, 'basic_clean') });

    // Assert
    expect((await dropped).answer).toBe('ok');
    expect(result.status).toBe(422);
    expect(result.json.error).toMatchObject({ code: 4001, message: '内容不符合使用规范,已返还本次次数' });
    expect((await taskRow(taskId))?.status).toBe('failed');
    expect(await ledgerKinds(taskId)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(2);
  });

  it('payment credit: a credit whose COMMIT answer was lost credits once when the platform re-sends', async () => {
    // Arrange
    const { user, token } = await createUser();
    const bought = await aws.call(purchase, { method: 'POST', path: '/membership/purchase', token, body: { channel: 'wx' } });
    const orderId = String(bought.json.data?.orderId);
    const notification = await signedNotification(orderId);
    const dropped = proxy.dropResponseTo(commitAfter(/UPDATE orders SET status = 'paid'/));

    // Act
    const first = await aws.call(paymentCallback, callbackCall(notification));
    const resent = await aws.call(paymentCallback, callbackCall(notification));

    // Assert
    expect((await dropped).answer).toBe('ok');
    expect(first.status).toBeGreaterThanOrEqual(500);
    expect(resent.status).toBe(204);
    expect((await orderState(orderId))?.status).toBe('paid');
    expect((await ledgerEntries(user.id)).filter((entry) => entry.kind === 'grant')).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
    expect((await findUserById(user.id))?.quota_balance).toBe(100);
    expect(await select('SELECT 1 AS alive')).toEqual([{ alive: 1 }]);
  });
});
