import { isConnectionLost, withTransaction } from '../db/pool';
import {
  claimPoll,
  findTask,
  insertTask,
  markCancelled,
  markDone,
  markFailed,
  markManyFailed,
  reopenPoll,
  setVendorTask,
  takeFinishLease,
  takeStartLease,
  type NewTask,
  type TaskRow,
} from '../db/repositories/tasks';
import type { PoolConnection } from 'mysql2/promise';
import { asError } from '../errors';
import { logger } from '../logger';
import { hold } from '../quota/ledger';
import type { RunningHubOutcome } from '../vendors/runninghub';
import { appendTaskEvents, taskTrail } from './events';
import { TaskFailure, type TaskErrorCode } from './failures';
import { logTaskMetrics, taskDurationMs } from './metrics';
import type { TaskPorts } from './ports';
import { copyFrames, POSE_FRAMES } from './runninghub';

/**
 * Every state change of a task, and only here (DESIGN.md "Rules of the money"):
 *
 *   created with its hold ─→ vendor started ─→ done (confirm) | failed (release) | cancelled (release)
 *
 * Each change is one conditional UPDATE (shared/db/repositories/tasks.ts); leaving `processing`
 * writes the hold's confirm or release in the same statement (trigger tasks_settle_hold, migration
 * 009), so whoever notices the end first (the create request, a poll, the webhook, the sweeper)
 * settles the quota exactly once and every later attempt changes nothing.
 *
 * Honest answers after an ambiguous commit: a write whose acknowledgement was lost (the
 * connection broke after the statement was sent) is read back before anyone is told anything.
 *
 * The event trail (./events.ts): the start's and the end's steps are written by the change's own
 * statement (triggers of migration 018); what else is appended comes after a change commits and
 * never fails it.
 *
 * Bounded settlement: the creator's start lease, a finisher's lease and a sweeper's claim all end
 * within a sweeper period of the deadline, so an overdue task is settled by the second sweeper run
 * after its deadline whatever died (test/integration/bounded-settlement.test.ts).
 */
export type Finisher = 'create' | 'poll' | 'webhook' | 'sweeper';

/** The creator's start lease: longer than any create request may run (29 s, shared/routes.ts). */
export const START_LEASE_SECONDS = 40;
/** How long a finisher may copy the frames before another may try. */
export const FINISH_LEASE_SECONDS = 60;
/** A finisher's lease never reaches further past the deadline than this (less than a sweeper period). */
export const LEASE_GRACE_AFTER_DEADLINE_SECONDS = 30;

/** True when a write's answer was lost after it was sent: it may or may not have happened. */
const isAmbiguous = (error: unknown): boolean => isConnectionLost(error);

// ------------------------------------------------------------------------------------------------
// created with its hold

export type Created = 'created' | 'exists';

/**
 * One transaction: the hold (one conditional statement, the ledger's unique key refusing a second)
 * and the task row. `exists`: this id already holds (a repeated create, or another user's id).
 * A commit whose answer was lost is read back: our task is there (go on with it) or it is not
 * (nothing was written, so the transaction is run once more).
 */
export async function createWithHold(task: NewTask): Promise<Created> {
  const attempt = () =>
    withTransaction(async (connection) => {
      if ((await hold(connection, task.userId, task.id)) === 'already') return 'exists' as const;
      await insertTask(connection, task);
      return 'created' as const;
    });
  try {
    return await attempt();
  } catch (error) {
    if (!isAmbiguous(error)) throw error;
    const stored = await findTask(task.id);
    logger.warn('task create commit unacknowledged; read back', { taskId: task.id, found: stored !== undefined });
    // Ours only if it carries our own creation time (ms, set by us): a concurrent create of the
    // same id by the same user is that request's to run, not ours.
    if (stored) return stored.user_id === task.userId && stored.created_at.getTime() === task.createdAt.getTime() ? 'created' : 'exists';
    return attempt();
  }
}

/** A task whose creator's start lease lapsed before its vendor work began: the caller may start it now. */
export async function reclaimStart(task: TaskRow): Promise<boolean> {
  if (task.status !== 'processing' || task.vendor_task_id !== null || task.overdue || !task.poll_due) return false;
  return takeStartLease(task.id, START_LEASE_SECONDS);
}

// ------------------------------------------------------------------------------------------------
// vendor started

export async function markStarted(task: TaskRow, vendorTaskId: string, ports: TaskPorts): Promise<void> {
  let recorded: boolean;
  try {
    recorded = await setVendorTask(task.id, vendorTaskId, ports.settings.RUNNINGHUB_POLL_INTERVAL_SECONDS);
  } catch (error) {
    // Read back a lost answer: failing a task whose run is recorded and going would be false.
    if (!isAmbiguous(error)) throw error;
    recorded = (await findTask(task.id))?.vendor_task_id === vendorTaskId;
    if (!recorded) throw error;
  }
  // Someone ended the task while we were creating it (the sweeper at its deadline, its owner's
  // cancel): it is settled, so the run is stopped rather than left to queue and bill for nothing.
  if (!recorded) {
    logger.warn('runninghub task started for a task that is no longer processing', { taskId: task.id, vendorTaskId });
    await cancelVendorRun(task.id, vendorTaskId, ports);
  }
}

/** Best effort: a run we no longer want is cancelled at RunningHub; a failure is logged, never thrown (the task is settled either way). */
async function cancelVendorRun(taskId: string, vendorTaskId: string, ports: TaskPorts): Promise<void> {
  try {
    await ports.runningHub.cancel(vendorTaskId);
    logger.info('runninghub run cancelled', { taskId, vendorTaskId });
  } catch (error) {
    logger.warn('runninghub cancel failed', { taskId, vendorTaskId, error: asError(error).message });
  }
}

// ------------------------------------------------------------------------------------------------
// done with confirm | failed with release

/**
 * Runs a settling write; when its answer is lost, reads the task back: in the wanted state → true
 * (the write, or an earlier one, took it there); still processing → the write once more; settled
 * otherwise → false. A failure to read back propagates: the caller then says nothing it cannot know.
 */
async function settle(task: TaskRow, wanted: 'done' | 'failed' | 'cancelled', write: () => Promise<boolean>): Promise<boolean> {
  try {
    return await write();
  } catch (error) {
    if (!isAmbiguous(error)) throw error;
    const current = await findTask(task.id);
    logger.warn('task settlement unacknowledged; read back', { taskId: task.id, wanted, found: current?.status ?? 'missing' });
    if (current?.status === 'processing') return write();
    return current?.status === wanted;
  }
}

export interface Completion {
  readonly vendorCost?: string;
  readonly vendorRunSeconds?: number;
}

/** processing → done with its results; the hold is confirmed in the same statement. True when this call (or its lost write) did it. */
export async function completeTask(task: TaskRow, resultKeys: readonly string[], by: Finisher, extra: Completion = {}): Promise<boolean> {
  const completed = await settle(task, 'done', () => markDone(task.id, task.user_id, resultKeys, extra.vendorCost ?? null, extra.vendorRunSeconds ?? null));
  if (!completed) return false;
  logger.info('task done', { taskId: task.id, results: resultKeys.length });
  logTaskMetrics({
    ...metricsOf(task),
    vendorCost: extra.vendorCost ?? task.vendor_cost,
    outcome: 'done',
    finishedBy: by,
    ...(extra.vendorRunSeconds === undefined ? {} : { vendorRunSeconds: extra.vendorRunSeconds }),
  });
  return true;
}

/**
 * processing → failed with the code's contract reason; the hold is released in the same statement.
 * `onlyIfLeaseLapsed`: only while nobody holds the task's lease (a stalled start failed by a poll
 * must not fail a task a repeated create has just taken up).
 */
export async function failTask(task: TaskRow, failure: TaskFailure, by: Finisher, options: { onlyIfLeaseLapsed?: boolean } = {}): Promise<boolean> {
  const columns = { code: failure.code, reason: failure.reason, detail: failure.detail };
  const failed = await settle(task, 'failed', () => markFailed(task.id, task.user_id, columns, options));
  if (!failed) return false;
  logger.info('task failed', { taskId: task.id, errorCode: failure.code, detail: failure.detail });
  logTaskMetrics({ ...metricsOf(task), outcome: 'failed', errorCode: failure.code, finishedBy: by });
  return true;
}

/**
 * processing → cancelled (3004) at its owner's request; the hold is released in the same statement
 * (trigger tasks_settle_hold: every end but done releases). Whoever ends the task first wins: a
 * finisher copying frames right now loses its markDone (the frames it copied stay unreferenced), and
 * a cancel that comes after the end changes nothing. A RunningHub run the task started is then
 * cancelled at RunningHub (best effort: the quota is back whatever RunningHub answers; a run whose id
 * is not recorded yet is cancelled by markStarted when its creator records it). True when this call
 * (or its lost write) cancelled the task.
 */
export async function cancelTask(task: TaskRow, ports: TaskPorts): Promise<boolean> {
  const failure = new TaskFailure(3004, 'cancelled by its owner');
  const columns = { code: failure.code, reason: failure.reason, detail: failure.detail };
  const cancelled = await settle(task, 'cancelled', () => markCancelled(task.id, task.user_id, columns));
  if (!cancelled) return false;
  logger.info('task cancelled', { taskId: task.id });
  logTaskMetrics({ ...metricsOf(task), outcome: 'cancelled', errorCode: failure.code, finishedBy: 'cancel' });
  // The row read before the cancel may predate the vendor id; the one the cancel settled is current.
  const vendorTaskId = task.vendor_task_id ?? (await findTask(task.id))?.vendor_task_id ?? null;
  if (task.vendor === 'runninghub' && vendorTaskId !== null) await cancelVendorRun(task.id, vendorTaskId, ports);
  return true;
}

/** Overdue tasks this transaction has locked, failed with 3002 in one statement (one release each). */
export async function failOverdue(connection: PoolConnection, tasks: readonly TaskRow[]): Promise<number> {
  const timeout = new TaskFailure(3002, 'deadline passed (sweeper)');
  const changedRows = await markManyFailed(
    connection,
    tasks.map((task) => task.id),
    { code: timeout.code, reason: timeout.reason, detail: timeout.detail },
  );
  // The locking read returned these rows as `processing` and nobody can change them before we
  // commit, so every one of them must have changed; anything else is a bug, and rolling back is safe.
  if (changedRows !== tasks.length) throw new Error(`sweeper: expected to fail ${tasks.length} locked tasks, changed ${changedRows}`);
  return changedRows;
}

/** The metrics line of a task the sweeper failed in a batch (after its commit). */
export function logTimedOut(task: TaskRow): void {
  logTaskMetrics({ ...metricsOf(task), outcome: 'failed', errorCode: 3002, finishedBy: 'sweeper' });
}

function metricsOf(task: TaskRow) {
  return { taskId: task.id, userId: task.user_id, type: task.type, vendor: task.vendor, vendorCost: task.vendor_cost, durationMs: taskDurationMs(task.created_at) };
}

// ------------------------------------------------------------------------------------------------
// moving a processing task along: the one reading of a vendor check, for poll, webhook and sweeper

/**
 * What advanceTask did: `settled` (the task is no longer processing, by this call or another),
 * `waiting` (nothing to do yet: the vendor is still working, the poll is throttled, or its creator
 * is still starting it), `busy` (someone else is finishing it right now), `unreachable` (the vendor
 * could not be asked or its results not copied; a later look retries, the deadline bounds it).
 */
export type Advance = 'settled' | 'waiting' | 'busy' | 'unreachable';

/**
 * Brings a processing task up to date. Past its deadline a task that can still have a result is
 * asked once more (a finished run ends as done, not as a timeout), and anything else fails with
 * 3002. A task whose creator died before starting its vendor work fails at once (its quota comes
 * back now, not at the deadline). A started RunningHub run is asked for its outputs: polls at most
 * once per RUNNINGHUB_POLL_INTERVAL_SECONDS, the webhook and the sweeper whenever they come (a
 * finishing lease still applies). The webhook never times a task out: it is only a hint.
 */
export async function advanceTask(task: TaskRow, by: Finisher, ports: TaskPorts): Promise<Advance> {
  if (task.status !== 'processing') return 'settled';
  const timesOut = task.overdue && by !== 'webhook';
  const timeOut = async (otherwise: Advance): Promise<Advance> => {
    if (!timesOut) return otherwise;
    await failTask(task, new TaskFailure(3002, `deadline passed (${by})`), by);
    return 'settled';
  };

  if (task.vendor !== 'runninghub' || task.vendor_task_id === null) {
    if (timesOut) return timeOut('waiting');
    if (!task.poll_due || by === 'webhook') return 'waiting';
    const code: TaskErrorCode = task.vendor === 'ci' ? 3001 : 3003;
    await failTask(task, new TaskFailure(code, 'start lease lapsed before the vendor work began'), by, { onlyIfLeaseLapsed: true });
    return 'settled';
  }

  const interval = ports.settings.RUNNINGHUB_POLL_INTERVAL_SECONDS;
  // A poll, even past the deadline, takes the throttle: someone else is asking right now otherwise.
  if (by === 'poll' && !(await claimPoll(task.id, interval))) return 'busy';
  let outcome: RunningHubOutcome;
  try {
    outcome = await ports.runningHub.outputs(task.vendor_task_id);
  } catch (error) {
    // A vendor hiccup is not a task failure: the next look asks again, the deadline bounds it.
    logger.warn('runninghub outputs failed', { taskId: task.id, error: asError(error).message });
    return timeOut('unreachable');
  }
  return applyVendorOutcome(task, outcome, by, ports, timeOut);
}

async function applyVendorOutcome(task: TaskRow, outcome: RunningHubOutcome, by: Finisher, ports: TaskPorts, timeOut: (otherwise: Advance) => Promise<Advance>): Promise<Advance> {
  if (outcome.state === 'pending') {
    // What RunningHub says while it works (queued or running), once each (shared/tasks/events.ts).
    if (outcome.phase) await appendTaskEvents(task, [{ kind: outcome.phase === 'queued' ? 'vendor_queued' : 'vendor_running' }]);
    return timeOut('waiting');
  }
  if (outcome.state === 'failed') {
    await failTask(task, new TaskFailure(3003, `runninghub: ${outcome.reason}`), by);
    return 'settled';
  }
  if (outcome.files.length !== POSE_FRAMES) {
    await failTask(task, new TaskFailure(3003, `runninghub returned ${outcome.files.length}/${POSE_FRAMES} frames`), by);
    return 'settled';
  }
  const interval = ports.settings.RUNNINGHUB_POLL_INTERVAL_SECONDS;
  if (!(await takeFinishLease(task.id, interval, FINISH_LEASE_SECONDS, LEASE_GRACE_AFTER_DEADLINE_SECONDS))) return 'busy';
  let keys: string[];
  // One event per frame copied, in the order they land (n/12), appended while the copy goes on.
  const trail = taskTrail(task);
  try {
    keys = await copyFrames(ports, task.user_id, task.id, outcome.files.map((file) => file.url), (copied) => trail.add({ kind: 'frames_copied', data: { copied, total: POSE_FRAMES } }));
  } catch (error) {
    logger.warn('copying frames failed', { taskId: task.id, error: asError(error).message });
    await reopenPoll(task.id, interval);
    await trail.flush();
    return timeOut('unreachable');
  }
  await trail.flush();
  await completeTask(task, keys, by, {
    ...(outcome.cost === undefined ? {} : { vendorCost: outcome.cost }),
    ...(outcome.runSeconds === undefined ? {} : { vendorRunSeconds: outcome.runSeconds }),
  });
  return 'settled';
}
