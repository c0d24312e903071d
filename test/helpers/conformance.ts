import { Ajv2020 } from 'ajv/dist/2020';
import openApiDocument from '../../infra/openapi/openapi.json';
import { findRoute, httpRoutes } from '../../shared/routes';

/**
 * Every answer the integration and e2e tests receive is checked against the committed OpenAPI
 * document (infra/openapi/openapi.json) here, from `platform.call` (test/helpers/events.ts) and
 * `api()` (test/helpers/stack.ts): the status must be one the route's operation lists, the content
 * type one it lists for that status, and the body must validate against that schema. So the
 * document cannot drift from what the functions answer. Requests no route matches (unknown paths,
 * wrong methods, preflights) are the fallback's and exempt.
 *
 * ajv 8's 2020 build checks JSON Schema 2020-12, OpenAPI 3.1's dialect; `ajv` is a direct dev
 * dependency at the version @seriousme/openapi-schema-validator uses (eslint keeps its own ajv 6). ADR 0013.
 */

const documentKey = 'openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
// Timestamps leave the API as Date.toISOString(); the document says `format: date-time`.
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
ajv.addSchema(openApiDocument, documentKey);

const document = openApiDocument as unknown as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>> };
const pointerPart = (segment: string): string => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));

export interface ReceivedAnswer {
  readonly status: number;
  /** Any case; only content-type is read. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

export class NonConformingResponseError extends Error {
  override name = 'NonConformingResponseError';
}

/** Throws when `answer` to `method path` is not what the OpenAPI document says; fix the schemas (infra/openapi, shared/<area>/responses.ts), not the test. */
export function assertConformsToOpenApi(method: string, pathWithQuery: string, answer: ReceivedAnswer): void {
  const path = pathWithQuery.split('?')[0] ?? '';
  const found = method.toUpperCase() === 'OPTIONS' ? undefined : findRoute(httpRoutes, method, path);
  if (!found || 'methodMismatch' in found) return;
  const where = `${method.toUpperCase()} ${pathWithQuery} → ${answer.status}`;
  const operation = document.paths[found.route.path]?.[found.route.method.toLowerCase()];
  if (!operation) throw new NonConformingResponseError(`${where}: route ${found.route.name} has no operation in infra/openapi/openapi.json (add it to infra/openapi/operations.ts, run npm run docs:openapi)`);
  const response = operation.responses[String(answer.status)] ?? operation.responses.default;
  if (!response) {
    throw new NonConformingResponseError(
      `${where}: ${operation.operationId} does not list status ${answer.status} (it lists ${Object.keys(operation.responses).join(', ')}); body: ${answer.text.slice(0, 300)}`,
    );
  }
  if (!response.content) {
    if (answer.text !== '') throw new NonConformingResponseError(`${where}: the document says no body, got: ${answer.text.slice(0, 300)}`);
    return;
  }
  const contentTypeHeader = Object.entries(answer.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const contentType = contentTypeHeader.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!(contentType in response.content)) {
    throw new NonConformingResponseError(`${where}: content type "${contentTypeHeader}" is not one the document lists (${Object.keys(response.content).join(', ')})`);
  }
  let body: unknown = answer.text;
  if (contentType === 'application/json') {
    try {
      body = JSON.parse(answer.text);
    } catch {
      throw new NonConformingResponseError(`${where}: the body is not JSON: ${answer.text.slice(0, 300)}`);
    }
  }
  const pointer = `#/paths/${pointerPart(found.route.path)}/${found.route.method.toLowerCase()}/responses/${answer.status in operation.responses ? answer.status : 'default'}/content/${pointerPart(contentType)}/schema`;
  const validate = ajv.getSchema(`${documentKey}${pointer}`);
  if (!validate) throw new NonConformingResponseError(`${where}: no schema at ${pointer}`);
  if (!validate(body)) {
    throw new NonConformingResponseError(`${where}: the answer does not conform to ${operation.operationId} in the OpenAPI document (${pointer}):\n${ajv.errorsText(validate.errors, { separator: '\n' })}\nbody: ${answer.text.slice(0, 1000)}`);
  }
}
