// ndimage's `output` option (scipy.ndimage's output=): the result lands in the caller's array, which the call
// returns as its data; the values are those of the same call without it (the fixtures check those), on every
// backend, every rank and both dtypes; the input itself as output; dtype strings; and errors before any work.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndimage, type NDArray } from '../src/index';
import { loadedModule } from '../src/wasm';
import { backendCases, firstDiff, randomArray, useBackend } from './helpers';

const MODES = ['reflect', 'constant', 'nearest', 'mirror', 'wrap'] as const;

describe.each(backendCases())('ndimage output on %s', (be) => {
  beforeAll(() => useBackend(be));

  it('writes the same values as a fresh result, into the given array, for random shapes, modes and dtypes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom(...MODES),
        fc.constantFrom('float32' as const, 'float64' as const),
        fc.boolean(),
        fc.integer({ min: 0, max: 1 << 20 }),
        (rank, xs, ws, mode, dtype, convolve, seed) => {
          const xShape = xs.slice(0, rank);
          const wShape = ws.slice(0, rank);
          const n = xShape.reduce((a, b) => a * b, 1);
          const input = { data: randomArray(n, seed, dtype), shape: xShape };
          const weights = { data: randomArray(wShape.reduce((a, b) => a * b, 1), seed + 1, dtype), shape: wShape };
          const op = convolve ? ndimage.convolve : ndimage.correlate;
          const fresh = op(input, weights, { mode, cval: 0.5 });
          const out = new (dtype === 'float32' ? Float32Array : Float64Array)(n).fill(NaN);
          const got = op(input, weights, { mode, cval: 0.5, output: out });
          expect(got.data).toBe(out);
          expect(got.shape).toEqual(xShape);
          expect(firstDiff(out, fresh.data)).toBe(-1);
        },
      ),
      { numRuns: 60, seed: 7 },
    );
  });

  it('a 1024-wide image (several strips) into a Float32Array, and into an NDArray', () => {
    const img = { data: randomArray(100 * 1024, 3, 'float32'), shape: [100, 1024] };
    const k = { data: randomArray(9, 4, 'float32'), shape: [3, 3] };
    const fresh = ndimage.correlate(img, k, { mode: 'constant' });
    const out = new Float32Array(100 * 1024);
    expect(ndimage.correlate(img, k, { mode: 'constant', output: out }).data).toBe(out);
    expect(firstDiff(out, fresh.data)).toBe(-1);
    const nd: NDArray = { data: new Float32Array(100 * 1024), shape: [100, 1024] };
    expect(ndimage.correlate(img, k, { mode: 'constant', output: nd }).data).toBe(nd.data);
    expect(firstDiff(nd.data, fresh.data)).toBe(-1);
  });

  it("sets the dtype: a Float32Array output of float64 inputs gives float32 sums, and 'float32' names it", () => {
    const x = randomArray(500, 5, 'float64');
    const w = randomArray(7, 6, 'float64');
    const f32 = ndimage.correlate(x, w, { dtype: 'float32' });
    const out = new Float32Array(500);
    expect(ndimage.correlate(x, w, { output: out })).toBe(out);
    expect(out).toEqual(f32);
    expect(ndimage.correlate(x, w, { output: 'float32' })).toEqual(f32);
    expect(ndimage.correlate(x, w, { output: 'float64' })).toEqual(ndimage.correlate(x, w));
    expect(ndimage.correlate(Array.from(x), Array.from(w), { output: out, dtype: 'float32' })).toBe(out);
  });

  it('may be the input itself (in place), or overlap it, as SciPy allows', () => {
    for (const shape of [[2000], [60, 70], [5, 6, 7]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const w = { data: randomArray(shape.length === 1 ? 9 : 3 ** shape.length, 8, 'float64'), shape: shape.map(() => (shape.length === 1 ? 9 : 3)) };
      const x = randomArray(n, 9, 'float64');
      const expected = ndimage.correlate({ data: x, shape }, w, { mode: 'mirror' }).data;
      const inPlace = x.slice();
      const got = ndimage.correlate({ data: inPlace, shape }, w, { mode: 'mirror', output: inPlace });
      expect(got.data).toBe(inPlace);
      expect(inPlace).toEqual(expected);
    }
    // The output a view one element further along the input's buffer.
    const buf = randomArray(1001, 10, 'float64');
    const x = buf.subarray(0, 1000);
    const expected = ndimage.convolve(x, [1, -2, 1]);
    const out = buf.subarray(1, 1001);
    expect(ndimage.convolve(x, [1, -2, 1], { output: out })).toBe(out);
    expect(out).toEqual(expected);
  });

  it('takes the output through the NaN path too (weights SciPy drops)', () => {
    const x = randomArray(64, 11, 'float64');
    x[10] = NaN;
    const w = [1, 0, 1];
    const expected = ndimage.correlate(x, w, { mode: 'constant' });
    const out = new Float64Array(64);
    expect(ndimage.correlate(x, w, { mode: 'constant', output: out })).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(expected));
    expect(Number.isNaN(out[9])).toBe(true);
    expect(Number.isNaN(out[10])).toBe(false); // the zero weight never meets the NaN
  });

  it('refuses a bad output before any work, leaving the array untouched and the arena at its mark', () => {
    const m = be === 'js' ? undefined : loadedModule(be as 'scalar' | 'simd' | 'relaxed');
    const start = m?.arena.top;
    const img = { data: randomArray(48, 12, 'float64'), shape: [6, 8] };
    const w = { data: randomArray(9, 13, 'float64'), shape: [3, 3] };
    const out = new Float64Array(47).fill(7);
    expect(() => ndimage.correlate(img, w, { output: out })).toThrow(/ndimage.correlate: output has length 47 but the input's shape \[6, 8\] holds 48/);
    expect(out.every((v) => v === 7)).toBe(true);
    expect(() => ndimage.correlate(img, w, { output: { data: new Float64Array(48), shape: [8, 6] } })).toThrow(RangeError);
    expect(() => ndimage.correlate(img, w, { output: { data: new BigUint64Array(48), shape: [6, 8] } as never })).toThrow(/output.data must be a typed array of numbers/);
    expect(() => ndimage.correlate(img, w, { output: new DataView(new ArrayBuffer(48)) as never })).toThrow(TypeError);
    expect(() => ndimage.correlate(img, w, { output: 'int8' as never })).toThrow(/ndimage.convolve|ndimage.correlate: output must be/);
    expect(() => ndimage.convolve(img, w, { output: new Float32Array(48), dtype: 'float64' })).toThrow(/ndimage.convolve: output is float32 but dtype is 'float64'/);
    expect(() => ndimage.convolve(img, w, { output: 'float32', dtype: 'float64' })).toThrow(RangeError);
    expect(() => ndimage.convolve(img, w, { output: new Float32Array(48), dtype: 'int8' as never })).toThrow(/dtype must be/);
    if (m) expect(m.arena.top).toBe(start);
  });
});
