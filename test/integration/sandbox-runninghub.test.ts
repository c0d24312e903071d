import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_RUNNINGHUB_API_KEY } from '../../infra/sandbox/keys';
import { resolveRunningHubDelay } from '../../infra/sandbox/runninghub';
import { type RunningSandbox, startSandbox } from '../../infra/sandbox/server';
import { setFaults } from '../helpers/sandbox';

/**
 * RunningHub's legacy API as the API will call it (plain fetch + JSON, vendors.md §1): envelopes, the
 * queued → running → success progression, faults decided at create, real PNG frames, and the webhook.
 */
const DELAY_MS = 200;
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, runninghubDelayMs: DELAY_MS });
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
});

interface Envelope {
  code: number;
  msg: string;
  data: unknown;
}

/** Returns the parsed envelope and the raw text, so tests can see what JSON.parse would have done to ids. */
async function rh(path: string, body: unknown): Promise<Envelope & { raw: string; status: number }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const raw = await response.text();
  return { ...(JSON.parse(raw) as Envelope), raw, status: response.status };
}

async function create(extra: Record<string, unknown> = {}): Promise<string> {
  const created = await rh('/task/openapi/create', {
    apiKey: SANDBOX_RUNNINGHUB_API_KEY,
    workflowId: '1904136902449209346',
    nodeInfoList: [{ nodeId: '10', fieldName: 'image', fieldValue: 'https://example.com/a.jpg' }],
    ...extra,
  });
  expect(created.code).toBe(0);
  return (created.data as { taskId: string }).taskId;
}

const task = (path: string, taskId: string) => rh(path, { apiKey: SANDBOX_RUNNINGHUB_API_KEY, taskId });

const faults = (values: Record<string, string>) => setFaults(values, sandbox.url);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('create', () => {
  it('answers the documented envelope with a 19-digit string taskId that a Number would corrupt', async () => {
    const created = await rh('/task/openapi/create', {
      apiKey: SANDBOX_RUNNINGHUB_API_KEY,
      workflowId: '1904136902449209346',
      nodeInfoList: [],
    });

    expect(created.status).toBe(200);
    expect(created).toMatchObject({
      code: 0,
      msg: 'success',
      data: { taskStatus: 'QUEUED', clientId: expect.stringMatching(/^[0-9a-f]{32}$/), netWssUrl: null },
    });
    const { taskId, promptTips } = created.data as { taskId: string; promptTips: string };
    expect(taskId).toMatch(/^\d{19}$/);
    expect(created.raw).toContain(`"taskId":"${taskId}"`);
    expect(BigInt(taskId) > 2n ** 53n).toBe(true);
    expect(BigInt(Number(taskId)).toString()).not.toBe(taskId);
    expect(JSON.parse(promptTips)).toMatchObject({ result: true, node_errors: {} });
  });

  it('refuses a wrong key (802), bad params (301) and a bad nodeInfoList (803)', async () => {
    const base = { apiKey: SANDBOX_RUNNINGHUB_API_KEY, workflowId: '1' };

    expect(await rh('/task/openapi/create', { ...base, apiKey: 'nope' })).toMatchObject({ code: 802, msg: 'APIKEY_UNAUTHORIZED', data: null });
    expect(await rh('/task/openapi/create', { apiKey: SANDBOX_RUNNINGHUB_API_KEY })).toMatchObject({ code: 301, msg: 'PARAMS_INVALID' });
    expect(await rh('/task/openapi/create', { ...base, nodeInfoList: [{ nodeId: '1' }] })).toMatchObject({
      code: 803,
      msg: 'APIKEY_INVALID_NODE_INFO',
    });
    expect(await rh('/task/openapi/create', { ...base, webhookUrl: 'ftp://x' })).toMatchObject({ code: 301 });
    expect(await rh('/task/openapi/create', '{not json')).toMatchObject({ status: 200, code: 301 });
    expect(await rh('/task/openapi/create', '[1,2]')).toMatchObject({ code: 301 });
  });

  it('answers 421 TASK_QUEUE_MAXED with queue_maxed, once with queue_maxed_once', async () => {
    await faults({ runninghub: 'queue_maxed' });
    const body = { apiKey: SANDBOX_RUNNINGHUB_API_KEY, workflowId: '1' };

    expect(await rh('/task/openapi/create', body)).toMatchObject({ code: 421, msg: 'TASK_QUEUE_MAXED', data: null });
    expect(await rh('/task/openapi/create', body)).toMatchObject({ code: 421 });

    await faults({ runninghub: 'queue_maxed_once' });
    expect(await rh('/task/openapi/create', body)).toMatchObject({ code: 421 });
    expect(await rh('/task/openapi/create', body)).toMatchObject({ code: 0 });
  });
});

describe('progression', () => {
  it('accepts the run but reports node_errors in promptTips with runninghub=node_errors, then fails it', async () => {
    await faults({ runninghub: 'node_errors' });

    const created = await rh('/task/openapi/create', { apiKey: SANDBOX_RUNNINGHUB_API_KEY, workflowId: '1904136902449209346', nodeInfoList: [] });
    const taskId = (created.data as { taskId: string }).taskId;
    const failed = await until(() => task('/task/openapi/outputs', taskId), (answer) => answer.code === 805);

    expect(created.code).toBe(0);
    const tips = JSON.parse((created.data as { promptTips: string }).promptTips) as { node_errors: Record<string, unknown> };
    expect(Object.keys(tips.node_errors)).toEqual(['10']);
    expect(failed.code).toBe(805);
  });

  it('counts /outputs calls and frame downloads per task on the control surface', async () => {
    const taskId = await create();
    await until(() => task('/task/openapi/outputs', taskId), (answer) => answer.code === 0);
    const outputs = await task('/task/openapi/outputs', taskId);
    const urls = (outputs.data as { fileUrl: string }[]).map((file) => file.fileUrl);

    await Promise.all(urls.slice(0, 3).map(async (url) => (await fetch(url)).arrayBuffer()));

    const listed = (await (await fetch(`${sandbox.url}/_sandbox/runninghub/tasks`)).json()) as { tasks: { taskId: string; outputsCalls: number; fileDownloads: number }[] };
    const counted = listed.tasks.find((candidate) => candidate.taskId === taskId);
    expect(counted?.fileDownloads).toBe(3);
    expect(counted?.outputsCalls).toBeGreaterThanOrEqual(2);
  });

  it('goes queued (813) → running (804) → success with 12 real PNG frames', async () => {
    const taskId = await create();

    expect(await task('/task/openapi/outputs', taskId)).toMatchObject({ code: 813, msg: 'APIKEY_TASK_IS_QUEUED', data: null });
    expect(await task('/task/openapi/status', taskId)).toMatchObject({ code: 0, data: 'QUEUED' });
    const running = await until(() => task('/task/openapi/outputs', taskId), (r) => r.code !== 813);
    expect(running).toMatchObject({ code: 804, msg: 'APIKEY_TASK_IS_RUNNING' });
    expect(await task('/task/openapi/status', taskId)).toMatchObject({ data: 'RUNNING' });

    const done = await until(() => task('/task/openapi/outputs', taskId), (r) => r.code === 0);
    expect(done.msg).toBe('success');
    expect(await task('/task/openapi/status', taskId)).toMatchObject({ data: 'SUCCESS' });
    const files = done.data as Array<{ fileUrl: string; fileType: string; taskCostTime: string; nodeId: string; consumeCoins: string }>;
    expect(files).toHaveLength(12);
    const sizes = new Set<string>();
    for (const [index, file] of files.entries()) {
      expect(file).toMatchObject({ fileType: 'png', nodeId: expect.any(String), taskCostTime: expect.any(String) });
      expect(file.fileUrl).toBe(`${sandbox.url}/_rh/files/${taskId}/frame_${String(index + 1).padStart(2, '0')}.png`);
      const response = await fetch(file.fileUrl);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await response.arrayBuffer());
      const png = PNG.sync.read(bytes);
      expect([png.width, png.height]).toEqual([384, 512]);
      sizes.add(bytes.toString('base64'));
    }
    expect(sizes.size).toBe(12); // every frame is a different image
  });

  it('keeps file URLs closed until the task succeeded', async () => {
    const taskId = await create();

    expect((await fetch(`${sandbox.url}/_rh/files/${taskId}/frame_01.png`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/_rh/files/123/frame_01.png`)).status).toBe(404);
  });

  it('fails with runninghub=fail: 805 with failedReason, status FAILED', async () => {
    await faults({ runninghub: 'fail' });
    const taskId = await create();
    await faults({ runninghub: 'ok' }); // the fate was decided at create

    const failed = await until(() => task('/task/openapi/outputs', taskId), (r) => r.code === 805);

    expect(failed).toMatchObject({
      code: 805,
      msg: 'APIKEY_TASK_STATUS_ERROR',
      data: { failedReason: { node_id: expect.any(String), exception_message: expect.any(String) } },
    });
    expect(await task('/task/openapi/status', taskId)).toMatchObject({ data: 'FAILED' });
  });

  it('never finishes with runninghub=hang, until the sandbox is told to finish it', async () => {
    await faults({ runninghub: 'hang' });
    const taskId = await create();

    await new Promise((resolve) => setTimeout(resolve, DELAY_MS * 2));
    expect(await task('/task/openapi/outputs', taskId)).toMatchObject({ code: 804 });

    const finish = await fetch(`${sandbox.url}/_sandbox/runninghub/finish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ taskId }),
    });
    expect(finish.status).toBe(200);
    expect(await task('/task/openapi/outputs', taskId)).toMatchObject({ code: 0 });

    const again = await fetch(`${sandbox.url}/_sandbox/runninghub/finish`, {
      method: 'POST',
      body: JSON.stringify({ taskId }),
    });
    expect(again.status).toBe(409);
  });

  it('finishes a task immediately with a chosen outcome, and lists tasks for debugging', async () => {
    const taskId = await create();

    await fetch(`${sandbox.url}/_sandbox/runninghub/finish`, {
      method: 'POST',
      body: JSON.stringify({ taskId, outcome: 'fail' }),
    });
    const list = (await (await fetch(`${sandbox.url}/_sandbox/runninghub/tasks`)).json()) as { tasks: Array<Record<string, unknown>> };

    expect(await task('/task/openapi/outputs', taskId)).toMatchObject({ code: 805 });
    expect(list.tasks[0]).toMatchObject({ taskId, status: 'FAILED', outcome: 'fail', workflowId: '1904136902449209346' });
  });

  it('cancels a running task (status FAILED) and answers unknown ids with 807', async () => {
    const taskId = await create();

    expect(await task('/task/openapi/cancel', taskId)).toMatchObject({ code: 0, msg: 'success', data: null });
    expect(await task('/task/openapi/status', taskId)).toMatchObject({ data: 'FAILED' });
    expect(await task('/task/openapi/outputs', '1234567890123456789')).toMatchObject({ code: 807, msg: 'APIKEY_TASK_NOT_FOUND' });
    expect(await task('/task/openapi/status', '1234567890123456789')).toMatchObject({ code: 807 });
    expect(await rh('/task/openapi/outputs', { apiKey: 'x', taskId })).toMatchObject({ code: 802 });
  });

  it('does not find a taskId that went through a JS Number (it was corrupted)', async () => {
    const taskId = await create();

    const viaNumber = await rh('/task/openapi/status', `{"apiKey":"${SANDBOX_RUNNINGHUB_API_KEY}","taskId":${Number(taskId)}}`);
    const exactNumber = await rh('/task/openapi/status', `{"apiKey":"${SANDBOX_RUNNINGHUB_API_KEY}","taskId":${taskId}}`);

    expect(viaNumber.code).toBe(807);
    // Even the exact digits as a JSON number are rounded by the sandbox's own JSON.parse: strings only.
    expect(exactNumber.code).toBe(807);
  });

  it('reports account status only for the lower-case apikey field', async () => {
    await create();

    expect(await rh('/uc/openapi/accountStatus', { apikey: SANDBOX_RUNNINGHUB_API_KEY })).toMatchObject({
      code: 0,
      data: { remainCoins: expect.any(String), currentTaskCounts: '1', apiType: 'NORMAL' },
    });
    expect(await rh('/uc/openapi/accountStatus', { apiKey: SANDBOX_RUNNINGHUB_API_KEY })).toMatchObject({ code: 802 });
  });
});

describe('webhook', () => {
  let receiver: Server;
  let receiverUrl: string;
  let received: Array<{ body: string; contentType: string | undefined }>;
  let answers: number[];

  beforeEach(async () => {
    received = [];
    answers = [];
    receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), contentType: req.headers['content-type'] });
        res.writeHead(answers.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/runninghub?token=abc`;
  });

  afterEach(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('POSTs TASK_END with eventData = the /outputs response as a JSON string', async () => {
    const taskId = await create({ webhookUrl: receiverUrl });

    await until(async () => received.length, (n) => n > 0);

    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery?.contentType).toBe('application/json');
    const raw = delivery?.body ?? '';
    expect(raw).toContain(`"taskId":"${taskId}"`);
    const body = JSON.parse(raw) as { event: string; taskId: string; eventData: string };
    expect(body).toMatchObject({ event: 'TASK_END', taskId });
    expect(typeof body.eventData).toBe('string');
    const eventData = JSON.parse(body.eventData) as Envelope;
    expect(eventData).toEqual((({ raw: _r, status: _s, ...rest }) => rest)(await task('/task/openapi/outputs', taskId)));
    expect(eventData.data).toHaveLength(12);
  });

  it('reports failures too, and retries after a non-2xx answer', async () => {
    answers = [500];
    await faults({ runninghub: 'fail' });
    const taskId = await create({ webhookUrl: receiverUrl });

    await until(async () => received.length, (n) => n >= 2);

    expect(received).toHaveLength(2);
    const eventData = JSON.parse((JSON.parse(received[1]?.body ?? '{}') as { eventData: string }).eventData) as Envelope;
    expect(eventData.code).toBe(805);
    const list = (await (await fetch(`${sandbox.url}/_sandbox/runninghub/tasks`)).json()) as {
      tasks: Array<{ taskId: string; webhookDeliveries: Array<{ status?: number }> }>;
    };
    expect(list.tasks.find((t) => t.taskId === taskId)?.webhookDeliveries.map((d) => d.status)).toEqual([500, 200]);
  });

  it('survives an unreachable webhook URL', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));

    const taskId = await create({ webhookUrl: `http://127.0.0.1:${deadPort}/hook` });
    await until(() => task('/task/openapi/outputs', taskId), (r) => r.code === 0);
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect((await fetch(`${sandbox.url}/_sandbox/health`)).status).toBe(200);
    const list = (await (await fetch(`${sandbox.url}/_sandbox/runninghub/tasks`)).json()) as {
      tasks: Array<{ webhookDeliveries: Array<{ error?: string }> }>;
    };
    expect(list.tasks[0]?.webhookDeliveries[0]?.error).toEqual(expect.any(String));
  });
});

describe('delay configuration', () => {
  it('takes the option, then SANDBOX_RUNNINGHUB_DELAY_MS, then 3000, and refuses nonsense', () => {
    expect(resolveRunningHubDelay(50, '999')).toBe(50);
    expect(resolveRunningHubDelay(undefined, '999')).toBe(999);
    expect(resolveRunningHubDelay(undefined, undefined)).toBe(3000);
    expect(() => resolveRunningHubDelay(undefined, 'soon')).toThrow(/SANDBOX_RUNNINGHUB_DELAY_MS/);
    expect(() => resolveRunningHubDelay(-1, undefined)).toThrow();
  });
});
