import { asError } from '../errors';
import { logger } from '../logger';
import { expireLapsedMemberships } from './memberships';
import { purgeExpired } from './purge';
import { sweepOverdueTasksInParallel, type LastCheck } from './tasks';

/**
 * The sweeper's core, shared by both platforms' timer entry points (functions/ops/sweeper.ts).
 * Each step works in bounded batches (one short transaction each, rows taken with FOR UPDATE SKIP
 * LOCKED) and is idempotent, so two overlapping runs split the work and a retried run only finds
 * what is left. Steps take turns one batch at a time until each is done or the time budget is
 * spent, so a flood of stuck tasks cannot starve order reconciliation or membership expiry.
 */
export type BatchCounts = Record<string, number>;
/** `done` plus counters (numbers are summed over the run's batches). */
export type BatchResult = { readonly done: boolean } & Readonly<Record<string, number | boolean>>;

export interface SweepStep {
  readonly name: string;
  /** Runs one bounded batch; `done` when this run has nothing more to do for the step. */
  batch(deadline: number): Promise<BatchResult>;
}

export interface StepReport {
  batches: number;
  done: boolean;
  error?: string;
  counts: BatchCounts;
}

export interface SweepReport {
  readonly steps: Record<string, StepReport>;
  /** The budget ran out with work left; the next run continues it. */
  readonly outOfTime: boolean;
}

export class SweepFailedError extends Error {
  constructor(readonly report: SweepReport) {
    const failed = Object.entries(report.steps).filter(([, step]) => step.error !== undefined);
    super(`sweeper step(s) failed: ${failed.map(([name, step]) => `${name} (${step.error ?? ''})`).join('; ')}`);
    this.name = 'SweepFailedError';
  }
}

export async function runSweep(steps: readonly SweepStep[], deadline: number): Promise<SweepReport> {
  const reports: Record<string, StepReport> = Object.fromEntries(steps.map((step) => [step.name, { batches: 0, done: false, counts: {} }]));
  let active = [...steps];
  while (active.length > 0 && Date.now() < deadline) {
    for (const step of active) {
      if (Date.now() >= deadline) break;
      const report = reports[step.name] as StepReport;
      try {
        const { done, ...counts } = await step.batch(deadline);
        report.batches += 1;
        for (const [key, value] of Object.entries(counts)) if (typeof value === 'number') report.counts[key] = (report.counts[key] ?? 0) + value;
        report.done = done;
      } catch (error) {
        // One failing step (say, the payment platform is down) must not stop the others; it is
        // reported, and the run fails at the end so the platform counts an error.
        report.error = asError(error).message;
        logger.error('sweeper step failed', { step: step.name, error: asError(error) });
      }
    }
    active = active.filter((step) => {
      const report = reports[step.name] as StepReport;
      return !report.done && report.error === undefined;
    });
  }
  const result: SweepReport = { steps: reports, outOfTime: active.length > 0 };
  if (Object.values(reports).some((report) => report.error !== undefined)) {
    logger.error('sweeper finished with errors', { report: result as unknown as Record<string, unknown> });
    throw new SweepFailedError(result);
  }
  return result;
}

export interface SweepSettings {
  readonly SWEEP_BATCH_SIZE: number;
  readonly SWEEP_CONCURRENCY: number;
  readonly PURGE_AFTER_HOURS: number;
}

export interface SweepDependencies {
  readonly lastCheck: LastCheck;
  /** Pending orders past their validity, settled by asking the payment platform. */
  readonly orders?: SweepStep;
  /** Completion webhooks due for another attempt (shared/ops/webhooks.ts). */
  readonly webhooks?: SweepStep;
  /** Refunds the platform has not confirmed yet, settled by asking it. */
  readonly refunds?: SweepStep;
}

/** The sweeper's steps in the order they take turns: refunds first, then money, then housekeeping. */
export function sweepSteps(settings: SweepSettings, dependencies: SweepDependencies): SweepStep[] {
  const batchSize = settings.SWEEP_BATCH_SIZE;
  return [
    { name: 'tasks', batch: (deadline) => sweepOverdueTasksInParallel(settings.SWEEP_CONCURRENCY, batchSize, deadline, dependencies.lastCheck) },
    ...(dependencies.orders ? [dependencies.orders] : []),
    ...(dependencies.refunds ? [dependencies.refunds] : []),
    { name: 'memberships', batch: () => expireLapsedMemberships(batchSize) },
    { name: 'purge', batch: () => purgeExpired(batchSize, settings.PURGE_AFTER_HOURS) },
    ...(dependencies.webhooks ? [dependencies.webhooks] : []),
  ];
}

