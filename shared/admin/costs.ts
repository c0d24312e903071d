import type { Queryable } from '../db/pool';
import { sumTaskCosts, type TaskStatus, type TaskType } from '../db/repositories/tasks';
import { COSTS_DAYS_DEFAULT, type AdminCostsQuery } from './schemas';

/**
 * GET /admin/costs: RunningHub coins (`consumeCoins`, tasks.vendor_cost) and run seconds
 * (`taskCostTime`, tasks.vendor_run_seconds, both recorded when a task completes from RunningHub's
 * outputs) summed per UTC day of creation and task type, with the tasks counted by how they ended.
 * Days with no task are left out. basic_clean runs at Cloud Infinite, which reports no cost per call:
 * its coins and seconds are 0.
 */
export interface CostDay {
  readonly day: string;
  readonly type: TaskType;
  readonly coins: number;
  readonly runSeconds: number;
  readonly tasks: Record<TaskStatus, number> & { total: number };
}

const DAY_MS = 86_400_000;
const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

export async function taskCosts(query: AdminCostsQuery, now = new Date(), on?: Queryable): Promise<{ from: string; to: string; days: CostDay[]; totals: { coins: number; runSeconds: number; tasks: number } }> {
  const to = query.to ?? (query.from ? isoDay(new Date(Math.min(Date.parse(query.from) + (COSTS_DAYS_DEFAULT - 1) * DAY_MS, now.getTime()))) : isoDay(now));
  const from = query.from ?? isoDay(new Date(Date.parse(to) - (COSTS_DAYS_DEFAULT - 1) * DAY_MS));
  const rows = await sumTaskCosts(new Date(`${from}T00:00:00Z`), new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS), on);
  const days = new Map<string, CostDay>();
  for (const row of rows) {
    const id = `${row.day} ${row.type}`;
    const entry = days.get(id) ?? { day: row.day, type: row.type, coins: 0, runSeconds: 0, tasks: { processing: 0, done: 0, failed: 0, cancelled: 0, total: 0 } };
    days.set(id, { ...entry, coins: entry.coins + row.coins, runSeconds: entry.runSeconds + row.runSeconds, tasks: { ...entry.tasks, [row.status]: entry.tasks[row.status] + row.tasks, total: entry.tasks.total + row.tasks } });
  }
  const list = [...days.values()];
  const sum = (pick: (day: CostDay) => number) => list.reduce((total, day) => total + pick(day), 0);
  return { from, to, days: list, totals: { coins: sum((day) => day.coins), runSeconds: sum((day) => day.runSeconds), tasks: sum((day) => day.tasks.total) } };
}
