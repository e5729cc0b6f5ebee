// Inputs and outputs of every numeric type (API.md "Inputs of every numeric type"): integer typed arrays read as
// numbers with NumPy's promotion, integer outputs rounded half to even and saturated, the per-channel image path
// (assembly/corr2d_hwc.ts) against OpenCV filter2D and SciPy fixtures and against a plain reference, arrays from
// another realm, and bad inputs — on every backend.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2d, convolve, correlate, ndimage, numpy, type NDArray, type Numeric } from '../src/index';
import { loadedModule } from '../src/wasm';
import fx from './fixtures/numeric.json';
import { backendCases, firstDiff, rng, useBackend } from './helpers';
import { ndimageRef } from './reference/filters';
import { correlateHwcRef } from './reference/image';

interface FxArray { shape: number[]; data: number[]; dtype: string }
interface FxCase {
  name: string; group: string; fn: string; args: Record<string, unknown>; expected: FxArray;
  dtype?: string; absSum?: FxArray; opencv?: FxArray;
}

const CTORS: Record<string, new (n: number | ArrayLike<number>) => Numeric> = {
  int8: Int8Array, uint8: Uint8Array, uint8clamped: Uint8ClampedArray, int16: Int16Array, uint16: Uint16Array,
  int32: Int32Array, uint32: Uint32Array, float32: Float32Array, float64: Float64Array,
};

const typed = (a: FxArray): NDArray<Numeric> => ({ data: new CTORS[a.dtype](a.data), shape: a.shape });
const size = (shape: readonly number[]) => shape.reduce((p, s) => p * s, 1);

/** Run one fixture case; `output` given as a dtype name becomes a fresh array of that type. */
function run(c: FxCase): { data: ArrayLike<number>; out?: Numeric } {
  const a = c.args;
  const out = typeof a.output === 'string' ? new CTORS[a.output](size(c.expected.shape)) : undefined;
  const opt = (keys: string[]) => Object.fromEntries(keys.filter((k) => a[k] !== undefined).map((k) => [k, a[k]]));
  let r: { data: ArrayLike<number> };
  if (c.fn === 'ndimage.correlate' || c.fn === 'ndimage.convolve') {
    const op = c.fn === 'ndimage.correlate' ? ndimage.correlate : ndimage.convolve;
    r = op(typed(a.input as FxArray), typed(a.weights as FxArray), { ...opt(['mode', 'cval']), output: out });
  } else if (c.fn === 'correlate') {
    r = correlate(typed(a.in1 as FxArray), typed(a.in2 as FxArray), { ...opt(['mode']), output: out });
  } else {
    const bias = a.bias ? new CTORS[(a.bias as FxArray).dtype]((a.bias as FxArray).data) : undefined;
    r = conv2d(typed(a.input as FxArray), typed(a.weight as FxArray), { ...opt(['padding']), bias, output: out });
  }
  return { data: r.data, out };
}

/** Round half to even and saturate to [0, 255]: ECMAScript's ToUint8Clamp, independent of the code under test. */
const toBytes = (v: ArrayLike<number>) => Uint8ClampedArray.from(v as number[]);

describe.each(backendCases())('numeric types on %s', (be) => {
  beforeAll(() => useBackend(be));
  const cases = fx.cases as FxCase[];

  describe('filter2d: uint8 images, OpenCV cv2.filter2D and SciPy rounded half to even', () => {
    it.each(cases.filter((c) => c.group === 'filter2d').map((c) => [c.name, c] as const))('%s', (_, c) => {
      const { data, out } = run(c);
      expect(data).toBe(out);
      expect(firstDiff(data, c.expected.data)).toBe(-1);
      // The fixtures' OpenCV results agree with SciPy's on every case (the generator counts any difference).
      if (c.opencv) expect(firstDiff(data, c.opencv.data)).toBe(-1);
    });
  });

  describe('promotion: integer inputs read as numbers, NumPy result types', () => {
    it.each(cases.filter((c) => c.group === 'promotion').map((c) => [c.name, c] as const))('%s', (_, c) => {
      const { data } = run(c);
      expect(data).toBeInstanceOf(c.dtype === 'float32' ? Float32Array : Float64Array);
      // K terms in the result's precision: |error| ≤ K · u · Σ|terms| (u = 2⁻²⁴ or 2⁻⁵³), per element.
      const K = c.fn === 'conv2d' ? 2 * 9 + 1 : c.fn === 'correlate' ? 4 : 6;
      const u = c.dtype === 'float32' ? 2 ** -24 : 2 ** -53;
      const abs = c.absSum!.data;
      for (let i = 0; i < data.length; i++) {
        const tol = (K + 1) * u * abs[i];
        if (!(Math.abs(data[i] - c.expected.data[i]) <= tol)) {
          throw new Error(`${c.name}: element ${i} is ${data[i]}, expected ${c.expected.data[i]} ± ${tol}`);
        }
      }
    });
  });

  describe('output: integer arrays take the float64 result rounded half to even and saturated', () => {
    it.each(cases.filter((c) => c.group === 'output').map((c) => [c.name, c] as const))('%s', (_, c) => {
      const { data, out } = run(c);
      expect(data).toBe(out);
      expect(firstDiff(data, c.expected.data)).toBe(-1);
    });
  });

  it('per-channel uint8 filters equal the plain reference rounded, for random images, kernels, modes and origins', () => {
    const MODES = ['reflect', 'constant', 'nearest', 'mirror', 'wrap'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 23 }), fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(...MODES), fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.boolean(), fc.boolean(),
        fc.integer({ min: 0, max: 1 << 20 }),
        (H, W, C, kh, kw, mode, cval, conv, dyadic, inPlace, seed) => {
          const r = rng(seed);
          const img = new Uint8ClampedArray(H * W * C);
          for (let i = 0; i < img.length; i++) img[i] = Math.floor(r() * 256);
          // Dyadic weights take the float32 sums (exact); others the float64 ones, as SciPy's.
          const w = new Float64Array(kh * kw).map(() => (dyadic ? Math.floor(r() * 17 - 6) / 16 : r() * 0.8 - 0.2));
          const origin = [Math.floor(r() * kh) - (kh >> 1), Math.floor(r() * kw) - (kw >> 1), 0];
          const opts = { mode, cval, origin, convolve: conv };
          const ref = ndimageRef({ data: Float64Array.from(img), shape: [H, W, C] }, { data: w, shape: [kh, kw, 1] }, opts);
          const out = inPlace ? img : new Uint8Array(img.length);
          const op = conv ? ndimage.convolve : ndimage.correlate;
          op({ data: img, shape: [H, W, C] }, { data: w, shape: [kh, kw, 1] }, { mode, cval, origin, output: out });
          const diff = firstDiff(out, toBytes(ref.data));
          if (diff >= 0) throw new Error(`element ${diff}: got ${out[diff]}, reference ${ref.data[diff]}`);
        },
      ),
      { numRuns: 150, seed: 15 },
    );
  });

  it('filters a 45×400 RGBA image (two strips: 40 rows and 5) into itself, every mode, as the reference rounds it', () => {
    const H = 45;
    const W = 400;
    const r = rng(3);
    const base = Uint8ClampedArray.from({ length: H * W * 4 }, () => Math.floor(r() * 256));
    const w = { data: new Float32Array([1, 4, 6, 4, 1].flatMap((a) => [1, 4, 6, 4, 1].map((b) => (a * b) / 256))), shape: [5, 5, 1] };
    const w9 = { data: new Float64Array(25).map((_, i) => (i % 7) / 31 - 0.05), shape: [5, 5, 1] };
    for (const mode of ['reflect', 'constant', 'nearest', 'mirror', 'wrap'] as const) {
      for (const weights of [w, w9]) {
        const fresh = new Uint8ClampedArray(base.length);
        ndimage.correlate({ data: base, shape: [H, W, 4] }, weights, { mode, cval: 7, output: fresh });
        const img = base.slice();
        ndimage.correlate({ data: img, shape: [H, W, 4] }, weights, { mode, cval: 7, output: img });
        expect(firstDiff(img, fresh)).toBe(-1);
        const ref = correlateHwcRef(base, H, W, 4, weights.data, 5, 5, mode, 7);
        expect(firstDiff(fresh, toBytes(ref))).toBe(-1);
      }
    }
  });

  it('reads every integer type as numbers (no wrap, no integer arithmetic)', () => {
    const big = new Int32Array([2147483647, 2147483647]);
    expect(Array.from(correlate(big, new Int32Array([1, 1]), { mode: 'valid' }) as Float64Array)).toEqual([4294967294]);
    expect(Array.from(numpy.convolve(new Uint8Array([200, 100]), new Uint8Array([2])) as Float32Array)).toEqual([400, 200]);
    expect(Array.from(correlate(new Int8Array([-128, 127]), [1]) as Float32Array)).toEqual([-128, 127]);
    expect(correlate(new Uint16Array([1]), [1])).toBeInstanceOf(Float32Array);
    expect(correlate(new Uint32Array([1]), new Float32Array([1]))).toBeInstanceOf(Float64Array);
    expect(correlate(new Uint8Array([1]), new Uint8Array([1]), { dtype: 'float64' })).toBeInstanceOf(Float64Array);
  });

  it('takes Float16Array as float32 where the engine has one', () => {
    const F16 = (globalThis as { Float16Array?: new (a: number[]) => Numeric }).Float16Array;
    if (!F16) return; // Node 20 has none; Chromium does
    const r = correlate(new F16([1, 2.5, -3]), [1, 1], { mode: 'valid' });
    expect(r).toBeInstanceOf(Float32Array);
    expect(Array.from(r as Float32Array)).toEqual([3.5, -0.5]);
  });

  it('NaN stores 0 and ±Infinity saturates in every integer output', () => {
    const x = new Float64Array([NaN, Infinity, -Infinity, 2.5, -2.5, 3.5]);
    for (const [T, lo, hi] of [[Int8Array, -128, 127], [Uint8Array, 0, 255], [Uint8ClampedArray, 0, 255], [Int16Array, -32768, 32767], [Uint32Array, 0, 4294967295]] as const) {
      const out = new T(6);
      ndimage.correlate(x, [1], { output: out });
      expect(Array.from(out)).toEqual([0, hi, lo, 2, Math.max(lo, -2), 4]);
    }
  });

  it('accepts arrays from another realm (node:vm): inputs, weights, bias and outputs', async () => {
    if (typeof process === 'undefined' || !process.versions?.node) return; // browsers: no node:vm
    const vm = await import('node:vm');
    const ctx = vm.createContext({});
    const foreign = (code: string) => vm.runInContext(code, ctx);
    const img = foreign('new Uint8ClampedArray([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120])');
    expect(img instanceof Uint8ClampedArray).toBe(false);
    const w = foreign('new Float32Array([0.25, 0.5, 0.25])');
    const out = foreign('new Uint8ClampedArray(12)');
    const got = ndimage.correlate({ data: img, shape: [1, 3, 4] }, { data: w, shape: [1, 3, 1] }, { mode: 'nearest', output: out });
    expect(got.data).toBe(out);
    const local = ndimage.correlate({ data: new Float64Array(img), shape: [1, 3, 4] }, { data: new Float64Array(w), shape: [1, 3, 1] }, { mode: 'nearest' });
    expect(Array.from(out)).toEqual(Array.from(toBytes(local.data)));
    const f = correlate(foreign('new Float32Array([1, 2, 3])'), foreign('new Int16Array([1, 1])'));
    expect(f).toBeInstanceOf(Float32Array);
    expect(Array.from(f as unknown as Float32Array)).toEqual([1, 3, 5, 3]);
    const fOut = foreign('new Float64Array(4)');
    expect(correlate([1, 2, 3], [1, 1], { output: fOut })).toBe(fOut);
    expect(Array.from(fOut)).toEqual([1, 3, 5, 3]);
    const y = conv2d({ data: foreign('new Uint8Array([1, 2, 3, 4])'), shape: [1, 1, 2, 2] }, { data: foreign('new Int8Array([1, -1])'), shape: [1, 1, 1, 2] }, { bias: foreign('new Float32Array([0.5])') });
    expect(Array.from(y.data)).toEqual([-0.5, -0.5]);
    expect(() => correlate(foreign('new BigInt64Array(2)'), [1])).toThrow(/correlate: in1 must be a typed array of numbers/);
  });

  it('refuses what is not an array of numbers, naming the argument, before any work', () => {
    const m = be === 'js' ? undefined : loadedModule(be as 'scalar' | 'simd' | 'relaxed');
    const start = m?.arena.top;
    const img = { data: new Uint8ClampedArray(12), shape: [1, 3, 4] };
    const w = { data: new Float32Array(3), shape: [1, 3, 1] };
    const rows: [() => unknown, RegExp][] = [
      [() => ndimage.correlate({ data: new BigInt64Array(12), shape: [1, 3, 4] } as never, w), /ndimage.correlate: input.data must be a typed array of numbers/],
      [() => ndimage.correlate(img, { data: new DataView(new ArrayBuffer(3)), shape: [1, 3, 1] } as never), /ndimage.correlate: weights.data must be a typed array/],
      [() => ndimage.convolve(img, w, { output: new BigUint64Array(12) as never }), /ndimage.convolve: output must be a typed array/],
      [() => correlate('abc' as never, [1]), /correlate: in1 must be a typed array of numbers/],
      [() => convolve([1, 2], new DataView(new ArrayBuffer(8)) as never), /convolve: in2 must be/],
      [() => conv2d({ data: new Uint8Array(4), shape: [1, 1, 2, 2] }, { data: new Int8Array(1), shape: [1, 1, 1, 1] }, { bias: 'x' as never }), /conv2d: bias must be/],
    ];
    for (const [fn, msg] of rows) expect(fn).toThrow(TypeError), expect(fn).toThrow(msg);
    expect(() => ndimage.correlate(img, w, { output: new Uint8Array(11) })).toThrow(/output has length 11/);
    if (m) expect(m.arena.top).toBe(start);
  });

  it('leaves the arena at its mark after image calls, in place or not', () => {
    const m = be === 'js' ? undefined : loadedModule(be as 'scalar' | 'simd' | 'relaxed');
    const start = m?.arena.top;
    const img = new Uint8ClampedArray(40 * 30 * 4).fill(9);
    for (const mode of ['wrap', 'mirror'] as const) {
      ndimage.correlate({ data: img, shape: [40, 30, 4] }, { data: new Float64Array(9).fill(1 / 9), shape: [3, 3, 1] }, { mode, output: img });
      ndimage.convolve({ data: img, shape: [40, 30, 4] }, { data: new Float32Array(9).fill(1 / 8), shape: [3, 3, 1] }, { mode, output: new Uint8Array(img.length) });
    }
    if (m) expect(m.arena.top).toBe(start);
  });
});
