/**
 * `npm run dev`: the whole system on this machine — migrations, the vendor sandbox, the API
 * gateway serving every function in the route table, and the timers. Ctrl-C stops everything.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
if (existsSync(`${projectRoot}/.env`)) process.loadEnvFile(`${projectRoot}/.env`);

process.env.APP_ENV ??= 'local';
// The ports are settings (shared/config/core.ts), parsed here before the environment below is
// settled; config() itself is read only afterwards, once.
const { loadConfig } = await import('../../shared/config');
const { API_PORT: apiPort, SANDBOX_PORT: sandboxPort } = loadConfig(process.env);
// Requests overlap in this one process: Powertools keeps each one's log keys in the gateway's
// per-request InvokeStore (infra/local/gateway.ts), as on Lambda's multi-concurrency runtime.
process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
// The API talks to the sandbox this process starts, whatever port it is on.
if (!process.env.TENCENT_API_ENDPOINT) process.env.TENCENT_API_ENDPOINT = `http://127.0.0.1:${sandboxPort}`;
// RunningHub (the sandbox) calls the webhook back on this gateway, whatever port it is on.
if (!process.env.WEBHOOK_BASE_URL) process.env.WEBHOOK_BASE_URL = `http://127.0.0.1:${apiPort}${process.env.API_BASE_PATH ?? '/api'}`;
// WeChat Pay, WeChat OAuth and Alipay are the sandbox too; their notifications come back to this gateway.
const apiBaseUrl = `http://127.0.0.1:${apiPort}${process.env.API_BASE_PATH ?? '/api'}`;
process.env.WECHAT_PAY_BASE_URL ||= `http://127.0.0.1:${sandboxPort}`;
process.env.WECHAT_OAUTH_BASE_URL ||= `http://127.0.0.1:${sandboxPort}`;
process.env.ALIPAY_GATEWAY_URL ||= `http://127.0.0.1:${sandboxPort}/gateway.do`;
process.env.PAYMENT_NOTIFY_URL ||= `${apiBaseUrl}/membership/payment-callback`;
// The H5 app is served by the gateway at the API's origin (below): its origin may upload to the
// sandbox COS (whose CORS rules follow CORS_ORIGINS, as `npm run cos:cors` sets them on the real
// bucket), and the cashier pages send the buyer back to its membership page.
const appUrl = `http://127.0.0.1:${apiPort}/`;
process.env.CORS_ORIGINS ||= `http://127.0.0.1:${apiPort},http://localhost:${apiPort},http://localhost:5173,http://127.0.0.1:5173`;
process.env.PAYMENT_RETURN_URL ||= `${appUrl}#/membership`;

// Imported after the environment is settled: configuration is read once, on first use.
const { config } = await import('../../shared/config');
const { ensureDatabase, migrate } = await import('../../shared/db/migrate');
const { startSandbox } = await import('../sandbox/server');
const { startGateway } = await import('./gateway');
const { startTimers } = await import('./timers');
const { ensureAppBuilt } = await import('./app-build');
const { httpRoutes, scheduleRoutes } = await import('../../shared/routes');
const { deleteAllLogs } = await import('../../shared/db/repositories/rate-limit-logs');
const { deleteAllCodes } = await import('../../shared/db/repositories/otp-codes');

const settings = config();
if (!settings.isLocal) throw new Error('npm run dev refuses APP_ENV=production');

await ensureDatabase(settings.DATABASE_URL);
const migrations = await migrate(settings.DATABASE_URL);
// A reset of the sandbox starts the local API's rate limits and login codes afresh too (the sandbox
// forgets the SMS it delivered), so a person trying the login flow again is not locked out.
const resetLocalLimits = async (): Promise<void> => {
  await Promise.all([deleteAllLogs(), deleteAllCodes()]);
};
const sandbox = await startSandbox({ port: sandboxPort, verbose: process.env.SANDBOX_VERBOSE === '1', apiBaseUrl, onReset: resetLocalLimits, corsOrigins: settings.CORS_ORIGINS });
const app = await ensureAppBuilt(projectRoot, settings.API_BASE_PATH);
const gateway = await startGateway({
  port: apiPort,
  basePath: settings.API_BASE_PATH,
  projectRoot,
  staticRoot: app.dist,
  // Local-only values for the app (config.ts): the SMS hint and the sandbox's WeChat OAuth page.
  appConfig: { sandboxUrl: sandbox.url, wechatAppId: settings.WECHAT_APP_ID, wechatOAuthUrl: `${sandbox.url}/connect/oauth2/authorize` },
});
const timers = startTimers(projectRoot, (line) => console.error(line));

const database = new URL(settings.DATABASE_URL);
console.log(`
  App        ${appUrl}   (H5 app, app/dist${app.built ? ', built now' : ''})
  API        ${gateway.url}   (${httpRoutes.length} routes)
  Sandbox    ${sandbox.url}   (GET /_sandbox/sms/latest?phone=…, POST /_sandbox/faults, POST /_sandbox/pay)
  Database   ${database.host}${database.pathname}   (${migrations.applied.length} migration(s) applied now)
  Timers     ${scheduleRoutes.map((route) => `${route.name} every ${route.everyMinutes} min`).join(', ') || 'none'}

  Try:  curl -s -X POST ${gateway.url}/auth/send-code -H 'content-type: application/json' -d '{"phone":"13800138000"}'
  Ctrl-C stops everything.
`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  timers.stop();
  await Promise.allSettled([gateway.close(), sandbox.close()]);
  const { closeDb } = await import('../../shared/db/pool');
  await closeDb();
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
