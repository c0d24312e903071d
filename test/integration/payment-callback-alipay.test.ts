import { afterEach, describe, expect, it, vi } from 'vitest';
import * as paymentCallback from '../../functions/membership/payment-callback';
import * as purchase from '../../functions/membership/purchase';
import { SANDBOX_ALIPAY_APP_ID, SANDBOX_ALIPAY_SELLER_ID } from '../../infra/sandbox/payment-keys';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { execute } from '../../shared/db/pool';
import { paymentAnomaliesOf } from '../../shared/db/repositories/payment-anomalies';
import { logger } from '../../shared/logger';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { findUserById } from '../../shared/users';
import { platforms, type ApiResult, type Platform } from '../helpers/events';
import { callbackCall, ledgerEntries, openPayPage, orderState, sandboxPay, signedNotification, type SignedNotification } from '../helpers/payments';
import { createUser } from '../helpers/users';

afterEach(async () => {
  vi.restoreAllMocks();
  expect(await checkLedgerInvariants()).toEqual([]);
});

/** A user with a pending Alipay order whose payUrl was opened (so Alipay knows the trade). */
async function alipayOrder(platform: Platform) {
  const { user, token } = await createUser();
  const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body: { channel: 'alipay' }, token });
  const orderId = String(result.json.data?.orderId);
  const page = await openPayPage(String((result.json.data?.payParams as { payUrl: string }).payUrl));
  if (page.status !== 200) throw new Error(`the sandbox refused the payUrl: ${page.html}`);
  return { user, orderId };
}

async function expectCreditedOnce(userId: string, orderId: string): Promise<void> {
  expect((await findUserById(userId))?.quota_balance).toBe(100);
  expect(await ledgerEntries(userId)).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
  expect((await orderState(orderId))?.status).toBe('paid');
}

async function expectNothingChanged(userId: string, orderId: string): Promise<void> {
  expect((await findUserById(userId))?.quota_balance).toBe(0);
  expect(await ledgerEntries(userId)).toEqual([]);
  expect((await orderState(orderId))?.status).toBe('pending');
}

function expectReply(result: ApiResult, body: 'success' | 'fail'): void {
  expect(result.text).toBe(body);
  expect(result.status).toBe(body === 'success' ? 200 : 400);
  expect(result.headers['content-type']).toMatch(/^text\/plain/);
}

/** Replaces one form field's encoded value in a signed body (an edit after signing). */
function editField(notification: SignedNotification, name: string, value: string): SignedNotification {
  const pattern = new RegExp(`(^|&)${name}=[^&]*`);
  if (!pattern.test(notification.body)) throw new Error(`no ${name} in the notification`);
  return { ...notification, body: notification.body.replace(pattern, `$1${name}=${encodeURIComponent(value)}`) };
}

describe.each(platforms)('Alipay notifications on $name', (platform) => {
  const deliver = (notification: Pick<SignedNotification, 'headers' | 'body'>) => platform.call(paymentCallback, callbackCall(notification));
  const notify = async (orderId: string, params?: Record<string, string>) => deliver(await signedNotification(orderId, params ? { params } : {}));

  it('a valid TRADE_SUCCESS notification: exactly `success`, credited once', async () => {
    // Arrange
    const { user, orderId } = await alipayOrder(platform);

    // Act
    const result = await notify(orderId);

    // Assert
    expectReply(result, 'success');
    await expectCreditedOnce(user.id, orderId);
    expect((await orderState(orderId))?.platform_trade_no).toMatch(/^\d{28}$/);
  });

  it('paid through the sandbox over HTTP: /_sandbox/pay answers the API’s `success`', async () => {
    const { user, orderId } = await alipayOrder(platform);
    const paid = await sandboxPay(orderId);
    expect([paid.status, paid.text]).toEqual([200, 'success']);
    await expectCreditedOnce(user.id, orderId);
  });

  it('a subject with %, + and Chinese verifies (decoded exactly once), percent-encoded or with + for spaces', async () => {
    // Arrange
    const { user, orderId } = await alipayOrder(platform);
    const subject = 'AI照片 会员 100% + 加量包 a+b=c';
    const notification = await signedNotification(orderId, { params: { subject, body: '50%off&more' } });
    const plusForSpaces = { ...notification, body: new URLSearchParams(Object.fromEntries(new URLSearchParams(notification.body))).toString() };

    // Act
    const encoded = await deliver(notification);
    const again = await deliver(plusForSpaces);

    // Assert
    expect(notification.body).toContain('subject=AI%E7%85%A7%E7%89%87%20%E4%BC%9A%E5%91%98%20100%25%20%2B%20');
    expect(plusForSpaces.body).toContain('subject=AI%E7%85%A7%E7%89%87+%E4%BC%9A%E5%91%98+100%25+%2B+');
    expectReply(encoded, 'success');
    expectReply(again, 'success');
    await expectCreditedOnce(user.id, orderId);
  });

  it('TRADE_FINISHED after TRADE_SUCCESS: both answered `success`, credited once', async () => {
    // Arrange
    const { user, orderId } = await alipayOrder(platform);

    // Act
    const succeeded = await notify(orderId, { trade_status: 'TRADE_SUCCESS' });
    const finished = await notify(orderId, { trade_status: 'TRADE_FINISHED' });

    // Assert
    expectReply(succeeded, 'success');
    expectReply(finished, 'success');
    await expectCreditedOnce(user.id, orderId);
  });

  it('TRADE_FINISHED alone counts as paid', async () => {
    const { user, orderId } = await alipayOrder(platform);
    expectReply(await notify(orderId, { trade_status: 'TRADE_FINISHED' }), 'success');
    await expectCreditedOnce(user.id, orderId);
  });

  it('the same notification 10 times in a row, then 10 at once: credited once', async () => {
    // Arrange
    const { user, orderId } = await alipayOrder(platform);
    const notification = await signedNotification(orderId);

    // Act
    const sequential: string[] = [];
    for (let i = 0; i < 10; i += 1) sequential.push((await deliver(notification)).text);
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => deliver(notification)));

    // Assert
    expect(sequential).toEqual(Array.from({ length: 10 }, () => 'success'));
    expect(concurrent.map((result) => result.text)).toEqual(Array.from({ length: 10 }, () => 'success'));
    await expectCreditedOnce(user.id, orderId);
  });

  it('10 concurrent first deliveries credit once', async () => {
    const { user, orderId } = await alipayOrder(platform);
    const notification = await signedNotification(orderId);
    const results = await Promise.all(Array.from({ length: 10 }, () => deliver(notification)));
    expect(results.map((result) => result.text)).toEqual(Array.from({ length: 10 }, () => 'success'));
    await expectCreditedOnce(user.id, orderId);
  });

  it('an amount edited after signing → `fail`, nothing credited, a security event', async () => {
    // Arrange
    const { user, orderId } = await alipayOrder(platform);
    const tampered = editField(await signedNotification(orderId), 'total_amount', '0.01');
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const result = await deliver(tampered);

    // Assert
    expectReply(result, 'fail');
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ channel: 'alipay', reason: 'bad signature' }));
    await expectNothingChanged(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([]);
  });

  it.each([
    ['a wrong amount', { total_amount: '0.01' }, 'amount mismatch', { reported_amount_fen: 1 }],
    ['an amount that is not a yuan figure', { total_amount: '99.000' }, 'amount mismatch', { reported_amount_fen: null }],
    ['a wrong app_id', { app_id: '2021009999999999' }, 'app id mismatch', { reported_amount_fen: 9900, reported_app_id: '2021009999999999', reported_merchant_id: SANDBOX_ALIPAY_SELLER_ID }],
    ['a foreign seller_id', { seller_id: '2088999999999999' }, 'merchant id mismatch', { reported_amount_fen: 9900, reported_app_id: SANDBOX_ALIPAY_APP_ID, reported_merchant_id: '2088999999999999' }],
  ])('%s (genuinely signed) → acknowledged (`success`), nothing credited, a security event, one payment anomaly', async (_label, params, reason, reported) => {
    // Arrange
    const { user, orderId } = await alipayOrder(platform);
    const warn = vi.spyOn(logger, 'warn');
    const error = vi.spyOn(logger, 'error');

    // Act
    const result = await notify(orderId, params);

    // Assert: Alipay stops re-sending; a person is told
    expectReply(result, 'success');
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ orderId, channel: 'alipay', source: 'notification', reason }));
    expect(error).toHaveBeenCalledWith('payment anomaly', expect.objectContaining({ orderId, channel: 'alipay', source: 'notification', reason }));
    await expectNothingChanged(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([
      expect.objectContaining({
        channel: 'alipay',
        order_id: orderId,
        out_trade_no: orderId,
        platform_trade_no: expect.stringMatching(/^\d{28}$/),
        reason,
        source: 'notification',
        platform_state: 'TRADE_SUCCESS',
        reported_currency: null,
        occurrences: 1,
        ...reported,
      }),
    ]);
  });

  it('a wrong-amount notification delivered 3 times: `success` each time, one anomaly (3 occurrences), one ERROR line', async () => {
    // Arrange
    const { user, orderId } = await alipayOrder(platform);
    const notification = await signedNotification(orderId, { params: { total_amount: '0.01' } });
    const error = vi.spyOn(logger, 'error');

    // Act
    const replies: string[] = [];
    for (let i = 0; i < 3; i += 1) replies.push((await deliver(notification)).text);

    // Assert
    expect(replies).toEqual(['success', 'success', 'success']);
    await expectNothingChanged(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([expect.objectContaining({ reason: 'amount mismatch', source: 'notification', occurrences: 3 })]);
    expect(error.mock.calls.filter(([message]) => message === 'payment anomaly')).toHaveLength(1);
  });

  it('a notification for an order we do not have → `success`, recorded as an anomaly without an order', async () => {
    // Arrange
    const { orderId } = await alipayOrder(platform);
    const notification = await signedNotification(orderId);
    await execute('DELETE FROM orders WHERE id = ?', [orderId]);
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const result = await deliver(notification);

    // Assert
    expectReply(result, 'success');
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ orderId, channel: 'alipay', reason: 'unknown order' }));
    expect(await paymentAnomaliesOf(orderId)).toEqual([
      expect.objectContaining({ channel: 'alipay', order_id: null, out_trade_no: orderId, reason: 'unknown order', source: 'notification', reported_amount_fen: 9900, occurrences: 1 }),
    ]);
  });

  it('a notification naming a WeChat order (genuinely signed by Alipay) → `success`, that order untouched, one anomaly', async () => {
    // Arrange
    const { orderId: alipayOrderId } = await alipayOrder(platform);
    const { user, token } = await createUser();
    const bought = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body: { channel: 'wx', openid: sandboxOpenidForCode('alipay-callback-test') }, token });
    const wechatOrderId = String(bought.json.data?.orderId);

    // Act
    const result = await notify(alipayOrderId, { out_trade_no: wechatOrderId });

    // Assert
    expectReply(result, 'success');
    await expectNothingChanged(user.id, wechatOrderId);
    expect(await paymentAnomaliesOf(wechatOrderId)).toEqual([
      expect.objectContaining({ channel: 'alipay', order_id: wechatOrderId, reason: 'order belongs to the other platform', source: 'notification', occurrences: 1 }),
    ]);
  });

  it.each(['WAIT_BUYER_PAY', 'TRADE_CLOSED'])('%s is acknowledged with `success` and credits nothing', async (status) => {
    const { user, orderId } = await alipayOrder(platform);
    expectReply(await notify(orderId, { trade_status: status }), 'success');
    await expectNothingChanged(user.id, orderId);
  });

  it('a signature stripped of sign_type=RSA2 still verifies; another sign_type does not', async () => {
    const { orderId } = await alipayOrder(platform);
    const notification = await signedNotification(orderId);
    const otherType = { ...notification, body: notification.body.replace('sign_type=RSA2', 'sign_type=RSA') };
    expectReply(await deliver(otherType), 'fail');
    expectReply(await deliver({ ...notification, body: notification.body.replace('&sign_type=RSA2', '') }), 'success');
  });

  it.each([
    ['no sign', 'out_trade_no=order_x&trade_status=TRADE_SUCCESS&total_amount=99.00'],
    ['a repeated field', 'out_trade_no=a&out_trade_no=b&sign=c2ln'],
    ['a broken percent escape', 'subject=%ZZ%E4&sign=%%%'],
    ['binary junk', '\u0000\u0001\u00ff=&&=='],
  ])('%s → `fail`, never a 500', async (_label, body) => {
    expectReply(await deliver({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body }), 'fail');
  });
});
