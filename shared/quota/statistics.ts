import { assertSessionCurrent, type Session } from '../auth/session';
import { selectLedgerTotals, type LedgerMonthTotals } from '../db/repositories/quota-ledger';
import { countUserTasks, type TaskCountRow } from '../db/repositories/tasks';
import { recordDueExpiry } from './membership';

/**
 * GET /quota/statistics: where the caller's quota went, all time and per month (UTC) for the last
 * 12 months, from two statements run side by side: the ledger by conditional aggregation (with the
 * session check) and the tasks grouped by month, type and status. The totals obey
 * `balance = granted − used − held − expired − refunded` (returned units only undo holds).
 */
export interface QuotaTotals {
  /** Quota bought. */
  readonly granted: number;
  /** Units spent by tasks that succeeded (confirms). */
  readonly used: number;
  /** Units given back by tasks that failed (releases). */
  readonly returned: number;
  /** Units that lapsed with a membership: expire entries, and holds of tasks that failed after it lapsed. */
  readonly expired: number;
  /** Units taken back by refunds. */
  readonly refunded: number;
}

export interface TaskCounts {
  readonly total: number;
  /** By outcome (status): processing, done, failed, cancelled. */
  readonly byStatus: Record<string, number>;
  /** By type, each by outcome. */
  readonly byType: Record<string, { readonly total: number; readonly byStatus: Record<string, number> }>;
}

export interface MonthStatistics extends QuotaTotals {
  /** `YYYY-MM`, UTC. */
  readonly month: string;
  readonly tasks: TaskCounts;
}

export interface QuotaStatistics {
  /** The current balance (0 once a lapsed membership's expiry is recorded). */
  readonly balance: number;
  readonly totals: QuotaTotals & {
    /** Units reserved by tasks still running. */
    readonly held: number;
  };
  readonly tasks: TaskCounts;
  /** The last 12 months, oldest first, the current month last; months without activity are zeros. */
  readonly monthly: MonthStatistics[];
}

export const STATISTICS_MONTHS = 12;

/** The last `count` months (UTC) ending with `now`'s, oldest first, and the instant the first begins. */
export function recentMonths(now: Date, count = STATISTICS_MONTHS): { since: Date; months: string[] } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const months = Array.from({ length: count }, (_, index) => new Date(Date.UTC(year, month - count + 1 + index, 1)).toISOString().slice(0, 7));
  return { since: new Date(Date.UTC(year, month - count + 1, 1)), months };
}

const taskStatuses = ['processing', 'done', 'failed', 'cancelled'];
const taskTypes = ['basic_clean', 'model_pose12'];

export function emptyTaskCounts(): TaskCounts {
  const byStatus = () => Object.fromEntries(taskStatuses.map((status) => [status, 0]));
  return { total: 0, byStatus: byStatus(), byType: Object.fromEntries(taskTypes.map((type) => [type, { total: 0, byStatus: byStatus() }])) };
}

/** Adds one count row (a type and a status) to the counts. */
export function addTaskCount(into: TaskCounts, row: Pick<TaskCountRow, 'type' | 'status' | 'tasks'>): TaskCounts {
  const type = into.byType[row.type] ?? { total: 0, byStatus: Object.fromEntries(taskStatuses.map((status) => [status, 0])) };
  return {
    total: into.total + row.tasks,
    byStatus: { ...into.byStatus, [row.status]: (into.byStatus[row.status] ?? 0) + row.tasks },
    byType: { ...into.byType, [row.type]: { total: type.total + row.tasks, byStatus: { ...type.byStatus, [row.status]: (type.byStatus[row.status] ?? 0) + row.tasks } } },
  };
}

const zeroTotals: QuotaTotals = { granted: 0, used: 0, returned: 0, expired: 0, refunded: 0 };

function addLedger(into: QuotaTotals, row: LedgerMonthTotals): QuotaTotals {
  return {
    granted: into.granted + row.granted,
    used: into.used + row.confirmed,
    returned: into.returned + row.returned,
    expired: into.expired + row.expired + row.lapsedReleases,
    refunded: into.refunded + row.refunded,
  };
}

export async function quotaStatistics(session: Session, now = new Date()): Promise<QuotaStatistics> {
  const { since, months } = recentMonths(now);
  const read = () => Promise.all([selectLedgerTotals(session.userId, since), countUserTasks(session.userId, since)]);
  let [ledger, tasks] = await read();
  assertSessionCurrent(ledger?.user, session);
  if (ledger && (await recordDueExpiry(session.userId, ledger.user, now))) [ledger, tasks] = await read();
  const ledgerMonths = ledger?.months ?? [];
  const heldNow = ledgerMonths.reduce((sum, row) => sum + row.held - row.settled, 0);
  return {
    balance: ledger?.user.quota_balance ?? 0,
    totals: { ...ledgerMonths.reduce(addLedger, zeroTotals), held: heldNow },
    tasks: tasks.reduce(addTaskCount, emptyTaskCounts()),
    monthly: months.map((month) => ({
      month,
      ...ledgerMonths.filter((row) => row.month === month).reduce(addLedger, zeroTotals),
      tasks: tasks.filter((row) => row.month === month).reduce(addTaskCount, emptyTaskCounts()),
    })),
  };
}
