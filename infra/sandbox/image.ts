/**
 * Real image bytes for CI and RunningHub: format and size sniffed from magic bytes and headers (never the
 * file name or Content-Type), decoding/encoding of JPEG and PNG with pure-JS codecs (jpeg-js, pngjs), and the
 * few pixel operations the sandbox's CI plays (matting, resize, pad, flatten onto a background colour).
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp';

export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly frameCount: number;
}

/** Straight (non-premultiplied) RGBA, 4 bytes per pixel, rows top to bottom. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** Bytes that are not an image we can read (or too big to decode on a dev machine). */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

/** Decoding beyond this would allocate hundreds of MB; real uploads are ≤ 10 MB (a 12 MP photo). */
export const MAX_DECODE_PIXELS = 30_000_000;
/** CI's output ceiling per side (vendors.md §2.4, the older and stricter figure). */
export const MAX_OUTPUT_SIDE = 9999;

// ---------------------------------------------------------------------------------------------
// Sniffing

export function sniffImage(bytes: Uint8Array): ImageHeader | null {
  try {
    return sniffPng(bytes) ?? sniffJpeg(bytes) ?? sniffGif(bytes) ?? sniffWebp(bytes) ?? sniffBmp(bytes);
  } catch {
    // A truncated header reads past the end; that is "not an image", not a sandbox failure.
    return null;
  }
}

function sniffPng(b: Uint8Array): ImageHeader | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || !signature.every((byte, i) => b[i] === byte)) return null;
  if (ascii(b, 12, 4) !== 'IHDR') return null;
  return { format: 'png', width: u32be(b, 16), height: u32be(b, 20), bitDepth: at(b, 24), frameCount: 1 };
}

/** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function sniffJpeg(b: Uint8Array): ImageHeader | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null;
    let marker = at(b, i + 1);
    while (marker === 0xff && i + 2 < b.length) {
      i += 1; // fill bytes
      marker = at(b, i + 1);
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end / scan before any frame header
    const length = u16be(b, i + 2);
    if (isStartOfFrame(marker)) {
      return { format: 'jpeg', bitDepth: at(b, i + 4), height: u16be(b, i + 5), width: u16be(b, i + 7), frameCount: 1 };
    }
    if (length < 2) return null;
    i += 2 + length;
  }
  return null;
}

function sniffGif(b: Uint8Array): ImageHeader | null {
  const magic = ascii(b, 0, 6);
  if (magic !== 'GIF87a' && magic !== 'GIF89a') return null;
  const packed = at(b, 10);
  const bitDepth = (packed & 0x07) + 1;
  return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8), bitDepth, frameCount: countGifFrames(b) };
}

/** Walks the block structure; a damaged file counts the frames seen so far (at least 1). */
function countGifFrames(b: Uint8Array): number {
  let i = 13;
  const packed = at(b, 10);
  if (packed & 0x80) i += 3 * 2 ** ((packed & 0x07) + 1);
  let frames = 0;
  while (i < b.length) {
    const block = b[i];
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      i = skipSubBlocks(b, i + 2); // extension: introducer, label, sub-blocks
    } else if (block === 0x2c) {
      frames += 1;
      const local = at(b, i + 9);
      i += 10;
      if (local & 0x80) i += 3 * 2 ** ((local & 0x07) + 1);
      i = skipSubBlocks(b, i + 1); // LZW minimum code size, then data sub-blocks
    } else {
      break;
    }
  }
  return Math.max(frames, 1);
}

function skipSubBlocks(b: Uint8Array, start: number): number {
  let i = start;
  while (i < b.length) {
    const size = at(b, i);
    i += 1;
    if (size === 0) break;
    i += size;
  }
  return i;
}

function sniffWebp(b: Uint8Array): ImageHeader | null {
  if (b.length < 30 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff, bitDepth: 8, frameCount: 1 };
  }
  if (chunk === 'VP8L') {
    const bits = u32le(b, 21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, bitDepth: 8, frameCount: 1 };
  }
  if (chunk === 'VP8X') {
    const width = (at(b, 24) | (at(b, 25) << 8) | (at(b, 26) << 16)) + 1;
    const height = (at(b, 27) | (at(b, 28) << 8) | (at(b, 29) << 16)) + 1;
    return { format: 'webp', width, height, bitDepth: 8, frameCount: 1 };
  }
  return null;
}

function sniffBmp(b: Uint8Array): ImageHeader | null {
  if (b.length < 30 || b[0] !== 0x42 || b[1] !== 0x4d) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = view.getInt32(18, true);
  const height = Math.abs(view.getInt32(22, true));
  if (width <= 0 || height <= 0) return null;
  return { format: 'bmp', width, height, bitDepth: view.getUint16(28, true), frameCount: 1 };
}

// ---------------------------------------------------------------------------------------------
// Codecs

/** Decodes JPEG or PNG to RGBA; anything else, or anything broken or huge, throws ImageError. */
export function decodeImage(bytes: Buffer): RgbaImage {
  const header = sniffImage(bytes);
  if (!header) throw new ImageError('the object is not a recognised image');
  if (header.format !== 'jpeg' && header.format !== 'png') {
    throw new ImageError(`processing ${header.format} images is not supported by the sandbox (JPEG and PNG are)`);
  }
  if (header.width <= 0 || header.height <= 0 || header.width * header.height > MAX_DECODE_PIXELS) {
    throw new ImageError(`image is ${header.width}x${header.height}; the sandbox decodes at most ${MAX_DECODE_PIXELS} pixels`);
  }
  try {
    if (header.format === 'png') {
      const png = PNG.sync.read(bytes);
      return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
    }
    const decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_DECODE_PIXELS / 1_000_000,
      maxMemoryUsageInMB: 512,
    });
    return { width: decoded.width, height: decoded.height, data: decoded.data };
  } catch (error) {
    throw new ImageError(`the ${header.format} image could not be decoded: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
}

export function encodePng(image: RgbaImage, options: { readonly alpha?: boolean } = {}): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png, { colorType: options.alpha === false ? 2 : 6 });
}

export function encodeJpeg(image: RgbaImage, quality: number): Buffer {
  return jpeg.encode({ width: image.width, height: image.height, data: image.data }, quality).data;
}

// ---------------------------------------------------------------------------------------------
// Pixel operations

export function createImage(width: number, height: number, fill: Rgb, alpha = 255): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = fill.r;
    data[i + 1] = fill.g;
    data[i + 2] = fill.b;
    data[i + 3] = alpha;
  }
  return { width, height, data };
}

/** Mean colour of the outermost pixel ring: the "background" a product shot is taken against. */
export function borderColour(image: RgbaImage): Rgb {
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  const add = (x: number, y: number): void => {
    const i = (y * image.width + x) * 4;
    r += at(image.data, i);
    g += at(image.data, i + 1);
    b += at(image.data, i + 2);
    n += 1;
  };
  for (let x = 0; x < image.width; x += 1) {
    add(x, 0);
    add(x, image.height - 1);
  }
  for (let y = 0; y < image.height; y += 1) {
    add(0, y);
    add(image.width - 1, y);
  }
  return n === 0 ? { r: 255, g: 255, b: 255 } : { r: r / n, g: g / n, b: b / n };
}

/**
 * Stand-in for GoodsMatting: pixels close to the border colour become transparent, distinct ones stay,
 * with a soft ramp between. Not a segmentation model, but the result depends on the real input.
 */
export function matte(image: RgbaImage): RgbaImage {
  const background = borderColour(image);
  const data = new Uint8Array(image.data);
  const transparentBelow = 24;
  const opaqueAbove = 72;
  for (let i = 0; i < data.length; i += 4) {
    const dr = at(data, i) - background.r;
    const dg = at(data, i + 1) - background.g;
    const db = at(data, i + 2) - background.b;
    const distance = Math.sqrt(dr * dr + dg * dg + db * db);
    const ramp = (distance - transparentBelow) / (opaqueAbove - transparentBelow);
    const keep = Math.min(1, Math.max(0, ramp));
    data[i + 3] = Math.round(at(data, i + 3) * keep);
  }
  return { width: image.width, height: image.height, data };
}

/** Nearest-neighbour: crude but dependency-free and exact for the sizes tests check. */
export function resize(image: RgbaImage, width: number, height: number): RgbaImage {
  if (width === image.width && height === image.height) return image;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    const sy = Math.min(image.height - 1, Math.floor((y * image.height) / height));
    for (let x = 0; x < width; x += 1) {
      const sx = Math.min(image.width - 1, Math.floor((x * image.width) / width));
      const from = (sy * image.width + sx) * 4;
      data.set(image.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Centres the image on a width×height canvas of `fill` (transparent when fill is null). */
export function pad(image: RgbaImage, width: number, height: number, fill: Rgb | null): RgbaImage {
  const canvas = createImage(width, height, fill ?? { r: 0, g: 0, b: 0 }, fill ? 255 : 0);
  const offsetX = Math.floor((width - image.width) / 2);
  const offsetY = Math.floor((height - image.height) / 2);
  for (let y = 0; y < image.height; y += 1) {
    const ty = y + offsetY;
    if (ty < 0 || ty >= height) continue;
    for (let x = 0; x < image.width; x += 1) {
      const tx = x + offsetX;
      if (tx < 0 || tx >= width) continue;
      const from = (y * image.width + x) * 4;
      canvas.data.set(image.data.subarray(from, from + 4), (ty * width + tx) * 4);
    }
  }
  return canvas;
}

/** Composites onto an opaque background colour ("put the cut-out on the template"). */
export function flatten(image: RgbaImage, background: Rgb): RgbaImage {
  const data = new Uint8Array(image.data.length);
  for (let i = 0; i < data.length; i += 4) {
    const alpha = at(image.data, i + 3) / 255;
    data[i] = Math.round(at(image.data, i) * alpha + background.r * (1 - alpha));
    data[i + 1] = Math.round(at(image.data, i + 1) * alpha + background.g * (1 - alpha));
    data[i + 2] = Math.round(at(image.data, i + 2) * alpha + background.b * (1 - alpha));
    data[i + 3] = 255;
  }
  return { width: image.width, height: image.height, data };
}

export function hasTransparency(image: RgbaImage): boolean {
  for (let i = 3; i < image.data.length; i += 4) if (at(image.data, i) !== 255) return true;
  return false;
}

/** Average colour as CI's `Ave` field prints it (`0xRRGGBB`). */
export function averageColourHex(image: RgbaImage): string {
  let r = 0;
  let g = 0;
  let b = 0;
  const pixels = image.width * image.height;
  for (let i = 0; i < image.data.length; i += 4) {
    r += at(image.data, i);
    g += at(image.data, i + 1);
    b += at(image.data, i + 2);
  }
  const hex = (sum: number): string => Math.round(pixels === 0 ? 0 : sum / pixels).toString(16).padStart(2, '0');
  return `0x${hex(r)}${hex(g)}${hex(b)}`;
}

// ---------------------------------------------------------------------------------------------
// Byte readers (out-of-range reads return 0 instead of undefined: callers validate sizes separately)

function at(b: Uint8Array, i: number): number {
  return b[i] ?? 0;
}

function u16be(b: Uint8Array, i: number): number {
  return (at(b, i) << 8) | at(b, i + 1);
}

function u16le(b: Uint8Array, i: number): number {
  return at(b, i) | (at(b, i + 1) << 8);
}

function u32be(b: Uint8Array, i: number): number {
  return ((at(b, i) << 24) | (at(b, i + 1) << 16) | (at(b, i + 2) << 8) | at(b, i + 3)) >>> 0;
}

function u32le(b: Uint8Array, i: number): number {
  return (at(b, i) | (at(b, i + 1) << 8) | (at(b, i + 2) << 16) | (at(b, i + 3) << 24)) >>> 0;
}

function ascii(b: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = start; i < start + length; i += 1) out += String.fromCharCode(at(b, i));
  return out;
}
