import * as z from 'zod/mini';
import { publicUser } from '../auth/responses';
import { isoDateTime } from '../responses';
import { taskCounts } from '../quota/responses';
import { taskStatus, taskType } from '../tasks/responses';

/** Success `data` of the admin routes (contract §11–13, and payment anomalies), for the OpenAPI document only. */

const pageFields = { total: z.int().check(z.gte(0)), limit: z.int().check(z.gte(1)), offset: z.int().check(z.gte(0)) };

/** Phones masked: `138****8000`. */
export const adminUsersData = z.object({ users: z.array(publicUser), ...pageFields });

export const adminTask = z.object({ id: z.string(), userId: z.string(), type: taskType, status: taskStatus, createdAt: isoDateTime });

export const adminTasksData = z.object({ tasks: z.array(adminTask), ...pageFields });

/** Contract §13, plus errorCode (extension). */
export const adminFailedTask = z.object({ ...adminTask.shape, errorCode: z.nullable(z.int()), errorReason: z.nullable(z.string()) });

export const adminFailedTasksData = z.object({ tasks: z.array(adminFailedTask), total: z.int().check(z.gte(0)) });

/** shared/admin/queries.ts AdminPaymentAnomaly (docs/payments.md "Payment anomalies"). */
export const paymentAnomaly = z.object({
  id: z.int(),
  channel: z.enum(['wx', 'alipay']),
  orderId: z.nullable(z.string()),
  outTradeNo: z.string(),
  platformTradeNo: z.nullable(z.string()),
  reason: z.string(),
  source: z.enum(['notification', 'query']),
  platformState: z.nullable(z.string()),
  reportedAmountFen: z.nullable(z.int()),
  reportedCurrency: z.nullable(z.string()),
  reportedAppId: z.nullable(z.string()),
  reportedMerchantId: z.nullable(z.string()),
  occurrences: z.int().check(z.gte(1)),
  createdAt: isoDateTime,
  lastSeenAt: isoDateTime,
});

export const adminPaymentAnomaliesData = z.object({ anomalies: z.array(paymentAnomaly), ...pageFields, days: z.int().check(z.gte(1)) });

const count = z.int().check(z.gte(0));

/** Extension: GET /admin/stats (shared/admin/stats.ts AdminStats); money in fen. */
export const adminStatsData = z.object({
  users: z.object({
    total: count,
    /** Members now. */
    members: count,
    /** Users who created a task or an order in the last 30 days. */
    active30d: count,
  }),
  tasks: taskCounts,
  /** The last 12 months (UTC), oldest first, the current month last. */
  monthly: z.array(
    z.object({
      month: z.string().check(z.regex(/^\d{4}-\d{2}$/)),
      newUsers: count,
      paidOrders: count,
      /** Fen paid that month (orders refunded later included: the refund counts in its own month). */
      revenue: count,
      refundedOrders: count,
      /** Fen refunded that month. */
      refunds: count,
    }),
  ),
});

/** One vendor's check (shared/admin/vendor-status.ts VendorProbe). */
const vendorProbeFields = {
  ok: z.boolean(),
  latencyMs: z.int().check(z.gte(0)),
  /** When not ok: the vendor's error code (never its message). */
  error: z.optional(z.string()),
};

/** Extension: GET /admin/vendor-status (shared/admin/vendor-status.ts VendorStatus); always 200, a vendor down shows `ok: false`. */
export const vendorStatusData = z.object({
  checkedAt: isoDateTime,
  runningHub: z.object({
    ...vendorProbeFields,
    /** RunningHub's account status (shared/vendors/runninghub.ts RunningHubAccount), when it answered. */
    account: z.optional(
      z.object({
        remainCoins: z.string(),
        /** Runs of this account going right now. */
        currentTaskCounts: z.int().check(z.gte(0)),
        remainMoney: z.optional(z.string()),
        currency: z.optional(z.string()),
        apiType: z.optional(z.string()),
      }),
    ),
  }),
  cos: z.object(vendorProbeFields),
  ci: z.object(vendorProbeFields),
});

const isoDay = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

/** Extension: GET /admin/costs (shared/admin/costs.ts): RunningHub coins and run seconds per UTC day of creation and task type; days without tasks left out. */
export const adminCostsData = z.object({
  /** The first and last UTC day, both included. */
  from: isoDay,
  to: isoDay,
  days: z.array(
    z.object({
      day: isoDay,
      type: taskType,
      /** RunningHub coins (consumeCoins); 0 for basic_clean (Cloud Infinite reports no cost per call). */
      coins: z.number().check(z.gte(0)),
      runSeconds: z.int().check(z.gte(0)),
      /** Tasks created that day, by how they ended. */
      tasks: z.object({ ...Object.fromEntries(taskStatus.options.map((status) => [status, count])), total: count } as Record<z.output<typeof taskStatus> | 'total', typeof count>),
    }),
  ),
  totals: z.object({ coins: z.number().check(z.gte(0)), runSeconds: z.int().check(z.gte(0)), tasks: count }),
});
