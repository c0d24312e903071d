/**
 * `npm run docs:config`: regenerates README's configuration table and .env.example, and brings
 * serverless.yml's environment in line with the declared settings.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { renderEnvExample, withConfigTable } from '../infra/docs/config-docs';
import { syncServerlessEnvironment } from '../infra/docs/serverless-environment';

const readme = await readFile('README.md', 'utf8');
await writeFile('README.md', withConfigTable(readme));
await writeFile('.env.example', renderEnvExample());
await writeFile('serverless.yml', syncServerlessEnvironment(await readFile('serverless.yml', 'utf8')));
console.log('README.md configuration table, .env.example and serverless.yml environment regenerated');
