import type { Context, ScheduledEvent } from 'aws-lambda';
import { withDeadline } from '../deadline';
import { asError } from '../errors';
import { logger } from '../logger';
import { scheduleRoutes, type ScheduleRoute } from '../routes';
import { fromAwsScheduledEvent, fromScfTimerEvent, isAwsScheduledEvent, isScfTimerEvent, lambdaContextFromScf, type ScfContext, type ScfTimerEvent } from './platform';
import type { TimerEvent } from './types';

/**
 * The timer counterpart of defineEndpoint: one provider-neutral `run` behind both platforms'
 * entry points (an EventBridge scheduled event on AWS, an SCF timer trigger on Tencent), with the
 * request id on every log line, one summary line per run, a time budget taken from the platform's
 * remaining time, and errors logged and rethrown.
 *
 * Why rethrow: a failed run must count as a failed invocation (AWS `Errors` metric, SCF failure
 * count) so alarms fire; swallowing it would make a sweeper that fails every minute look healthy.
 * The platforms then retry the asynchronous invocation; that is safe because every step is
 * idempotent and takes its rows with SKIP LOCKED, but it adds little (the next tick is a minute
 * away), so the function can also be configured with no retries. Running out of time budget is
 * not an error: what is left belongs to the next run.
 */
export interface TimerRun {
  readonly event: TimerEvent;
  /** Epoch milliseconds by which `run` should have returned. */
  readonly deadline: number;
}

export interface TimerSpec<R> {
  /** Name of the schedule route in shared/routes.ts. */
  readonly route: string;
  /** Upper bound of a run (ms), whatever time the platform would allow. */
  readonly maxBudgetMs: () => number;
  run(input: TimerRun): Promise<R>;
}

export interface TimerHandlers<R> {
  /** AWS Lambda entry (EventBridge scheduled event). */
  handler: (event: ScheduledEvent, context: Context) => Promise<R>;
  /** Tencent SCF entry (timer trigger). */
  main_handler: (event: ScfTimerEvent, context: ScfContext) => Promise<R>;
}

/** Stop this long before the platform would kill the invocation: finishing a batch and logging need it. */
export const TIMER_SAFETY_MARGIN_MS = 3_000;

export function findScheduleRoute(name: string): ScheduleRoute {
  const route = scheduleRoutes.find((candidate) => candidate.name === name);
  if (!route) throw new Error(`No schedule route named ${name} in shared/routes.ts`);
  return route;
}

/** The budget of one run: the configured cap, or the platform's remaining time less a margin, whichever is shorter. */
export function timerDeadline(startedAt: number, remainingMs: number, maxBudgetMs: number): number {
  return startedAt + Math.max(0, Math.min(maxBudgetMs, remainingMs - TIMER_SAFETY_MARGIN_MS));
}

/** Accepts either platform's timer event on either entry point; anything else is refused loudly. */
function toTimerEvent(event: unknown, requestId: string | undefined, platformContext: ScfContext | undefined): TimerEvent {
  if (isAwsScheduledEvent(event)) return fromAwsScheduledEvent(event, requestId ? { awsRequestId: requestId } : undefined);
  if (isScfTimerEvent(event)) return fromScfTimerEvent(event, platformContext ?? (requestId ? { request_id: requestId } : undefined));
  throw new Error('not a timer event (expected an EventBridge scheduled event or an SCF timer trigger)');
}

export function defineTimer<R>(spec: TimerSpec<R>): TimerHandlers<R> {
  const route = findScheduleRoute(spec.route);

  const invoke = async (toEvent: () => TimerEvent, remainingMs: () => number): Promise<R> => {
    const startedAt = Date.now();
    logger.resetKeys();
    let event: TimerEvent;
    try {
      event = toEvent();
    } catch (error) {
      logger.error('timer event refused', { timer: route.name, error: asError(error) });
      throw error;
    }
    logger.appendKeys({ requestId: event.requestId, platform: event.platform, timer: route.name, trigger: event.trigger });
    const deadline = timerDeadline(startedAt, remainingMs(), spec.maxBudgetMs());
    try {
      const result = await withDeadline(startedAt + remainingMs(), () => spec.run({ event, deadline }));
      logger.info('timer finished', { durationMs: Date.now() - startedAt, firedAt: event.firedAt.toISOString(), result: result as unknown as Record<string, unknown> });
      return result;
    } catch (error) {
      logger.error('timer failed', { durationMs: Date.now() - startedAt, error: asError(error) });
      throw error;
    } finally {
      logger.resetKeys();
    }
  };

  return {
    handler: (event, context) => invoke(() => toTimerEvent(event, context?.awsRequestId, undefined), () => context?.getRemainingTimeInMillis?.() ?? route.timeoutSeconds * 1000),
    main_handler: (event, context) => {
      const lambdaContext = lambdaContextFromScf(context, context?.request_id ?? '', route.timeoutSeconds * 1000);
      return invoke(() => toTimerEvent(event, context?.request_id, context), () => lambdaContext.getRemainingTimeInMillis());
    },
  };
}
