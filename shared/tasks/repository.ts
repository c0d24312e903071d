import type { PoolConnection } from 'mysql2/promise';
import { execute, select, sqlFlag, type Queryable } from '../db/pool';

/** Task rows (shared/db/migrations/004_tasks.sql) and the statements on them. */
export type TaskType = 'basic_clean' | 'model_pose12';
export type TaskStatus = 'processing' | 'done' | 'failed';

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
  vendor: 'ci' | 'runninghub';
  vendor_task_id: string | null;
  created_at: Date;
  updated_at: Date;
  /** Computed by the database (one clock for every instance): past deadline_at. */
  overdue: boolean;
  /** Computed by the database: a vendor check is allowed now (next_poll_at reached). */
  poll_due: boolean;
}

interface RawTaskRow extends Omit<TaskRow, 'params' | 'result_keys' | 'overdue' | 'poll_due' | 'error_code'> {
  params: unknown;
  result_keys: unknown;
  error_code: number | string | null;
  overdue: number | string;
  poll_due: number | string;
}

export const taskColumns = `id, user_id, type, status, input_key, params, result_keys, error_code, error_reason, vendor, vendor_task_id,
  created_at, updated_at, deadline_at <= NOW(3) AS overdue, (next_poll_at IS NULL OR next_poll_at <= NOW(3)) AS poll_due`;

/** MySQL returns JSON columns parsed, MariaDB (JSON = LONGTEXT) as text: accept both. */
function json(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

export function toTaskRow(raw: RawTaskRow): TaskRow {
  const params = json(raw.params);
  const resultKeys = json(raw.result_keys);
  return {
    ...raw,
    params: typeof params === 'object' && params !== null ? (params as Record<string, string>) : {},
    result_keys: Array.isArray(resultKeys) ? resultKeys.map(String) : null,
    error_code: raw.error_code === null ? null : Number(raw.error_code),
    overdue: sqlFlag(raw.overdue),
    poll_due: sqlFlag(raw.poll_due),
  };
}

export async function findTask(id: string, on?: Queryable): Promise<TaskRow | undefined> {
  const [row] = await select<RawTaskRow>(`SELECT ${taskColumns} FROM tasks WHERE id = ?`, [id], on);
  return row && toTaskRow(row);
}

/** The caller's task; another user's task reads as missing. */
export async function findUserTask(id: string, userId: string): Promise<TaskRow | undefined> {
  const [row] = await select<RawTaskRow>(`SELECT ${taskColumns} FROM tasks WHERE id = ? AND user_id = ?`, [id, userId]);
  return row && toTaskRow(row);
}

export async function findTaskByWebhookToken(token: string): Promise<TaskRow | undefined> {
  const [row] = await select<RawTaskRow>(`SELECT ${taskColumns} FROM tasks WHERE webhook_token = ?`, [token]);
  return row && toTaskRow(row);
}

export interface NewTask {
  id: string;
  userId: string;
  type: TaskType;
  inputKey: string;
  params: Record<string, string>;
  vendor: 'ci' | 'runninghub';
  webhookToken: string | null;
  deadlineSeconds: number;
}

export async function insertTask(connection: PoolConnection, task: NewTask): Promise<void> {
  await execute(
    `INSERT INTO tasks (id, user_id, type, status, input_key, params, vendor, webhook_token, deadline_at)
     VALUES (?, ?, ?, 'processing', ?, ?, ?, ?, NOW(3) + INTERVAL ? SECOND)`,
    [task.id, task.userId, task.type, task.inputKey, JSON.stringify(task.params), task.vendor, task.webhookToken, task.deadlineSeconds],
    connection,
  );
}

/** Records the vendor's task id; the first outputs check is due one interval later. */
export async function setVendorTask(id: string, vendorTaskId: string, pollIntervalSeconds: number): Promise<boolean> {
  const result = await execute(
    `UPDATE tasks SET vendor_task_id = ?, next_poll_at = NOW(3) + INTERVAL ? SECOND WHERE id = ? AND status = 'processing'`,
    [vendorTaskId, pollIntervalSeconds, id],
  );
  return result.affectedRows === 1;
}

/**
 * The poll throttle: claims the right to ask the vendor now, at most once per interval per task,
 * whichever instance asks. Concurrent polls race on this one conditional update; one wins.
 */
export async function claimPoll(id: string, intervalSeconds: number): Promise<boolean> {
  const result = await execute(
    `UPDATE tasks SET next_poll_at = NOW(3) + INTERVAL ? SECOND
      WHERE id = ? AND status = 'processing' AND (next_poll_at IS NULL OR next_poll_at <= NOW(3))`,
    [intervalSeconds, id],
  );
  return result.affectedRows === 1;
}

/**
 * The finishing lease: whoever saw the vendor succeed takes it before copying frames, so a poll
 * and a webhook that both saw success copy once. A lease pushes next_poll_at beyond one poll
 * interval, which is how a second taker (and every poll) sees it is held; it lapses by itself if
 * its holder dies.
 */
export async function takeFinishLease(id: string, intervalSeconds: number, leaseSeconds: number): Promise<boolean> {
  const result = await execute(
    `UPDATE tasks SET next_poll_at = NOW(3) + INTERVAL ? SECOND
      WHERE id = ? AND status = 'processing' AND (next_poll_at IS NULL OR next_poll_at <= NOW(3) + INTERVAL ? SECOND)`,
    [leaseSeconds, id, intervalSeconds],
  );
  return result.affectedRows === 1;
}

/** Gives a lease back after a failed copy, so the next poll retries soon. */
export async function reopenPoll(id: string, intervalSeconds: number): Promise<void> {
  await execute(`UPDATE tasks SET next_poll_at = NOW(3) + INTERVAL ? SECOND WHERE id = ? AND status = 'processing'`, [intervalSeconds, id]);
}

export interface TaskPage {
  rows: TaskRow[];
  total: number;
}

/**
 * One page of a user's tasks, newest first, with the total from the same statement (a window
 * count). Only a page past the end needs a second statement to learn the total.
 */
export async function listUserTasks(userId: string, status: TaskStatus | undefined, limit: number, offset: number): Promise<TaskPage> {
  const filter = status ? 'AND status = ?' : '';
  const params = status ? [userId, status] : [userId];
  const rows = await select<RawTaskRow & { total: number | string }>(
    `SELECT ${taskColumns}, COUNT(*) OVER () AS total FROM tasks WHERE user_id = ? ${filter}
      ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  const first = rows[0];
  if (first) return { rows: rows.map(toTaskRow), total: Number(first.total) };
  if (offset === 0) return { rows: [], total: 0 };
  const [count] = await select<{ total: number | string }>(`SELECT COUNT(*) AS total FROM tasks WHERE user_id = ? ${filter}`, params);
  return { rows: [], total: Number(count?.total ?? 0) };
}
