import { renderClientTypes } from './client-types';
import { buildDocument } from './document';

/**
 * The committed files built from the route and operation tables, by path from the project root.
 * `npm run docs:openapi` writes them; test/unit/openapi.test.ts compares them with a fresh build.
 */
export function generatedFiles(): Record<string, string> {
  const document = buildDocument('3.1');
  return {
    'infra/openapi/openapi.json': `${JSON.stringify(document, null, 2)}\n`,
    'infra/openapi/openapi-3.0.json': `${JSON.stringify(buildDocument('3.0'), null, 2)}\n`,
    'client/api-types.ts': renderClientTypes(document),
  };
}
