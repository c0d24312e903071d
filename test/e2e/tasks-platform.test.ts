import Ajv from 'ajv';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, stackLedgerProblems, startStack, type RunningStack } from '../helpers/stack';
import { buyWithAlipay, logIn, quotaOf, sandboxCall, uploadPhoto } from '../helpers/stack-steps';

/**
 * Issue 10's "done when" against `npm run dev`: the catalogue's schema accepts what create accepts
 * and refuses what it refuses; a model_pose12 cancelled mid-run ends cancelled with its quota back and
 * its RunningHub run cancelled in the sandbox; a failed task retried ends done with a new id.
 * RunningHub runs take 10 minutes here, so a run is always mid-run when it is cancelled.
 */
let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack({ SANDBOX_RUNNINGHUB_DELAY_MS: '600000' });
});

afterEach(async () => {
  await sandbox('/_sandbox/faults', { moderation: 'pass' });
  expect(await stackLedgerProblems(stack)).toEqual([]);
});

afterAll(async () => {
  await stack?.stop();
});

const sandbox = (path: string, body?: unknown) => sandboxCall(stack, path, body);

async function loginAndBuy(phone: string): Promise<string> {
  const token = await logIn(stack, phone);
  const bought = await buyWithAlipay(stack, token);
  expect([bought.pageStatus, bought.paid.status]).toEqual([200, 200]);
  return token;
}

const upload = async (token: string): Promise<string> => (await uploadPhoto(stack, token)).key;
const quota = (token: string) => quotaOf(stack, token);

describe('tasks as a platform on the local stack (npm run dev)', () => {
  it('serves a catalogue whose schema accepts what create accepts and refuses what it refuses', async () => {
    // Arrange
    const token = await loginAndBuy('13700000101');
    const key = await upload(token);
    const catalogue = await api(stack.api, 'GET', '/abilities');
    const abilities = (catalogue.json.data?.abilities ?? []) as { id: string; inputSchema: Record<string, unknown> }[];
    const ajv = new Ajv();
    const accepts = (body: unknown) => abilities.some((ability) => ajv.validate(ability.inputSchema, body) === true);
    const refused = [
      { type: 'basic_clean', inputImageUrl: key, params: { template: 'beach' } },
      { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street' } },
      { type: 'video', inputImageUrl: key },
    ];
    const accepted = { type: 'basic_clean', inputImageUrl: key, params: { template: 'studio' } };

    // Act
    const refusals = await Promise.all(refused.map((body) => api(stack.api, 'POST', '/task/create', { token, body })));
    const created = await api(stack.api, 'POST', '/task/create', { token, body: accepted });

    // Assert
    expect(abilities.map((ability) => ability.id)).toEqual(['basic_clean', 'model_pose12']);
    expect(refused.map(accepts)).toEqual([false, false, false]);
    expect(refusals.map((answer) => answer.status)).toEqual([400, 400, 400]);
    expect(accepts(accepted)).toBe(true);
    expect(created.json.data?.status).toBe('done');
  });

  it('cancels a model_pose12 mid-run: cancelled, quota back, the RunningHub run cancelled in the sandbox', async () => {
    // Arrange
    const token = await loginAndBuy('13700000102');
    const key = await upload(token);
    const created = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'studio', category: 'coat' } } });
    const taskId = String(created.json.data?.taskId);
    const quotaWhileRunning = await quota(token);

    // Act
    const cancelled = await api(stack.api, 'POST', `/task/cancel/${taskId}`, { token });

    // Assert
    expect(created.json.data?.status).toBe('processing');
    expect(cancelled.json.data).toMatchObject({ id: taskId, status: 'cancelled', errorCode: 3004 });
    expect([quotaWhileRunning, await quota(token)]).toEqual([99, 100]);
    const runs = (await sandbox('/_sandbox/runninghub/tasks')).json.tasks as { nodeInfoList: unknown; outcome: string | null; cancelCalls: number }[];
    const run = runs.find((candidate) => JSON.stringify(candidate.nodeInfoList).includes(taskId));
    expect([run?.outcome, run?.cancelCalls]).toEqual(['cancelled', 1]);
  });

  it('retries a failed task: it ends done with a new id', async () => {
    // Arrange
    const token = await loginAndBuy('13700000103');
    const key = await upload(token);
    await sandbox('/_sandbox/faults', { moderation: 'block' });
    const failed = await api(stack.api, 'POST', '/task/create', { token, body: { type: 'basic_clean', inputImageUrl: key } });
    await sandbox('/_sandbox/faults', { moderation: 'pass' });
    const originalTaskId = key.split('/')[2];

    // Act
    const retried = await api(stack.api, 'POST', `/task/retry/${originalTaskId}`, { token });
    const read = await api(stack.api, 'GET', `/task/${String(retried.json.data?.taskId)}`, { token });

    // Assert
    expect(failed.json.error?.code).toBe(4001);
    expect(retried.json.data).toMatchObject({ status: 'done', originalTaskId });
    expect(retried.json.data?.taskId).not.toBe(originalTaskId);
    expect(read.json.data?.status).toBe('done');
    expect(await quota(token)).toBe(99);
  });
});
