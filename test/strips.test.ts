// The rank-2 strip path of src/direct.ts: a call runs in strips of output rows, each split by columns into an
// unpadded interior and two padded edge blocks. With a tiny strip budget small random plans take many strips, so
// every split (no interior column, one, no edge block, kernels wider than the input) meets every boundary mode and
// offset; the reference is the plan's formula itself. A wide-image property runs the default budget end to end.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Extension } from '../src/boundary';
import { runDirect, type DirectPlan } from '../src/direct';
import { ndimage } from '../src/index';
import { backendCases, randomArray, shared, useBackend } from './helpers';
import { absArray, absOf, expectWithin, sumTol } from './tolerance';
import { ndimageRef } from './reference/filters';
import { extIndex, type Ext } from './reference/nd';

const EXTS: Ext[] = ['reflect', 'constant', 'nearest', 'mirror', 'wrap'];
/** The plan's words for the reference's (scipy.ndimage's) names, written here rather than imported (see src/boundary.ts). */
const PLAN_WORD: Record<Ext, Extension> = { reflect: 'symmetric', constant: 'constant', nearest: 'edge', mirror: 'mirror', wrap: 'wrap' };

/**
 * out[o] = Σ_j x[ext(o + j + lo)] · h'[j] on two axes (h' = h reversed when flip), straight from the plan's definition;
 * only over the flat indices j in p.taps when the plan lists them.
 */
function planRef(p: DirectPlan, ext: Ext, x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  const listed = p.taps ? new Set(p.taps) : undefined;
  const [oh, ow] = p.outShape;
  const [kh, kw] = p.hShape;
  const [xh, xw] = p.xShape;
  const out = new Float64Array(oh * ow);
  for (let r = 0; r < oh; r++) {
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          if (listed && !listed.has(i * kw + j)) continue;
          const xi = extIndex(r + i + p.lo[0], xh, ext);
          const xj = extIndex(c + j + p.lo[1], xw, ext);
          const v = xi < 0 || xj < 0 ? p.cval : x[xi * xw + xj];
          s += v * (p.flip ? h[kh * kw - 1 - (i * kw + j)] : h[i * kw + j]);
        }
      }
      out[r * ow + c] = s;
    }
  }
  return out;
}

describe.each(backendCases())('rank-2 strips on %s', (be) => {
  beforeAll(() => useBackend(be));

  it('random plans in many small strips: every mode, offset and split of the columns', () => {
    const plan = fc.record({
      xh: fc.integer({ min: 1, max: 24 }),
      xw: fc.integer({ min: 1, max: 40 }),
      kh: fc.integer({ min: 1, max: 5 }),
      kw: fc.integer({ min: 1, max: 45 }),
      oh: fc.integer({ min: 1, max: 30 }),
      ow: fc.integer({ min: 1, max: 50 }),
      lo0: fc.integer({ min: -6, max: 4 }),
      lo1: fc.integer({ min: -46, max: 6 }),
      mode: fc.constantFrom(...EXTS),
      flip: fc.boolean(),
      dtype: fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
      budget: fc.constantFrom(16, 100, 400),
      seed: fc.integer(),
      // A subset of the taps (the kept-taps kernel, summed in double), or all of them.
      keep: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
    });
    fc.assert(fc.property(plan, (q) => {
      const p: DirectPlan = {
        dtype: q.dtype, xShape: [q.xh, q.xw], hShape: [q.kh, q.kw], outShape: [q.oh, q.ow], lo: [q.lo0, q.lo1],
        mode: PLAN_WORD[q.mode], cval: 0.75, flip: q.flip,
      };
      if (q.keep !== null) {
        const r = randomArray(q.kh * q.kw, q.seed + 2);
        p.taps = Array.from(r.keys()).filter((t) => Math.abs(r[t]) < q.keep!);
        p.sum = 'float64';
      }
      const x = randomArray(q.xh * q.xw, q.seed, q.dtype);
      const h = randomArray(q.kh * q.kw, q.seed + 1, q.dtype);
      const got = runDirect('test', undefined, p, x, h, undefined, q.budget);
      expect(got.length).toBe(q.oh * q.ow);
      // Per element: a sum of at most kh·kw products (the cval one of the inputs where it enters); kept taps are
      // summed in double and rounded once to the dtype, within the same bound.
      // The reference and bound depend on the case only: computed once per file, shared by the backends.
      const [want, tol] = shared(JSON.stringify(q), () => [planRef(p, q.mode, x, h),
        sumTol(q.dtype, q.kh * q.kw, planRef({ ...p, cval: Math.abs(p.cval) }, q.mode, absArray(x), absArray(h)))]);
      expectWithin(got, want, tol);
    }), { numRuns: 300, seed: 2026 });
  });

  it('ndimage.correlate/convolve of wide images with the default strips: every mode, kernel and origin', () => {
    const problem = fc.record({
      rows: fc.integer({ min: 9, max: 40 }),
      cols: fc.integer({ min: 1100, max: 2200 }),
      kh: fc.integer({ min: 1, max: 6 }),
      kw: fc.integer({ min: 1, max: 7 }),
      mode: fc.constantFrom(...EXTS),
      flip: fc.boolean(),
      dtype: fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
      seed: fc.integer(),
      o: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
    });
    fc.assert(fc.property(problem, ({ rows, cols, kh, kw, mode, flip, dtype, seed, o }) => {
      const x = { data: randomArray(rows * cols, seed, dtype), shape: [rows, cols] };
      const w = { data: randomArray(kh * kw, seed + 1, dtype), shape: [kh, kw] };
      // Any origin scipy accepts: −(M // 2) … (M − 1) // 2 on each axis.
      const origin = [kh, kw].map((m, a) => Math.min((m - 1) >> 1, -(m >> 1) + Math.floor(o[a] * m)));
      const got = (flip ? ndimage.convolve : ndimage.correlate)(x, w, { mode, cval: 0.5, origin });
      // The reference and bound depend on the case only: computed once per file, shared by the backends.
      const [want, tol] = shared(JSON.stringify({ rows, cols, kh, kw, mode, flip, dtype, seed, o }), () => [
        ndimageRef(x, w, { convolve: flip, mode, cval: 0.5, origin }).data,
        sumTol(dtype, kh * kw, ndimageRef(absOf(x), absOf(w), { convolve: flip, mode, cval: 0.5, origin }).data)]);
      expectWithin(got.data, want, tol);
    }), { numRuns: 6, seed: 2026 });
  });
});
