import { afterEach, describe, expect, it } from 'vitest';
import { execute, select, withTransaction } from '../../shared/db/pool';
import { NotMemberError, QuotaExhaustedError } from '../../shared/errors';
import { checkLedgerInvariants, expireIfLapsed, grantMembership, hold } from '../../shared/quota/ledger';
import { TaskFailure } from '../../shared/tasks/failures';
import { completeTask, createWithHold, failTask } from '../../shared/tasks/lifecycle';
import { findUserById } from '../../shared/users';
import { insertOrder } from '../helpers/payments';
import { heldTask, ledgerKinds, newTaskOf, storedTask } from '../helpers/tasks';
import { createUser } from '../helpers/users';

const balanceOf = async (userId: string) => (await findUserById(userId))?.quota_balance;
let taskCounter = 0;
const taskId = () => `task_ledger${Date.now()}${(taskCounter += 1)}`;

afterEach(async () => {
  expect(await checkLedgerInvariants()).toEqual([]);
});

describe('quota ledger', () => {
  it('grants quota and extends the membership from the later of now and the expiry', async () => {
    const { user } = await createUser({ quota: 100, days: 30 });
    const firstExpiry = user.member_expires_at?.getTime() ?? 0;

    const granted = await withTransaction(async (c) => grantMembership(c, user.id, await insertOrder(user.id, { quota: 100, days: 30, status: 'paid' }, c), 100, 30));
    const after = await findUserById(user.id);

    expect(granted).toBe(true);
    expect(after?.quota_balance).toBe(200);
    expect((after?.member_expires_at?.getTime() ?? 0) - firstExpiry).toBe(30 * 86_400_000);
  });

  it('grants once per order reference', async () => {
    const { user } = await createUser({ quota: 100 });
    const again = await withTransaction((c) => grantMembership(c, user.id, `order_seed_${user.id}`, 100, 30));
    expect(again).toBe(false);
    expect(await balanceOf(user.id)).toBe(100);
  });

  it('holds once, confirms once and refuses a release after the confirm', async () => {
    // Arrange: a confirm and a release are the ledger side of a task ending (trigger tasks_settle_hold)
    const { user } = await createUser({ quota: 3 });
    const task = newTaskOf(user.id);

    // Act
    const created = await createWithHold(task);
    const createdAgain = await createWithHold(task);
    const heldAgain = await withTransaction((c) => hold(c, user.id, task.id));
    const row = await storedTask(task.id);
    const confirmed = await completeTask(row, [`output/${user.id}/${task.id}/result.jpg`], 'poll');
    const confirmedAgain = await completeTask(row, [`output/${user.id}/${task.id}/result.jpg`], 'webhook');
    const released = await failTask(row, new TaskFailure(3003), 'sweeper');

    // Assert
    expect([created, createdAgain, heldAgain]).toEqual(['created', 'exists', 'already']);
    expect([confirmed, confirmedAgain, released]).toEqual([true, false, false]);
    expect(await ledgerKinds(task.id)).toEqual(['hold', 'confirm']);
    expect(await balanceOf(user.id)).toBe(2);
  });

  it('releases a hold exactly once under 20 concurrent fails of its task', async () => {
    // Arrange
    const { user } = await createUser({ quota: 1 });
    const task = await heldTask(user.id);

    // Act
    const results = await Promise.all(Array.from({ length: 20 }, () => failTask(task, new TaskFailure(3003), 'poll')));

    // Assert
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await ledgerKinds(task.id)).toEqual(['hold', 'release']);
    expect(await balanceOf(user.id)).toBe(1);
  });

  it('lets exactly 5 of 50 concurrent holds through with quota 5, never below zero', async () => {
    const { user } = await createUser({ quota: 5 });

    const results = await Promise.allSettled(Array.from({ length: 50 }, () => withTransaction((c) => hold(c, user.id, taskId()))));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    expect(results.filter((result) => result.status === 'rejected' && result.reason instanceof QuotaExhaustedError)).toHaveLength(45);
    expect(await balanceOf(user.id)).toBe(0);
  });

  it('refuses a hold to a non-member with 1002', async () => {
    const { user } = await createUser();
    await expect(withTransaction((c) => hold(c, user.id, taskId()))).rejects.toBeInstanceOf(NotMemberError);
  });

  it('expires a lapsed membership’s quota once, and a later release does not revive it', async () => {
    // Arrange
    const { user } = await createUser({ quota: 10 });
    const task = await heldTask(user.id);
    await execute('UPDATE users SET member_expires_at = NOW(3) - INTERVAL 1 SECOND WHERE id = ?', [user.id]);

    // Act
    const first = await withTransaction((c) => expireIfLapsed(c, user.id));
    const second = await withTransaction((c) => expireIfLapsed(c, user.id));
    const released = await failTask(task, new TaskFailure(3003), 'poll');

    // Assert
    expect([first, second, released]).toEqual([true, false, true]);
    expect(await balanceOf(user.id)).toBe(0);
    const entries = await select<{ kind: string; delta: number; note: string | null }>('SELECT kind, delta, note FROM quota_ledger WHERE user_id = ? ORDER BY id', [user.id]);
    expect(entries).toEqual([
      { kind: 'grant', delta: 10, note: null },
      { kind: 'hold', delta: -1, note: null },
      { kind: 'expire', delta: -9, note: null },
      { kind: 'release', delta: 0, note: 'membership lapsed' },
    ]);
  });

  it('does not revive lapsed quota when the member renews', async () => {
    const { user } = await createUser({ quota: 10 });
    await execute('UPDATE users SET member_expires_at = NOW(3) - INTERVAL 1 DAY WHERE id = ?', [user.id]);

    await withTransaction(async (c) => grantMembership(c, user.id, await insertOrder(user.id, { quota: 100, days: 30, status: 'paid' }, c), 100, 30));

    expect(await balanceOf(user.id)).toBe(100);
    const after = await findUserById(user.id);
    expect((after?.member_expires_at?.getTime() ?? 0) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });

  it('reports a cached balance that disagrees with the ledger', async () => {
    const { user } = await createUser({ quota: 10 });
    await execute('UPDATE users SET quota_balance = 11 WHERE id = ?', [user.id]);
    const violations = await checkLedgerInvariants();
    await execute('UPDATE users SET quota_balance = 10 WHERE id = ?', [user.id]);
    expect(violations).toEqual([expect.objectContaining({ subject: user.id, rule: 'balance = ledger sum, never negative' })]);
  });

  it('reports a paid order that granted nothing', async () => {
    // Arrange: marked paid without the grant creditOrder would have written with it
    const { user } = await createUser();
    const orderId = await insertOrder(user.id, { quota: 100, days: 30, status: 'paid' });

    // Act
    const violations = await checkLedgerInvariants();
    await execute("UPDATE orders SET status = 'failed' WHERE id = ?", [orderId]);

    // Assert
    expect(violations).toEqual([{ rule: 'a paid order has one grant of its quota to its buyer', subject: orderId, detail: 'no grant' }]);
  });

  it('reports a paid order whose grant is not its quota', async () => {
    // Arrange
    const { user } = await createUser();
    const orderId = await withTransaction(async (c) => {
      const id = await insertOrder(user.id, { quota: 100, days: 30, status: 'paid' }, c);
      await grantMembership(c, user.id, id, 50, 30);
      return id;
    });

    // Act
    const violations = await checkLedgerInvariants();
    await execute('UPDATE orders SET quota = 50 WHERE id = ?', [orderId]);

    // Assert
    expect(violations).toEqual([expect.objectContaining({ rule: 'a paid order has one grant of its quota to its buyer', subject: orderId })]);
  });

  it.each([
    ['no order at all', undefined],
    ['an order that is not paid', 'pending' as const],
  ])('reports a grant with %s', async (_label, status) => {
    // Arrange
    const { user } = await createUser();
    const reference = `order_ghost_${user.id}`;
    if (status) await insertOrder(user.id, { id: reference, quota: 5, days: 30, status });
    await withTransaction((c) => grantMembership(c, user.id, reference, 5, 30));

    // Act
    const violations = await checkLedgerInvariants();
    if (status) await execute("UPDATE orders SET status = 'paid' WHERE id = ?", [reference]);
    else await insertOrder(user.id, { id: reference, quota: 5, days: 30, status: 'paid' });

    // Assert
    expect(violations).toEqual([expect.objectContaining({ rule: 'a grant is for a paid order', subject: reference })]);
  });
});
