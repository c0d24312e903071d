import { randomInt } from 'node:crypto';

/**
 * Where a user's files live in the bucket (DESIGN.md "The task id and the upload"): uploads under
 * `input/{userId}/{taskId}/`, results under `output/{userId}/{taskId}/`. Every key the API touches
 * is built or checked here, so no path from a request reaches COS unchecked.
 */
export const TASK_ID_PATTERN = /^task_[A-Za-z0-9]{8,32}$/;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A server-chosen task id: 24 random letters/digits (~143 bits), so ids are never guessable. */
export function mintTaskId(): string {
  let id = 'task_';
  for (let i = 0; i < 24; i += 1) id += alphabet[randomInt(alphabet.length)];
  return id;
}

export function inputPrefix(userId: string, taskId: string): string {
  return `input/${userId}/${taskId}/`;
}

export function outputKey(userId: string, taskId: string, fileName: string): string {
  return `output/${userId}/${taskId}/${fileName}`;
}

/** A file name COS and every client handle the same way: no separators, no dot-only names. */
const fileNamePattern = /^(?!\.+$)[A-Za-z0-9._-]{1,128}$/;

/**
 * Reads an input image reference (`input/{userId}/{taskId}/{file}`, a leading `/` tolerated).
 * Returns undefined when it is not one; the caller compares the owner.
 */
export function parseInputKey(value: string): { userId: string; taskId: string; key: string } | undefined {
  const key = value.replace(/^\//, '');
  const [root, userId, taskId, fileName, ...rest] = key.split('/');
  if (root !== 'input' || rest.length > 0 || !userId || !taskId || !fileName) return undefined;
  if (!/^[A-Za-z0-9]{1,32}$/.test(userId) || !TASK_ID_PATTERN.test(taskId) || !fileNamePattern.test(fileName)) return undefined;
  return { userId, taskId, key };
}

/**
 * Reads a key of a task's object, an upload (`input/…`) or a result (`output/{userId}/{taskId}/{file}`),
 * a leading `/` tolerated. Returns undefined when it is neither; the caller checks the task's owner.
 */
export function parseTaskObjectKey(value: string): { userId: string; taskId: string; fileName: string; key: string } | undefined {
  const key = value.replace(/^\//, '');
  const [root, userId, taskId, fileName, ...rest] = key.split('/');
  if ((root !== 'input' && root !== 'output') || rest.length > 0 || !userId || !taskId || !fileName) return undefined;
  if (!/^[A-Za-z0-9]{1,32}$/.test(userId) || !TASK_ID_PATTERN.test(taskId) || !fileNamePattern.test(fileName)) return undefined;
  return { userId, taskId, fileName, key };
}
