import { createApiClient, type components, type ErrorEnvelope } from '../../client';
import { appConfig } from './config';

/**
 * Every API call the app makes, one small function each, over the contract's envelope
 * ({success, data} / {success: false, error: {code, message}}). Routes in the API's OpenAPI document
 * go through the typed client (client/index.ts, generated from it: paths, parameters and bodies are
 * checked at build time); routes other engineers are still adding are called by hand and tolerate a
 * 404. Errors carry the envelope's Chinese message, which the pages show as is.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  /** The route itself is missing (an API without that feature yet): the fallback answers 404 with 1007. */
  get routeMissing(): boolean {
    return this.status === 404 && this.code === 1007;
  }
}

const TOKEN_KEY = 'aiphoto.token';

export const session = {
  get token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    if (value === null) localStorage.removeItem(TOKEN_KEY);
    else localStorage.setItem(TOKEN_KEY, value);
  },
};

const client = createApiClient(appConfig.apiBase, () => session.token);

function failure(status: number, envelope: Partial<ErrorEnvelope> | null | undefined): ApiError {
  if (status === 401) session.token = null;
  return new ApiError(status, envelope?.error?.code ?? 0, envelope?.error?.message ?? `服务暂时不可用(${status}),请稍后重试`);
}

/** The typed client's answer → the envelope's data, or an ApiError with its message. */
async function typed<T>(request: Promise<{ data?: { data: T }; error?: unknown; response: Response }>): Promise<T> {
  let answer;
  try {
    answer = await request;
  } catch {
    throw new ApiError(0, 0, '网络异常,请检查网络后重试');
  }
  if (answer.data !== undefined && answer.response.ok) return answer.data.data;
  throw failure(answer.response.status, answer.error as Partial<ErrorEnvelope> | undefined);
}

/** For routes not in the OpenAPI document yet (being added in parallel): the same envelope by hand. */
async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`${appConfig.apiBase}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError(0, 0, '网络异常,请检查网络后重试');
  }
  const envelope = (await response.json().catch(() => null)) as { success?: boolean; data?: T } & Partial<ErrorEnvelope> | null;
  if (response.ok && envelope?.success) return envelope.data as T;
  throw failure(response.status, envelope);
}

/** For features other engineers are adding: null when the API has no such route yet. */
async function optional<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.routeMissing) return null;
    throw error;
  }
}

export interface User {
  id: string;
  phone: string;
  isMember: boolean;
  quota_remaining: number;
  quota_expireAt: string | null;
}

export interface MembershipStatus {
  isMember: boolean;
  quota_remaining: number;
  quota_expireAt: string | null;
  expireDays: number;
  price: number;
}

export interface JsapiPayParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export interface Purchase {
  orderId: string;
  payParams: Partial<JsapiPayParams> & { payUrl?: string; h5Url?: string };
}

export interface UploadKeys {
  credentials: { tmpSecretId: string; tmpSecretKey: string; sessionToken: string; expiredTime: number };
  expiredTime: number;
  bucket: string;
  region: string;
  allowPrefix: string;
  taskId: string;
  cosDomain?: string;
}

export type TaskType = 'basic_clean' | 'model_pose12';
export type TaskStatus = 'processing' | 'done' | 'failed' | string;

export interface Task {
  id: string;
  type: TaskType;
  status: TaskStatus;
  inputUrl?: string;
  resultUrls?: string[] | null;
  params?: Record<string, string>;
  errorReason?: string;
  errorCode?: number;
  createdAt: string;
  updatedAt?: string;
}

export interface TaskSummary {
  id: string;
  type: TaskType;
  status: TaskStatus;
  thumbnail: string | null;
  createdAt: string;
}

export interface Ability {
  id: string;
  name: string;
  price: number;
  typicalSeconds?: number;
  inputSchema?: unknown;
}

export const api = {
  sendCode: (phone: string) => typed(client.POST('/auth/send-code', { body: { phone } })),
  login: (phone: string, code: string): Promise<{ token: string; user: User }> => typed(client.POST('/auth/login', { body: { phone, code } })),
  me: (): Promise<User> => typed(client.GET('/auth/me')),
  membershipStatus: (): Promise<MembershipStatus> => typed(client.GET('/membership/status')),
  purchase: (channel: 'wx' | 'alipay', openid?: string): Promise<Purchase> =>
    typed(client.POST('/membership/purchase', { body: { channel, ...(openid ? { openid } : {}) } })) as Promise<Purchase>,
  wechatOpenid: (code: string) => typed(client.GET('/auth/wechat/openid', { params: { query: { code } } })),
  uploadKeys: (): Promise<UploadKeys> => typed(client.GET('/media/sts')),
  // The choices may come from GET /abilities at run time, so the params are the catalogue's, not the generated enums.
  createTask: (type: TaskType, inputImageUrl: string, params: Record<string, string>) =>
    typed(client.POST('/task/create', { body: { type, inputImageUrl, params } as components['schemas']['TaskCreateRequest'] })),
  task: (taskId: string): Promise<Task> => typed(client.GET('/task/{taskId}', { params: { path: { taskId } } })) as Promise<Task>,
  tasks: (limit = 20, offset = 0): Promise<{ tasks: TaskSummary[]; total: number }> => typed(client.GET('/task/list', { params: { query: { limit, offset } } })),
  abilities: () => optional(call<{ abilities: Ability[] }>('GET', '/abilities')),
  cancelTask: (taskId: string) => call<Task>('POST', `/task/${encodeURIComponent(taskId)}/cancel`),
  retryTask: (taskId: string) => call<{ taskId: string; status: TaskStatus }>('POST', `/task/${encodeURIComponent(taskId)}/retry`),
  quotaTransactions: () => optional(call<Record<string, unknown>>('GET', '/quota/transactions')),
  membershipOrders: () => optional(call<Record<string, unknown>>('GET', '/membership/orders')),
};

/** Which optional task actions the API has, read from its OpenAPI document (GET /openapi.json). */
export async function taskActions(): Promise<{ cancel: boolean; retry: boolean }> {
  let doc: { paths?: Record<string, unknown> } | null = null;
  try {
    const response = await fetch(`${appConfig.apiBase}/openapi.json`);
    if (response.ok) doc = (await response.json()) as { paths?: Record<string, unknown> };
  } catch {
    doc = null;
  }
  const paths = Object.keys(doc?.paths ?? {});
  const has = (action: string) => paths.some((path) => new RegExp(`/task/\\{[^}]+\\}/${action}$`).test(path));
  return { cancel: has('cancel'), retry: has('retry') };
}
