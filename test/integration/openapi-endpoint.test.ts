import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as openApi from '../../functions/system/openapi';
import { platforms } from '../helpers/events';

describe.each(platforms)('GET /openapi.json on $name', (platform) => {
  it('serves the committed OpenAPI 3.1 document, cacheable', async () => {
    // Arrange
    const committed = JSON.parse(await readFile('infra/openapi/openapi.json', 'utf8')) as unknown;

    // Act
    const answer = await platform.call(openApi, { method: 'GET', path: '/openapi.json' });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('public, max-age=300');
    expect(answer.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(JSON.parse(answer.text)).toEqual(committed);
  });

  it('serves the 3.0 variant on ?version=3.0, with its own ETag', async () => {
    // Arrange
    const committed = JSON.parse(await readFile('infra/openapi/openapi-3.0.json', 'utf8')) as unknown;
    const latest = await platform.call(openApi, { method: 'GET', path: '/openapi.json' });

    // Act
    const answer = await platform.call(openApi, { method: 'GET', path: '/openapi.json', query: { version: '3.0' } });

    // Assert
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual(committed);
    expect(answer.headers.etag).not.toBe(latest.headers.etag);
  });

  it('answers 304 with no body when the ETag still matches', async () => {
    // Arrange
    const first = await platform.call(openApi, { method: 'GET', path: '/openapi.json' });

    // Act
    const again = await platform.call(openApi, { method: 'GET', path: '/openapi.json', headers: { 'if-none-match': first.headers.etag ?? '' } });

    // Assert
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
  });

  it('refuses an unknown version with the envelope', async () => {
    // Act
    const answer = await platform.call(openApi, { method: 'GET', path: '/openapi.json', query: { version: '2.0' } });

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe(1000);
    expect(answer.json.error?.details).toEqual([{ field: 'version', message: 'version must be 3.1 or 3.0' }]);
  });
});
