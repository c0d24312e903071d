import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiAnswersChecked, largeJpeg, launchChromium, openPhone, wechatUserAgent } from '../helpers/browser';
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
  expect(await apiAnswersChecked()).toEqual([]);
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

/** The type's radio by its name: the built-in one, or the catalogue's (GET /abilities: 模特12姿势) once loaded. */
const kindNames = { basic_clean: /基础精修/, model_pose12: /模特\s*12\s*姿势/ };

async function createTask(page: Page, kind: keyof typeof kindNames, buffer = photo): Promise<void> {
  await page.goto(`${stack.app}#/create`);
  await page.getByTestId('photo').setInputFiles({ name: 'product.jpg', mimeType: 'image/jpeg', buffer });
  await page.getByRole('radio', { name: kindNames[kind] }).click();
  await page.getByRole('button', { name: /开始生成/ }).click();
  await page.waitForURL(/#\/task\/task_/);
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
    await createTask(page, 'basic_clean');
    await page.getByTestId('task-status').getByText('已完成').waitFor();
    const cleaned = await page.getByTestId('results').locator('img').evaluateAll((images) => images.map((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth));
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').first().click()]);
    const savedName = saved.suggestedFilename();

    // Act 3: model_pose12 (RunningHub finishes it; the page polls)
    await createTask(page, 'model_pose12');
    await page.getByTestId('task-status').getByText('已完成').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=results] img')].every((image) => (image as HTMLImageElement).complete));
    const frames = await page.getByTestId('results').locator('img').evaluateAll((images) => images.map((image) => (image as HTMLImageElement).naturalWidth));
    const downloads = await page.getByTestId('results').getByRole('button', { name: '下载' }).count();

    // Act 4: history and wallet
    await page.goto(`${stack.app}#/history`);
    await page.getByTestId('history').locator('li').nth(1).waitFor();
    const history = await page.getByTestId('history').locator('li').count();
    await page.goto(`${stack.app}#/wallet`);
    await page.getByTestId('wallet-transactions').locator('[data-state]').waitFor();
    await page.getByTestId('wallet-orders').locator('[data-state]').waitFor();
    await page.getByTestId('balance').waitFor();
    const notes = await page.getByTestId('ledger-note').allTextContents();
    const deltas = await page.getByTestId('ledger-delta').allTextContents();
    const orders = await page.getByTestId('order-status').allTextContents();
    const balance = await page.getByTestId('balance').textContent();

    // Assert
    expect(quotaAfterPaying).toBe('会员 · 剩余 100 次');
    expect(cleaned).toHaveLength(1);
    expect(cleaned[0]).toBeGreaterThan(0);
    // The signed download names the file `<taskId>_<file>` (POST /media/signed-download).
    expect(savedName).toMatch(/^task_[A-Za-z0-9]+_result\.(jpg|png)$/);
    expect(frames).toHaveLength(12);
    expect(frames.every((width) => width > 0)).toBe(true);
    expect(downloads).toBe(12);
    expect(history).toBe(2);
    expect(await page.getByTestId('quota').textContent()).toBe('会员 · 剩余 98 次');
    // The wallet, newest first: each task held one unit and its success confirmed it (0: the hold took it).
    expect(notes).toEqual(['任务完成扣除', '生成任务预扣', '任务完成扣除', '生成任务预扣', '购买会员 +100']);
    expect(deltas).toEqual(['0', '-1', '0', '-1', '+100']);
    expect(orders).toEqual(['已支付']);
    expect(balance).toBe('98 次');
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

  it('shows a running task\'s progress and trail, cancels it (已取消, quota back), and retries a failed task to its 12 frames', async (test) => {
    // Arrange: a member (100); RunningHub first hangs (the task stays processing), then fails, then works
    const token = await memberToken('13700137005');
    const { page } = await openPhone(browser, test);
    await page.addInitScript((value) => localStorage.setItem('aiphoto.token', value), token);
    const small = jpegImage({ width: 320, height: 320 });

    // Act 1: a hanging model_pose12, cancelled from its page
    await setFault('hang');
    await createTask(page, 'model_pose12', small);
    await page.getByTestId('task-logs').waitFor();
    const runningProgress = Number(await page.getByTestId('progress').getAttribute('aria-valuenow'));
    await page.getByTestId('quota').getByText('剩余 99 次').waitFor();
    await page.getByRole('button', { name: '取消任务' }).click();
    await page.getByTestId('task-status').getByText('已取消').waitFor();
    await page.getByTestId('quota').getByText('剩余 100 次').waitFor();
    await page.getByTestId('task-logs').getByText('本次配额已返还').waitFor();
    const cancelledNote = await page.getByTestId('task-cancelled').textContent();
    const retryOffered = await page.getByRole('button', { name: '重试' }).isVisible();

    // Act 2: a failing model_pose12, then 重试 once RunningHub works again
    await setFault('fail');
    await createTask(page, 'model_pose12', small);
    await page.getByTestId('task-status').getByText('失败').waitFor({ timeout: 60_000 });
    const failedUrl = page.url();
    const failure = await page.locator('.card .error').first().textContent();
    await setFault('ok');
    await page.getByRole('button', { name: '重试' }).click();
    await page.waitForURL((url) => url.href !== failedUrl && /#\/task\/task_/.test(url.hash));
    await page.getByTestId('task-status').getByText('已完成').waitFor({ timeout: 60_000 });
    const frames = await page.getByTestId('results').locator('img').count();

    // Assert
    expect(runningProgress).toBeGreaterThan(0);
    expect(runningProgress).toBeLessThan(100);
    expect(cancelledNote).toBe('已取消,已返还配额');
    expect(retryOffered).toBe(true);
    expect(failure).toMatch(/[\u4e00-\u9fff]/);
    expect(frames).toBe(12);
    expect(await page.getByTestId('quota').textContent()).toBe('会员 · 剩余 99 次');
  });

  it('on a 401 exchanges the refresh token once and carries on with the new pair; a refused refresh token shows the login page', async (test) => {
    // Arrange: logged in by API; the app holds a dead access token beside a live refresh token
    const phoneNumber = '13700137006';
    await api(stack.api, 'POST', '/auth/send-code', { body: { phone: phoneNumber } });
    const login = (await api(stack.api, 'POST', '/auth/login', { body: { phone: phoneNumber, code: await smsCode(phoneNumber) } })).json.data ?? {};
    const { page } = await openPhone(browser, test);
    await page.addInitScript((refreshToken) => {
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('aiphoto.token', 'not-a-token');
      localStorage.setItem('aiphoto.refreshToken', refreshToken);
    }, String(login.refreshToken));

    // Act 1: the wallet loads after one refresh
    const refreshes: string[] = [];
    page.on('request', (request) => void (request.url().endsWith('/auth/refresh') && refreshes.push(request.url())));
    await page.goto(`${stack.app}#/wallet`);
    await page.getByTestId('wallet-orders').locator('[data-state]').waitFor();
    const kept = await page.evaluate(() => ({ token: localStorage.getItem('aiphoto.token'), refreshToken: localStorage.getItem('aiphoto.refreshToken') }));
    const refreshesForWallet = refreshes.length;
    const keptPairWorks = await api(stack.api, 'POST', '/auth/refresh', { body: { refreshToken: kept.refreshToken } });

    // Act 2: both tokens dead now (the refresh above rotated the app's pair): the login page
    await page.evaluate(() => localStorage.setItem('aiphoto.token', 'not-a-token'));
    await page.reload();
    await page.getByRole('button', { name: '登录 / 注册' }).waitFor();
    const afterRefusal = await page.evaluate(() => ({ token: localStorage.getItem('aiphoto.token'), refreshToken: localStorage.getItem('aiphoto.refreshToken') }));

    // Assert
    expect(refreshesForWallet).toBe(1);
    expect(refreshes).toHaveLength(2);
    expect(kept.token).not.toBe('not-a-token');
    expect(kept.refreshToken).not.toBe(login.refreshToken);
    expect(keptPairWorks.status).toBe(200);
    expect(afterRefusal).toEqual({ token: null, refreshToken: null });
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
