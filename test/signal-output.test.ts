// correlate's and convolve's `output` option (convcorr's addition, as scipy.ndimage's output=): the result lands in
// the caller's array, which the call returns as its data, with the values of the same call without it (the
// fixtures check those) on every backend, for every mode and method, SciPy's input swap (a reversed result),
// NumPy's 1-D sums with non-finite taps, an output that overlaps an input, dtype strings, and errors.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve, correlate } from '../src/index';
import { loadedModule } from '../src/wasm';
import { backendCases, firstDiff, randomArray, useBackend } from './helpers';

describe.each(backendCases())('correlate/convolve output on %s', (be) => {
  beforeAll(() => useBackend(be));

  it('writes the values of a fresh result into the given array, for random shapes, modes, methods and dtypes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom('full' as const, 'same' as const, 'valid' as const),
        fc.constantFrom('direct' as const, 'fft' as const, 'auto' as const),
        fc.constantFrom('float32' as const, 'float64' as const),
        fc.boolean(),
        fc.integer({ min: 0, max: 1 << 20 }),
        (rank, s1, s2, mode, method, dtype, conv, seed) => {
          const a = s1.slice(0, rank);
          let b = s2.slice(0, rank);
          if (mode === 'valid' && !a.every((m, i) => m >= b[i]) && !a.every((m, i) => m <= b[i])) b = a.map((m) => Math.max(1, m - 1));
          const n1 = a.reduce((p, q) => p * q, 1);
          const n2 = b.reduce((p, q) => p * q, 1);
          const in1 = { data: randomArray(n1, seed, dtype), shape: a };
          const in2 = { data: randomArray(n2, seed + 1, dtype), shape: b };
          const op = conv ? convolve : correlate;
          const fresh = op(in1, in2, { mode, method });
          const out = new (dtype === 'float32' ? Float32Array : Float64Array)(fresh.data.length).fill(NaN);
          const got = op(in1, in2, { mode, method, output: out });
          expect(got.data).toBe(out);
          expect(got.shape).toEqual(fresh.shape);
          expect(firstDiff(out, fresh.data)).toBe(-1);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it('1024² 3×3 same (several strips), SciPy swaps (reversed in place), and NumPy sums with a NaN tap', () => {
    const img = { data: randomArray(100 * 1024, 3, 'float32'), shape: [100, 1024] };
    const k = { data: randomArray(9, 4, 'float32'), shape: [3, 3] };
    const out = new Float32Array(100 * 1024);
    const fresh = correlate(img, k, { mode: 'same', method: 'direct' });
    expect(correlate(img, k, { mode: 'same', method: 'direct', output: { data: out, shape: [100, 1024] } }).data).toBe(out);
    expect(firstDiff(out, fresh.data)).toBe(-1);
    // in2 longer in 'full': SciPy correlates the other way round and reverses the result.
    const short = randomArray(5, 5, 'float64');
    const long = randomArray(40, 6, 'float64');
    const full = new Float64Array(44);
    expect(correlate(short, long, { output: full })).toBe(full);
    expect(firstDiff(full, correlate(short, long))).toBe(-1);
    // A non-finite tap: NumPy's sums (products of overlapping samples only) go into the output too.
    const x = randomArray(30, 7, 'float64');
    const h = [1, NaN, 2];
    const into = new Float64Array(32);
    expect(convolve(x, h, { output: into })).toBe(into);
    expect(firstDiff(into, convolve(x, h))).toBe(-1);
    expect(Number.isNaN(into[0])).toBe(false); // the NaN tap never meets the zeros before the input
  });

  it('may overlap an input: the sums run into scratch first', () => {
    const buf = randomArray(1010, 8, 'float64');
    const x = buf.subarray(0, 1000);
    const expected = correlate(x, [1, 2, 3], { mode: 'same' });
    const out = buf.subarray(5, 1005);
    expect(correlate(x, [1, 2, 3], { mode: 'same', output: out })).toBe(out);
    expect(firstDiff(out, expected)).toBe(-1);
  });

  it("takes a dtype: 'float32' gives float32 sums of float64 inputs; a Float32Array output does the same", () => {
    const a = randomArray(300, 9, 'float64');
    const b = randomArray(20, 10, 'float64');
    const f32 = correlate(a, b, { dtype: 'float32' });
    expect(correlate(a, b, { output: 'float32' })).toEqual(f32);
    const out = new Float32Array(319);
    expect(correlate(a, b, { output: out })).toBe(out);
    expect(firstDiff(out, f32)).toBe(-1);
  });

  it('refuses a bad output before any work, leaving it untouched and the arena at its mark', () => {
    const m = be === 'js' ? undefined : loadedModule(be as 'scalar' | 'simd' | 'relaxed');
    const start = m?.arena.top;
    const a = randomArray(50, 11, 'float64');
    const b = randomArray(5, 12, 'float64');
    const out = new Float64Array(50).fill(7); // 'full' needs 54
    expect(() => correlate(a, b, { output: out })).toThrow(/correlate: output has length 50 but the result's shape for mode 'full' \[54\] holds 54 elements/);
    expect(out.every((v) => v === 7)).toBe(true);
    expect(() => convolve({ data: a, shape: [5, 10] }, { data: b, shape: [1, 5] }, { mode: 'same', output: { data: new Float64Array(50), shape: [10, 5] } })).toThrow(RangeError);
    expect(() => correlate(a, b, { output: new BigInt64Array(54) as never })).toThrow(/correlate: output must be a typed array of numbers/);
    expect(() => correlate(a, b, { output: new Float32Array(54), dtype: 'float64' })).toThrow(/output is float32 but dtype is 'float64'/);
    if (m) expect(m.arena.top).toBe(start);
  });
});
