import { createPublicKey, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as wechatOpenid from '../../functions/auth/wechat-openid';
import * as purchase from '../../functions/membership/purchase';
import { SANDBOX_WECHAT_APP_ID, SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY } from '../../infra/sandbox/payment-keys';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { select } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { platforms } from '../helpers/events';
import { openPayPage, orderState, sandboxTrade } from '../helpers/payments';
import { setFaults } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

const merchantPublicKey = createPublicKey(SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY);
const openid = sandboxOpenidForCode('purchase-test');

afterEach(async () => {
  await setFaults({ wxpay: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

interface OrderRowView {
  user_id: string;
  channel: string;
  pay_method: string;
  status: string;
  amount_fen: number;
  membership_days: number;
  quota: number;
  openid: string | null;
}

async function orderRow(orderId: string): Promise<OrderRowView | undefined> {
  const [row] = await select<OrderRowView>('SELECT user_id, channel, pay_method, status, amount_fen, membership_days, quota, openid FROM orders WHERE id = ?', [orderId]);
  return row;
}

describe.each(platforms)('POST /membership/purchase on $name', (platform) => {
  const buy = (token: string, body: object) => platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });

  it('alipay: a pending order and a signed wap payUrl the gateway opens', async () => {
    // Arrange
    const { user, token } = await createUser();

    // Act
    const result = await buy(token, { channel: 'alipay' });
    const orderId = String(result.json.data?.orderId);
    const payUrl = String((result.json.data?.payParams as { payUrl: string }).payUrl);
    const page = await openPayPage(payUrl);

    // Assert
    expect(result.status).toBe(200);
    expect(orderId).toMatch(/^order_[0-9a-f]{24}$/);
    expect(Object.keys(result.json.data?.payParams as object)).toEqual(['payUrl']);
    const url = new URL(payUrl);
    expect(`${url.origin}${url.pathname}`).toBe(process.env.ALIPAY_GATEWAY_URL);
    expect(url.searchParams.get('method')).toBe('alipay.trade.wap.pay');
    expect(url.searchParams.get('notify_url')).toBe(process.env.PAYMENT_NOTIFY_URL);
    expect(JSON.parse(url.searchParams.get('biz_content') ?? '{}')).toMatchObject({ out_trade_no: orderId, total_amount: '99.00', product_code: 'QUICK_WAP_WAY' });
    expect(page.status).toBe(200);
    expect(await sandboxTrade(orderId)).toMatchObject({ channel: 'alipay', trade_status: 'WAIT_BUYER_PAY', total_amount: '99.00' });
    expect(await orderRow(orderId)).toEqual({ user_id: user.id, channel: 'alipay', pay_method: 'wap', status: 'pending', amount_fen: 9900, membership_days: 30, quota: 100, openid: null });
  });

  it('wx with an openid: JSAPI params exactly as the contract, paySign made with the merchant key', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const result = await buy(token, { channel: 'wx', openid });
    const params = result.json.data?.payParams as Record<string, string>;
    const orderId = String(result.json.data?.orderId);

    // Assert
    expect(result.status).toBe(200);
    expect(Object.keys(params).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(params).toMatchObject({ appId: SANDBOX_WECHAT_APP_ID, signType: 'RSA' });
    expect(params.package).toMatch(/^prepay_id=wx\d{14}[0-9a-f]{20}$/);
    expect(params.timeStamp).toMatch(/^\d{10}$/);
    const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    expect(verify('sha256', Buffer.from(message), merchantPublicKey, Buffer.from(String(params.paySign), 'base64'))).toBe(true);
    expect(await sandboxTrade(orderId)).toMatchObject({ channel: 'wx', trade_type: 'JSAPI', trade_state: 'NOTPAY', payer: { openid }, amount: { total: 9900 } });
    expect(await orderRow(orderId)).toMatchObject({ channel: 'wx', pay_method: 'jsapi', openid });
  });

  it('wx without an openid: an h5Url that opens the cashier page', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const result = await buy(token, { channel: 'wx' });
    const h5Url = String((result.json.data?.payParams as { h5Url: string }).h5Url);
    const page = await openPayPage(h5Url);

    // Assert
    expect(result.status).toBe(200);
    expect(Object.keys(result.json.data?.payParams as object)).toEqual(['h5Url']);
    expect(h5Url).toMatch(/\/_sandbox\/wechat\/h5-pay\?prepay_id=wx/);
    expect(page.status).toBe(200);
    expect(page.html).toContain(String(result.json.data?.orderId));
    expect(await sandboxTrade(String(result.json.data?.orderId))).toMatchObject({ trade_type: 'MWEB', trade_state: 'NOTPAY' });
  });

  it.each([
    ['alipay', { channel: 'alipay' }],
    ['wx JSAPI', { channel: 'wx', openid }],
    ['wx H5', { channel: 'wx' }],
  ])('%s asked again while payable: the same order and parameters back', async (_label, body) => {
    // Arrange
    const { user, token } = await createUser();
    const first = await buy(token, body);

    // Act
    const second = await buy(token, body);

    // Assert
    expect(second.status).toBe(200);
    expect(second.json.data?.orderId).toBe(first.json.data?.orderId);
    expect(second.json.data?.payParams).toEqual(first.json.data?.payParams);
    const [count] = await select<{ n: number }>('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?', [user.id]);
    expect(Number(count?.n)).toBe(1);
  });

  it('keeps one order per kind: alipay, JSAPI and H5 orders of one user are distinct', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const ids = [await buy(token, { channel: 'alipay' }), await buy(token, { channel: 'wx', openid }), await buy(token, { channel: 'wx' })].map((result) => result.json.data?.orderId);

    // Assert
    expect(new Set(ids).size).toBe(3);
  });

  it('another user never gets someone else’s payable order', async () => {
    // Arrange
    const first = await createUser();
    const second = await createUser();
    const mine = await buy(first.token, { channel: 'alipay' });

    // Act
    const theirs = await buy(second.token, { channel: 'alipay' });

    // Assert
    expect(theirs.json.data?.orderId).not.toBe(mine.json.data?.orderId);
    expect((await orderRow(String(theirs.json.data?.orderId)))?.user_id).toBe(second.user.id);
  });

  it('five concurrent asks of one user make one order', async () => {
    // Arrange
    const { user, token } = await createUser();

    // Act
    const results = await Promise.all(Array.from({ length: 5 }, () => buy(token, { channel: 'wx', openid })));

    // Assert
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(results.map((result) => result.json.data?.orderId)).size).toBe(1);
    const [count] = await select<{ n: number }>('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?', [user.id]);
    expect(Number(count?.n)).toBe(1);
  });

  it('a platform that refuses the order → 402 with code 5001, and that order is never handed out', async () => {
    // Arrange
    const { token } = await createUser();
    await setFaults({ wxpay: 'fail' });

    // Act
    const refused = await buy(token, { channel: 'wx' });
    await setFaults({ wxpay: 'ok' });
    const retried = await buy(token, { channel: 'wx' });

    // Assert
    expect(refused.status).toBe(402);
    expect(refused.json).toMatchObject({ success: false, error: { code: 5001, message: '支付失败,请重试' } });
    expect(retried.status).toBe(200);
    const [failed] = await select<{ id: string }>("SELECT id FROM orders WHERE status = 'failed' AND failure_reason = 'order placement failed' AND id <> ?", [String(retried.json.data?.orderId)]);
    expect(failed?.id).toMatch(/^order_/);
    expect((await orderState(String(retried.json.data?.orderId)))?.status).toBe('pending');
  });

  it.each([
    ['no channel', {}, 'channel'],
    ['an unknown channel', { channel: 'unionpay' }, 'channel'],
    ['a malformed openid', { channel: 'wx', openid: 'has spaces in it' }, 'openid'],
  ])('%s → 400 naming the field', async (_label, body, field) => {
    const { token } = await createUser();
    const result = await buy(token, body);
    expect(result.status).toBe(400);
    expect(result.json.error?.code).toBe(1000);
    expect(result.json.error?.details?.map((detail) => detail.field)).toEqual([field]);
  });

  it('no token → 401', async () => {
    const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body: { channel: 'alipay' } });
    expect(result.status).toBe(401);
    expect(result.json.error?.code).toBe(1001);
  });
});

describe.each(platforms)('GET /auth/wechat/openid on $name', (platform) => {
  const exchange = (token: string, code?: string) => platform.call(wechatOpenid, { method: 'GET', path: '/auth/wechat/openid', token, ...(code === undefined ? {} : { query: { code } }) });

  it('exchanges a code for its deterministic sandbox openid', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const result = await exchange(token, 'test-code-1');

    // Assert
    expect(result.status).toBe(200);
    expect(result.json.data).toEqual({ openid: sandboxOpenidForCode('test-code-1') });
  });

  it('a code issued by the authorize redirect works once, for the openid of its sandbox user', async () => {
    // Arrange
    const { token } = await createUser();
    const authorize = new URL(`${process.env.SANDBOX_URL}/connect/oauth2/authorize`);
    Object.entries({ appid: SANDBOX_WECHAT_APP_ID, redirect_uri: 'https://h5.example.com/pay', response_type: 'code', scope: 'snsapi_base', state: 's1', sandbox_user: 'alice' }).forEach(([key, value]) =>
      authorize.searchParams.set(key, value),
    );
    const redirect = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';

    // Act
    const first = await exchange(token, code);
    const again = await exchange(token, code);

    // Assert
    expect(redirect.status).toBe(302);
    expect(first.json.data).toEqual({ openid: sandboxOpenidForCode(code, 'alice') });
    expect(again.status).toBe(400);
    expect(again.json.error?.details?.map((detail) => detail.field)).toEqual(['code']);
  });

  it.each([
    ['a code WeChat calls invalid', 'invalid-123'],
    ['a code already used', 'used-456'],
  ])('%s → 400 naming code', async (_label, code) => {
    const { token } = await createUser();
    const result = await exchange(token, code);
    expect(result.status).toBe(400);
    expect(result.json.error?.code).toBe(1000);
    expect(result.json.error?.details?.[0]?.field).toBe('code');
  });

  it('no code → 400; no token → 401', async () => {
    const { token } = await createUser();
    expect((await exchange(token)).status).toBe(400);
    expect((await platform.call(wechatOpenid, { method: 'GET', path: '/auth/wechat/openid', query: { code: 'x' } })).status).toBe(401);
  });
});
