import type { Queryable } from '../db/pool';
import { moneyByMonth } from '../db/repositories/orders';
import { countTasksByStatusAndType } from '../db/repositories/tasks';
import { countUsersByMonth } from '../db/repositories/users';
import { addTaskCount, emptyTaskCounts, recentMonths, type TaskCounts } from '../quota/statistics';

/**
 * GET /admin/stats (seed 004's system statistics, in this product's terms): users, members now,
 * users active in the last 30 days (a task or an order created), tasks by status and type, and per
 * month (UTC, last 12, oldest first) sign-ups, revenue and refunds in fen. Three statements, run
 * side by side; each is one pass with conditional aggregation (users, orders) or one GROUP BY (tasks).
 */
export interface AdminMonth {
  /** `YYYY-MM`, UTC. */
  readonly month: string;
  readonly newUsers: number;
  readonly paidOrders: number;
  /** Fen paid that month (orders refunded later included: the refund counts in its own month). */
  readonly revenue: number;
  readonly refundedOrders: number;
  /** Fen refunded that month. */
  readonly refunds: number;
}

export interface AdminStats {
  readonly users: { readonly total: number; readonly members: number; readonly active30d: number };
  readonly tasks: TaskCounts;
  readonly monthly: AdminMonth[];
}

export async function adminStats(now = new Date(), on?: Queryable): Promise<AdminStats> {
  const { since, months } = recentMonths(now);
  const [users, tasks, money] = await Promise.all([countUsersByMonth(since, on), countTasksByStatusAndType(on), moneyByMonth(since, on)]);
  return {
    users: {
      total: users.reduce((sum, row) => sum + row.users, 0),
      members: users.reduce((sum, row) => sum + row.members, 0),
      active30d: users.reduce((sum, row) => sum + row.active, 0),
    },
    tasks: tasks.reduce(addTaskCount, emptyTaskCounts()),
    monthly: months.map((month) => {
      const paid = money.find((row) => row.month === month);
      return {
        month,
        newUsers: users.find((row) => row.month === month)?.users ?? 0,
        paidOrders: paid?.paidOrders ?? 0,
        revenue: paid?.revenueFen ?? 0,
        refundedOrders: paid?.refundedOrders ?? 0,
        refunds: paid?.refundsFen ?? 0,
      };
    }),
  };
}
