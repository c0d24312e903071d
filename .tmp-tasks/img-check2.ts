import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
const j = jpeg.decode(readFileSync('/tmp/t.jpg'), { useTArray: true });
console.log('jpeg', j.width, j.height, j.data[0], j.data[(48 * 128 + 64) * 4]);
const b = jpeg.decode(readFileSync('/tmp/big.jpg'), { useTArray: true });
console.log('big', b.width, b.height);
const p = PNG.sync.read(readFileSync('/tmp/t.png'));
console.log('png', p.width, p.height, p.data[0], p.data[(24*48+24)*4]);
