import { resultUrl } from '../media/result-urls';
import type { TaskRow, TaskStatus, TaskType } from './repository';

/** The task as the contract shows it (GET /task/{taskId}); failed tasks add errorCode and errorReason. */
export interface TaskView {
  id: string;
  type: TaskType;
  status: TaskStatus;
  inputUrl: string;
  resultUrls: string[] | null;
  params: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  errorCode?: number;
  errorReason?: string;
}

export function taskView(task: TaskRow, now = Date.now()): TaskView {
  const view: TaskView = {
    id: task.id,
    type: task.type,
    status: task.status,
    inputUrl: task.input_key,
    resultUrls: task.status === 'done' && task.result_keys ? task.result_keys.map((key) => resultUrl(key, now)) : null,
    params: task.params,
    createdAt: task.created_at.toISOString(),
    updatedAt: task.updated_at.toISOString(),
  };
  if (task.status === 'failed') {
    view.errorCode = task.error_code ?? 3003;
    view.errorReason = task.error_reason ?? '';
  }
  return view;
}

/** What POST /task/create answers (the contract's three fields). */
export function taskSummary(task: Pick<TaskRow, 'id' | 'status' | 'created_at'>): { taskId: string; status: TaskStatus; createdAt: string } {
  return { taskId: task.id, status: task.status, createdAt: task.created_at.toISOString() };
}

/** One entry of GET /task/list; the thumbnail is the first result. */
export function taskListItem(task: TaskRow, now = Date.now()): { id: string; type: TaskType; status: TaskStatus; thumbnail: string | null; createdAt: string } {
  const first = task.status === 'done' ? task.result_keys?.[0] : undefined;
  return { id: task.id, type: task.type, status: task.status, thumbnail: first ? resultUrl(first, now) : null, createdAt: task.created_at.toISOString() };
}
