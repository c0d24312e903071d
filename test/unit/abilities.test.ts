import Ajv from 'ajv';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { abilities } from '../../shared/tasks/abilities';
import { createTaskBody } from '../../shared/tasks/schemas';

/**
 * The catalogue's inputSchema and POST /task/create's validation are one schema: every body below is
 * judged by the zod schema create uses and by the JSON Schema GET /abilities serves (through an
 * independent JSON Schema validator, ajv, draft-07), and they must agree.
 */
const key = 'input/u1/task_abcdefgh12345678/original.jpg';
const bodies: readonly [string, unknown][] = [
  ['basic_clean with a template', { type: 'basic_clean', inputImageUrl: key, params: { template: 'studio' } }],
  ['basic_clean without params (defaulted)', { type: 'basic_clean', inputImageUrl: key }],
  ['basic_clean with empty params', { type: 'basic_clean', inputImageUrl: key, params: {} }],
  ['basic_clean with an unknown template', { type: 'basic_clean', inputImageUrl: key, params: { template: 'beach' } }],
  ['basic_clean with a numeric template', { type: 'basic_clean', inputImageUrl: key, params: { template: 3 } }],
  ['basic_clean with an extra field (stripped by both)', { type: 'basic_clean', inputImageUrl: key, extra: true }],
  ['basic_clean with an empty inputImageUrl', { type: 'basic_clean', inputImageUrl: '' }],
  ['basic_clean with a 301-character inputImageUrl', { type: 'basic_clean', inputImageUrl: 'x'.repeat(301) }],
  ['basic_clean without inputImageUrl', { type: 'basic_clean' }],
  ['model_pose12 complete', { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'dress' } }],
  ['model_pose12 without params', { type: 'model_pose12', inputImageUrl: key }],
  ['model_pose12 without category', { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street' } }],
  ['model_pose12 with an unknown scene', { type: 'model_pose12', inputImageUrl: key, params: { scene: 'moon', category: 'coat' } }],
  ['model_pose12 with params as a string', { type: 'model_pose12', inputImageUrl: key, params: 'street' }],
  ['an unknown type', { type: 'video', inputImageUrl: key }],
  ['no type', { inputImageUrl: key }],
  ['not an object', 'basic_clean'],
];

describe('abilities catalogue', () => {
  it('lists both task types with price, outputs and a draft-07 schema', () => {
    // Act
    const list = abilities();

    // Assert
    expect(list.map((ability) => [ability.id, ability.price, ability.outputs])).toEqual([
      ['basic_clean', 1, { count: 1, kind: 'image' }],
      ['model_pose12', 1, { count: 12, kind: 'image' }],
    ]);
    expect(list.every((ability) => ability.inputSchema.$schema === 'http://json-schema.org/draft-07/schema#')).toBe(true);
  });

  it.each(bodies)('%s: the served JSON Schema and create’s zod schema agree', (_name, body) => {
    // Arrange
    const ajv = new Ajv({ allErrors: true });
    const validators = abilities().map((ability) => ajv.compile(ability.inputSchema));

    // Act
    const byZod = z.safeParse(createTaskBody, body).success;
    const byJsonSchema = validators.some((validate) => validate(body) === true);

    // Assert
    expect(byJsonSchema).toBe(byZod);
  });

  it('accepts and refuses in the sample: it is not vacuous', () => {
    // Act
    const verdicts = bodies.map(([, body]) => z.safeParse(createTaskBody, body).success);

    // Assert
    expect(verdicts.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(verdicts.filter((verdict) => !verdict).length).toBeGreaterThanOrEqual(8);
  });
});
