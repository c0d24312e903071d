import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of .dependency-cruiser.cjs, run through the same CLI as `npm run lint`: against
 * test/fixtures/layers/ (a miniature of the layer folders in which each `bad` file breaks one rule)
 * they must report exactly the planted violations, and against the real tree nothing.
 */

interface Violation {
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly dependencyTypes?: readonly string[];
  readonly rule: { readonly name: string; readonly severity: string };
}

const root = join(dirname(new URL(import.meta.url).pathname), '../..');
const depcruiseBin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

function cruise(...paths: string[]): Violation[] {
  const run = spawnSync(process.execPath, [depcruiseBin, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...paths], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.stdout.trim() === '') throw new Error(`depcruise printed nothing (exit ${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const fixture = 'test/fixtures/layers/';
const edge = (violation: Violation): string => `${violation.rule.name}: ${violation.from.replace(fixture, '')} → ${violation.to.replace(fixture, '')}`;

describe('layer rules (.dependency-cruiser.cjs)', () => {
  const violations = cruise('test/fixtures/layers');
  const dependencyViolations = violations.filter((violation) => violation.type === 'dependency');

  it('report every planted upward dependency, and no allowed one', () => {
    expect(dependencyViolations.map(edge).sort()).toEqual(
      [
        'no-http-to-functions-deps: shared/http/bad-imports-function.ts → functions/entry.ts',
        'no-domain-to-http-deps: shared/payments/bad-imports-http.ts → shared/http/respond.ts',
        'no-domain-to-functions-deps: shared/auth/bad-imports-function.ts → functions/entry.ts',
        'no-domain-to-wiring-deps: shared/tasks/bad-imports-wiring.ts → shared/wiring/ports.ts',
        'no-wiring-to-upper-deps: shared/wiring/bad-imports-http.ts → shared/http/respond.ts',
        'no-vendors-to-domain-deps: shared/vendors/bad.ts → shared/tasks/a.ts',
        'no-vendors-to-domain-deps: shared/vendors/bad-type-only.ts → shared/users-types.ts',
        'no-vendors-to-http-deps: shared/vendors/bad-imports-routes.ts → shared/routes.ts',
        'no-vendors-to-db-deps: shared/vendors/bad-imports-db.ts → shared/db/pool.ts',
        'no-db-to-domain-deps: shared/db/bad-imports-users.ts → shared/users.ts',
        'no-db-to-http-deps: shared/db/bad-imports-http.ts → shared/http/respond.ts',
        'no-db-to-vendors-deps: shared/db/bad-imports-vendor.ts → shared/vendors/client.ts',
        'no-config-to-upper-deps: shared/config/bad-imports-logger.ts → shared/logger.ts',
        'no-leaf-to-upper-deps: shared/errors.ts → shared/payments/orders.ts',
        'no-sandbox-to-shared-deps: infra/sandbox/x.ts → shared/config/index.ts',
        'no-responses-in-functions: functions/bad-imports-responses.ts → shared/tasks/responses.ts',
        'no-client-to-backend-deps: client/bad-imports-shared.ts → shared/logger.ts',
        'no-app-to-backend-deps: app/src/bad-imports-shared.ts → shared/logger.ts',
      ].sort(),
    );
  });

  it('cruise type-only imports, which TypeScript erases, as dependencies', () => {
    const typeOnly = dependencyViolations.filter((violation) => violation.dependencyTypes?.includes('type-only')).map(edge);
    expect(typeOnly).toEqual(
      expect.arrayContaining([
        'no-domain-to-http-deps: shared/payments/bad-imports-http.ts → shared/http/respond.ts',
        'no-vendors-to-domain-deps: shared/vendors/bad-type-only.ts → shared/users-types.ts',
      ]),
    );
  });

  it('report a module cycle (a → b → a)', () => {
    const cycles = violations.filter((violation) => violation.rule.name === 'no-circular').map(edge);
    // depcruise reports a cycle once, from whichever of its modules it reaches first.
    expect(cycles).toHaveLength(1);
    expect(['no-circular: shared/tasks/a.ts → shared/tasks/b.ts', 'no-circular: shared/tasks/b.ts → shared/tasks/a.ts']).toContain(cycles[0]);
  });

  it('report two folders that import each other without a module cycle', () => {
    // shared/media/urls.ts → shared/tasks/services.ts, shared/tasks/view.ts → shared/media/urls.ts.
    // (Every upward dependency above closes a folder cycle too; those are reported as well.)
    const folderCycles = violations.filter((violation) => violation.rule.name === 'no-circular-folders').map(edge);
    expect(folderCycles).toEqual(expect.arrayContaining(['no-circular-folders: shared/media → shared/tasks', 'no-circular-folders: shared/tasks → shared/media']));
  });

  it('exercise every rule of the configuration, each with a comment saying why', () => {
    const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as { forbidden: { name: string; comment?: string }[] };
    const reported = new Set(violations.map((violation) => violation.rule.name));
    for (const rule of config.forbidden) {
      expect(rule.comment, rule.name).toBeTruthy();
      expect(reported.has(rule.name), `${rule.name} is not exercised by test/fixtures/layers`).toBe(true);
    }
  });
});

describe('the real tree', () => {
  // One cruise of the whole tree takes seconds, more when the other test files run alongside.
  it('breaks no layer rule', { timeout: 60_000 }, () => {
    expect(cruise('shared', 'functions', 'infra', 'client', 'app/src').map(edge)).toEqual([]);
  });
});
