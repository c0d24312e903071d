import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, stackLedgerProblems, startStack, type RunningStack } from '../helpers/stack';

/** The wallet reads over real HTTP on the local stack (npm run dev): a purchase shows in history, statistics and orders. */
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

async function sandbox(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${stack.sandbox}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
}

describe('the wallet on the local stack (npm run dev)', () => {
  it('a paid Alipay order: its grant in /quota/transactions, the totals in /quota/statistics, the order in /membership/orders; an unknown order → 5002', async () => {
    // Arrange: log in, buy with Alipay, open the cashier, pay
    const phone = '13900139100';
    await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
    const { code } = JSON.parse((await sandbox('GET', `/_sandbox/sms/latest?phone=${phone}`)).text) as { code: string };
    const token = String((await api(stack.api, 'POST', '/auth/login', { body: { phone, code } })).json.data?.token);
    const purchase = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'alipay' } });
    const orderId = String(purchase.json.data?.orderId);
    await fetch(String((purchase.json.data?.payParams as { payUrl: string }).payUrl));
    await sandbox('POST', '/_sandbox/pay', { orderId });

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
});
