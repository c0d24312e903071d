import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core';
import type { TestContext } from 'vitest';
import { assertConformsToOpenApi } from './conformance';

/**
 * Debian's Chromium driven by playwright-core (../shared/reference/field-notes.md "Browser client"),
 * as a phone. A failed test leaves a screenshot and the browser console under test-results/browser/
 * (gitignored) and prints where.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
}

export const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};

/** WeChat's in-app browser on iOS says MicroMessenger in its user agent; the app picks JSAPI pay there. */
export const wechatUserAgent =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN';

/**
 * Every answer the app got from the API (a path under /api/), checked against the OpenAPI document
 * as the integration and e2e answers are (test/helpers/conformance.ts). Checks run as answers
 * arrive; `apiAnswersChecked` waits for them and lists what did not conform.
 */
const pendingChecks: Promise<string | undefined>[] = [];

function checkApiAnswer(response: Response): void {
  const url = new URL(response.url());
  if (!url.pathname.startsWith('/api/')) return;
  const method = response.request().method();
  pendingChecks.push(
    response.text().then(
      (text) => {
        try {
          assertConformsToOpenApi(method, `${url.pathname.slice('/api'.length)}${url.search}`, { status: response.status(), headers: response.headers(), text });
          return undefined;
        } catch (error) {
          return (error as Error).message;
        }
      },
      () => undefined, // a body the page navigated away from before it arrived: nothing to check
    ),
  );
}

/** The app's API answers since the last call that did not conform to the document (empty when all did). */
export async function apiAnswersChecked(): Promise<string[]> {
  const results = await Promise.all(pendingChecks.splice(0));
  return results.filter((message): message is string => message !== undefined);
}

export interface PhonePage {
  context: BrowserContext;
  page: Page;
  console: string[];
}

/** A fresh phone context and page; on the test's failure its screenshot and console are saved. */
export async function openPhone(browser: Browser, test: TestContext, options: BrowserContextOptions = {}): Promise<PhonePage> {
  const context = await browser.newContext({ ...phone, ...options });
  const page = await context.newPage();
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`[${message.type()}] ${message.text()}`));
  page.on('response', checkApiAnswer);
  page.on('pageerror', (error) => lines.push(`[pageerror] ${error.message}`));
  page.on('requestfailed', (request) => lines.push(`[requestfailed] ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`));
  // One hook, in this order: the evidence is taken before the context closes (vitest does not
  // order onTestFailed before onTestFinished hooks registered elsewhere, e.g. a browser.close()).
  test.onTestFinished(async (finished) => {
    if (finished.task.result?.state === 'fail') await saveEvidence(test, page, lines);
    await context.close();
  });
  return { context, page, console: lines };
}

async function saveEvidence(test: TestContext, page: Page, lines: readonly string[]): Promise<void> {
  const directory = join('test-results', 'browser');
  mkdirSync(directory, { recursive: true });
  const name = test.task.name.replace(/[^\w\u4e00-\u9fff-]+/g, '_').slice(0, 80);
  const screenshot = join(directory, `${name}.png`);
  const consoleFile = join(directory, `${name}.console.txt`);
  const shot = await page.screenshot({ path: screenshot, fullPage: true }).then(
    () => screenshot,
    (error: Error) => `none (${error.message.split('\n')[0] ?? ''})`,
  );
  writeFileSync(consoleFile, `${page.url()}\n${lines.join('\n')}\n`);
  console.error(`browser test failed: screenshot ${shot}, console ${consoleFile}\n  page: ${page.url()}\n  ${lines.join('\n  ')}`);
}

/**
 * A real photo-sized JPEG just over 1 MB (~1.3 MB): a gradient under mild noise, which does not
 * compress well, at 1200×1200 and quality 95. Above 1 MB, cos-js-sdk-v5's uploadFile would go multipart.
 */
export function largeJpeg(width = 1200, height = 1200): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let seed = 12345;
  for (let index = 0; index < data.length; index += 4) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const x = (index / 4) % width;
    const y = Math.floor(index / 4 / width);
    data[index] = ((x >> 2) & 0xff) ^ (seed & 0x1f);
    data[index + 1] = ((y >> 2) & 0xff) ^ ((seed >> 8) & 0x1f);
    data[index + 2] = 128 ^ ((seed >> 16) & 0x1f);
    data[index + 3] = 0xff;
  }
  return Buffer.from(jpeg.encode({ data, width, height }, 95).data);
}
