import * as z from 'zod/mini';
import { isoDateTime } from '../responses';

/** Success `data` of the quota routes (extensions, issue 11), for the OpenAPI document only (see shared/responses.ts). */

const units = z.int().check(z.gte(0));

/**
 * Counts of tasks (GET /quota/statistics, GET /admin/stats: shared/quota/statistics.ts TaskCounts):
 * every status and type is listed, 0 when none. The lists are statistics.ts's own (shared/tasks
 * depends on shared/quota, not the reverse); test/unit/openapi-types.test.ts keeps them equal to the task schemas'.
 */
const keyed = <K extends string, S extends z.ZodMiniType>(keys: readonly K[], value: S) => z.object(Object.fromEntries(keys.map((key) => [key, value])) as Record<K, S>);
/** `cancelled` appears once such a task exists (statistics.ts lists only the first three, so they are always there). */
const countsByStatus = z.object({ ...keyed(['processing', 'done', 'failed'], units).shape, cancelled: z.optional(units) });
export const taskCounts = z.object({
  total: units,
  /** By outcome. */
  byStatus: countsByStatus,
  /** By type, each by outcome. */
  byType: keyed(['basic_clean', 'model_pose12'], z.object({ total: units, byStatus: countsByStatus })),
});

/** One ledger entry (shared/quota/history.ts LedgerTransaction). */
export const ledgerTransaction = z.object({
  /** The ledger entry's id, as text. */
  id: z.string(),
  kind: z.enum(['grant', 'hold', 'confirm', 'release', 'expire', 'refund']),
  /** Quota added (+) or taken (−); a confirm is 0 (its hold already took the unit). */
  delta: z.int(),
  /** The balance right after this entry. */
  balanceAfter: units,
  /** The task id (hold, confirm, release), the order id (grant, refund), or the expiry's own key. */
  reference: z.string(),
  /** What the user reads (Chinese). */
  note: z.string(),
  createdAt: isoDateTime,
});

/** GET /quota/transactions: newest first; pass `nextCursor` as `cursor` for the next page (null on the last). */
export const transactionsData = z.object({ items: z.array(ledgerTransaction), nextCursor: z.nullable(z.string()) });

/** shared/quota/statistics.ts QuotaTotals. */
const quotaTotalsFields = {
  /** Quota bought. */
  granted: units,
  /** Units spent by tasks that succeeded. */
  used: units,
  /** Units given back by tasks that failed. */
  returned: units,
  /** Units that lapsed with a membership. */
  expired: units,
  /** Units taken back by refunds. */
  refunded: units,
};

/** GET /quota/statistics (shared/quota/statistics.ts QuotaStatistics): `balance = granted − used − held − expired − refunded`. */
export const quotaStatisticsData = z.object({
  balance: units,
  totals: z.object({
    ...quotaTotalsFields,
    /** Units reserved by tasks still running. */
    held: units,
  }),
  tasks: taskCounts,
  /** The last 12 months (UTC), oldest first, the current month last; months without activity are zeros. */
  monthly: z.array(z.object({ month: z.string().check(z.regex(/^\d{4}-\d{2}$/)), ...quotaTotalsFields, tasks: taskCounts })),
});
