import { randomBytes } from 'node:crypto';
import { execute } from '../../shared/db/pool';

/**
 * Seeds members and overdue `processing` tasks with their quota holds, in bulk (multi-row INSERTs,
 * a few thousand rows per statement), exactly as the ledger would have written them: one paid
 * order and its grant per user, one hold per task, the cached balance equal to the ledger sum.
 * Used by the sweeper tests and the sweeper benchmark.
 */
export interface StuckTasks {
  readonly userIds: string[];
  readonly taskIds: string[];
  /** What each user was granted; after every hold is released the balance is back to this. */
  readonly granted: number;
}

const chunk = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function insertRows(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[], perStatement = 2_000): Promise<void> {
  for (const part of chunk(rows, perStatement)) {
    const placeholders = part.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await execute(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders}`, part.flat() as never[]);
  }
}

export async function seedStuckTasks(options: { users: number; tasks: number; overdueMinutes?: number }): Promise<StuckTasks> {
  const tag = randomBytes(3).toString('hex');
  const perUser = Math.ceil(options.tasks / options.users);
  const granted = perUser + 5;
  const userIds = Array.from({ length: options.users }, (_, i) => `${tag}${String(i).padStart(6, '0')}`);
  const phoneBase = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  const taskIds: string[] = [];
  const taskRows: unknown[][] = [];
  const ledgerRows: unknown[][] = [];
  const holdsPerUser = new Map<string, number>();

  userIds.forEach((userId) => ledgerRows.push([userId, 'grant', `order_seed_${userId}`, granted, granted]));
  for (let i = 0; i < options.tasks; i += 1) {
    const userId = userIds[i % userIds.length] as string;
    const taskId = `task_stuck${tag}${String(i).padStart(7, '0')}`;
    const held = (holdsPerUser.get(userId) ?? 0) + 1;
    holdsPerUser.set(userId, held);
    // Half basic_clean (its create request died), half model_pose12 that never got a vendor task id.
    const basic = i % 2 === 0;
    taskIds.push(taskId);
    taskRows.push([taskId, userId, basic ? 'basic_clean' : 'model_pose12', 'processing', `input/${userId}/${taskId}/original.jpg`, '{}', basic ? 'ci' : 'runninghub', options.overdueMinutes ?? 1]);
    ledgerRows.push([userId, 'hold', taskId, -1, granted - held]);
  }

  await insertRows(
    'users',
    ['id', 'phone', 'member_expires_at', 'quota_balance'],
    // Balance 0: the ledger rows below post themselves (trigger quota_ledger_post, migration 009).
    userIds.map((userId, i) => [userId, `13${String(phoneBase + i).padStart(9, '0')}`, new Date(Date.now() + 30 * 86_400_000), 0]),
  );
  // Each grant is for a paid order (checkLedgerInvariants), as when the member bought it.
  await insertRows(
    'orders',
    ['id', 'user_id', 'channel', 'pay_method', 'status', 'amount_fen', 'membership_days', 'quota', 'subject', 'expires_at', 'paid_at'],
    userIds.map((userId) => [`order_seed_${userId}`, userId, 'alipay', 'wap', 'paid', 9900, 30, granted, 'seeded membership', new Date(), new Date()]),
  );
  await insertRows('quota_ledger', ['user_id', 'kind', 'reference', 'delta', 'balance_after'], ledgerRows);
  // deadline_at in the past by `overdueMinutes`; created a little before that.
  for (const part of chunk(taskRows, 2_000)) {
    await execute(
      `INSERT INTO tasks (id, user_id, type, status, input_key, params, vendor, deadline_at, created_at)
       VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, NOW(3) - INTERVAL ? MINUTE, NOW(3) - INTERVAL 15 MINUTE)').join(', ')}`,
      part.flat() as never[],
    );
  }
  return { userIds, taskIds, granted };
}
