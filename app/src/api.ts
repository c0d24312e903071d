import { createApiClient, type components, type ErrorEnvelope } from '../../client';
import { appConfig } from './config';

/**
 * Every API call the app makes, one small function each, over the contract's envelope
 * ({success, data} / {success: false, error: {code, message}}), all through the typed client
 * (client/index.ts, generated from the API's OpenAPI document: paths, parameters and bodies are
 * checked at build time, and each answer must fit the interface below it is returned as). Errors
 * carry the envelope's Chinese message, which the pages show as is.
 *
 * A 401 is answered once with POST /auth/refresh (README "Refresh tokens", ADR 0015): the stored
 * refresh token is exchanged for a new pair and the request is sent again; when that fails the
 * tokens are dropped and the app shows the login page. Only one refresh runs at a time (a refresh
 * token sent twice ends its whole family), shared by every request that met the 401.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'aiphoto.token';
const REFRESH_KEY = 'aiphoto.refreshToken';

function stored(key: string, value: string | null): void {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, value);
}

export const session = {
  get token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    stored(TOKEN_KEY, value);
  },
  get refreshToken(): string | null {
    return localStorage.getItem(REFRESH_KEY);
  },
  set refreshToken(value: string | null) {
    stored(REFRESH_KEY, value);
  },
  /** After login or a refresh: keep only the newest pair. */
  keep(token: string, refreshToken: string | undefined): void {
    this.token = token;
    this.refreshToken = refreshToken ?? null;
  },
  clear(): void {
    this.token = null;
    this.refreshToken = null;
  },
};

const client = createApiClient(appConfig.apiBase, () => session.token);
const publicClient = createApiClient(appConfig.apiBase);

const networkError = () => new ApiError(0, 0, '网络异常,请检查网络后重试');

/** Fired on window when a 401 survived the refresh: the app shows the login page. */
export const LOGGED_OUT_EVENT = 'aiphoto:logged-out';

function failure(status: number, envelope: Partial<ErrorEnvelope> | null | undefined): ApiError {
  if (status === 401) {
    session.clear();
    window.dispatchEvent(new Event(LOGGED_OUT_EVENT));
  }
  return new ApiError(status, envelope?.error?.code ?? 0, envelope?.error?.message ?? `服务暂时不可用(${status}),请稍后重试`);
}

let refreshing: Promise<boolean> | null = null;

/** Exchanges the refresh token for a new pair; true when the app has a new access token. One at a time. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = session.refreshToken;
    if (!refreshToken) return false;
    try {
      // No bearer token (publicClient): the refresh token is the credential.
      const answer = await publicClient.POST('/auth/refresh', { body: { refreshToken } });
      const pair = answer.response.ok ? answer.data?.data : undefined;
      if (!pair) return false;
      session.keep(pair.token, pair.refreshToken);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * Sends a request; on a 401 sends it once more with a fresh access token: at once when another
 * request refreshed meanwhile, after a refresh otherwise.
 */
async function withRefresh<R extends { response: Response }>(send: () => Promise<R>): Promise<R> {
  const sentWith = session.token;
  let answer: R;
  try {
    answer = await send();
    if (answer.response.status !== 401 || !sentWith) return answer;
    const fresh = session.token !== null && session.token !== sentWith ? true : await refreshSession();
    if (!fresh) return answer;
    return await send();
  } catch {
    throw networkError();
  }
}

/** The typed client's answer → the envelope's data, or an ApiError with its message. */
async function typed<T>(send: () => Promise<{ data?: { data: T }; error?: unknown; response: Response }>): Promise<T> {
  const answer = await withRefresh(send);
  if (answer.data !== undefined && answer.response.ok) return answer.data.data;
  throw failure(answer.response.status, answer.error as Partial<ErrorEnvelope> | undefined);
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

/** GET /media/sts's answer, as the OpenAPI document types it. */
export type UploadKeys = components['schemas']['MediaStsData'];

export type TaskType = 'basic_clean' | 'model_pose12';
export type TaskStatus = 'processing' | 'done' | 'failed' | 'cancelled' | string;

/** One entry of a task's trail (README "Task progress and the event trail"); `message` is Chinese, for the user. */
export interface TaskLog {
  kind: string;
  level: 'info' | 'warn' | 'error' | string;
  message: string;
  createdAt: string;
}

export interface Task {
  id: string;
  type: TaskType;
  status: TaskStatus;
  inputUrl?: string;
  resultUrls?: string[] | null;
  resultKeys?: string[] | null;
  params?: Record<string, string>;
  errorReason?: string;
  errorCode?: number;
  createdAt: string;
  updatedAt?: string;
  /** 0–100, 100 once ended (an extension of GET /task/{taskId}). */
  progress?: number;
  logs?: TaskLog[];
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

/** What POST /task/retry/{taskId} answers: the new task as create answers it, plus the original's id. */
export interface RetriedTask {
  taskId: string;
  status: TaskStatus;
  createdAt: string;
  originalTaskId: string;
}

/** A page of a keyset list (README "Wallet"): `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One quota ledger entry (GET /quota/transactions); `note` is the line to show. */
export interface LedgerEntry {
  id: string;
  kind: 'grant' | 'hold' | 'confirm' | 'release' | 'expire' | 'refund' | string;
  delta: number;
  balanceAfter: number;
  reference: string;
  note: string;
  createdAt: string;
}

export interface QuotaStatistics {
  balance: number;
  totals: { granted: number; used: number; returned: number; expired: number; refunded: number; held: number };
}

export type OrderStatus = 'pending' | 'paid' | 'failed' | 'refunding' | 'refunded' | string;

/** One membership order (GET /membership/orders); `amount` in fen. */
export interface Order {
  orderId: string;
  channel: 'wx' | 'alipay' | string;
  payMethod: string;
  amount: number;
  status: OrderStatus;
  createdAt: string;
  paidAt: string | null;
  refundedAt: string | null;
}

export const api = {
  sendCode: (phone: string) => typed(() => client.POST('/auth/send-code', { body: { phone } })),
  // refreshToken: an extension of the login answer (ADR 0015).
  login: (phone: string, code: string): Promise<{ token: string; refreshToken: string; user: User }> => typed(() => client.POST('/auth/login', { body: { phone, code } })),
  me: (): Promise<User> => typed(() => client.GET('/auth/me')),
  membershipStatus: (): Promise<MembershipStatus> => typed(() => client.GET('/membership/status')),
  purchase: (channel: 'wx' | 'alipay', openid?: string): Promise<Purchase> =>
    typed(() => client.POST('/membership/purchase', { body: { channel, ...(openid ? { openid } : {}) } })) as Promise<Purchase>,
  wechatOpenid: (code: string) => typed(() => client.GET('/auth/wechat/openid', { params: { query: { code } } })),
  uploadKeys: (): Promise<UploadKeys> => typed(() => client.GET('/media/sts')),
  // The choices may come from GET /abilities at run time, so the params are the catalogue's, not the generated enums.
  createTask: (type: TaskType, inputImageUrl: string, params: Record<string, string>) =>
    typed(() => client.POST('/task/create', { body: { type, inputImageUrl, params } as components['schemas']['TaskCreateRequest'] })),
  task: (taskId: string): Promise<Task> => typed(() => client.GET('/task/{taskId}', { params: { path: { taskId } } })),
  tasks: (limit = 20, offset = 0): Promise<{ tasks: TaskSummary[]; total: number }> =>
    typed(() => client.GET('/task/list', { params: { query: { limit, offset } } })),
  abilities: (): Promise<{ abilities: Ability[] }> => typed(() => client.GET('/abilities')),
  /** A presigned download of one of the caller's task objects that saves under a file name (Content-Disposition). */
  signedDownload: (objectKey: string, ttl = 300): Promise<{ url: string; expiresAt: string }> =>
    typed(() => client.POST('/media/signed-download', { body: { objectKey, ttl } })),
  cancelTask: (taskId: string): Promise<Task> => typed(() => client.POST('/task/cancel/{taskId}', { params: { path: { taskId } } })),
  retryTask: (taskId: string): Promise<RetriedTask> => typed(() => client.POST('/task/retry/{taskId}', { params: { path: { taskId } } })),
  quotaTransactions: (cursor?: string, limit = 20): Promise<Page<LedgerEntry>> =>
    typed(() => client.GET('/quota/transactions', { params: { query: { limit, ...(cursor ? { cursor } : {}) } } })),
  quotaStatistics: (): Promise<QuotaStatistics> => typed(() => client.GET('/quota/statistics')),
  membershipOrders: (cursor?: string, limit = 20): Promise<Page<Order>> =>
    typed(() => client.GET('/membership/orders', { params: { query: { limit, ...(cursor ? { cursor } : {}) } } })),
};
