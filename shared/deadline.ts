import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The moment the current invocation must have answered by (epoch ms), set by the platform entry
 * points (shared/http/handlers.ts, shared/http/timer.ts) from the time the platform has left for it.
 * Vendor calls cut their own timeouts to it, keeping OUTCOME_RESERVE_MS back, so a slow vendor ends
 * as a recorded failure — the task failed and its quota released by this invocation — instead of the
 * platform killing the instance mid-task and leaving the refund to the sweeper's deadline.
 * Outside an invocation (scripts, tests calling domain code directly) calls keep their own timeouts.
 */
const invocationDeadline = new AsyncLocalStorage<number>();

/** Time kept back after a vendor call gives up, for the transaction that records the outcome. */
export const OUTCOME_RESERVE_MS = 2_000;

export function withDeadline<T>(deadlineMs: number, work: () => Promise<T>): Promise<T> {
  return invocationDeadline.run(deadlineMs, work);
}

/** A vendor call's timeout: its own limit, shortened to what the invocation can still afford (≥ 1 ms). */
export function vendorTimeoutMs(ownLimitMs: number, now = Date.now()): number {
  const deadline = invocationDeadline.getStore();
  if (deadline === undefined) return ownLimitMs;
  return Math.max(1, Math.min(ownLimitMs, deadline - OUTCOME_RESERVE_MS - now));
}

/** An abort signal for one fetch to a vendor (see vendorTimeoutMs). */
export function vendorSignal(ownLimitMs: number): AbortSignal {
  return AbortSignal.timeout(vendorTimeoutMs(ownLimitMs));
}

/**
 * For clients that take no abort signal (cos-nodejs-sdk-v5 has one timeout per client): rejects with
 * `onTimeout()` when the call outlives vendorTimeoutMs. The request itself runs on until the
 * client's own timeout ends it; only its answer is no longer awaited.
 */
export async function withinVendorTimeout<T>(call: Promise<T>, ownLimitMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), vendorTimeoutMs(ownLimitMs));
  });
  try {
    return await Promise.race([call, expired]);
  } finally {
    clearTimeout(timer);
  }
}
