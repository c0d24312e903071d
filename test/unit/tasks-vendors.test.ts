import COS from 'cos-nodejs-sdk-v5';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { resolveTaskSettings } from '../../shared/config/tasks';
import { inputPrefix, mintTaskId, parseInputKey, TASK_ID_PATTERN } from '../../shared/media/keys';
import { resultUrlWith } from '../../shared/media/result-urls';
import { uploadPolicy } from '../../shared/media/sts';
import { sniffImage } from '../../shared/tasks/images';
import { parseLabels } from '../../shared/vendors/ci';
import { cosAuthorization, cosObjectStore, presignGetUrl, processedObjects } from '../../shared/vendors/cos';
import { parseOutputs, promptNodeErrors } from '../../shared/vendors/runninghub';
import { gifImage, jpegImage, pngImage } from '../helpers/images';

const keys = { secretId: 'AKIDexample0000000000000000000000', secretKey: 'exampleSecretKey0000000000000000' };

function sdkUnsignedUrl(domain: string | undefined, key: string): string {
  const client = new COS({ SecretId: keys.secretId, SecretKey: keys.secretKey, ...(domain ? { Domain: domain, Protocol: 'http:' } : {}) });
  return client.getObjectUrl({ Bucket: 'photos-1250000000', Region: 'ap-guangzhou', Key: key, Sign: false }, () => undefined);
}

describe('presigned COS GET URLs', () => {
  it.each([
    { where: 'real COS', baseUrl: undefined, domain: undefined, host: 'photos-1250000000.cos.ap-guangzhou.myqcloud.com' },
    { where: 'a path-style local endpoint', baseUrl: 'http://127.0.0.1:3100', domain: 'http://127.0.0.1:3100/{Bucket}', host: '127.0.0.1:3100' },
  ])('match the SDK’s URL and signature on $where', ({ baseUrl, domain, host }) => {
    // Arrange: a fixed clock, and the SDK's own signer with the same key time
    const key = 'output/abc123def456/task_abcdefgh/frame (1)!.jpg';
    const now = 1_700_000_001_000;
    const sdkAuthorization = COS.getAuthorization({ ...{ SecretId: keys.secretId, SecretKey: keys.secretKey }, Method: 'get', Key: key, Headers: { host }, KeyTime: '1700000000;1700000600' });

    // Act
    const ours = presignGetUrl({ ...keys, bucket: 'photos-1250000000', region: 'ap-guangzhou', baseUrl }, key, 600, now);

    // Assert
    const [url, query] = ours.split('?');
    expect(url).toBe(sdkUnsignedUrl(domain, key));
    expect(query).toBe(sdkAuthorization);
  });
});

describe('COS header signatures', () => {
  it.each(['head', 'put'] as const)('sign %s like the SDK', (method) => {
    const key = 'output/abc123def456/task_abcdefgh/frame_01.png';
    const options = { ...keys, bucket: 'photos-1250000000', region: 'ap-guangzhou', baseUrl: 'http://127.0.0.1:3100' };
    expect(cosAuthorization(options, method.toUpperCase(), key, 300, 1_700_000_001_000)).toBe(
      COS.getAuthorization({ SecretId: keys.secretId, SecretKey: keys.secretKey, Method: method as 'put', Key: key, Headers: { host: '127.0.0.1:3100' }, KeyTime: '1700000000;1700000300' }),
    );
  });

  it('signs a Pic-Operations header like the SDK (COS requires it signed)', () => {
    // Arrange
    const key = 'output/abc123def456/task_abcdefgh/frame_01.jpg';
    const picOperations = JSON.stringify({ is_pic_info: 0, rules: [{ fileid: `/${key}`, rule: 'imageMogr2/format/jpg' }] });
    const options = { ...keys, bucket: 'photos-1250000000', region: 'ap-guangzhou', baseUrl: undefined };
    const host = 'photos-1250000000.cos.ap-guangzhou.myqcloud.com';

    // Act
    const ours = cosAuthorization(options, 'PUT', key, 300, 1_700_000_001_000, { 'pic-operations': picOperations });

    // Assert
    expect(ours).toContain('q-header-list=host;pic-operations&');
    expect(ours).toBe(
      COS.getAuthorization({ SecretId: keys.secretId, SecretKey: keys.secretKey, Method: 'put', Key: key, Headers: { host, 'Pic-Operations': picOperations }, KeyTime: '1700000000;1700000300' }),
    );
  });
});

describe('signed downloads', () => {
  it('sign the response-content-disposition parameter like the SDK', () => {
    // Arrange
    const key = 'output/abc123def456/task_abcdefgh/frame_01.jpg';
    const options = { ...keys, bucket: 'photos-1250000000', region: 'ap-guangzhou', baseUrl: undefined };
    const store = cosObjectStore(options);
    const disposition = 'attachment; filename="task_abcdefgh_frame_01.jpg"';

    // Act
    const { url, expiresAt } = store.signedDownloadUrl(key, 600, 'task_abcdefgh_frame_01.jpg', 1_700_000_001_000);

    // Assert
    const query = new URL(url).searchParams;
    expect(query.get('response-content-disposition')).toBe(disposition);
    expect(query.get('q-url-param-list')).toBe('response-content-disposition');
    const sdk = COS.getAuthorization({
      SecretId: keys.secretId,
      SecretKey: keys.secretKey,
      Method: 'get',
      Key: key,
      Query: { 'response-content-disposition': disposition },
      Headers: { host: 'photos-1250000000.cos.ap-guangzhou.myqcloud.com' },
      KeyTime: '1700000000;1700000600',
    });
    expect(url.split('?')[1]).toBe(`response-content-disposition=${encodeURIComponent(disposition)}&${sdk}`);
    expect(expiresAt.toISOString()).toBe(new Date(1_700_000_600_000).toISOString());
  });
});

describe('result URLs', () => {
  const store = cosObjectStore({ ...keys, bucket: 'photos-1250000000', region: 'ap-guangzhou', baseUrl: undefined });
  const key = 'output/abc123def456/task_abcdefgh/frame 01.jpg';
  const now = 1_700_000_001_000;

  it('use the public or CDN base URL when one is configured, unsigned', () => {
    const url = resultUrlWith({ publicBaseUrl: 'https://cdn.example.com/photos', ttlSeconds: 3600, store }, key, now);

    expect(url).toBe('https://cdn.example.com/photos/output/abc123def456/task_abcdefgh/frame%2001.jpg');
  });

  it('sign a COS GET valid for exactly the configured lifetime', () => {
    const url = new URL(resultUrlWith({ publicBaseUrl: undefined, ttlSeconds: 7777, store }, key, now));

    const [start, end] = (url.searchParams.get('q-sign-time') ?? '').split(';').map(Number);
    expect(url.host).toBe('photos-1250000000.cos.ap-guangzhou.myqcloud.com');
    expect(start).toBe(1_700_000_000);
    expect((end ?? 0) - (start ?? 0)).toBe(7777);
    expect(url.searchParams.get('q-key-time')).toBe(url.searchParams.get('q-sign-time'));
  });
});

describe('upload keys and input keys', () => {
  it('mints unguessable task ids that match the id rule', () => {
    const ids = new Set(Array.from({ length: 200 }, mintTaskId));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(TASK_ID_PATTERN);
  });

  it('builds a PutObject-only policy for one prefix with the size condition and no principal', () => {
    expect(uploadPolicy({ region: 'ap-guangzhou', appId: '1250000000', bucket: 'photos-1250000000', prefix: inputPrefix('u1', 'task_abcdefgh'), maxBytes: 10485760 })).toEqual({
      version: '2.0',
      statement: [
        {
          effect: 'allow',
          action: ['name/cos:PutObject'],
          resource: ['qcs::cos:ap-guangzhou:uid/1250000000:photos-1250000000/input/u1/task_abcdefgh/*'],
          condition: { numeric_less_than_equal: { 'cos:content-length': 10485760 } },
        },
      ],
    });
  });

  it.each([
    ['input/abc123def456/task_abcdefgh/original.jpg', { userId: 'abc123def456', taskId: 'task_abcdefgh', key: 'input/abc123def456/task_abcdefgh/original.jpg' }],
    ['/input/abc123def456/task_abcdefgh/a.png', { userId: 'abc123def456', taskId: 'task_abcdefgh', key: 'input/abc123def456/task_abcdefgh/a.png' }],
    ['input/abc123def456/task_abcdefgh/../x.jpg', undefined],
    ['input/abc123def456/task_abcdefgh/..', undefined],
    ['input/abc123def456/task_abc/a.jpg', undefined],
    ['output/abc123def456/task_abcdefgh/a.jpg', undefined],
    ['input/abc123def456/task_abcdefgh/sub/a.jpg', undefined],
    ['https://evil.example/input/abc123def456/task_abcdefgh/a.jpg', undefined],
  ])('reads %s', (value, expected) => {
    expect(parseInputKey(value)).toEqual(expected);
  });
});

describe('vendor answers', () => {
  it('reads RunningHub outputs: pending by msg, failure reason without traceback, 12 files as strings', () => {
    expect(parseOutputs({ code: 0, msg: 'APIKEY_TASK_IS_QUEUED', data: null })).toEqual({ state: 'pending', phase: 'queued' });
    expect(parseOutputs({ code: 804, msg: 'APIKEY_TASK_IS_RUNNING', data: null })).toEqual({ state: 'pending', phase: 'running' });
    expect(parseOutputs({ code: 0, msg: 'success', data: null })).toEqual({ state: 'pending' });
    expect(
      parseOutputs({ code: 805, msg: 'APIKEY_TASK_STATUS_ERROR', data: { failedReason: { node_id: '9', node_name: 'KSampler', exception_message: 'OOM', traceback: 'secret path' } } }),
    ).toEqual({ state: 'failed', reason: 'KSampler: OOM' });
    expect(parseOutputs({ code: 0, msg: 'success', data: [] })).toEqual({ state: 'failed', reason: 'workflow finished without outputs' });
    const files = Array.from({ length: 12 }, (_, i) => ({ fileUrl: `https://rh.example/${i}.png`, fileType: 'png', taskCostTime: 83, nodeId: '9' }));
    expect(parseOutputs({ code: 0, msg: 'success', data: files })).toMatchObject({ state: 'success', files: expect.arrayContaining([{ url: 'https://rh.example/0.png', fileType: 'png' }]) });
    expect(() => parseOutputs({ code: 802, msg: 'APIKEY_UNAUTHORIZED', data: null })).toThrow(/APIKEY_UNAUTHORIZED/);
  });

  it('reports cost only from consumeCoins and the run time separately, in seconds', () => {
    const entry = (extra: Record<string, unknown>) => Array.from({ length: 12 }, (_, i) => ({ fileUrl: `https://rh.example/${i}.png`, fileType: 'png', nodeId: '9', ...extra }));

    const timeOnly = parseOutputs({ code: 0, msg: 'success', data: entry({ taskCostTime: 83 }) });
    const both = parseOutputs({ code: 0, msg: 'success', data: entry({ taskCostTime: '78', consumeCoins: '12' }) });
    const neither = parseOutputs({ code: 0, msg: 'success', data: entry({}) });

    expect(timeOnly).toMatchObject({ state: 'success', cost: undefined, runSeconds: 83 });
    expect(both).toMatchObject({ state: 'success', cost: '12', runSeconds: 78 });
    expect(neither).toMatchObject({ state: 'success', cost: undefined, runSeconds: undefined });
  });

  it('reads ComfyUI node_errors out of create’s promptTips string', () => {
    expect(promptNodeErrors('{"result": true, "error": null, "outputs_to_execute": ["9"], "node_errors": {}}')).toBeUndefined();
    expect(promptNodeErrors('{"result": false, "node_errors": {"10": {"errors": []}, "22": {}}}')).toBe('10,22');
    expect(promptNodeErrors(undefined)).toBeUndefined();
    expect(promptNodeErrors('not json')).toBeUndefined();
    expect(() => parseOutputs({ code: 802, msg: 'APIKEY_UNAUTHORIZED', data: null })).toThrow(/APIKEY_UNAUTHORIZED/);
  });

  it('collects labels from the legacy list and scene lists, single elements included', () => {
    const labels = parseLabels({ Labels: { Name: '上衣', Confidence: '93' }, CameraLabels: [{ Name: '风景', Confidence: '80', FirstCategory: '自然' }] });
    expect(labels).toEqual([
      { name: '上衣', confidence: 93, categories: [] },
      { name: '风景', confidence: 80, categories: ['自然'] },
    ]);
  });

  it('tells images apart by their bytes', () => {
    expect(sniffImage(jpegImage())?.format).toBe('jpeg');
    expect(sniffImage(pngImage())?.format).toBe('png');
    expect(sniffImage(gifImage())).toBeUndefined();
  });
});

describe('tasks settings', () => {
  const base = {
    isLocal: true,
    TENCENT_API_ENDPOINT: 'http://127.0.0.1:4100',
    COS_BUCKET: 'photos-1250000000',
    COS_REGION: 'ap-guangzhou',
    COS_APP_ID: undefined,
    COS_ENDPOINT: undefined,
    RUNNINGHUB_BASE_URL: undefined,
    RUNNINGHUB_WORKFLOW_ID: '123',
    RUNNINGHUB_NODE_IMAGE: '10:image',
    RUNNINGHUB_NODE_SCENE: '21:text',
    RUNNINGHUB_NODE_CATEGORY: '22:text',
  };

  it('points every vendor at the sandbox locally and at the real services in production', () => {
    expect(resolveTaskSettings(base)).toMatchObject({ appId: '1250000000', cosBaseUrl: 'http://127.0.0.1:4100', runningHubBaseUrl: 'http://127.0.0.1:4100', imageNode: { nodeId: '10', fieldName: 'image' } });
    expect(resolveTaskSettings({ ...base, isLocal: false })).toMatchObject({ cosBaseUrl: undefined, runningHubBaseUrl: 'https://www.runninghub.cn' });
  });

  it.each([
    ['899', false],
    ['900', true],
    ['7200', true],
    ['7201', false],
  ])('accepts STS_DURATION_SECONDS=%s only within 900–7200: %s', (value, valid) => {
    const load = () => loadConfig({ STS_DURATION_SECONDS: value });

    if (valid) expect(load().STS_DURATION_SECONDS).toBe(Number(value));
    else expect(load).toThrow(/STS_DURATION_SECONDS/);
  });

  it('names every missing production setting', () => {
    expect(() => resolveTaskSettings({ ...base, isLocal: false, COS_BUCKET: undefined, RUNNINGHUB_WORKFLOW_ID: undefined })).toThrow('COS_BUCKET, RUNNINGHUB_WORKFLOW_ID');
  });
});

describe('processedObjects (Pic-Operations upload answer)', () => {
  it('lists each processed object with its key (no leading slash) and format', () => {
    const answer = `<?xml version="1.0" encoding="UTF-8"?>
<UploadResult>
  <OriginalInfo><Key>output/u1/t1/frame_01.jpg</Key><ImageInfo><Format>PNG</Format></ImageInfo></OriginalInfo>
  <ProcessResults>
    <Object><Key>/output/u1/t1/frame_01.jpg</Key><Location>x</Location><Format>JPG</Format><Width>64</Width></Object>
    <Object><Key>output/u1/t1/thumb.png</Key><Format>png</Format></Object>
  </ProcessResults>
</UploadResult>`;

    expect(processedObjects(answer)).toEqual([
      { key: 'output/u1/t1/frame_01.jpg', format: 'jpg' },
      { key: 'output/u1/t1/thumb.png', format: 'png' },
    ]);
  });

  it('finds nothing in an answer without ProcessResults (the rule was not applied)', () => {
    expect(processedObjects('<UploadResult><OriginalInfo><Key>a.jpg</Key><ImageInfo><Format>png</Format></ImageInfo></OriginalInfo></UploadResult>')).toEqual([]);
  });
});
