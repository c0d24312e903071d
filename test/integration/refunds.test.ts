import type { Context, ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import awsScheduleFixture from '../fixtures/aws-schedule/event.json';
import * as orderRefund from '../../functions/admin/order-refund';
import * as paymentCallback from '../../functions/membership/payment-callback';
import * as memberOrders from '../../functions/membership/orders';
import * as purchase from '../../functions/membership/purchase';
import * as transactions from '../../functions/quota/transactions';
import * as sweeper from '../../functions/ops/sweeper';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { issueToken } from '../../shared/auth/jwt';
import { execute, select } from '../../shared/db/pool';
import { reconcileRefunds } from '../../shared/payments/refunds';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { paymentPorts } from '../../shared/wiring/payments';
import { findUserById } from '../../shared/users';
import { platforms, type Platform } from '../helpers/events';
import {
  ageRefundRequest,
  callbackCall,
  completeSandboxRefunds,
  insertOrder,
  ledgerEntries,
  openPayPage,
  orderState,
  sandboxPay,
  sandboxRefunds,
  signedRefundNotification,
} from '../helpers/payments';
import { setFaults } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

/**
 * POST /admin/orders/{orderId}/refund end to end: orders bought and paid through the sandbox
 * platforms (signed requests, answers and notifications), refunds made by the real adapters against
 * the sandbox's refund APIs, settled in the database; the sweeper's reconcileRefunds for refunds the
 * platform has not confirmed. docs/payments.md "Refunds".
 */
type Channel = 'wx' | 'alipay';
const channels: Channel[] = ['wx', 'alipay'];
const dayMs = 86_400_000;

afterEach(async () => {
  await setFaults({ notify: 'deliver', wxpay_refund: 'ok', alipay_refund: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

async function makeAdmin(): Promise<string> {
  const { user } = await createUser();
  await execute("UPDATE users SET role = 'admin', token_version = token_version + 1 WHERE id = ?", [user.id]);
  const admin = await findUserById(user.id);
  if (!admin) throw new Error('admin vanished');
  return issueToken({ userId: admin.id, tokenVersion: admin.token_version, role: 'admin' });
}

/** A user who bought one membership on `channel` and paid it at the sandbox platform (credited by its notification). */
async function paidOrder(platform: Platform, channel: Channel, buyer?: { id: string; token: string }): Promise<{ userId: string; token: string; orderId: string }> {
  const { user, token } = buyer ? { user: { id: buyer.id }, token: buyer.token } : await createUser();
  const body = channel === 'wx' ? { channel, openid: sandboxOpenidForCode(`refund-${user.id}`) } : { channel };
  const bought = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });
  const orderId = String(bought.json.data?.orderId);
  const payUrl = (bought.json.data?.payParams as { payUrl?: string } | undefined)?.payUrl;
  if (payUrl) await openPayPage(payUrl);
  const paid = await sandboxPay(orderId);
  if (paid.status >= 300 || (await orderState(orderId))?.status !== 'paid') throw new Error(`order ${orderId} was not credited: ${paid.status} ${paid.text}`);
  return { userId: user.id, token, orderId };
}

function refund(platform: Platform, adminToken: string, orderId: string, reason = '用户申请退款') {
  return platform.call(orderRefund, { method: 'POST', path: `/admin/orders/${orderId}/refund`, token: adminToken, body: { reason } });
}

async function membership(userId: string): Promise<{ balance: number; expiresAt: number }> {
  const [row] = await select<{ quota_balance: number; member_expires_at: Date }>('SELECT quota_balance, member_expires_at FROM users WHERE id = ?', [userId]);
  if (!row) throw new Error(`no user ${userId}`);
  return { balance: row.quota_balance, expiresAt: row.member_expires_at.getTime() };
}

/** Spends `units` of the user's quota as finished tasks would (a hold, then its confirm). */
async function spend(userId: string, units: number): Promise<void> {
  for (let i = 0; i < units; i += 1) {
    const reference = `task_spent_${userId}_${i}`;
    await execute("INSERT INTO quota_ledger (user_id, kind, reference, delta) VALUES (?, 'hold', ?, -1)", [userId, reference]);
    await execute("INSERT INTO quota_ledger (user_id, kind, reference, delta) VALUES (?, 'confirm', ?, 0)", [userId, reference]);
  }
}

const refundEntries = async (userId: string) => (await ledgerEntries(userId)).filter((entry) => entry.kind === 'refund');

describe('the ledger takes refund entries (migration 013, triggers of 009/010)', () => {
  it('refuses a refund entry that would take the balance below zero, and a positive one', async () => {
    // Arrange: a member with 100 quota from a paid order
    const { user } = await createUser({ quota: 100 });
    const post = (reference: string, delta: number) =>
      execute("INSERT INTO quota_ledger (user_id, kind, reference, delta) VALUES (?, 'refund', ?, ?)", [user.id, reference, delta]);

    // Act
    const belowZero = post('order_refund_probe_1', -101).then(() => 'posted', (error: { errno?: number; sqlState?: string }) => error.errno ?? error.sqlState);
    const positive = post('order_refund_probe_2', 5).then(() => 'posted', (error: { errno?: number; sqlState?: string }) => error.errno ?? error.sqlState);
    const outcomes = [await belowZero, await positive];
    const [after] = await select<{ quota_balance: number }>('SELECT quota_balance FROM users WHERE id = ?', [user.id]);

    // Assert: both refused by a CHECK constraint (MariaDB 4025, MySQL 3819), nothing posted
    expect(outcomes.map((outcome) => [4025, 3819].includes(outcome as number))).toEqual([true, true]);
    expect(after?.quota_balance).toBe(100);
  });
});

describe.each(platforms)('POST /admin/orders/{orderId}/refund on $name', (platform) => {
  describe.each(channels)('%s', (channel) => {
    it('refunds in full at the platform: order refunded, unused quota out, 30 days off, one ledger entry', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);
      const before = await membership(userId);

      // Act
      const result = await refund(platform, admin, orderId, '重复购买');

      // Assert
      expect(result.status).toBe(200);
      expect(result.json.data).toMatchObject({ orderId, userId, channel, status: 'refunded', amount: 9900, refundReason: '重复购买', refundNo: expect.stringMatching(/^refund_/) });
      expect(result.json.data?.refundedAt).toEqual(expect.any(String));
      expect(await sandboxRefunds(orderId)).toEqual([expect.objectContaining({ status: 'SUCCESS', refundFen: 9900, reason: '重复购买' })]);
      expect(await ledgerEntries(userId)).toEqual([
        { kind: 'grant', reference: orderId, delta: 100 },
        { kind: 'refund', reference: orderId, delta: -100 },
      ]);
      const after = await membership(userId);
      expect(after.balance).toBe(0);
      expect(before.expiresAt - after.expiresAt).toBe(30 * dayMs);
      expect((await orderState(orderId))?.status).toBe('refunded');
    });

    it('the buyer sees the order refunded in /membership/orders and the refund in /quota/transactions', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { token, orderId } = await paidOrder(platform, channel);
      await refund(platform, admin, orderId);

      // Act
      const orders = await platform.call(memberOrders, { method: 'GET', path: '/membership/orders', token });
      const history = await platform.call(transactions, { method: 'GET', path: '/quota/transactions', token });

      // Assert
      const [order] = orders.json.data?.items as { orderId: string; status: string; refundedAt: string | null }[];
      expect(order).toMatchObject({ orderId, status: 'refunded', refundedAt: expect.any(String) });
      const items = history.json.data?.items as { kind: string; delta: number; balanceAfter: number; reference: string; note: string }[];
      // The refund took the only 30 days, so the membership has lapsed and its (empty) expiry is recorded too.
      expect(items.map(({ kind, delta, balanceAfter, reference, note }) => ({ kind, delta, balanceAfter, reference, note }))).toEqual([
        { kind: 'expire', delta: 0, balanceAfter: 0, reference: expect.any(String), note: '会员到期清零' },
        { kind: 'refund', delta: -100, balanceAfter: 0, reference: orderId, note: '退款扣回' },
        { kind: 'grant', delta: 100, balanceAfter: 100, reference: orderId, note: '购买会员 +100' },
      ]);
    });

    it('20 parallel requests refund once at the platform and once in the ledger', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);

      // Act
      const results = await Promise.all(Array.from({ length: 20 }, () => refund(platform, admin, orderId)));

      // Assert
      expect(results.map((result) => result.status)).toEqual(Array.from({ length: 20 }, () => 200));
      expect(new Set(results.map((result) => result.json.data?.status))).toEqual(new Set(['refunded']));
      expect(await sandboxRefunds(orderId)).toHaveLength(1);
      expect(await refundEntries(userId)).toEqual([{ kind: 'refund', reference: orderId, delta: -100 }]);
    });

    it('a refunded order asked again answers as it is, and the platform is not asked', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);
      await refund(platform, admin, orderId);
      await setFaults({ wxpay_refund: 'unreachable', alipay_refund: 'unreachable' });

      // Act
      const again = await refund(platform, admin, orderId, '另一个原因');

      // Assert
      expect(again.status).toBe(200);
      expect(again.json.data).toMatchObject({ status: 'refunded', refundReason: '用户申请退款' });
      expect(await sandboxRefunds(orderId)).toHaveLength(1);
      expect(await refundEntries(userId)).toHaveLength(1);
    });

    it('partly spent quota: only what is left leaves the balance, never below zero', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);
      await spend(userId, 30);

      // Act
      const result = await refund(platform, admin, orderId);

      // Assert
      expect(result.json.data?.status).toBe('refunded');
      expect(await refundEntries(userId)).toEqual([{ kind: 'refund', reference: orderId, delta: -70 }]);
      expect((await membership(userId)).balance).toBe(0);
    });

    it('all quota spent: the refund entry takes nothing and the balance stays at zero', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);
      await spend(userId, 100);

      // Act
      const result = await refund(platform, admin, orderId);

      // Assert
      expect(result.json.data?.status).toBe('refunded');
      expect(await refundEntries(userId)).toEqual([{ kind: 'refund', reference: orderId, delta: 0 }]);
      expect((await membership(userId)).balance).toBe(0);
    });

    it('one of two orders refunded: that order’s quota and days go, the other’s stay', async () => {
      // Arrange
      const admin = await makeAdmin();
      const first = await paidOrder(platform, channel);
      const second = await paidOrder(platform, channel === 'wx' ? 'alipay' : 'wx', { id: first.userId, token: first.token });
      const before = await membership(first.userId);

      // Act
      const result = await refund(platform, admin, second.orderId);

      // Assert
      expect(result.json.data?.status).toBe('refunded');
      const after = await membership(first.userId);
      expect(after.balance).toBe(100);
      expect(before.expiresAt - after.expiresAt).toBe(30 * dayMs);
      expect(after.expiresAt).toBeGreaterThan(Date.now() + 29 * dayMs);
    });

    it('refund pending at the platform → refunding; the sweeper then finds it refunded', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);
      await setFaults({ [channel === 'wx' ? 'wxpay_refund' : 'alipay_refund']: 'pending', notify: 'drop' });
      const requested = await refund(platform, admin, orderId);
      await completeSandboxRefunds(orderId);
      await ageRefundRequest(orderId, 120);

      // Act
      const swept = await reconcileRefunds(100, paymentPorts);

      // Assert
      expect(requested.status).toBe(200);
      expect(requested.json.data).toMatchObject({ status: 'refunding', refundedAt: null, refundRequestedAt: expect.any(String) });
      // Other tests' refunds may be due too: this order's own outcome is what counts.
      expect(swept.refunded).toBeGreaterThanOrEqual(1);
      expect((await orderState(orderId))?.status).toBe('refunded');
      expect(await sandboxRefunds(orderId)).toHaveLength(1);
      expect(await refundEntries(userId)).toEqual([{ kind: 'refund', reference: orderId, delta: -100 }]);
    });

    it('the platform unreachable → 5004, the order stays refunding; the sweeper asks again and it is refunded once', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);
      await setFaults({ wxpay_refund: 'unreachable', alipay_refund: 'unreachable' });
      const requested = await refund(platform, admin, orderId);
      const refundsWhileDown = await sandboxRefunds(orderId);
      await setFaults({ wxpay_refund: 'ok', alipay_refund: 'ok' });
      await ageRefundRequest(orderId, 120);

      // Act
      const swept = await reconcileRefunds(100, paymentPorts);

      // Assert
      expect(requested.status).toBe(502);
      expect(requested.json.error?.code).toBe(5004);
      expect(refundsWhileDown).toEqual([]);
      expect(swept.refunded).toBeGreaterThanOrEqual(1);
      expect((await orderState(orderId))?.status).toBe('refunded');
      expect(await sandboxRefunds(orderId)).toHaveLength(1);
      expect(await refundEntries(userId)).toHaveLength(1);
    });

    it('the platform refuses → 5004 and the order is paid again; asking later refunds it', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, channel);
      await setFaults({ wxpay_refund: 'fail', alipay_refund: 'fail' });

      // Act
      const refused = await refund(platform, admin, orderId);
      const stateAfterRefusal = await orderState(orderId);
      await setFaults({ wxpay_refund: 'ok', alipay_refund: 'ok' });
      const retried = await refund(platform, admin, orderId);

      // Assert
      expect(refused.status).toBe(502);
      expect(refused.json.error).toMatchObject({ code: 5004, message: '退款失败,请稍后重试' });
      expect(stateAfterRefusal?.status).toBe('paid');
      expect(retried.json.data?.status).toBe('refunded');
      expect(await refundEntries(userId)).toHaveLength(1);
    });
  });

  describe('after the refund', () => {
    it('the sweeper function (timer) finishes a refund the platform confirmed later, once, with two runs at once', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, 'alipay');
      await setFaults({ alipay_refund: 'pending' });
      await refund(platform, admin, orderId);
      await completeSandboxRefunds(orderId);
      await ageRefundRequest(orderId, 120);
      const fire = (id: string) => sweeper.handler(structuredClone(awsScheduleFixture) as ScheduledEvent, { awsRequestId: id, getRemainingTimeInMillis: () => 50_000 } as Context);

      // Act
      await Promise.all([fire('refunds-a'), fire('refunds-b')]);

      // Assert
      expect((await orderState(orderId))?.status).toBe('refunded');
      expect(await sandboxRefunds(orderId)).toHaveLength(1);
      expect(await refundEntries(userId)).toEqual([{ kind: 'refund', reference: orderId, delta: -100 }]);
    });

    it('a payment notification delivered again after the refund neither pays the order again nor grants again', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, 'wx');
      await refund(platform, admin, orderId);

      // Act
      const redelivered = await sandboxPay(orderId);

      // Assert
      expect(redelivered.status).toBe(204);
      expect((await orderState(orderId))?.status).toBe('refunded');
      expect((await ledgerEntries(userId)).map((entry) => entry.kind)).toEqual(['grant', 'refund']);
    });
  });

  describe('WeChat refund notifications', () => {
    it('a pending refund is finished by its REFUND.SUCCESS notification alone', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, 'wx');
      await setFaults({ wxpay_refund: 'pending' });
      const requested = await refund(platform, admin, orderId);

      // Act
      const completed = await completeSandboxRefunds(orderId);

      // Assert
      expect(requested.json.data?.status).toBe('refunding');
      expect(completed.notified).toEqual([204]);
      expect((await orderState(orderId))?.status).toBe('refunded');
      expect(await refundEntries(userId)).toHaveLength(1);
    });

    it('the notification arriving after the synchronous answer changes nothing more', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, 'wx');
      await setFaults({ notify: 'drop' });
      const answered = await refund(platform, admin, orderId);
      const notification = await signedRefundNotification(orderId);

      // Act
      const first = await platform.call(paymentCallback, callbackCall(notification));
      const again = await platform.call(paymentCallback, callbackCall(notification));

      // Assert
      expect(answered.json.data?.status).toBe('refunded');
      expect([first.status, again.status]).toEqual([204, 204]);
      expect(await refundEntries(userId)).toEqual([{ kind: 'refund', reference: orderId, delta: -100 }]);
    });

    it('a refund notification with a bad signature is refused (401) and settles nothing', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, 'wx');
      await setFaults({ wxpay_refund: 'pending', notify: 'drop' });
      await refund(platform, admin, orderId);
      await completeSandboxRefunds(orderId);
      const genuine = await signedRefundNotification(orderId);
      const forged = { ...genuine, body: genuine.body.replace('"summary":"', '"summary":"x') };

      // Act
      const result = await platform.call(paymentCallback, callbackCall(forged));

      // Assert
      expect(result.status).toBe(401);
      expect(JSON.parse(result.text)).toMatchObject({ code: 'FAIL' });
      expect((await orderState(orderId))?.status).toBe('refunding');
      expect(await refundEntries(userId)).toEqual([]);
    });

    it('a genuine notification of another amount or refund number settles nothing', async () => {
      // Arrange
      const admin = await makeAdmin();
      const { userId, orderId } = await paidOrder(platform, 'wx');
      await setFaults({ wxpay_refund: 'pending', notify: 'drop' });
      await refund(platform, admin, orderId);
      await completeSandboxRefunds(orderId);
      const otherAmount = await signedRefundNotification(orderId, { amount: { total: 9900, refund: 1, payer_total: 9900, payer_refund: 1 } });
      const otherRefund = await signedRefundNotification(orderId, { out_refund_no: 'portal_refund_1' });

      // Act
      const results = [await platform.call(paymentCallback, callbackCall(otherAmount)), await platform.call(paymentCallback, callbackCall(otherRefund))];

      // Assert
      expect(results.map((result) => result.status)).toEqual([204, 204]);
      expect((await orderState(orderId))?.status).toBe('refunding');
      expect(await refundEntries(userId)).toEqual([]);
    });
  });

  describe('refusals', () => {
    it('a caller who is not an admin → 1006', async () => {
      // Arrange
      const { token, orderId } = await paidOrder(platform, 'alipay');

      // Act
      const result = await refund(platform, token, orderId);

      // Assert
      expect(result.status).toBe(403);
      expect(result.json.error?.code).toBe(1006);
      expect((await orderState(orderId))?.status).toBe('paid');
    });

    it('an unknown order → 5002', async () => {
      // Arrange
      const admin = await makeAdmin();

      // Act
      const result = await refund(platform, admin, 'order_000000000000000000000000');

      // Assert
      expect(result.status).toBe(404);
      expect(result.json.error).toMatchObject({ code: 5002, message: '订单不存在' });
    });

    it.each(['pending', 'failed'] as const)('a %s order → 5003 (409), the platform is not asked', async (status) => {
      // Arrange
      const admin = await makeAdmin();
      const { user } = await createUser();
      const orderId = await insertOrder(user.id, { quota: 100, days: 30, status });

      // Act
      const result = await refund(platform, admin, orderId);

      // Assert
      expect(result.status).toBe(409);
      expect(result.json.error).toMatchObject({ code: 5003, message: '订单状态不允许退款' });
      expect((await orderState(orderId))?.status).toBe(status);
    });

    it.each([
      ['no reason', {}],
      ['an empty reason', { reason: '   ' }],
      ['a reason over 80 characters', { reason: '退'.repeat(81) }],
    ])('%s → 1000', async (_label, body) => {
      // Arrange
      const admin = await makeAdmin();
      const { orderId } = await paidOrder(platform, 'alipay');

      // Act
      const result = await platform.call(orderRefund, { method: 'POST', path: `/admin/orders/${orderId}/refund`, token: admin, body });

      // Assert
      expect(result.status).toBe(400);
      expect(result.json.error?.code).toBe(1000);
      expect((await orderState(orderId))?.status).toBe('paid');
    });
  });
});
