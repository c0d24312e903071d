import { appConfig } from './config';

/**
 * Every API call the app makes, one small function each, over the contract's envelope
 * ({success, data} / {success: false, error: {code, message}}). Errors carry the envelope's Chinese
 * message, which the pages show as is. Kept small so the typed client (client/index.ts,
 * createApiClient) can replace the transport without touching the pages.
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
  const envelope = (await response.json().catch(() => null)) as { success?: boolean; data?: T; error?: { code?: number; message?: string } } | null;
  if (response.ok && envelope?.success) return envelope.data as T;
  if (response.status === 401) session.token = null;
  throw new ApiError(response.status, envelope?.error?.code ?? 0, envelope?.error?.message ?? `服务暂时不可用(${response.status}),请稍后重试`);
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
  sendCode: (phone: string) => call<{ expireIn: number }>('POST', '/auth/send-code', { phone }),
  login: (phone: string, code: string) => call<{ token: string; user: User }>('POST', '/auth/login', { phone, code }),
  me: () => call<User>('GET', '/auth/me'),
  membershipStatus: () => call<MembershipStatus>('GET', '/membership/status'),
  purchase: (channel: 'wx' | 'alipay', openid?: string) => call<Purchase>('POST', '/membership/purchase', { channel, ...(openid ? { openid } : {}) }),
  wechatOpenid: (code: string) => call<{ openid: string }>('GET', `/auth/wechat/openid?code=${encodeURIComponent(code)}`),
  uploadKeys: () => call<UploadKeys>('GET', '/media/sts'),
  createTask: (type: TaskType, inputImageUrl: string, params: Record<string, string>) =>
    call<{ taskId: string; status: TaskStatus; createdAt: string }>('POST', '/task/create', { type, inputImageUrl, params }),
  task: (taskId: string) => call<Task>('GET', `/task/${encodeURIComponent(taskId)}`),
  tasks: (limit = 20, offset = 0) => call<{ tasks: TaskSummary[]; total: number }>('GET', `/task/list?limit=${limit}&offset=${offset}`),
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
