import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildDocument, undocumentedRoutes } from '../../infra/openapi/document';
import { generatedFiles } from '../../infra/openapi/generated-files';
import { operations } from '../../infra/openapi/operations';
import { httpRoutes, type HttpRoute } from '../../shared/routes';
import { assertConformsToOpenApi } from '../helpers/conformance';

/**
 * The OpenAPI document is built from shared/routes.ts and infra/openapi/operations.ts; the committed
 * files (the 3.1 and 3.0 documents, client/api-types.ts) must equal a fresh build, and every route
 * must be described.
 */
describe('the OpenAPI document', () => {
  it('describes every route of shared/routes.ts', () => {
    // Act
    const missing = undocumentedRoutes();

    // Assert
    expect(missing, `add an entry to infra/openapi/operations.ts for each of: ${missing.join(', ')} (then run npm run docs:openapi)`).toEqual([]);
  });

  it('names the routes it cannot describe', () => {
    // Arrange: a route table with one route the operations table does not know
    const extra: HttpRoute = { name: 'wallet-balance', file: 'functions/wallet/balance.ts', method: 'GET', path: '/wallet/balance', timeoutSeconds: 15 };

    // Act
    const missing = undocumentedRoutes([...httpRoutes, extra]);

    // Assert
    expect(missing).toEqual(['wallet-balance']);
  });

  it('has no entry for a route that does not exist', () => {
    // Act
    const stale = Object.keys(operations).filter((name) => !httpRoutes.some((route) => route.name === name));

    // Assert
    expect(stale, 'remove these from infra/openapi/operations.ts').toEqual([]);
  });

  it('lists exactly the route table’s methods and paths', () => {
    // Act
    const document = buildDocument('3.1');
    const listed = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));

    // Assert
    expect(listed.sort()).toEqual(httpRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  const files = generatedFiles();
  it.each(Object.keys(files))('%s is up to date (run `npm run docs:openapi`)', async (file) => {
    // Arrange
    const fresh = files[file];

    // Act
    const committed = await readFile(file, 'utf8');

    // Assert
    expect(committed).toBe(fresh);
  });

  it.each([
    ['3.1', 'infra/openapi/openapi.json'],
    ['3.0', 'infra/openapi/openapi-3.0.json'],
  ])('OpenAPI %s: %s is a valid document', async (version, file) => {
    // Arrange
    const validator = new Validator();

    // Act
    const result = await validator.validate(JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>);

    // Assert
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe(version);
  });
});

describe('the conformance check (test/helpers/conformance.ts)', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const answer = (status: number, body: unknown) => ({ status, headers: json, text: JSON.stringify(body) });
  const user = { id: 'a1b2c3d4e5f6', phone: '13800138000', isMember: false, quota_remaining: 0, quota_expireAt: null, createdAt: '2025-10-28T14:22:00.000Z' };

  it('accepts the contract’s shapes', () => {
    // Act / Assert: a success and an error envelope
    expect(() => assertConformsToOpenApi('GET', '/auth/me', answer(200, { success: true, data: user }))).not.toThrow();
    expect(() => assertConformsToOpenApi('GET', '/auth/me', answer(401, { success: false, error: { code: 1001, message: '请先登录', requestId: 'r' } }))).not.toThrow();
  });

  it('refuses a missing field, an extra field, an undocumented code and an undocumented status', () => {
    // Arrange
    const { createdAt: _createdAt, ...withoutCreatedAt } = user;

    // Act / Assert
    expect(() => assertConformsToOpenApi('GET', '/auth/me', answer(200, { success: true, data: withoutCreatedAt }))).toThrow(/must have required property 'createdAt'/);
    expect(() => assertConformsToOpenApi('GET', '/auth/me', answer(200, { success: true, data: { ...user, secret: 1 } }))).toThrow(/must NOT have additional properties/);
    expect(() => assertConformsToOpenApi('GET', '/auth/me', answer(401, { success: false, error: { code: 1003, message: 'x', requestId: 'r' } }))).toThrow(/allowed values/);
    expect(() => assertConformsToOpenApi('GET', '/auth/me', answer(418, {}))).toThrow(/does not list status 418/);
  });

  it('leaves requests no route serves to the fallback', () => {
    // Act / Assert: an unknown path, a known path with another method
    expect(() => assertConformsToOpenApi('GET', '/does/not/exist', answer(404, {}))).not.toThrow();
    expect(() => assertConformsToOpenApi('POST', '/auth/me', answer(405, {}))).not.toThrow();
  });
});
