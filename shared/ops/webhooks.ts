import { deliverDueWebhooks, type WebhookPorts } from '../tasks/client-webhooks';
import type { SweepStep } from './sweeper';

/**
 * The sweeper's completion-webhook step: attempts due on the schedule (shared/tasks/client-webhooks.ts
 * WEBHOOK_SCHEDULE_SECONDS), claimed with FOR UPDATE SKIP LOCKED so overlapping runs split them, and
 * any first attempt the ending request could not make (a task the sweeper itself timed out, a
 * request that died after the end committed).
 */
export function clientWebhookRetries(batchSize: number, ports: WebhookPorts): SweepStep {
  return { name: 'webhooks', batch: (deadline) => deliverDueWebhooks(batchSize, ports, deadline) };
}
