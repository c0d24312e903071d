import { createHmac, randomBytes } from 'node:crypto';
import { claimDeliveryOfTask, claimDueDeliveries, recordAttempt, type DeliveryRow } from '../db/repositories/webhook-deliveries';
import { ensureWebhookSecret, replaceWebhookSecret } from '../db/repositories/webhook-secrets';
import { findTaskAndEvents, type TaskRow } from '../db/repositories/tasks';
import { asError } from '../errors';
import { logger } from '../logger';
import type { WebhookSender } from '../vendors/webhook-sender';
import { appendTaskEvents } from './events';
import type { TaskPorts } from './ports';
import { taskDetails } from './view';

/**
 * Signed completion webhooks (README "Completion webhooks"; docs/decisions/0012-client-webhooks.md).
 *
 * A task created with `callbackUrl` gets, when it ends (done, failed, cancelled), one POST of its
 * JSON — the view GET /task/{taskId} answers — signed per Standard Webhooks with its owner's secret:
 *   webhook-id: msg_<taskId>   (the same on every attempt)
 *   webhook-timestamp: <unix seconds of this attempt>
 *   webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>, key = base64-decoded part after `whsec_`
 * The delivery row is written by the statement that ends the task (trigger tasks_queue_webhook,
 * migration 017). The request that ended the task makes the first attempt at once, bounded by
 * CLIENT_WEBHOOK_IMMEDIATE_TIMEOUT_MS; the sweeper makes the others on WEBHOOK_SCHEDULE_SECONDS.
 * At-least-once: an attempt whose outcome was not recorded is made again when its lease lapses.
 */

/** When each attempt is due, seconds after the task ended: 6 attempts over an hour. */
export const WEBHOOK_SCHEDULE_SECONDS: readonly number[] = [0, 30, 120, 600, 1800, 3600];
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_SCHEDULE_SECONDS.length;
/** An attempt in flight holds its row at least this long (longer than any attempt's timeout). */
const ATTEMPT_LEASE_SECONDS = 60;
/** The schedule's offsets for the attempt after attempt k (k = 1…): what the claim's ELT() reads. */
const nextOffsets = WEBHOOK_SCHEDULE_SECONDS.slice(1);

export interface WebhookPorts extends Pick<TaskPorts, 'settings' | 'store'> {
  readonly webhookSender: WebhookSender;
}

// ------------------------------------------------------------------------------------------------
// secrets

/** A new secret: `whsec_` and the base64 of 24 random bytes (192 bits), as Standard Webhooks writes them. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;

export interface WebhookSecretView {
  secret: string;
  createdAt: string;
  rotatedAt: string | null;
}

/** GET /webhook/secret: the caller's secret, created on first use (concurrent first uses get the same one). */
export async function webhookSecretOf(userId: string): Promise<WebhookSecretView> {
  const row = await ensureWebhookSecret(userId, newWebhookSecret());
  return { secret: row.secret, createdAt: row.created_at.toISOString(), rotatedAt: row.rotated_at?.toISOString() ?? null };
}

/** POST /webhook/secret/rotate: a new secret; every attempt from now on is signed with it. */
export async function rotateWebhookSecret(userId: string): Promise<WebhookSecretView> {
  await replaceWebhookSecret(userId, newWebhookSecret());
  return webhookSecretOf(userId);
}

/** `v1,<base64 HMAC-SHA256>` of "<id>.<timestamp>.<body>" (Standard Webhooks, symmetric). */
export function signWebhook(secret: string, webhookId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
}

// ------------------------------------------------------------------------------------------------
// attempts

/** The task's JSON as GET /task/{taskId} shows it, fixed by the first attempt. */
async function payloadOf(delivery: DeliveryRow, ports: WebhookPorts): Promise<string | undefined> {
  if (delivery.payload !== null) return delivery.payload;
  const found = await findTaskAndEvents(delivery.task_id);
  if (!found) return undefined;
  return JSON.stringify(taskDetails(found, ports));
}

/** One attempt of a claimed delivery: sign, send, record the outcome and, at the end, the trail's event. Never throws. */
async function attempt(delivery: DeliveryRow, ports: WebhookPorts, timeoutMs: number): Promise<'delivered' | 'failed' | 'pending'> {
  try {
    const payload = await payloadOf(delivery, ports);
    if (payload === undefined) {
      await recordAttempt(delivery.id, { payload: 'null', statusCode: null, error: 'task gone', status: 'failed' });
      return 'failed';
    }
    const secret = delivery.secret ?? (await ensureWebhookSecret(delivery.user_id, newWebhookSecret())).secret;
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await ports.webhookSender.send({
      url: delivery.url,
      body: payload,
      timeoutMs,
      headers: { 'webhook-id': delivery.webhook_id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, delivery.webhook_id, timestamp, payload) },
    });
    const status = result.ok ? 'delivered' : delivery.attempts >= WEBHOOK_MAX_ATTEMPTS ? 'failed' : 'pending';
    const recorded = await recordAttempt(delivery.id, { payload, statusCode: result.statusCode ?? null, error: result.error ?? null, status });
    logger.info('client webhook attempt', { taskId: delivery.task_id, attempt: delivery.attempts, statusCode: result.statusCode, error: result.error, status });
    const task = { id: delivery.task_id, user_id: delivery.user_id };
    if (recorded && status === 'delivered') await appendTaskEvents(task, [{ kind: 'webhook_delivered', data: { attempts: delivery.attempts, ...(result.statusCode ? { statusCode: result.statusCode } : {}) } }]);
    if (recorded && status === 'failed') await appendTaskEvents(task, [{ kind: 'webhook_failed', data: { attempts: delivery.attempts, ...(result.statusCode ? { statusCode: result.statusCode } : {}) } }]);
    return status;
  } catch (error) {
    // The claim stands: the row is tried again when its lease lapses.
    logger.error('client webhook attempt failed', { taskId: delivery.task_id, error: asError(error) });
    return 'pending';
  }
}

/**
 * The first attempt, right after the request ended the task: bounded by CLIENT_WEBHOOK_IMMEDIATE_TIMEOUT_MS,
 * never throws, and costs nothing for a task without a callback URL. A receiver that is slow or
 * down leaves the delivery to the sweeper.
 */
export async function deliverTaskWebhook(task: Pick<TaskRow, 'id' | 'callback_url'>, ports: WebhookPorts): Promise<void> {
  if (task.callback_url === null) return;
  try {
    const delivery = await claimDeliveryOfTask(task.id, nextOffsets, ATTEMPT_LEASE_SECONDS);
    if (delivery) await attempt(delivery, ports, ports.settings.CLIENT_WEBHOOK_IMMEDIATE_TIMEOUT_MS);
  } catch (error) {
    logger.error('client webhook: immediate attempt not made', { taskId: task.id, error: asError(error) });
  }
}

export type DeliveryBatch = {
  readonly done: boolean;
  readonly attempted: number;
  readonly delivered: number;
  readonly failed: number;
};

/** The sweeper's step: up to `batchSize` due attempts, 8 at a time; done when fewer were due. */
export async function deliverDueWebhooks(batchSize: number, ports: WebhookPorts, deadline: number): Promise<DeliveryBatch> {
  const timeoutMs = Math.max(1000, Math.min(ports.settings.CLIENT_WEBHOOK_TIMEOUT_MS, deadline - Date.now()));
  const claimed = await claimDueDeliveries(batchSize, nextOffsets, ATTEMPT_LEASE_SECONDS);
  const outcomes: string[] = [];
  const queue = [...claimed];
  const worker = async (): Promise<void> => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) outcomes.push(await attempt(delivery, ports, timeoutMs));
  };
  await Promise.all(Array.from({ length: Math.min(8, claimed.length) }, worker));
  return {
    done: claimed.length < batchSize,
    attempted: claimed.length,
    delivered: outcomes.filter((outcome) => outcome === 'delivered').length,
    failed: outcomes.filter((outcome) => outcome === 'failed').length,
  };
}
