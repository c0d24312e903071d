/** The sandbox's own control surface: health, faults and reset (DESIGN.md "Running it locally"). */
import { HttpError, type Router, sendJson } from './router';
import type { SandboxState } from './state';

export interface ControlModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  /** What runs beside the sandbox may clear its own local state on reset (npm run dev: the API's rate-limit rows). */
  readonly options: { readonly onReset?: () => Promise<void> | void };
}

export function registerControl({ router, state, options }: ControlModuleContext): void {
  router.add('GET', '/_sandbox/health', (_req, res) => {
    sendJson(res, 200, { ok: true });
  });

  router.add('GET', '/_sandbox/faults', (_req, res) => {
    sendJson(res, 200, state.faultMap());
  });

  router.add('POST', '/_sandbox/faults', (_req, res, ctx) => {
    const result = state.applyFaults(ctx.json());
    if (!result.ok) throw new HttpError(400, result.error);
    sendJson(res, 200, result.faults);
  });

  router.add('POST', '/_sandbox/reset', async (_req, res) => {
    state.reset();
    await options.onReset?.();
    sendJson(res, 200, { ok: true });
  });
}
