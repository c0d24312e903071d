import type { OpenApiDocument } from './document';

/**
 * TypeScript types of the API for client/api-types.ts, generated from the OpenAPI 3.1 document in
 * the shape openapi-typescript 7 emits (`paths`, `operations`, `components`), which is what
 * openapi-fetch's `createClient<paths>()` expects. A generator of our own rather than
 * openapi-typescript because that one pins TypeScript 5 and this repository runs 6 (ADR 0013); it
 * covers the JSON Schema our document uses (zod's output) and throws on anything else, so a new
 * construct fails `npm run docs:openapi` instead of turning into a silent `unknown`.
 */
type Json = Record<string, unknown>;

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const known = new Set([
  'type', 'properties', 'required', 'additionalProperties', 'propertyNames', 'items', 'enum', 'const', 'oneOf', 'anyOf', 'allOf', '$ref', 'description',
  'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'default', 'minItems', 'maxItems',
]);

const quote = (key: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key));
const pad = (depth: number): string => '  '.repeat(depth);
const comment = (text: unknown, depth: number): string => (typeof text === 'string' && text ? `${pad(depth)}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '');

/** One JSON Schema as a TypeScript type; `depth` is the indentation of the line it starts on. */
export function typeOf(schema: Json, depth: number): string {
  for (const key of Object.keys(schema)) if (!known.has(key)) throw new Error(`client types: unsupported schema keyword "${key}" in ${JSON.stringify(schema)}`);
  if (Object.keys(schema).every((key) => key === 'description')) return 'unknown';
  if (typeof schema.$ref === 'string') {
    const match = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref);
    if (!match) throw new Error(`client types: unsupported $ref ${schema.$ref}`);
    return `components["schemas"][${JSON.stringify(match[1])}]`;
  }
  if (Array.isArray(schema.allOf)) return (schema.allOf as Json[]).map((part) => typeOf(part, depth)).join(' & ');
  const union = (schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (union) return union.map((part) => `(${typeOf(part, depth)})`).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  const type = schema.type;
  if (Array.isArray(type)) return type.map((single: unknown) => typeOf({ ...schema, type: single }, depth)).join(' | ');
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `(${typeOf((schema.items ?? {}) as Json, depth)})[]`;
    case 'object':
    case undefined:
      return objectType(schema, depth);
    default:
      throw new Error(`client types: unsupported type ${JSON.stringify(type)}`);
  }
}

function objectType(schema: Json, depth: number): string {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  const lines = Object.entries(properties).map(([key, property]) => `${comment(property.description, depth + 1)}${pad(depth + 1)}${quote(key)}${required.has(key) ? '' : '?'}: ${typeOf(property, depth + 1)};`);
  const extra = schema.additionalProperties;
  if (typeof extra === 'object' && extra !== null) lines.push(`${pad(depth + 1)}[key: string]: ${typeOf(extra as Json, depth + 1)};`);
  else if (extra === true || (schema.type === undefined && Object.keys(properties).length === 0)) lines.push(`${pad(depth + 1)}[key: string]: unknown;`);
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema: Json;
}

function parametersType(parameters: Parameter[], depth: number): string {
  const lines = (['query', 'header', 'path', 'cookie'] as const).map((where) => {
    const here = parameters.filter((parameter) => parameter.in === where);
    if (here.length === 0) return `${pad(depth + 1)}${where}?: never;`;
    const optional = here.every((parameter) => !parameter.required) ? '?' : '';
    const fields = here.map((parameter) => `${comment(parameter.description, depth + 2)}${pad(depth + 2)}${quote(parameter.name)}${parameter.required ? '' : '?'}: ${typeOf(parameter.schema, depth + 2)};`);
    return `${pad(depth + 1)}${where}${optional}: {\n${fields.join('\n')}\n${pad(depth + 1)}};`;
  });
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

function contentType(content: Record<string, { schema: Json }> | undefined, depth: number): string {
  if (!content) return 'never';
  const lines = Object.entries(content).map(([media, { schema }]) => `${pad(depth + 1)}${JSON.stringify(media)}: ${typeOf(schema, depth + 1)};`);
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

function operationType(operation: Json, depth: number): string {
  const lines: string[] = [`${pad(depth + 1)}parameters: ${parametersType((operation.parameters ?? []) as Parameter[], depth + 1)};`];
  const body = operation.requestBody as { required?: boolean; content: Record<string, { schema: Json }> } | undefined;
  lines.push(body ? `${pad(depth + 1)}requestBody${body.required ? '' : '?'}: {\n${pad(depth + 2)}content: ${contentType(body.content, depth + 2)};\n${pad(depth + 1)}};` : `${pad(depth + 1)}requestBody?: never;`);
  const responses = Object.entries(operation.responses as Record<string, { description: string; content?: Record<string, { schema: Json }> }>).map(([status, response]) => {
    const content = response.content ? `${pad(depth + 3)}content: ${contentType(response.content, depth + 3)};` : `${pad(depth + 3)}content?: never;`;
    return `${comment(response.description, depth + 2)}${pad(depth + 2)}${status}: {\n${pad(depth + 3)}headers: {\n${pad(depth + 4)}[name: string]: unknown;\n${pad(depth + 3)}};\n${content}\n${pad(depth + 2)}};`;
  });
  lines.push(`${pad(depth + 1)}responses: {\n${responses.join('\n')}\n${pad(depth + 1)}};`);
  return `{\n${lines.join('\n')}\n${pad(depth)}}`;
}

/** The whole client/api-types.ts file. */
export function renderClientTypes(document: OpenApiDocument): string {
  const out: string[] = [
    '/**',
    ' * Types of the API, generated from infra/openapi/openapi.json by `npm run docs:openapi`',
    ' * (infra/openapi/client-types.ts). Do not edit: test/unit/openapi.test.ts fails when this file is stale.',
    ' */',
    '',
    'export interface paths {',
  ];
  const operationEntries: string[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    out.push(`  ${JSON.stringify(path)}: {`, '    parameters: {', '      query?: never;', '      header?: never;', '      path?: never;', '      cookie?: never;', '    };');
    for (const method of methods) {
      const operation = item[method];
      if (!operation) {
        out.push(`    ${method}?: never;`);
        continue;
      }
      const id = String(operation.operationId);
      out.push(`${comment(operation.summary, 2)}    ${method}: operations[${JSON.stringify(id)}];`);
      operationEntries.push(`  ${quote(id)}: ${operationType(operation, 1)};`);
    }
    out.push('  };');
  }
  out.push('}', '', 'export type webhooks = Record<string, never>;', '', 'export interface components {', '  schemas: {');
  for (const [name, schema] of Object.entries(document.components.schemas)) out.push(`${comment(schema.description, 2)}    ${quote(name)}: ${typeOf({ ...schema, description: undefined }, 2)};`);
  out.push('  };', '  responses: never;', '  parameters: never;', '  requestBodies: never;', '  headers: never;', '  pathItems: never;', '}', '', 'export type $defs = Record<string, never>;', '');
  out.push('export interface operations {', ...operationEntries, '}', '');
  return out.join('\n');
}
