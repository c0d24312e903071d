import * as z from 'zod/mini';
import * as errors from '../../shared/errors';
import { INTERNAL_ERROR_CODE } from '../../shared/http/respond';
import { errorEnvelope, fieldIssue, successEnvelope } from '../../shared/responses';
import { httpRoutes, type HttpRoute } from '../../shared/routes';
import { namedSchemas, operations, type Operation, type RawResponses } from './operations';

/**
 * The OpenAPI document, built from the route table (shared/routes.ts), the per-route table
 * (./operations.ts) and the zod schemas with `z.toJSONSchema`. `npm run docs:openapi` writes it to
 * infra/openapi/openapi.json (3.1) and openapi-3.0.json (for tools that import only 3.0, such as
 * Coze plugins); test/unit/openapi.test.ts fails when either differs from a fresh build.
 * Decisions: docs/decisions/0013-openapi-document-and-client.md.
 */
export type OpenApiVersion = '3.1' | '3.0';
type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  info: Json;
  servers: { url: string; description?: string }[];
  tags: Json[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Json };
}

/** Routes of shared/routes.ts with no entry in ./operations.ts (the document cannot describe them). */
export const undocumentedRoutes = (routes: readonly HttpRoute[] = httpRoutes): string[] => routes.filter((route) => !(route.name in operations)).map((route) => route.name);

/** Every code of shared/errors.ts with its HTTP status and message, plus the internal 9999. */
export function errorTable(): Map<number, { status: number; message: string }> {
  type AnyAppError = new (...args: never[]) => errors.AppError;
  const classes = (Object.values(errors) as unknown[]).filter((value): value is AnyAppError => typeof value === 'function' && value.prototype instanceof errors.AppError);
  const table = new Map<number, { status: number; message: string }>();
  for (const ErrorClass of classes) {
    // ValidationError and RateLimitedError take a required argument; it changes neither code nor status.
    const error =
      ErrorClass === errors.ValidationError
        ? new errors.ValidationError([])
        : ErrorClass === errors.RateLimitedError
          ? new errors.RateLimitedError(1)
          : new (ErrorClass as unknown as new () => errors.AppError)();
    table.set(error.code, { status: error.status, message: error.message });
  }
  table.set(INTERNAL_ERROR_CODE, { status: 500, message: '服务器内部错误' });
  return new Map([...table].sort(([a], [b]) => a - b));
}

/** Codes every route of this kind can answer (shared/http/middleware.ts, shared/http/handlers.ts, shared/db/pool.ts, shared/auth/session.ts). */
export function commonErrorCodes(operation: Operation): number[] {
  const codes = [1000, 1007, 1008, 1009, 1011, INTERNAL_ERROR_CODE];
  if (operation.body && !('raw' in operation.body)) codes.push(1010);
  if (operation.auth !== 'none') codes.push(1001);
  if (operation.auth === 'admin') codes.push(1006);
  return codes;
}

const pascal = (name: string): string => name.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
const camel = (name: string): string => name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });

/** Drops what is noise in a document: zod's date-time regex (the format says it) and JavaScript's safe-integer bounds. */
function tidy(ctx: { jsonSchema: Json }): void {
  const schema = ctx.jsonSchema;
  if (schema.format === 'date-time') delete schema.pattern;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
}

function strip(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

export function buildDocument(version: OpenApiVersion = '3.1'): OpenApiDocument {
  const missing = undocumentedRoutes();
  if (missing.length > 0) throw new Error(`add to infra/openapi/operations.ts an entry for: ${missing.join(', ')}`);
  const target = version === '3.0' ? 'openapi-3.0' : 'draft-2020-12';
  const inline = (schema: z.ZodMiniType, io: 'input' | 'output'): Json => strip(z.toJSONSchema(schema, { target, io, override: tidy }) as Json);

  // Named schemas: requests in their input form (defaults optional), responses in their output form.
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  responses.add(errorEnvelope, { id: 'ErrorEnvelope' });
  responses.add(fieldIssue, { id: 'FieldIssue' });
  const dataIds = new Map<z.ZodMiniType, string>();
  for (const [id, schema] of Object.entries(namedSchemas)) {
    responses.add(schema, { id });
    dataIds.set(schema, id);
  }
  for (const route of httpRoutes) {
    const operation = operations[route.name] as Operation;
    if (operation.body && !('raw' in operation.body)) requests.add(operation.body, { id: `${pascal(route.name)}Request` });
    if (operation.data) {
      // One schema may serve several routes (GET /auth/me is the login's user): it gets the first route's name.
      const dataId = dataIds.get(operation.data) ?? `${pascal(route.name)}Data`;
      if (!dataIds.has(operation.data)) responses.add(operation.data, { id: dataId });
      dataIds.set(operation.data, dataId);
      responses.add(successEnvelope(operation.data), { id: `${pascal(route.name)}Response` });
    }
  }
  const uri = (id: string) => `#/components/schemas/${id}`;
  const schemas: Record<string, Json> = {};
  for (const [registry, io] of [
    [requests, 'input'],
    [responses, 'output'],
  ] as const) {
    for (const [id, schema] of Object.entries(z.toJSONSchema(registry, { target, io, uri, override: tidy }).schemas)) schemas[id] = strip(schema as Json);
  }

  const codes = errorTable();
  // One schema per error code: the envelope with that code, so a client can tell the answers of one status apart.
  for (const [code, { message }] of codes) {
    schemas[`Error${code}`] = {
      description: message,
      allOf: [ref('ErrorEnvelope'), { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: [code] } } } } }],
    };
  }
  const paths: OpenApiDocument['paths'] = {};
  for (const route of httpRoutes) {
    const operation = operations[route.name] as Operation;
    const entry: Json = {
      operationId: camel(route.name),
      summary: operation.summary,
      ...(operation.description ? { description: operation.description } : {}),
      tags: [operation.tag],
      security: operation.auth === 'none' ? [] : [{ bearerAuth: [] }],
    };
    const parameters = [...parametersOf(operation.params, 'path', inline), ...parametersOf(operation.query, 'query', inline), ...parametersOf(operation.headers, 'header', inline)];
    if (parameters.length > 0) entry.parameters = parameters;
    if (operation.body) {
      entry.requestBody =
        'raw' in operation.body
          ? { required: true, content: Object.fromEntries(Object.entries(operation.body.raw).map(([type, schema]) => [type, { schema: inline(schema, 'input') }])) }
          : { required: !operation.bodyOptional, content: { 'application/json': { schema: ref(`${pascal(route.name)}Request`) } } };
    }
    entry.responses = responsesOf(route, operation, codes, inline);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = entry;
  }

  return {
    openapi: version === '3.0' ? '3.0.3' : '3.1.0',
    info: {
      title: 'AI product photo API',
      version: '1.0.0',
      description:
        'Every JSON answer is an envelope: `{success: true, data, message?}` or `{success: false, error: {code, message, requestId, details?}}` ' +
        '(README "Errors" lists the codes). Authenticated routes take `Authorization: Bearer <token>` from POST /auth/login.',
    },
    servers: [{ url: '/api', description: 'The API base path of this deployment' }],
    tags: ['auth', 'membership', 'media', 'task', 'admin', 'system'].map((name) => ({ name })),
    paths,
    components: { schemas, securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}

function parametersOf(schema: z.ZodMiniType | undefined, where: 'path' | 'query' | 'header', inline: (schema: z.ZodMiniType, io: 'input') => Json): Json[] {
  if (!schema) return [];
  const json = inline(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

function responsesOf(route: HttpRoute, operation: Operation, codes: ReturnType<typeof errorTable>, inline: (schema: z.ZodMiniType, io: 'output') => Json): Json {
  const byStatus = new Map<number, { description: string[]; content: Map<string, Json[]>; headers: Set<string> }>();
  const at = (status: number) => {
    let found = byStatus.get(status);
    if (!found) byStatus.set(status, (found = { description: [], content: new Map(), headers: new Set() }));
    return found;
  };
  if (operation.data) {
    const ok = at(200);
    ok.description.push('Success: the envelope with `data`');
    ok.content.set('application/json', [ref(`${pascal(route.name)}Response`)]);
  }
  for (const [status, reply] of Object.entries(operation.raw ?? ({} as RawResponses))) {
    const entry = at(Number(status));
    entry.description.push(reply.description);
    for (const header of reply.headers ?? []) entry.headers.add(header);
    for (const [type, schema] of Object.entries(reply.content ?? {})) entry.content.set(type, [...(entry.content.get(type) ?? []), inline(schema, 'output')]);
  }
  const errorCodes = [...new Set([...commonErrorCodes(operation), ...operation.errors])].sort((a, b) => a - b);
  const byErrorStatus = new Map<number, number[]>();
  for (const code of errorCodes) {
    const known = codes.get(code);
    if (!known) throw new Error(`${route.name}: error code ${code} is not in shared/errors.ts`);
    byErrorStatus.set(known.status, [...(byErrorStatus.get(known.status) ?? []), code]);
  }
  for (const [status, statusCodes] of [...byErrorStatus].sort(([a], [b]) => a - b)) {
    const entry = at(status);
    entry.description.push(statusCodes.map((code) => `${code} ${codes.get(code)?.message}`).join('; '));
    if (status === 429 || status === 503) entry.headers.add('retry-after');
    entry.content.set('application/json', [...(entry.content.get('application/json') ?? []), ...statusCodes.map((code) => ref(`Error${code}`))]);
  }
  const result: Json = {};
  for (const [status, entry] of [...byStatus].sort(([a], [b]) => a - b)) {
    const response: Json = { description: entry.description.join(' | ') };
    if (entry.headers.size > 0) {
      response.headers = Object.fromEntries([...entry.headers].map((name) => [name.replace(/(^|-)[a-z]/g, (letter) => letter.toUpperCase()), { description: 'Seconds to wait before trying again', schema: { type: 'integer' } }]));
    }
    if (entry.content.size > 0) {
      response.content = Object.fromEntries([...entry.content].map(([type, schemas]) => [type, { schema: schemas.length === 1 ? schemas[0] : { anyOf: schemas } }]));
    }
    result[String(status)] = response;
  }
  return result;
}
