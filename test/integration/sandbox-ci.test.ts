import { createHash } from 'node:crypto';
import type COS from 'cos-nodejs-sdk-v5';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../infra/sandbox/server';
import { setFaults } from '../helpers/sandbox';
import {
  BUCKET,
  REGION,
  cosFailure,
  decodeJpeg,
  decodePng,
  mintUploadKeys,
  newKeepAliveAgent,
  permanentCos,
  pixel,
  productJpeg,
  solidPng,
  stsClient,
  temporaryCos,
  tinyGif,
  uploadPolicy,
} from '../helpers/vendor-clients';

/**
 * Cloud Infinite on COS object URLs, through the real cos-nodejs-sdk-v5 (vendors.md §2.3): imageInfo from
 * the real bytes, moderation and labels flipped by faults, and Pic-Operations writing a decodable image.
 */
let sandbox: RunningSandbox;
let cos: COS;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  cos = permanentCos(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/reset`, { method: 'POST' });
});

const INPUT = 'input/u_1/task_ci000001/photo.jpg';
const WHITE_B64 = Buffer.from('#FFFFFF').toString('base64url');
const GREY_B64 = Buffer.from('#808080').toString('base64url');

async function put(Key: string, Body: Buffer, ContentType = 'image/jpeg'): Promise<void> {
  await cos.putObject({ Bucket: BUCKET, Region: REGION, Key, Body, ContentType });
}

const faults = (values: Record<string, string>) => setFaults(values, sandbox.url);

function ciGet(Key: string, Query: Record<string, string>): Promise<COS.RequestResult> {
  return cos.request({ Bucket: BUCKET, Region: REGION, Key, Method: 'GET', Query });
}

function imageProcess(Key: string, operations: object): Promise<COS.RequestResult> {
  return cos.request({
    Bucket: BUCKET,
    Region: REGION,
    Key,
    Method: 'POST',
    Action: 'image_process',
    Headers: { 'Pic-Operations': JSON.stringify(operations) },
  });
}

async function getBytes(Key: string): Promise<{ body: Buffer; contentType: string | undefined }> {
  const got = await cos.getObject({ Bucket: BUCKET, Region: REGION, Key });
  return { body: got.Body, contentType: got.headers?.['content-type'] };
}

describe('imageInfo', () => {
  it('reports the real format, size and md5 of a JPEG', async () => {
    const jpeg = productJpeg(64, 48);
    await put(INPUT, jpeg);

    const info = await ciGet(INPUT, { imageInfo: '' });

    expect(info).toMatchObject({
      format: 'jpeg',
      width: '64',
      height: '48',
      size: String(jpeg.length),
      md5: createHash('md5').update(jpeg).digest('hex'),
      frame_count: '1',
    });
  });

  it('answers the SDK Action form (?imageInfo without "=") the same way', async () => {
    await put(INPUT, productJpeg(20, 10));

    const info = await cos.request({ Bucket: BUCKET, Region: REGION, Key: INPUT, Method: 'GET', Action: 'imageInfo' });

    expect(info).toMatchObject({ format: 'jpeg', width: '20', height: '10' });
  });

  it('believes the bytes, not the name or Content-Type: a GIF named .jpg is a gif', async () => {
    await put('input/u_1/task_ci000001/fake.jpg', tinyGif(), 'image/jpeg');

    const info = await ciGet('input/u_1/task_ci000001/fake.jpg', { imageInfo: '' });

    expect(info).toMatchObject({ format: 'gif', width: '10', height: '7' });
  });

  it('reads PNG dimensions', async () => {
    await put('input/u_1/task_ci000001/p.png', solidPng(33, 21), 'image/png');

    expect(await ciGet('input/u_1/task_ci000001/p.png', { imageInfo: '' })).toMatchObject({ format: 'png', width: '33', height: '21' });
  });

  it('answers 400 for bytes that are no image and 404 for a missing object', async () => {
    await put('input/u_1/task_ci000001/text.jpg', Buffer.from('hello, not an image'));

    expect(await cosFailure(ciGet('input/u_1/task_ci000001/text.jpg', { imageInfo: '' }))).toMatchObject({
      statusCode: 400,
      code: 'InvalidImageFormat',
    });
    expect(await cosFailure(ciGet('input/u_1/none.jpg', { imageInfo: '' }))).toMatchObject({ statusCode: 404, code: 'NoSuchKey' });
  });
});

describe('sensitive-content-recognition', () => {
  const moderate = () => ciGet(INPUT, { 'ci-process': 'sensitive-content-recognition', 'biz-type': '' });

  it('passes by default and blocks with moderation=block', async () => {
    await put(INPUT, productJpeg());

    const clean = await moderate();
    await faults({ moderation: 'block' });
    const blocked = await moderate();
    await faults({ moderation: 'review' });
    const review = await moderate();

    expect(clean.RecognitionResult).toMatchObject({ Result: '0', Label: 'Normal', Object: INPUT, State: 'Success' });
    expect(blocked.RecognitionResult).toMatchObject({ Result: '1', Label: 'Porn', PornInfo: { HitFlag: '1', Label: 'Porn' } });
    expect(Number(blocked.RecognitionResult.Score)).toBeGreaterThan(90);
    expect(review.RecognitionResult).toMatchObject({ Result: '2', AdsInfo: { HitFlag: '2' } });
  });

  it('fails over bytes that are no image', async () => {
    await put(INPUT, Buffer.from('not an image'));

    expect(await cosFailure(moderate())).toMatchObject({ statusCode: 400 });
  });
});

describe('detect-label', () => {
  const labelNames = (result: COS.RequestResult): string[] => {
    const labels: unknown = result.RecognitionResult.Labels;
    const list = Array.isArray(labels) ? labels : [labels];
    return list.map((label: { Name: string }) => label.Name);
  };

  it('finds clothing labels by default and none with garment=none', async () => {
    await put(INPUT, productJpeg());

    const found = await ciGet(INPUT, { 'ci-process': 'detect-label' });
    await faults({ garment: 'none' });
    const none = await ciGet(INPUT, { 'ci-process': 'detect-label' });

    expect(labelNames(found)).toEqual(expect.arrayContaining(['上衣', '服装']));
    expect(found.RecognitionResult.CameraLabels).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: '上衣', FirstCategory: '服饰' })]),
    );
    expect(labelNames(none)).toEqual(expect.arrayContaining(['风景', '天空']));
    expect(labelNames(none).some((name) => ['上衣', '连衣裙', '服装', '鞋'].includes(name))).toBe(false);
  });

  it('names the scene list after scenes=', async () => {
    await put(INPUT, productJpeg());

    const web = await ciGet(INPUT, { 'ci-process': 'detect-label', scenes: 'web' });

    expect(web.RecognitionResult.WebLabels).toBeDefined();
    expect(web.RecognitionResult.CameraLabels).toBeUndefined();
  });
});

describe('Pic-Operations (persistent processing)', () => {
  const output = 'output/u_1/task_ci000001/clean.jpg';

  it('mats the product onto a white background as a real JPEG of the input size', async () => {
    await put(INPUT, productJpeg(64, 48));

    const result = await imageProcess(INPUT, {
      is_pic_info: 1,
      rules: [{ fileid: `/${output}`, rule: `ci-process=GoodsMatting|imageMogr2/color/${WHITE_B64}/format/jpg` }],
    });

    expect(result.UploadResult.OriginalInfo).toMatchObject({ Key: INPUT, ImageInfo: { Format: 'jpeg', Width: '64', Height: '48' } });
    const processed = result.UploadResult.ProcessResults.Object;
    expect(processed).toMatchObject({ Key: output, Format: 'jpg', Width: '64', Height: '48' });
    expect(processed.Location).toBe(`127.0.0.1:${sandbox.port}/${BUCKET}/${output}`);
    const { body, contentType } = await getBytes(output);
    expect(contentType).toBe('image/jpeg');
    expect(String(body.length)).toBe(processed.Size);
    const image = decodeJpeg(body);
    expect([image.width, image.height]).toEqual([64, 48]);
    const [r, g, b] = pixel(image, 32, 24);
    expect(r).toBeGreaterThan(150); // the red product survives
    expect(g).toBeLessThan(90);
    expect(b).toBeLessThan(90);
  });

  it('composites onto the template colour, which follows the input', async () => {
    await put(INPUT, productJpeg(40, 40));

    await imageProcess(INPUT, {
      rules: [{ fileid: 'studio.jpg', rule: `ci-process=GoodsMatting|imageMogr2/color/${GREY_B64}/format/jpg` }],
    });

    // Relative fileid: next to the source object.
    const image = decodeJpeg((await getBytes('input/u_1/task_ci000001/studio.jpg')).body);
    const [r, g, b] = pixel(image, 1, 1);
    for (const channel of [r, g, b]) expect(Math.abs(channel - 128)).toBeLessThan(12);
  });

  it('keeps transparency in a PNG cut-out, and resizes with thumbnail + pad', async () => {
    await put(INPUT, productJpeg(64, 48));

    const result = await imageProcess(INPUT, {
      rules: [
        { fileid: '/output/cut.png', rule: 'ci-process=GoodsMatting' },
        { fileid: '/output/square.jpg', rule: `imageMogr2/thumbnail/100x100/pad/1/color/${WHITE_B64}/format/jpg` },
      ],
    });

    expect(result.UploadResult.ProcessResults.Object).toHaveLength(2);
    const cut = decodePng((await getBytes('output/cut.png')).body);
    expect(pixel(cut, 0, 0)[3]).toBe(0);
    expect(pixel(cut, 32, 24)[3]).toBe(255);
    const square = decodeJpeg((await getBytes('output/square.jpg')).body);
    expect([square.width, square.height]).toEqual([100, 100]);
  });

  it('processes at upload time with a Pic-Operations header on PUT', async () => {
    const result = await cos.putObject({
      Bucket: BUCKET,
      Region: REGION,
      Key: INPUT,
      Body: productJpeg(),
      Headers: { 'Pic-Operations': JSON.stringify({ is_pic_info: 1, rules: [{ fileid: '/output/up.png', rule: 'ci-process=GoodsMatting' }] }) },
    });

    expect(result.statusCode).toBe(200);
    expect(decodePng((await getBytes('output/up.png')).body).width).toBe(64);
    expect((await getBytes(INPUT)).body.length).toBeGreaterThan(0);
  });

  it('converts an uploaded PNG to a JPEG stored under the upload’s own key (imageMogr2/format/jpg)', async () => {
    // Arrange: how the API copies RunningHub's PNG frames (the result replaces the original, 1045/33695)
    const Key = 'output/u_1/task_ci000001/frame_01.jpg';

    // Act
    const result = await cos.putObject({
      Bucket: BUCKET,
      Region: REGION,
      Key,
      Body: solidPng(40, 30),
      ContentType: 'image/png',
      Headers: { 'Pic-Operations': JSON.stringify({ is_pic_info: 0, rules: [{ fileid: `/${Key}`, rule: 'imageMogr2/format/jpg' }] }) },
    });

    // Assert
    const stored = await getBytes(Key);
    expect(result.statusCode).toBe(200);
    expect(stored.body.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(stored.contentType).toBe('image/jpeg');
    expect(decodeJpeg(stored.body)).toMatchObject({ width: 40, height: 30 });
    expect(result.ETag).toBe(`"${createHash('md5').update(stored.body).digest('hex')}"`);
  });

  it('fails with ci=fail and writes nothing', async () => {
    await put(INPUT, productJpeg());
    await faults({ ci: 'fail' });

    const error = await cosFailure(imageProcess(INPUT, { rules: [{ fileid: `/${output}`, rule: 'ci-process=GoodsMatting' }] }));

    expect(error).toMatchObject({ statusCode: 500, code: 'InternalError' });
    expect(await cosFailure(getBytes(output))).toMatchObject({ statusCode: 404 });
    // imageInfo is not processing and keeps working.
    expect(await ciGet(INPUT, { imageInfo: '' })).toMatchObject({ format: 'jpeg' });
  });

  it('refuses unknown rules, bad JSON and a missing source with COS errors', async () => {
    await put(INPUT, productJpeg());
    await put('input/u_1/task_ci000001/fake.jpg', tinyGif());

    expect(await cosFailure(imageProcess(INPUT, { rules: [{ fileid: '/o.jpg', rule: 'watermark/1/image/abc' }] }))).toMatchObject({
      statusCode: 400,
      code: 'InvalidArgument',
    });
    expect(await cosFailure(imageProcess(INPUT, { rules: [] }))).toMatchObject({ statusCode: 400 });
    expect(await cosFailure(imageProcess(INPUT, { rules: [{ fileid: 'dir/', rule: 'ci-process=GoodsMatting' }] }))).toMatchObject({
      statusCode: 400,
    });
    expect(await cosFailure(imageProcess('input/none.jpg', { rules: [{ fileid: '/o.jpg', rule: 'ci-process=GoodsMatting' }] }))).toMatchObject({
      statusCode: 404,
      code: 'NoSuchKey',
    });
    expect(
      await cosFailure(imageProcess('input/u_1/task_ci000001/fake.jpg', { rules: [{ fileid: '/o.jpg', rule: 'ci-process=GoodsMatting' }] })),
    ).toMatchObject({ statusCode: 400, code: 'InvalidImageFormat' });
  });

  it('is refused to upload-only STS keys', async () => {
    await put(INPUT, productJpeg());
    const keys = await mintUploadKeys(stsClient(sandbox, newKeepAliveAgent()), uploadPolicy('input/u_1/task_ci000001/'));
    const temp = temporaryCos(sandbox, keys);

    const error = await cosFailure(
      temp.request({
        Bucket: BUCKET,
        Region: REGION,
        Key: INPUT,
        Method: 'POST',
        Action: 'image_process',
        Headers: { 'Pic-Operations': JSON.stringify({ rules: [{ fileid: '/output/x.png', rule: 'ci-process=GoodsMatting' }] }) },
      }),
    );

    expect(error).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
  });
});

describe('matting on download', () => {
  it('returns a PNG cut-out for GET ?ci-process=GoodsMatting', async () => {
    await put(INPUT, productJpeg(30, 20));

    const result = await cos.request({
      Bucket: BUCKET,
      Region: REGION,
      Key: INPUT,
      Method: 'GET',
      Query: { 'ci-process': 'GoodsMatting' },
      RawBody: true,
    });

    const png = decodePng(result.Body as Buffer);
    expect([png.width, png.height]).toEqual([30, 20]);
  });
});
