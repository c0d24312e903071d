import { describe, expect, it } from 'vitest';
import { ImageFormatError, ImageProcessingError, ImageTooLargeError, ValidationError } from '../../shared/errors';
import { inspectInput, screenInput } from '../../shared/tasks/create';
import { TaskFailure } from '../../shared/tasks/failures';
import { startRunningHub } from '../../shared/tasks/runninghub';
import { VendorError } from '../../shared/vendors/vendor-error';
import { fakeCreatePorts } from '../helpers/fake-ports';

/**
 * The branches of task creation that decide on vendor answers, with in-memory ports
 * (test/helpers/fake-ports.ts): no database, no sandbox. The same paths run end to end against the
 * real database and the sandbox in test/integration/task-create.test.ts.
 */
const key = 'input/abc123def456/task_abcdefgh/original.jpg';

const failureCode = async (work: Promise<unknown>): Promise<number | string> => {
  try {
    await work;
    return 'resolved';
  } catch (error) {
    return error instanceof TaskFailure ? error.code : (error as Error).name;
  }
};

describe('inspectInput (before any quota is held)', () => {
  it('accepts a JPEG under the size limit', async () => {
    // Arrange
    const ports = fakeCreatePorts();
    ports.store.objects.set(key, { size: 1000, contentType: 'image/jpeg' });

    // Act
    const inspected = inspectInput(key, ports);

    // Assert
    await expect(inspected).resolves.toBeUndefined();
  });

  it.each([
    ['no uploaded object', () => undefined, ValidationError],
    ['an object over UPLOAD_MAX_BYTES', (ports: ReturnType<typeof fakeCreatePorts>) => ports.store.objects.set(key, { size: ports.settings.UPLOAD_MAX_BYTES + 1, contentType: 'image/jpeg' }), ImageTooLargeError],
  ] as const)('refuses %s', async (_label, arrange, expected) => {
    // Arrange
    const ports = fakeCreatePorts();
    arrange(ports);

    // Act
    const inspected = inspectInput(key, ports);

    // Assert
    await expect(inspected).rejects.toBeInstanceOf(expected);
  });

  it.each([
    ['a GIF by its bytes', { format: 'gif', width: 1, height: 1, size: 10 }, ImageFormatError],
    ['bytes CI refuses as no image (400)', new VendorError('ci', 'InvalidImage', 'not an image', 400), ImageFormatError],
    ['a CI outage (503)', new VendorError('ci', 'ServiceUnavailable', 'down', 503), ImageProcessingError],
  ] as const)('answers %s', async (_label, imageInfo, expected) => {
    // Arrange
    const ports = fakeCreatePorts();
    ports.store.objects.set(key, { size: 1000, contentType: 'image/jpeg' });
    ports.ci.imageInfoAnswer = imageInfo;

    // Act
    const inspected = inspectInput(key, ports);

    // Assert
    await expect(inspected).rejects.toBeInstanceOf(expected);
  });
});

describe('screenInput (after the hold: a failure releases it)', () => {
  it.each([
    ['a clean garment', {}, 'resolved'],
    ['moderation result 1 (violating)', { moderationAnswer: { result: 1, label: 'Porn', score: 99 } }, 4001],
    ['moderation result 2 (needs review)', { moderationAnswer: { result: 2, label: 'Sexy', score: 70 } }, 4001],
    ['no clothing label', { labelsAnswer: [{ name: '风景', confidence: 95, categories: [] }] }, 2003],
    ['a clothing label below the confidence floor', { labelsAnswer: [{ name: '上衣', confidence: 1, categories: [] }] }, 2003],
    ['moderation unreachable', { moderationAnswer: new VendorError('ci', 'Timeout', 'slow') }, 3001],
    ['label detection unreachable', { labelsAnswer: new VendorError('ci', 'Timeout', 'slow') }, 3001],
  ] as const)('%s → %s', async (_label, answers, expected) => {
    // Arrange
    const ports = fakeCreatePorts();
    Object.assign(ports.ci, answers);

    // Act
    const outcome = await failureCode(screenInput(key, ports));

    // Assert
    expect(outcome).toBe(expected);
  });

  it('lets moderation decide first: blocked content is 4001 even without a garment', async () => {
    // Arrange
    const ports = fakeCreatePorts();
    Object.assign(ports.ci, { moderationAnswer: { result: 1, label: 'Porn', score: 99 }, labelsAnswer: [] });

    // Act
    const outcome = await failureCode(screenInput(key, ports));

    // Assert
    expect(outcome).toBe(4001);
  });
});

describe('startRunningHub', () => {
  const task = { id: 'task_abcdefgh', inputKey: key, params: { scene: 'street', category: 'dress' }, webhookToken: 'a'.repeat(43) };

  it('sends the garment as a signed URL valid past the deadline, with scene and category', async () => {
    // Arrange
    const ports = fakeCreatePorts({ RUNNINGHUB_QUEUE_RETRIES: '0' });

    // Act
    const vendorTaskId = await startRunningHub(ports, task);

    // Assert
    expect(vendorTaskId).toBe('1234567890123456789');
    const values = ports.runningHub.creates[0]?.nodeInfoList.map((node) => node.fieldValue);
    expect(values).toEqual([`https://fake-cos.local/${key}?ttl=${ports.settings.TASK_DEADLINE_MODEL_POSE12_SECONDS + 600}`, 'street', 'dress']);
  });

  it('retries a full queue and starts the run', async () => {
    // Arrange
    const ports = fakeCreatePorts({ RUNNINGHUB_QUEUE_RETRIES: '2' });
    ports.runningHub.createAnswers = [new VendorError('runninghub', 'TASK_QUEUE_MAXED', 'queue full'), { taskId: '42' }];

    // Act
    const vendorTaskId = await startRunningHub(ports, task);

    // Assert
    expect(vendorTaskId).toBe('42');
    expect(ports.runningHub.creates).toHaveLength(2);
  });

  it.each([
    ['a queue that stays full', 'TASK_QUEUE_MAXED', 2],
    ['any other refusal, without retrying', 'APIKEY_INVALID', 1],
  ] as const)('fails with 3003 on %s, keeping the vendor detail out of the reason', async (_label, code, calls) => {
    // Arrange
    const ports = fakeCreatePorts({ RUNNINGHUB_QUEUE_RETRIES: '1' });
    ports.runningHub.createAnswers = [new VendorError('runninghub', code, 'refused')];

    // Act
    const started = startRunningHub(ports, task);

    // Assert
    await expect(started).rejects.toMatchObject({ code: 3003, reason: 'AI服务暂时不可用,请重试', detail: expect.stringContaining(code) });
    expect(ports.runningHub.creates).toHaveLength(calls);
  });
});
