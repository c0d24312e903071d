import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './api-types';

/**
 * The typed API client: openapi-fetch over the types generated from the OpenAPI document
 * (client/api-types.ts, `npm run docs:openapi`). Every path, parameter, body and answer is typed:
 *
 *   const api = createApiClient('/api', () => localStorage.getItem('token'));
 *   const { data, error } = await api.GET('/task/{taskId}', { params: { path: { taskId } } });
 *   // data: the success envelope ({ success: true, data: … }); error: the error envelope
 *
 * It imports nothing from the backend (.dependency-cruiser.cjs `no-client-to-backend-deps`), so a
 * browser app can bundle it on its own.
 */
export type { components, operations, paths } from './api-types';

export type ApiClient = Client<paths>;
export type ErrorEnvelope = components['schemas']['ErrorEnvelope'];
/** The caller's token, or nothing when logged out; asked before every request. */
export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

/** `baseUrl`: the API base including its path, e.g. `https://api.example.com/api` or `/api`. */
export function createApiClient(baseUrl: string, getToken?: TokenSource, options: Omit<ClientOptions, 'baseUrl'> = {}): ApiClient {
  const client = createClient<paths>({ ...options, baseUrl });
  if (getToken) {
    client.use({
      async onRequest({ request }) {
        const token = await getToken();
        if (token) request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}
