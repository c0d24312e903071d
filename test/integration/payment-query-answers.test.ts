import { afterEach, describe, expect, it, vi } from 'vitest';
import * as purchase from '../../functions/membership/purchase';
import * as status from '../../functions/membership/status';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { paymentAnomaliesOf } from '../../shared/db/repositories/payment-anomalies';
import { logger } from '../../shared/logger';
import { reconcileOrder, reconcileOrdersPastValidity } from '../../shared/payments/reconcile';
import { paymentPorts } from '../../shared/wiring/payments';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { platforms } from '../helpers/events';
import { ageOrder, expireOrder, ledgerEntries, openPayPage, orderState, sandboxPay } from '../helpers/payments';
import { setFaults } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

/**
 * What the platforms ANSWER when asked about an order (reconciliation), as opposed to what they
 * notify: the sandbox answers forged, unsigned or replayed (stale) signatures, or genuinely signed
 * answers about another payment (amount, app, merchant, currency). None of it may credit anything.
 * Checked through reconcileOrder / the sweeper batch and through status polling.
 */
const [platform] = platforms;

const allFaultsOff = { notify: 'deliver', wxpay_signature: 'ok', wxpay_query: 'ok', alipay_signature: 'ok', alipay_query: 'ok' };

afterEach(async () => {
  vi.restoreAllMocks();
  await setFaults(allFaultsOff);
  expect(await checkLedgerInvariants()).toEqual([]);
});

const jsapi = { channel: 'wx', openid: sandboxOpenidForCode('query-answers') };
const alipay = { channel: 'alipay' };

async function buy(body: object) {
  if (!platform) throw new Error('no platform');
  const { user, token } = await createUser();
  const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });
  const payUrl = (result.json.data?.payParams as { payUrl?: string }).payUrl;
  if (payUrl) await openPayPage(payUrl);
  return { user, token, orderId: String(result.json.data?.orderId) };
}

/** Paid at the platform, but the notification never came: only a query can tell us. */
async function paidWithoutNotification(body: object) {
  const bought = await buy(body);
  await setFaults({ notify: 'drop' });
  await sandboxPay(bought.orderId);
  return bought;
}

async function expectNothingCredited(userId: string, orderId: string, orderStatus = 'pending'): Promise<void> {
  expect(await ledgerEntries(userId)).toEqual([]);
  expect((await orderState(orderId))?.status).toBe(orderStatus);
}

function statusOf(token: string) {
  if (!platform) throw new Error('no platform');
  return platform.call(status, { method: 'GET', path: '/membership/status', token });
}

describe('platform answers that fail verification', () => {
  it.each([
    ['wx', { wxpay_signature: 'forged' }, jsapi],
    ['wx', { wxpay_signature: 'unsigned' }, jsapi],
    ['wx', { wxpay_signature: 'stale' }, jsapi],
    ['alipay', { alipay_signature: 'forged' }, alipay],
    ['alipay', { alipay_signature: 'unsigned' }, alipay],
  ])('%s paid, answer %o: reconcileOrder throws, nothing credited, a security event; the genuine answer credits later', async (channel, fault, body) => {
    // Arrange
    const { user, orderId } = await paidWithoutNotification(body);
    await setFaults(fault);
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const forged = reconcileOrder(orderId, paymentPorts);

    // Assert
    await expect(forged).rejects.toThrow(/verification/);
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ orderId, channel, source: 'query', reason: 'answer failed verification' }));
    await expectNothingCredited(user.id, orderId);
    expect(await paymentAnomaliesOf(orderId)).toEqual([]);
    await setFaults(allFaultsOff);
    expect(await reconcileOrder(orderId, paymentPorts)).toBe('credited');
  });

  it.each([
    ['wx', { wxpay_signature: 'forged' }, jsapi],
    ['alipay', { alipay_signature: 'unsigned' }, alipay],
  ])('%s paid, answer %o, client polling the status: not a member, order still pending', async (_channel, fault, body) => {
    // Arrange
    const { user, token, orderId } = await paidWithoutNotification(body);
    await ageOrder(orderId, 60);
    await setFaults(fault);

    // Act
    const result = await statusOf(token);

    // Assert
    expect(result.status).toBe(200);
    expect(result.json.data).toMatchObject({ isMember: false, quota_remaining: 0 });
    expect((await orderState(orderId))?.last_queried_at).not.toBeNull();
    await expectNothingCredited(user.id, orderId);
  });

  it('the sweeper batch over replayed (stale) answers: reports the outage, every order stays pending', async () => {
    // Arrange
    const paid = await paidWithoutNotification(jsapi);
    const unpaid = await buy(jsapi);
    await expireOrder(paid.orderId);
    await expireOrder(unpaid.orderId);
    await setFaults({ wxpay_signature: 'stale' });

    // Act
    const batch = reconcileOrdersPastValidity(1000, paymentPorts);

    // Assert
    await expect(batch).rejects.toThrow(/could not be asked/);
    await expectNothingCredited(paid.user.id, paid.orderId);
    await expectNothingCredited(unpaid.user.id, unpaid.orderId);
  });
});

describe('genuinely signed answers about another payment', () => {
  it.each([
    ['wx', { wxpay_query: 'wrong-amount' }, jsapi, 'amount mismatch'],
    ['wx', { wxpay_query: 'wrong-appid' }, jsapi, 'app id mismatch'],
    ['wx', { wxpay_query: 'wrong-mchid' }, jsapi, 'merchant id mismatch'],
    ['wx', { wxpay_query: 'wrong-currency' }, jsapi, 'currency mismatch'],
    ['alipay', { alipay_query: 'wrong-amount' }, alipay, 'amount mismatch'],
  ])('%s paid, answer %o: mismatch, nothing credited, a security event, the order failed and recorded as an anomaly for a person to look at', async (channel, fault, body, reason) => {
    // Arrange
    const { user, orderId } = await paidWithoutNotification(body);
    await setFaults(fault);
    const warn = vi.spyOn(logger, 'warn');
    const error = vi.spyOn(logger, 'error');

    // Act
    const outcome = await reconcileOrder(orderId, paymentPorts);

    // Assert
    expect(outcome).toBe('mismatch');
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ orderId, channel, source: 'query', reason }));
    expect(error).toHaveBeenCalledWith('payment anomaly', expect.objectContaining({ orderId, channel, source: 'query', reason }));
    await expectNothingCredited(user.id, orderId, 'failed');
    expect((await orderState(orderId))?.failure_reason).toBe('platform mismatch');
    expect(await paymentAnomaliesOf(orderId)).toEqual([expect.objectContaining({ channel, order_id: orderId, reason, source: 'query', occurrences: 1 })]);
  });

  it('wx wrong amount while the client polls the status: not a member, nothing credited', async () => {
    // Arrange
    const { user, token, orderId } = await paidWithoutNotification(jsapi);
    await ageOrder(orderId, 60);
    await setFaults({ wxpay_query: 'wrong-amount' });

    // Act
    const result = await statusOf(token);

    // Assert
    expect(result.json.data).toMatchObject({ isMember: false, quota_remaining: 0 });
    await expectNothingCredited(user.id, orderId, 'failed');
    expect(await paymentAnomaliesOf(orderId)).toEqual([expect.objectContaining({ reason: 'amount mismatch', source: 'query', reported_amount_fen: 1 })]);
  });
});

describe('WeChat "order not found"', () => {
  it('signed ORDER_NOT_EXIST for an unpaid order past its validity → failed (nothing to close)', async () => {
    // Arrange
    const { user, orderId } = await buy(jsapi);
    await expireOrder(orderId);
    await setFaults({ wxpay_query: 'not-found' });

    // Act
    const outcome = await reconcileOrder(orderId, paymentPorts);

    // Assert
    expect(outcome).toBe('failed');
    await expectNothingCredited(user.id, orderId, 'failed');
  });

  it.each(['forged', 'unsigned', 'stale'])('a %s ORDER_NOT_EXIST → throws, the order stays pending, a security event', async (signature) => {
    // Arrange
    const { user, orderId } = await buy(jsapi);
    await expireOrder(orderId);
    await setFaults({ wxpay_query: 'not-found', wxpay_signature: signature });
    const warn = vi.spyOn(logger, 'warn');

    // Act
    const outcome = reconcileOrder(orderId, paymentPorts);

    // Assert
    await expect(outcome).rejects.toThrow(/verification/);
    expect(warn).toHaveBeenCalledWith('payment security event', expect.objectContaining({ orderId, channel: 'wx', source: 'query', httpStatus: 404 }));
    await expectNothingCredited(user.id, orderId);
  });

  it('a signed 404 with another code (a path nobody serves) is not "order not found": throws, pending', async () => {
    // Arrange
    const { user, orderId } = await buy(jsapi);
    await expireOrder(orderId);
    await setFaults({ wxpay_query: 'no-route' });

    // Act
    const outcome = reconcileOrder(orderId, paymentPorts);

    // Assert
    await expect(outcome).rejects.toThrow(/NOT_FOUND/);
    await expectNothingCredited(user.id, orderId);
  });
});
