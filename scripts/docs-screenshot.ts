/**
 * `npm run docs:screenshot`: keeps README's pictures of the H5 app current. Starts the local stack
 * on spare ports (test/helpers/stack.ts, its own database, dropped afterwards), opens the app in
 * Debian's Chromium as a phone, and saves docs/app-login.png (the login page) and docs/app.png
 * (a member's membership page after one basic_clean task).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { launchChromium, largeJpeg, phone } from '../test/helpers/browser';
import { startStack } from '../test/helpers/stack';

// Without a CJK font Chromium draws every Chinese character as a box.
const cjkFonts = (() => {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();
if (!cjkFonts) throw new Error('no Chinese font installed: apt-get install -y fonts-wqy-microhei (or fonts-noto-cjk), then run again');

const stack = await startStack({ SANDBOX_RUNNINGHUB_DELAY_MS: '300' });
const browser = await launchChromium();
try {
  mkdirSync('docs', { recursive: true });
  const context = await browser.newContext({ ...phone, deviceScaleFactor: 1 });
  const page = await context.newPage();

  await page.goto(stack.app);
  await page.getByPlaceholder('请输入手机号').fill('13800138000');
  await page.screenshot({ path: 'docs/app-login.png' });

  // A member with one finished task, bought and uploaded through the app itself.
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByTestId('sms-hint').waitFor();
  const { code } = (await (await fetch(`${stack.sandbox}/_sandbox/sms/latest?phone=13800138000`)).json()) as { code: string };
  await page.getByPlaceholder('6 位验证码').fill(code);
  await page.getByRole('button', { name: '登录 / 注册' }).click();
  await page.getByRole('button', { name: '支付宝支付' }).click();
  await page.getByRole('button', { name: '确认支付' }).click();
  await page.getByTestId('member-state').getByText('会员有效').waitFor();
  await page.goto(`${stack.app}#/create`);
  await page.getByTestId('photo').setInputFiles({ name: 'product.jpg', mimeType: 'image/jpeg', buffer: largeJpeg(600, 600) });
  await page.getByRole('button', { name: /开始生成/ }).click();
  await page.getByTestId('task-status').getByText('已完成').waitFor();
  await page.goto(`${stack.app}#/membership`);
  await page.getByTestId('member-state').waitFor();
  await page.screenshot({ path: 'docs/app.png' });
  console.log('saved docs/app-login.png and docs/app.png');
} finally {
  await browser.close();
  await stack.stop();
}
