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
}

export interface ScheduleRoute {
  readonly name: string;
  readonly file: string;
  /** Minutes between runs; rendered as `rate(N minutes)` on AWS and a 7-field cron on SCF. */
  readonly everyMinutes: number;
}

export const httpRoutes: readonly HttpRoute[] = [
  { name: 'auth-send-code', file: 'functions/auth/send-code.ts', method: 'POST', path: '/auth/send-code' },
  { name: 'auth-login', file: 'functions/auth/login.ts', method: 'POST', path: '/auth/login' },
  { name: 'auth-me', file: 'functions/auth/me.ts', method: 'GET', path: '/auth/me' },
  { name: 'auth-wechat-openid', file: 'functions/auth/wechat-openid.ts', method: 'GET', path: '/auth/wechat/openid' },
  { name: 'membership-purchase', file: 'functions/membership/purchase.ts', method: 'POST', path: '/membership/purchase' },
  { name: 'membership-status', file: 'functions/membership/status.ts', method: 'GET', path: '/membership/status' },
  { name: 'membership-payment-callback', file: 'functions/membership/payment-callback.ts', method: 'POST', path: '/membership/payment-callback' },
  { name: 'media-sts', file: 'functions/media/sts.ts', method: 'GET', path: '/media/sts' },
  { name: 'task-create', file: 'functions/task/create.ts', method: 'POST', path: '/task/create' },
  { name: 'task-list', file: 'functions/task/list.ts', method: 'GET', path: '/task/list' },
  { name: 'task-get', file: 'functions/task/get.ts', method: 'GET', path: '/task/{taskId}' },
  { name: 'task-runninghub-callback', file: 'functions/task/runninghub-callback.ts', method: 'POST', path: '/task/runninghub-callback' },
  { name: 'admin-users', file: 'functions/admin/users.ts', method: 'GET', path: '/admin/users' },
  { name: 'admin-tasks', file: 'functions/admin/tasks.ts', method: 'GET', path: '/admin/tasks' },
  { name: 'admin-failed-tasks', file: 'functions/admin/failed-tasks.ts', method: 'GET', path: '/admin/failed-tasks' },
];

export const scheduleRoutes: readonly ScheduleRoute[] = [{ name: 'ops-sweeper', file: 'functions/ops/sweeper.ts', everyMinutes: 1 }];

/**
 * Answers every request no route matched (AWS `$default` route, SCF custom-domain catch-all,
 * local gateway), so unknown routes get the envelope: 404, or 405 when only the method is wrong.
 */
export const fallbackRoute = { name: 'not-found', file: 'functions/system/not-found.ts' } as const;

export const allFunctions: readonly { name: string; file: string }[] = [...httpRoutes, fallbackRoute, ...scheduleRoutes];

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
