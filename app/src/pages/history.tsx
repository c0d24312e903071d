import { useEffect, useState } from 'preact/hooks';
import { api, type TaskSummary } from '../api';
import { Card, ErrorBox, formatTime, messageOf, statusName, typeName } from './common';

const PAGE = 20;

/** GET /task/list, newest first, 20 at a time. */
export function HistoryPage() {
  const [tasks, setTasks] = useState<TaskSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = async (offset: number) => {
    setLoading(true);
    try {
      const page = await api.tasks(PAGE, offset);
      setTasks(offset === 0 ? page.tasks : [...tasks, ...page.tasks]);
      setTotal(page.total);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(0), []);

  return (
    <main class="page">
      <Card title="创作记录">
        <ErrorBox error={error} />
        {!loading && tasks.length === 0 && !error ? <p class="muted">还没有任务,去创作一张吧。</p> : null}
        <ul class="list" data-testid="history">
          {tasks.map((task) => (
            <li key={task.id}>
              <a href={`#/task/${encodeURIComponent(task.id)}`}>
                {task.thumbnail ? <img src={task.thumbnail} alt="" loading="lazy" /> : <span class="thumb" />}
                <span>
                  {typeName(task.type)}
                  <small class="muted">{formatTime(task.createdAt)}</small>
                </span>
                <em class={`status ${task.status}`}>{statusName(task.status)}</em>
              </a>
            </li>
          ))}
        </ul>
        {tasks.length < total ? (
          <button class="secondary wide" disabled={loading} onClick={() => void load(tasks.length)}>
            加载更多
          </button>
        ) : null}
      </Card>
    </main>
  );
}
