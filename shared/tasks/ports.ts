import type { MediaPorts } from '../media/ports';
import type { CloudInfinite } from '../vendors/ci';
import type { RunningHubClient } from '../vendors/runninghub';
import type { WebhookSender } from '../vendors/webhook-sender';

/**
 * The vendor ports task code is handed by the composition root (shared/wiring/), built on first
 * use per function instance; unit tests hand in in-memory fakes (test/helpers/fake-ports.ts).
 */
export interface TaskPorts extends Pick<MediaPorts, 'settings' | 'tasks' | 'store'> {
  readonly runningHub: RunningHubClient;
  /** Completion webhooks to users' callback URLs (shared/tasks/client-webhooks.ts). */
  readonly webhookSender: WebhookSender;
}

/** Task creation also inspects and screens images with Cloud Infinite. */
export interface CreatePorts extends TaskPorts {
  readonly ci: CloudInfinite;
}
