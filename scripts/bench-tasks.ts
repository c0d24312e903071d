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

/** Runs one request and, past the warm-up, records its time, statements and vendor calls in `row`. */
async function sample(row: Row, run: () => Promise<unknown>, warm: boolean): Promise<void> {
  const statementsBefore = statements;
  const vendorBefore = vendorCalls;
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  if (!warm) return;
  row.samples.push(elapsed);
  row.statements.push(statements - statementsBefore);
  row.vendorCalls.push(vendorCalls - vendorBefore);
}

async function measure(row: Row, runs: number, prepare: (index: number) => Promise<() => Promise<unknown>>): Promise<void> {
  for (let index = 0; index < warmupRuns + runs; index += 1) await sample(row, await prepare(index), index >= warmupRuns);
}

/** Several rows measured round-robin (warm-up included), so drift of the machine hits each alike. */
async function measureInterleaved(runs: number, rows: readonly (readonly [Row, () => Promise<unknown>])[]): Promise<void> {
  for (let index = 0; index < warmupRuns + runs; index += 1) {
    for (const [row, run] of rows) await sample(row, run, index >= warmupRuns);
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
      'one round trip on the same pool. The list rows are measured round-robin against two users with 10 and 10,000 tasks ' +
      '(a third each processing, done, failed); their one statement reads the total from user_task_counts (migration 008) and ' +
      'the page from the user\u2019s index (shared/db/repositories/tasks.ts), so page 1 and a cursor page cost the same ' +
      'at any task count; an offset page still walks the entries before it. ' +
      'Before the core rework (commit a6d6ae6, the same script), the round trips were: GET /task/{id} 2, GET /task/list 2 ' +
      '(its COUNT(*) OVER () sorted every task of the user: 2.9 ms at 10 tasks, 53.6 ms at 10,000), ' +
      'GET /membership/status 2 (as the issue measured them), POST /task/create basic_clean 17, model_pose12 11, repeat 2. ' +
      'Now a read is one statement that returns the session columns beside its data (shared/auth/session.ts), the hold is one ' +
      'conditional INSERT and a task\u2019s end one UPDATE whose trigger writes the confirm or release (docs/decisions/0007).',
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
  const { db, closeDb, select, withTransaction } = await import('../shared/db/pool');
  const { grantMembership } = await import('../shared/quota/ledger');
  const { findOrCreateUserByPhone } = await import('../shared/users');
  const { issueToken } = await import('../shared/auth/jwt');
  const { mintTaskId } = await import('../shared/media/keys');
  const { taskPorts } = await import('../shared/wiring/ports');
  const { encodeCursor } = await import('../shared/tasks/schemas');
  const createFn = await import('../functions/task/create');
  const getFn = await import('../functions/task/get');
  const listFn = await import('../functions/task/list');
  const meFn = await import('../functions/auth/me');
  const statusFn = await import('../functions/membership/status');
  const { jpegImage } = await import('../test/helpers/images');

  try {
    const user = await findOrCreateUserByPhone('13900000000');
    await withTransaction((connection) => grantMembership(connection, user.id, `order_bench_${user.id}`, 100_000, 30));
    const token = await issueToken({ userId: user.id, tokenVersion: user.token_version, role: user.role });
    const { store } = taskPorts;
    const image = jpegImage({ width: 320, height: 240 });
    const seed = async (): Promise<{ taskId: string; key: string }> => {
      const taskId = mintTaskId();
      const key = `input/${user.id}/${taskId}/original.jpg`;
      await store.put(key, image, 'image/jpeg');
      return { taskId, key };
    };
    /** A user with `count` tasks written by SQL, a second apart, newest now; a third of them done with a result. */
    const seedListUser = async (phone: string, count: number): Promise<{ userId: string; token: string }> => {
      const listUser = await findOrCreateUserByPhone(phone);
      for (let start = 0; start < count; start += 1000) {
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (let index = start; index < Math.min(count, start + 1000); index += 1) {
          const taskId = mintTaskId();
          const status = (['done', 'failed', 'processing'] as const)[index % 3];
          tuples.push(`(?, ?, 'basic_clean', ?, ?, '{}', ?, 'ci', NOW(3), NOW(3) - INTERVAL ? SECOND)`);
          values.push(taskId, listUser.id, status, `input/${listUser.id}/${taskId}/original.jpg`, status === 'done' ? JSON.stringify([`output/${listUser.id}/${taskId}/result.jpg`]) : null, index);
        }
        await db().query(`INSERT INTO tasks (id, user_id, type, status, input_key, params, result_keys, vendor, deadline_at, created_at) VALUES ${tuples.join(', ')}`, values);
      }
      return { userId: listUser.id, token: await issueToken({ userId: listUser.id, tokenVersion: listUser.token_version, role: listUser.role }) };
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
    // GET /task/list against users with 10 and 10,000 tasks (rows written by SQL, counts kept by the
    // migration 008 triggers), rows interleaved so machine drift hits them alike.
    const few = await seedListUser('13900000010', 10);
    const many = await seedListUser('13900000011', 10_000);
    const [cursorRow] = await select<{ id: string; created_at: Date }>(
      'SELECT id, created_at FROM tasks WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET 489',
      [many.userId],
    );
    if (!cursorRow) throw new Error('no 490th task to start page 50 from');
    const page50 = encodeCursor({ createdAt: cursorRow.created_at, id: cursorRow.id });
    const listPage = (token: string, total: number, query?: Record<string, string>) => () =>
      call(listFn, event('GET', '/api/task/list', token, undefined, query), (body) => {
        const data = body.data as { tasks?: unknown[]; total?: number } | undefined;
        return body.success && data?.tasks?.length === 10 && data.total === total;
      });
    await measureInterleaved(runs, [
      [row('GET /task/list page 1, 10 tasks', 'session columns, total from user_task_counts and the page: one statement'), listPage(few.token, 10)],
      [row('GET /task/list page 1, 10,000 tasks', 'the same statement: reads 11 index entries and 10 rows by primary key'), listPage(many.token, 10_000)],
      [row('GET /task/list 10,000 tasks, cursor page 50', '`cursor` after task 490: the same 11 index entries'), listPage(many.token, 10_000, { cursor: page50 })],
      [row('GET /task/list 10,000 tasks, offset page 50', '`offset=490` (the contract): walks 500 index entries'), listPage(many.token, 10_000, { offset: '490' })],
    ]);
    await measure(row('GET /auth/me', 'the user row by id: the session check is the read'), runs, async () => () =>
      call(meFn as typeof createFn, event('GET', '/api/auth/me', token), (body) => body.success),
    );
    await measure(row('GET /membership/status (no order pending)', 'user row and whether an order awaits its notification: one statement'), runs, async () => () =>
      call(statusFn as typeof createFn, event('GET', '/api/membership/status', token), (body) => body.success),
    );
    await measure(row('GET /task/{id} (done)', 'session columns and the task in one statement, 1 presigned URL (no SDK)'), runs, async () => () =>
      call(getFn, event('GET', `/api/task/${done.taskId}`, token), (body) => body.data?.status === 'done'),
    );
    await measure(row('POST /task/create basic_clean', 'caller+task read; HEAD + imageInfo; START, hold, insert, COMMIT; moderation + labels; CI image_process 320×240; moderation’s trail append, sent while CI works; done (its triggers confirm and write the end’s trail: migration 018)'), runs, async () => {
      const input = await seed();
      return () => call(createFn, event('POST', '/api/task/create', token, { type: 'basic_clean', inputImageUrl: input.key }), (body) => body.data?.status === 'done');
    });
    await measure(row('POST /task/create model_pose12', 'caller+task read; START, hold, insert, COMMIT; RunningHub create; the vendor id (its trigger writes moderation + vendor_submitted; the insert’s wrote created, quota_held, input_checked: migration 018)'), runs, async () => {
      const input = await seed();
      return () =>
        call(createFn, event('POST', '/api/task/create', token, { type: 'model_pose12', inputImageUrl: input.key, params: { scene: 'street', category: 'dress' } }), (body) => body.data?.status === 'processing');
    });
    await measure(row('POST /task/create (repeat)', 'the same task id again: caller and task, nothing spent'), runs, async () => () =>
      call(createFn, event('POST', '/api/task/create', token, { type: 'basic_clean', inputImageUrl: done.key }), (body) => body.data?.status === 'done'),
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
