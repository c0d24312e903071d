import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, stackLedgerProblems, startStack, type RunningStack } from '../helpers/stack';
import { grantAdmin, logIn, sandboxCall } from '../helpers/stack-steps';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
});

afterEach(async () => {
  expect(await stackLedgerProblems(stack)).toEqual([]);
});

afterAll(async () => {
  await stack?.stop();
});

async function sandbox(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const { status, text } = await sandboxCall(stack, path, method === 'POST' ? (body ?? {}) : undefined);
  return { status, text };
}

describe('buying a membership on the local stack (npm run dev)', () => {
  it('alipay → 30 days and 100 quota; then wx JSAPI with an openid → 60 days and 200; wx without an openid → an h5Url', async () => {
    // Arrange: log in with the code the sandbox received
    const phone = '13900139000';
    await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
    const { code } = JSON.parse((await sandbox('GET', `/_sandbox/sms/latest?phone=${phone}`)).text) as { code: string };
    const token = String((await api(stack.api, 'POST', '/auth/login', { body: { phone, code } })).json.data?.token);

    // Act 1: Alipay — the buyer opens the payUrl, pays; Alipay notifies the API
    const alipay = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'alipay' } });
    const payUrl = String((alipay.json.data?.payParams as { payUrl: string }).payUrl);
    const cashier = await fetch(payUrl);
    const alipayPaid = await sandbox('POST', '/_sandbox/pay', { orderId: alipay.json.data?.orderId });
    const afterAlipay = await api(stack.api, 'GET', '/membership/status', { token });

    // Act 2: WeChat JSAPI — the openid from the OAuth code, then pay; WeChat notifies the API
    const openid = await api(stack.api, 'GET', '/auth/wechat/openid?code=e2e-code', { token });
    const wx = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'wx', openid: openid.json.data?.openid } });
    const wxPaid = await sandbox('POST', '/_sandbox/pay', { orderId: wx.json.data?.orderId });
    const afterWx = await api(stack.api, 'GET', '/membership/status', { token });
    const me = await api(stack.api, 'GET', '/auth/me', { token });

    // Act 3: WeChat outside WeChat — H5 pay
    const h5 = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'wx' } });

    // Assert
    expect(alipay.status).toBe(200);
    expect(cashier.status).toBe(200);
    expect(alipayPaid).toEqual({ status: 200, text: 'success' });
    expect(afterAlipay.json.data).toMatchObject({ isMember: true, quota_remaining: 100, expireDays: 30, price: 9900 });

    expect(openid.json.data?.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    expect(Object.keys(wx.json.data?.payParams ?? {}).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(wxPaid).toEqual({ status: 204, text: '' });
    expect(afterWx.json.data).toMatchObject({ isMember: true, quota_remaining: 200, expireDays: 60, price: 9900 });
    expect(me.json.data).toMatchObject({ isMember: true, quota_remaining: 200, quota_expireAt: afterWx.json.data?.quota_expireAt });

    expect(h5.status).toBe(200);
    expect(String((h5.json.data?.payParams as { h5Url: string }).h5Url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_sandbox\/wechat\/h5-pay\?prepay_id=wx/);
  });

  it('a dropped notification is credited when the client polls the status', async () => {
    // Arrange
    const phone = '13900139001';
    await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
    const { code } = JSON.parse((await sandbox('GET', `/_sandbox/sms/latest?phone=${phone}`)).text) as { code: string };
    const token = String((await api(stack.api, 'POST', '/auth/login', { body: { phone, code } })).json.data?.token);
    const wx = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'wx' } });
    await sandbox('POST', '/_sandbox/faults', { notify: 'drop' });
    await sandbox('POST', '/_sandbox/pay', { orderId: wx.json.data?.orderId });
    await sandbox('POST', '/_sandbox/faults', { notify: 'deliver' });

    // Act: poll every 2 s as the client does, until the order is old enough to be asked about
    let status = await api(stack.api, 'GET', '/membership/status', { token });
    const deadline = Date.now() + 20_000;
    while (status.json.data?.isMember !== true && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      status = await api(stack.api, 'GET', '/membership/status', { token });
    }

    // Assert
    expect(status.json.data).toMatchObject({ isMember: true, quota_remaining: 100, expireDays: 30 });
  });

  it('support refunds a WeChat order: refunded once at the platform, quota and days taken back', async () => {
    // Arrange: a buyer who paid with WeChat, and an admin made with `npm run admin -- grant --token`
    const buyer = await logIn(stack, '13900139002');
    await logIn(stack, '13900139003');
    const adminToken = grantAdmin(stack, '13900139003');
    const openid = await api(stack.api, 'GET', '/auth/wechat/openid?code=e2e-refund', { token: buyer });
    const wx = await api(stack.api, 'POST', '/membership/purchase', { token: buyer, body: { channel: 'wx', openid: openid.json.data?.openid } });
    const orderId = String(wx.json.data?.orderId);
    await sandbox('POST', '/_sandbox/pay', { orderId });

    // Act: asked twice, as a support tool retrying would
    const first = await api(stack.api, 'POST', `/admin/orders/${orderId}/refund`, { token: adminToken, body: { reason: '用户申请退款' } });
    const second = await api(stack.api, 'POST', `/admin/orders/${orderId}/refund`, { token: adminToken, body: { reason: '用户申请退款' } });
    const status = await api(stack.api, 'GET', '/membership/status', { token: buyer });
    const refunds = JSON.parse((await sandbox('GET', `/_sandbox/pay/refunds/${orderId}`)).text) as { refunds: unknown[] };

    // Assert
    expect(adminToken.split('.')).toHaveLength(3);
    expect(first.json.data).toMatchObject({ orderId, status: 'refunded', channel: 'wx' });
    expect(second.json.data).toMatchObject({ orderId, status: 'refunded' });
    expect(refunds.refunds).toHaveLength(1);
    expect(status.json.data).toMatchObject({ isMember: false, quota_remaining: 0, expireDays: 0 });
  });
});
