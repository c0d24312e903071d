import { crc32, deflateSync } from 'node:zlib';

/**
 * Real, decodable images built in code (no fixtures, no dependencies): a baseline JPEG, a PNG and
 * a GIF. The pictures are a dark "garment" block on a light background, so matting has an edge.
 */
type Shade = (x: number, y: number) => number;

const garment: Shade = (x, y) => (x > 0.3 && x < 0.7 && y > 0.2 && y < 0.85 ? 60 : 235);

/**
 * A grayscale baseline JPEG whose 8×8 blocks are flat (DC-only): quantiser 1, the standard DC
 * Huffman table and a one-code AC table (end of block). Every decoder reads it.
 */
export function jpegImage(options: { width?: number; height?: number; shade?: Shade; padTo?: number } = {}): Buffer {
  const width = options.width ?? 64;
  const height = options.height ?? 64;
  if (width % 8 !== 0 || height % 8 !== 0) throw new Error('jpegImage: width and height must be multiples of 8');
  const shade = options.shade ?? garment;
  const u16 = (value: number) => [(value >> 8) & 0xff, value & 0xff];
  const segment = (marker: number, body: number[]) => [0xff, marker, ...u16(body.length + 2), ...body];

  const dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcCodes = ['00', '010', '011', '100', '101', '110', '1110', '11110', '111110', '1111110', '11111110', '111111110'];
  let bits = '';
  let previous = 0;
  for (let by = 0; by < height / 8; by += 1) {
    for (let bx = 0; bx < width / 8; bx += 1) {
      const level = Math.round(shade((bx * 8 + 4) / width, (by * 8 + 4) / height));
      const dc = 8 * (Math.max(0, Math.min(255, level)) - 128);
      const diff = dc - previous;
      previous = dc;
      const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      bits += dcCodes[category] ?? '';
      if (category > 0) bits += (diff > 0 ? diff : diff + (1 << category) - 1).toString(2).padStart(category, '0');
      bits += '0'; // end of block
    }
  }
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '1');
  const scan: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = parseInt(bits.slice(i, i + 8), 2);
    scan.push(byte);
    if (byte === 0xff) scan.push(0x00);
  }

  const bytes = [
    0xff, 0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [0x08, ...u16(height), ...u16(width), 0x01, 0x01, 0x11, 0x00]),
    ...segment(0xc4, [0x00, ...dcCounts, ...Array.from({ length: 12 }, (_, i) => i)]),
    ...segment(0xc4, [0x10, 1, ...new Array<number>(15).fill(0), 0x00]),
    ...segment(0xda, [0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]),
    ...scan,
    0xff, 0xd9,
  ];
  const image = Buffer.from(bytes);
  if (!options.padTo || options.padTo <= image.length) return image;
  // Bytes after EOI are ignored by decoders: a real JPEG of exactly `padTo` bytes.
  return Buffer.concat([image, Buffer.alloc(options.padTo - image.length)]);
}

/** An 8-bit RGB PNG. */
export function pngImage(options: { width?: number; height?: number; shade?: Shade } = {}): Buffer {
  const width = options.width ?? 48;
  const height = options.height ?? 48;
  const shade = options.shade ?? garment;
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const level = shade((x + 0.5) / width, (y + 0.5) / height);
      rows.set([level, Math.round(level * 0.8), Math.round(level * 0.6)], y * (width * 3 + 1) + 1 + x * 3);
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** A 1×1 GIF89a (to be uploaded under a .jpg name). */
export function gifImage(): Buffer {
  return Buffer.from('47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b', 'hex');
}
