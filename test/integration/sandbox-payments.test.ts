import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_ALIPAY_APP_ID,
  SANDBOX_ALIPAY_APP_PRIVATE_KEY,
  SANDBOX_ALIPAY_PLATFORM_PRIVATE_KEY,
  SANDBOX_WECHAT_APP_ID,
  SANDBOX_WECHAT_APP_SECRET,
  SANDBOX_WECHAT_MCH_ID,
  SANDBOX_WECHAT_MCH_SERIAL_NO,
  SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY,
  SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY,
  SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID,
} from '../../infra/sandbox/payment-keys';
import { encodeParams, signRequestParams } from '../../shared/vendors/alipay';
import { buildAuthorization } from '../../shared/vendors/wechat-pay';
import { sandboxPay } from '../helpers/payments';

/**
 * The sandbox must refuse what the real platforms refuse, or the payment tests prove nothing:
 * requests with a wrong or missing signature, stale timestamps, foreign merchants, edited URLs.
 */
const sandbox = (): string => process.env.SANDBOX_URL ?? '';
const merchantKey = createPrivateKey(SANDBOX_WECHAT_MERCHANT_PRIVATE_KEY);
const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const wechatPlatformPublic = createPublicKey(SANDBOX_WECHAT_PAY_PLATFORM_PRIVATE_KEY);
const alipayPlatformPublic = createPublicKey(SANDBOX_ALIPAY_PLATFORM_PRIVATE_KEY);

let counter = 0;
const outTradeNo = () => `order_sbx${Date.now()}${(counter += 1)}`;

function h5Order(tradeNo: string, total = 9900): Record<string, unknown> {
  return {
    appid: SANDBOX_WECHAT_APP_ID,
    mchid: SANDBOX_WECHAT_MCH_ID,
    description: 'sandbox test',
    out_trade_no: tradeNo,
    notify_url: 'http://127.0.0.1:9/notify',
    amount: { total, currency: 'CNY' },
    scene_info: { payer_client_ip: '203.0.113.1', h5_info: { type: 'Wap' } },
  };
}

async function wechatCall(path: string, body: object | undefined, options: { key?: typeof merchantKey; timestamp?: number; serial?: string; authorization?: string } = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const method = body === undefined ? 'GET' : 'POST';
  const authorization =
    options.authorization ??
    buildAuthorization({
      mchId: SANDBOX_WECHAT_MCH_ID,
      serialNo: options.serial ?? SANDBOX_WECHAT_MCH_SERIAL_NO,
      privateKey: options.key ?? merchantKey,
      method,
      pathWithQuery: path,
      body: text,
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
      nonce: 'N0NCE',
    });
  const response = await fetch(`${sandbox()}${path}`, { method, headers: { authorization, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: text }) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('sandbox WeChat Pay', () => {
  it('accepts a correctly signed order and signs its answer with the WeChat Pay key', async () => {
    const result = await wechatCall('/v3/pay/transactions/h5', h5Order(outTradeNo()));
    const message = `${result.headers.get('wechatpay-timestamp')}\n${result.headers.get('wechatpay-nonce')}\n${result.text}\n`;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text)).toEqual({ h5_url: expect.stringContaining('/_sandbox/wechat/h5-pay?prepay_id=wx') });
    expect(result.headers.get('wechatpay-serial')).toBe(SANDBOX_WECHAT_PAY_PUBLIC_KEY_ID);
    expect(verify('sha256', Buffer.from(message), wechatPlatformPublic, Buffer.from(result.headers.get('wechatpay-signature') ?? '', 'base64'))).toBe(true);
  });

  it.each([
    ['no Authorization', { authorization: '' }],
    ['a signature by another key', { key: strangerKey }],
    ['a timestamp 6 minutes old', { timestamp: Math.floor(Date.now() / 1000) - 360 }],
    ['another certificate serial', { serial: '0000000000000000000000000000000000000000' }],
  ])('refuses %s with 401 SIGN_ERROR', async (_label, options) => {
    const result = await wechatCall('/v3/pay/transactions/h5', h5Order(outTradeNo()), options);
    expect(result.status).toBe(401);
    expect(JSON.parse(result.text)).toMatchObject({ code: 'SIGN_ERROR' });
  });

  it('takes a repeated order with identical fields, refuses one with other fields', async () => {
    const tradeNo = outTradeNo();
    const first = await wechatCall('/v3/pay/transactions/jsapi', { ...h5Order(tradeNo), scene_info: undefined, payer: { openid: 'oSandboxOpenid000000000000001' } });
    const same = await wechatCall('/v3/pay/transactions/jsapi', { ...h5Order(tradeNo), scene_info: undefined, payer: { openid: 'oSandboxOpenid000000000000001' } });
    const changed = await wechatCall('/v3/pay/transactions/jsapi', { ...h5Order(tradeNo, 1), scene_info: undefined, payer: { openid: 'oSandboxOpenid000000000000001' } });
    expect(same.text).toBe(first.text);
    expect(changed.status).toBe(400);
    expect(JSON.parse(changed.text)).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('answers 404 ORDER_NOT_EXIST for an unknown order and checks the signed query string', async () => {
    const missing = await wechatCall(`/v3/pay/transactions/out-trade-no/${outTradeNo()}?mchid=${SANDBOX_WECHAT_MCH_ID}`, undefined);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text)).toMatchObject({ code: 'ORDER_NOT_EXIST' });
  });
});

describe('sandbox Alipay gateway', () => {
  const appKey = createPrivateKey(SANDBOX_ALIPAY_APP_PRIVATE_KEY);
  const wapParams = (tradeNo: string, totalAmount = '99.00') => ({
    app_id: SANDBOX_ALIPAY_APP_ID,
    method: 'alipay.trade.wap.pay',
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: '2025-01-01 10:00:00',
    version: '1.0',
    biz_content: JSON.stringify({ out_trade_no: tradeNo, total_amount: totalAmount, subject: '会员 100% +', product_code: 'QUICK_WAP_WAY' }),
  });

  it('opens a correctly signed wap payUrl, refuses the same URL with its amount edited', async () => {
    const signed = signRequestParams(wapParams(outTradeNo()), appKey);
    const good = await fetch(`${sandbox()}/gateway.do?${encodeParams(signed)}`);
    const edited = await fetch(`${sandbox()}/gateway.do?${encodeParams({ ...signed, biz_content: String(signed.biz_content).replace('99.00', '0.01') })}`);
    expect(good.status).toBe(200);
    expect(edited.status).toBe(400);
    expect(await edited.text()).toContain('isv.invalid-signature');
  });

  it('signs its JSON answers over the exact response member text', async () => {
    const params = signRequestParams({ ...wapParams(''), method: 'alipay.trade.query', biz_content: JSON.stringify({ out_trade_no: outTradeNo() }) }, appKey);
    const text = await (await fetch(`${sandbox()}/gateway.do`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: encodeParams(params) })).text();
    const answer = JSON.parse(text) as { alipay_trade_query_response: Record<string, string>; sign: string };
    const member = JSON.stringify(answer.alipay_trade_query_response);
    expect(answer.alipay_trade_query_response).toMatchObject({ code: '40004', sub_code: 'ACQ.TRADE_NOT_EXIST' });
    expect(text).toContain(member);
    expect(verify('sha256', Buffer.from(member), alipayPlatformPublic, Buffer.from(answer.sign, 'base64'))).toBe(true);
  });
});

describe('sandbox WeChat OAuth and pay control', () => {
  it('refuses a wrong app secret with errcode 40125', async () => {
    const query = new URLSearchParams({ appid: SANDBOX_WECHAT_APP_ID, secret: `${SANDBOX_WECHAT_APP_SECRET}x`, code: 'abc', grant_type: 'authorization_code' });
    const answer = (await (await fetch(`${sandbox()}/sns/oauth2/access_token?${query.toString()}`)).json()) as { errcode: number };
    expect(answer.errcode).toBe(40125);
  });

  it('POST /_sandbox/pay: 404 for an order no platform knows, 400 without an orderId', async () => {
    expect((await sandboxPay('order_nobodyknowsthis0000000000')).status).toBe(404);
    expect((await sandboxPay('')).status).toBe(400);
  });
});
