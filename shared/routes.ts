/**
 * The single source of truth for which function serves which HTTP route (and which timers exist).
 * serverless.yml, the local gateway, the Tencent build/deployer and the benchmarks all follow it;
 * test/unit/routes.test.ts fails when serverless.yml drifts from it.
 */
export type HttpMethod = 'GET' | 'POST';

export interface HttpRoute {
  /** Function name on both clouds (kebab-case, also the Tencent function name suffix). */
  readonly name: string;
  /** Source file, relative to the project root, exporting `handler` and `main_handler`. */
  readonly file: string;
  readonly method: HttpMethod;
  /** Path template relative to the API base path, e.g. `/task/{taskId}`. */
  readonly path: string;
  /** Time limit on both clouds, seconds (see `timeouts`). */
  readonly timeoutSeconds: number;
}

export interface ScheduleRoute {
  readonly name: string;
  readonly file: string;
  /** Minutes between runs; rendered as `rate(N minutes)` on AWS and a 7-field cron on SCF. */
  readonly everyMinutes: number;
  readonly timeoutSeconds: number;
}

/**
 * Function time limits (serverless.yml and the Tencent deployer both follow these). A function that
 * calls a vendor must outlive that call's own timeout, so a slow vendor ends as a recorded failure
 * with the quota released, not as a killed instance; the sweeper is only the safety net. AWS HTTP API
 * stops waiting at 30 s, so no HTTP function goes beyond 29 s.
 */
export const timeouts = {
  /** Database only, or a few short vendor calls (8–10 s timeouts, cut to the deadline by shared/deadline.ts). */
  standard: 15,
  /** Several vendor calls in a row (Cloud Infinite, RunningHub, frame copies). */
  vendorChain: 29,
  /** The sweeper: its work budget (SWEEP_TIME_BUDGET_MS) stops well before this. */
  timer: 60,
} as const;

export const httpRoutes: readonly HttpRoute[] = [
  { name: 'auth-send-code', file: 'functions/auth/send-code.ts', method: 'POST', path: '/auth/send-code', timeoutSeconds: timeouts.standard },
  { name: 'auth-login', file: 'functions/auth/login.ts', method: 'POST', path: '/auth/login', timeoutSeconds: timeouts.standard },
  { name: 'auth-me', file: 'functions/auth/me.ts', method: 'GET', path: '/auth/me', timeoutSeconds: timeouts.standard },
  { name: 'auth-logout', file: 'functions/auth/logout.ts', method: 'POST', path: '/auth/logout', timeoutSeconds: timeouts.standard },
  { name: 'auth-wechat-openid', file: 'functions/auth/wechat-openid.ts', method: 'GET', path: '/auth/wechat/openid', timeoutSeconds: timeouts.standard },
  { name: 'membership-purchase', file: 'functions/membership/purchase.ts', method: 'POST', path: '/membership/purchase', timeoutSeconds: timeouts.standard },
  { name: 'membership-status', file: 'functions/membership/status.ts', method: 'GET', path: '/membership/status', timeoutSeconds: timeouts.standard },
  { name: 'membership-payment-callback', file: 'functions/membership/payment-callback.ts', method: 'POST', path: '/membership/payment-callback', timeoutSeconds: timeouts.standard },
  { name: 'media-sts', file: 'functions/media/sts.ts', method: 'GET', path: '/media/sts', timeoutSeconds: timeouts.standard },
  { name: 'task-create', file: 'functions/task/create.ts', method: 'POST', path: '/task/create', timeoutSeconds: timeouts.vendorChain },
  { name: 'task-list', file: 'functions/task/list.ts', method: 'GET', path: '/task/list', timeoutSeconds: timeouts.standard },
  { name: 'task-get', file: 'functions/task/get.ts', method: 'GET', path: '/task/{taskId}', timeoutSeconds: timeouts.vendorChain },
  { name: 'task-runninghub-callback', file: 'functions/task/runninghub-callback.ts', method: 'POST', path: '/task/runninghub-callback', timeoutSeconds: timeouts.vendorChain },
  { name: 'admin-users', file: 'functions/admin/users.ts', method: 'GET', path: '/admin/users', timeoutSeconds: timeouts.standard },
  { name: 'admin-tasks', file: 'functions/admin/tasks.ts', method: 'GET', path: '/admin/tasks', timeoutSeconds: timeouts.standard },
  { name: 'admin-failed-tasks', file: 'functions/admin/failed-tasks.ts', method: 'GET', path: '/admin/failed-tasks', timeoutSeconds: timeouts.standard },
  { name: 'admin-payment-anomalies', file: 'functions/admin/payment-anomalies.ts', method: 'GET', path: '/admin/payment-anomalies', timeoutSeconds: timeouts.standard },
  { name: 'auth-refresh', file: 'functions/auth/refresh.ts', method: 'POST', path: '/auth/refresh', timeoutSeconds: timeouts.standard },
  { name: 'quota-transactions', file: 'functions/quota/transactions.ts', method: 'GET', path: '/quota/transactions', timeoutSeconds: timeouts.standard },
  { name: 'quota-statistics', file: 'functions/quota/statistics.ts', method: 'GET', path: '/quota/statistics', timeoutSeconds: timeouts.standard },
  { name: 'membership-orders', file: 'functions/membership/orders.ts', method: 'GET', path: '/membership/orders', timeoutSeconds: timeouts.standard },
  { name: 'membership-order', file: 'functions/membership/order.ts', method: 'GET', path: '/membership/orders/{orderId}', timeoutSeconds: timeouts.standard },
  { name: 'admin-stats', file: 'functions/admin/stats.ts', method: 'GET', path: '/admin/stats', timeoutSeconds: timeouts.standard },
  { name: 'task-events', file: 'functions/task/events.ts', method: 'GET', path: '/task/events/{taskId}', timeoutSeconds: timeouts.standard },
  { name: 'webhook-secret', file: 'functions/webhook/secret.ts', method: 'GET', path: '/webhook/secret', timeoutSeconds: timeouts.standard },
  { name: 'webhook-rotate-secret', file: 'functions/webhook/rotate-secret.ts', method: 'POST', path: '/webhook/secret/rotate', timeoutSeconds: timeouts.standard },
  { name: 'admin-order-refund', file: 'functions/admin/order-refund.ts', method: 'POST', path: '/admin/orders/{orderId}/refund', timeoutSeconds: timeouts.standard },
  { name: 'system-openapi', file: 'functions/system/openapi.ts', method: 'GET', path: '/openapi.json', timeoutSeconds: timeouts.standard },
  { name: 'abilities-list', file: 'functions/abilities/list.ts', method: 'GET', path: '/abilities', timeoutSeconds: timeouts.standard },
  { name: 'abilities-get', file: 'functions/abilities/get.ts', method: 'GET', path: '/abilities/{abilityId}', timeoutSeconds: timeouts.standard },
  { name: 'task-cancel', file: 'functions/task/cancel.ts', method: 'POST', path: '/task/cancel/{taskId}', timeoutSeconds: timeouts.standard },
  { name: 'task-retry', file: 'functions/task/retry.ts', method: 'POST', path: '/task/retry/{taskId}', timeoutSeconds: timeouts.vendorChain },
  { name: 'media-signed-download', file: 'functions/media/signed-download.ts', method: 'POST', path: '/media/signed-download', timeoutSeconds: timeouts.standard },
  { name: 'admin-vendor-status', file: 'functions/admin/vendor-status.ts', method: 'GET', path: '/admin/vendor-status', timeoutSeconds: timeouts.standard },
  { name: 'admin-costs', file: 'functions/admin/costs.ts', method: 'GET', path: '/admin/costs', timeoutSeconds: timeouts.standard },
];

export const scheduleRoutes: readonly ScheduleRoute[] = [{ name: 'ops-sweeper', file: 'functions/ops/sweeper.ts', everyMinutes: 1, timeoutSeconds: timeouts.timer }];

/**
 * Answers every request no route matched (AWS `$default` route, SCF custom-domain catch-all,
 * local gateway), so unknown routes get the envelope: 404, or 405 when only the method is wrong.
 */
export const fallbackRoute = { name: 'not-found', file: 'functions/system/not-found.ts', timeoutSeconds: timeouts.standard } as const;

export const allFunctions: readonly { name: string; file: string; timeoutSeconds: number }[] = [...httpRoutes, fallbackRoute, ...scheduleRoutes];

/** Static segments rank above `{param}` segments, so `/task/list` wins over `/task/{taskId}`. */
export function routeSpecificity(path: string): number[] {
  return path.split('/').filter(Boolean).map((segment) => (segment.startsWith('{') ? 0 : 1));
}

/** Matches a concrete path against a template; returns the path parameters or undefined. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const segment = want[i] as string;
    const actual = got[i] as string;
    if (segment.startsWith('{') && segment.endsWith('}')) {
      let value: string;
      try {
        value = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
      params[segment.slice(1, -1)] = value;
    } else if (segment !== actual) {
      return undefined;
    }
  }
  return params;
}

/** Finds the route for a method and path, most specific template first. */
export function findRoute(
  routes: readonly HttpRoute[],
  method: string,
  path: string,
): { route: HttpRoute; params: Record<string, string> } | { methodMismatch: true } | undefined {
  const ordered = [...routes].sort((a, b) => compareSpecificity(routeSpecificity(b.path), routeSpecificity(a.path)));
  let pathMatched = false;
  for (const route of ordered) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === method.toUpperCase()) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? { methodMismatch: true } : undefined;
}

function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
