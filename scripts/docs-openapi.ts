/**
 * `npm run docs:openapi`: regenerates the OpenAPI documents (infra/openapi/openapi.json, 3.1, and
 * openapi-3.0.json) and the typed client's types (client/api-types.ts) from shared/routes.ts and
 * infra/openapi/operations.ts.
 */
import { writeFile } from 'node:fs/promises';
import { generatedFiles } from '../infra/openapi/generated-files';

for (const [file, content] of Object.entries(generatedFiles())) await writeFile(file, content);
console.log(`regenerated ${Object.keys(generatedFiles()).join(', ')}`);
