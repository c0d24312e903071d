import type { PoolConnection } from 'mysql2/promise';
import { execute, select, sqlFlag, type Queryable } from '../pool';
import { eventsFromColumn, taskEventsColumnOf, type TaskEventRow } from './task-events';
import { userColumnsOf, userFromJoined, type Role, type UserRow } from './users';

/**
 * Rows of `tasks` (migrations 004, 006, 009) and every statement on that table. The state changes
 * are called only by shared/tasks/lifecycle.ts; each is one conditional UPDATE, and the trigger
 * tasks_settle_hold (migration 009) writes the hold's confirm or release in the same statement.
 * No statement here reads `users` while writing `tasks` (a trigger may not change a table its
 * statement reads, error 1442).
 */
export type TaskType = 'basic_clean' | 'model_pose12';
export type TaskStatus = 'processing' | 'done' | 'failed' | 'cancelled';
export type TaskVendor = 'ci' | 'runninghub';

export interface TaskRow {
  id: string;
  user_id: string;
  type: TaskType;
  status: TaskStatus;
  input_key: string;
  params: Record<string, string>;
  result_keys: string[] | null;
  error_code: number | null;
  error_reason: string | null;
  vendor: TaskVendor;
  vendor_task_id: string | null;
  vendor_cost: string | null;
  webhook_token: string | null;
  /** The owner's completion webhook URL (migration 017), or null. */
  callback_url: string | null;
  created_at: Date;
  updated_at: Date;
  /** Computed by the database (one clock for every instance): past deadline_at. */
  overdue: boolean;
  /** Computed by the database: next_poll_at reached — a vendor check may run, or a lapsed start lease may be taken. */
  poll_due: boolean;
}

type RawTaskRow = Omit<TaskRow, 'params' | 'result_keys' | 'overdue' | 'poll_due' | 'error_code'> & {
  params: unknown;
  result_keys: unknown;
  error_code: number | string | null;
  overdue: number | string;
  poll_due: number | string;
};

const taskColumnList = [
  'id',
  'user_id',
  'type',
  'status',
  'input_key',
  'params',
  'result_keys',
  'error_code',
  'error_reason',
  'vendor',
  'vendor_task_id',
  'vendor_cost',
  'webhook_token',
  'callback_url',
  'created_at',
  'updated_at',
];

/** The task columns through an alias (`t`), plus the two flags computed on the database's clock. */
const taskColumnsOf = (alias: string): string =>
  [
    ...taskColumnList.map((column) => `${alias}.${column}`),
    `${alias}.deadline_at <= UTC_TIMESTAMP(3) AS overdue`,
    `(${alias}.next_poll_at IS NULL OR ${alias}.next_poll_at <= UTC_TIMESTAMP(3)) AS poll_due`,
  ].join(', ');

const taskColumns = taskColumnsOf('tasks');

/** MySQL returns JSON columns parsed, MariaDB (JSON = LONGTEXT) as text: accept both. */
function json(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function toTaskRow(raw: RawTaskRow): TaskRow {
  const params = json(raw.params);
  const resultKeys = json(raw.result_keys);
  return {
    id: raw.id,
    user_id: raw.user_id,
    type: raw.type,
    status: raw.status,
    input_key: raw.input_key,
    params: typeof params === 'object' && params !== null ? (params as Record<string, string>) : {},
    result_keys: Array.isArray(resultKeys) ? resultKeys.map(String) : null,
    error_code: raw.error_code === null ? null : Number(raw.error_code),
    error_reason: raw.error_reason,
    vendor: raw.vendor,
    vendor_task_id: raw.vendor_task_id,
    vendor_cost: raw.vendor_cost,
    webhook_token: raw.webhook_token,
    callback_url: raw.callback_url ?? null,
    created_at: raw.created_at,
    updated_at: raw.updated_at,
    overdue: sqlFlag(raw.overdue),
    poll_due: sqlFlag(raw.poll_due),
  };
}

export async function findTask(id: string, on?: Queryable): Promise<TaskRow | undefined> {
  const [row] = await select<RawTaskRow>(`SELECT ${taskColumns} FROM tasks WHERE id = ?`, [id], on);
  return row && toTaskRow(row);
}

/** The user's task made by a retry with this Idempotency-Key (unique per user, migration 015), with the task it re-ran. */
export async function findTaskByIdempotencyKey(userId: string, idempotencyKey: string): Promise<(TaskRow & { original_task_id: string | null }) | undefined> {
  const [row] = await select<RawTaskRow & { original_task_id: string | null }>(`SELECT ${taskColumns}, original_task_id FROM tasks WHERE user_id = ? AND idempotency_key = ?`, [
    userId,
    idempotencyKey,
  ]);
  return row && { ...toTaskRow(row), original_task_id: row.original_task_id };
}

export async function findTaskByWebhookToken(token: string): Promise<TaskRow | undefined> {
  const [row] = await select<RawTaskRow>(`SELECT ${taskColumns} FROM tasks WHERE webhook_token = ?`, [token]);
  return row && toTaskRow(row);
}

/**
 * One statement: the user's row (for the session check and the membership) and their task with
 * this id, if any. Another user's task reads as missing. Undefined when the user is gone.
 */
export async function findUserAndTask(userId: string, taskId: string): Promise<{ user: UserRow; task: TaskRow | undefined } | undefined> {
  const [row] = await select<Record<string, unknown>>(
    `SELECT ${userColumnsOf('u')}, ${taskColumnsOf('t')}
       FROM users u LEFT JOIN tasks t ON t.id = ? AND t.user_id = u.id
      WHERE u.id = ?`,
    [taskId, userId],
  );
  if (!row) return undefined;
  return { user: userFromJoined(row), task: row.id === null ? undefined : toTaskRow(row as unknown as RawTaskRow) };
}

/** findUserAndTask plus the task's event trail (migration 016), still one statement: GET /task/{taskId}. */
export async function findUserTaskAndEvents(userId: string, taskId: string): Promise<{ user: UserRow; task: TaskRow | undefined; events: TaskEventRow[] } | undefined> {
  const [row] = await select<Record<string, unknown>>(
    `SELECT ${userColumnsOf('u')}, ${taskColumnsOf('t')}, ${taskEventsColumnOf('t')} AS task_events
       FROM users u LEFT JOIN tasks t ON t.id = ? AND t.user_id = u.id
      WHERE u.id = ?`,
    [taskId, userId],
  );
  if (!row) return undefined;
  const task = row.id === null ? undefined : toTaskRow(row as unknown as RawTaskRow);
  return { user: userFromJoined(row), task, events: task ? eventsFromColumn(row.task_events) : [] };
}

/** A task and its event trail in one statement (the read-back after a poll settled it, a webhook's payload). */
export async function findTaskAndEvents(id: string, on?: Queryable): Promise<{ task: TaskRow; events: TaskEventRow[] } | undefined> {
  const [row] = await select<Record<string, unknown>>(`SELECT ${taskColumns}, ${taskEventsColumnOf('tasks')} AS task_events FROM tasks WHERE id = ?`, [id], on);
  return row && { task: toTaskRow(row as unknown as RawTaskRow), events: eventsFromColumn(row.task_events) };
}

export interface NewTask {
  id: string;
  userId: string;
  type: TaskType;
  inputKey: string;
  params: Record<string, string>;
  vendor: TaskVendor;
  webhookToken: string | null;
  /** The owner's completion webhook (POST /task/create `callbackUrl`), or null. */
  callbackUrl?: string | null;
  deadlineSeconds: number;
  /** Set by the caller so the answer needs no re-read (the database's own clock decides deadlines). */
  createdAt: Date;
  /** The creating request's start lease: until then nobody else starts the vendor work. */
  startLeaseSeconds: number;
  /** A retry (POST /task/retry/{taskId}): the task it re-runs, and the client's Idempotency-Key (unique per user, migration 015). */
  originalTaskId?: string | null;
  idempotencyKey?: string | null;
}

export async function insertTask(connection: PoolConnection, task: NewTask): Promise<void> {
  await execute(
    `INSERT INTO tasks (id, user_id, type, status, input_key, params, vendor, webhook_token, callback_url, deadline_at, next_poll_at, created_at, updated_at, original_task_id, idempotency_key)
     VALUES (?, ?, ?, 'processing', ?, ?, ?, ?, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND, UTC_TIMESTAMP(3) + INTERVAL ? SECOND, ?, ?, ?, ?)`,
    [
      task.id,
      task.userId,
      task.type,
      task.inputKey,
      JSON.stringify(task.params),
      task.vendor,
      task.webhookToken,
      task.callbackUrl ?? null,
      task.deadlineSeconds,
      task.startLeaseSeconds,
      task.createdAt,
      task.createdAt,
      task.originalTaskId ?? null,
      task.idempotencyKey ?? null,
    ],
    connection,
  );
}

const changed = (result: { affectedRows: number }): boolean => result.affectedRows > 0;

/**
 * Takes the start lease of a task whose creator's lease lapsed before its vendor work started
 * (the request died, or its commit's answer was lost): whoever wins starts it.
 */
export async function takeStartLease(id: string, leaseSeconds: number): Promise<boolean> {
  return changed(
    await execute(
      `UPDATE tasks SET next_poll_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND
        WHERE id = ? AND status = 'processing' AND vendor_task_id IS NULL AND next_poll_at <= UTC_TIMESTAMP(3) AND deadline_at > UTC_TIMESTAMP(3)`,
      [leaseSeconds, id],
    ),
  );
}

/** Records the vendor's task id; the first outputs check is due one interval later. */
export async function setVendorTask(id: string, vendorTaskId: string, pollIntervalSeconds: number): Promise<boolean> {
  return changed(
    await execute(`UPDATE tasks SET vendor_task_id = ?, next_poll_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ? AND status = 'processing'`, [vendorTaskId, pollIntervalSeconds, id]),
  );
}

/**
 * The poll throttle: claims the right to ask the vendor now, at most once per interval per task,
 * whichever instance asks. Concurrent polls race on this one conditional update; one wins.
 */
export async function claimPoll(id: string, intervalSeconds: number): Promise<boolean> {
  return changed(
    await execute(
      `UPDATE tasks SET next_poll_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND
        WHERE id = ? AND status = 'processing' AND (next_poll_at IS NULL OR next_poll_at <= UTC_TIMESTAMP(3))`,
      [intervalSeconds, id],
    ),
  );
}

/**
 * The finishing lease: whoever saw the vendor succeed takes it before copying frames, so a poll
 * and a webhook that both saw success copy once. A lease pushes next_poll_at beyond one poll
 * interval, which is how a second taker (and every poll) sees it is held. It never reaches past
 * the deadline by more than `graceSeconds`, so a holder that dies delays settlement by at most
 * that (shared/tasks/lifecycle.ts, "bounded settlement").
 */
export async function takeFinishLease(id: string, intervalSeconds: number, leaseSeconds: number, graceSeconds: number): Promise<boolean> {
  return changed(
    await execute(
      `UPDATE tasks SET next_poll_at = LEAST(UTC_TIMESTAMP(3) + INTERVAL ? SECOND, GREATEST(deadline_at, UTC_TIMESTAMP(3)) + INTERVAL ? SECOND)
        WHERE id = ? AND status = 'processing' AND (next_poll_at IS NULL OR next_poll_at <= UTC_TIMESTAMP(3) + INTERVAL ? SECOND)`,
      [leaseSeconds, graceSeconds, id, intervalSeconds],
    ),
  );
}

/** Gives a lease back after a failed copy, so the next poll retries soon. */
export async function reopenPoll(id: string, intervalSeconds: number): Promise<void> {
  await execute(`UPDATE tasks SET next_poll_at = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE id = ? AND status = 'processing'`, [intervalSeconds, id]);
}

/** processing → done with its result keys (the trigger confirms the hold). True when this call changed it. */
export async function markDone(id: string, userId: string, resultKeys: readonly string[], vendorCost: string | null, vendorRunSeconds: number | null = null): Promise<boolean> {
  return changed(
    await execute(
      `UPDATE tasks SET status = 'done', result_keys = ?, vendor_cost = COALESCE(?, vendor_cost), vendor_run_seconds = COALESCE(?, vendor_run_seconds),
              finished_at = UTC_TIMESTAMP(3), next_poll_at = NULL
        WHERE id = ? AND user_id = ? AND status = 'processing'`,
      [JSON.stringify(resultKeys), vendorCost, vendorRunSeconds === null ? null : Math.min(Math.round(vendorRunSeconds), 4_294_967_295), id, userId],
    ),
  );
}

export interface FailureColumns {
  readonly code: number;
  /** What the user sees (errorReason): one of the contract's messages. */
  readonly reason: string;
  /** Internal: the vendor's code and message, never shown. */
  readonly detail: string | null;
}

const limit255 = (value: string | null): string | null => (value === null ? null : value.slice(0, 255));

/**
 * processing → failed (the trigger releases the hold). True when this call changed it.
 * `onlyIfLeaseLapsed`: only while no lease is held (next_poll_at reached).
 */
export async function markFailed(id: string, userId: string, failure: FailureColumns, options: { onlyIfLeaseLapsed?: boolean } = {}): Promise<boolean> {
  return changed(
    await execute(
      `UPDATE tasks SET status = 'failed', error_code = ?, error_reason = ?, error_detail = ?, finished_at = UTC_TIMESTAMP(3), next_poll_at = NULL
        WHERE id = ? AND user_id = ? AND status = 'processing' ${options.onlyIfLeaseLapsed ? 'AND (next_poll_at IS NULL OR next_poll_at <= UTC_TIMESTAMP(3))' : ''}`,
      [failure.code, limit255(failure.reason), limit255(failure.detail), id, userId],
    ),
  );
}

/** processing → cancelled at its owner's request (the trigger releases the hold). True when this call changed it. */
export async function markCancelled(id: string, userId: string, failure: FailureColumns): Promise<boolean> {
  return changed(
    await execute(
      `UPDATE tasks SET status = 'cancelled', error_code = ?, error_reason = ?, error_detail = ?, finished_at = UTC_TIMESTAMP(3), next_poll_at = NULL
        WHERE id = ? AND user_id = ? AND status = 'processing'`,
      [failure.code, limit255(failure.reason), limit255(failure.detail), id, userId],
    ),
  );
}

/** Many rows this transaction has locked, processing → failed in one statement (one release each, by the trigger). */
export async function markManyFailed(connection: PoolConnection, ids: readonly string[], failure: FailureColumns): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await execute(
    `UPDATE tasks SET status = 'failed', error_code = ?, error_reason = ?, error_detail = ?, finished_at = UTC_TIMESTAMP(3), next_poll_at = NULL
      WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'processing'`,
    [failure.code, limit255(failure.reason), limit255(failure.detail), ...ids],
    connection,
  );
  return result.affectedRows;
}

/**
 * Up to `limit` overdue processing tasks nobody holds (FOR UPDATE SKIP LOCKED) and no sweeper has a
 * live claim on (shared/db/repositories/sweep-claims.ts), oldest deadline first.
 */
export async function lockOverdueTasks(connection: PoolConnection, limit: number): Promise<TaskRow[]> {
  const rows = await select<RawTaskRow>(
    `SELECT ${taskColumns} FROM tasks
      WHERE status = 'processing' AND deadline_at <= UTC_TIMESTAMP(3)
        AND NOT EXISTS (SELECT 1 FROM sweep_claims c WHERE c.kind = 'task' AND c.subject = tasks.id AND c.claimed_until > UTC_TIMESTAMP(3))
      ORDER BY deadline_at LIMIT ? FOR UPDATE SKIP LOCKED`,
    [limit],
    connection,
  );
  return rows.map(toTaskRow);
}

/** The admin task list's filter (contract §12); undefined fields do not filter. */
export interface TaskListFilter {
  readonly status: TaskStatus | undefined;
  readonly userId: string | undefined;
}

/** One page of every user's tasks, newest first, and the count under the same filter: two statements. */
export async function listTasksPage(filter: TaskListFilter, limit: number, offset: number, on?: Queryable): Promise<{ rows: TaskRow[]; total: number }> {
  const conditions: string[] = [];
  const params: string[] = [];
  if (filter.status !== undefined) {
    conditions.push('status = ?');
    params.push(filter.status);
  }
  if (filter.userId !== undefined) {
    conditions.push('user_id = ?');
    params.push(filter.userId);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = await select<RawTaskRow>(`SELECT ${taskColumns} FROM tasks ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, [...params, limit, offset], on);
  const [count] = await select<{ total: number | string }>(`SELECT COUNT(*) AS total FROM tasks ${where}`, params, on);
  return { rows: rows.map(toTaskRow), total: Number(count?.total ?? 0) };
}

/**
 * Tasks that failed since `since`, most recent failure first (finished_at, idx_tasks_status_finished:
 * support looks at what went wrong lately), and their count: two statements.
 */
export async function listFailedTasksSince(since: Date, limit: number, on?: Queryable): Promise<{ rows: TaskRow[]; total: number }> {
  const where = "WHERE status = 'failed' AND finished_at >= ?";
  const rows = await select<RawTaskRow>(`SELECT ${taskColumns} FROM tasks ${where} ORDER BY finished_at DESC, id DESC LIMIT ?`, [since, limit], on);
  const [count] = await select<{ total: number | string }>(`SELECT COUNT(*) AS total FROM tasks ${where}`, [since], on);
  return { rows: rows.map(toTaskRow), total: Number(count?.total ?? 0) };
}

// GET /task/list's statement: one round trip whose cost does not grow with the user's task count.

export interface TaskListQuery {
  readonly userId: string;
  /** Undefined: every status. */
  readonly status: TaskStatus | undefined;
  /** Rows to read; the caller asks for one more than it shows, to learn whether a next page exists. */
  readonly limit: number;
  readonly offset: number;
  /** Keyset position: only tasks after it in the list's order (created_at DESC, id DESC). */
  readonly after: { readonly createdAt: Date; readonly id: string } | undefined;
}

export interface TaskListPage {
  /** The user's session columns; undefined when the user is gone. */
  readonly user: { readonly token_version: number; readonly role: Role } | undefined;
  /** Tasks of the user (with the status, if given), all pages together: user_task_counts (migration 008). */
  readonly total: number;
  readonly rows: TaskRow[];
}

/**
 * The caller's session columns, the total from the maintained counts, and one page, newest first.
 * - The page's keys come from the user's index in index order, cut by LIMIT: offset + limit index
 *   entries are read, and with a keyset position only `limit`. FORCE INDEX: left alone, MariaDB may
 *   walk idx_tasks_status_created through every user's tasks of that status.
 * - Their rank (ROW_NUMBER over those few keys) gives the order, so the joined rows need no sort:
 *   sorting them in SQL would copy their JSON columns into a temporary table, which MariaDB keeps in
 *   its disk format (+0.3 to 0.5 ms per request, measured). The rows are then read by primary key.
 * - All of it is LEFT JOINed to the user's row: a page past the end, or a user with no tasks, still
 *   answers with the session columns and the total; a user who is gone answers with no row.
 * EXPLAIN and timings: docs/benchmarks.md, tasks section.
 */
export async function selectTaskListPage(query: TaskListQuery): Promise<TaskListPage> {
  const index = query.status ? 'idx_tasks_user_status_created' : 'idx_tasks_user_created';
  const statusFilter = query.status ? 'AND status = ?' : '';
  const keysetFilter = query.after ? 'AND (created_at < ? OR (created_at = ? AND id < ?))' : '';
  const rows = await select<Record<string, unknown>>(
    `SELECT u.token_version AS u_token_version, u.role AS u_role,
            (SELECT COALESCE(SUM(c.task_count), 0) FROM user_task_counts c WHERE c.user_id = u.id ${query.status ? 'AND c.status = ?' : ''}) AS u_total,
            page.position AS page_position, ${taskColumnsOf('t')}
       FROM users u
       LEFT JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at DESC, id DESC) AS position
                    FROM (SELECT id, created_at FROM tasks FORCE INDEX (${index})
                           WHERE user_id = ? ${statusFilter} ${keysetFilter}
                           ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?) page_keys) page ON TRUE
       LEFT JOIN tasks t ON t.id = page.id
      WHERE u.id = ?`,
    [
      ...(query.status ? [query.status] : []),
      query.userId,
      ...(query.status ? [query.status] : []),
      ...(query.after ? [query.after.createdAt, query.after.createdAt, query.after.id] : []),
      query.limit,
      query.offset,
      query.userId,
    ],
  );
  const first = rows[0];
  if (!first) return { user: undefined, total: 0, rows: [] };
  const page = rows.filter((row) => row.id !== null).sort((a, b) => Number(a.page_position) - Number(b.page_position));
  return {
    user: { token_version: Number(first.u_token_version), role: first.u_role as Role },
    total: Number(first.u_total),
    rows: page.map((row) => toTaskRow(row as unknown as Parameters<typeof toTaskRow>[0])),
  };
}

/** Task counts by month of creation (UTC, `YYYY-MM`; null: older than the window), type and status. */
export interface TaskCountRow {
  readonly month: string | null;
  readonly type: TaskType;
  readonly status: TaskStatus;
  readonly tasks: number;
}

/** GET /quota/statistics: one user's tasks counted per month since `since`, type and status, from idx_tasks_user_created. */
export async function countUserTasks(userId: string, since: Date): Promise<TaskCountRow[]> {
  const rows = await select<{ month: string | null; type: TaskType; status: TaskStatus; tasks: number | string }>(
    `SELECT IF(created_at >= ?, DATE_FORMAT(created_at, '%Y-%m'), NULL) AS month, type, status, COUNT(*) AS tasks
       FROM tasks FORCE INDEX (idx_tasks_user_created)
      WHERE user_id = ?
      GROUP BY month, type, status`,
    [since, userId],
  );
  return rows.map((row) => ({ month: row.month, type: row.type, status: row.status, tasks: Number(row.tasks) }));
}

/** GET /admin/stats: every task counted by status and type (one pass over the table). */
export async function countTasksByStatusAndType(on?: Queryable): Promise<{ status: TaskStatus; type: TaskType; tasks: number }[]> {
  const rows = await select<{ status: TaskStatus; type: TaskType; tasks: number | string }>('SELECT status, type, COUNT(*) AS tasks FROM tasks GROUP BY status, type', [], on);
  return rows.map((row) => ({ status: row.status, type: row.type, tasks: Number(row.tasks) }));
}

/** One group of GET /admin/costs: tasks created on one UTC day, of one type, ending one way. */
export interface TaskCostRow {
  readonly day: string;
  readonly type: TaskType;
  readonly status: TaskStatus;
  readonly tasks: number;
  /** RunningHub coins (vendor_cost, `consumeCoins`) summed; 0 when none reported. */
  readonly coins: number;
  /** RunningHub run seconds (vendor_run_seconds, `taskCostTime`, migration 015) summed. */
  readonly runSeconds: number;
}

/** Tasks created in [from, to) grouped by UTC day, type and status (idx_tasks_created, migration 005): one statement. */
export async function sumTaskCosts(from: Date, to: Date, on?: Queryable): Promise<TaskCostRow[]> {
  const rows = await select<{ day: string | Date; type: TaskType; status: TaskStatus; tasks: number | string; coins: number | string | null; run_seconds: number | string | null }>(
    `SELECT DATE_FORMAT(created_at, '%Y-%m-%d') AS day, type, status, COUNT(*) AS tasks,
            SUM(CASE WHEN vendor_cost REGEXP '^[0-9]+([.][0-9]+)?$' THEN CAST(vendor_cost AS DECIMAL(20, 4)) ELSE 0 END) AS coins,
            SUM(COALESCE(vendor_run_seconds, 0)) AS run_seconds
       FROM tasks
      WHERE created_at >= ? AND created_at < ?
      GROUP BY day, type, status
      ORDER BY day, type, status`,
    [from, to],
    on,
  );
  return rows.map((row) => ({ day: String(row.day), type: row.type, status: row.status, tasks: Number(row.tasks), coins: Number(row.coins ?? 0), runSeconds: Number(row.run_seconds ?? 0) }));
}
