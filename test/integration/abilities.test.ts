import { describe, expect, it } from 'vitest';
import * as get from '../../functions/abilities/get';
import * as list from '../../functions/abilities/list';
import { platforms } from '../helpers/events';

describe.each(platforms)('abilities catalogue on $name', (platform) => {
  it('lists both task types without a token', async () => {
    // Act
    const answer = await platform.call(list, { method: 'GET', path: '/abilities' });

    // Assert
    expect(answer.status).toBe(200);
    const entries = (answer.json.data?.abilities ?? []) as Record<string, unknown>[];
    expect(entries.map((entry) => entry.id)).toEqual(['basic_clean', 'model_pose12']);
    expect(entries[1]).toMatchObject({ name: '模特12姿势', price: 1, outputs: { count: 12, kind: 'image' }, typicalSeconds: expect.any(Number) });
    expect(entries[1]?.inputSchema).toMatchObject({ type: 'object', required: ['type', 'inputImageUrl', 'params'] });
  });

  it('answers one ability by id', async () => {
    // Act
    const answer = await platform.call(get, { method: 'GET', path: '/abilities/basic_clean' });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({ id: 'basic_clean', name: '基础精修', price: 1, outputs: { count: 1, kind: 'image' } });
  });

  it('answers an unknown ability as missing (1007, 404)', async () => {
    // Act
    const answer = await platform.call(get, { method: 'GET', path: '/abilities/video_magic' });

    // Assert
    expect(answer.status).toBe(404);
    expect(answer.json.error?.code).toBe(1007);
  });
});
