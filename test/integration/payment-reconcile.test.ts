import { afterEach, describe, expect, it } from 'vitest';
import * as purchase from '../../functions/membership/purchase';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { findPendingOrdersPastValidity, reconcileOrder, reconcileOrdersPastValidity } from '../../shared/payments/reconcile';
import { paymentPorts } from '../../shared/wiring/payments';
import { platforms } from '../helpers/events';
import { expireOrder, ledgerEntries, openPayPage, orderState, sandboxPay, sandboxTrade } from '../helpers/payments';
import { setFaults } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

/**
 * reconcileOrder and friends, as the operations sweeper calls them: real database, the sandbox
 * platforms over HTTP. (The endpoint's platform does not matter here; one is enough to buy.)
 */
const [platform] = platforms;

afterEach(async () => {
  await setFaults({ notify: 'deliver', wxpay: 'ok', alipay: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

async function order(body: object, open = true) {
  if (!platform) throw new Error('no platform');
  const { user, token } = await createUser();
  const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });
  const payUrl = (result.json.data?.payParams as { payUrl?: string }).payUrl;
  if (payUrl && open) await openPayPage(payUrl);
  return { user, orderId: String(result.json.data?.orderId), payUrl: payUrl ?? '' };
}

describe('payment reconciliation', () => {
  it.each([
    ['wx', { channel: 'wx', openid: sandboxOpenidForCode('reconcile') }],
    ['alipay', { channel: 'alipay' }],
  ])('%s: paid at the platform without a notification → credited; asking again changes nothing', async (_label, body) => {
    // Arrange
    const { user, orderId } = await order(body);
    await setFaults({ notify: 'drop' });
    await sandboxPay(orderId);

    // Act
    const first = await reconcileOrder(orderId, paymentPorts);
    const second = await reconcileOrder(orderId, paymentPorts);

    // Assert
    expect([first, second]).toEqual(['credited', 'already-paid']);
    expect(await ledgerEntries(user.id)).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
  });

  it('unpaid and still payable → pending, nothing changes', async () => {
    const { orderId } = await order({ channel: 'wx' });
    expect(await reconcileOrder(orderId, paymentPorts)).toBe('pending');
    expect((await orderState(orderId))?.status).toBe('pending');
  });

  it('wx unpaid past its validity: listed for the sweeper, closed at WeChat, marked failed', async () => {
    // Arrange
    const { orderId } = await order({ channel: 'wx' });
    await expireOrder(orderId);

    // Act
    const listed = await findPendingOrdersPastValidity();
    const outcome = await reconcileOrder(orderId, paymentPorts);

    // Assert
    expect(listed.map((ref) => ref.orderId)).toContain(orderId);
    expect(listed.find((ref) => ref.orderId === orderId)).toMatchObject({ channel: 'wx', expiresAt: expect.any(Date) });
    expect(outcome).toBe('failed');
    expect(await sandboxTrade(orderId)).toMatchObject({ trade_state: 'CLOSED' });
    expect(await orderState(orderId)).toMatchObject({ status: 'failed', failure_reason: 'expired unpaid' });
    expect((await findPendingOrdersPastValidity()).map((ref) => ref.orderId)).not.toContain(orderId);
  });

  it('alipay opened but unpaid past its validity: closed at Alipay, marked failed', async () => {
    const { orderId } = await order({ channel: 'alipay' });
    await expireOrder(orderId);
    expect(await reconcileOrder(orderId, paymentPorts)).toBe('failed');
    expect(await sandboxTrade(orderId)).toMatchObject({ trade_status: 'TRADE_CLOSED' });
  });

  it('alipay never opened past its validity (Alipay never heard of it): marked failed', async () => {
    const { orderId } = await order({ channel: 'alipay' }, false);
    await expireOrder(orderId);
    expect(await reconcileOrder(orderId, paymentPorts)).toBe('failed');
    expect((await orderState(orderId))?.status).toBe('failed');
  });

  it('paid at the platform but past its validity in our books → credited, not failed', async () => {
    const { user, orderId } = await order({ channel: 'wx' });
    await setFaults({ notify: 'drop' });
    await sandboxPay(orderId);
    await expireOrder(orderId);
    expect(await reconcileOrder(orderId, paymentPorts)).toBe('credited');
    expect((await ledgerEntries(user.id)).map((entry) => entry.kind)).toEqual(['grant']);
  });

  it('a payment that arrives after the order was given up is still credited (failed → paid)', async () => {
    // Arrange: never opened, expired and failed; then the buyer opens the page after all and pays
    const { user, orderId, payUrl } = await order({ channel: 'alipay' }, false);
    await expireOrder(orderId);
    const givenUp = await reconcileOrder(orderId, paymentPorts);
    await openPayPage(payUrl);

    // Act
    const paid = await sandboxPay(orderId);

    // Assert
    expect(givenUp).toBe('failed');
    expect(paid.text).toBe('success');
    expect((await orderState(orderId))?.status).toBe('paid');
    expect(await ledgerEntries(user.id)).toEqual([{ kind: 'grant', reference: orderId, delta: 100 }]);
  });

  it('the sweeper batch settles what is due and reports the counts', async () => {
    // Arrange
    const paidOne = await order({ channel: 'wx' });
    const unpaidOne = await order({ channel: 'wx' });
    await setFaults({ notify: 'drop' });
    await sandboxPay(paidOne.orderId);
    await expireOrder(paidOne.orderId);
    await expireOrder(unpaidOne.orderId);

    // Act
    const result = await reconcileOrdersPastValidity(1000, paymentPorts);
    const again = await reconcileOrdersPastValidity(1000, paymentPorts);

    // Assert
    expect(result.credited).toBeGreaterThanOrEqual(1);
    expect(result.failed).toBeGreaterThanOrEqual(1);
    expect(result.done).toBe(true);
    expect((await orderState(paidOne.orderId))?.status).toBe('paid');
    expect((await orderState(unpaidOne.orderId))?.status).toBe('failed');
    expect(again).toMatchObject({ credited: 0, errors: 0 });
  });

  it('a platform that cannot be asked: reconcileOrder throws and nothing changes', async () => {
    const { orderId } = await order({ channel: 'alipay' });
    await expireOrder(orderId);
    await setFaults({ alipay: 'fail' });
    await expect(reconcileOrder(orderId, paymentPorts)).rejects.toThrow(/Alipay/);
    expect((await orderState(orderId))?.status).toBe('pending');
  });

  it('an unknown order id → unknown-order', async () => {
    expect(await reconcileOrder('order_000000000000000000000000', paymentPorts)).toBe('unknown-order');
  });
});
