import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderEnvExample, withConfigTable } from '../../infra/docs/config-docs';
import { settingsBlocks } from '../../shared/config';

describe('configuration documentation', () => {
  it('README’s table matches the declared settings (run `npm run docs:config`)', async () => {
    const readme = await readFile('README.md', 'utf8');
    expect(readme).toBe(withConfigTable(readme));
  });

  it('.env.example lists every setting (run `npm run docs:config`)', async () => {
    const example = await readFile('.env.example', 'utf8');
    expect(example).toBe(renderEnvExample());
    for (const block of Object.values(settingsBlocks)) for (const name of Object.keys(block)) expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
