import type { PaymentPorts } from '../payments/ports';
import { reconcileOrdersPastValidity } from '../payments/reconcile';
import { reconcileRefunds } from '../payments/refunds';
import type { SweepStep } from './sweeper';

/** Orders per batch: each one is a platform round trip (and maybe a close), made one after another. */
export const ORDER_BATCH_LIMIT = 20;

/**
 * Pending orders past their validity, settled by asking their platform (shared/payments/reconcile.ts):
 * paid → credited once, otherwise closed at the platform → failed. Each order is claimed with a
 * conditional UPDATE of orders.last_queried_at before the question, so overlapping runs split them.
 * A batch in which every order was already claimed by another run asks nothing: that ends the step
 * for this run instead of re-reading the same claimed orders until the budget runs out.
 */
export function orderReconciliation(batchSize: number, ports: PaymentPorts): SweepStep {
  const limit = Math.min(batchSize, ORDER_BATCH_LIMIT);
  return {
    name: 'orders',
    async batch() {
      const result = await reconcileOrdersPastValidity(limit, ports);
      const asked = result.credited + result.failed + result.pending + result.errors;
      return { ...result, done: result.done || asked === 0 };
    },
  };
}

/**
 * Orders refunding for over a minute without the platform's confirmation (shared/payments/refunds.ts):
 * confirmed → refunded once (ledger refund entry, shorter membership); refused or closed → paid again;
 * unknown at the platform → asked for again with the same refund number. Claimed like the orders step.
 */
export function refundReconciliation(batchSize: number, ports: PaymentPorts): SweepStep {
  const limit = Math.min(batchSize, ORDER_BATCH_LIMIT);
  return {
    name: 'refunds',
    async batch() {
      const result = await reconcileRefunds(limit, ports);
      const asked = result.refunded + result.failed + result.processing + result.errors;
      return { ...result, done: result.done || asked === 0 };
    },
  };
}
