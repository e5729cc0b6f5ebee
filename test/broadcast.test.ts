// fftconvolve/oaconvolve without a transformed axis are the broadcast products they are (SciPy: in1 * in2), computed
// by the bmul kernel (assembly/bmul.ts, src/kernels/bmul.ts): checked against test/reference/broadcast.ts, exactly
// (one rounded product per element), on every backend, on shapes either side of the SIMD widths and random ones.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { correlate, fftconvolve, oaconvolve, type NDArray } from '../src/index';
import { backendCases, firstDiff, randomArray, useBackend } from './helpers';
import { broadcastRef } from './reference/broadcast';

type Mode = 'full' | 'same' | 'valid';
const DTYPES = ['float32', 'float64'] as const;

function check(s1: number[], s2: number[], mode: Mode, dtype: 'float32' | 'float64', axes: number[], seed: number): void {
  const x1 = randomArray(s1.reduce((p, v) => p * v, 1), seed, dtype);
  const x2 = randomArray(s2.reduce((p, v) => p * v, 1), seed + 1, dtype);
  const ref = broadcastRef(x1, s1, x2, s2, mode);
  const want = dtype === 'float32' ? Float32Array.from(ref.data) : ref.data;
  for (const op of [fftconvolve, oaconvolve]) {
    const got = op({ data: x1, shape: s1 }, { data: x2, shape: s2 }, { mode, axes }) as NDArray;
    expect(got.shape).toEqual(ref.shape);
    expect(got.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
    expect(firstDiff(got.data, want), `${op.name} ${JSON.stringify(s1)} * ${JSON.stringify(s2)} ${mode} ${dtype}`).toBe(-1);
  }
}

describe.each(backendCases())('broadcast-only FFT calls as plain products, on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of DTYPES) {
    it(`[N, 1] * [1, M] and [1, M] * [N, 1], M either side of the SIMD widths (${dtype})`, () => {
      for (const m of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33]) {
        for (const mode of ['full', 'same', 'valid'] as const) {
          check([5, 1], [1, m], mode, dtype, [0, 1], m);
          check([1, m], [5, 1], mode, dtype, [0, 1], m + 50);
        }
      }
    });
    it(`equal axes left out of axes multiply elementwise; leading axes broadcast (${dtype})`, () => {
      check([3, 1, 19], [1, 4, 19], 'full', dtype, [1], 1);
      check([2, 3, 1, 17], [2, 1, 6, 17], 'same', dtype, [2], 2);
      check([4, 1, 7], [1, 5, 1], 'same', dtype, [0, 1, 2], 3);
      check([1, 1, 9], [3, 2, 1], 'valid', dtype, [2], 4);
      check([11], [1], 'full', dtype, [0], 5);
      check([1], [13], 'same', dtype, [0], 6);
    });
    it(`random shapes (fast-check, ${dtype})`, () => {
      fc.assert(fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom('a', 'b', 'ab')), { minLength: 1, maxLength: 4 }),
        fc.constantFrom<Mode>('full', 'same', 'valid'), fc.integer({ min: 1, max: 1000 }),
        (spec, mode, seed) => {
          // 'a': in2 has size 1 there; 'b': in1 has; 'ab': equal sizes, left out of `axes`.
          const s1 = spec.map(([n, k]) => (k === 'b' ? 1 : n));
          const s2 = spec.map(([n, k]) => (k === 'a' ? 1 : n));
          const axes = spec.map(([, k], a) => (k === 'ab' ? -1 : a)).filter((a) => a >= 0);
          if (axes.length === 0) return;
          check(s1, s2, mode, dtype, axes, seed);
        },
      ), { numRuns: 60, seed: 14 });
    });
  }
  it('correlate with method fft and no transformed axis: in2 reversed, times in1', () => {
    const x = { data: new Float64Array([1, 2, 3]), shape: [3, 1] };
    const h = { data: new Float64Array([1, 10, 100]), shape: [1, 3] };
    const got = correlate(x, h, { method: 'fft' }) as NDArray;
    const want = correlate(x, h, { method: 'direct' }) as NDArray;
    expect(got.shape).toEqual([3, 3]);
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
    expect(Array.from(got.data)).toEqual([100, 10, 1, 200, 20, 2, 300, 30, 3]);
  });
});
