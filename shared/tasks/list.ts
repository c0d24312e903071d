import { assertSessionCurrent, type Session } from '../auth/session';
import { selectTaskListPage } from '../db/repositories/tasks';
import type { TaskPorts } from './ports';
import { encodeCursor, type ListQuery } from './schemas';
import { resultUrls, taskListItem } from './view';

/**
 * GET /task/list: one page of the caller's tasks, newest first, with the total — one statement,
 * which also carries the session check. Paging by `offset` (the contract) or by `cursor`
 * (extension): `nextCursor` continues after this page's last task, null on the last page.
 */
export async function listTasks(session: Session, query: ListQuery, ports: Pick<TaskPorts, 'settings' | 'store'>) {
  const page = await selectTaskListPage({
    userId: session.userId,
    status: query.status === 'all' ? undefined : query.status,
    limit: query.limit + 1,
    offset: query.offset,
    after: query.cursor,
  });
  assertSessionCurrent(page.user, session);
  const shown = page.rows.slice(0, query.limit);
  const last = shown.at(-1);
  const urls = resultUrls(ports);
  return {
    tasks: shown.map((task) => taskListItem(task, urls)),
    total: page.total,
    limit: query.limit,
    offset: query.offset,
    nextCursor: page.rows.length > query.limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
