import { execute, select, type Queryable } from '../pool';
import type { Role } from './users';

/**
 * Rows of `task_events` (migration 016), the append-only trail of a task (shared/tasks/events.ts).
 * An append is one INSERT that reads nothing; a row with a `once_key` already present for the task
 * is left as it is (ON DUPLICATE KEY, no error), so repeated sightings of one fact add nothing.
 */
export interface TaskEventRow {
  kind: string;
  data: Record<string, unknown> | null;
  created_at: Date;
}

export interface NewTaskEvent {
  readonly taskId: string;
  readonly userId: string;
  readonly kind: string;
  readonly data: Record<string, unknown> | null;
  /** One row per (task, once_key); null: always appended. */
  readonly onceKey: string | null;
}

/** Appends events (of one task or several) in one INSERT that reads nothing; repeats of a once_key change nothing. */
export async function insertTaskEvents(events: readonly NewTaskEvent[], on?: Queryable): Promise<void> {
  if (events.length === 0) return;
  await execute(
    `INSERT INTO task_events (task_id, user_id, kind, data, once_key) VALUES ${events.map(() => '(?, ?, ?, ?, ?)').join(', ')}
     ON DUPLICATE KEY UPDATE id = id`,
    events.flatMap((event) => [event.taskId, event.userId, event.kind, event.data === null ? null : JSON.stringify(event.data), event.onceKey]),
    on,
  );
}

/**
 * A column expression (for a statement that reads `tasks` through `alias`) holding the task's events
 * as one JSON array of {id, kind, data, at} (`at`: UTC, `YYYY-MM-DDTHH:MM:SS.ffffff`). Lets
 * GET /task/{taskId} read the task and its trail in its one statement (shared/db/repositories/tasks.ts).
 * MySQL's JSON_ARRAYAGG takes no ORDER BY (MariaDB's does), so eventsFromColumn orders by id.
 */
export const taskEventsColumnOf = (alias: string): string =>
  `(SELECT JSON_ARRAYAGG(JSON_OBJECT('id', e.id, 'kind', e.kind, 'data', JSON_EXTRACT(e.data, '$'), 'at', DATE_FORMAT(e.created_at, '%Y-%m-%dT%H:%i:%s.%f')))
      FROM task_events e WHERE e.task_id = ${alias}.id)`;

const utc = (text: string): Date => new Date(`${text.slice(0, 23)}Z`);

/** Reads the column taskEventsColumnOf gives (MariaDB sends JSON as text, MySQL parsed). */
export function eventsFromColumn(value: unknown): TaskEventRow[] {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(parsed)) return [];
  const entries = [...(parsed as { id?: unknown; kind?: unknown; data?: unknown; at?: unknown }[])].sort((a, b) => Number(a.id) - Number(b.id));
  return entries.map((entry) => ({
    kind: String(entry.kind),
    data: typeof entry.data === 'object' && entry.data !== null ? (entry.data as Record<string, unknown>) : null,
    created_at: utc(String(entry.at)),
  }));
}

/**
 * GET /task/events/{taskId} in one statement: the caller's session columns, whether the task is
 * theirs, and its events oldest first. Undefined when the user is gone; `found` false when the
 * task is missing or another user's.
 */
export async function findUserTaskEvents(
  userId: string,
  taskId: string,
): Promise<{ user: { token_version: number; role: Role }; found: boolean; events: TaskEventRow[] } | undefined> {
  const rows = await select<{ token_version: number | string; role: Role; task_id: string | null; kind: string | null; data: unknown; created_at: Date | null }>(
    `SELECT u.token_version, u.role, t.id AS task_id, e.kind, e.data, e.created_at
       FROM users u
       LEFT JOIN tasks t ON t.id = ? AND t.user_id = u.id
       LEFT JOIN task_events e ON e.task_id = t.id
      WHERE u.id = ?
      ORDER BY e.id`,
    [taskId, userId],
  );
  const first = rows[0];
  if (!first) return undefined;
  const events = rows
    .filter((row) => row.kind !== null && row.created_at !== null)
    .map((row) => {
      let data: unknown = row.data;
      if (typeof data === 'string') {
        try {
          data = JSON.parse(data);
        } catch {
          data = null;
        }
      }
      return { kind: row.kind as string, data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : null, created_at: row.created_at as Date };
    });
  return { user: { token_version: Number(first.token_version), role: first.role }, found: first.task_id !== null, events };
}
