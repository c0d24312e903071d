import { insertTaskEvents, type NewTaskEvent, type TaskEventRow } from '../db/repositories/task-events';
import type { TaskRow, TaskStatus } from '../db/repositories/tasks';
import { asError } from '../errors';
import { logger } from '../logger';
import { asTaskErrorCode, taskFailures } from './failures';

/**
 * The event trail of a task (migration 016): what happened to it, oldest first, for its owner
 * (GET /task/events/{taskId}; `progress` and `logs` in GET /task/{taskId}).
 *
 * - The fixed steps are written by the very statement that makes them true (triggers of migration
 *   018): the task's INSERT writes created, quota_held and input_checked; the RunningHub run id's
 *   UPDATE writes moderation (passed) and vendor_submitted; the end's UPDATE writes done | failed
 *   (code) | cancelled and quota_confirmed | quota_released. So an end can never lose its events,
 *   and create spends no statement on them (docs/decisions/0016-trail-follows-tasks.md).
 * - What the application appends itself (moderation of a basic_clean or refused input, vendor
 *   queued / running, frames copied, client webhook) never fails or delays a task's state change:
 *   one INSERT that reads nothing, after the change commits; a failed append is logged, never thrown.
 * - A fact seen again (a second poll seeing the same vendor status, a repeated create, a second
 *   copy of frame n, a second finisher) carries the same once-key and adds nothing.
 * - `data` is small and user-safe: counts, codes and statuses; never vendor ids, keys or URLs.
 *
 * RunningHub's legacy API reports only QUEUED or RUNNING while a run is pending (no queue position,
 * no percentage: ../shared/reference/vendors.md §1.5/§1.6), so that is what vendor_queued and
 * vendor_running say; the 12 copied frames give the finer progress at the end.
 */
export const taskEventKinds = [
  'created',
  'quota_held',
  'input_checked',
  'moderation',
  'vendor_submitted',
  'vendor_queued',
  'vendor_running',
  'frames_copied',
  'done',
  'failed',
  'cancelled',
  'quota_confirmed',
  'quota_released',
  'webhook_delivered',
  'webhook_failed',
] as const;
export type TaskEventKind = (typeof taskEventKinds)[number];

export type TaskEventData = Readonly<Record<string, string | number | boolean>>;

export interface TaskEvent {
  readonly kind: TaskEventKind;
  readonly data?: TaskEventData;
}

/** Which part of an event makes it a repeat: most kinds happen once per task; these once per value. */
function onceKeyOf(event: TaskEvent): string | null {
  switch (event.kind) {
    case 'frames_copied':
      return `frames_copied:${String(event.data?.copied ?? '')}`;
    case 'done':
    case 'failed':
    case 'cancelled':
      return 'end';
    case 'quota_confirmed':
    case 'quota_released':
      return 'quota_end';
    case 'webhook_delivered':
    case 'webhook_failed':
      return 'webhook_end';
    default:
      return event.kind;
  }
}

type TaskRef = Pick<TaskRow, 'id' | 'user_id'>;

const rowsOf = (task: TaskRef, events: readonly TaskEvent[]): NewTaskEvent[] =>
  events.map((event) => ({ taskId: task.id, userId: task.user_id, kind: event.kind, data: event.data ?? null, onceKey: onceKeyOf(event) }));

/** Appends events of one task (one INSERT); never throws. */
export async function appendTaskEvents(task: TaskRef, events: readonly TaskEvent[]): Promise<void> {
  const rows = rowsOf(task, events);
  if (rows.length === 0) return;
  try {
    await insertTaskEvents(rows);
  } catch (error) {
    logger.warn('task event append failed', { taskId: rows[0]?.taskId, kinds: rows.map((row) => row.kind).join(','), error: asError(error).message });
  }
}

/**
 * A task's appends in order without waiting for them: each starts after the one before it, while
 * the caller goes on with its vendor calls. `flush` waits for what was added (it never rejects).
 */
export interface TaskTrail {
  add(...events: TaskEvent[]): void;
  flush(): Promise<void>;
}

export function taskTrail(task: TaskRef): TaskTrail {
  let tail: Promise<void> = Promise.resolve();
  return {
    add(...events) {
      tail = tail.then(() => appendTaskEvents(task, events));
    },
    flush: () => tail,
  };
}

// ------------------------------------------------------------------------------------------------
// what the owner sees

export type TaskLogLevel = 'info' | 'warn' | 'error';

export interface TaskEventView {
  kind: string;
  level: TaskLogLevel;
  /** Chinese, for the user. */
  message: string;
  data?: Record<string, unknown>;
  createdAt: string;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function messageOf(kind: string, data: Record<string, unknown> | null): { message: string; level: TaskLogLevel } {
  switch (kind) {
    case 'created':
      return { message: '任务已创建', level: 'info' };
    case 'quota_held':
      return { message: '已预扣 1 次配额', level: 'info' };
    case 'input_checked':
      return { message: '图片检查通过', level: 'info' };
    case 'moderation':
      return data?.result === 'pass' ? { message: '内容审核通过', level: 'info' } : { message: '内容审核未通过', level: 'warn' };
    case 'vendor_submitted':
      return { message: '已提交生成服务', level: 'info' };
    case 'vendor_queued':
      return { message: num(data?.position) === undefined ? '排队中' : `排队中,前面还有 ${num(data?.position)} 个任务`, level: 'info' };
    case 'vendor_running':
      return { message: num(data?.progress) === undefined ? '生成中' : `生成中 ${num(data?.progress)}%`, level: 'info' };
    case 'frames_copied':
      return { message: `已保存第 ${num(data?.copied) ?? '?'}/${num(data?.total) ?? '?'} 张图片`, level: 'info' };
    case 'done':
      return { message: '任务完成', level: 'info' };
    case 'failed': {
      const code = asTaskErrorCode(num(data?.code) ?? null);
      return { message: code ? `任务失败(${code}):${taskFailures[code].reason}` : '任务失败', level: 'error' };
    }
    case 'cancelled':
      return { message: '任务已取消', level: 'info' };
    case 'quota_confirmed':
      return { message: '已扣除 1 次配额', level: 'info' };
    case 'quota_released':
      return { message: '本次配额已返还', level: 'info' };
    case 'webhook_delivered':
      return { message: `回调通知已送达(HTTP ${num(data?.statusCode) ?? '2xx'})`, level: 'info' };
    case 'webhook_failed':
      return { message: `回调通知发送失败,已尝试 ${num(data?.attempts) ?? '?'} 次,不再重试`, level: 'error' };
    default:
      return { message: kind, level: 'info' };
  }
}

export function taskEventView(event: TaskEventRow): TaskEventView {
  const view: TaskEventView = { kind: event.kind, ...messageOf(event.kind, event.data), createdAt: event.created_at.toISOString() };
  if (event.data && Object.keys(event.data).length > 0) view.data = event.data;
  return view;
}

/** How far along each event puts a task (0–100); the furthest event counts, a finished task is 100. */
function stageOf(event: TaskEventRow): number {
  switch (event.kind) {
    case 'created':
      return 5;
    case 'quota_held':
      return 10;
    case 'input_checked':
      return 15;
    case 'moderation':
      return 25;
    case 'vendor_submitted':
      return 30;
    case 'vendor_queued':
      return 35;
    case 'vendor_running':
      return 40 + Math.round((Math.min(100, Math.max(0, num(event.data?.progress) ?? 0)) * 40) / 100);
    case 'frames_copied':
      return 80 + Math.round(((num(event.data?.copied) ?? 0) / Math.max(1, num(event.data?.total) ?? 12)) * 18);
    default:
      return 0;
  }
}

export function taskProgress(status: TaskStatus | 'cancelled', events: readonly TaskEventRow[]): number {
  if (status !== 'processing') return 100;
  return Math.min(99, events.reduce((furthest, event) => Math.max(furthest, stageOf(event)), 0));
}

/** `progress` and `logs` (the trail without its data) of GET /task/{taskId}: extensions beside the contract's fields. */
export function taskTrailView(status: TaskStatus, events: readonly TaskEventRow[]): { progress: number; logs: Omit<TaskEventView, 'data'>[] } {
  return {
    progress: taskProgress(status, events),
    logs: events.map((event) => {
      const { data: _data, ...log } = taskEventView(event);
      return log;
    }),
  };
}
