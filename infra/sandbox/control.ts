/** The sandbox's own control surface: health, faults and reset (DESIGN.md "Running it locally"). */
import { HttpError, type Router, sendJson } from './router';
import type { SandboxState } from './state';

export interface ControlModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
}

export function registerControl({ router, state }: ControlModuleContext): void {
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

  router.add('POST', '/_sandbox/reset', (_req, res) => {
    state.reset();
    sendJson(res, 200, { ok: true });
  });
}
