/**
 * Tencent Cloud Infinite (数据万象) as reached through COS object URLs (vendors.md §2.1–2.8): imageInfo,
 * sensitive-content-recognition, detect-label, matting on download and persistent processing with
 * Pic-Operations. The COS module authenticates and authorises first, then calls in here.
 * Everything is computed from the real stored bytes except the two AI verdicts (moderation, labels),
 * which the faults decide because the sandbox has no classifier.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CosError, type CosObject, type CosObjectStore } from './cos-store';
import {
  type ImageHeader,
  MAX_DECODE_PIXELS,
  MAX_OUTPUT_SIDE,
  type RgbaImage,
  type Rgb,
  averageColourHex,
  decodeImage,
  encodeJpeg,
  encodePng,
  flatten,
  hasTransparency,
  matte,
  pad,
  resize,
  sniffImage,
} from './image';
import type { SandboxState } from './state';
import type { XmlElement } from './xml';

export const MATTING_PROCESSES: ReadonlySet<string> = new Set(['GoodsMatting', 'AIPicMatting', 'AIPortraitMatting']);
export const MAX_PIC_OPERATION_RULES = 5;
const DEFAULT_JPEG_QUALITY = 90;
const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** Faults this module reads; `review` is a sandbox addition so "suspicious" (Result 2) can be tested too. */
export function defineCiFaults(state: SandboxState): void {
  state.defineFault('moderation', { defaultValue: 'pass', values: ['pass', 'block', 'review'] });
}

// ---------------------------------------------------------------------------------------------
// imageInfo

/** All values are strings, as CI prints them (vendors.md §2.6). */
export function imageInfo(object: CosObject): Record<string, string> {
  const header = requireImage(object);
  return {
    format: header.format,
    width: String(header.width),
    height: String(header.height),
    size: String(object.body.length),
    md5: createHash('md5').update(object.body).digest('hex'),
    frame_count: String(header.frameCount),
    bit_depth: String(header.bitDepth),
    vertical_dpi: '72',
    horizontal_dpi: '72',
  };
}

// ---------------------------------------------------------------------------------------------
// Moderation

interface SceneVerdict {
  readonly HitFlag: number;
  readonly Score: number;
  readonly Label: string;
  readonly Category: string;
  readonly SubLabel: string;
}

const CLEAN_SCENE: SceneVerdict = { HitFlag: 0, Score: 0, Label: '', Category: '', SubLabel: '' };

export function moderate(state: SandboxState, object: CosObject): XmlElement {
  requireImage(object);
  const fault = state.fault('moderation');
  const porn: SceneVerdict =
    fault === 'block' ? { HitFlag: 1, Score: 98, Label: 'Porn', Category: 'SexBehavior', SubLabel: 'SexBehavior' } : CLEAN_SCENE;
  const ads: SceneVerdict =
    fault === 'review' ? { HitFlag: 2, Score: 75, Label: 'Ads', Category: 'QRCode', SubLabel: 'QRCode' } : CLEAN_SCENE;
  const hit = fault === 'block' ? porn : fault === 'review' ? ads : null;
  return {
    JobId: `si${randomBytes(12).toString('hex')}`,
    State: 'Success',
    Object: object.key,
    Result: fault === 'block' ? 1 : fault === 'review' ? 2 : 0,
    Label: hit?.Label ?? 'Normal',
    Category: hit?.Category ?? '',
    SubLabel: hit?.SubLabel ?? '',
    Score: hit?.Score ?? 0,
    PornInfo: { ...porn },
    AdsInfo: { ...ads },
    TerrorismInfo: { ...CLEAN_SCENE },
    PoliticsInfo: { ...CLEAN_SCENE },
  };
}

// ---------------------------------------------------------------------------------------------
// detect-label

interface Label {
  readonly name: string;
  readonly confidence: number;
  readonly first: string;
  readonly second: string;
}

const GARMENT_LABELS: readonly Label[] = [
  { name: '服装', confidence: 95, first: '服饰', second: '服装' },
  { name: '上衣', confidence: 93, first: '服饰', second: '上衣' },
  { name: '连衣裙', confidence: 71, first: '服饰', second: '裙子' },
  { name: '鞋', confidence: 64, first: '服饰', second: '鞋' },
];

const NO_GARMENT_LABELS: readonly Label[] = [
  { name: '风景', confidence: 96, first: '自然风光', second: '风景' },
  { name: '天空', confidence: 91, first: '自然风光', second: '天空' },
  { name: '建筑', confidence: 70, first: '建筑', second: '建筑' },
];

const SCENE_LISTS: Readonly<Record<string, string>> = {
  camera: 'CameraLabels',
  web: 'WebLabels',
  album: 'AlbumLabels',
  news: 'NewsLabels',
};

export function detectLabels(state: SandboxState, object: CosObject, scenesParam: string | null): XmlElement {
  requireImage(object);
  const labels = state.fault('garment') === 'none' ? NO_GARMENT_LABELS : GARMENT_LABELS;
  const scenes = (scenesParam ?? 'camera').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = scenes.find((scene) => !(scene in SCENE_LISTS));
  if (unknown !== undefined) throw new CosError(400, 'InvalidArgument', `Unknown scenes value "${unknown}".`);
  const result: Record<string, XmlElement[]> = {
    Labels: labels.map((l) => ({ Name: l.name, Confidence: l.confidence })),
  };
  for (const scene of scenes.length > 0 ? scenes : ['camera']) {
    const listName = SCENE_LISTS[scene] ?? 'CameraLabels';
    result[listName] = labels.map((l) => ({
      Name: l.name,
      Confidence: l.confidence,
      FirstCategory: l.first,
      SecondCategory: l.second,
    }));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Processing pipelines (Pic-Operations rules, matting and imageMogr2 on download)

interface Thumbnail {
  readonly kind: 'percent' | 'width' | 'height' | 'fit' | 'exact' | 'shrink';
  readonly width: number;
  readonly height: number;
  readonly percent: number;
}

type Step =
  | { readonly kind: 'matting'; readonly process: string }
  | {
      readonly kind: 'mogr';
      readonly thumbnail: Thumbnail | null;
      readonly pad: boolean;
      readonly colour: Rgb | null;
      readonly format: 'jpg' | 'png' | null;
      readonly quality: number | null;
    };

export interface Pipeline {
  readonly steps: readonly Step[];
}

export interface ProcessedImage {
  readonly body: Buffer;
  readonly contentType: string;
  readonly format: 'jpg' | 'png';
  readonly width: number;
  readonly height: number;
  readonly quality: number;
}

/** `ci-process=GoodsMatting|imageMogr2/color/I0ZGRkZGRg/format/jpg` → steps; throws 400 InvalidArgument. */
export function parsePipeline(rule: string): Pipeline {
  const parts = rule.split('|').map((part) => part.trim());
  if (parts.length === 0 || parts.length > 10 || parts.some((part) => part === '')) {
    throw invalidRule(rule, 'a rule is 1-10 non-empty steps joined by "|"');
  }
  return { steps: parts.map((part) => parseStep(part)) };
}

function parseStep(step: string): Step {
  if (step.startsWith('ci-process=')) {
    const params = new URLSearchParams(step);
    const process = params.get('ci-process') ?? '';
    if (!MATTING_PROCESSES.has(process)) throw invalidRule(step, `ci-process must be one of ${[...MATTING_PROCESSES].join(', ')}`);
    return { kind: 'matting', process };
  }
  if (step.startsWith('imageMogr2/')) return parseMogr(step);
  throw invalidRule(step, 'the sandbox plays only ci-process=<matting> and imageMogr2/ steps');
}

function parseMogr(step: string): Step {
  const tokens = step.slice('imageMogr2/'.length).split('/');
  let thumbnail: Thumbnail | null = null;
  let padding = false;
  let colour: Rgb | null = null;
  let format: 'jpg' | 'png' | null = null;
  let quality: number | null = null;
  for (let i = 0; i < tokens.length; i += 1) {
    const op = tokens[i] ?? '';
    if (op === '') continue; // trailing "/" is common in examples
    if (op === 'strip') continue; // metadata is never kept by our encoders anyway
    const arg = tokens[i + 1];
    if (arg === undefined || arg === '') throw invalidRule(step, `imageMogr2 "${op}" needs a value`);
    i += 1;
    switch (op) {
      case 'thumbnail':
        thumbnail = parseThumbnail(step, arg);
        break;
      case 'pad':
        if (arg !== '1' && arg !== '0') throw invalidRule(step, 'pad must be 0 or 1');
        padding = arg === '1';
        break;
      case 'color':
        colour = parseColour(step, arg);
        break;
      case 'format': {
        const lower = arg.toLowerCase();
        if (lower !== 'jpg' && lower !== 'jpeg' && lower !== 'png') throw invalidRule(step, 'format must be png, jpg or jpeg');
        format = lower === 'png' ? 'png' : 'jpg';
        break;
      }
      case 'quality': {
        const value = Number(arg.replace(/!$/, ''));
        if (!Number.isInteger(value) || value < 1 || value > 100) throw invalidRule(step, 'quality must be 1-100');
        quality = value;
        break;
      }
      default:
        throw invalidRule(step, `imageMogr2 "${op}" is not played by the sandbox`);
    }
  }
  return { kind: 'mogr', thumbnail, pad: padding, colour, format, quality };
}

function parseThumbnail(step: string, raw: string): Thumbnail {
  let spec: string;
  try {
    spec = decodeURIComponent(raw);
  } catch {
    throw invalidRule(step, 'thumbnail is not valid URL encoding');
  }
  const side = (value: string | undefined): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > MAX_OUTPUT_SIDE) throw invalidRule(step, `thumbnail sides must be 1-${MAX_OUTPUT_SIDE}`);
    return n;
  };
  const percent = /^!(\d+)p$/.exec(spec);
  if (percent) {
    const value = Number(percent[1]);
    if (value < 1 || value > 1000) throw invalidRule(step, 'thumbnail percent must be 1-1000');
    return { kind: 'percent', width: 0, height: 0, percent: value };
  }
  const widthOnly = /^(\d+)x$/.exec(spec);
  if (widthOnly) return { kind: 'width', width: side(widthOnly[1]), height: 0, percent: 0 };
  const heightOnly = /^x(\d+)$/.exec(spec);
  if (heightOnly) return { kind: 'height', width: 0, height: side(heightOnly[1]), percent: 0 };
  const box = /^(\d+)x(\d+)([!>]?)$/.exec(spec);
  if (box) {
    const kind = box[3] === '!' ? 'exact' : box[3] === '>' ? 'shrink' : 'fit';
    return { kind, width: side(box[1]), height: side(box[2]), percent: 0 };
  }
  throw invalidRule(step, `thumbnail "${spec}" is not <W>x<H>, <W>x, x<H>, <W>x<H>!, <W>x<H>> or !<n>p`);
}

/** CI colours are URL-safe base64 of "#RRGGBB". */
function parseColour(step: string, encoded: string): Rgb {
  const text = Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const match = /^#?([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(text);
  if (!match) throw invalidRule(step, 'color must be URL-safe base64 of "#RRGGBB"');
  return { r: parseInt(match[1] ?? '0', 16), g: parseInt(match[2] ?? '0', 16), b: parseInt(match[3] ?? '0', 16) };
}

function thumbnailSize(image: RgbaImage, t: Thumbnail): { width: number; height: number } {
  const scaled = (scale: number) => ({
    width: Math.max(1, Math.round(image.width * scale)),
    height: Math.max(1, Math.round(image.height * scale)),
  });
  switch (t.kind) {
    case 'percent':
      return scaled(t.percent / 100);
    case 'width':
      return scaled(t.width / image.width);
    case 'height':
      return scaled(t.height / image.height);
    case 'exact':
      return { width: t.width, height: t.height };
    case 'fit':
      return scaled(Math.min(t.width / image.width, t.height / image.height));
    case 'shrink':
      return scaled(Math.min(1, t.width / image.width, t.height / image.height));
  }
}

/** Runs a pipeline on real bytes; fault `ci: fail` fails every processing call. */
export function runPipeline(state: SandboxState, source: CosObject, pipeline: Pipeline): ProcessedImage {
  failIfFaulted(state);
  const header = requireImage(source);
  let image = decodeImage(source.body);
  let format: 'jpg' | 'png' = header.format === 'png' ? 'png' : 'jpg';
  let background: Rgb | null = null;
  let quality: number | null = null;
  for (const step of pipeline.steps) {
    if (step.kind === 'matting') {
      image = matte(image);
      // A cut-out is only useful with its transparency; CI's matting output is PNG (vendors.md §2.5).
      format = 'png';
      continue;
    }
    if (step.colour) background = step.colour;
    if (step.format) format = step.format;
    if (step.quality !== null) quality = step.quality;
    if (step.thumbnail) {
      const size = thumbnailSize(image, step.thumbnail);
      checkOutputSize(size.width, size.height);
      image = resize(image, size.width, size.height);
      const box = step.thumbnail;
      if (step.pad && (box.kind === 'fit' || box.kind === 'shrink')) {
        image = pad(image, box.width, box.height, step.colour ?? WHITE);
      }
    }
  }
  checkOutputSize(image.width, image.height);
  if (format === 'jpg') {
    const q = quality ?? DEFAULT_JPEG_QUALITY;
    const flat = flatten(image, background ?? WHITE);
    return { body: encodeJpeg(flat, q), contentType: 'image/jpeg', format, width: image.width, height: image.height, quality: q };
  }
  const final = background ? flatten(image, background) : image;
  const body = encodePng(final, { alpha: hasTransparency(final) });
  return { body, contentType: 'image/png', format, width: final.width, height: final.height, quality: 100 };
}

function checkOutputSize(width: number, height: number): void {
  if (width > MAX_OUTPUT_SIDE || height > MAX_OUTPUT_SIDE || width * height > MAX_DECODE_PIXELS) {
    throw new CosError(400, 'InvalidArgument', `The output image would be ${width}x${height}; at most ${MAX_OUTPUT_SIDE} per side.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Pic-Operations

export interface PicOperationRule {
  /** Absolute object key (no leading "/"). */
  readonly key: string;
  readonly rule: string;
  readonly pipeline: Pipeline;
}

export interface PicOperations {
  readonly isPicInfo: boolean;
  readonly rules: readonly PicOperationRule[];
}

/** Validates the whole header before anything is written, so a bad rule never leaves half the results. */
export function parsePicOperations(header: string, bucket: string, sourceKey: string): PicOperations {
  let json: unknown;
  try {
    json = JSON.parse(header) as unknown;
  } catch {
    throw new CosError(400, 'InvalidArgument', 'Pic-Operations is not valid JSON.');
  }
  if (!isRecord(json)) throw new CosError(400, 'InvalidArgument', 'Pic-Operations must be a JSON object.');
  const rawRules = json.rules;
  if (!Array.isArray(rawRules) || rawRules.length === 0 || rawRules.length > MAX_PIC_OPERATION_RULES) {
    throw new CosError(400, 'InvalidArgument', `Pic-Operations.rules must hold 1-${MAX_PIC_OPERATION_RULES} rules.`);
  }
  const folder = sourceKey.includes('/') ? sourceKey.slice(0, sourceKey.lastIndexOf('/') + 1) : '';
  const rules = rawRules.map((raw: unknown, index): PicOperationRule => {
    if (!isRecord(raw)) throw new CosError(400, 'InvalidArgument', `rules[${index}] must be an object.`);
    const { fileid, rule } = raw;
    if (raw.bucket !== undefined && raw.bucket !== bucket) {
      throw new CosError(400, 'InvalidArgument', `rules[${index}].bucket must be this bucket (${bucket}).`);
    }
    if (typeof fileid !== 'string' || fileid === '' || fileid.endsWith('/') || fileid.length > 850) {
      throw new CosError(400, 'InvalidArgument', `rules[${index}].fileid must be a non-empty key not ending in "/".`);
    }
    if (typeof rule !== 'string' || rule === '') {
      throw new CosError(400, 'InvalidArgument', `rules[${index}].rule must be a non-empty string.`);
    }
    // A leading "/" means absolute; otherwise the key is relative to the source object's folder.
    const key = fileid.startsWith('/') ? fileid.replace(/^\/+/, '') : `${folder}${fileid}`;
    if (key === '') throw new CosError(400, 'InvalidArgument', `rules[${index}].fileid is empty.`);
    return { key, rule, pipeline: parsePipeline(rule) };
  });
  return { isPicInfo: json.is_pic_info === 1 || json.is_pic_info === '1', rules };
}

/**
 * Runs every rule, then stores every result (all or nothing), and describes them as UploadResult.
 * `storeSource` (processing on upload) stores the uploaded original between the two, so a rule
 * whose fileid is the upload's own key replaces the original, as COS does (1045/33695: the
 * original's ETag is then the result's).
 */
export function runPicOperations(
  state: SandboxState,
  store: CosObjectStore,
  source: CosObject,
  operations: PicOperations,
  host: string,
  storeSource?: () => void,
): XmlElement {
  const results = operations.rules.map((rule) => ({ rule, output: runPipeline(state, source, rule.pipeline) }));
  const header = requireImage(source);
  const decoded = decodeImage(source.body);
  storeSource?.();
  let sourceEtag = source.etag;
  const objects = results.map(({ rule, output }) => {
    const stored = store.put(source.bucket, rule.key, output.body, output.contentType);
    if (rule.key === source.key) sourceEtag = stored.etag;
    return {
      Key: rule.key,
      Location: `${host}/${source.bucket}/${rule.key}`,
      Format: output.format,
      Width: output.width,
      Height: output.height,
      Size: output.body.length,
      Quality: output.quality,
      ETag: stored.etag,
    };
  });
  return {
    OriginalInfo: {
      Key: source.key,
      Location: `${host}/${source.bucket}/${source.key}`,
      ETag: sourceEtag,
      ImageInfo: {
        Format: header.format,
        Width: header.width,
        Height: header.height,
        Quality: 100,
        Ave: averageColourHex(decoded),
        Orientation: 0,
      },
    },
    ProcessResults: { Object: objects },
  };
}

// ---------------------------------------------------------------------------------------------

export function failIfFaulted(state: SandboxState): void {
  if (state.fault('ci') === 'fail') {
    throw new CosError(500, 'InternalError', 'The image processing failed (sandbox fault ci=fail).');
  }
}

function requireImage(object: CosObject): ImageHeader {
  const header = sniffImage(object.body);
  if (!header) throw new CosError(400, 'InvalidImageFormat', 'The object is not a supported image.');
  return header;
}

function invalidRule(step: string, detail: string): CosError {
  return new CosError(400, 'InvalidArgument', `Unsupported processing rule "${step.slice(0, 200)}": ${detail}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
