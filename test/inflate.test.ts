// The raw DEFLATE decoder the embedded wasm builds go through (src/inflate.ts): every embedded build inflates to a
// valid module of the recorded size (and, in Node, to the very bytes of build/*.wasm); round trips through zlib's
// encoder cover stored, fixed-Huffman and dynamic-Huffman blocks; corrupt input throws.
import { describe, expect, it } from 'vitest';
import { inflateRaw } from '../src/inflate';
import * as relaxed from '../src/wasm-binaries/relaxed';
import * as scalar from '../src/wasm-binaries/scalar';
import * as simd from '../src/wasm-binaries/simd';
import { rng } from './helpers';

const isNode = typeof process === 'object' && !!process.versions?.node;
const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

describe('inflateRaw', () => {
  for (const [name, b] of Object.entries({ relaxed, scalar, simd })) {
    it(`the embedded ${name} build inflates to a module of ${b.size} bytes`, async () => {
      const bytes = inflateRaw(fromBase64(b.deflated), b.size);
      expect(bytes.length).toBe(b.size);
      expect(Array.from(bytes.subarray(0, 8))).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
      if (isNode) {
        const { readFileSync } = await import('node:fs');
        const want = readFileSync(new URL(`../build/convcorr.${name}.wasm`, import.meta.url));
        expect(Buffer.compare(Buffer.from(bytes), want)).toBe(0);
      }
    });
  }

  it.skipIf(!isNode)('round trips zlib raw DEFLATE: stored, fixed and dynamic Huffman blocks, every level', async () => {
    const zlib = await import('node:zlib');
    const r = rng(15);
    const inputs: Uint8Array[] = [new Uint8Array(0), new Uint8Array([7]), new Uint8Array(200_000)];
    // Random bytes (mostly stored or literal-heavy), a small alphabet with repeats (long matches, far distances).
    inputs.push(Uint8Array.from({ length: 70_000 }, () => Math.floor(r() * 256)));
    inputs.push(Uint8Array.from({ length: 100_000 }, (_, i) => (i % 1000 < 500 ? i % 7 : Math.floor(r() * 4) * 60)));
    const { Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_DEFAULT_STRATEGY } = zlib.constants;
    let cases = 0;
    for (const input of inputs) {
      for (const level of [0, 1, 6, 9]) {
        for (const strategy of [Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE]) {
          const d = zlib.deflateRawSync(input, { level, strategy });
          const back = inflateRaw(new Uint8Array(d), input.length);
          expect(Buffer.compare(Buffer.from(back), Buffer.from(input)), `level ${level} strategy ${strategy} n ${input.length}`).toBe(0);
          cases++;
        }
      }
    }
    expect(cases).toBe(80);
  });

  it('corrupt or truncated input throws', () => {
    const d = fromBase64(scalar.deflated);
    expect(() => inflateRaw(d.subarray(0, d.length >> 1), scalar.size)).toThrow(/inflate: corrupt data/);
    expect(() => inflateRaw(d, scalar.size - 1)).toThrow(/inflate: corrupt data/);
    expect(() => inflateRaw(new Uint8Array([0xff, 0xff]), 10)).toThrow(/inflate: corrupt data/);
  });
});
