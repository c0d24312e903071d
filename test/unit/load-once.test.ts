import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../shared/vendors/load-once';

describe('loadOnce', () => {
  it('builds on first use only, and shares that build between concurrent callers', async () => {
    let builds = 0;
    const client = loadOnce(async () => ({ id: (builds += 1) }));

    expect(builds).toBe(0);
    const [first, second] = await Promise.all([client(), client()]);
    const third = await client();

    expect(builds).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('does not keep a failed build: the next call tries again', async () => {
    let attempts = 0;
    const client = loadOnce(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('import failed');
      return 'ready';
    });

    await expect(client()).rejects.toThrow('import failed');
    await expect(client()).resolves.toBe('ready');
    expect(attempts).toBe(2);
  });
});
