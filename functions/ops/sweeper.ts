import { config } from '../../shared/config';
import { defineTimer } from '../../shared/http/timer';
import { runSweep, sweepSteps } from '../../shared/ops/sweeper';
import { runningHubLastCheck } from '../../shared/ops/last-check';
import { orderReconciliation, refundReconciliation } from '../../shared/ops/orders';
import { clientWebhookRetries } from '../../shared/ops/webhooks';
import { paymentPorts } from '../../shared/wiring/payments';
import { taskPorts } from '../../shared/wiring/ports';

/**
 * The timeout sweeper, every minute (EventBridge schedule on AWS, SCF timer trigger on Tencent):
 * overdue tasks get a last vendor check or fail with 3002 and their quota back; pending orders past
 * their validity are settled with the payment platform, and refunds it has not confirmed are asked
 * about; lapsed memberships get their ledger expiry; expired login codes and rate-limit rows are
 * purged; completion webhooks due are attempted again. What it does and why: shared/ops/sweeper.ts.
 */
// Read at cold start, so a bad setting fails the function before its first run.
const settings = config();

export const { handler, main_handler } = defineTimer({
  route: 'ops-sweeper',
  maxBudgetMs: () => settings.SWEEP_TIME_BUDGET_MS,
  run: ({ deadline }) =>
    runSweep(
      sweepSteps(settings, {
        lastCheck: runningHubLastCheck(taskPorts),
        orders: orderReconciliation(settings.SWEEP_BATCH_SIZE, paymentPorts),
        webhooks: clientWebhookRetries(settings.SWEEP_BATCH_SIZE, taskPorts),
        refunds: refundReconciliation(settings.SWEEP_BATCH_SIZE, paymentPorts),
      }),
      deadline,
    ),
});
