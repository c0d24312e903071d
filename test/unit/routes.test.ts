import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allFunctions, fallbackRoute, findRoute, httpRoutes, matchPath, scheduleRoutes, type HttpRoute } from '../../shared/routes';

/**
 * serverless.yml is written by hand (readable, room for per-function settings), so this test is
 * what keeps it equal to shared/routes.ts. Failures print the YAML to paste.
 */

/** The httpApi paths carry the base path literally; serverless.yml sets API_BASE_PATH to the same value. */
const basePath = '/api';

type YamlMap = Record<string, unknown>;

interface DeclaredFunction {
  readonly handler: unknown;
  readonly events: readonly YamlMap[];
  readonly timeout: unknown;
}

const isMap = (value: unknown): value is YamlMap => typeof value === 'object' && value !== null && !Array.isArray(value);

function loadServerlessYml(): YamlMap {
  const document: unknown = parse(readFileSync(new URL('../../serverless.yml', import.meta.url), 'utf8'));
  if (!isMap(document)) throw new Error('serverless.yml is not a mapping');
  return document;
}

function declaredFunctions(document: YamlMap): Map<string, DeclaredFunction> {
  const functions = document.functions;
  if (!isMap(functions)) throw new Error('serverless.yml has no `functions` mapping');
  const result = new Map<string, DeclaredFunction>();
  for (const [name, value] of Object.entries(functions)) {
    if (!isMap(value)) throw new Error(`functions.${name} is not a mapping`);
    const events = Array.isArray(value.events) ? value.events.filter(isMap) : [];
    result.set(name, { handler: value.handler, events, timeout: value.timeout });
  }
  return result;
}

const handlerOf = (file: string): string => `${file.replace(/\.ts$/, '')}.handler`;

/** AWS wants the singular unit for 1 (`rate(1 minute)`) and rejects `rate(1 minutes)`. */
const awsRate = (minutes: number): string => `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;

const httpEventsOf = (fn: DeclaredFunction): unknown[] => fn.events.filter((event) => 'httpApi' in event).map((event) => event.httpApi);

function scheduleRatesOf(fn: DeclaredFunction): string[] {
  return fn.events.flatMap((event) => {
    const schedule = event.schedule;
    if (typeof schedule === 'string') return [schedule];
    // The long form (`schedule: { rate: [...], input: ... }`) is allowed too, for when a timer needs input.
    if (isMap(schedule)) return [schedule.rate].flat().filter((rate): rate is string => typeof rate === 'string');
    return [];
  });
}

const httpSnippet = (route: HttpRoute): string =>
  `  ${route.name}:\n    handler: ${handlerOf(route.file)}\n    events: [{ httpApi: { method: ${route.method}, path: '${basePath}${route.path}' } }]`;

const document = loadServerlessYml();
const functions = declaredFunctions(document);

describe('serverless.yml follows shared/routes.ts', () => {
  it('declares exactly the functions of the route table, no more', () => {
    const names = allFunctions.map((fn) => fn.name);
    expect(new Set(names).size, 'route names must be unique').toBe(names.length);
    expect([...functions.keys()].sort()).toEqual([...names].sort());
  });

  it.each(httpRoutes.map((route) => [route.name, route] as const))('%s: handler and httpApi event', (_name, route) => {
    const fn = functions.get(route.name);
    expect(fn, `add to serverless.yml functions:\n${httpSnippet(route)}`).toBeDefined();
    if (!fn) return;
    expect(fn.handler).toBe(handlerOf(route.file));
    expect(httpEventsOf(fn)).toEqual([{ method: route.method, path: `${basePath}${route.path}` }]);
    expect(scheduleRatesOf(fn)).toEqual([]);
  });

  it('serves every method+path from exactly one function', () => {
    for (const route of httpRoutes) {
      const owners = [...functions.entries()].filter(([, fn]) =>
        httpEventsOf(fn).some((event) => isMap(event) && event.method === route.method && event.path === `${basePath}${route.path}`),
      );
      expect(owners.map(([name]) => name), `${route.method} ${route.path}`).toEqual([route.name]);
    }
  });

  it('sends unmatched requests to the fallback function ($default route)', () => {
    const fn = functions.get(fallbackRoute.name);
    expect(fn?.handler).toBe(handlerOf(fallbackRoute.file));
    expect(fn && httpEventsOf(fn)).toEqual(['*']);
    const catchAlls = [...functions.entries()].filter(([, other]) => httpEventsOf(other).includes('*'));
    expect(catchAlls.map(([name]) => name)).toEqual([fallbackRoute.name]);
  });

  it.each(scheduleRoutes.map((route) => [route.name, route] as const))('%s: schedule event', (_name, route) => {
    const fn = functions.get(route.name);
    const snippet = `  ${route.name}:\n    handler: ${handlerOf(route.file)}\n    events: [{ schedule: ${awsRate(route.everyMinutes)} }]`;
    expect(fn, `add to serverless.yml functions:\n${snippet}`).toBeDefined();
    if (!fn) return;
    expect(fn.handler).toBe(handlerOf(route.file));
    expect(scheduleRatesOf(fn)).toEqual([awsRate(route.everyMinutes)]);
    expect(httpEventsOf(fn)).toEqual([]);
  });

  it.each(allFunctions.map((fn) => [fn.name, fn] as const))('%s: time limit', (_name, route) => {
    const provider = document.provider;
    const fn = functions.get(route.name);
    const timeout = fn?.timeout ?? (isMap(provider) ? provider.timeout : undefined);
    expect(timeout, `set \`timeout: ${route.timeoutSeconds}\` on ${route.name}`).toBe(route.timeoutSeconds);
  });

  it('tells the functions the same base path the httpApi paths use', () => {
    const provider = document.provider;
    const environment = isMap(provider) ? provider.environment : undefined;
    expect(isMap(environment) ? environment.API_BASE_PATH : undefined).toBe(basePath);
  });
});

describe('matchPath', () => {
  it('extracts and decodes path parameters', () => {
    expect(matchPath('/task/{taskId}', '/task/abc')).toEqual({ taskId: 'abc' });
    expect(matchPath('/task/{taskId}', '/task/a%20b')).toEqual({ taskId: 'a b' });
  });

  it('matches static templates with no parameters', () => {
    expect(matchPath('/auth/me', '/auth/me')).toEqual({});
  });

  it('ignores empty segments, so a trailing slash still matches', () => {
    expect(matchPath('/task/{taskId}', '/task/abc/')).toEqual({ taskId: 'abc' });
  });

  it('rejects other lengths, other static segments and undecodable parameters', () => {
    expect(matchPath('/task/{taskId}', '/task')).toBeUndefined();
    expect(matchPath('/task/{taskId}', '/task/abc/more')).toBeUndefined();
    expect(matchPath('/task/list', '/task/lists')).toBeUndefined();
    expect(matchPath('/task/{taskId}', '/task/%E0%A4%A')).toBeUndefined();
  });
});

describe('findRoute', () => {
  // A local table, so these tests do not depend on which routes exist today.
  const byParam: HttpRoute = { name: 'task-get', file: 'functions/task/get.ts', method: 'GET', path: '/task/{taskId}', timeoutSeconds: 15 };
  const list: HttpRoute = { name: 'task-list', file: 'functions/task/list.ts', method: 'GET', path: '/task/list', timeoutSeconds: 15 };
  const create: HttpRoute = { name: 'task-create', file: 'functions/task/create.ts', method: 'POST', path: '/task/create', timeoutSeconds: 15 };
  const routes = [byParam, list, create];

  it('prefers a static segment over a parameter, whatever the table order', () => {
    expect(findRoute(routes, 'GET', '/task/list')).toEqual({ route: list, params: {} });
    expect(findRoute([...routes].reverse(), 'GET', '/task/list')).toEqual({ route: list, params: {} });
  });

  it('falls back to the parameter route for other values', () => {
    expect(findRoute(routes, 'GET', '/task/42')).toEqual({ route: byParam, params: { taskId: '42' } });
  });

  it('compares methods case-insensitively', () => {
    expect(findRoute(routes, 'get', '/task/list')).toEqual({ route: list, params: {} });
  });

  it('reports a known path with the wrong method as a method mismatch', () => {
    expect(findRoute(routes, 'DELETE', '/task/list')).toEqual({ methodMismatch: true });
    // POST /task/create exists; GET /task/create is taken by {taskId} rather than reported as a mismatch.
    expect(findRoute(routes, 'GET', '/task/create')).toEqual({ route: byParam, params: { taskId: 'create' } });
  });

  it('returns undefined for unknown paths', () => {
    expect(findRoute(routes, 'GET', '/nothing/here')).toBeUndefined();
  });

  it('reaches every route of the real table (none is shadowed by a parameter route)', () => {
    for (const route of httpRoutes) {
      const concrete = route.path.replace(/\{[^}]+\}/g, 'sample-value');
      const found = findRoute(httpRoutes, route.method, concrete);
      expect(found && 'route' in found ? found.route.name : found, `${route.method} ${concrete}`).toBe(route.name);
    }
  });
});
