/** Image types told apart by their first bytes (never by a file name or a declared Content-Type). */
export interface SniffedImage {
  readonly format: 'jpeg' | 'png' | 'webp';
  readonly extension: 'jpg' | 'png' | 'webp';
  readonly contentType: string;
}

export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { format: 'jpeg', extension: 'jpg', contentType: 'image/jpeg' };
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((value, index) => bytes[index] === value)) return { format: 'png', extension: 'png', contentType: 'image/png' };
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { format: 'webp', extension: 'webp', contentType: 'image/webp' };
  return undefined;
}
