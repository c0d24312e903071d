import { afterEach, describe, expect, it } from 'vitest';
import * as order from '../../functions/membership/order';
import * as orders from '../../functions/membership/orders';
import * as purchase from '../../functions/membership/purchase';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { execute, select } from '../../shared/db/pool';
import { encodeOrderCursor } from '../../shared/payments/order-list';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { encodeLedgerCursor } from '../../shared/quota/schemas';
import { platforms, type ApiResult, type Platform } from '../helpers/events';
import { ageOrder, insertOrder, ledgerEntries, openPayPage, orderState, sandboxPay } from '../helpers/payments';
import { setFaults } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

/**
 * GET /membership/orders (the caller's orders, newest first, keyset pages) and
 * GET /membership/orders/{orderId} (one order; a pending one is settled with its platform first).
 * Orders are bought through POST /membership/purchase and paid at the sandbox platforms.
 */
afterEach(async () => {
  await setFaults({ notify: 'deliver' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

interface OrderView {
  orderId: string;
  channel: string;
  payMethod: string;
  amount: number;
  status: string;
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
}
interface OrdersPage {
  items: OrderView[];
  nextCursor: string | null;
}

const isoDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function buy(platform: Platform, token: string, body: object): Promise<string> {
  const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });
  const payParams = result.json.data?.payParams as { payUrl?: string };
  if (payParams.payUrl) await openPayPage(payParams.payUrl);
  return String(result.json.data?.orderId);
}

/** The list's order as the database defines it (its collation decides ties on id). */
async function orderIdsInListOrder(userId: string): Promise<string[]> {
  const rows = await select<{ id: string }>('SELECT id FROM orders WHERE user_id = ? ORDER BY created_at DESC, id DESC', [userId]);
  return rows.map((row) => row.id);
}

describe.each(platforms)('GET /membership/orders on $name', (platform) => {
  const ordersOf = async (token: string, query: Record<string, string> = {}): Promise<ApiResult & { data: OrdersPage }> => {
    const result = await platform.call(orders, { method: 'GET', path: '/membership/orders', token, query });
    return { ...result, data: result.json.data as unknown as OrdersPage };
  };

  it('lists the caller’s orders newest first: channel, method, amount in fen, status, times; nobody else’s', async () => {
    // Arrange: an Alipay order paid, then a WeChat H5 and a WeChat JSAPI order left pending
    const { token } = await createUser();
    const other = await createUser();
    const otherOrder = await buy(platform, other.token, { channel: 'alipay' });
    const alipayOrder = await buy(platform, token, { channel: 'alipay' });
    await sandboxPay(alipayOrder);
    const h5Order = await buy(platform, token, { channel: 'wx' });
    const jsapiOrder = await buy(platform, token, { channel: 'wx', openid: sandboxOpenidForCode('orders-list') });

    // Act
    const result = await ordersOf(token);

    // Assert
    expect(result.status).toBe(200);
    expect(result.data.nextCursor).toBeNull();
    expect(result.data.items.map((item) => [item.orderId, item.channel, item.payMethod, item.amount, item.status, item.paidAt === null, item.refundedAt])).toEqual([
      [jsapiOrder, 'wx', 'jsapi', 9900, 'pending', true, null],
      [h5Order, 'wx', 'h5', 9900, 'pending', true, null],
      [alipayOrder, 'alipay', 'wap', 9900, 'paid', false, null],
    ]);
    expect(result.data.items.every((item) => isoDate.test(item.createdAt))).toBe(true);
    expect(result.data.items[2]?.paidAt).toMatch(isoDate);
    expect(Object.keys(result.data.items[0] ?? {}).sort()).toEqual(['amount', 'channel', 'createdAt', 'orderId', 'paidAt', 'payMethod', 'refundedAt', 'status']);
    expect(result.data.items.map((item) => item.orderId)).not.toContain(otherOrder);
  });

  it('walks every order exactly once by cursor, ties in created_at included', async () => {
    // Arrange: 11 orders, 8 of them created in one millisecond (the id breaks the tie)
    const { user, token } = await createUser();
    for (let index = 0; index < 11; index += 1) await insertOrder(user.id, { quota: 100, days: 30, status: index % 2 === 0 ? 'pending' : 'failed' });
    await execute("UPDATE orders SET created_at = '2026-03-01 10:00:00.123' WHERE user_id = ? ORDER BY id LIMIT 8", [user.id]);
    const expected = await orderIdsInListOrder(user.id);

    // Act
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await ordersOf(token, { limit: '3', ...(cursor ? { cursor } : {}) });
      pages.push(page.data.items.map((item) => item.orderId));
      cursor = page.data.nextCursor;
    } while (cursor !== null && pages.length < 20);

    // Assert
    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 2]);
    expect(pages.flat()).toEqual(expected);
    expect(new Set(pages.flat()).size).toBe(11);
  });

  it.each([
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['limit x', { limit: 'x' }, 'limit'],
    ['a cursor that is not base64url', { cursor: '%%%' }, 'cursor'],
    ['a ledger cursor', { cursor: encodeLedgerCursor(5) }, 'cursor'],
    ['a cursor with a bad id', { cursor: Buffer.from('1700000000000:order with spaces').toString('base64url') }, 'cursor'],
  ])('%s → 400, code 1000, naming the field', async (_label, query, field) => {
    // Arrange
    const { token } = await createUser();

    // Act
    const result = await ordersOf(token, query);

    // Assert
    expect(result.status).toBe(400);
    expect(result.json.error?.code).toBe(1000);
    expect(result.json.error?.details?.map((detail) => detail.field)).toEqual([field]);
  });

  it('a well-formed cursor of another user’s order shows only the caller’s orders', async () => {
    // Arrange
    const { user, token } = await createUser();
    const other = await createUser();
    const mine = await insertOrder(user.id, { quota: 100, days: 30 });
    const theirs = await insertOrder(other.user.id, { quota: 100, days: 30 });

    // Act
    const result = await ordersOf(token, { cursor: encodeOrderCursor({ created_at: new Date(Date.now() + 60_000), id: theirs }) });

    // Assert
    expect(result.data.items.map((item) => item.orderId)).toEqual([mine]);
  });

  it('a revoked token → 401', async () => {
    // Arrange
    const { user, token } = await createUser();
    await execute('UPDATE users SET token_version = token_version + 1 WHERE id = ?', [user.id]);

    // Act
    const result = await ordersOf(token);

    // Assert
    expect([result.status, result.json.error?.code]).toEqual([401, 1001]);
  });
});

describe.each(platforms)('GET /membership/orders/{orderId} on $name', (platform) => {
  const orderOf = (token: string, orderId: string) => platform.call(order, { method: 'GET', path: `/membership/orders/${encodeURIComponent(orderId)}`, token });
  const listOf = async (token: string) => (await platform.call(orders, { method: 'GET', path: '/membership/orders', token })).json.data as unknown as OrdersPage;

  it('the caller’s order, as the list shows it', async () => {
    // Arrange
    const { token } = await createUser();
    const orderId = await buy(platform, token, { channel: 'alipay' });
    await sandboxPay(orderId);

    // Act
    const result = await orderOf(token, orderId);

    // Assert
    expect(result.status).toBe(200);
    expect(result.json.data).toEqual((await listOf(token)).items[0]);
    expect(result.json.data).toMatchObject({ orderId, status: 'paid', amount: 9900, refundedAt: null });
  });

  it('another user’s order answers exactly as an unknown one: 404, code 5002', async () => {
    // Arrange
    const { token } = await createUser();
    const other = await createUser();
    const theirs = await buy(platform, other.token, { channel: 'wx' });

    // Act
    const answers = await Promise.all([orderOf(token, theirs), orderOf(token, 'order_unknown'), orderOf(token, 'not an order id at all')]);

    // Assert
    const shapes = answers.map((answer) => ({ status: answer.status, success: answer.json.success, code: answer.json.error?.code, message: answer.json.error?.message, keys: Object.keys(answer.json.error ?? {}).sort() }));
    expect(shapes[0]).toEqual({ status: 404, success: false, code: 5002, message: '订单不存在', keys: ['code', 'message', 'requestId'] });
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
    expect(answers.map((answer) => answer.headers['content-type'])).toEqual(answers.map(() => answers[0]?.headers['content-type']));
  });

  it.each([
    ['wx H5', { channel: 'wx' }],
    ['alipay', { channel: 'alipay' }],
  ])('%s: a pending order whose notification never came is settled with the platform when read, once it is 10 s old', async (_label, body) => {
    // Arrange
    const { user, token } = await createUser();
    const orderId = await buy(platform, token, body);
    await setFaults({ notify: 'drop' });
    await sandboxPay(orderId);
    const tooEarly = await orderOf(token, orderId);
    const notAskedYet = await orderState(orderId);
    await ageOrder(orderId, 11);

    // Act
    const result = await orderOf(token, orderId);

    // Assert
    expect(tooEarly.json.data).toMatchObject({ orderId, status: 'pending', paidAt: null });
    expect(notAskedYet?.last_queried_at).toBeNull();
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ orderId, status: 'paid', paidAt: expect.stringMatching(isoDate) });
    expect(await ledgerEntries(user.id)).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
  });

  it('an unpaid pending order stays pending and the platform is asked at most once per interval', async () => {
    // Arrange
    const { token } = await createUser();
    const orderId = await buy(platform, token, { channel: 'wx' });
    await ageOrder(orderId, 11);
    const first = await orderOf(token, orderId);
    const firstAsked = (await orderState(orderId))?.last_queried_at;

    // Act
    const second = await orderOf(token, orderId);
    const stillFirst = (await orderState(orderId))?.last_queried_at;

    // Assert
    expect([first.json.data?.status, second.json.data?.status]).toEqual(['pending', 'pending']);
    expect(firstAsked).toBeInstanceOf(Date);
    expect(stillFirst?.getTime()).toBe(firstAsked?.getTime());
  });

  it('a platform that cannot be asked does not fail the answer', async () => {
    // Arrange
    const { token } = await createUser();
    const orderId = await buy(platform, token, { channel: 'alipay' });
    await ageOrder(orderId, 11);
    await setFaults({ alipay: 'fail' });

    // Act
    const result = await orderOf(token, orderId);
    await setFaults({ alipay: 'ok' });

    // Assert
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ orderId, status: 'pending' });
  });
});
