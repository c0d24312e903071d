import { execute, select, withTransaction } from '../pool';

/**
 * Rows of `webhook_deliveries` (migration 017): one per task end with a callback URL, inserted by
 * the trigger tasks_queue_webhook in the statement that ends the task. An attempt is claimed with
 * one conditional UPDATE (attempts + 1, next_attempt_at moved to the next try of the schedule,
 * which is also the lease of the attempt in flight); its outcome is written only while the row is
 * still pending.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: string;
  task_id: string;
  user_id: string;
  webhook_id: string;
  url: string;
  /** The body as first sent (JSON text), null before the first attempt. */
  payload: string | null;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  /** The user's signing secret now (webhook_secrets), null when they have none yet. */
  secret: string | null;
}

/**
 * When the attempt after the one being claimed is due: `offsets[k]` seconds after the row was
 * created for attempt k + 1 (k = attempts counted after the claim, 1-based in ELT), but never
 * sooner than `leaseSeconds` from now; after the last scheduled attempt only the lease.
 * (In a single-table UPDATE, MariaDB and MySQL evaluate SET left to right: `attempts` here is the new count.)
 */
const nextAttemptSql = (offsets: readonly number[]): string =>
  `next_attempt_at = COALESCE(GREATEST(UTC_TIMESTAMP(3) + INTERVAL ? SECOND, created_at + INTERVAL ELT(attempts, ${offsets.map(() => '?').join(', ')}) SECOND), UTC_TIMESTAMP(3) + INTERVAL ? SECOND)`;

interface RawDelivery extends Omit<DeliveryRow, 'payload' | 'attempts' | 'last_status_code' | 'id'> {
  id: string | number;
  payload: unknown;
  attempts: number | string;
  last_status_code: number | string | null;
}

const toDelivery = (raw: RawDelivery): DeliveryRow => ({
  ...raw,
  id: String(raw.id),
  payload: raw.payload === null ? null : typeof raw.payload === 'string' ? raw.payload : JSON.stringify(raw.payload),
  attempts: Number(raw.attempts),
  last_status_code: raw.last_status_code === null ? null : Number(raw.last_status_code),
});

async function readDeliveries(where: string, params: readonly string[]): Promise<DeliveryRow[]> {
  const rows = await select<RawDelivery>(
    `SELECT d.id, d.task_id, d.user_id, d.webhook_id, d.url, d.payload, d.status, d.attempts, d.last_status_code, d.last_error, s.secret
       FROM webhook_deliveries d LEFT JOIN webhook_secrets s ON s.user_id = d.user_id
      WHERE ${where} ORDER BY d.id`,
    [...params],
  );
  return rows.map(toDelivery);
}

/** Claims the due attempt of one task's delivery (the immediate attempt after its end); undefined when none is due or it is settled. */
export async function claimDeliveryOfTask(taskId: string, offsets: readonly number[], leaseSeconds: number): Promise<DeliveryRow | undefined> {
  const result = await execute(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, ${nextAttemptSql(offsets)}
      WHERE task_id = ? AND status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3)`,
    [leaseSeconds, ...offsets, leaseSeconds, taskId],
  );
  if (result.affectedRows === 0) return undefined;
  return (await readDeliveries('d.task_id = ?', [taskId]))[0];
}

/** Claims up to `limit` due attempts (FOR UPDATE SKIP LOCKED: overlapping sweeper runs split them), oldest due first. */
export async function claimDueDeliveries(limit: number, offsets: readonly number[], leaseSeconds: number): Promise<DeliveryRow[]> {
  const ids = await withTransaction(
    async (connection) => {
      const due = await select<{ id: string | number }>(
        `SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3) ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        [limit],
        connection,
      );
      const taken = due.map((row) => String(row.id));
      if (taken.length > 0) {
        await execute(`UPDATE webhook_deliveries SET attempts = attempts + 1, ${nextAttemptSql(offsets)} WHERE id IN (${taken.map(() => '?').join(', ')})`, [leaseSeconds, ...offsets, leaseSeconds, ...taken], connection);
      }
      return taken;
    },
    { isolation: 'READ COMMITTED' },
  );
  return ids.length === 0 ? [] : readDeliveries(`d.id IN (${ids.map(() => '?').join(', ')})`, ids);
}

export interface AttemptOutcome {
  readonly payload: string;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** delivered (2xx), failed (the last attempt failed), or pending (a later attempt follows). */
  readonly status: DeliveryStatus;
}

/** Writes an attempt's outcome while the row is still pending (the payload only if none was stored); true when it did. */
export async function recordAttempt(id: string, outcome: AttemptOutcome): Promise<boolean> {
  const result = await execute(
    `UPDATE webhook_deliveries
        SET payload = COALESCE(payload, ?), status = ?, last_status_code = ?, last_error = ?, delivered_at = IF(? = 'delivered', UTC_TIMESTAMP(3), delivered_at)
      WHERE id = ? AND status = 'pending'`,
    [outcome.payload, outcome.status, outcome.statusCode, outcome.error === null ? null : outcome.error.slice(0, 255), outcome.status, id],
  );
  return result.affectedRows > 0;
}
