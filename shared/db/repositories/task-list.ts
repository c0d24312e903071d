import { select } from '../pool';
import { taskColumnsOf, toTaskRow, type TaskRow, type TaskStatus } from './tasks';
import type { Role } from './users';

/**
 * GET /task/list's statement: one round trip whose cost does not grow with the user's task count.
 * (To be merged into ./tasks.ts.)
 */
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
