/**
 * Task endpoint benchmark: the real handlers (AWS entry point, in-process) against the real
 * database and an in-process vendor sandbox, beside one raw mysql2 primary-key SELECT on the same
 * pool in the same run. Counts database round trips (every statement sent, including START
 * TRANSACTION and COMMIT) and vendor HTTP calls per request. Rewrites the tasks section of
 * docs/benchmarks.md, leaving the other sections alone.
 *
 *   npm run bench                      # also runs the cold-start benchmark first
 *   tsx scripts/bench-tasks.ts --runs 300
 */
import { randomBytes, randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import mysql from 'mysql2';
import { measuredOn, parseRuns, quantile, sectionMarkers, writeBenchSection } from './bench-lib';

const { start: startMarker, end: endMarker } = sectionMarkers('tasks');
const warmupRuns = 20;


// ------------------------------------------------------------------------------------------------
// Counters: statements through mysql2's core connection (pool queries end there too), and HTTP
// requests leaving the process (COS/CI/STS through node:http, RunningHub through fetch).

let statements = 0;
const coreQuery = mysql.Connection.prototype.query;
mysql.Connection.prototype.query = function countedQuery(this: mysql.Connection, ...args: Parameters<typeof coreQuery>) {
  statements += 1;
  return coreQuery.apply(this, args);
} as typeof coreQuery;

let vendorCalls = 0;
diagnostics.subscribe('http.client.request.start', () => (vendorCalls += 1));
diagnostics.subscribe('undici:request:create', () => (vendorCalls += 1));

// ------------------------------------------------------------------------------------------------

interface Row {
  label: string;
  samples: number[];
  statements: number[];
  vendorCalls: number[];
  note: string;
}


const spread = (values: readonly number[]): string => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}–${high}`;
};

function event(method: string, rawPath: string, token: string, body?: unknown, query?: Record<string, string>): APIGatewayProxyEventV2 {
  const now = new Date();
  const requestId = randomUUID();
  return {
    version: '2.0',
    routeKey: `${method} ${rawPath}`,
    rawPath,
    rawQueryString: new URLSearchParams(query ?? {}).toString(),
    headers: { authorization: `Bearer ${token}`, host: 'bench.local', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId,
      routeKey: `${method} ${rawPath}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

async function measure(row: Row, runs: number, prepare: (index: number) => Promise<() => Promise<unknown>>): Promise<void> {
  for (let index = 0; index < warmupRuns + runs; index += 1) {
    const run = await prepare(index);
    const statementsBefore = statements;
    const vendorBefore = vendorCalls;
    const started = performance.now();
    await run();
    const elapsed = performance.now() - started;
    if (index < warmupRuns) continue;
    row.samples.push(elapsed);
    row.statements.push(statements - statementsBefore);
    row.vendorCalls.push(vendorCalls - vendorBefore);
  }
}

function renderSection(rows: readonly Row[], runs: number): string {
  const lines = [
    startMarker,
    '## Task endpoints: handler time in-process',
    '',
    `${measuredOn()}; ` +
      `${runs} requests per row after ${warmupRuns} warm-up requests, one at a time, \`npm run bench\` (scripts/bench-tasks.ts).`,
    '',
    '| request | median (ms) | p90 (ms) | DB round trips | vendor HTTP calls | what it does |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.label} | ${quantile(row.samples, 0.5).toFixed(2)} | ${quantile(row.samples, 0.9).toFixed(2)} | ${spread(row.statements)} | ${spread(row.vendorCalls)} | ${row.note} |`,
    ),
    '',
    'Handler time = the AWS entry point (`handler(event, context)`) from event to response, in this process: JWT check, ' +
      'middy stack, validation, SQL and vendor calls. The database is the local MariaDB/MySQL at DATABASE_URL (a fresh ' +
      'schema per run, pool of DB_POOL_SIZE connections); vendors are the in-process sandbox over loopback HTTP, so vendor ' +
      'latency here is the sandbox’s (which really decodes and encodes the images), not Tencent’s or RunningHub’s. ' +
      '*DB round trips* counts every statement sent (START TRANSACTION and COMMIT included). The raw select is the floor: ' +
      'one round trip on the same pool.',
    endMarker,
  ];
  return lines.join('\n');
}


async function main(): Promise<void> {
  const runs = parseRuns(process.argv.slice(2), 200, 20);
  const server = process.env.BENCH_DATABASE_SERVER_URL ?? 'mysql://root@127.0.0.1:3306';
  const databaseUrl = `${server}/aiphoto_bench_${randomBytes(4).toString('hex')}`;
  const { ensureDatabase, dropDatabase, migrate } = await import('../shared/db/migrate');
  const { startSandbox } = await import('../infra/sandbox/server');
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  const sandbox = await startSandbox({ port: 0, runninghubDelayMs: 60_000 });
  Object.assign(process.env, { APP_ENV: 'test', LOG_LEVEL: 'SILENT', DATABASE_URL: databaseUrl, TENCENT_API_ENDPOINT: sandbox.url });

  // Imported after the environment is set: configuration is read once, at the first import.
  const { db, closeDb, withTransaction } = await import('../shared/db/pool');
  const { grantMembership } = await import('../shared/quota/ledger');
  const { findOrCreateUserByPhone } = await import('../shared/users');
  const { issueToken } = await import('../shared/auth/jwt');
  const { mintTaskId } = await import('../shared/media/keys');
  const { taskServices } = await import('../shared/tasks/services');
  const createFn = await import('../functions/task/create');
  const getFn = await import('../functions/task/get');
  const listFn = await import('../functions/task/list');
  const { jpegImage } = await import('../test/helpers/images');

  try {
    const user = await findOrCreateUserByPhone('13900000000');
    await withTransaction((connection) => grantMembership(connection, user.id, `order_bench_${user.id}`, 100_000, 30));
    const token = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: user.role });
    const { store } = taskServices();
    const image = jpegImage({ width: 320, height: 240 });
    const seed = async (): Promise<{ taskId: string; key: string }> => {
      const taskId = mintTaskId();
      const key = `input/${user.id}/${taskId}/original.jpg`;
      await store.put(key, image, 'image/jpeg');
      return { taskId, key };
    };
    const call = async (fn: typeof createFn, request: APIGatewayProxyEventV2, expect: (body: { success: boolean; data?: { status?: string } }) => boolean) => {
      const response = await fn.handler(request, context);
      const body = JSON.parse(response.body) as { success: boolean; data?: { status?: string } };
      if (!expect(body)) throw new Error(`unexpected answer ${response.statusCode}: ${response.body}`);
    };

    const rows: Row[] = [];
    const row = (label: string, note: string): Row => {
      const created: Row = { label, samples: [], statements: [], vendorCalls: [], note };
      rows.push(created);
      return created;
    };

    const done = await seed();
    await call(createFn, event('POST', '/api/task/create', token, { type: 'basic_clean', inputImageUrl: done.key }), (body) => body.data?.status === 'done');

    await measure(row('raw mysql2 PK select', 'the floor: `SELECT … FROM tasks WHERE id = ?` on the same pool'), runs, async () => async () => {
      await db().query('SELECT id, status, result_keys FROM tasks WHERE id = ?', [done.taskId]);
    });
    await measure(row('GET /task/{id} (done)', 'caller by id, task by id and owner, 1 presigned URL (no SDK)'), runs, async () => () =>
      call(getFn, event('GET', `/api/task/${done.taskId}`, token), (body) => body.data?.status === 'done'),
    );
    await measure(row('POST /task/create basic_clean', 'HEAD + imageInfo, hold + insert, moderation + labels, CI image_process 320×240, confirm'), runs, async () => {
      const input = await seed();
      return () => call(createFn, event('POST', '/api/task/create', token, { type: 'basic_clean', inputImageUrl: input.key }), (body) => body.data?.status === 'done');
    });
    await measure(row('POST /task/create model_pose12', 'as above up to the vendor, then RunningHub create and the vendor id'), runs, async () => {
      const input = await seed();
      return () =>
        call(createFn, event('POST', '/api/task/create', token, { type: 'model_pose12', inputImageUrl: input.key, params: { scene: 'street', category: 'dress' } }), (body) => body.data?.status === 'processing');
    });
    await measure(row('POST /task/create (repeat)', 'the same task id again: caller and task, nothing spent'), runs, async () => () =>
      call(createFn, event('POST', '/api/task/create', token, { type: 'basic_clean', inputImageUrl: done.key }), (body) => body.data?.status === 'done'),
    );

    await measure(row('GET /task/list (page of 10)', `caller, then the newest 10 of the user's ${2 * (warmupRuns + runs) + 1} tasks with COUNT(*) OVER () for the total`), runs, async () => () =>
      call(listFn, event('GET', '/api/task/list', token), (body) => body.success),
    );
    const section = renderSection(rows, runs);
    console.log(section);
    await writeBenchSection('tasks', section);
  } finally {
    await closeDb();
    await sandbox.close();
    await dropDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
