/**
 * Payment-callback benchmark: how long POST /membership/payment-callback takes in-process, from the
 * platform event to the reply, against a real database: signature verification, (WeChat) AES-GCM
 * decryption, the order checks, and the credit transaction (conditional pending → paid, ledger
 * grant, membership extension). Each timed call credits a fresh order; duplicates are timed too.
 * Notifications are signed by the in-process sandbox before timing starts. Rewrites only the
 * payment-callback section of docs/benchmarks.md.
 *
 *   npm run bench:callback                 # 200 orders per row
 *   npm run bench:callback -- --runs 500
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { measuredOn, parseRuns, quantile, sectionMarkers, writeBenchSection } from './bench-lib';

const { start: startMarker, end: endMarker } = sectionMarkers('payment-callback');
const warmupRuns = 20;


const runs = parseRuns(process.argv.slice(2), 200, 20);
const serverUrl = process.env.BENCH_DATABASE_SERVER_URL ?? process.env.TEST_DATABASE_SERVER_URL ?? 'mysql://root@127.0.0.1:3306';
const databaseUrl = `${serverUrl}/aiphoto_bench_${randomBytes(4).toString('hex')}`;

// Configuration is read once, on first use: settle the environment before importing the API.
const { startSandbox } = await import('../infra/sandbox/server');
const sandbox = await startSandbox({ port: 0 });
Object.assign(process.env, {
  APP_ENV: 'test',
  LOG_LEVEL: 'SILENT',
  DATABASE_URL: databaseUrl,
  WECHAT_PAY_BASE_URL: sandbox.url,
  ALIPAY_GATEWAY_URL: `${sandbox.url}/gateway.do`,
  // Only built into notifications; they are handed to the handler directly, never sent.
  PAYMENT_NOTIFY_URL: 'http://127.0.0.1:9/api/membership/payment-callback',
});
const { ensureDatabase, dropDatabase, migrate } = await import('../shared/db/migrate');
const { closeDb } = await import('../shared/db/pool');
const { findOrCreateUserByPhone } = await import('../shared/users');
const { purchaseMembership } = await import('../shared/payments/purchase');
const { paymentPorts } = await import('../shared/wiring/payments');
const { checkLedgerInvariants } = await import('../shared/quota/ledger');
const callback = await import('../functions/membership/payment-callback');

interface Notification {
  headers: Record<string, string>;
  body: string;
}

function event(notification: Notification): APIGatewayProxyEventV2 {
  const rawPath = '/api/membership/payment-callback';
  return {
    version: '2.0',
    routeKey: `POST ${rawPath}`,
    rawPath,
    rawQueryString: '',
    headers: notification.headers,
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: { method: 'POST', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '101.226.103.9', userAgent: 'Mozilla/4.0' },
      requestId: randomUUID(),
      routeKey: `POST ${rawPath}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: notification.body,
    isBase64Encoded: false,
  };
}

let phoneCounter = 0;
async function pendingOrder(channel: 'wx' | 'alipay'): Promise<string> {
  phoneCounter += 1;
  const user = await findOrCreateUserByPhone(`137${String(phoneCounter).padStart(8, '0')}`);
  const purchase = await purchaseMembership({ user, channel, openid: undefined, clientIp: '203.0.113.7' }, paymentPorts);
  // Alipay learns of a wap order when the buyer opens its payUrl.
  if ('payUrl' in purchase.payParams) await fetch(purchase.payParams.payUrl).then((response) => response.text());
  return purchase.orderId;
}

async function signedNotification(orderId: string): Promise<Notification> {
  const response = await fetch(`${sandbox.url}/_sandbox/pay/notification`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId }) });
  return (await response.json()) as Notification;
}

async function timeOne(notification: Notification, expected: { status: number; body: string }): Promise<number> {
  const started = performance.now();
  const reply = await callback.handler(event(notification), { awsRequestId: randomUUID() } as Context);
  const elapsed = performance.now() - started;
  if (reply.statusCode !== expected.status || reply.body !== expected.body) throw new Error(`unexpected reply ${reply.statusCode} ${reply.body}`);
  return elapsed;
}


interface Row {
  label: string;
  samples: number[];
}

async function measure(label: string, channel: 'wx' | 'alipay', duplicate: boolean): Promise<Row> {
  const expected = channel === 'wx' ? { status: 204, body: '' } : { status: 200, body: 'success' };
  const samples: number[] = [];
  for (let i = 0; i < warmupRuns + runs; i += 1) {
    const notification = await signedNotification(await pendingOrder(channel));
    if (duplicate) await timeOne(notification, expected);
    const elapsed = await timeOne(notification, expected);
    if (i >= warmupRuns) samples.push(elapsed);
    if (i % 20 === 0) process.stderr.write(`\r${label}: ${i + 1}/${warmupRuns + runs}   `);
  }
  process.stderr.write('\n');
  return { label, samples };
}

function renderSection(rows: readonly Row[]): string {
  const lines = [
    startMarker,
    '## Payment callback: in-process handling (verified + credited)',
    '',
    `${measuredOn()}, ` +
      `database ${process.env.BENCH_DATABASE_LABEL ?? 'local MariaDB/MySQL on 127.0.0.1'}; ${runs} orders per row after ${warmupRuns} warm-up orders.`,
    '',
    '| notification | median (ms) | p90 (ms) | p99 (ms) | max (ms) |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row.label} | ${quantile(row.samples, 0.5).toFixed(2)} | ${quantile(row.samples, 0.9).toFixed(2)} | ${quantile(row.samples, 0.99).toFixed(2)} | ${Math.max(...row.samples).toFixed(2)} |`),
    '',
    'Time from the AWS HTTP API event to the reply inside one warm instance (`handler` of functions/membership/payment-callback.ts, ' +
      'middy stack included): RSA-SHA256 verification with the platform key, AES-256-GCM decryption (WeChat), the order lookup and ' +
      'checks, and the credit transaction (conditional pending → paid, ledger grant, membership extension) on a real database. ' +
      'Each first delivery credits a fresh order; a duplicate is the same notification delivered again (verified, found paid, nothing ' +
      'written). WeChat allows 5 s for the answer. Script: scripts/bench-callback.ts (`npm run bench:callback`).',
    endMarker,
  ];
  return lines.join('\n');
}


try {
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const rows = [
    await measure('WeChat Pay, first delivery', 'wx', false),
    await measure('Alipay, first delivery', 'alipay', false),
    await measure('WeChat Pay, duplicate', 'wx', true),
    await measure('Alipay, duplicate', 'alipay', true),
  ];
  const violations = await checkLedgerInvariants();
  if (violations.length > 0) throw new Error(`ledger invariants broken: ${JSON.stringify(violations)}`);
  const section = renderSection(rows);
  console.log(section);
  await writeBenchSection('payment-callback', section);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
  await sandbox.close();
  await dropDatabase(databaseUrl);
}
