import { useEffect, useState } from 'preact/hooks';
import { api, type Task, type TaskLog } from '../api';
import { go } from '../app';
import { Card, ErrorBox, formatTime, messageOf, sleep, statusName, typeName } from './common';

/** How many of the trail's latest entries the page shows (README "Task progress and the event trail"). */
const LOG_LINES = 4;

function ProgressBar({ task, seconds }: { task: Task; seconds: number }) {
  const progress = Math.max(0, Math.min(100, Math.round(task.progress ?? 0)));
  return (
    <div class="progress" role="status">
      <div class="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress} data-testid="progress">
        <span style={{ width: `${progress}%` }} />
      </div>
      <p>
        <span class="spinner" /> {progress}% · {task.type === 'model_pose12' ? 'AI 模特生成中,通常需要 1–3 分钟' : '处理中'}(已等待 {seconds} 秒)
      </p>
    </div>
  );
}

/** The latest entries of the task's trail, oldest of them first, with the API's Chinese messages. */
function Logs({ logs }: { logs: TaskLog[] }) {
  if (logs.length === 0) return null;
  return (
    <ol class="logs" data-testid="task-logs">
      {logs.slice(-LOG_LINES).map((log) => (
        <li key={`${log.kind}:${log.createdAt}`} class={log.level}>
          <time>{formatTime(log.createdAt).split(' ').pop()}</time> {log.message}
        </li>
      ))}
    </ol>
  );
}

/**
 * Polls GET /task/{id} every 3 s (contract §9) until it ends: the progress bar and the latest
 * trail entries while processing, the results with download links when done. A processing task
 * can be cancelled (POST /task/cancel/{id}: quota back), a failed or cancelled one retried
 * (POST /task/retry/{id}: a new task, which the page then follows).
 */
export function TaskPage({ taskId, onChange }: { taskId: string; onChange: () => Promise<unknown> }) {
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [round, setRound] = useState(0);
  const [started] = useState(Date.now());
  const [now, setNow] = useState(Date.now());

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
    setBusy(true);
    try {
      if (action === 'cancel') {
        // The answer is the task without its trail: read it again (progress and logs) through the poll.
        await api.cancelTask(taskId);
        setRound(round + 1);
      } else {
        const retried = await api.retryTask(taskId);
        go(`/task/${encodeURIComponent(retried.taskId)}`);
      }
      await onChange();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
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
  // A cross-origin link's `download` attribute is ignored by browsers, so the file name comes from a
  // signed URL whose Content-Disposition names it (POST /media/signed-download).
  const download = async (index: number): Promise<void> => {
    const key = task.resultKeys?.[index];
    if (!key) return;
    try {
      window.location.href = (await api.signedDownload(key)).url;
    } catch (caught) {
      setError(messageOf(caught));
    }
  };
  const seconds = Math.round((now - started) / 1000);
  return (
    <main class="page">
      <Card title={typeName(task.type)}>
        <p>
          状态:<strong data-testid="task-status" class={`status ${task.status}`}>{statusName(task.status)}</strong>
          <span class="muted small"> · {formatTime(task.createdAt)}</span>
        </p>
        {task.status === 'processing' ? <ProgressBar task={task} seconds={seconds} /> : null}
        {task.status === 'failed' ? <p class="error">{task.errorReason || '处理失败,次数已返还'}</p> : null}
        {task.status === 'cancelled' ? (
          <p class="hint" data-testid="task-cancelled">
            {task.errorReason || '已取消,已返还配额'}
          </p>
        ) : null}
        <Logs logs={task.logs ?? []} />
        <ErrorBox error={error} />
        <div class="row">
          {task.status === 'processing' ? (
            <button class="secondary" disabled={busy} onClick={() => void act('cancel')}>
              取消任务
            </button>
          ) : null}
          {task.status === 'failed' || task.status === 'cancelled' ? (
            <button class="secondary" disabled={busy} onClick={() => void act('retry')}>
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
                <button class="link" data-testid="download" onClick={() => void download(index)}>
                  下载
                </button>
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
