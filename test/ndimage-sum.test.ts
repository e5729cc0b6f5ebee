// How ndimage sums: scipy.ndimage reads every sample as a double, drops the weights with |w| ≤ 2⁻⁵², sums the kept
// products in double from 0 in C order and rounds once at the store (NI_Correlate, scipy/ndimage/src/ni_filters.c).
// Golden float32 fixtures (scripts/gen_fixtures_ndsum.py: cancellation, NaN and ±Infinity under dropped weights) on
// every backend, bit for bit where the build sums unfused; a fast-check property that js and wasm agree within one
// float32 rounding of the double sum; the `accumulate` option.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndimage } from '../src/index';
import { jsKernels } from '../src/kernels';
import { narrowed, tapTable, tapTableSize, widening } from '../src/kernels/corr';
import { withWorkspace } from '../src/workspace';
import fx from './fixtures/ndimage_sum.json';
import { backendCases, randomArray, rng, useBackend, type BackendCase } from './helpers';
import { ndimageRef, type Ext } from './reference/filters';

type Enc = { shape: number[]; data: (number | string)[] };
type Arr = { data: Float32Array | Float64Array; shape: number[] };
interface Case {
  name: string;
  fn: 'ndimage.correlate' | 'ndimage.convolve';
  args: {
    input: Enc; weights: Enc; mode: Ext; cval: number | string; origin: number | number[];
    inputDtype: 'float32' | 'float64'; weightsDtype: 'float32' | 'float64'; output: 'float32' | 'float64';
  };
  expected: Enc;
}

const num = (v: number | string) => (typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity);
const decode = (a: Enc, dtype: 'float32' | 'float64'): Arr =>
  ({ data: (dtype === 'float32' ? Float32Array : Float64Array).from(a.data.map(num)), shape: a.shape });
const ops = { 'ndimage.correlate': ndimage.correlate, 'ndimage.convolve': ndimage.convolve };
const perAxis = (o: number | number[], d: number) => (typeof o === 'number' ? new Array<number>(d).fill(o) : o);
const abs = (a: Arr): Arr => ({ data: a.data.map(Math.abs), shape: a.shape });

/** Builds whose sums are the reference's sums bit for bit: the same products, added unfused in the same order. */
const exact = (be: BackendCase) => be !== 'relaxed';

/** Indices where a and b differ: not both NaN, and not equal (−0 equals 0: SciPy's sums start from +0). */
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const bad: number[] = [];
  for (let i = 0; i < b.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) bad.push(i);
  return bad;
}

/**
 * Indices where |a − b| exceeds `rel`·|ref| + K·2⁻⁵²·Σ|terms| (ref the double sum of the reference, `terms` its
 * products, K the taps), or where the non-finite values differ. A float32 store of a double sum is within 2⁻²⁴·|s|
 * of it; two double sums of K products in any order are each within (K − 1)·2⁻⁵³·Σ|terms| of the exact sum.
 */
function outside(a: ArrayLike<number>, b: ArrayLike<number>, ref: ArrayLike<number>, terms: ArrayLike<number>, k: number, rel: number): number[] {
  const bad: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      if (!Object.is(a[i], b[i]) && !(a[i] === b[i])) bad.push(i);
    } else if (Math.abs(a[i] - b[i]) > rel * Math.abs(ref[i]) + k * 2 ** -52 * terms[i]) {
      bad.push(i);
    }
  }
  return bad;
}

const cases = fx.cases as Case[];

describe.each(backendCases())('ndimage float32 sums against SciPy fixtures on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const c of cases) {
    it(c.name, () => {
      const { input, weights, mode, cval, origin, inputDtype, weightsDtype, output } = c.args;
      const x = decode(input, inputDtype);
      const w = decode(weights, weightsDtype);
      const got = ops[c.fn](x, w, { mode, cval: num(cval), origin, output });
      const want = decode(c.expected, output);
      expect(got.data).toBeInstanceOf(want.data.constructor);
      if (exact(be)) {
        expect(mismatches(got.data, want.data)).toEqual([]);
      } else {
        // Fused multiply-adds change the double sum's last bits: at most one float32 step either way of SciPy's.
        const o = { convolve: c.fn === 'ndimage.convolve', mode, cval: num(cval), origin: perAxis(origin, x.shape.length) };
        const terms = ndimageRef(abs(x), abs(w), { ...o, cval: Math.abs(num(cval)) }).data;
        expect(outside(got.data, want.data, want.data, terms, w.data.length, 2 ** -23)).toEqual([]);
      }
    });
  }
});

describe.each(backendCases())('ndimage catastrophic cancellation on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('correlate(Float32Array [1e8, 1, -1e8, 3, 5, 7], [1, 1, 1]) is SciPy\'s [2e8, 1, -1e8, -99999992, 15, 19]', () => {
    const out = ndimage.correlate(new Float32Array([1e8, 1, -1e8, 3, 5, 7]), new Float32Array([1, 1, 1]));
    expect(Array.from(out)).toEqual([2e8, 1, -1e8, -99999992, 15, 19]);
  });
  it('the same in 2-D and 3-D, through every kernel path (dense, kept taps, given output)', () => {
    const row = [1e8, 1, -1e8, 3, 5, 7, 1e8, 1, -1e8, 3, 5, 7, 1e8, 1, -1e8, 3, 5, 7, 1e8, 1];
    const img = { data: Float32Array.from([...row, ...row, ...row]), shape: [3, 20] };
    const k = { data: new Float32Array([0, 0, 0, 1, 1, 1, 0, 0, 0]), shape: [3, 3] }; // zeros: the kept-taps kernel
    const dense = { data: new Float32Array([1, 1, 1]), shape: [1, 3] };
    const want = ndimage.correlate(new Float32Array(row), new Float32Array([1, 1, 1]), { mode: 'wrap' });
    expect(want[1]).toBe(1);
    for (const got of [
      ndimage.correlate(img, k, { mode: 'wrap' }).data,
      ndimage.correlate(img, dense, { mode: 'wrap' }).data,
      ndimage.correlate({ data: img.data, shape: [1, 3, 20] }, { data: k.data, shape: [1, 3, 3] }, { mode: 'wrap' }).data,
      ndimage.correlate(img, dense, { mode: 'wrap', output: new Float32Array(60) }).data,
    ]) {
      for (let r = 0; r < 3; r++) expect(Array.from(got.subarray(r * 20, r * 20 + 20))).toEqual(Array.from(want));
    }
  });
  it('a constant border that float32 cannot hold keeps its double value (1 + 2⁻³⁰ − 1 is 2⁻³⁰)', () => {
    const col = { data: new Float32Array([-1, 0, 0, 0]), shape: [4, 1] };
    const out = ndimage.correlate(col, { data: new Float32Array([1, 1, 1]), shape: [3, 1] }, { mode: 'constant', cval: 1 + 2 ** -30 });
    expect(Array.from(out.data)).toEqual([2 ** -30, -1, 0, 1 + 2 ** -30].map(Math.fround));
  });
  it("accumulate: 'float32' is the explicit float32 sum (0 on wasm); a bad value is a TypeError", () => {
    const x = new Float32Array([1e8, 1, -1e8, 3, 5, 7]);
    const out = ndimage.correlate(x, new Float32Array([1, 1, 1]), { accumulate: 'float32' });
    // wasm sums in float32; the js backend sums each 2-D slice in double even then.
    expect(out[1]).toBe(be === 'js' ? 1 : 0);
    expect(ndimage.correlate(x, new Float32Array([1, 1, 1]), { accumulate: 'float64' })[1]).toBe(1);
    expect(() => ndimage.correlate(x, [1, 1, 1], { accumulate: 'double' as never })).toThrow(TypeError);
    expect(() => ndimage.correlate(x, [1, 1, 1], { accumulate: 'double' as never })).toThrow(/ndimage.correlate: accumulate/);
  });
});

const EXTS: Ext[] = ['reflect', 'constant', 'nearest', 'mirror', 'wrap'];

/** float32 values over 2^-12 … 2^20, both signs (sums that cancel); a few NaN/±Infinity when `bad` is set. */
function wide(n: number, seed: number, zeros: number, bad: boolean): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => {
    const u = r();
    if (u < zeros) return 0;
    if (bad && u > 0.985) return [NaN, Infinity, -Infinity][Math.floor(r() * 3)];
    return (r() * 2 - 1) * 2 ** Math.floor(r() * 33 - 12);
  });
}

const problem = fc.integer({ min: 1, max: 3 }).chain((d) => fc.record({
  // The last axis runs past the widest SIMD tile (8 vectors) on some draws.
  xs: fc.tuple(...Array.from({ length: d }, (_, a) => fc.integer({ min: 1, max: a === d - 1 ? 45 : d === 3 ? 4 : 9 }))),
  ws: fc.tuple(...Array.from({ length: d }, () => fc.integer({ min: 1, max: d === 3 ? 3 : 5 }))),
  mode: fc.constantFrom(...EXTS),
  convolve: fc.boolean(),
  zeros: fc.constantFrom(0, 0.3),
  bad: fc.boolean(),
  cval: fc.constantFrom(0, -2.5, 1e6),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
}));

describe.each(backendCases().filter((be) => be !== 'js'))('ndimage js and %s agree', (be) => {
  beforeAll(() => useBackend(be));
  it('per element within one float32 rounding of the double sum (bit for bit unless fused), ranks 1-3, every mode, NaN too', () => {
    fc.assert(fc.property(problem, (p) => {
      const x = { data: wide(p.xs.reduce((a, b) => a * b), p.seed, 0, p.bad), shape: p.xs };
      const w = { data: wide(p.ws.reduce((a, b) => a * b), p.seed + 1, p.zeros, false), shape: p.ws };
      const f = p.convolve ? ndimage.convolve : ndimage.correlate;
      const opts = { mode: p.mode, cval: p.cval };
      const a = f(x, w, { ...opts, backend: 'js' }).data;
      const b = f(x, w, { ...opts, backend: 'wasm' }).data;
      const o = { convolve: p.convolve, mode: p.mode, cval: p.cval, origin: p.ws.map(() => 0) };
      const ref = ndimageRef(x, w, o).data;
      const terms = ndimageRef(abs(x), abs(w), { ...o, cval: Math.abs(p.cval) }).data;
      const k = w.data.length;
      expect(outside(a, b, ref, terms, k, 2 ** -23)).toEqual([]);
      // Each one is within half a float32 step of the double sum.
      expect(outside(b, ref, ref, terms, k, 2 ** -24)).toEqual([]);
      if (exact(be)) expect(mismatches(a, b)).toEqual([]);
    }), { numRuns: 150, seed: 1414 });
  });
});

describe.each(backendCases())('ndimage NaN under dropped weights on %s', (be) => {
  beforeAll(() => useBackend(be));
  // Taller and wider than one strip of the rank-2 path, NaN and ±Infinity pixels, Laplacian and Sobel.
  const [H, W] = [140, 301];
  const img = { data: wide(H * W, 7, 0, true), shape: [H, W] };
  const lap = { data: new Float32Array([0, 1, 0, 1, -4, 1, 0, 1, 0]), shape: [3, 3] };
  const sobel = { data: new Float32Array([1, 0, -1, 2, 0, -2, 1, 0, -1]), shape: [3, 3] };
  for (const [name, w] of [['Laplacian', lap], ['Sobel', sobel]] as const) {
    for (const mode of ['reflect', 'constant'] as Ext[]) {
      it(`${H}×${W} float32 ${name}, mode ${mode}: NaN only where kept weights meet it, sums as SciPy's`, () => {
        const got = ndimage.convolve(img, w, { mode, cval: NaN });
        const o = { convolve: true, mode, cval: NaN, origin: [0, 0] };
        const ref = ndimageRef(img, w, o).data;
        const terms = ndimageRef(abs(img), abs(w), o).data;
        expect(outside(got.data, ref, ref, terms, 9, 2 ** -24)).toEqual([]);
        const into = new Float32Array(H * W);
        expect(mismatches(ndimage.convolve(img, w, { mode, cval: NaN, output: into }).data, got.data)).toEqual([]);
        const self = { data: img.data.slice(), shape: img.shape };
        expect(mismatches(ndimage.convolve(self, w, { mode, cval: NaN, output: self.data }).data, got.data)).toEqual([]);
      });
    }
  }
});

describe.each(backendCases().filter((be) => be !== 'js'))('the corrTaps kernel on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('equals its JS twin and writes nothing past its output, widths either side of every SIMD tile', () => {
    const [xw, xh, ow, oh, guard] = [64, 9, 40, 6, 16];
    // Taps of a 4×5 kernel over rows xw apart: a subset with a zero-offset tap and the farthest one, out of order.
    const taps = [[3, 4], [0, 0], [1, 2], [2, 0], [0, 3], [3, 1]];
    const n = taps.length;
    for (const dtype of ['float64', 'float32'] as const) {
      withWorkspace('guard', 'wasm', dtype, [xw * xh, tapTableSize(dtype === 'float32' ? 4 : 8, n), ow * oh + guard], ({ mem, off, k }) => {
        const [x, t, out] = off;
        mem.set(randomArray(xw * xh, 8, dtype), x);
        // float64 weights (0.1 has no float32 twin) and offsets, whatever the samples' type.
        const table = tapTable(mem, t, n);
        taps.forEach(([i, j], q) => {
          table[q] = q === 0 ? 0.1 : randomArray(1, 20 + q)[0];
          table[n + q] = i * xw + j;
        });
        for (const w of [1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 36]) {
          mem.fill(123.5, out, out + ow * oh + guard);
          k.corrTaps(mem, x, xw, t, n, out, oh, w, ow);
          for (let r = 0; r < oh; r++) for (let c = w; c < ow; c++) expect(mem[out + r * ow + c]).toBe(123.5);
          for (let g = ow * oh; g < ow * oh + guard; g++) expect(mem[out + g]).toBe(123.5);
          const ref = mem.slice(x, out + ow * oh);
          jsKernels.corrTaps(ref, 0, xw, t - x, n, out - x, oh, w, ow);
          for (let r = 0; r < oh; r++) {
            for (let c = 0; c < w; c++) {
              const [a, b] = [mem[out + r * ow + c], ref[out - x + r * ow + c]];
              if (exact(be)) {
                // The same products added unfused in double in the same order, and the same rounding at the store.
                expect(a).toBe(b);
              } else {
                // Fused multiply-adds: the double sums differ by at most 2·n·2⁻⁵³·Σ|terms|, then a float32 store can
                // round them one float32 step apart.
                let terms = 0;
                for (let q = 0; q < n; q++) terms += Math.abs(table[q] * mem[x + r * xw + c + table[n + q]]);
                const step = dtype === 'float32' ? 2 ** -23 * Math.abs(b) : 0;
                expect(Math.abs(a - b)).toBeLessThanOrEqual(step + 2 * n * 2 ** -53 * terms);
              }
            }
          }
        }
      });
    }
  });
});

describe.each(backendCases())('the narrow kernel on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('rounds each double to the nearest float32 (ties to even) in place, lengths either side of the SIMD width', () => {
    const r = rng(9);
    for (const n of [0, 1, 3, 4, 5, 8, 9, 31, 64, 67]) {
      withWorkspace('narrow', undefined, 'float64', [n + 4], ({ mem, off, k }) => {
        const [at] = off;
        // Wide-range doubles, float32 ties (1 + 2⁻²⁴ rounds to 1, 1 + 3·2⁻²⁴ to 1 + 2⁻²²), NaN and ±Infinity.
        const v = Array.from({ length: n }, (_, i) =>
          [1 + 2 ** -24, 1 + 3 * 2 ** -24, NaN, Infinity, -Infinity, 1e39][i % 9] ?? (r() - 0.5) * 2 ** (r() * 80 - 40));
        v.forEach((d, i) => { mem[at + i] = d; });
        mem.fill(123.5, at + n, at + n + 4);
        k.narrow(mem, at, n);
        const got = narrowed(mem, at, n);
        expect(mismatches(got, v.map(Math.fround))).toEqual([]);
        // Nothing written past the n float32 values (the upper half of the doubles' space is free to change).
        for (let g = n; g < n + 4; g++) expect(mem[at + g]).toBe(123.5);
      });
    }
  });
});

describe.each(backendCases())('the widen kernel on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('turns the float32 in the upper half into exact doubles in place, lengths either side of the SIMD width', () => {
    for (const n of [0, 1, 3, 4, 5, 8, 9, 31, 64, 67]) {
      withWorkspace('widen', undefined, 'float64', [n + 4], ({ mem, off, k }) => {
        const [at] = off;
        const v = Float32Array.from(wide(n, n + 1, 0.1, true));
        widening(mem, at, n).set(v);
        mem.fill(123.5, at + n, at + n + 4);
        k.widen(mem, at, n);
        expect(mismatches(mem.subarray(at, at + n), v)).toEqual([]);
        for (let g = n; g < n + 4; g++) expect(mem[at + g]).toBe(123.5);
      });
    }
  });
});
