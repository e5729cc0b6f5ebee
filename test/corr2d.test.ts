// The corr2d kernel itself, on every backend, against the naive loop:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
// Sizes either side of the SIMD tiles (2 rows × 4 vectors, 3×3 in 2 rows × 2 vectors, 1 row × 4 vectors, single
// vectors, scalar tails): widths 1..40, heights 1..9, kernel sides 1..15, accumulate on and off, strides wider than
// the rows, buffers that start off the 16-byte grid, and guard values around and between the output rows.
import { beforeAll, describe, expect, it } from 'vitest';
import { withWorkspace } from '../src/workspace';
import { backendCases, rng, useBackend } from './helpers';

function naive(x: number[], xStride: number, h: number[], kh: number, kw: number, out: number[], outH: number, outW: number, outStride: number, acc: boolean): number[] {
  const o = out.slice();
  for (let r = 0; r < outH; r++) {
    for (let c = 0; c < outW; c++) {
      let s = acc ? o[r * outStride + c] : 0;
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) s += x[(r + i) * xStride + c + j] * h[i * kw + j];
      o[r * outStride + c] = s;
    }
  }
  return o;
}

const GUARD = 777;

/** Run one kernel call in a fresh workspace; small integers keep every sum exact in float32 and float64. */
function check(dtype: 'float32' | 'float64', outH: number, outW: number, kh: number, kw: number, acc: boolean, seed: number): void {
  const r = rng(seed);
  const int = () => Math.floor(r() * 9) - 4;
  const xStride = outW + kw - 1 + (seed % 3); // sometimes wider than the row
  const outStride = outW + (seed % 2) * 3; // sometimes gaps between output rows
  const shift = seed % 4; // buffers off the 16-byte grid
  const x = Array.from({ length: (outH + kh - 1) * xStride }, int);
  const h = Array.from({ length: kh * kw }, int);
  const outLen = (outH - 1) * outStride + outW;
  // Every out slot that is not an output (the gaps) holds GUARD, and 8 guards follow the last row.
  const out0 = Array.from({ length: outLen + 8 }, (_, i) => (i < outLen && i % outStride < outW ? (acc ? int() : GUARD) : GUARD));
  const expected = naive(x, xStride, h, kh, kw, out0, outH, outW, outStride, acc);
  const got = withWorkspace('corr2d test', undefined, dtype, [x.length + shift, h.length + shift, out0.length + shift], (ws) => {
    const [xo, ho, oo] = ws.off.map((o) => o + shift);
    ws.mem.set(x, xo);
    ws.mem.set(h, ho);
    ws.mem.set(out0, oo);
    ws.k.corr2d(ws.mem, xo, xStride, ho, kh, kw, oo, outH, outW, outStride, acc ? 1 : 0);
    return Array.from(ws.mem.subarray(oo, oo + out0.length));
  });
  expect(got, `${dtype} out ${outH}×${outW} k ${kh}×${kw} acc=${acc} strides ${xStride}/${outStride} shift ${shift}`).toEqual(expected);
}

describe.each(backendCases())('corr2d kernel on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: heights 1..9 × widths 1..40 with 1×1, 3×3 and kernels cycling through sides 1..15, accumulate on/off`, () => {
      let seed = 1;
      for (let oh = 1; oh <= 9; oh++) {
        for (let ow = 1; ow <= 40; ow++) {
          const kernels = [[1, 1], [3, 3], [1, 1 + (ow % 15)], [1 + ((oh * 7 + ow) % 15), 1 + ((ow * 3 + oh) % 15)]];
          for (const [kh, kw] of kernels) {
            for (const acc of [false, true]) check(dtype, oh, ow, kh, kw, acc, seed++);
          }
        }
      }
    });
    it(`${dtype}: image kernels 3×3 … 15×15 on a 13×45 output (full tiles plus every remainder)`, () => {
      for (const k of [3, 5, 7, 9, 11, 13, 15]) check(dtype, 13, 45, k, k, false, k);
    });
    it(`${dtype}: one long row (the 1-D case) with kernels 1, 15, 127`, () => {
      for (const k of [1, 15, 127]) check(dtype, 1, 301, 1, k, k % 2 === 1, k);
    });
  }
});
