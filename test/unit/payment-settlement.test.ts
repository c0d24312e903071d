import { describe, expect, it } from 'vitest';
import { handlePaymentNotification, platformOf } from '../../shared/payments/notifications';
import type { PaymentPorts } from '../../shared/payments/ports';
import { mismatchesOf } from '../../shared/payments/settlement';
import type { Alipay } from '../../shared/vendors/alipay';
import type { PlatformReport } from '../../shared/vendors/payment-types';
import type { NotificationReading, WechatPay } from '../../shared/vendors/wechat-pay';

/**
 * The payment rules' branches that decide without the database, over in-memory platform ports:
 * which reply each notification reading gets, and every way a platform report can disagree with its
 * order. Crediting itself runs against the real database and the sandbox's signed notifications in
 * test/integration/payment-callback-*.test.ts.
 */
type AlipayReading = ReturnType<Alipay['readNotification']>;

function fakePorts(readings: { wechat?: NotificationReading | Error; alipay?: AlipayReading } = {}): PaymentPorts {
  const unused = async (): Promise<never> => {
    throw new Error('not called in these tests');
  };
  const wechatPay: WechatPay = {
    appId: 'wx-app',
    mchId: 'mch-1',
    createJsapiOrder: unused,
    createH5Order: unused,
    queryOrder: unused,
    closeOrder: unused,
    refund: unused,
    queryRefund: unused,
    readNotification: () => {
      if (readings.wechat instanceof Error) throw readings.wechat;
      return readings.wechat ?? { kind: 'rejected', reason: 'malformed' };
    },
  };
  const alipay: Alipay = {
    appId: 'ali-app',
    sellerId: 'seller-1',
    wapPayUrl: () => 'https://alipay.invalid/',
    queryOrder: unused,
    closeOrder: unused,
    refund: unused,
    queryRefund: unused,
    readNotification: () => readings.alipay ?? { kind: 'rejected', reason: 'malformed' },
  };
  return { wechatPay, alipay, wechatOAuth: { openidForCode: unused } };
}

const wechatHeaders = { 'wechatpay-signature': 'x', 'content-type': 'application/json' };
const alipayHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

describe('which platform sent a notification', () => {
  it.each([
    ['WeChat signature headers', wechatHeaders, '{}', 'wx'],
    ['an Alipay signed form', alipayHeaders, 'a=1&sign=x', 'alipay'],
    ['a JSON body without headers', {}, '{"id":1}', 'wx'],
    ['a form body with a sign field', {}, 'out_trade_no=1&sign=x', 'alipay'],
    ['anything else', { 'content-type': 'text/plain' }, 'hello', undefined],
  ] as const)('%s → %s', (_label, headers, body, expected) => {
    // Act
    const platform = platformOf({ headers, body: Buffer.from(body) });

    // Assert
    expect(platform).toBe(expected);
  });
});

describe('WeChat Pay notification replies (nothing settled)', () => {
  it.each([
    ['a signature probe', { kind: 'rejected', reason: 'probe' } as const, 401],
    ['missing headers', { kind: 'rejected', reason: 'missing-headers' } as const, 400],
    ['an undecryptable resource', { kind: 'rejected', reason: 'undecryptable' } as const, 400],
    ['a bad signature', { kind: 'rejected', reason: 'bad-signature' } as const, 401],
    ['an event of another kind (acknowledged)', { kind: 'ignored', eventType: 'REFUND.SUCCESS', eventId: 'e1' } as const, 204],
  ])('%s → %i', async (_label, reading, status) => {
    // Arrange
    const ports = fakePorts({ wechat: reading as NotificationReading });

    // Act
    const reply = await handlePaymentNotification({ headers: wechatHeaders, body: Buffer.from('{}') }, ports);

    // Assert
    expect(reply.status).toBe(status);
  });

  it('answers 500 (WeChat re-sends) when reading throws, with no detail in the body', async () => {
    // Arrange
    const ports = fakePorts({ wechat: new Error('database is down') });

    // Act
    const reply = await handlePaymentNotification({ headers: wechatHeaders, body: Buffer.from('{}') }, ports);

    // Assert
    expect(reply.status).toBe(500);
    expect(reply.body).not.toContain('database');
  });

  it('answers 400 to a notification of no known platform', async () => {
    // Act
    const reply = await handlePaymentNotification({ headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello') }, fakePorts());

    // Assert
    expect(reply.status).toBe(400);
  });
});

describe('Alipay notification replies (nothing settled)', () => {
  it.each(['malformed', 'bad-signature'] as const)('%s → 400 "fail" (Alipay re-sends)', async (reason) => {
    // Arrange
    const ports = fakePorts({ alipay: { kind: 'rejected', reason } });

    // Act
    const reply = await handlePaymentNotification({ headers: alipayHeaders, body: Buffer.from('a=1&sign=x') }, ports);

    // Assert
    expect(reply).toMatchObject({ status: 400, body: 'fail' });
  });
});

describe('a paid report that disagrees with its order', () => {
  const order = { id: 'order_1', channel: 'wx', amount_fen: 9900 } as Parameters<typeof mismatchesOf>[0];
  const report: PlatformReport = { channel: 'wx', outTradeNo: 'order_1', state: 'paid', platformState: 'SUCCESS', platformTradeNo: 't1', amountFen: 9900, currency: 'CNY', appId: 'wx-app', merchantId: 'mch-1' };

  it.each([
    ['nothing (it matches)', {}, []],
    ['the amount', { amountFen: 1 }, ['amount']],
    ['the currency', { currency: 'USD' }, ['currency']],
    ['the app id', { appId: 'other-app' }, ['app id']],
    ['the merchant id', { merchantId: 'other-mch' }, ['merchant id']],
    ['the platform', { channel: 'alipay' as const, currency: null, appId: 'ali-app', merchantId: 'seller-1' }, ['channel']],
    ['amount and merchant together', { amountFen: 1, merchantId: 'x' }, ['amount', 'merchant id']],
  ])('names %s', (_label, change, expected) => {
    // Act
    const reasons = mismatchesOf(order, { ...report, ...change }, fakePorts());

    // Assert
    expect(reasons).toEqual(expected);
  });

  it('does not hold an absent app or merchant id against a report', () => {
    // Act
    const reasons = mismatchesOf(order, { ...report, appId: null, merchantId: null }, fakePorts());

    // Assert
    expect(reasons).toEqual([]);
  });
});
