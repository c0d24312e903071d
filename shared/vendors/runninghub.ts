import { vendorSignal } from '../deadline';
import { VendorError } from './vendor-error';

/**
 * RunningHub's legacy workflow API (vendors.md §1, docs/sandbox-wire-formats.md §4): every call is
 * a JSON POST with the key in the body, answered HTTP 200 with `{code, msg, data}`.
 */
export interface RunningHubClient {
  /** Starts a workflow run; the vendor task id is a 19-digit string (never a JS number). */
  create(request: { workflowId: string; nodeInfoList: NodeInfo[]; webhookUrl?: string }): Promise<{ taskId: string }>;
  outputs(taskId: string): Promise<RunningHubOutcome>;
  /** Cancels a run (`/task/openapi/cancel`, vendors.md §1.7); a run RunningHub no longer knows (807) counts as gone. */
  cancel(taskId: string): Promise<void>;
  /** The account's state (`/uc/openapi/accountStatus`, vendors.md §1.8): coins left and runs going now. */
  accountStatus(): Promise<RunningHubAccount>;
}

export interface RunningHubAccount {
  /** `remainCoins`, as RunningHub sends it (a string in newer answers, a number in older ones). */
  readonly remainCoins: string;
  /** `currentTaskCounts`: runs of this account going right now. */
  readonly currentTaskCounts: number;
  readonly remainMoney: string | undefined;
  readonly currency: string | undefined;
  readonly apiType: string | undefined;
}

export interface NodeInfo {
  readonly nodeId: string;
  readonly fieldName: string;
  readonly fieldValue: string;
}

export type RunningHubOutcome =
  /** `phase`: what RunningHub said (813 queued, 804 running; it reports no queue position or percentage); none when it did not say. */
  | { readonly state: 'pending'; readonly phase?: 'queued' | 'running' }
  | { readonly state: 'failed'; readonly reason: string }
  | {
      readonly state: 'success';
      readonly files: readonly OutputFile[];
      /** `consumeCoins`: what the run cost, in RunningHub coins; undefined when not reported. */
      readonly cost: string | undefined;
      /** `taskCostTime`: how long the run took, in seconds (a different unit: never a cost). */
      readonly runSeconds: number | undefined;
    };

export interface OutputFile {
  readonly url: string;
  readonly fileType: string;
}

interface Envelope {
  code?: unknown;
  msg?: unknown;
  data?: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** Reads `/outputs` (and the webhook's eventData, which has the same shape) into an outcome. */
export function parseOutputs(envelope: Envelope): RunningHubOutcome {
  const msg = text(envelope.msg);
  const code = Number(envelope.code);
  // RunningHub's own client matches these on msg: some answers carry code 0 with them.
  if (msg === 'APIKEY_TASK_IS_QUEUED' || code === 813) return { state: 'pending', phase: 'queued' };
  if (msg === 'APIKEY_TASK_IS_RUNNING' || code === 804) return { state: 'pending', phase: 'running' };
  if (code === 805) {
    const failed = (envelope.data as { failedReason?: Record<string, unknown> } | null)?.failedReason ?? {};
    // Only the node and the message: tracebacks and inputs may hold URLs or keys.
    const where = text(failed.node_name) || text(failed.node_id);
    const message = text(failed.exception_message) || msg || 'task failed';
    return { state: 'failed', reason: where ? `${where}: ${message}` : message };
  }
  if (code === 807) return { state: 'failed', reason: 'task not found at RunningHub' };
  if (code !== 0) throw new VendorError('runninghub', msg || String(envelope.code), `outputs answered ${String(envelope.code)} ${msg}`);
  if (envelope.data === null || envelope.data === undefined) return { state: 'pending' };
  if (!Array.isArray(envelope.data)) throw new VendorError('runninghub', 'UnexpectedResponse', 'outputs data is not a list');
  const entries = envelope.data as Record<string, unknown>[];
  const files = entries.map((entry) => ({ url: text(entry.fileUrl), fileType: text(entry.fileType).toLowerCase() })).filter((file) => /^https?:\/\//.test(file.url));
  if (files.length === 0) return { state: 'failed', reason: 'workflow finished without outputs' };
  const cost = entries.map((entry) => text(entry.consumeCoins)).find(Boolean);
  // Every entry repeats the run's time; a string in some answers, a number in others (vendors.md §1.6).
  const runSeconds = entries.map((entry) => Number(text(entry.taskCostTime) || Number.NaN)).find((value) => Number.isFinite(value) && value >= 0);
  return { state: 'success', files, cost: cost ? cost.slice(0, 32) : undefined, runSeconds };
}

/**
 * ComfyUI's validation of the inputs, in create's `promptTips` (a JSON string, vendors.md §1.4):
 * non-empty `node_errors` means the run cannot work, so it is a vendor error now rather than a
 * failure minutes later. Answers the failing node ids, or undefined when there are none.
 */
export function promptNodeErrors(promptTips: unknown): string | undefined {
  let tips: unknown = promptTips;
  if (typeof promptTips === 'string') {
    try {
      tips = JSON.parse(promptTips) as unknown;
    } catch {
      return undefined;
    }
  }
  const errors = typeof tips === 'object' && tips !== null ? (tips as { node_errors?: unknown }).node_errors : undefined;
  if (typeof errors !== 'object' || errors === null) return undefined;
  const nodes = Object.keys(errors);
  return nodes.length > 0 ? nodes.join(',').slice(0, 64) : undefined;
}

export interface RunningHubOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly timeoutMs?: number;
}

export function runningHubClient(options: RunningHubOptions): RunningHubClient {
  const post = async (path: string, body: object, key: Record<string, string> = { apiKey: options.apiKey }): Promise<{ envelope: Envelope; raw: string }> => {
    let raw: string;
    try {
      const response = await fetch(`${options.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...key, ...body }),
        signal: vendorSignal(options.timeoutMs ?? 15_000),
      });
      raw = await response.text();
      if (!response.ok) throw new VendorError('runninghub', `HTTP_${response.status}`, `${path} answered HTTP ${response.status}`, response.status);
    } catch (error) {
      if (error instanceof VendorError) throw error;
      throw new VendorError('runninghub', 'NetworkError', `${path}: ${(error as Error).message}`);
    }
    try {
      return { envelope: JSON.parse(raw) as Envelope, raw };
    } catch {
      throw new VendorError('runninghub', 'UnexpectedResponse', `${path} answered non-JSON`);
    }
  };

  return {
    async create({ workflowId, nodeInfoList, webhookUrl }) {
      const { envelope, raw } = await post('/task/openapi/create', { workflowId, nodeInfoList, ...(webhookUrl ? { webhookUrl } : {}) });
      const msg = text(envelope.msg);
      if (Number(envelope.code) !== 0) throw new VendorError('runninghub', msg || String(envelope.code), `create answered ${String(envelope.code)} ${msg}`);
      // The id is a 19-digit number the docs also type as integer: read it from the raw text so
      // JSON.parse can never round it (vendors.md §1.4).
      const taskId = /"taskId"\s*:\s*"?(\d{1,32})"?/.exec(raw)?.[1];
      const data = (envelope.data ?? {}) as Record<string, unknown>;
      if (!taskId) throw new VendorError('runninghub', 'UnexpectedResponse', 'create answered without a taskId');
      // A run that exists but cannot succeed is cancelled (best effort) so it does not queue or bill for nothing.
      const refuse = async (code: string, message: string): Promise<VendorError> => {
        await post('/task/openapi/cancel', { taskId }).catch(() => undefined);
        return new VendorError('runninghub', code, message);
      };
      if (text(data.taskStatus) === 'FAILED') throw await refuse('TASK_FAILED_AT_CREATE', 'create answered taskStatus FAILED');
      const nodeErrors = promptNodeErrors(data.promptTips);
      if (nodeErrors) throw await refuse('NODE_ERRORS', `create answered node_errors for node(s) ${nodeErrors}`);
      return { taskId };
    },

    async outputs(taskId) {
      const { envelope } = await post('/task/openapi/outputs', { taskId });
      return parseOutputs(envelope);
    },

    async cancel(taskId) {
      const { envelope } = await post('/task/openapi/cancel', { taskId });
      const code = Number(envelope.code);
      if (code === 0 || code === 807) return;
      const msg = text(envelope.msg);
      throw new VendorError('runninghub', msg || String(envelope.code), `cancel answered ${String(envelope.code)} ${msg}`);
    },

    async accountStatus() {
      // The one endpoint that takes the key as lower-case `apikey` (vendors.md §1.1).
      const { envelope } = await post('/uc/openapi/accountStatus', {}, { apikey: options.apiKey });
      const msg = text(envelope.msg);
      if (Number(envelope.code) !== 0) throw new VendorError('runninghub', msg || String(envelope.code), `accountStatus answered ${String(envelope.code)} ${msg}`);
      const data = (envelope.data ?? {}) as Record<string, unknown>;
      const optional = (value: unknown): string | undefined => text(value) || undefined;
      return {
        remainCoins: text(data.remainCoins),
        currentTaskCounts: Number(text(data.currentTaskCounts) || 0),
        remainMoney: optional(data.remainMoney),
        currency: optional(data.currency),
        apiType: optional(data.apiType),
      };
    },
  };
}
