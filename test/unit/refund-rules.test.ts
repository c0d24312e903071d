import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_WECHAT_APIV3_KEY,
  SANDBOX_WECHAT_APP_ID,
  SANDBOX_WECHAT_MCH_ID,
  SANDBOX_WECHAT_MCH_SERIAL_NO,
  SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY,
  SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY,
  SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID,
} from '../../infra/sandbox/payment-keys';
import type { PlatformRefund } from '../../infra/sandbox/payment-platforms';
import { wechatRefundNotification } from '../../infra/sandbox/wechat-pay';
import type { OrderRow } from '../../shared/db/repositories/orders';
import { refundBody, refundMismatches, refundNoOf } from '../../shared/payments/refunds';
import type { PlatformRefundReport } from '../../shared/vendors/payment-types';
import { createWechatPay, wechatRefundReport } from '../../shared/vendors/wechat-pay';
import { fakePaymentPorts } from '../helpers/fake-ports';

/**
 * The refund rules' branches that decide without the database: the refund number, the reason's
 * bounds, how WeChat's refund states map, which reports may settle an order, and reading WeChat's
 * signed, encrypted REFUND.* notifications. Settling runs against the real database and the
 * sandbox's refund APIs in test/integration/refunds.test.ts.
 */
const order = (overrides: Partial<OrderRow> = {}): OrderRow => ({
  id: 'order_0123456789abcdef01234567',
  user_id: 'u00000000001',
  channel: 'wx',
  pay_method: 'jsapi',
  status: 'refunding',
  amount_fen: 9900,
  membership_days: 30,
  quota: 100,
  subject: 'membership',
  openid: null,
  payer_ip: null,
  pay_params: null,
  pay_params_expire_at: null,
  expires_at: new Date(),
  platform_trade_no: '4200000000000000000000000001',
  paid_at: new Date(),
  failed_at: null,
  failure_reason: null,
  refund_no: 'refund_0123456789abcdef01234567',
  refund_reason: '重复购买',
  refund_requested_at: new Date(),
  refunded_at: null,
  last_queried_at: null,
  created_at: new Date(),
  ...overrides,
});

const report = (overrides: Partial<PlatformRefundReport> = {}): PlatformRefundReport => ({
  channel: 'wx',
  outTradeNo: 'order_0123456789abcdef01234567',
  outRefundNo: 'refund_0123456789abcdef01234567',
  state: 'succeeded',
  platformState: 'SUCCESS',
  platformRefundNo: '50300000000000000000000000001',
  refundFen: 9900,
  merchantId: 'mch-1',
  ...overrides,
});

describe('the refund number', () => {
  it('is one per order, derived from its id, inside both platforms’ 64 characters', () => {
    // Act
    const refundNo = refundNoOf('order_0123456789abcdef01234567');

    // Assert
    expect(refundNo).toBe('refund_0123456789abcdef01234567');
    expect(refundNoOf('order_0123456789abcdef01234567')).toBe(refundNo);
    expect(refundNo.length).toBeLessThanOrEqual(64);
  });
});

describe('the reason', () => {
  it.each([
    ['1 character', '退', true],
    ['80 characters', '退'.repeat(80), true],
    ['81 characters', '退'.repeat(81), false],
    ['only spaces', '   ', false],
  ])('%s → accepted: %s', (_label, reason, accepted) => {
    // Act
    const result = refundBody.safeParse({ reason });

    // Assert
    expect(result.success).toBe(accepted);
  });
});

describe('WeChat refund states', () => {
  it.each([
    ['SUCCESS', 'succeeded'],
    ['PROCESSING', 'processing'],
    ['CLOSED', 'failed'],
    ['ABNORMAL', 'failed'],
  ])('%s → %s', (status, state) => {
    // Act
    const mapped = wechatRefundReport({ out_trade_no: 'o', out_refund_no: 'r', status });

    // Assert
    expect(mapped.state).toBe(state);
  });
});

describe('which refund reports may settle an order', () => {
  it.each([
    ['the order’s own refund', report(), {}, []],
    ['another refund number (one made in the merchant portal)', report({ outRefundNo: 'portal_1' }), {}, ['refund number']],
    ['an order never asked to refund', report(), { status: 'paid' as const, refund_no: null }, ['refund number']],
    ['another amount', report({ refundFen: 1 }), {}, ['amount']],
    ['another merchant', report({ merchantId: '1900000999' }), {}, ['merchant id']],
    ['the other platform', report({ channel: 'alipay', merchantId: null }), {}, ['channel']],
    ['no amount named (a refusal)', report({ state: 'failed', refundFen: null }), {}, []],
  ])('%s → %j', (_label, given, orderOverrides, expected) => {
    // Act
    const reasons = refundMismatches(order(orderOverrides), given, fakePaymentPorts());

    // Assert
    expect(reasons).toEqual(expected);
  });
});

describe('WeChat refund notifications', () => {
  const wechatPay = createWechatPay({
    baseUrl: 'https://wechat.invalid',
    appId: SANDBOX_WECHAT_APP_ID,
    mchId: SANDBOX_WECHAT_MCH_ID,
    serialNo: SANDBOX_WECHAT_MCH_SERIAL_NO,
    privateKey: createPrivateKey(SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY),
    apiV3Key: SANDBOX_WECHAT_APIV3_KEY,
    publicKeys: new Map([[SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID, createPublicKey(SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY)]]),
    notifyUrl: 'https://api.invalid/membership/payment-callback',
    returnUrl: undefined,
  });
  const refund = (status: PlatformRefund['status']): PlatformRefund => ({
    channel: 'wx',
    outTradeNo: 'order_0123456789abcdef01234567',
    outRefundNo: 'refund_0123456789abcdef01234567',
    refundId: '50300000000000000000000000001',
    refundFen: 9900,
    totalFen: 9900,
    reason: '重复购买',
    notifyUrl: 'https://api.invalid/membership/payment-callback',
    status,
    createdAt: new Date(),
    successTime: new Date(),
    eventId: null,
  });

  it.each([
    ['SUCCESS', 'succeeded'],
    ['CLOSED', 'failed'],
    ['ABNORMAL', 'failed'],
  ] as const)('REFUND.%s is verified, decrypted and read as a %s refund report', (status, state) => {
    // Arrange
    const notification = wechatRefundNotification(refund(status), 'https://api.invalid/');

    // Act
    const reading = wechatPay.readNotification(notification.headers, Buffer.from(notification.body));

    // Assert
    expect(reading).toMatchObject({
      kind: 'refund',
      refund: { channel: 'wx', outTradeNo: 'order_0123456789abcdef01234567', outRefundNo: 'refund_0123456789abcdef01234567', state, refundFen: 9900, merchantId: SANDBOX_WECHAT_MCH_ID },
    });
  });

  it('an altered refund notification is rejected before it is decrypted', () => {
    // Arrange
    const notification = wechatRefundNotification(refund('SUCCESS'), 'https://api.invalid/');

    // Act
    const reading = wechatPay.readNotification(notification.headers, Buffer.from(notification.body.replace('退款成功', '退款失败')));

    // Assert
    expect(reading).toEqual({ kind: 'rejected', reason: 'bad-signature' });
  });
});
