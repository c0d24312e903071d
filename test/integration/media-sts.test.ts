import { describe, expect, it } from 'vitest';
import * as sts from '../../functions/media/sts';
import { platforms } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { putFailure, putWithKeys, uploadKeys } from '../helpers/tasks';
import { createUser } from '../helpers/users';

describe.each(platforms)('GET /media/sts on $name', (platform) => {
  it('mints a task id and keys that upload a real JPEG under input/{userId}/{taskId}/ only', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });

    // Act
    const keys = await uploadKeys(platform, token);
    await putWithKeys(keys, `${keys.allowPrefix}original.jpg`, jpegImage());
    const otherTask = await putFailure(keys, `input/${user.id}/task_someotherid1/original.jpg`, jpegImage());
    const outsideInput = await putFailure(keys, `output/${user.id}/${keys.taskId}/result.jpg`, jpegImage());

    // Assert
    expect(keys.taskId).toMatch(/^task_[A-Za-z0-9]{24}$/);
    expect(keys).toEqual({
      credentials: { tmpSecretId: expect.any(String), tmpSecretKey: expect.any(String), sessionToken: expect.any(String), expiredTime: keys.expiredTime },
      expiredTime: expect.any(Number),
      bucket: 'ai-photo-local-1250000000',
      region: 'ap-guangzhou',
      allowPrefix: `input/${user.id}/${keys.taskId}/`,
      taskId: keys.taskId,
      endpoint: process.env.SANDBOX_URL,
      cosDomain: `${process.env.SANDBOX_URL}/{Bucket}`,
    });
    // 15 minutes (allow the clock to tick during the call)
    expect(keys.expiredTime - Math.floor(Date.now() / 1000)).toBeGreaterThan(880);
    expect(keys.expiredTime - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(900);
    expect(otherTask.statusCode).toBe(403);
    expect(outsideInput.statusCode).toBe(403);
  });

  it('keeps a client-chosen task id and refuses bodies over 10 MB at COS', async () => {
    // Arrange
    const { user, token } = await createUser({ quota: 1 });
    const taskId = `task_${platform.name.length}chosen${Date.now()}`;

    // Act
    const keys = await uploadKeys(platform, token, taskId);
    const tooBig = await putFailure(keys, `${keys.allowPrefix}big.jpg`, jpegImage({ padTo: 11 * 1024 * 1024 }));

    // Assert
    expect(keys.taskId).toBe(taskId);
    expect(keys.allowPrefix).toBe(`input/${user.id}/${taskId}/`);
    expect(tooBig.statusCode).toBe(403);
  });

  it('gives B keys for B’s own prefix only, even when B names A’s task id', async () => {
    // Arrange
    const a = await createUser({ quota: 1 });
    const b = await createUser({ quota: 1 });
    const aKeys = await uploadKeys(platform, a.token);

    // Act
    const bKeys = await uploadKeys(platform, b.token, aKeys.taskId);
    const intoA = await putFailure(bKeys, `${aKeys.allowPrefix}original.jpg`, jpegImage());

    // Assert
    expect(bKeys.allowPrefix).toBe(`input/${b.user.id}/${aKeys.taskId}/`);
    expect(intoA.statusCode).toBe(403);
  });

  it('refuses non-members (1002), anonymous callers (1001) and malformed task ids (400)', async () => {
    // Arrange
    const stranger = await createUser();
    const member = await createUser({ quota: 1 });

    // Act
    const notMember = await platform.call(sts, { method: 'GET', path: '/media/sts', token: stranger.token });
    const anonymous = await platform.call(sts, { method: 'GET', path: '/media/sts' });
    const badId = await platform.call(sts, { method: 'GET', path: '/media/sts', token: member.token, query: { taskId: '../../etc' } });

    // Assert
    expect([notMember.status, notMember.json.error?.code]).toEqual([403, 1002]);
    expect([anonymous.status, anonymous.json.error?.code]).toEqual([401, 1001]);
    expect(badId.status).toBe(400);
    expect(badId.json.error?.details).toEqual([{ field: 'taskId', message: expect.any(String) }]);
  });

  it('limits keys per user per minute (429 with Retry-After)', async () => {
    // Arrange
    const { token } = await createUser({ quota: 1 });

    // Act: 41 calls span at most two one-minute windows of 20, so at least one is refused
    const answers = [];
    for (let i = 0; i < 41; i += 1) answers.push(await platform.call(sts, { method: 'GET', path: '/media/sts', token }));

    // Assert
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(20);
    for (const answer of limited) {
      expect(answer.json.error?.code).toBe(1004);
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
