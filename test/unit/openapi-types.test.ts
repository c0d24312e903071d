import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type { AdminFailedTask } from '../../shared/admin/queries';
import type { adminFailedTask } from '../../shared/admin/responses';
import type { publicUser } from '../../shared/auth/responses';
import type { taskCosts } from '../../shared/admin/costs';
import type { AdminStats } from '../../shared/admin/stats';
import type { VendorStatus } from '../../shared/admin/vendor-status';
import type { adminCostsData, adminStatsData, vendorStatusData } from '../../shared/admin/responses';
import type { loginData, refreshData } from '../../shared/auth/responses';
import type { rotateRefreshToken } from '../../shared/auth/refresh';
import type { signedDownload } from '../../shared/media/download';
import type { signedDownloadData } from '../../shared/media/responses';
import type { UploadKeys } from '../../shared/media/sts';
import type { OrderView } from '../../shared/payments/order-list';
import type { RefundedOrderView } from '../../shared/payments/refunds';
import type { orderView, refundedOrderData } from '../../shared/payments/responses';
import type { LedgerTransaction, listTransactions } from '../../shared/quota/history';
import type { quotaStatisticsData, taskCounts, transactionsData } from '../../shared/quota/responses';
import type { QuotaStatistics } from '../../shared/quota/statistics';
import type { WebhookSecretView } from '../../shared/tasks/client-webhooks';
import type { TaskEventKind, TaskEventView } from '../../shared/tasks/events';
import type { cancelOwnTask } from '../../shared/tasks/cancel';
import type { readTaskEvents } from '../../shared/tasks/read';
import type { TaskDetails } from '../../shared/tasks/view';
import type { Ability } from '../../shared/tasks/abilities';
import type { RetryAnswer } from '../../shared/tasks/retry';
import type { abilityData, taskEvent, taskEventKind, taskEventsData, taskRetryData, webhookSecretData } from '../../shared/tasks/responses';
import type { membershipStatusData, purchaseData } from '../../shared/payments/responses';
import type { MembershipStatus } from '../../shared/payments/status';
import type { Purchase } from '../../shared/payments/purchase';
import type { taskStatus, taskSummaryData, taskType, taskViewData } from '../../shared/tasks/responses';
import type { TaskSummary, TaskView } from '../../shared/tasks/view';
import type { uploadKeysData } from '../../shared/media/responses';
import type { PublicUser } from '../../shared/users';

/**
 * What the domain returns must be what the response schemas (and so the OpenAPI document) allow.
 * Checked by `npm run typecheck`: a field added to a domain type without its schema fails here
 * before any integration test runs.
 */
describe('response schemas cover the domain types', () => {
  it('user, membership, upload keys, task summary, failed task: every value fits, with the same fields', () => {
    expectTypeOf<PublicUser>().toExtend<z.output<typeof publicUser>>();
    expectTypeOf<keyof PublicUser>().toEqualTypeOf<keyof z.output<typeof publicUser>>();
    expectTypeOf<MembershipStatus>().toExtend<z.output<typeof membershipStatusData>>();
    expectTypeOf<keyof MembershipStatus>().toEqualTypeOf<keyof z.output<typeof membershipStatusData>>();
    expectTypeOf<Purchase>().toExtend<z.output<typeof purchaseData>>();
    expectTypeOf<keyof Purchase>().toEqualTypeOf<keyof z.output<typeof purchaseData>>();
    expectTypeOf<UploadKeys>().toExtend<z.output<typeof uploadKeysData>>();
    expectTypeOf<keyof UploadKeys>().toEqualTypeOf<keyof z.output<typeof uploadKeysData>>();
    expectTypeOf<TaskSummary>().toExtend<z.output<typeof taskSummaryData>>();
    expectTypeOf<keyof TaskSummary>().toEqualTypeOf<keyof z.output<typeof taskSummaryData>>();
    // The admin types say `string` for type and status; the schema names the values.
    expectTypeOf<Omit<AdminFailedTask, 'type' | 'status'>>().toExtend<Omit<z.output<typeof adminFailedTask>, 'type' | 'status'>>();
    expectTypeOf<keyof AdminFailedTask>().toEqualTypeOf<keyof z.output<typeof adminFailedTask>>();
  });

  it('the task view schema is one of the shapes TaskView allows, split by status', () => {
    expectTypeOf<z.output<typeof taskViewData>>().toExtend<TaskView>();
    // GET /task/{taskId} adds progress and logs (the trail without its data).
    expectTypeOf<z.output<typeof taskViewData>>().toExtend<TaskDetails>();
    expectTypeOf<keyof TaskDetails>().toEqualTypeOf<keyof z.output<typeof taskViewData> | 'errorCode' | 'errorReason'>();
  });

  it('refresh tokens, wallet, orders, refunds, admin stats, task events, webhook secrets: every value fits, with the same fields', () => {
    expectTypeOf<{ token: string; user: PublicUser; refreshToken: string }>().toExtend<z.output<typeof loginData>>();
    expectTypeOf<Awaited<ReturnType<typeof rotateRefreshToken>>>().toEqualTypeOf<z.output<typeof refreshData>>();
    expectTypeOf<LedgerTransaction>().toExtend<z.output<typeof transactionsData>['items'][number]>();
    expectTypeOf<keyof LedgerTransaction>().toEqualTypeOf<keyof z.output<typeof transactionsData>['items'][number]>();
    expectTypeOf<keyof Awaited<ReturnType<typeof listTransactions>>>().toEqualTypeOf<keyof z.output<typeof transactionsData>>();
    // The domain types are readonly (so toExtend); task counts are records there, the schema lists every status and type.
    expectTypeOf<keyof QuotaStatistics>().toEqualTypeOf<keyof z.output<typeof quotaStatisticsData>>();
    expectTypeOf<QuotaStatistics['totals']>().toExtend<z.output<typeof quotaStatisticsData>['totals']>();
    expectTypeOf<keyof QuotaStatistics['monthly'][number]>().toEqualTypeOf<keyof z.output<typeof quotaStatisticsData>['monthly'][number]>();
    expectTypeOf<keyof z.output<typeof taskCounts>['byStatus']>().toEqualTypeOf<z.output<typeof taskStatus>>();
    expectTypeOf<keyof z.output<typeof taskCounts>['byType']>().toEqualTypeOf<z.output<typeof taskType>>();
    expectTypeOf<keyof AdminStats>().toEqualTypeOf<keyof z.output<typeof adminStatsData>>();
    expectTypeOf<AdminStats['users']>().toExtend<z.output<typeof adminStatsData>['users']>();
    expectTypeOf<AdminStats['monthly'][number]>().toExtend<z.output<typeof adminStatsData>['monthly'][number]>();
    // The order list's view says `string` for channel, payMethod and status; the schema names the values.
    expectTypeOf<Omit<OrderView, 'channel' | 'payMethod' | 'status'>>().toExtend<Omit<z.output<typeof orderView>, 'channel' | 'payMethod' | 'status'>>();
    expectTypeOf<keyof OrderView>().toEqualTypeOf<keyof z.output<typeof orderView>>();
    expectTypeOf<keyof RefundedOrderView>().toEqualTypeOf<keyof z.output<typeof refundedOrderData>>();
    expectTypeOf<Omit<RefundedOrderView, 'status'>>().toExtend<Omit<z.output<typeof refundedOrderData>, 'status'>>();
    expectTypeOf<z.output<typeof taskEventKind>>().toEqualTypeOf<TaskEventKind>();
    expectTypeOf<keyof TaskEventView>().toEqualTypeOf<keyof z.output<typeof taskEvent>>();
    expectTypeOf<keyof Awaited<ReturnType<typeof readTaskEvents>>>().toEqualTypeOf<keyof z.output<typeof taskEventsData>>();
    expectTypeOf<WebhookSecretView>().toEqualTypeOf<z.output<typeof webhookSecretData>>();
  });

  it('abilities, cancel, retry, signed downloads, vendor status, costs: every value fits, with the same fields', () => {
    expectTypeOf<Awaited<ReturnType<typeof cancelOwnTask>>>().toEqualTypeOf<TaskDetails>();
    expectTypeOf<RetryAnswer>().toExtend<z.output<typeof taskRetryData>>();
    expectTypeOf<keyof RetryAnswer>().toEqualTypeOf<keyof z.output<typeof taskRetryData>>();
    // Ability's inputSchema is a record of unknown; readonly fields, so toExtend.
    expectTypeOf<Ability>().toExtend<z.output<typeof abilityData>>();
    expectTypeOf<keyof Ability>().toEqualTypeOf<keyof z.output<typeof abilityData>>();
    expectTypeOf<Awaited<ReturnType<typeof signedDownload>>>().toEqualTypeOf<z.output<typeof signedDownloadData>>();
    expectTypeOf<keyof VendorStatus>().toEqualTypeOf<keyof z.output<typeof vendorStatusData>>();
    expectTypeOf<keyof VendorStatus['runningHub']>().toEqualTypeOf<keyof z.output<typeof vendorStatusData>['runningHub']>();
    expectTypeOf<Omit<VendorStatus, 'runningHub'>>().toExtend<Omit<z.output<typeof vendorStatusData>, 'runningHub'>>();
    expectTypeOf<Awaited<ReturnType<typeof taskCosts>>>().toExtend<z.output<typeof adminCostsData>>();
    expectTypeOf<keyof Awaited<ReturnType<typeof taskCosts>>['days'][number]>().toEqualTypeOf<keyof z.output<typeof adminCostsData>['days'][number]>();
  });
});
