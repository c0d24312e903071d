import COS from 'cos-nodejs-sdk-v5';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import * as sts from '../../functions/media/sts';
import { execute, select } from '../../shared/db/pool';
import { findTask, type NewTask, type TaskRow, type TaskType } from '../../shared/db/repositories/tasks';
import { mintTaskId } from '../../shared/media/keys';
import { createWithHold, START_LEASE_SECONDS } from '../../shared/tasks/lifecycle';
import { findUserById } from '../../shared/users';
import type { ApiCall, Platform } from './events';
import type { UploadKeys } from '../../shared/media/sts';

/**
 * Task-test helpers: upload keys from the real endpoint, uploads through the real COS SDK with
 * those keys (as a browser would), and small database reads the assertions need.
 */
export type { UploadKeys } from '../../shared/media/sts';

export async function uploadKeys(platform: Platform, token: string, taskId?: string): Promise<UploadKeys> {
  const result = await platform.call(sts, { method: 'GET', path: '/media/sts', token, ...(taskId ? { query: { taskId } } : {}) });
  if (result.status !== 200) throw new Error(`GET /media/sts answered ${result.status}: ${result.text}`);
  return result.json.data as unknown as UploadKeys;
}

/** The COS SDK as the H5 client uses it: the STS keys through getAuthorization, the local Domain from the answer. */
export function browserCos(keys: UploadKeys): COS {
  if (!keys.cosDomain) throw new Error('GET /media/sts gave no cosDomain; is COS local?');
  return new COS({
    Domain: keys.cosDomain,
    Protocol: 'http:',
    getAuthorization: (_options, callback) =>
      callback({
        TmpSecretId: keys.credentials.tmpSecretId,
        TmpSecretKey: keys.credentials.tmpSecretKey,
        SecurityToken: keys.credentials.sessionToken,
        StartTime: Math.floor(Date.now() / 1000),
        ExpiredTime: keys.expiredTime,
      }),
  });
}

export async function putWithKeys(keys: UploadKeys, key: string, body: Buffer, contentType = 'image/jpeg'): Promise<void> {
  await browserCos(keys).putObject({ Bucket: keys.bucket, Region: keys.region, Key: key, Body: body, ContentType: contentType });
}

/** The SDK rejects with its error object; this returns it so tests can look at the status. */
export async function putFailure(keys: UploadKeys, key: string, body: Buffer): Promise<{ statusCode?: number; code?: string }> {
  try {
    await putWithKeys(keys, key, body);
  } catch (error) {
    return error as { statusCode?: number; code?: string };
  }
  throw new Error(`upload of ${key} was accepted`);
}

/** Keys for a new task id, and `body` uploaded as `<allowPrefix><fileName>`; returns the key to create the task with. */
export async function uploadInput(platform: Platform, token: string, body: Buffer, fileName = 'original.jpg'): Promise<{ taskId: string; key: string }> {
  const keys = await uploadKeys(platform, token);
  const key = `${keys.allowPrefix}${fileName}`;
  await putWithKeys(keys, key, body);
  return { taskId: keys.taskId, key };
}

/**
 * Puts `body` under a fresh task id of `userId` with the permanent keys: for arranging many inputs
 * at once (GET /media/sts is rate-limited per user).
 */
export async function seedInput(userId: string, body: Buffer): Promise<{ taskId: string; key: string }> {
  const taskId = mintTaskId();
  const key = `input/${userId}/${taskId}/original.jpg`;
  await adminCos().putObject({ Bucket: 'ai-photo-local-1250000000', Region: 'ap-guangzhou', Key: key, Body: body });
  return { taskId, key };
}

/** COS with the API's permanent keys: for objects the STS policy would refuse (e.g. over 10 MB). */
export function adminCos(): COS {
  return new COS({ SecretId: 'AKIDsandboxLocal0000000000000000000', SecretKey: 'sandboxLocalSecretKey000000000000', Domain: `${sandboxUrl()}/{Bucket}`, Protocol: 'http:' });
}

export function sandboxUrl(): string {
  const url = process.env.SANDBOX_URL;
  if (!url) throw new Error('SANDBOX_URL is not set; is this an integration test?');
  return url;
}

/** A new task of `userId` as POST /task/create would store it (a basic_clean runs at CI, a model_pose12 at RunningHub). */
export function newTaskOf(userId: string, options: { id?: string; type?: TaskType; deadlineSeconds?: number } = {}): NewTask {
  const id = options.id ?? mintTaskId();
  const type = options.type ?? 'basic_clean';
  return {
    id,
    userId,
    type,
    inputKey: `input/${userId}/${id}/original.jpg`,
    params: {},
    vendor: type === 'basic_clean' ? 'ci' : 'runninghub',
    webhookToken: null,
    deadlineSeconds: options.deadlineSeconds ?? 600,
    startLeaseSeconds: START_LEASE_SECONDS,
    createdAt: new Date(),
  };
}

/**
 * A processing task holding 1 quota, created through the lifecycle (hold and row in one
 * transaction, shared/tasks/lifecycle.ts createWithHold), as its row: settle it with completeTask
 * or failTask and the ledger follows (trigger tasks_settle_hold).
 */
export async function heldTask(userId: string, options: { id?: string; type?: TaskType; deadlineSeconds?: number } = {}): Promise<TaskRow> {
  const task = newTaskOf(userId, options);
  const created = await createWithHold(task);
  if (created !== 'created') throw new Error(`task ${task.id} was not created (${created})`);
  return storedTask(task.id);
}

/** The stored row of a task that must exist. */
export async function storedTask(taskId: string): Promise<TaskRow> {
  const task = await findTask(taskId);
  if (!task) throw new Error(`no task ${taskId}`);
  return task;
}

export async function balanceOf(userId: string): Promise<number | undefined> {
  return (await findUserById(userId))?.quota_balance;
}

export async function ledgerKinds(reference: string): Promise<string[]> {
  const rows = await select<{ kind: string }>('SELECT kind FROM quota_ledger WHERE reference = ? ORDER BY id', [reference]);
  return rows.map((row) => row.kind);
}

export async function taskRow(taskId: string): Promise<{ status: string; vendor_task_id: string | null; webhook_token: string | null; error_code: number | null } | undefined> {
  const [row] = await select<{ status: string; vendor_task_id: string | null; webhook_token: string | null; error_code: number | null }>(
    'SELECT status, vendor_task_id, webhook_token, error_code FROM tasks WHERE id = ?',
    [taskId],
  );
  return row;
}

/** Lets the next poll ask the vendor now instead of waiting out the poll interval. */
export async function makePollDue(taskId: string): Promise<void> {
  await execute('UPDATE tasks SET next_poll_at = NULL WHERE id = ?', [taskId]);
}

/** Finishes a RunningHub task in the sandbox now (with its fate, or the given outcome). */
export async function finishRunningHubTask(vendorTaskId: string, outcome?: 'success' | 'fail'): Promise<void> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/runninghub/finish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ taskId: vendorTaskId, ...(outcome ? { outcome } : {}) }),
  });
  if (!response.ok) throw new Error(`finish refused: ${response.status} ${await response.text()}`);
}

/** What the sandbox's RunningHub saw for one task: /outputs calls and frame downloads. */
export async function runningHubCalls(vendorTaskId: string): Promise<{ outputsCalls: number; fileDownloads: number }> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/runninghub/tasks`);
  const { tasks } = (await response.json()) as { tasks: { taskId: string; outputsCalls: number; fileDownloads: number }[] };
  const task = tasks.find((candidate) => candidate.taskId === vendorTaskId);
  if (!task) throw new Error(`the sandbox has no RunningHub task ${vendorTaskId}`);
  return { outputsCalls: task.outputsCalls, fileDownloads: task.fileDownloads };
}

/** How the sandbox's RunningHub runs whose inputs mention `fragment` (e.g. our task id) ended. */
export async function runningHubOutcomesFor(fragment: string): Promise<(string | null)[]> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/runninghub/tasks`);
  const { tasks } = (await response.json()) as { tasks: { outcome: string | null; nodeInfoList: unknown }[] };
  return tasks.filter((task) => JSON.stringify(task.nodeInfoList).includes(fragment)).map((task) => task.outcome);
}

/** The bytes behind a URL, for checks on magic numbers (the format is in the bytes, not the name). */
export async function downloadBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Downloads a result URL and decodes it: proof it is a real image. */
export async function downloadImage(url: string): Promise<{ format: 'jpeg' | 'png'; width: number; height: number }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const image = jpeg.decode(bytes, { useTArray: true });
    return { format: 'jpeg', width: image.width, height: image.height };
  }
  const image = PNG.sync.read(bytes);
  return { format: 'png', width: image.width, height: image.height };
}

/**
 * RunningHub's TASK_END webhook as it reaches POST /task/runninghub-callback: the task's token in
 * the query, the vendor's id (as text, 19 digits) and eventData (the /outputs answer as a string).
 */
export function runningHubWebhookCall(webhookToken: string, vendorTaskId: string): ApiCall {
  const eventData = JSON.stringify({ code: 0, msg: 'success', data: [] });
  return {
    method: 'POST',
    path: '/task/runninghub-callback',
    query: { token: webhookToken },
    headers: { 'content-type': 'application/json' },
    body: `{"event":"TASK_END","taskId":"${vendorTaskId}","eventData":${JSON.stringify(eventData)}}`,
  };
}

/** The sandbox's RunningHub record of one run: how it ended and how often it was asked to cancel. */
export async function runningHubRun(vendorTaskId: string): Promise<{ outcome: string | null; cancelCalls: number }> {
  const response = await fetch(`${sandboxUrl()}/_sandbox/runninghub/tasks`);
  const { tasks } = (await response.json()) as { tasks: { taskId: string; outcome: string | null; cancelCalls: number }[] };
  const task = tasks.find((candidate) => candidate.taskId === vendorTaskId);
  if (!task) throw new Error(`the sandbox has no RunningHub task ${vendorTaskId}`);
  return { outcome: task.outcome, cancelCalls: task.cancelCalls };
}
