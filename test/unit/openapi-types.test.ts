import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod/mini';
import type { AdminFailedTask } from '../../shared/admin/queries';
import type { adminFailedTask } from '../../shared/admin/responses';
import type { publicUser } from '../../shared/auth/responses';
import type { UploadKeys } from '../../shared/media/sts';
import type { membershipStatusData, purchaseData } from '../../shared/payments/responses';
import type { MembershipStatus } from '../../shared/payments/status';
import type { Purchase } from '../../shared/payments/purchase';
import type { taskSummaryData, taskViewData } from '../../shared/tasks/responses';
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
  });
});
