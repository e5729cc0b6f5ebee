// scipy.signal.convolve2d / correlate2d: golden fixtures (scripts/gen_fixtures.py) on every backend in float64 and
// float32, fast-check properties against the slow reference on random shapes, every mode and boundary, and errors.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve2d, correlate2d } from '../src/index';
import fx from './fixtures/signal2d.json';
import { backendCases, fromFixture, useBackend, type FixtureArray } from './helpers';
import { absOf, expectWithin, sumTol } from './tolerance';
import { signal2dRef } from './reference/filters';

type Mode = 'full' | 'same' | 'valid';
type Boundary = 'fill' | 'wrap' | 'symm';
interface Case {
  name: string;
  fn: 'convolve2d' | 'correlate2d';
  args: { in1: FixtureArray; in2: FixtureArray; mode: Mode; boundary: Boundary; fillvalue: number };
  expected: FixtureArray;
}

const ops = { convolve2d, correlate2d };
const cases = fx.cases as Case[];

/** 'same' cases name the full-output index they start at, which differs between the two functions for even M. */
function title(c: Case): string {
  if (c.args.mode !== 'same') return c.name;
  const M = c.args.in2.shape;
  const start = M.map((m) => (c.fn === 'correlate2d' ? m >> 1 : (m - 1) >> 1));
  return `${c.name} (same starts at full [${start.join(',')}] = ${c.fn === 'correlate2d' ? 'M//2' : '(M-1)//2'})`;
}

/** Per element: a sum of |in2| products (the fill value is one of the inputs where it enters), test/tolerance.ts. */
function tolOf(dtype: 'float32' | 'float64', x: { data: ArrayLike<number>; shape: readonly number[] }, h: { data: ArrayLike<number>; shape: readonly number[] }, c: Case): Float64Array {
  const { mode, boundary, fillvalue } = c.args;
  const mag = signal2dRef(absOf(x), absOf(h), { convolve: c.fn === 'convolve2d', mode, boundary, fillvalue: Math.abs(fillvalue) });
  return sumTol(dtype, h.data.length, mag.data);
}

describe('the slow reference reproduces the signal2d fixtures', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { in1, in2, mode, boundary, fillvalue } = c.args;
      const ref = signal2dRef(in1, in2, { convolve: c.fn === 'convolve2d', mode, boundary, fillvalue });
      expect(ref.shape).toEqual(c.expected.shape);
      expectWithin(ref.data, c.expected.data, tolOf('float64', in1, in2, c));
    });
  }
});

describe.each(backendCases())('signal2d fixtures on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float64', 'float32'] as const) {
    for (const c of cases) {
      it(`${title(c)} ${dtype}`, () => {
        const { in1, in2, mode, boundary, fillvalue } = c.args;
        const [x, h] = [fromFixture(in1, dtype), fromFixture(in2, dtype)];
        const out = ops[c.fn](x, h, { mode, boundary, fillvalue });
        expect(out.shape).toEqual(c.expected.shape);
        expect(out.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        expectWithin(out.data, c.expected.data, tolOf(dtype, x, h, c));
      });
    }
  }
});

const MODES: Mode[] = ['full', 'same', 'valid'];
const BOUNDARIES: Boundary[] = ['fill', 'wrap', 'symm'];

/** A random rank-2 array of small integers (exact in float64, so any summation order gives the same result). */
const arr2 = (maxSide: number): fc.Arbitrary<{ data: Float64Array; shape: number[] }> =>
  fc.tuple(fc.integer({ min: 1, max: maxSide }), fc.integer({ min: 1, max: maxSide })).chain(([r, c]) =>
    fc.array(fc.integer({ min: -4, max: 4 }), { minLength: r * c, maxLength: r * c })
      .map((v) => ({ data: Float64Array.from(v), shape: [r, c] })));

describe.each(backendCases())('signal2d properties on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const fn of ['correlate2d', 'convolve2d'] as const) {
    it(`${fn} equals the reference on random shapes, every mode and boundary (kernels may be larger than the image)`, () => {
      fc.assert(
        fc.property(arr2(9), arr2(6), fc.constantFrom(...MODES), fc.constantFrom(...BOUNDARIES), fc.integer({ min: -3, max: 3 }),
          (x, h, mode, boundary, fillvalue) => {
            const bigger = x.shape.every((n, a) => n >= h.shape[a]) || x.shape.every((n, a) => n <= h.shape[a]);
            fc.pre(mode !== 'valid' || bigger);
            const out = ops[fn](x, h, { mode, boundary, fillvalue });
            const ref = signal2dRef(x, h, { convolve: fn === 'convolve2d', mode, boundary, fillvalue });
            expect(out.shape).toEqual(ref.shape);
            expectWithin(out.data, ref.data, 0); // small integers: exact
          }),
        { numRuns: 60, seed: 2024 },
      );
    });
  }
  it('correlate2d(x, h) equals convolve2d(x, h reversed) in full mode for every boundary', () => {
    fc.assert(
      fc.property(arr2(8), arr2(5), fc.constantFrom(...BOUNDARIES), (x, h, boundary) => {
        const flipped = { data: h.data.slice().reverse(), shape: h.shape };
        const a = correlate2d(x, h, { boundary, fillvalue: 1 });
        const b = convolve2d(x, flipped, { boundary, fillvalue: 1 });
        expect(Array.from(a.data)).toEqual(Array.from(b.data));
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});

describe('signal2d options and errors', () => {
  const img = { data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] };
  const k = { data: new Float64Array([1, 2]), shape: [1, 2] };
  it('defaults: mode full, boundary fill, fillvalue 0', () => {
    const out = correlate2d(img, k);
    expect(out.shape).toEqual([2, 4]);
    expect(Array.from(out.data)).toEqual([2, 5, 8, 3, 8, 14, 17, 6]);
  });
  it('float32 inputs give float32; dtype overrides; the backend option picks the backend', () => {
    const f = { data: Float32Array.from(img.data), shape: img.shape };
    expect(correlate2d(f, { data: Float32Array.from(k.data), shape: [1, 2] }).data).toBeInstanceOf(Float32Array);
    expect(correlate2d(f, k).data).toBeInstanceOf(Float64Array);
    expect(convolve2d(img, k, { dtype: 'float32', backend: 'js' }).data).toBeInstanceOf(Float32Array);
  });
  it('accepts scipy aliases of the boundaries (pad, circular, symmetric)', () => {
    for (const [alias, name] of [['pad', 'fill'], ['circular', 'wrap'], ['symmetric', 'symm']] as const) {
      const a = correlate2d(img, k, { mode: 'same', boundary: alias as Boundary, fillvalue: 2 });
      const b = correlate2d(img, k, { mode: 'same', boundary: name, fillvalue: 2 });
      expect(a).toEqual(b);
    }
  });
  it('inputs are not modified and the output does not alias them', () => {
    const x = { data: new Float64Array([1, 2, 3, 4]), shape: [2, 2] };
    const before = x.data.slice();
    const out = convolve2d(x, x, { mode: 'same', boundary: 'wrap' });
    expect(x.data).toEqual(before);
    expect(out.data.buffer).not.toBe(x.data.buffer);
  });
  it('rank other than 2 is a RangeError naming the argument', () => {
    expect(() => correlate2d([1, 2, 3] as never, k)).toThrow(RangeError);
    expect(() => correlate2d([1, 2, 3] as never, k)).toThrow(/correlate2d: in1 must be 2-D, got shape \[3\]/);
    expect(() => convolve2d(img, { data: new Float64Array(8), shape: [2, 2, 2] })).toThrow(/convolve2d: in2 must be 2-D, got shape \[2, 2, 2\]/);
    expect(() => convolve2d({ data: new Float64Array(8), shape: [2, 2, 2] }, { data: new Float64Array(8), shape: [2, 2, 2] }))
      .toThrow(/convolve2d: in1 must be 2-D/);
  });
  it('bad options are TypeErrors naming the option', () => {
    expect(() => correlate2d(img, k, { boundary: 'reflect' as never })).toThrow(/correlate2d: boundary must be one of/);
    expect(() => correlate2d(img, k, { mode: 'middle' as never })).toThrow(TypeError);
    expect(() => correlate2d(img, k, { fillvalue: '1' as never })).toThrow(/fillvalue must be a number/);
  });
  it("'valid' with neither input at least as large on every axis is a RangeError", () => {
    expect(() => correlate2d(img, { data: new Float64Array(3), shape: [3, 1] }, { mode: 'valid' })).toThrow(RangeError);
  });
});
