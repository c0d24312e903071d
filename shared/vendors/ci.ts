import type COS from 'cos-nodejs-sdk-v5';
import { withinVendorTimeout } from '../deadline';
import { loadOnce } from './load-once';
import type { CosOptions } from './cos';
import { VendorError } from './vendor-error';

/**
 * Tencent Cloud Infinite (数据万象) on COS objects through cos-nodejs-sdk-v5 (vendors.md §2,
 * docs/sandbox-wire-formats.md §3): image facts, moderation, labels and persistent processing.
 * The SDK is imported on the first call (it takes ~130 ms to load).
 */
export interface CloudInfinite {
  /** Format and size from the object's bytes. Throws VendorError `InvalidImageFormat`-like codes when not an image. */
  imageInfo(key: string): Promise<ImageInfo>;
  moderate(key: string): Promise<ModerationResult>;
  detectLabels(key: string): Promise<ImageLabel[]>;
  /** Runs one Pic-Operations rule on `sourceKey`, writing `outputKey`. */
  process(sourceKey: string, outputKey: string, rule: string): Promise<{ key: string; size: number | undefined }>;
}

export interface ImageInfo {
  /** Lower case: jpeg, png, gif, webp, bmp, … */
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly size: number;
}

/** `Result`: 0 normal, 1 violating, 2 suspicious (needs human review). */
export interface ModerationResult {
  readonly result: 0 | 1 | 2;
  readonly label: string;
  readonly score: number;
}

export interface ImageLabel {
  readonly name: string;
  readonly confidence: number;
  /** FirstCategory / SecondCategory where the scene list gives them. */
  readonly categories: readonly string[];
}

type Parsed = Record<string, unknown>;

const asArray = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const asRecord = (value: unknown): Parsed => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Parsed) : {});
const asText = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** Every label list in a detect-label answer: the legacy `Labels` and the per-scene lists. */
export function parseLabels(result: Parsed): ImageLabel[] {
  const lists = ['Labels', 'CameraLabels', 'WebLabels', 'AlbumLabels', 'NewsLabels'];
  return lists.flatMap((name) =>
    // The SDK's XML parser gives an object, not an array, for a single element.
    asArray(result[name]).map((entry) => {
      const label = asRecord(entry);
      return {
        name: asText(label.Name),
        confidence: Number(asText(label.Confidence) || 0),
        categories: [asText(label.FirstCategory), asText(label.SecondCategory)].filter(Boolean),
      };
    }),
  );
}

interface CosSdkFailure {
  code?: string;
  message?: string;
  statusCode?: number;
  error?: { Code?: string; Message?: string } | string;
}

/** Turns the SDK's error object (or a transport error) into a VendorError. */
export function ciError(error: unknown): VendorError {
  if (error instanceof VendorError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as CosSdkFailure;
  const detail = typeof failure.error === 'object' ? failure.error : undefined;
  const code = detail?.Code ?? failure.code ?? (failure.statusCode ? String(failure.statusCode) : 'NetworkError');
  const message = detail?.Message ?? failure.message ?? (typeof failure.error === 'string' ? failure.error : 'CI request failed');
  return new VendorError('ci', code, message, failure.statusCode);
}

export function cloudInfinite(options: CosOptions): CloudInfinite {
  const sdk = loadOnce(async (): Promise<COS> => {
    const { default: Cos } = await import('cos-nodejs-sdk-v5');
    return new Cos({
      SecretId: options.secretId,
      SecretKey: options.secretKey,
      // The SDK's ForcePathStyle throws in 3.0.0; a Domain template with the bucket in the path
      // gives the same `<url>/<bucket>/<key>` requests (docs/sandbox-wire-formats.md §2.1).
      ...(options.baseUrl ? { Domain: `${options.baseUrl}/{Bucket}`, Protocol: options.baseUrl.startsWith('https:') ? 'https:' : 'http:' } : {}),
      Timeout: options.timeoutMs ?? 30_000,
      KeepAlive: true,
    });
  });
  const request = async (key: string, params: { Method: string; Query?: Record<string, string>; Action?: string; Headers?: Record<string, string> }): Promise<Parsed> => {
    const cos = await sdk();
    try {
      // The SDK has one timeout per client; the invocation's deadline is applied around each call.
      const call = cos.request({ Bucket: options.bucket, Region: options.region, Key: key, ...params }) as Promise<Parsed>;
      return await withinVendorTimeout(call, options.timeoutMs ?? 30_000, () => new VendorError('ci', 'Timeout', `${params.Method} ${key}: no answer before the function's deadline`));
    } catch (error) {
      throw ciError(error);
    }
  };

  return {
    async imageInfo(key) {
      // The SDK sends `?imageInfo` for an Action; the body is JSON with every value a string.
      const data = await request(key, { Method: 'GET', Action: 'imageInfo' });
      const body = asRecord(typeof data.Body === 'string' ? safeJson(data.Body) : data.Body ?? data);
      const format = asText(body.format).toLowerCase();
      if (!format) throw new VendorError('ci', 'UnexpectedResponse', 'imageInfo answer has no format');
      return { format, width: Number(body.width), height: Number(body.height), size: Number(body.size) };
    },

    async moderate(key) {
      const data = await request(key, { Method: 'GET', Query: { 'ci-process': 'sensitive-content-recognition' } });
      const result = asRecord(data.RecognitionResult);
      const value = Number(asText(result.Result));
      if (value !== 0 && value !== 1 && value !== 2) throw new VendorError('ci', 'UnexpectedResponse', 'moderation answer has no Result');
      return { result: value, label: asText(result.Label), score: Number(asText(result.Score) || 0) };
    },

    async detectLabels(key) {
      const data = await request(key, { Method: 'GET', Query: { 'ci-process': 'detect-label' } });
      return parseLabels(asRecord(data.RecognitionResult));
    },

    async process(sourceKey, outputKey, rule) {
      const operations = { is_pic_info: 0, rules: [{ fileid: `/${outputKey}`, rule }] };
      const data = await request(sourceKey, { Method: 'POST', Action: 'image_process', Headers: { 'Pic-Operations': JSON.stringify(operations) } });
      const results = asArray(asRecord(asRecord(data.UploadResult).ProcessResults).Object).map(asRecord);
      const written = results.find((entry) => asText(entry.Key).replace(/^\//, '') === outputKey);
      if (!written) throw new VendorError('ci', 'UnexpectedResponse', 'image_process answer does not list the output');
      const size = Number(asText(written.Size));
      return { key: outputKey, size: Number.isFinite(size) ? size : undefined };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
