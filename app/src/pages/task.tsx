import { useEffect, useState } from 'preact/hooks';
import { api, taskActions, type Task } from '../api';
import { go } from '../app';
import { Card, ErrorBox, formatTime, messageOf, sleep, statusName, typeName } from './common';

/** Polls GET /task/{id} every 3 s (contract §9) until done or failed; shows the results with download links. */
export function TaskPage({ taskId, onChange }: { taskId: string; onChange: () => Promise<unknown> }) {
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actions, setActions] = useState<{ cancel: boolean; retry: boolean } | null>(null);
  const [round, setRound] = useState(0);
  const [started] = useState(Date.now());
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    void taskActions().then(setActions);
  }, []);

  useEffect(() => {
    let alive = true;
    void (async () => {
      try {
        for (;;) {
          const current = await api.task(taskId);
          if (!alive) return;
          setTask(current);
          if (current.status !== 'processing') {
            void onChange();
            return;
          }
          await sleep(3000);
          if (!alive) return;
        }
      } catch (failure) {
        if (alive) setError(messageOf(failure));
      }
    })();
    const clock = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      alive = false;
      clearInterval(clock);
    };
  }, [taskId, round]);

  const act = async (action: 'cancel' | 'retry') => {
    setError(null);
    try {
      if (action === 'cancel') {
        await api.cancelTask(taskId);
        setRound(round + 1);
      } else {
        const retried = await api.retryTask(taskId);
        if (retried.taskId !== taskId) go(`/task/${encodeURIComponent(retried.taskId)}`);
        else setRound(round + 1);
      }
      await onChange();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  if (!task) {
    return (
      <main class="page">
        <ErrorBox error={error} />
        {error ? null : <p class="muted">加载中…</p>}
      </main>
    );
  }
  const results = task.resultUrls ?? [];
  const seconds = Math.round((now - started) / 1000);
  return (
    <main class="page">
      <Card title={typeName(task.type)}>
        <p>
          状态:<strong data-testid="task-status">{statusName(task.status)}</strong>
          <span class="muted small"> · {formatTime(task.createdAt)}</span>
        </p>
        {task.status === 'processing' ? (
          <div class="progress" role="status">
            <span class="spinner" /> {task.type === 'model_pose12' ? `AI 模特生成中,通常需要 1–3 分钟(已等待 ${seconds} 秒)` : `处理中(已等待 ${seconds} 秒)`}
          </div>
        ) : null}
        {task.status === 'failed' ? <p class="error">{task.errorReason ?? '处理失败,次数已返还'}</p> : null}
        <ErrorBox error={error} />
        {/* data-actions: which optional actions the API offers (read from its OpenAPI document), once known. */}
        <div class="row" data-actions={actions ? Object.keys(actions).filter((name) => actions[name as keyof typeof actions]).join(',') || 'none' : undefined}>
          {actions?.cancel && task.status === 'processing' ? (
            <button class="secondary" onClick={() => void act('cancel')}>
              取消任务
            </button>
          ) : null}
          {actions?.retry && task.status === 'failed' ? (
            <button class="secondary" onClick={() => void act('retry')}>
              重试
            </button>
          ) : null}
        </div>
      </Card>
      {results.length > 0 ? (
        <Card title={results.length > 1 ? `${results.length} 张结果` : '结果'}>
          <div class={results.length > 1 ? 'grid' : 'single'} data-testid="results">
            {results.map((url, index) => (
              <figure key={url}>
                <img src={url} alt={`结果 ${index + 1}`} loading="lazy" />
                <a href={url} download={`${task.id}_${index + 1}.jpg`} target="_blank" rel="noreferrer">
                  下载
                </a>
              </figure>
            ))}
          </div>
        </Card>
      ) : null}
      <a class="button secondary wide" href="#/create">
        再做一张
      </a>
    </main>
  );
}
