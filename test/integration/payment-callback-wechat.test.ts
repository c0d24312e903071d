import { afterEach, describe, expect, it, vi } from 'vitest';
import * as paymentCallback from '../../functions/membership/payment-callback';
import * as purchase from '../../functions/membership/purchase';
import { SANDBOX_WECHAT_APP_ID, SANDBOX_WECHAT_MCH_ID } from '../../infra/sandbox/payment-keys';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { execute } from '../../shared/db/pool';
import { paymentAnomaliesOf } from '../../shared/db/repositories/payment-anomalies';
import { logger } from '../../shared/logger';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { findUserById } from '../../shared/users';
import { platforms, type ApiResult, type Platform } from '../helpers/events';
import { callbackCall, ledgerEntries, orderState, sandboxPay, signedNotification, type NotificationOptions } from '../helpers/payments';
import { createUser } from '../helpers/users';

afterEach(async () => {
  vi.restoreAllMocks();
  expect(await checkLedgerInvariants()).toEqual([]);
});

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A user with a pending WeChat order (JSAPI, or H5 when no openid is given). */
async function wechatOrder(platform: Platform, body: object = { channel: 'wx', openid: sandboxOpenidForCode('callback-test') }) {
  const { user, token } = await createUser();
  const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });
  if (result.status !== 200) throw new Error(`purchase failed: ${result.text}`);
  return { user, orderId: String(result.json.data?.orderId) };
}

function expectCredited(userId: string, orderId: string, times = 1) {
  return async () => {
    const user = await findUserById(userId);
    expect(user?.quota_balance).toBe(100 * times);
    expect((user?.member_expires_at?.getTime() ?? 0) - Date.now()).toBeGreaterThan(30 * times * 86_400_000 - 60_000);
    expect((await ledgerEntries(userId)).filter((entry) => entry.reference === orderId)).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
    expect((await orderState(orderId))?.status).toBe('paid');
  };
}

async function expectNothingChanged(userId: string, orderId: string): Promise<void> {
  expect((await findUserById(userId))?.quota_balance).toBe(0);
  expect((await findUserById(userId))?.member_expires_at).toBeNull();
  expect(await ledgerEntries(userId)).toEqual([]);
  expect((await orderState(orderId))?.status).toBe('pending');
}

function expectFail(result: ApiResult, status: number): void {
  expect(result.status).toBe(status);
  expect(result.json).toEqual({ code: 'FAIL', message: expect.any(String) });
}

describe.each(platforms)('WeChat Pay notifications on $name', (platform) => {
  const deliver = (notification: { headers: Record<string, string>; body: string }, extra = {}) => platform.call(paymentCallback, callbackCall(notification, extra));
  const notify = async (orderId: string, options?: NotificationOptions) => deliver(await signedNotification(orderId, options));

  it('a valid notification: 204 with no body, the order paid, 30 days and 100 quota granted once', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);

    // Act
    const result = await notify(orderId);

    // Assert
    expect(result.status).toBe(204);
    expect(result.text).toBe('');
    await expectCredited(user.id, orderId)();
    expect((await orderState(orderId))?.platform_trade_no).toMatch(/^4200\d{24}$/);
  });

  it('an H5 order paid through the sandbox over HTTP: the API’s 204 comes back through /_sandbox/pay', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform, { channel: 'wx' });

    // Act
    const paid = await sandboxPay(orderId);

    // Assert
    expect(paid.status).toBe(204);
    expect(paid.text).toBe('');
    await expectCredited(user.id, orderId)();
  });

  it('the same notification delivered 10 times in a row credits once, and every delivery is acknowledged', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const notification = await signedNotification(orderId);

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await deliver(notification)).status);

    // Assert
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 204));
    await expectCredited(user.id, orderId)();
  });

  it('the same notification delivered 10 times at once credits once', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const notification = await signedNotification(orderId);

    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(notification)));

    // Assert
    expect(results.map((result) => result.status)).toEqual(Array.from({ length: 10 }, () => 204));
    await expectCredited(user.id, orderId)();
  });

  it('re-deliveries from the platform (fresh signatures, same event) credit once', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);

    // Act
    const replies = [await sandboxPay(orderId), await sandboxPay(orderId), await sandboxPay(orderId)];

    // Assert
    expect(replies.map((reply) => reply.status)).toEqual([204, 204, 204]);
    await expectCredited(user.id, orderId)();
  });

  it('a body changed after signing → 401 FAIL, nothing credited', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const notification = await signedNotification(orderId);
    const tampered = { ...notification, body: notification.body.replace('"summary":"支付成功"', '"summary":"支付成功 "') };

    // Act
    const result = await deliver(tampered);

    // Assert
    expect(tampered.body).not.toBe(notification.body);
    expectFail(result, 401);
    await expectNothingChanged(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([]);
  });

  it('a timestamp 301 s old → 401 FAIL; 290 s old is still inside the window', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const stale = await signedNotification(orderId, { timestamp: nowSeconds() - 301 });
    const late = await signedNotification(orderId, { timestamp: nowSeconds() - 290 });

    // Act
    const staleResult = await deliver(stale);
    const afterStale = await orderState(orderId);
    const lateResult = await deliver(late);

    // Assert
    expectFail(staleResult, 401);
    expect(afterStale?.status).toBe('pending');
    expect(await paymentAnomaliesOf(orderId)).toEqual([]);
    expect(lateResult.status).toBe(204);
    await expectCredited(user.id, orderId)();
  });

  it('a timestamp from the future beyond 5 minutes → 401', async () => {
    const { user, orderId } = await wechatOrder(platform);
    expectFail(await notify(orderId, { timestamp: nowSeconds() + 400 }), 401);
    await expectNothingChanged(user.id, orderId);
  });

  it('an unknown Wechatpay-Serial → 401 FAIL and a security event', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const notification = await signedNotification(orderId);
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const result = await deliver({ ...notification, headers: { ...notification.headers, 'wechatpay-serial': 'PUB_KEY_ID_0000000000000000000000000000UNKNOWN' } });

    // Assert
    expectFail(result, 401);
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ channel: 'wx', reason: 'unknown-serial' }));
    await expectNothingChanged(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([]);
  });

  it('the WECHATPAY/SIGNTEST/ probe → 4xx FAIL, never a 500', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const notification = await signedNotification(orderId);

    // Act
    const result = await deliver({ ...notification, headers: { ...notification.headers, 'wechatpay-signature': 'WECHATPAY/SIGNTEST/AQIDBAUGBwgJCgsMDQ4PEA==' } });

    // Assert
    expectFail(result, 401);
    await expectNothingChanged(user.id, orderId);
  });

  it.each([
    ['a wrong amount', { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } }, 'amount mismatch', { reported_amount_fen: 1, reported_currency: 'CNY' }],
    ['a wrong appid', { appid: 'wx0000000000000bad' }, 'app id mismatch', { reported_app_id: 'wx0000000000000bad', reported_merchant_id: SANDBOX_WECHAT_MCH_ID }],
    ['a foreign mchid', { mchid: '1900000999' }, 'merchant id mismatch', { reported_app_id: SANDBOX_WECHAT_APP_ID, reported_merchant_id: '1900000999' }],
    ['the right total in another currency', { amount: { total: 9900, payer_total: 9900, currency: 'USD', payer_currency: 'USD' } }, 'currency mismatch', { reported_amount_fen: 9900, reported_currency: 'USD' }],
    ['an amount without a currency', { amount: { total: 9900, payer_total: 9900 } }, 'currency mismatch', { reported_amount_fen: 9900, reported_currency: null }],
  ])('%s (genuinely signed) → acknowledged (204), nothing credited, a security event, one payment anomaly', async (_label, transaction, reason, reported) => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const warn = vi.spyOn(logger, 'warn');
    const error = vi.spyOn(logger, 'error');

    // Act
    const result = await notify(orderId, { transaction });

    // Assert: WeChat stops re-sending; a person is told
    expect(result.status).toBe(204);
    expect(result.text).toBe('');
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ orderId, channel: 'wx', source: 'notification', reason }));
    expect(error).toHaveBeenCalledWith('payment anomaly', expect.objectContaining({ orderId, channel: 'wx', source: 'notification', reason }));
    await expectNothingChanged(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([
      expect.objectContaining({
        channel: 'wx',
        order_id: orderId,
        out_trade_no: orderId,
        platform_trade_no: expect.stringMatching(/^4200\d{24}$/),
        reason,
        source: 'notification',
        platform_state: 'SUCCESS',
        occurrences: 1,
        ...reported,
      }),
    ]);
  });

  it('a wrong-amount notification delivered 3 times: acknowledged each time, one anomaly (3 occurrences), one ERROR line', async () => {
    // Arrange
    const { user, orderId } = await wechatOrder(platform);
    const notification = await signedNotification(orderId, { transaction: { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } } });
    const error = vi.spyOn(logger, 'error');

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await deliver(notification)).status);

    // Assert
    expect(statuses).toEqual([204, 204, 204]);
    await expectNothingChanged(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([expect.objectContaining({ reason: 'amount mismatch', source: 'notification', occurrences: 3 })]);
    expect(error.mock.calls.filter(([message]) => message === 'payment anomaly')).toHaveLength(1);
  });

  it('a notification naming an Alipay order (genuinely signed by WeChat) → acknowledged, that order untouched, one anomaly', async () => {
    // Arrange
    const { orderId: wechatOrderId } = await wechatOrder(platform);
    const { user, token } = await createUser();
    const bought = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body: { channel: 'alipay' }, token });
    const alipayOrderId = String(bought.json.data?.orderId);

    // Act
    const result = await notify(wechatOrderId, { transaction: { out_trade_no: alipayOrderId } });

    // Assert
    expect(result.status).toBe(204);
    await expectNothingChanged(user.id, alipayOrderId);
    expect(await paymentAnomaliesOf(alipayOrderId)).toEqual([
      expect.objectContaining({ channel: 'wx', order_id: alipayOrderId, reason: 'order belongs to the other platform', source: 'notification', occurrences: 1 }),
    ]);
  });

  it('our appid and mchid are what the genuine notification carries', async () => {
    const { orderId } = await wechatOrder(platform);
    expect(await notify(orderId, { transaction: { appid: SANDBOX_WECHAT_APP_ID, mchid: SANDBOX_WECHAT_MCH_ID } })).toMatchObject({ status: 204 });
  });

  it('a trade_state other than SUCCESS is acknowledged and credits nothing', async () => {
    const { user, orderId } = await wechatOrder(platform);
    expect((await notify(orderId, { transaction: { trade_state: 'NOTPAY' } })).status).toBe(204);
    await expectNothingChanged(user.id, orderId);
  });

  it('a notification for an order we do not have → acknowledged (204), recorded as an anomaly without an order', async () => {
    // Arrange
    const { orderId } = await wechatOrder(platform);
    const notification = await signedNotification(orderId);
    await execute('DELETE FROM orders WHERE id = ?', [orderId]);
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const result = await deliver(notification);
    const again = await deliver(notification);

    // Assert
    expect([result.status, again.status]).toEqual([204, 204]);
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ orderId, channel: 'wx', reason: 'unknown order' }));
    expect(await paymentAnomaliesOf(orderId)).toEqual([
      expect.objectContaining({ channel: 'wx', order_id: null, out_trade_no: orderId, reason: 'unknown order', source: 'notification', reported_amount_fen: 9900, occurrences: 2 }),
    ]);
  });

  it('an isBase64Encoded body is verified over its decoded bytes', async () => {
    const { user, orderId } = await wechatOrder(platform);
    const result = await deliver(await signedNotification(orderId), { base64: true });
    expect(result.status).toBe(204);
    await expectCredited(user.id, orderId)();
  });

  it.each([
    ['no headers and no body', { headers: {}, body: '' }, 400],
    ['JSON without any Wechatpay headers', { headers: { 'content-type': 'application/json' }, body: '{"id":"EV-1"}' }, 400],
    ['headers but a body that is not JSON', { headers: { 'wechatpay-timestamp': String(nowSeconds()), 'wechatpay-nonce': 'n', 'wechatpay-signature': 'c2ln', 'wechatpay-serial': 'PUB_KEY_ID_0119000001092025112100000000000001' }, body: 'not json' }, 401],
    ['a non-numeric timestamp', { headers: { 'wechatpay-timestamp': 'yesterday', 'wechatpay-nonce': 'n', 'wechatpay-signature': 'c2ln', 'wechatpay-serial': 'x' }, body: '{}' }, 401],
    ['a plain-text body of no platform', { headers: { 'content-type': 'text/plain' }, body: 'hello' }, 400],
  ])('%s → 4xx FAIL, never a 500', async (_label, notification, status) => {
    expectFail(await deliver(notification), status);
  });
});
