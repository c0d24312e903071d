/** `npm run docs:config`: regenerates README's configuration table and .env.example. */
import { readFile, writeFile } from 'node:fs/promises';
import { renderEnvExample, withConfigTable } from '../infra/docs/config-docs';

const readme = await readFile('README.md', 'utf8');
await writeFile('README.md', withConfigTable(readme));
await writeFile('.env.example', renderEnvExample());
console.log('README.md configuration table and .env.example regenerated');
