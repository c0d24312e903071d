import { logger } from '../logger';

/**
 * One metrics line per finished task, whoever finished it (task creation for basic_clean, a client
 * poll or the RunningHub webhook for model_pose12, the sweeper on timeout). The line is a normal
 * structured log entry (`message: "task finished"`, `metric: "task_finished"`) that CLS (Tencent)
 * and CloudWatch Logs Insights (AWS) can query, and it also carries CloudWatch Embedded Metric
 * Format, so on Lambda the numbers become CloudWatch metrics without an API call
 * (namespace ai-photo, dimensions type × outcome). Logged at INFO: LOG_LEVEL WARN or above drops it.
 * Metrics: TaskDurationMs, TasksFinished, VendorCost (RunningHub coins, only when RunningHub
 * reported consumeCoins) and VendorRunSeconds (RunningHub's taskCostTime, seconds).
 */
export type TaskOutcome = 'done' | 'failed' | 'cancelled';

export interface TaskMetrics {
  readonly taskId: string;
  readonly userId: string;
  readonly type: string;
  readonly vendor: string;
  readonly outcome: TaskOutcome;
  /** Contract error code when failed (3002 for a sweeper timeout). */
  readonly errorCode?: number | null;
  /** Created → finished, in milliseconds. */
  readonly durationMs: number;
  /**
   * What RunningHub charged for the run, in RunningHub coins (`consumeCoins` of /outputs), when it
   * reported one; stored in tasks.vendor_cost. Never a duration.
   */
  readonly vendorCost?: string | number | null;
  /**
   * How long RunningHub says the run took, in seconds (`taskCostTime`), when the finisher saw it.
   * A separate metric because it is a time, not a cost (consumer keys are billed by it, but at a
   * rate we do not know).
   */
  readonly vendorRunSeconds?: number | null;
  /** Who noticed the end: 'create' | 'poll' | 'webhook' | 'sweeper' | 'cancel' (its owner, POST /task/cancel/{taskId}) | … */
  readonly finishedBy: string;
}

export const METRICS_NAMESPACE = 'ai-photo';

/** Milliseconds from a task's creation to now (or to `finishedAt`). */
export function taskDurationMs(createdAt: Date, finishedAt: Date = new Date()): number {
  return Math.max(0, finishedAt.getTime() - createdAt.getTime());
}

export function logTaskMetrics(metrics: TaskMetrics): void {
  const cost = metrics.vendorCost === undefined || metrics.vendorCost === null || metrics.vendorCost === '' ? undefined : Number(metrics.vendorCost);
  const hasCost = cost !== undefined && Number.isFinite(cost);
  const runSeconds = metrics.vendorRunSeconds;
  const hasRunSeconds = typeof runSeconds === 'number' && Number.isFinite(runSeconds);
  const names = [
    { Name: 'TaskDurationMs', Unit: 'Milliseconds' },
    { Name: 'TasksFinished', Unit: 'Count' },
    ...(hasCost ? [{ Name: 'VendorCost', Unit: 'None' }] : []),
    ...(hasRunSeconds ? [{ Name: 'VendorRunSeconds', Unit: 'Seconds' }] : []),
  ];
  logger.info('task finished', {
    metric: 'task_finished',
    taskId: metrics.taskId,
    userId: metrics.userId,
    type: metrics.type,
    vendor: metrics.vendor,
    outcome: metrics.outcome,
    errorCode: metrics.errorCode ?? null,
    finishedBy: metrics.finishedBy,
    TaskDurationMs: Math.round(metrics.durationMs),
    TasksFinished: 1,
    ...(hasCost ? { VendorCost: cost, vendorCostRaw: String(metrics.vendorCost) } : {}),
    ...(hasRunSeconds ? { VendorRunSeconds: runSeconds } : {}),
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['type', 'outcome']], Metrics: names }] },
  });
}
