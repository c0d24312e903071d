/**
 * RunningHub legacy API (`/task/openapi/*`, `/uc/openapi/accountStatus`; vendors.md §1): HTTP 200 with a
 * `{code, msg, data}` envelope, the key in the JSON body, 19-digit string task ids that a JS Number would
 * corrupt. Tasks finish by themselves after the configured delay with 12 real PNG frames served from
 * `/_rh/files/…`; the `runninghub` fault, read at create time, decides each task's fate.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PNG } from 'pngjs';
import { SANDBOX_RUNNINGHUB_API_KEY } from './keys';
import { HttpError, type Router, sendJson } from './router';
import type { SandboxState } from './state';

export const DEFAULT_RUNNINGHUB_DELAY_MS = 3000;
export const RUNNINGHUB_FRAME_COUNT = 12;
export const RUNNINGHUB_FRAME_WIDTH = 384;
export const RUNNINGHUB_FRAME_HEIGHT = 512;
/** Memory bound: finished tasks are dropped oldest first beyond this. */
export const MAX_RUNNINGHUB_TASKS = 2000;
/** Keeps one task's remembered nodeInfoList small (it is only echoed by the debug endpoint). */
export const MAX_NODE_INFO_JSON_CHARS = 64 * 1024;
/** First attempt, then these waits before each retry (RunningHub retries too, vendors.md §1.10). */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000];
export const WEBHOOK_TIMEOUT_MS = 5000;

const OUTPUT_NODE_ID = '9';
const PROMPT_TIPS = '{"result": true, "error": null, "outputs_to_execute": ["9"], "node_errors": {}}';
/** ComfyUI's validation answer for a bad node input (fault `node_errors`): the run is accepted but cannot work. */
const PROMPT_TIPS_NODE_ERRORS =
  '{"result": false, "error": null, "outputs_to_execute": ["9"], "node_errors": {"10": {"errors": [{"type": "value_not_in_list", "message": "Value not in list", "details": "image: sandbox fault runninghub=node_errors"}], "dependent_outputs": ["9"], "class_type": "LoadImage"}}}';

export interface RunningHubOptions {
  /** Milliseconds from create to the end of a task; default env SANDBOX_RUNNINGHUB_DELAY_MS, else 3000. */
  readonly runninghubDelayMs?: number;
}

export interface RunningHubModuleContext {
  readonly router: Router;
  readonly state: SandboxState;
  readonly options?: RunningHubOptions;
}

type Fate = 'success' | 'fail' | 'hang';
type Outcome = 'success' | 'fail' | 'cancelled';
type TaskStatus = 'QUEUED' | 'RUNNING' | 'SUCCESS' | 'FAILED';

interface NodeInfo {
  readonly nodeId: string;
  readonly fieldName: string;
  readonly fieldValue: unknown;
}

interface WebhookDelivery {
  readonly attempt: number;
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
}

interface RhTask {
  readonly taskId: string;
  readonly workflowId: string;
  readonly nodeInfoList: readonly NodeInfo[];
  readonly webhookUrl: string | null;
  readonly fate: Fate;
  readonly clientId: string;
  readonly createdAt: number;
  /** Where this sandbox is reachable, so fileUrls are absolute (RunningHub's are full https URLs). */
  readonly baseUrl: string;
  outcome: Outcome | null;
  finishedAt: number | null;
  timer: NodeJS.Timeout | null;
  readonly deliveries: WebhookDelivery[];
  /** Requests seen for this task, so tests can prove throttles and copy-once (GET /_sandbox/runninghub/tasks). */
  outputsCalls: number;
  fileDownloads: number;
  /** `/task/openapi/cancel` requests for this task (the first one before its end cancels it). */
  cancelCalls: number;
}

interface Envelope {
  readonly code: number;
  readonly msg: string;
  readonly data: unknown;
}

const ok = (data: unknown): Envelope => ({ code: 0, msg: 'success', data });
const err = (code: number, msg: string, data: unknown = null): Envelope => ({ code, msg, data });
const PARAMS_INVALID = err(301, 'PARAMS_INVALID');
const UNAUTHORIZED = err(802, 'APIKEY_UNAUTHORIZED');
const NOT_FOUND = err(807, 'APIKEY_TASK_NOT_FOUND');

export function resolveRunningHubDelay(option: number | undefined, env: string | undefined): number {
  if (option !== undefined) {
    if (!Number.isInteger(option) || option < 0) throw new Error(`runninghubDelayMs must be a non-negative integer, got ${option}`);
    return option;
  }
  if (env === undefined || env.trim() === '') return DEFAULT_RUNNINGHUB_DELAY_MS;
  const parsed = Number(env);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new Error(`SANDBOX_RUNNINGHUB_DELAY_MS must be a non-negative integer, got "${env}"`);
  }
  return parsed;
}

export function registerRunningHub({ router, state, options = {} }: RunningHubModuleContext): void {
  const delayMs = resolveRunningHubDelay(options.runninghubDelayMs, process.env.SANDBOX_RUNNINGHUB_DELAY_MS);
  const queuedMs = Math.floor(delayMs / 4);
  const tasks = new Map<string, RhTask>();
  // Bumped on reset so webhook retries of a previous life stop instead of posting stale tasks.
  let generation = 0;

  state.defineFault('runninghub', {
    defaultValue: 'ok',
    values: ['ok', 'fail', 'hang', 'queue_maxed', 'queue_maxed_once', 'node_errors'],
  });
  state.onReset(() => {
    generation += 1;
    for (const task of tasks.values()) if (task.timer) clearTimeout(task.timer);
    tasks.clear();
  });

  const statusOf = (task: RhTask, now: number): TaskStatus => {
    if (task.outcome === 'success') return 'SUCCESS';
    if (task.outcome !== null) return 'FAILED';
    return now - task.createdAt < queuedMs ? 'QUEUED' : 'RUNNING';
  };

  const finish = (task: RhTask, outcome: Outcome): void => {
    if (task.outcome !== null) return;
    task.outcome = outcome;
    task.finishedAt = Date.now();
    if (task.timer) clearTimeout(task.timer);
    task.timer = null;
    if (task.webhookUrl) {
      const url = task.webhookUrl;
      const runFor = generation;
      deliverWebhook(task, url, () => runFor === generation).catch((error: unknown) => {
        console.error('[sandbox] RunningHub webhook delivery crashed:', error);
      });
    }
  };

  /** Timers are the main path; this catches up when one has not fired yet (busy event loop). */
  const lookUp = (taskId: string): RhTask | undefined => {
    const task = tasks.get(taskId);
    if (task && task.outcome === null && task.fate !== 'hang' && Date.now() - task.createdAt >= delayMs) {
      finish(task, task.fate);
    }
    return task;
  };

  const outputsOf = (task: RhTask): Envelope => {
    const status = statusOf(task, Date.now());
    if (status === 'QUEUED') return err(813, 'APIKEY_TASK_IS_QUEUED');
    if (status === 'RUNNING') return err(804, 'APIKEY_TASK_IS_RUNNING');
    if (status === 'FAILED') return err(805, 'APIKEY_TASK_STATUS_ERROR', { failedReason: failedReason(task) });
    const seconds = String(Math.max(1, Math.round(((task.finishedAt ?? Date.now()) - task.createdAt) / 1000)));
    return ok(
      Array.from({ length: RUNNINGHUB_FRAME_COUNT }, (_, i) => ({
        fileUrl: `${task.baseUrl}/_rh/files/${task.taskId}/${frameName(i + 1)}`,
        fileType: 'png',
        taskCostTime: seconds,
        nodeId: OUTPUT_NODE_ID,
        consumeCoins: String(RUNNINGHUB_FRAME_COUNT),
      })),
    );
  };

  const deliverWebhook = async (task: RhTask, url: string, current: () => boolean): Promise<void> => {
    const body = JSON.stringify({ event: 'TASK_END', taskId: task.taskId, eventData: JSON.stringify(outputsOf(task)) });
    for (let attempt = 1; attempt <= WEBHOOK_RETRY_DELAYS_MS.length + 1; attempt += 1) {
      if (!current()) return;
      const at = new Date().toISOString();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        await response.arrayBuffer().catch(() => undefined);
        recordDelivery(task, { attempt, at, status: response.status });
        if (response.ok) return;
      } catch (error) {
        recordDelivery(task, { attempt, at, error: error instanceof Error ? error.message : String(error) });
      }
      const wait = WEBHOOK_RETRY_DELAYS_MS[attempt - 1];
      if (wait === undefined) return;
      await sleep(wait);
    }
  };

  const makeRoom = (): void => {
    if (tasks.size < MAX_RUNNINGHUB_TASKS) return;
    for (const [id, task] of tasks) {
      if (tasks.size < MAX_RUNNINGHUB_TASKS) return;
      if (task.outcome !== null) tasks.delete(id);
    }
    for (const [id, task] of tasks) {
      if (tasks.size < MAX_RUNNINGHUB_TASKS) return;
      if (task.timer) clearTimeout(task.timer);
      tasks.delete(id);
    }
  };

  // ---- vendor endpoints --------------------------------------------------------------------

  rhPost(router, '/task/openapi/create', (body, req) => {
    if (body.apiKey !== SANDBOX_RUNNINGHUB_API_KEY) return UNAUTHORIZED;
    const workflowId = readId(body.workflowId);
    if (workflowId === null) return PARAMS_INVALID;
    const nodeInfoList = readNodeInfoList(body.nodeInfoList);
    if (nodeInfoList === null) return err(803, 'APIKEY_INVALID_NODE_INFO');
    const webhookUrl = readWebhookUrl(body.webhookUrl);
    if (webhookUrl === undefined) return PARAMS_INVALID;

    const fault = state.fault('runninghub');
    if (fault === 'queue_maxed' || fault === 'queue_maxed_once') {
      if (fault === 'queue_maxed_once') state.applyFaults({ runninghub: 'ok' });
      return err(421, 'TASK_QUEUE_MAXED');
    }
    // node_errors: ComfyUI rejected the inputs, so the run can only fail.
    const fate: Fate = fault === 'fail' || fault === 'node_errors' ? 'fail' : fault === 'hang' ? 'hang' : 'success';
    makeRoom();
    const task: RhTask = {
      taskId: newTaskId(tasks),
      workflowId,
      nodeInfoList,
      webhookUrl,
      fate,
      clientId: randomBytes(16).toString('hex'),
      createdAt: Date.now(),
      baseUrl: ownBaseUrl(req),
      outcome: null,
      finishedAt: null,
      timer: null,
      deliveries: [],
      outputsCalls: 0,
      fileDownloads: 0,
      cancelCalls: 0,
    };
    if (fate !== 'hang') {
      task.timer = setTimeout(() => finish(task, fate), delayMs);
      // A pending task must not keep a test runner or CLI alive.
      task.timer.unref();
    }
    tasks.set(task.taskId, task);
    return ok({
      taskId: task.taskId,
      taskStatus: 'QUEUED',
      clientId: task.clientId,
      netWssUrl: null,
      promptTips: fault === 'node_errors' ? PROMPT_TIPS_NODE_ERRORS : PROMPT_TIPS,
    });
  });

  rhPost(router, '/task/openapi/status', (body) => {
    if (body.apiKey !== SANDBOX_RUNNINGHUB_API_KEY) return UNAUTHORIZED;
    const taskId = readId(body.taskId);
    if (taskId === null) return PARAMS_INVALID;
    const task = lookUp(taskId);
    return task ? ok(statusOf(task, Date.now())) : NOT_FOUND;
  });

  rhPost(router, '/task/openapi/outputs', (body) => {
    if (body.apiKey !== SANDBOX_RUNNINGHUB_API_KEY) return UNAUTHORIZED;
    const taskId = readId(body.taskId);
    if (taskId === null) return PARAMS_INVALID;
    const task = lookUp(taskId);
    if (task) task.outputsCalls += 1;
    return task ? outputsOf(task) : NOT_FOUND;
  });

  rhPost(router, '/task/openapi/cancel', (body) => {
    if (body.apiKey !== SANDBOX_RUNNINGHUB_API_KEY) return UNAUTHORIZED;
    const taskId = readId(body.taskId);
    if (taskId === null) return PARAMS_INVALID;
    const task = lookUp(taskId);
    if (!task) return NOT_FOUND;
    task.cancelCalls += 1;
    // A run that already ended stays as it ended (finish ignores it); RunningHub answers success all the same.
    finish(task, 'cancelled');
    return ok(null);
  });

  rhPost(router, '/uc/openapi/accountStatus', (body) => {
    // Lower-case `apikey` only, as the real endpoint (vendors.md §1.1): catching the camelCase mistake is the point.
    if (body.apikey !== SANDBOX_RUNNINGHUB_API_KEY) return UNAUTHORIZED;
    const running = [...tasks.values()].filter((task) => lookUp(task.taskId)?.outcome === null).length;
    return ok({
      remainCoins: '99999',
      currentTaskCounts: String(running),
      remainMoney: '100.00',
      currency: 'CNY',
      apiType: 'NORMAL',
    });
  });

  // ---- result files -------------------------------------------------------------------------

  router.add('GET', '/_rh/files/*', (_req, res, ctx) => {
    const match = /^\/_rh\/files\/(\d{1,32})\/frame_(\d{2})\.png$/.exec(ctx.url.pathname);
    const index = Number(match?.[2]);
    const task = match?.[1] === undefined ? undefined : lookUp(match[1]);
    if (!task || task.outcome !== 'success' || !(index >= 1 && index <= RUNNINGHUB_FRAME_COUNT)) {
      throw new HttpError(404, 'no such RunningHub output file');
    }
    task.fileDownloads += 1;
    const png = framePng(index);
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
    res.end(png);
  });

  // ---- sandbox control ----------------------------------------------------------------------

  router.add('POST', '/_sandbox/runninghub/finish', (_req, res, ctx) => {
    const body = ctx.json();
    if (!isRecord(body) || typeof body.taskId !== 'string') throw new HttpError(400, 'body must be {"taskId": "<string>"}');
    const outcome = body.outcome;
    if (outcome !== undefined && outcome !== 'success' && outcome !== 'fail') {
      throw new HttpError(400, 'outcome must be "success" or "fail"');
    }
    const task = lookUp(body.taskId);
    if (!task) throw new HttpError(404, 'no such task');
    if (task.outcome !== null) throw new HttpError(409, `task already finished (${task.outcome})`);
    // A hanging task has no fate of its own to reach; finishing it means success unless told otherwise.
    finish(task, outcome ?? (task.fate === 'fail' ? 'fail' : 'success'));
    sendJson(res, 200, { task: view(task) });
  });

  router.add('GET', '/_sandbox/runninghub/tasks', (_req, res) => {
    const list = [...tasks.values()].map((task) => view(lookUp(task.taskId) ?? task)).reverse();
    sendJson(res, 200, { tasks: list });
  });

  const view = (task: RhTask) => ({
    taskId: task.taskId,
    workflowId: task.workflowId,
    status: statusOf(task, Date.now()),
    fate: task.fate,
    outcome: task.outcome,
    createdAt: new Date(task.createdAt).toISOString(),
    finishedAt: task.finishedAt === null ? null : new Date(task.finishedAt).toISOString(),
    webhookUrl: task.webhookUrl,
    nodeInfoList: task.nodeInfoList,
    webhookDeliveries: task.deliveries,
    outputsCalls: task.outputsCalls,
    fileDownloads: task.fileDownloads,
    cancelCalls: task.cancelCalls,
  });
}

// ---------------------------------------------------------------------------------------------
// Request plumbing

type RhHandler = (body: Record<string, unknown>, req: IncomingMessage) => Envelope;

/** RunningHub answers HTTP 200 with an envelope even for malformed bodies. */
function rhPost(router: Router, path: string, handler: RhHandler): void {
  router.add('POST', path, (req, res, ctx) => {
    let body: unknown;
    try {
      body = JSON.parse(ctx.rawBody.toString('utf8')) as unknown;
    } catch {
      body = null;
    }
    sendJson(res, 200, isRecord(body) ? handler(body, req) : PARAMS_INVALID);
  });
}

/** Ids are decimal strings. A JSON number is accepted as its text: a rounded 19-digit id then simply misses. */
function readId(value: unknown): string | null {
  let text: unknown = value;
  // BigInt prints the double exactly (String() would switch to exponent form past 1e21).
  if (typeof value === 'number') text = Number.isInteger(value) && value >= 0 ? BigInt(value).toString() : null;
  return typeof text === 'string' && /^\d{1,32}$/.test(text) ? text : null;
}

function readNodeInfoList(value: unknown): NodeInfo[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > 200) return null;
  const list: NodeInfo[] = [];
  for (const item of value) {
    if (!isRecord(item)) return null;
    const nodeId = typeof item.nodeId === 'number' && Number.isSafeInteger(item.nodeId) ? String(item.nodeId) : item.nodeId;
    if (typeof nodeId !== 'string' || nodeId === '' || typeof item.fieldName !== 'string' || item.fieldName === '') return null;
    if (item.fieldValue === undefined) return null;
    list.push({ nodeId, fieldName: item.fieldName, fieldValue: item.fieldValue });
  }
  return JSON.stringify(list).length > MAX_NODE_INFO_JSON_CHARS ? null : list;
}

/** undefined = invalid; null = none given. */
function readWebhookUrl(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** 19 digits, always above 2^53 and never exactly representable as a double, so Number() visibly corrupts it. */
function newTaskId(existing: ReadonlyMap<string, unknown>): string {
  for (;;) {
    const id = `19${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e8)).padStart(8, '0')}`;
    if (BigInt(Number(id)).toString() !== id && !existing.has(id)) return id;
  }
}

function ownBaseUrl(req: IncomingMessage): string {
  const raw = req.socket.localAddress ?? '127.0.0.1';
  const address = raw.startsWith('::ffff:') ? raw.slice('::ffff:'.length) : raw;
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${req.socket.localPort ?? 80}`;
}

function failedReason(task: RhTask): Record<string, unknown> {
  const cancelled = task.outcome === 'cancelled';
  return {
    node_id: OUTPUT_NODE_ID,
    node_name: cancelled ? '' : 'KSampler',
    exception_type: cancelled ? 'TaskCancelled' : 'RuntimeError',
    exception_message: cancelled ? 'Task cancelled by user' : 'sandbox: workflow failed (fault runninghub=fail)',
    traceback: cancelled ? [] : ['Traceback (most recent call last):', '  File "execution.py", line 1, in sandbox', 'RuntimeError: sandbox'],
    current_inputs: {},
    current_outputs: {},
  };
}

function recordDelivery(task: RhTask, delivery: WebhookDelivery): void {
  task.deliveries.push(delivery);
  if (task.deliveries.length > 10) task.deliveries.shift();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Frames: 12 real PNGs, one colour and pose per frame, made once and shared by every task.

const frameCache = new Map<number, Buffer>();

function frameName(index: number): string {
  return `frame_${String(index).padStart(2, '0')}.png`;
}

function framePng(index: number): Buffer {
  const cached = frameCache.get(index);
  if (cached) return cached;
  const png = new PNG({ width: RUNNINGHUB_FRAME_WIDTH, height: RUNNINGHUB_FRAME_HEIGHT });
  const [br, bg, bb] = hslToRgb(((index - 1) * 30) / 360, 0.45, 0.85);
  const [fr, fg, fb] = hslToRgb(((index - 1) * 30 + 180) / 360, 0.4, 0.35);
  const fill = (x0: number, y0: number, w: number, h: number, r: number, g: number, b: number): void => {
    for (let y = Math.max(0, y0); y < Math.min(png.height, y0 + h); y += 1) {
      for (let x = Math.max(0, x0); x < Math.min(png.width, x0 + w); x += 1) {
        const i = (y * png.width + x) * 4;
        png.data[i] = r;
        png.data[i + 1] = g;
        png.data[i + 2] = b;
        png.data[i + 3] = 255;
      }
    }
  };
  fill(0, 0, png.width, png.height, br, bg, bb);
  // A crude figure whose stance changes per frame: shifted torso, arms at different heights, legs apart.
  const shift = ((index - 1) % 4) * 24 - 36;
  const cx = Math.floor(png.width / 2) + shift;
  fill(cx - 24, 70, 48, 48, fr, fg, fb); // head
  fill(cx - 44, 126, 88, 150, fr, fg, fb); // torso
  const armLift = ((index - 1) % 3) * 40;
  fill(cx - 84, 130 + armLift, 36, 100, fr, fg, fb);
  fill(cx + 48, 210 - armLift, 36, 100, fr, fg, fb);
  const stance = ((index - 1) % 2) * 20;
  fill(cx - 40 - stance, 280, 32, 170, fr, fg, fb);
  fill(cx + 8 + stance, 280, 32, 170, fr, fg, fb);
  // Frame number as dots along the top, so a person can tell frames apart.
  for (let dot = 0; dot < index; dot += 1) fill(12 + dot * 16, 12, 10, 10, 40, 40, 40);
  const buffer = PNG.sync.write(png, { colorType: 2 });
  frameCache.set(index, buffer);
  return buffer;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const hueToChannel = (p: number, q: number, t0: number): number => {
    const t = t0 < 0 ? t0 + 1 : t0 > 1 ? t0 - 1 : t0;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const hue = h - Math.floor(h);
  return [
    Math.round(hueToChannel(p, q, hue + 1 / 3) * 255),
    Math.round(hueToChannel(p, q, hue) * 255),
    Math.round(hueToChannel(p, q, hue - 1 / 3) * 255),
  ];
}
