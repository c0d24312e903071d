import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogLines } from '../helpers/log-lines';
import { createUser } from '../helpers/users';

/**
 * The local gateway serves requests that overlap in one process, which one Lambda or SCF instance
 * never does; each request's log keys (user, task) must still stay with that request.
 */
const logLines = captureLogLines();

beforeAll(() => {
  // As `npm run dev` sets it for its process (infra/local/dev.ts); this file runs in its own process.
  process.env.AWS_LAMBDA_MAX_CONCURRENCY = '64';
});

afterAll(() => {
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
});

describe('log keys on the local gateway', () => {
  it('stay with each of many overlapping requests', async () => {
    // Arrange: two users, forty overlapping requests
    const users = await Promise.all([createUser(), createUser()]);
    const api = process.env.API_URL ?? '';

    // Act
    const answers = await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const { user, token } = users[index % 2] ?? users[0];
        const response = await fetch(`${api}/auth/me`, { headers: { authorization: `Bearer ${token}` } });
        return { requestId: response.headers.get('x-request-id'), userId: user.id, status: response.status };
      }),
    );

    // Assert: every request line keeps its own keys: the platform and the user who made it
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const expectedUser = new Map(answers.map((answer) => [answer.requestId, answer.userId]));
    const requestLines = logLines().filter((line) => line.message === 'request' && expectedUser.has(String(line.requestId)));
    expect(requestLines).toHaveLength(40);
    for (const line of requestLines) {
      expect({ platform: line.platform, userId: line.userId }, `request ${String(line.requestId)}`).toEqual({ platform: 'aws', userId: expectedUser.get(String(line.requestId)) });
    }
  });
});
