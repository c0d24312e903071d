import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, stackLedgerProblems, startStack, type RunningStack } from '../helpers/stack';
import { buyWithAlipay, grantAdmin, logIn, sandboxCall, uploadPhoto } from '../helpers/stack-steps';

/** The wallet reads over real HTTP on the local stack (npm run dev): purchases, tasks and refunds show in history, statistics and orders. */
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
});

afterEach(async () => {
  expect(await stackLedgerProblems(stack)).toEqual([]);
});

afterAll(async () => {
  await stack?.stop();
});

describe('the wallet on the local stack (npm run dev)', () => {
  it('a paid Alipay order: its grant in /quota/transactions, the totals in /quota/statistics, the order in /membership/orders; an unknown order → 5002', async () => {
    // Arrange: log in, buy with Alipay, open the cashier, pay
    const token = await logIn(stack, '13900139100');
    const { orderId } = await buyWithAlipay(stack, token);

    // Act
    const history = await api(stack.api, 'GET', '/quota/transactions', { token });
    const statistics = await api(stack.api, 'GET', '/quota/statistics', { token });
    const orders = await api(stack.api, 'GET', '/membership/orders', { token });
    const order = await api(stack.api, 'GET', `/membership/orders/${orderId}`, { token });
    const unknown = await api(stack.api, 'GET', '/membership/orders/order_unknown', { token });

    // Assert
    expect(history.json.data).toEqual({
      items: [{ id: expect.any(String), kind: 'grant', delta: 100, balanceAfter: 100, reference: orderId, note: '购买会员 +100', createdAt: expect.any(String) }],
      nextCursor: null,
    });
    expect(statistics.json.data).toMatchObject({ balance: 100, totals: { granted: 100, used: 0, returned: 0, expired: 0, refunded: 0, held: 0 } });
    expect(orders.json.data).toEqual({ items: [order.json.data], nextCursor: null });
    expect(order.json.data).toMatchObject({ orderId, channel: 'alipay', payMethod: 'wap', amount: 9900, status: 'paid', refundedAt: null });
    expect([unknown.status, unknown.json.error?.code]).toEqual([404, 5002]);
  });

  it('bought, ran two tasks (one failed) and was refunded: every movement in /quota/transactions adds up, /quota/statistics agrees, the order reads refunded', async () => {
    // Arrange: a buyer with a paid Alipay order, and an admin made with `npm run admin -- grant --token`
    const token = await logIn(stack, '13900139101');
    await logIn(stack, '13900139102');
    const adminToken = grantAdmin(stack, '13900139102');
    const { orderId } = await buyWithAlipay(stack, token);
    const runTask = async (): Promise<{ taskId: string; status: unknown }> => {
      const { keys, key } = await uploadPhoto(stack, token);
      const created = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'basic_clean', inputImageUrl: key, params: { template: 'white_bg' } } });
      return { taskId: keys.taskId, status: created.json.data?.status ?? created.json.error?.code };
    };
    const done = await runTask();
    await sandboxCall(stack, '/_sandbox/faults', { moderation: 'block' });
    const failed = await runTask();
    await sandboxCall(stack, '/_sandbox/faults', { moderation: 'pass' });

    // Act
    const refund = await api(stack.api, 'POST', `/admin/orders/${orderId}/refund`, { token: adminToken, body: { reason: '用户申请退款' } });
    const history = await api(stack.api, 'GET', '/quota/transactions', { token });
    const statistics = await api(stack.api, 'GET', '/quota/statistics', { token });
    const orders = await api(stack.api, 'GET', '/membership/orders', { token });

    // Assert
    expect([done.status, failed.status, refund.json.data?.status]).toEqual(['done', 4001, 'refunded']);
    const items = (history.json.data as { items: { kind: string; delta: number; balanceAfter: number; reference: string }[] }).items;
    // Newest first: the refund took the 99 left and the membership's only 30 days, so its (empty) expiry follows.
    expect(items.map(({ kind, delta, reference }) => [kind, delta, reference])).toEqual([
      ['expire', 0, expect.any(String)],
      ['refund', -99, orderId],
      ['release', 1, failed.taskId],
      ['hold', -1, failed.taskId],
      ['confirm', 0, done.taskId],
      ['hold', -1, done.taskId],
      ['grant', 100, orderId],
    ]);
    const oldestFirst = [...items].reverse();
    expect(oldestFirst.map((item, index) => item.balanceAfter - (index === 0 ? 0 : (oldestFirst[index - 1]?.balanceAfter ?? 0)))).toEqual(oldestFirst.map((item) => item.delta));
    expect(statistics.json.data).toMatchObject({ balance: 0, totals: { granted: 100, used: 1, returned: 1, expired: 0, refunded: 99, held: 0 } });
    expect(orders.json.data?.items).toEqual([expect.objectContaining({ orderId, status: 'refunded', refundedAt: expect.any(String) })]);
  });
});
