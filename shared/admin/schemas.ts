import * as z from 'zod/mini';

/**
 * Query parameters of the admin lists (contract §11–13, and the payment anomalies). Query values arrive as strings, so
 * numbers are coerced; a value above a cap is lowered to the cap rather than refused, so a support
 * tool asking for "everything" still gets a bounded page (the response echoes the limit used).
 */
export const ADMIN_PAGE_DEFAULT = 20;
export const ADMIN_PAGE_MAX = 100;
export const FAILED_TASKS_DAYS_DEFAULT = 7;
export const FAILED_TASKS_DAYS_MAX = 90;
export const PAYMENT_ANOMALIES_DAYS_DEFAULT = 30;
export const PAYMENT_ANOMALIES_DAYS_MAX = 366;

const cappedInt = (min: number, max: number, message: string) =>
  z.pipe(
    z.coerce.number({ error: message }).check(z.int({ error: message }), z.gte(min, message)),
    z.transform((value: number) => Math.min(value, max)),
  );

const limit = z._default(cappedInt(1, ADMIN_PAGE_MAX, 'limit 应为正整数'), ADMIN_PAGE_DEFAULT);
const offset = z._default(z.coerce.number({ error: 'offset 应为非负整数' }).check(z.int({ error: 'offset 应为非负整数' }), z.gte(0, 'offset 应为非负整数')), 0);

export const adminUsersQuery = z.object({
  limit,
  offset,
  isMember: z.optional(z.enum(['true', 'false'], { error: 'isMember 应为 true 或 false' })),
});

export const adminTasksQuery = z.object({
  limit,
  offset,
  status: z._default(z.enum(['processing', 'done', 'failed', 'cancelled', 'all'], { error: 'status 应为 processing/done/failed/cancelled/all' }), 'all'),
  userId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'userId 格式不正确'))),
});

export const adminFailedTasksQuery = z.object({
  limit,
  days: z._default(cappedInt(1, FAILED_TASKS_DAYS_MAX, 'days 应为正整数'), FAILED_TASKS_DAYS_DEFAULT),
});

export const adminPaymentAnomaliesQuery = z.object({
  limit,
  offset,
  days: z._default(cappedInt(1, PAYMENT_ANOMALIES_DAYS_MAX, 'days 应为正整数'), PAYMENT_ANOMALIES_DAYS_DEFAULT),
});

export type AdminUsersQuery = z.infer<typeof adminUsersQuery>;
export type AdminTasksQuery = z.infer<typeof adminTasksQuery>;
export type AdminFailedTasksQuery = z.infer<typeof adminFailedTasksQuery>;
export type AdminPaymentAnomaliesQuery = z.infer<typeof adminPaymentAnomaliesQuery>;

/** GET /admin/costs: UTC days, both ends included; by default the last 7 days up to today. */
export const COSTS_DAYS_DEFAULT = 7;
export const COSTS_DAYS_MAX = 92;
const isoDay = (field: string) =>
  z.optional(z.string().check(z.refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), `${field} 应为 YYYY-MM-DD`)));
export const adminCostsQuery = z
  .object({ from: isoDay('from'), to: isoDay('to') })
  .check(
    z.refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, { path: ['from'], error: 'from 不能晚于 to' }),
    z.refine((query) => query.from === undefined || query.to === undefined || Date.parse(query.to) - Date.parse(query.from) < COSTS_DAYS_MAX * 86_400_000, {
      path: ['to'],
      error: `日期范围最多 ${COSTS_DAYS_MAX} 天`,
    }),
  );
export type AdminCostsQuery = z.infer<typeof adminCostsQuery>;
