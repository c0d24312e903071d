import { afterEach, describe, expect, it } from 'vitest';
import * as create from '../../functions/task/create';
import * as get from '../../functions/task/get';
import * as signedDownload from '../../functions/media/signed-download';
import { checkLedgerInvariants } from '../../shared/quota/ledger';
import { platforms } from '../helpers/events';
import { jpegImage } from '../helpers/images';
import { storedTask, uploadInput } from '../helpers/tasks';
import { createUser } from '../helpers/users';

/** POST /media/signed-download: presigned downloads with a file name, for the caller's own task objects only. */
afterEach(async () => {
  expect(await checkLedgerInvariants()).toEqual([]);
});

describe.each(platforms)('signed downloads on $name', (platform) => {
  /** A user with a done basic_clean: its input key and its result key. */
  async function doneTask() {
    const { user, token } = await createUser({ quota: 1 });
    const { taskId, key } = await uploadInput(platform, token, jpegImage());
    await platform.call(create, { method: 'POST', path: '/task/create', token, body: { type: 'basic_clean', inputImageUrl: key } });
    const read = await platform.call(get, { method: 'GET', path: `/task/${taskId}`, token });
    // The key a client signs comes from the task's answer (resultKeys, an extension).
    const resultKey = (read.json.data?.resultKeys as string[] | undefined)?.[0] ?? '';
    expect(resultKey).toBe((await storedTask(taskId)).result_keys?.[0]);
    return { user, token, taskId, inputKey: key, resultKey };
  }

  it('signs a result for ttl seconds; the URL downloads it with a file name', async () => {
    // Arrange
    const { token, taskId, resultKey } = await doneTask();
    const before = Date.now();

    // Act
    const answer = await platform.call(signedDownload, { method: 'POST', path: '/media/signed-download', token, body: { objectKey: resultKey, ttl: 120 } });
    const download = await fetch(String(answer.json.data?.url));

    // Assert
    expect(answer.status).toBe(200);
    const expiresAt = Date.parse(String(answer.json.data?.expiresAt));
    expect(expiresAt).toBeGreaterThanOrEqual(before + 118_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${taskId}_result.jpg"`);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  });

  it('signs the task’s own input for the default 300 s', async () => {
    // Arrange
    const { token, inputKey } = await doneTask();

    // Act
    const answer = await platform.call(signedDownload, { method: 'POST', path: '/media/signed-download', token, body: { objectKey: inputKey } });

    // Assert
    expect(answer.status).toBe(200);
    const ttl = (Date.parse(String(answer.json.data?.expiresAt)) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(290);
    expect(ttl).toBeLessThanOrEqual(300);
  });

  it('refuses a URL whose file name was changed (the parameter is signed)', async () => {
    // Arrange
    const { token, resultKey } = await doneTask();
    const answer = await platform.call(signedDownload, { method: 'POST', path: '/media/signed-download', token, body: { objectKey: resultKey } });
    const url = new URL(String(answer.json.data?.url));
    url.searchParams.set('response-content-disposition', 'attachment; filename="evil.exe"');

    // Act
    const download = await fetch(url);

    // Assert
    expect(download.status).toBe(403);
  });

  it.each([59, 86_401, 1.5, '300'])('refuses ttl %s with 400 naming ttl', async (ttl) => {
    // Arrange: the body is checked before any key is looked up
    const { user, token } = await createUser();

    // Act
    const objectKey = `output/${user.id}/task_abcdefgh12345678/result.jpg`;
    const answer = await platform.call(signedDownload, { method: 'POST', path: '/media/signed-download', token, body: { objectKey, ttl } });

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.json.error?.details?.map((detail) => detail.field)).toEqual(['ttl']);
  });

  it('answers another user’s object, a key the task does not name and a malformed key exactly as missing', async () => {
    // Arrange
    const owner = await doneTask();
    const other = await createUser();

    // Act
    const call = (token: string, objectKey: string) => platform.call(signedDownload, { method: 'POST', path: '/media/signed-download', token, body: { objectKey } });
    const foreign = await call(other.token, owner.resultKey);
    const unnamed = await call(owner.token, owner.resultKey.replace('result.jpg', 'other.jpg'));
    const missingTask = await call(other.token, `output/${other.user.id}/task_doesnotexist1/result.jpg`);
    const malformed = await call(owner.token, '../../etc/passwd');

    // Assert
    expect([foreign, unnamed, missingTask, malformed].map((answer) => [answer.status, answer.json.error?.code])).toEqual(Array.from({ length: 4 }, () => [404, 1007]));
    expect(foreign.json.error?.message).toBe(missingTask.json.error?.message);
  });
});
