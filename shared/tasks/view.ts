import type { TaskEventRow } from '../db/repositories/task-events';
import type { TaskRow, TaskStatus, TaskType } from '../db/repositories/tasks';
import { resultUrlWith } from '../media/result-urls';
import { taskTrailView } from './events';
import type { TaskPorts } from './ports';

/** The task as the contract shows it (GET /task/{taskId}); failed and cancelled (3004, extension) tasks add errorCode and errorReason. */
export interface TaskView {
  id: string;
  type: TaskType;
  status: TaskStatus;
  inputUrl: string;
  resultUrls: string[] | null;
  /** Extension: the results' object keys (in resultUrls' order), for POST /media/signed-download; null until done. */
  resultKeys: string[] | null;
  params: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  errorCode?: number;
  errorReason?: string;
}

/** Download URLs of results: signed COS GETs, or a public origin (shared/media/result-urls.ts). */
export type ResultUrls = (key: string) => string;

export function resultUrls(ports: Pick<TaskPorts, 'settings' | 'store'>, now = Date.now()): ResultUrls {
  const options = { publicBaseUrl: ports.settings.RESULT_PUBLIC_BASE_URL, ttlSeconds: ports.settings.RESULT_URL_TTL_SECONDS, store: ports.store };
  return (key) => resultUrlWith(options, key, now);
}

export function taskView(task: TaskRow, urls: ResultUrls): TaskView {
  const view: TaskView = {
    id: task.id,
    type: task.type,
    status: task.status,
    inputUrl: task.input_key,
    resultUrls: task.status === 'done' && task.result_keys ? task.result_keys.map(urls) : null,
    resultKeys: task.status === 'done' && task.result_keys ? [...task.result_keys] : null,
    params: task.params,
    createdAt: task.created_at.toISOString(),
    updatedAt: task.updated_at.toISOString(),
  };
  if (task.status === 'failed' || task.status === 'cancelled') {
    view.errorCode = task.error_code ?? (task.status === 'failed' ? 3003 : 3004);
    view.errorReason = task.error_reason ?? '';
  }
  return view;
}

export interface TaskSummary {
  taskId: string;
  status: TaskStatus;
  createdAt: string;
}

/** What POST /task/create answers (the contract's three fields). */
export function taskSummary(task: Pick<TaskRow, 'id' | 'status' | 'created_at'>): TaskSummary {
  return { taskId: task.id, status: task.status, createdAt: task.created_at.toISOString() };
}

/** One entry of GET /task/list; the thumbnail is the first result. */
export function taskListItem(task: TaskRow, urls: ResultUrls): { id: string; type: TaskType; status: TaskStatus; thumbnail: string | null; createdAt: string } {
  const first = task.status === 'done' ? task.result_keys?.[0] : undefined;
  return { id: task.id, type: task.type, status: task.status, thumbnail: first ? urls(first) : null, createdAt: task.created_at.toISOString() };
}

/** GET /task/{taskId}: the contract's fields plus `progress` (0–100) and `logs` (the event trail, shared/tasks/events.ts). */
export type TaskDetails = TaskView & ReturnType<typeof taskTrailView>;

/** What GET /task/{taskId}, the cancel and a completion webhook answer for a task and its trail. */
export const taskDetails = (current: { task: TaskRow; events: TaskEventRow[] }, ports: Pick<TaskPorts, 'settings' | 'store'>): TaskDetails => ({
  ...taskView(current.task, resultUrls(ports)),
  ...taskTrailView(current.task.status, current.events),
});
