import { afterEach, describe, expect, it } from 'vitest';
import * as costs from '../../functions/admin/costs';
import * as vendorStatusEndpoint from '../../functions/admin/vendor-status';
import * as cancel from '../../functions/task/cancel';
import * as create from '../../functions/task/create';
import * as get from '../../functions/task/get';
import { issueToken } from '../../shared/auth/jwt';
import { execute, select } from '../../shared/db/pool';
import { vendorStatus } from '../../shared/admin/vendor-status';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { TaskFailure } from '../../shared/tasks/failures';
import { failTask } from '../../shared/tasks/lifecycle';
import { findUserById } from '../../shared/users';
import { cosObjectStore } from '../../shared/vendors/cos';
import { runningHubClient } from '../../shared/vendors/runninghub';
import { createPorts } from '../../shared/wiring/task-create';
import { platforms, type Platform } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { setFaults } from '../helpers/sandbox';
import { finishRunningHubTask, heldTask, makePollDue, sandboxUrl, taskRow, uploadInput } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/** GET /admin/vendor-status and GET /admin/costs (admins only). */
afterEach(async () => {
  await setFaults({ runninghub: 'ok' });
  expect(await checkLedgerInvariants()).toEqual([]);
});

async function makeAdmin(): Promise<{ id: string; token: string }> {
  const { user } = await createUser();
  await execute("UPDATE users SET role = 'admin', token_version = token_version + 1 WHERE id = ?", [user.id]);
  const admin = await findUserById(user.id);
  if (!admin) throw new Error('admin vanished');
  return { id: admin.id, token: await issueToken({ userId: admin.id, tokenVersion: admin.token_version, role: 'admin' }) };
}

/** A model_pose12 task that RunningHub finished and a poll completed: it records coins and run seconds. */
async function donePoseTask(platform: Platform, token: string): Promise<string> {
  await setFaults({ runninghub: 'hang' });
  const { taskId, key } = await uploadInput(platform, token, jpegImage());
  await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'studio', category: 'coat' } } });
  await finishRunningHubTask((await taskRow(taskId))?.vendor_task_id ?? '', 'success');
  await makePollDue(taskId);
  const polled = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
  expect(polled.json.data?.status).toBe('done');
  return taskId;
}

describe.each(platforms)('admin vendor status and costs on $name', (platform) => {
  it('shows RunningHub’s account, and COS and CI answering, each with its latency', async () => {
    // Arrange
    const admin = await makeAdmin();

    // Act
    const answer = await platform.call(vendorStatusEndpoint, { method: 'GET', path: '/admin/vendor-status', token: admin.token });

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.json.data).toMatchObject({
      runningHub: { ok: true, latencyMs: expect.any(Number), account: { remainCoins: '99999', currentTaskCounts: expect.any(Number), currency: 'CNY' } },
      cos: { ok: true, latencyMs: expect.any(Number) },
      ci: { ok: true, latencyMs: expect.any(Number) },
    });
  });

  it('refuses a user who is not an admin (1006)', async () => {
    // Arrange
    const { token } = await createUser();

    // Act
    const status = await platform.call(vendorStatusEndpoint, { method: 'GET', path: '/admin/vendor-status', token });
    const spend = await platform.call(costs, { method: 'GET', path: '/admin/costs', token });

    // Assert
    expect([status.status, status.json.error?.code, spend.status, spend.json.error?.code]).toEqual([403, 1006, 403, 1006]);
  });

  it('sums RunningHub coins and run seconds by day and type, with tasks counted by outcome', async () => {
    // Arrange: on a day of their own (per platform), a done, a cancelled and a failed pose task
    const admin = await makeAdmin();
    const { user, token } = await createUser({ quota: 4 });
    const done = await donePoseTask(platform, token);
    const { taskId: cancelled, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'model_pose12', inputImageUrl: key, params: { scene: 'street', category: 'dress' } } });
    await platform.call(cancel, { method: 'POST', path: `/task/cancel/${cancelled}`, token });
    const failed = await heldTask(user.id, { type: 'model_pose12' });
    await failTask(failed, new TaskFailure(3003, 'test'), 'poll');
    const day = platform.name.startsWith('AWS') ? '2021-03-04' : '2021-03-05';
    await execute(`UPDATE tasks SET created_at = ? WHERE id IN (?, ?, ?)`, [new Date(`${day}T08:00:00Z`), done, cancelled, failed.id]);
    const [recorded] = await select<{ vendor_cost: string; vendor_run_seconds: number }>('SELECT vendor_cost, vendor_run_seconds FROM tasks WHERE id = ?', [done]);

    // Act
    const answer = await platform.call(costs, { method: 'GET', path: '/admin/costs', token: admin.token, query: { from: day, to: day } });

    // Assert
    expect(answer.status).toBe(200);
    expect(recorded?.vendor_cost).toBe('12');
    expect(recorded?.vendor_run_seconds).toBeGreaterThanOrEqual(1);
    expect(answer.json.data).toEqual({
      from: day,
      to: day,
      days: [{ day, type: 'model_pose12', coins: 12, runSeconds: recorded?.vendor_run_seconds, tasks: { processing: 0, done: 1, failed: 1, cancelled: 1, total: 3 } }],
      totals: { coins: 12, runSeconds: recorded?.vendor_run_seconds, tasks: 3 },
    });
  });

  it('refuses a reversed or too long range, naming the field', async () => {
    // Arrange
    const admin = await makeAdmin();

    // Act
    const reversed = await platform.call(costs, { method: 'GET', path: '/admin/costs', token: admin.token, query: { from: '2021-03-05', to: '2021-03-04' } });
    const tooLong = await platform.call(costs, { method: 'GET', path: '/admin/costs', token: admin.token, query: { from: '2021-01-01', to: '2021-12-31' } });
    const notADay = await platform.call(costs, { method: 'GET', path: '/admin/costs', token: admin.token, query: { from: '2021-02-30' } });

    // Assert
    expect([reversed.status, reversed.json.error?.details?.[0]?.field]).toEqual([400, 'from']);
    expect([tooLong.status, tooLong.json.error?.details?.[0]?.field]).toEqual([400, 'to']);
    expect([notADay.status, notADay.json.error?.details?.[0]?.field]).toEqual([400, 'from']);
  });
});

describe('vendor status when vendors fail', () => {
  it('shows ok:false with the error code for each vendor that fails, and still answers', async () => {
    // Arrange: RunningHub with a wrong key, COS on a port nobody listens on; CI as wired (up)
    const ports = {
      runningHub: runningHubClient({ baseUrl: sandboxUrl(), apiKey: 'wrong-key-000000000000000000000000' }),
      store: cosObjectStore({ secretId: 'AKIDx', secretKey: 'x', bucket: 'ai-photo-local-1250000000', region: 'ap-guangzhou', baseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 }),
      ci: createPorts.ci,
    };

    // Act
    const status = await vendorStatus(ports);

    // Assert
    expect(status.runningHub).toEqual({ ok: false, latencyMs: expect.any(Number), error: 'APIKEY_UNAUTHORIZED' });
    expect(status.cos).toEqual({ ok: false, latencyMs: expect.any(Number), error: 'NetworkError' });
    expect(status.ci.ok).toBe(true);
  });
});
