import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/** The shim that stands in for iconv-lite in function bundles, checked against the real package. */
interface IconvLike {
  decode(buffer: Buffer, encoding: string): string;
  encode(text: string, encoding: string): Buffer;
  getDecoder(encoding: string): { write(buffer: Buffer): string; end(): string | undefined };
  encodingExists(encoding: string): boolean;
}

const requireHere = createRequire(import.meta.url);
const shim = requireHere('../../infra/build/shims/iconv-lite.cjs') as IconvLike;
const iconv = requireHere('iconv-lite') as IconvLike;

const samples = ['10.11.19-MariaDB-0+deb12u1', "Table 'aiphoto.no_such' doesn't exist", '商品图 – 白底', 'emoji 👕 and 𠀀 outside the BMP', ''];

describe('iconv-lite shim', () => {
  it.each(samples)('encodes and decodes CESU-8 exactly as iconv-lite does: %j', (text) => {
    const encoded = iconv.encode(text, 'cesu8');

    expect(shim.encode(text, 'cesu8').equals(encoded)).toBe(true);
    expect(shim.decode(encoded, 'cesu8')).toBe(text);
    expect(shim.getDecoder('CESU-8').write(encoded)).toBe(iconv.getDecoder('cesu8').write(encoded));
  });

  it('refuses encodings it does not carry, naming them', () => {
    expect(shim.encodingExists('gbk')).toBe(false);
    expect(() => shim.getDecoder('gbk')).toThrow(/encoding not bundled: gbk/);
  });
});
