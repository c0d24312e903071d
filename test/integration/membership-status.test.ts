import { afterEach, describe, expect, it } from 'vitest';
import * as me from '../../functions/auth/me';
import * as purchase from '../../functions/membership/purchase';
import * as status from '../../functions/membership/status';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { execute } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { platforms, type Platform } from '../helpers/events';
import { ageOrder, ledgerEntries, openPayPage, orderState, sandboxPay } from '../helpers/payments';
import { setFaults } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

afterEach(async () => {
  await setFaults({ notify: 'deliver' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

async function buy(platform: Platform, token: string, body: object): Promise<string> {
  const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });
  const payParams = result.json.data?.payParams as { payUrl?: string };
  if (payParams.payUrl) await openPayPage(payParams.payUrl);
  return String(result.json.data?.orderId);
}

describe.each(platforms)('GET /membership/status on $name', (platform) => {
  const statusOf = (token: string) => platform.call(status, { method: 'GET', path: '/membership/status', token });
  const profileOf = (token: string) => platform.call(me, { method: 'GET', path: '/auth/me', token });

  it('a new user: exactly the contract’s fields, not a member, the price', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const result = await statusOf(token);

    // Assert
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ success: true, data: { isMember: false, quota_remaining: 0, quota_expireAt: null, expireDays: 0, price: 9900 } });
  });

  it('alipay paid through /_sandbox/pay → member, 100 quota, 30 days; then wx JSAPI → 200 quota, 60 days; auth/me agrees', async () => {
    // Arrange
    const { token } = await createUser();
    const alipayOrder = await buy(platform, token, { channel: 'alipay' });
    const alipayPaid = await sandboxPay(alipayOrder);
    const afterFirst = await statusOf(token);
    const wxOrder = await buy(platform, token, { channel: 'wx', openid: sandboxOpenidForCode('status-test') });

    // Act
    const wxPaid = await sandboxPay(wxOrder);
    const afterSecond = await statusOf(token);
    const profile = await profileOf(token);

    // Assert
    expect([alipayPaid.text, wxPaid.status]).toEqual(['success', 204]);
    expect(afterFirst.json.data).toMatchObject({ isMember: true, quota_remaining: 100, expireDays: 30, price: 9900 });
    expect(afterSecond.json.data).toMatchObject({ isMember: true, quota_remaining: 200, expireDays: 60, price: 9900 });
    const expireAt = Date.parse(String(afterSecond.json.data?.quota_expireAt));
    expect(expireAt - Date.now()).toBeGreaterThan(60 * 86_400_000 - 60_000);
    expect(expireAt - Date.now()).toBeLessThanOrEqual(60 * 86_400_000);
    const { isMember, quota_remaining, quota_expireAt } = afterSecond.json.data ?? {};
    expect(profile.json.data).toMatchObject({ isMember, quota_remaining, quota_expireAt });
  });

  it.each([
    ['alipay', { channel: 'alipay' }],
    ['wx JSAPI', { channel: 'wx', openid: sandboxOpenidForCode('lost-notification') }],
    ['wx H5', { channel: 'wx' }],
  ])('%s: a payment whose notification never came is credited by status polling once the order is 10 s old', async (_label, body) => {
    // Arrange
    const { user, token } = await createUser();
    const orderId = await buy(platform, token, body);
    await setFaults({ notify: 'drop' });
    const paid = await sandboxPay(orderId);
    const tooEarly = await statusOf(token);
    const notAskedYet = await orderState(orderId);
    await ageOrder(orderId, 11);

    // Act
    const polled = await statusOf(token);

    // Assert
    expect(JSON.parse(paid.text)).toEqual({ orderId, paid: true, notification: 'dropped' });
    expect(tooEarly.json.data).toMatchObject({ isMember: false, quota_remaining: 0 });
    expect(notAskedYet?.last_queried_at).toBeNull();
    expect(polled.json.data).toMatchObject({ isMember: true, quota_remaining: 100, expireDays: 30 });
    expect((await orderState(orderId))?.status).toBe('paid');
    expect(await ledgerEntries(user.id)).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
  });

  it('the late notification after polling credited the order changes nothing', async () => {
    // Arrange
    const { user, token } = await createUser();
    const orderId = await buy(platform, token, { channel: 'wx' });
    await setFaults({ notify: 'drop' });
    await sandboxPay(orderId);
    await ageOrder(orderId, 11);
    await statusOf(token);
    await setFaults({ notify: 'deliver' });

    // Act
    const late = await sandboxPay(orderId);

    // Assert
    expect(late.status).toBe(204);
    expect(await ledgerEntries(user.id)).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
  });

  it('asks the platform at most once per interval while the client polls', async () => {
    // Arrange
    const { token } = await createUser();
    const orderId = await buy(platform, token, { channel: 'wx' });
    await ageOrder(orderId, 11);
    await statusOf(token);
    const firstAsked = (await orderState(orderId))?.last_queried_at;

    // Act
    await statusOf(token);
    await statusOf(token);
    const stillFirst = (await orderState(orderId))?.last_queried_at;
    await execute('UPDATE orders SET last_queried_at = last_queried_at - INTERVAL 5 SECOND WHERE id = ?', [orderId]);
    await statusOf(token);
    const askedAgain = (await orderState(orderId))?.last_queried_at;

    // Assert
    expect(firstAsked).toBeInstanceOf(Date);
    expect(stillFirst?.getTime()).toBe(firstAsked?.getTime());
    expect(askedAgain?.getTime()).toBeGreaterThanOrEqual(firstAsked?.getTime() ?? Number.POSITIVE_INFINITY);
    expect((await orderState(orderId))?.status).toBe('pending');
  });

  it('a platform that cannot be asked does not fail the status answer', async () => {
    // Arrange
    const { token } = await createUser();
    const orderId = await buy(platform, token, { channel: 'alipay' });
    await ageOrder(orderId, 11);
    await setFaults({ alipay: 'fail' });

    // Act
    const result = await statusOf(token);
    await setFaults({ alipay: 'ok' });

    // Assert
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ isMember: false });
  });

  it('a lapsed membership reads as not a member with 0 quota, the expiry recorded once; auth/me agrees', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 100, days: 30 });
    await execute('UPDATE users SET member_expires_at = NOW(3) - INTERVAL 1 HOUR WHERE id = ?', [user.id]);

    // Act
    const first = await statusOf(token);
    const second = await statusOf(token);
    const profile = await profileOf(token);

    // Assert
    expect(first.json.data).toMatchObject({ isMember: false, quota_remaining: 0, expireDays: 0 });
    expect(first.json.data?.quota_expireAt).toEqual(expect.any(String));
    expect(second.json.data).toEqual(first.json.data);
    const { isMember, quota_remaining, quota_expireAt } = first.json.data ?? {};
    expect(profile.json.data).toMatchObject({ isMember, quota_remaining, quota_expireAt });
    expect((await ledgerEntries(user.id)).map((entry) => [entry.kind, entry.delta])).toEqual([
      ['grant', 100],
      ['expire', -100],
    ]);
  });

  it('no token → 401', async () => {
    const result = await platform.call(status, { method: 'GET', path: '/membership/status' });
    expect(result.status).toBe(401);
  });
});
