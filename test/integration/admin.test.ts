import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as failedTasks from '../../functions/admin/failed-tasks';
import * as paymentAnomalies from '../../functions/admin/payment-anomalies';
import * as tasks from '../../functions/admin/tasks';
import * as users from '../../functions/admin/users';
import * as login from '../../functions/auth/login';
import * as me from '../../functions/auth/me';
import * as sendCode from '../../functions/auth/send-code';
import * as paymentCallback from '../../functions/membership/payment-callback';
import * as purchase from '../../functions/membership/purchase';
import { sandboxOpenidForCode } from '../../infra/sandbox/wechat-oauth';
import { maskPhone } from '../../shared/admin/queries';
import { issueToken, verifyToken } from '../../shared/auth/jwt';
import { config } from '../../shared/config';
import { execute, select } from '../../shared/db/pool';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { findUserById } from '../../shared/users';
import { platforms, type Platform } from '../helpers/events';
import { callbackCall, ledgerEntries, openPayPage, orderState, signedNotification } from '../helpers/payments';
import { latestSmsCode, uniqueIp, uniquePhone } from '../helpers/sandbox';
import { createUser } from '../helpers/users';

/** Keys of each list item in the contract (§11–13); extensions are listed separately so a rename shows. */
const contractUserKeys = ['createdAt', 'id', 'isMember', 'phone', 'quota_expireAt', 'quota_remaining'];
const contractTaskKeys = ['createdAt', 'id', 'status', 'type', 'userId'];
const contractFailedTaskKeys = ['createdAt', 'errorReason', 'id', 'status', 'type', 'userId'];
const failedTaskExtensions = ['errorCode'];
const isoDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface TaskSeed {
  status: 'processing' | 'done' | 'failed';
  type?: 'basic_clean' | 'model_pose12';
  createdAgoMinutes?: number;
  finishedAgoDays?: number;
  errorCode?: number;
  errorReason?: string;
}

async function insertTask(userId: string, seed: TaskSeed): Promise<string> {
  const id = `task_adm${randomBytes(8).toString('hex')}`;
  const type = seed.type ?? 'model_pose12';
  await execute(
    `INSERT INTO tasks (id, user_id, type, status, input_key, params, vendor, deadline_at, created_at, finished_at, error_code, error_reason)
     VALUES (?, ?, ?, ?, ?, '{}', ?, NOW(3) + INTERVAL 10 MINUTE, NOW(3) - INTERVAL ? MINUTE,
             IF(? IS NULL, NULL, NOW(3) - INTERVAL ? DAY), ?, ?)`,
    [
      id,
      userId,
      type,
      seed.status,
      `input/${userId}/${id}/original.jpg`,
      type === 'basic_clean' ? 'ci' : 'runninghub',
      seed.createdAgoMinutes ?? 0,
      seed.finishedAgoDays ?? null,
      seed.finishedAgoDays ?? 0,
      seed.errorCode ?? null,
      seed.errorReason ?? null,
    ],
  );
  return id;
}

async function makeAdmin(): Promise<{ id: string; token: string }> {
  const { user } = await createUser();
  await execute("UPDATE users SET role = 'admin', token_version = token_version + 1 WHERE id = ?", [user.id]);
  const admin = await findUserById(user.id);
  if (!admin) throw new Error('admin vanished');
  return { id: admin.id, token: await issueToken({ userId: admin.id, tokenVersion: admin.token_version, role: 'admin' }) };
}

/** A pending order of a fresh user on that channel, known to its platform (an Alipay payUrl is opened). */
async function pendingOrder(platform: Platform, channel: 'wx' | 'alipay'): Promise<{ userId: string; orderId: string }> {
  const { user, token } = await createUser();
  const body = channel === 'wx' ? { channel, openid: sandboxOpenidForCode('admin-anomalies') } : { channel };
  const result = await platform.call(purchase, { method: 'POST', path: '/membership/purchase', body, token });
  if (result.status !== 200) throw new Error(`purchase failed: ${result.text}`);
  const payUrl = (result.json.data?.payParams as { payUrl?: string }).payUrl;
  if (payUrl) await openPayPage(payUrl);
  return { userId: user.id, orderId: String(result.json.data?.orderId) };
}

const anomalyKeys = [
  'channel',
  'createdAt',
  'id',
  'lastSeenAt',
  'occurrences',
  'orderId',
  'outTradeNo',
  'platformState',
  'platformTradeNo',
  'reason',
  'reportedAmountFen',
  'reportedAppId',
  'reportedCurrency',
  'reportedMerchantId',
  'source',
];

const countOf = async (sql: string, params: unknown[] = []) => Number((await select<{ n: number | string }>(sql, params as never[]))[0]?.n ?? 0);

describe('maskPhone', () => {
  it('keeps the first three and last four digits', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('1234')).toBe('**34');
  });
});

describe.each(platforms)('admin endpoints on $name', (platform) => {
  let admin: { id: string; token: string };
  let member: Awaited<ReturnType<typeof createUser>>;
  let plain: Awaited<ReturnType<typeof createUser>>;
  let lapsed: Awaited<ReturnType<typeof createUser>>;

  beforeAll(async () => {
    admin = await makeAdmin();
    member = await createUser({ quota: 92 });
    plain = await createUser();
    lapsed = await createUser({ quota: 40 });
    // Lapsed a minute ago and never swept: it must still read as a non-member with quota 0.
    await execute('UPDATE users SET member_expires_at = NOW(3) - INTERVAL 1 MINUTE WHERE id = ?', [lapsed.user.id]);
  });

  describe('GET /admin/users', () => {
    it('lists users field for field, phones masked, newest first', async () => {
      // Act
      const result = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token, query: { limit: '100' } });

      // Assert
      expect(result.status).toBe(200);
      expect(result.json.success).toBe(true);
      const data = result.json.data as { users: Record<string, unknown>[]; total: number; limit: number; offset: number };
      expect(Object.keys(data).sort()).toEqual(['limit', 'offset', 'total', 'users']);
      expect(data.total).toBe(await countOf('SELECT COUNT(*) AS n FROM users'));
      expect(data.limit).toBe(100);
      expect(data.offset).toBe(0);
      for (const user of data.users) {
        expect(Object.keys(user).sort()).toEqual(contractUserKeys);
        expect(user.phone).toMatch(/^1\d\d\*{4}\d{4}$/);
        expect(user.createdAt).toMatch(isoDate);
      }
      const byId = new Map(data.users.map((user) => [user.id, user]));
      expect(byId.get(member.user.id)).toEqual({
        id: member.user.id,
        phone: maskPhone(member.user.phone),
        isMember: true,
        quota_remaining: 92,
        quota_expireAt: expect.stringMatching(isoDate),
        createdAt: expect.stringMatching(isoDate),
      });
      expect(byId.get(plain.user.id)).toMatchObject({ isMember: false, quota_remaining: 0, quota_expireAt: null });
      expect(byId.get(lapsed.user.id)).toMatchObject({ isMember: false, quota_remaining: 0, quota_expireAt: expect.stringMatching(isoDate) });
      const created = data.users.map((user) => String(user.createdAt));
      expect([...created].sort().reverse()).toEqual(created);
      expect(result.text).not.toContain(member.user.phone);
    });

    it('filters by isMember', async () => {
      // Act
      const members = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token, query: { isMember: 'true', limit: '100' } });
      const others = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token, query: { isMember: 'false', limit: '100' } });

      // Assert
      const memberList = (members.json.data?.users ?? []) as { id: string; isMember: boolean }[];
      const otherList = (others.json.data?.users ?? []) as { id: string; isMember: boolean }[];
      expect(memberList.every((user) => user.isMember)).toBe(true);
      expect(otherList.every((user) => !user.isMember)).toBe(true);
      expect(memberList.map((user) => user.id)).toContain(member.user.id);
      expect(otherList.map((user) => user.id)).toEqual(expect.arrayContaining([plain.user.id, lapsed.user.id]));
      expect(Number(members.json.data?.total) + Number(others.json.data?.total)).toBe(await countOf('SELECT COUNT(*) AS n FROM users'));
    });

    it('pages with limit and offset and caps the limit at 100', async () => {
      // Act
      const first = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token, query: { limit: '2', offset: '0' } });
      const second = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token, query: { limit: '2', offset: '2' } });
      const huge = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token, query: { limit: '100000' } });
      const defaults = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token });

      // Assert
      const ids = (page: typeof first) => ((page.json.data?.users ?? []) as { id: string }[]).map((user) => user.id);
      expect(ids(first)).toHaveLength(2);
      expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
      expect(second.json.data).toMatchObject({ limit: 2, offset: 2 });
      expect(huge.json.data?.limit).toBe(100);
      expect(defaults.json.data).toMatchObject({ limit: 20, offset: 0 });
    });

    it('refuses bad query values with 400 naming the field', async () => {
      // Act
      const result = await platform.call(users, { method: 'GET', path: '/admin/users', token: admin.token, query: { limit: '-1', isMember: 'maybe' } });

      // Assert
      expect(result.status).toBe(400);
      expect(result.json.error?.details?.map((issue) => issue.field).sort()).toEqual(['isMember', 'limit']);
    });
  });

  describe('GET /admin/tasks', () => {
    it('lists tasks field for field and filters by status and userId', async () => {
      // Arrange
      const { user } = await createUser({ quota: 5 });
      const done = await insertTask(user.id, { status: 'done', createdAgoMinutes: 3 });
      const processing = await insertTask(user.id, { status: 'processing', type: 'basic_clean', createdAgoMinutes: 2 });
      const failed = await insertTask(user.id, { status: 'failed', createdAgoMinutes: 1, finishedAgoDays: 0, errorCode: 3002, errorReason: '生成超时,已返还配额' });

      // Act
      const all = await platform.call(tasks, { method: 'GET', path: '/admin/tasks', token: admin.token, query: { userId: user.id } });
      const onlyDone = await platform.call(tasks, { method: 'GET', path: '/admin/tasks', token: admin.token, query: { userId: user.id, status: 'done' } });
      const everyone = await platform.call(tasks, { method: 'GET', path: '/admin/tasks', token: admin.token, query: { status: 'processing', limit: '100' } });

      // Assert
      expect(all.status).toBe(200);
      const data = all.json.data as { tasks: Record<string, unknown>[]; total: number; limit: number; offset: number };
      expect(Object.keys(data).sort()).toEqual(['limit', 'offset', 'tasks', 'total']);
      expect(data).toMatchObject({ total: 3, limit: 20, offset: 0 });
      for (const task of data.tasks) expect(Object.keys(task).sort()).toEqual(contractTaskKeys);
      expect(data.tasks.map((task) => task.id)).toEqual([failed, processing, done]);
      expect(data.tasks[2]).toEqual({ id: done, userId: user.id, type: 'model_pose12', status: 'done', createdAt: expect.stringMatching(isoDate) });
      expect(onlyDone.json.data).toMatchObject({ total: 1, tasks: [{ id: done, status: 'done' }] });
      const processingList = (everyone.json.data?.tasks ?? []) as { id: string; status: string }[];
      expect(processingList.every((task) => task.status === 'processing')).toBe(true);
      expect(processingList.map((task) => task.id)).toContain(processing);
      expect(everyone.json.data?.total).toBe(await countOf("SELECT COUNT(*) AS n FROM tasks WHERE status = 'processing'"));
    });

    it('refuses an unknown status with 400', async () => {
      const result = await platform.call(tasks, { method: 'GET', path: '/admin/tasks', token: admin.token, query: { status: 'stuck' } });
      expect(result.status).toBe(400);
      expect(result.json.error?.details?.[0]?.field).toBe('status');
    });
  });

  describe('GET /admin/failed-tasks', () => {
    it('lists tasks that failed in the last `days` days, newest failure first', async () => {
      // Arrange
      const { user } = await createUser({ quota: 5 });
      const recent = await insertTask(user.id, { status: 'failed', finishedAgoDays: 0, errorCode: 3002, errorReason: '生成超时,已返还配额' });
      const older = await insertTask(user.id, { status: 'failed', finishedAgoDays: 2, errorCode: 3003, errorReason: 'AI服务暂时不可用,请重试' });
      const ancient = await insertTask(user.id, { status: 'failed', finishedAgoDays: 30, errorCode: 3001, errorReason: '图像处理失败,请重试' });

      // Act
      const lastDay = await platform.call(failedTasks, { method: 'GET', path: '/admin/failed-tasks', token: admin.token, query: { days: '1', limit: '100' } });
      const lastWeek = await platform.call(failedTasks, { method: 'GET', path: '/admin/failed-tasks', token: admin.token, query: { limit: '100' } });
      const one = await platform.call(failedTasks, { method: 'GET', path: '/admin/failed-tasks', token: admin.token, query: { days: '90', limit: '1' } });

      // Assert
      expect(lastWeek.status).toBe(200);
      const data = lastWeek.json.data as { tasks: Record<string, unknown>[]; total: number };
      expect(Object.keys(data).sort()).toEqual(['tasks', 'total']);
      for (const task of data.tasks) expect(Object.keys(task).sort()).toEqual([...contractFailedTaskKeys, ...failedTaskExtensions].sort());
      const ids = data.tasks.map((task) => task.id);
      expect(ids).toEqual(expect.arrayContaining([recent, older]));
      expect(ids).not.toContain(ancient);
      expect(ids.indexOf(recent)).toBeLessThan(ids.indexOf(older));
      expect(data.tasks.find((task) => task.id === recent)).toEqual({
        id: recent,
        userId: user.id,
        type: 'model_pose12',
        status: 'failed',
        errorCode: 3002,
        errorReason: '生成超时,已返还配额',
        createdAt: expect.stringMatching(isoDate),
      });
      expect(data.total).toBe(await countOf("SELECT COUNT(*) AS n FROM tasks WHERE status = 'failed' AND finished_at >= NOW(3) - INTERVAL 7 DAY"));
      const lastDayIds = ((lastDay.json.data?.tasks ?? []) as { id: string }[]).map((task) => task.id);
      expect(lastDayIds).toContain(recent);
      expect(lastDayIds).not.toContain(older);
      expect((one.json.data?.tasks as unknown[]).length).toBe(1);
      expect(Number(one.json.data?.total)).toBeGreaterThanOrEqual(3);
    });
  });

  describe('GET /admin/payment-anomalies', () => {
    const listAnomalies = (query: Record<string, string> = {}) => platform.call(paymentAnomalies, { method: 'GET', path: '/admin/payment-anomalies', token: admin.token, query });
    const idsOf = (result: Awaited<ReturnType<typeof listAnomalies>>) => ((result.json.data?.anomalies ?? []) as { outTradeNo: string }[]).map((anomaly) => anomaly.outTradeNo);

    it('a signed wrong-amount notification from either platform is acknowledged, recorded and listed, newest first; a forged one is refused and not listed', async () => {
      // Arrange
      const wechat = await pendingOrder(platform, 'wx');
      const alipay = await pendingOrder(platform, 'alipay');
      const forged = await pendingOrder(platform, 'wx');
      const wrongWechat = await signedNotification(wechat.orderId, { transaction: { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } } });
      const wrongAlipay = await signedNotification(alipay.orderId, { params: { total_amount: '0.01' } });
      const genuine = await signedNotification(forged.orderId);
      const tampered = { ...genuine, body: genuine.body.replace('"summary":"支付成功"', '"summary":"支付成功 "') };

      // Act
      const wechatReply = await platform.call(paymentCallback, callbackCall(wrongWechat));
      const alipayReply = await platform.call(paymentCallback, callbackCall(wrongAlipay));
      const forgedReply = await platform.call(paymentCallback, callbackCall(tampered));
      const listed = await listAnomalies({ limit: '100' });

      // Assert: acknowledged so the platforms stop; the forgery still refused
      expect([wechatReply.status, wechatReply.text]).toEqual([204, '']);
      expect([alipayReply.status, alipayReply.text]).toEqual([200, 'success']);
      expect(forgedReply.status).toBe(401);
      expect(forgedReply.json).toEqual({ code: 'FAIL', message: expect.any(String) });
      // nothing credited anywhere
      for (const order of [wechat, alipay, forged]) {
        expect(await ledgerEntries(order.userId)).toEqual([]);
        expect((await orderState(order.orderId))?.status).toBe('pending');
      }
      // listed for admins
      expect(listed.status).toBe(200);
      const data = listed.json.data as { anomalies: Record<string, unknown>[]; total: number; limit: number; offset: number; days: number };
      expect(Object.keys(data).sort()).toEqual(['anomalies', 'days', 'limit', 'offset', 'total']);
      expect(data).toMatchObject({ limit: 100, offset: 0, days: 30 });
      expect(data.total).toBe(await countOf('SELECT COUNT(*) AS n FROM payment_anomalies WHERE created_at >= UTC_TIMESTAMP(3) - INTERVAL 30 DAY'));
      for (const anomaly of data.anomalies) {
        expect(Object.keys(anomaly).sort()).toEqual(anomalyKeys);
        expect(anomaly.createdAt).toMatch(isoDate);
      }
      const ids = idsOf(listed);
      expect(ids).toEqual(expect.arrayContaining([wechat.orderId, alipay.orderId]));
      expect(ids).not.toContain(forged.orderId);
      expect(ids.indexOf(alipay.orderId)).toBeLessThan(ids.indexOf(wechat.orderId));
      expect(data.anomalies.find((anomaly) => anomaly.outTradeNo === wechat.orderId)).toEqual({
        id: expect.any(Number),
        channel: 'wx',
        orderId: wechat.orderId,
        outTradeNo: wechat.orderId,
        platformTradeNo: expect.stringMatching(/^4200\d{24}$/),
        reason: 'amount mismatch',
        source: 'notification',
        platformState: 'SUCCESS',
        reportedAmountFen: 1,
        reportedCurrency: 'CNY',
        reportedAppId: expect.any(String),
        reportedMerchantId: expect.any(String),
        occurrences: 1,
        createdAt: expect.stringMatching(isoDate),
        lastSeenAt: expect.stringMatching(isoDate),
      });
      expect(data.anomalies.find((anomaly) => anomaly.outTradeNo === alipay.orderId)).toMatchObject({ channel: 'alipay', reason: 'amount mismatch', reportedAmountFen: 1, occurrences: 1 });
      expect(await checkLedgerInvariants()).toEqual([]);
    });

    it('`days` leaves older anomalies out; limit and offset page; bad values answer 400 naming the field', async () => {
      // Arrange: an anomaly first recorded 40 days ago
      const old = await pendingOrder(platform, 'alipay');
      await platform.call(paymentCallback, callbackCall(await signedNotification(old.orderId, { params: { seller_id: '2088999999999999' } })));
      await execute('UPDATE payment_anomalies SET created_at = created_at - INTERVAL 40 DAY, last_seen_at = last_seen_at - INTERVAL 40 DAY WHERE out_trade_no = ?', [old.orderId]);
      const recent = await pendingOrder(platform, 'alipay');
      await platform.call(paymentCallback, callbackCall(await signedNotification(recent.orderId, { params: { total_amount: '1.00' } })));

      // Act
      const lastMonth = await listAnomalies({ limit: '100' });
      const lastQuarter = await listAnomalies({ days: '90', limit: '100' });
      const first = await listAnomalies({ days: '90', limit: '1', offset: '0' });
      const second = await listAnomalies({ days: '90', limit: '1', offset: '1' });
      const bad = await listAnomalies({ days: '0', offset: '-1' });

      // Assert
      expect(idsOf(lastMonth)).toContain(recent.orderId);
      expect(idsOf(lastMonth)).not.toContain(old.orderId);
      expect(idsOf(lastQuarter)).toEqual(expect.arrayContaining([recent.orderId, old.orderId]));
      expect(idsOf(first)).toHaveLength(1);
      expect(idsOf(second)).toHaveLength(1);
      expect(idsOf(second)[0]).not.toBe(idsOf(first)[0]);
      expect(Number(first.json.data?.total)).toBe(idsOf(lastQuarter).length);
      expect(bad.status).toBe(400);
      expect(bad.json.error?.details?.map((issue) => issue.field).sort()).toEqual(['days', 'offset']);
      expect(await checkLedgerInvariants()).toEqual([]);
    });
  });

  describe('access', () => {
    it.each([
      ['/admin/users', users],
      ['/admin/tasks', tasks],
      ['/admin/failed-tasks', failedTasks],
      ['/admin/payment-anomalies', paymentAnomalies],
    ] as const)('%s answers a non-admin with 403 and one without a token with 401', async (path, fn) => {
      // Act
      const forUser = await platform.call(fn, { method: 'GET', path, token: member.token });
      const anonymous = await platform.call(fn, { method: 'GET', path });

      // Assert
      expect(forUser.status).toBe(403);
      expect(forUser.json).toEqual({ success: false, error: { code: 1006, message: '权限不足', requestId: expect.any(String) } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.json.error?.code).toBe(1001);
    });

    it('gives an admin who logs in by SMS a token that lives ADMIN_JWT_TTL_SECONDS, shorter than a user token', async () => {
      // Arrange: one admin and one ordinary user, each with a login code
      const loginToken = async (role: 'admin' | 'user') => {
        const phone = uniquePhone();
        const { user } = await createUser();
        await execute('UPDATE users SET phone = ?, role = ? WHERE id = ?', [phone, role, user.id]);
        await platform.call(sendCode, { method: 'POST', path: '/auth/send-code', body: { phone }, sourceIp: uniqueIp() });
        const loggedIn = await platform.call(login, { method: 'POST', path: '/auth/login', body: { phone, code: await latestSmsCode(phone) }, sourceIp: uniqueIp() });
        return String(loggedIn.json.data?.token);
      };
      const lifetime = (token: string) => {
        const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { iat: number; exp: number };
        return payload.exp - payload.iat;
      };

      // Act
      const [adminToken, userToken] = await Promise.all([loginToken('admin'), loginToken('user')]);

      // Assert
      expect(lifetime(adminToken)).toBe(config().ADMIN_JWT_TTL_SECONDS);
      expect(lifetime(userToken)).toBe(config().JWT_TTL_SECONDS);
      expect(lifetime(adminToken)).toBeLessThan(lifetime(userToken));
      expect((await platform.call(users, { method: 'GET', path: '/admin/users', token: adminToken })).status).toBe(200);
    });
  });
});

describe('npm run admin', () => {
  const runCli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      encoding: 'utf8',
      env: { ...process.env, APP_ENV: 'test', LOG_LEVEL: 'SILENT' },
      timeout: 30_000,
    });

  it('grants admin (revoking older tokens), prints a short-lived admin token on request, and demotes', async () => {
    // Arrange: a user who already holds a user token
    const phone = uniquePhone();
    const { user, token: userToken } = await (async () => {
      const created = await createUser();
      await execute('UPDATE users SET phone = ? WHERE id = ?', [phone, created.user.id]);
      return created;
    })();

    // Act
    const granted = runCli('grant', phone, '--token');
    const adminToken = granted.stdout.trim();
    const listed = await platforms[0]?.call(users, { method: 'GET', path: '/admin/users', token: adminToken });
    const oldToken = await platforms[0]?.call(me, { method: 'GET', path: '/auth/me', token: userToken });
    const grantedAgain = runCli('grant', phone);
    const demoted = runCli('demote', phone);
    const demotedAgain = runCli('demote', phone);
    const afterDemote = await platforms[0]?.call(users, { method: 'GET', path: '/admin/users', token: adminToken });

    // Assert
    expect(granted.status, granted.stderr).toBe(0);
    expect(granted.stderr).toContain('is now an admin');
    expect(listed?.status).toBe(200);
    expect(oldToken?.status).toBe(401);
    const claims = await verifyToken(adminToken);
    expect(claims).toMatchObject({ userId: user.id, role: 'admin' });
    const [payload] = adminToken.split('.').slice(1, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as { iat: number; exp: number });
    expect((payload?.exp ?? 0) - (payload?.iat ?? 0)).toBe(3600);
    expect(grantedAgain.stderr).toContain('already an admin');
    expect(demoted.status).toBe(0);
    expect(demoted.stdout).toContain('no longer an admin');
    expect(demotedAgain.stdout).toContain('was not an admin');
    expect(afterDemote?.status).toBe(401);
    expect((await findUserById(user.id))?.role).toBe('user');
  });

  it('revoke ends every session of any user, admin or not, and leaves the role alone', async () => {
    // Arrange: a normal user with a working token
    const phone = uniquePhone();
    const { user, token } = await (async () => {
      const created = await createUser();
      await execute('UPDATE users SET phone = ? WHERE id = ?', [phone, created.user.id]);
      return created;
    })();
    const before = await platforms[0]?.call(me, { method: 'GET', path: '/auth/me', token });

    // Act
    const revoked = runCli('revoke', phone);
    const after = await platforms[0]?.call(me, { method: 'GET', path: '/auth/me', token });

    // Assert
    expect(before?.status).toBe(200);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain('every session');
    expect(after?.status).toBe(401);
    expect((await findUserById(user.id))?.role).toBe('user');
  });

  it('refuses bad input and unknown phones with exit code 1', () => {
    expect(runCli('grant', '12345').status).toBe(1);
    expect(runCli('promote', '13800138000').stderr).toContain('usage');
    expect(runCli('revoke', '13800138000', '--token').status).toBe(1);
    expect(runCli('demote', '13800138000', '--token').status).toBe(1);
    expect(runCli('revoke', '13912345678').stderr).toContain('no user');
    expect(runCli('demote', '13912345678').stderr).toContain('no user');
  });
});
