import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import { dropDatabase } from '../../shared/db/migrate';
import { checkLedgerInvariants, type LedgerViolation } from '../../shared/quota/ledger';
import { assertConformsToOpenApi } from './conformance';

/**
 * Starts the real local stack (`npm run dev`'s entry point) on spare ports with its own
 * database, waits until it prints its banner, and stops it (and drops the database) afterwards.
 */
export interface RunningStack {
  /** The H5 app (served by the gateway at the API's origin). */
  app: string;
  api: string;
  sandbox: string;
  databaseUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

/** `count` distinct TCP ports on 127.0.0.1 that nothing listens on now (the system's picks for port 0, held together). */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
        }),
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function startStack(extraEnv: Record<string, string> = {}): Promise<RunningStack> {
  // Ports the system has just handed out as free: a random pick could land on a service's port
  // (3306, MariaDB's own, was in the old 3300-3599 range) or on another stack's.
  const [apiPort = 0, sandboxPort = 0] = await freePorts(2);
  const databaseUrl = `mysql://root@127.0.0.1:3306/aiphoto_e2e_${randomBytes(4).toString('hex')}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/local/dev.ts'], {
    env: {
      ...process.env,
      API_PORT: String(apiPort),
      SANDBOX_PORT: String(sandboxPort),
      DATABASE_URL: databaseUrl,
      TENCENT_API_ENDPOINT: '',
      APP_ENV: 'local',
      LOG_LEVEL: 'WARN',
      // Only the app's own origin may upload to the sandbox COS (and the cashier pages return there).
      CORS_ORIGINS: `http://127.0.0.1:${apiPort}`,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  while (!output.includes('Ctrl-C stops everything')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`stack did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    app: `http://127.0.0.1:${apiPort}/`,
    api: `http://127.0.0.1:${apiPort}/api`,
    sandbox: `http://127.0.0.1:${sandboxPort}`,
    databaseUrl,
    output: () => output,
    async stop() {
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await dropDatabase(databaseUrl);
    },
  };
}

/** One call to the running stack's API, its answer checked against the OpenAPI document. */
export async function api(base: string, method: string, path: string, options: { body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${base}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await response.text();
  // Every answer is checked against the OpenAPI document (test/helpers/conformance.ts).
  assertConformsToOpenApi(method, path, { status: response.status, headers: Object.fromEntries(response.headers), text });
  return { status: response.status, headers: response.headers, text, json: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { data?: Record<string, unknown>; error?: { code: number } } };
}

/**
 * The `fetch` to give the typed client (client/index.ts `createApiClient(base, token, { fetch })`):
 * every answer is checked against the OpenAPI document like `api()`'s.
 */
export function conformingFetch(apiBase: string): (request: Request) => Promise<Response> {
  const basePath = new URL(apiBase).pathname.replace(/\/$/, '');
  return async (request) => {
    const response = await fetch(request);
    const url = new URL(request.url);
    assertConformsToOpenApi(request.method, `${url.pathname.slice(basePath.length)}${url.search}`, { status: response.status, headers: Object.fromEntries(response.headers), text: await response.clone().text() });
    return response;
  };
}

/** The ledger invariants (shared/quota/ledger.ts), checked in a running stack's own database. */
export async function stackLedgerProblems(stack: RunningStack): Promise<LedgerViolation[]> {
  const connection = await createConnection({ uri: stack.databaseUrl });
  try {
    return await checkLedgerInvariants(connection);
  } finally {
    await connection.end();
  }
}
