import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { largeJpeg, launchChromium, openPhone, wechatUserAgent } from '../helpers/browser';
import { jpegImage } from '../helpers/images';
import { api, stackLedgerProblems, startStack, type RunningStack } from '../helpers/stack';

/**
 * The H5 app in Debian's Chromium as a phone, against `npm run dev` (test/helpers/stack.ts): log in,
 * buy on the sandbox cashier page, upload a real JPEG over 1 MB with cos-js-sdk-v5 putObject, run
 * both task types to their results, and pay with JSAPI through a stub WeixinJSBridge.
 */
let stack: RunningStack;
let browser: Browser;
const photo = largeJpeg();

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ SANDBOX_RUNNINGHUB_DELAY_MS: '300' }), launchChromium()]);
});

afterEach(async () => {
  expect(await stackLedgerProblems(stack)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function smsCode(phone: string): Promise<string> {
  const answer = (await (await fetch(`${stack.sandbox}/_sandbox/sms/latest?phone=${phone}`)).json()) as { code: string };
  return answer.code;
}

async function logInThroughTheApp(page: Page, phone: string): Promise<void> {
  await page.goto(stack.app);
  await page.getByPlaceholder('请输入手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByTestId('sms-hint').waitFor();
  await page.getByPlaceholder('6 位验证码').fill(await smsCode(phone));
  await page.getByRole('button', { name: '登录 / 注册' }).click();
}

/** A member's token without the browser (for tests about something else): log in and pay by API. */
async function memberToken(phone: string): Promise<string> {
  await api(stack.api, 'POST', '/auth/send-code', { body: { phone } });
  const token = String((await api(stack.api, 'POST', '/auth/login', { body: { phone, code: await smsCode(phone) } })).json.data?.token);
  const purchase = await api(stack.api, 'POST', '/membership/purchase', { token, body: { channel: 'alipay' } });
  await fetch(String((purchase.json.data?.payParams as { payUrl: string }).payUrl));
  await fetch(`${stack.sandbox}/_sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: purchase.json.data?.orderId }) });
  return token;
}

async function createTask(page: Page, kind: '基础精修' | 'AI 模特 12 姿势', buffer = photo): Promise<void> {
  await page.goto(`${stack.app}#/create`);
  await page.getByTestId('photo').setInputFiles({ name: 'product.jpg', mimeType: 'image/jpeg', buffer });
  await page.getByRole('radio', { name: new RegExp(kind) }).click();
  await page.getByRole('button', { name: /开始生成/ }).click();
  await page.waitForURL(/#\/task\/task_/);
}

async function routeExists(method: string, path: string, token: string): Promise<boolean> {
  return (await api(stack.api, method, path, { token })).status !== 404;
}

/** Whether the API's OpenAPI document lists `/task/{taskId}/<action>` (what the app reads to show the button). */
async function documentLists(action: 'cancel' | 'retry'): Promise<boolean> {
  const document = (await (await fetch(`${stack.api}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  return Object.keys(document.paths).some((path) => path.endsWith(`}/${action}`));
}

async function setFault(runninghub: string): Promise<void> {
  await fetch(`${stack.sandbox}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ runninghub }) });
}

describe('the H5 app in Chromium (phone)', () => {
  it('logs in, buys with Alipay on the cashier page, uploads a 1 MB+ JPEG, gets 1 cleaned image and 12 frames, and shows the ledger', async (test) => {
    // Arrange
    const { page } = await openPhone(browser, test);
    expect(photo.length).toBeGreaterThan(1024 * 1024);

    // Act 1: log in, then buy with Alipay: the sandbox cashier page pays and returns to the app
    await logInThroughTheApp(page, '13700137001');
    await page.getByRole('button', { name: '支付宝支付' }).click();
    await page.waitForURL(`${stack.sandbox}/**`);
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.waitForURL(`${stack.app}**#/membership`);
    await page.getByTestId('member-state').getByText('会员有效').waitFor();
    const quotaAfterPaying = await page.getByTestId('quota').textContent();

    // Act 2: basic_clean (answered at once)
    await createTask(page, '基础精修');
    await page.getByTestId('task-status').getByText('已完成').waitFor();
    const cleaned = await page.getByTestId('results').locator('img').evaluateAll((images) => images.map((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth));

    // Act 3: model_pose12 (RunningHub finishes it; the page polls)
    await createTask(page, 'AI 模特 12 姿势');
    await page.getByTestId('task-status').getByText('已完成').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=results] img')].every((image) => (image as HTMLImageElement).complete));
    const frames = await page.getByTestId('results').locator('img').evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth));
    const downloads = await page.getByTestId('results').getByRole('link', { name: '下载' }).count();

    // Act 4: history and wallet
    await page.goto(`${stack.app}#/history`);
    await page.getByTestId('history').locator('li').nth(1).waitFor();
    const history = await page.getByTestId('history').locator('li').count();
    await page.goto(`${stack.app}#/wallet`);
    await page.getByTestId('wallet-transactions').locator('[data-state]').waitFor();
    const walletState = await page.getByTestId('wallet-transactions').locator('[data-state]').getAttribute('data-state');
    const ledgerEntries = await page.getByTestId('ledger-entry').count();
    const token = await page.evaluate(() => localStorage.getItem('aiphoto.token') ?? '');

    // Assert
    expect(quotaAfterPaying).toBe('会员 · 剩余 100 次');
    expect(cleaned).toHaveLength(1);
    expect(cleaned[0]).toBeGreaterThan(0);
    expect(frames).toHaveLength(12);
    expect(frames.every((width) => width > 0)).toBe(true);
    expect(downloads).toBe(12);
    expect(history).toBe(2);
    expect(await page.getByTestId('quota').textContent()).toBe('会员 · 剩余 98 次');
    // The wallet shows the ledger where the API has it (GET /quota/transactions), a friendly note where not.
    const hasLedger = await routeExists('GET', '/quota/transactions', token);
    expect(walletState).toBe(hasLedger ? 'rows' : 'missing');
    expect(ledgerEntries >= 3).toBe(hasLedger);
  });

  it('pays with WeChat JSAPI inside WeChat: OAuth for the openid, then getBrandWCPayRequest after WeixinJSBridgeReady (a stub bridge)', async (test) => {
    // Arrange: a WeChat user agent and a bridge that becomes ready late, as in WeChat
    const { page } = await openPhone(browser, test, { userAgent: wechatUserAgent });
    await page.addInitScript(() => {
      const calls: { name: string; params: Record<string, string> }[] = [];
      Object.assign(window, { __wxCalls: calls });
      setTimeout(() => {
        Object.assign(window, {
          WeixinJSBridge: {
            invoke(name: string, params: Record<string, string>, callback: (answer: { err_msg: string }) => void) {
              calls.push({ name, params });
              Object.assign(window, { __wxCallback: callback });
            },
          },
        });
        document.dispatchEvent(new Event('WeixinJSBridgeReady'));
      }, 300);
    });
    await logInThroughTheApp(page, '13700137002');
    await page.getByRole('button', { name: '微信支付' }).waitFor();

    // Act: pay; the page goes through the sandbox's WeChat OAuth and comes back with ?code=
    const purchased = page.waitForResponse((response) => response.url().endsWith('/membership/purchase'));
    await page.getByRole('button', { name: '微信支付' }).click();
    const order = (await (await purchased).json()) as { data: { orderId: string } };
    await page.waitForFunction(() => '__wxCallback' in window);
    const paid = await fetch(`${stack.sandbox}/_sandbox/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: order.data.orderId }) });
    await page.evaluate(() => (window as unknown as { __wxCallback: (answer: { err_msg: string }) => void }).__wxCallback({ err_msg: 'get_brand_wcpay_request:ok' }));
    await page.getByTestId('member-state').getByText('会员有效').waitFor();
    const calls = await page.evaluate(() => (window as unknown as { __wxCalls: { name: string; params: Record<string, string> }[] }).__wxCalls);

    // Assert
    expect(paid.status).toBe(204);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.name).toBe('getBrandWCPayRequest');
    expect(Object.keys(calls[0]?.params ?? {}).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(page.url()).not.toContain('code=');
  });

  it('pays with WeChat H5 outside WeChat: the h5_url cashier page pays and returns to the app (redirect_url)', async (test) => {
    // Arrange: logged in (by API), not yet a member
    const phoneNumber = '13700137004';
    await api(stack.api, 'POST', '/auth/send-code', { body: { phone: phoneNumber } });
    const token = String((await api(stack.api, 'POST', '/auth/login', { body: { phone: phoneNumber, code: await smsCode(phoneNumber) } })).json.data?.token);
    const { page } = await openPhone(browser, test);
    await page.addInitScript((value) => localStorage.setItem('aiphoto.token', value), token);
    await page.goto(`${stack.app}#/membership`);

    // Act
    await page.getByRole('button', { name: '微信支付' }).click();
    await page.waitForURL(`${stack.sandbox}/_sandbox/wechat/h5-pay**`);
    const cashier = await page.locator('h1').textContent();
    await page.getByRole('button', { name: '确认支付' }).click();
    await page.waitForURL(`${stack.app}#/membership`);
    await page.getByTestId('member-state').getByText('会员有效').waitFor();

    // Assert
    expect(cashier).toBe('微信支付 (H5) · 沙箱收银台');
    expect(await page.getByTestId('quota').textContent()).toBe('会员 · 剩余 100 次');
  });

  it('offers cancel on a running task and retry on a failed one where the API has them (its OpenAPI document lists them)', async (test) => {
    // Arrange: a member; RunningHub first hangs (the task stays processing), then fails
    const token = await memberToken('13700137005');
    const { page } = await openPhone(browser, test);
    await page.addInitScript((value) => localStorage.setItem('aiphoto.token', value), token);
    const [cancelListed, retryListed] = await Promise.all([documentLists('cancel'), documentLists('retry')]);
    const small = jpegImage({ width: 320, height: 320 });

    // Act
    await setFault('hang');
    await createTask(page, 'AI 模特 12 姿势', small);
    await page.locator('[data-actions]').waitFor({ state: 'attached' });
    const cancelShown = await page.getByRole('button', { name: '取消任务' }).isVisible();
    await setFault('fail');
    await createTask(page, 'AI 模特 12 姿势', small);
    await page.getByTestId('task-status').getByText('失败').waitFor({ timeout: 60_000 });
    await page.locator('[data-actions]').waitFor({ state: 'attached' });
    const retryShown = await page.getByRole('button', { name: '重试' }).isVisible();
    const failure = await page.locator('.card .error').first().textContent();
    await setFault('ok');

    // Assert
    expect(cancelShown).toBe(cancelListed);
    expect(retryShown).toBe(retryListed);
    expect(failure).toMatch(/[\u4e00-\u9fff]/);
  });

  it('an upload from an origin not in CORS_ORIGINS fails in the browser (the COS preflight is refused)', async (test) => {
    // Arrange: a member, the app opened at http://localhost:<port> (CORS_ORIGINS has only 127.0.0.1)
    const token = await memberToken('13700137003');
    const { page, console: lines } = await openPhone(browser, test);
    await page.addInitScript((value) => localStorage.setItem('aiphoto.token', value), token);
    const otherOrigin = stack.app.replace('127.0.0.1', 'localhost');

    // Act
    await page.goto(`${otherOrigin}#/create`);
    await page.getByTestId('photo').setInputFiles({ name: 'product.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: /开始生成/ }).click();
    const error = await page.getByRole('alert').textContent();

    // Assert
    expect(error).toBe('图片上传失败,请检查网络后重试');
    expect(lines.some((line) => /CORS|Access-Control-Allow-Origin/i.test(line))).toBe(true);
    expect((await api(stack.api, 'GET', '/task/list', { token })).json.data?.total).toBe(0);
  });
});
