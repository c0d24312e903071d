import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as stats from '../../functions/admin/stats';
import { issueToken } from '../../shared/auth/jwt';
import { execute } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { recentMonths } from '../../shared/quota/statistics';
import { TaskFailure } from '../../shared/tasks/failures';
import { completeTask, failTask } from '../../shared/tasks/lifecycle';
import { findUserById } from '../../shared/users';
import { platforms } from '../helpers/events';
import { heldTask } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/**
 * GET /admin/stats. The database is shared by the whole file, so each test compares the answer
 * before and after what it arranges.
 */
afterEach(async () => {
  expect(await checkLedgerInvariants()).toEqual([]);
});

interface TaskCounts {
  total: number;
  byStatus: Record<string, number>;
  byType: Record<string, { total: number; byStatus: Record<string, number> }>;
}
interface Stats {
  users: { total: number; members: number; active30d: number };
  tasks: TaskCounts;
  monthly: { month: string; newUsers: number; paidOrders: number; revenue: number; refundedOrders: number; refunds: number }[];
}

async function makeAdmin(): Promise<{ id: string; token: string }> {
  const { user } = await createUser();
  await execute("UPDATE users SET role = 'admin', token_version = token_version + 1 WHERE id = ?", [user.id]);
  const admin = await findUserById(user.id);
  if (!admin) throw new Error('admin vanished');
  return { id: admin.id, token: await issueToken({ userId: admin.id, tokenVersion: admin.token_version, role: 'admin' }) };
}

/** b − a, number by number, through nested objects and arrays. */
function difference(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return b - a;
  if (Array.isArray(a) && Array.isArray(b)) return b.map((item, index) => difference(a[index], item));
  if (typeof b === 'object' && b !== null) return Object.fromEntries(Object.entries(b).map(([key, value]) => [key, difference((a as Record<string, unknown> | undefined)?.[key] ?? 0, value)]));
  return b;
}

describe.each(platforms)('GET /admin/stats on $name', (platform) => {
  let admin: { id: string; token: string };
  beforeAll(async () => {
    admin = await makeAdmin();
  });
  const statsOf = async (token: string) => {
    const result = await platform.call(stats, { method: 'GET', path: '/admin/stats', token });
    return { ...result, data: result.json.data as unknown as Stats };
  };

  it('counts users, members, the active, tasks by status and type, and revenue by month in fen', async () => {
    // Arrange: A bought now and ran 3 tasks (one running, one done, one failed); B did nothing;
    // C bought two months ago (order and payment moved back) and is still a member
    const before = await statsOf(admin.token);
    const a = await createUser({ quota: 5 });
    await createUser();
    const c = await createUser({ quota: 3, days: 90 });
    await heldTask(a.user.id);
    const done = await heldTask(a.user.id, { type: 'model_pose12' });
    const failed = await heldTask(a.user.id, { type: 'model_pose12' });
    await completeTask(done, [`output/${a.user.id}/${done.id}/result.jpg`], 'poll');
    await failTask(failed, new TaskFailure(3003), 'sweeper');
    const { months } = recentMonths(new Date());
    await execute("UPDATE orders SET created_at = CONCAT(?, '-10 12:00:00'), paid_at = CONCAT(?, '-10 12:05:00') WHERE user_id = ?", [months[9], months[9], c.user.id]);

    // Act
    const after = await statsOf(admin.token);

    // Assert
    expect(after.status).toBe(200);
    expect(after.data.monthly.map((month) => month.month)).toEqual(months);
    const noChange = { newUsers: 0, paidOrders: 0, revenue: 0, refundedOrders: 0, refunds: 0 };
    expect(difference(before.data, after.data)).toEqual({
      users: { total: 3, members: 2, active30d: 1 },
      tasks: {
        total: 3,
        byStatus: { processing: 1, done: 1, failed: 1, cancelled: 0 },
        byType: { basic_clean: { total: 1, byStatus: { processing: 1, done: 0, failed: 0, cancelled: 0 } }, model_pose12: { total: 2, byStatus: { processing: 0, done: 1, failed: 1, cancelled: 0 } } },
      },
      monthly: months.map((month, index) => ({
        ...noChange,
        month,
        ...(index === 11 ? { newUsers: 3, paidOrders: 1, revenue: 9900 } : {}),
        ...(index === 9 ? { paidOrders: 1, revenue: 9900 } : {}),
      })),
    });
  });

  it('a user token → 403, code 1006; no token → 401', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const asUser = await statsOf(token);
    const anonymous = await platform.call(stats, { method: 'GET', path: '/admin/stats' });

    // Assert
    expect([asUser.status, asUser.json.error?.code]).toEqual([403, 1006]);
    expect([anonymous.status, anonymous.json.error?.code]).toEqual([401, 1001]);
  });
});
