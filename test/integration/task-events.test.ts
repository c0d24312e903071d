import { afterEach, describe, expect, it } from 'vitest';
import * as create from '../../functions/task/create';
import * as events from '../../functions/task/events';
import * as get from '../../functions/task/get';
import { config } from '../../shared/config';
import { execute } from '../../shared/db/pool';
import { findTaskAndEvents } from '../../shared/db/repositories/tasks';
import { runSweep, sweepSteps } from '../../shared/ops/sweeper';
import type { LastCheck } from '../../shared/ops/tasks';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { failTask } from '../../shared/tasks/lifecycle';
import { TaskFailure } from '../../shared/tasks/failures';
import { platforms, type Platform } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { finishRunningHubTask, heldTask, ledgerKinds, makePollDue, taskRow, uploadInput } from '../helpers/tasks';
import { statementsDuring } from '../helpers/statements';
import { createUser } from '../helpers/users';

/** The event trail (issue 10 item 4; shared/tasks/events.ts): GET /task/events/{taskId}, and `progress` + `logs` in GET /task/{taskId}. */
afterEach(async () => {
  await setFaults({ runninghub: 'ok', ci: 'ok', moderation: 'pass', garment: 'found' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

const poseBody = (key: string) => ({ type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'dress' } });
const cleanBody = (key: string) => ({ type: 'basic_clean', inputImageUrl: key, params: { template: 'white_bg' } });

interface EventEntry {
  kind: string;
  level: string;
  message: string;
  data?: Record<string, unknown>;
  createdAt: string;
}

async function trailOf(platform: Platform, token: string, taskId: string): Promise<EventEntry[]> {
  const answer = await platform.call(events, { method: 'GET', path: `/task/events/${taskId}`, token });
  if (answer.status !== 200) throw new Error(`GET /task/events/${taskId} answered ${answer.status}: ${answer.text}`);
  return (answer.json.data as unknown as { events: EventEntry[] }).events;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls (each poll due) until the trail says RunningHub is running the task. */
async function pollUntilRunning(platform: Platform, token: string, taskId: string): Promise<void> {
  for (let round = 0; round < 200; round += 1) {
    await makePollDue(taskId);
    await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
    if ((await trailOf(platform, token, taskId)).some((event) => event.kind === 'vendor_running')) return;
    await sleep(50);
  }
  throw new Error('RunningHub never reported the task running');
}

async function pollUntilSettled(platform: Platform, token: string, taskId: string) {
  for (;;) {
    await makePollDue(taskId);
    const answer = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
    if (answer.json.data?.status !== 'processing') return answer;
    await sleep(50);
  }
}

describe.each(platforms)('task event trail on $name', (platform) => {
  it('shows a pose task from creation through vendor progress and the 12 copied frames, in order, to done', async () => {
    // Arrange
    await setFaults({ runninghub: 'hang' });
    const { token } = await createUser({ quota: 2 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: poseBody(key) });
    await pollUntilRunning(platform, token, taskId);
    const whileRunning = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
    await finishRunningHubTask((await taskRow(taskId))?.vendor_task_id ?? '', 'success');

    // Act
    const finished = await pollUntilSettled(platform, token, taskId);
    const trail = await trailOf(platform, token, taskId);

    // Assert
    const frames = Array.from({ length: 12 }, () => 'frames_copied');
    // RunningHub reports QUEUED only during the run's first moments: a first poll may or may not see it.
    expect(trail.filter((event) => event.kind !== 'vendor_queued').map((event) => event.kind)).toEqual([
      'created',
      'quota_held',
      'input_checked',
      'moderation',
      'vendor_submitted',
      'vendor_running',
      ...frames,
      'done',
      'quota_confirmed',
    ]);
    expect(trail.filter((event) => event.kind === 'vendor_queued').length).toBeLessThanOrEqual(1);
    expect(trail.filter((event) => event.kind === 'frames_copied').map((event) => event.data)).toEqual(Array.from({ length: 12 }, (_, index) => ({ copied: index + 1, total: 12 })));
    expect(trail.find((event) => event.kind === 'frames_copied')?.message).toBe('已保存第 1/12 张图片');
    expect(trail.find((event) => event.kind === 'vendor_running')).toMatchObject({ level: 'info', message: '生成中' });
    const times = trail.map((event) => Date.parse(event.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Nothing of the vendor's: no ids, keys or URLs.
    expect(JSON.stringify(trail)).not.toMatch(/https?:|\d{19}|runninghub|apiKey/i);
    expect(whileRunning.json.data).toMatchObject({ status: 'processing', progress: 40 });
    expect(finished.json.data).toMatchObject({ status: 'done', progress: 100 });
    const logs = finished.json.data?.logs as unknown as EntryWithoutData[];
    expect(logs.map((log) => log.kind)).toEqual(trail.map((event) => event.kind));
    expect(logs[0]).toEqual({ kind: 'created', level: 'info', message: '任务已创建', createdAt: trail[0]?.createdAt });
  });

  it('adds progress and logs to GET /task/{id} beside the contract’s fields; a failed task’s trail names its code', async () => {
    // Arrange
    await setFaults({ moderation: 'block' });
    const { token } = await createUser({ quota: 2 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: cleanBody(key) });

    // Act
    const read = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });

    // Assert
    expect(read.json.data).toMatchObject({ id: taskId, status: 'failed', errorCode: 4001, progress: 100 });
    const logs = read.json.data?.logs as unknown as EntryWithoutData[];
    expect(logs.map((log) => [log.kind, log.message])).toEqual([
      ['created', '任务已创建'],
      ['quota_held', '已预扣 1 次配额'],
      ['input_checked', '图片检查通过'],
      ['moderation', '内容审核未通过'],
      ['failed', '任务失败(4001):内容不符合使用规范,已返还本次次数'],
      ['quota_released', '本次配额已返还'],
    ]);
    expect(logs.find((log) => log.kind === 'failed')?.level).toBe('error');
  });

  it('answers another user’s task events exactly like a missing task (404)', async () => {
    // Arrange
    const a = await createUser({ quota: 1 });
    const b = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, a.token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token: a.token, body: cleanBody(key) });

    // Act
    const own = await platform.call(events, { method: 'GET', path: `/task/events/${taskId}`, token: a.token });
    const foreign = await platform.call(events, { method: 'GET', path: `/task/events/${taskId}`, token: b.token });
    const missing = await platform.call(events, { method: 'GET', path: '/task/events/task_doesnotexist1', token: b.token });
    const malformed = await platform.call(events, { method: 'GET', path: '/task/events/..%2Fetc', token: b.token });

    // Assert
    expect(own.status).toBe(200);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error).toEqual({ ...missing.json.error, requestId: foreign.json.error?.requestId });
    expect(malformed.status).toBe(404);
  });
});

type EntryWithoutData = Omit<EventEntry, 'data'>;

describe.each(platforms)('the trail within create’s statement budget on $name (issue 9 item 4)', (platform) => {
  it('creates a basic_clean in at most 8 statements and a model_pose12 in at most 6, their trails complete', async () => {
    // Arrange
    await setFaults({ runninghub: 'hang' });
    const { token } = await createUser({ quota: 2 });
    const clean = await uploadInput(platform, token, jpegImage());
    const pose = await uploadInput(platform, token, jpegImage());

    // Act
    const cleanStatements = await statementsDuring(() => platform.call(create, { method: 'POST', path: '/task/create', token, body: cleanBody(clean.key) }));
    const poseStatements = await statementsDuring(() => platform.call(create, { method: 'POST', path: '/task/create', token, body: poseBody(pose.key) }));

    // Assert
    expect(cleanStatements).toBeLessThanOrEqual(8);
    expect(poseStatements).toBeLessThanOrEqual(6);
    const kinds = async (taskId: string) => (await trailOf(platform, token, taskId)).map((event) => event.kind);
    expect(await kinds(clean.taskId)).toEqual(['created', 'quota_held', 'input_checked', 'moderation', 'done', 'quota_confirmed']);
    expect(await kinds(pose.taskId)).toEqual(['created', 'quota_held', 'input_checked', 'moderation', 'vendor_submitted']);
  });
});

const storedTrail = async (taskId: string) => ((await findTaskAndEvents(taskId))?.events ?? []).map((event) => (event.data ? [event.kind, event.data] : [event.kind]));

describe('trail steps written by the statement that changes the task (migration 018)', () => {
  it('ends the trail of a task the sweeper times out with failed (3002) and quota_released', async () => {
    // Arrange
    const { user } = await createUser({ quota: 1 });
    const task = await heldTask(user.id);
    await execute('UPDATE tasks SET deadline_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [task.id]);
    const noVendorCalls: LastCheck = { needsCheck: () => false, check: () => Promise.reject(new Error('no vendor check expected')), failTimedOut: () => Promise.reject(new Error('no vendor check expected')) };
    const tasksStep = sweepSteps(config(), { lastCheck: noVendorCalls }).filter((step) => step.name === 'tasks');

    // Act
    await runSweep(tasksStep, Date.now() + 30_000);

    // Assert
    expect(await storedTrail(task.id)).toEqual([['created'], ['quota_held'], ['input_checked'], ['failed', { code: 3002 }], ['quota_released']]);
  });

  it('does not call a lapsed member’s release of 0 “returned”', async () => {
    // Arrange
    const { user } = await createUser({ quota: 1 });
    const task = await heldTask(user.id);
    await execute('UPDATE users SET member_expires_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id = ?', [user.id]);

    // Act
    const failed = await failTask(task, new TaskFailure(3001, 'test'), 'poll');

    // Assert
    expect(failed).toBe(true);
    expect(await ledgerKinds(task.id)).toEqual(['hold', 'release']);
    expect(await storedTrail(task.id)).toEqual([['created'], ['quota_held'], ['input_checked'], ['failed', { code: 3001 }]]);
  });
});
