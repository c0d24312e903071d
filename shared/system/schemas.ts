import * as z from 'zod/mini';

/** GET /openapi.json?version=3.0: the OpenAPI 3.0 variant, for tools that import only 3.0 (Coze plugins). */
export const openApiQuery = z.object({ version: z._default(z.enum(['3.1', '3.0'], 'version must be 3.1 or 3.0'), '3.1') });
