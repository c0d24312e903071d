import { asError } from '../errors';
import { logger } from '../logger';
import type { CloudInfinite } from '../vendors/ci';
import type { ObjectStore } from '../vendors/cos';
import type { RunningHubAccount, RunningHubClient } from '../vendors/runninghub';
import { VendorError } from '../vendors/vendor-error';

/**
 * GET /admin/vendor-status: whether each vendor answers, measured now, in parallel. RunningHub is
 * asked for its account status (coins left, runs going); COS and Cloud Infinite get the cheapest
 * request each serves, a HEAD and an imageInfo of an object that does not exist, where any answer
 * of the service itself (4xx included: "no such key") means it is up. A vendor that fails or does not
 * answer shows `ok: false` with its error code; the endpoint itself always answers 200.
 */
export interface VendorStatusPorts {
  readonly runningHub: Pick<RunningHubClient, 'accountStatus'>;
  readonly store: Pick<ObjectStore, 'stat'>;
  readonly ci: Pick<CloudInfinite, 'imageInfo'>;
}

export interface VendorProbe {
  readonly ok: boolean;
  readonly latencyMs: number;
  /** The vendor's error code (never its message: it may name keys or URLs). */
  readonly error?: string;
}

export interface VendorStatus {
  readonly checkedAt: string;
  readonly runningHub: VendorProbe & { readonly account?: RunningHubAccount };
  readonly cos: VendorProbe;
  readonly ci: VendorProbe;
}

/** A key nothing is ever stored under: its HEAD and imageInfo answer 404 from a healthy service. */
export const PROBE_KEY = 'health/vendor-status-probe.jpg';

const answeredByService = (error: unknown): boolean => error instanceof VendorError && error.status !== undefined && error.status >= 400 && error.status < 500;

async function probe<T>(name: string, call: () => Promise<T>, answered: (error: unknown) => boolean = () => false): Promise<VendorProbe & { value?: T }> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const value = await call();
    return { ok: true, latencyMs: latency(), value };
  } catch (error) {
    const latencyMs = latency();
    if (answered(error)) return { ok: true, latencyMs };
    const code = error instanceof VendorError ? error.code : asError(error).name;
    logger.warn('vendor status probe failed', { vendor: name, error: asError(error).message });
    return { ok: false, latencyMs, error: code };
  }
}

export async function vendorStatus(ports: VendorStatusPorts): Promise<VendorStatus> {
  const [runningHub, cos, ci] = await Promise.all([
    probe('runninghub', () => ports.runningHub.accountStatus()),
    probe('cos', () => ports.store.stat(PROBE_KEY)),
    probe('ci', () => ports.ci.imageInfo(PROBE_KEY), answeredByService),
  ]);
  return {
    checkedAt: new Date().toISOString(),
    runningHub: { ok: runningHub.ok, latencyMs: runningHub.latencyMs, ...(runningHub.error ? { error: runningHub.error } : {}), ...(runningHub.value ? { account: runningHub.value } : {}) },
    cos: { ok: cos.ok, latencyMs: cos.latencyMs, ...(cos.error ? { error: cos.error } : {}) },
    ci: { ok: ci.ok, latencyMs: ci.latencyMs, ...(ci.error ? { error: ci.error } : {}) },
  };
}
