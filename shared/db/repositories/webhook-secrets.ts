import { execute, select } from '../pool';

/** Rows of `webhook_secrets` (migration 017): one signing secret per user (shared/tasks/client-webhooks.ts). */
export interface WebhookSecretRow {
  user_id: string;
  secret: string;
  created_at: Date;
  rotated_at: Date | null;
}

/** The user's secret, `fresh` stored first if they had none: race-safe (INSERT IGNORE, then read), so concurrent first uses agree. */
export async function ensureWebhookSecret(userId: string, fresh: string): Promise<WebhookSecretRow> {
  await execute('INSERT IGNORE INTO webhook_secrets (user_id, secret) VALUES (?, ?)', [userId, fresh]);
  const [row] = await select<WebhookSecretRow>('SELECT user_id, secret, created_at, rotated_at FROM webhook_secrets WHERE user_id = ?', [userId]);
  if (!row) throw new Error(`webhook secret of ${userId} not stored`);
  return row;
}

/** Replaces the user's secret (creating it if they had none). */
export async function replaceWebhookSecret(userId: string, fresh: string): Promise<void> {
  await execute(
    `INSERT INTO webhook_secrets (user_id, secret) VALUES (?, ?)
     ON DUPLICATE KEY UPDATE secret = VALUES(secret), rotated_at = UTC_TIMESTAMP(3)`,
    [userId, fresh],
  );
}
