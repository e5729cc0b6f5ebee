// scipy.ndimage.correlate / convolve: golden fixtures (scripts/gen_fixtures.py) on every backend in float64 and
// float32, fast-check properties against the slow reference (ranks 1–3, every mode, random origins), and errors.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ndimage } from '../src/index';
import fx from './fixtures/ndimage.json';
import { backendCases, fromFixture, rng, useBackend, type FixtureArray } from './helpers';
import { absOf, expectWithin, sumTol } from './tolerance';
import { ndimageRef, type Ext } from './reference/filters';

interface Case {
  name: string;
  fn: 'ndimage.correlate' | 'ndimage.convolve';
  args: { input: FixtureArray; weights: FixtureArray; mode: Ext; cval: number; origin: number | number[] };
  expected: FixtureArray;
}

const cases = fx.cases as Case[];
const ops = { 'ndimage.correlate': ndimage.correlate, 'ndimage.convolve': ndimage.convolve };
const perAxis = (o: number | number[], d: number) => (typeof o === 'number' ? new Array<number>(d).fill(o) : o);

/** Per element: a sum of |weights| products (cval one of the inputs where it enters), test/tolerance.ts. */
function tolOf(dtype: 'float32' | 'float64', x: { data: ArrayLike<number>; shape: readonly number[] }, w: { data: ArrayLike<number>; shape: readonly number[] }, c: (typeof cases)[number]): Float64Array {
  const { mode, cval, origin } = c.args;
  const mag = ndimageRef(absOf(x), absOf(w), { convolve: c.fn === 'ndimage.convolve', mode, cval: Math.abs(cval), origin: perAxis(origin, x.shape.length) });
  return sumTol(dtype, w.data.length, mag.data);
}

describe('the slow reference reproduces the ndimage fixtures', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { input, weights, mode, cval, origin } = c.args;
      const ref = ndimageRef(input, weights, { convolve: c.fn === 'ndimage.convolve', mode, cval, origin: perAxis(origin, input.shape.length) });
      expectWithin(ref.data, c.expected.data, tolOf('float64', input, weights, c));
    });
  }
});

describe.each(backendCases())('ndimage fixtures on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float64', 'float32'] as const) {
    const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
    for (const c of cases) {
      const { input, weights, mode, cval, origin } = c.args;
      const op = ops[c.fn];
      it(`${c.name} ${dtype}`, () => {
        const [x, w] = [fromFixture(input, dtype), fromFixture(weights, dtype)];
        const out = op(x, w, { mode, cval, origin });
        expect(out.shape).toEqual(input.shape);
        expect(out.data).toBeInstanceOf(Ctor);
        expectWithin(out.data, c.expected.data, tolOf(dtype, x, w, c));
      });
      if (input.shape.length === 1) {
        it(`${c.name} ${dtype} as plain typed arrays`, () => {
          const [x, w] = [Ctor.from(input.data), Ctor.from(weights.data)];
          const out = op(x, w, { mode, cval, origin });
          expect(out).toBeInstanceOf(Ctor);
          expectWithin(out, c.expected.data, tolOf(dtype, { data: x, shape: input.shape }, { data: w, shape: weights.shape }, c));
        });
      }
    }
  }
});

const EXTS: Ext[] = ['reflect', 'constant', 'nearest', 'mirror', 'wrap'];

/** Input and weights of the same random rank (1–3), small integer values, and a valid random origin per axis. */
const problem = fc.integer({ min: 1, max: 3 }).chain((d) =>
  fc.tuple(
    fc.array(fc.integer({ min: 1, max: d === 3 ? 4 : 8 }), { minLength: d, maxLength: d }),
    fc.array(fc.integer({ min: 1, max: d === 3 ? 3 : 6 }), { minLength: d, maxLength: d }),
  ).chain(([xs, ws]) => fc.record({
    x: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: xs.reduce((a, b) => a * b), maxLength: xs.reduce((a, b) => a * b) })
      .map((v) => ({ data: Float64Array.from(v), shape: xs })),
    w: fc.array(fc.integer({ min: -4, max: 4 }), { minLength: ws.reduce((a, b) => a * b), maxLength: ws.reduce((a, b) => a * b) })
      .map((v) => ({ data: Float64Array.from(v), shape: ws })),
    origin: fc.tuple(...ws.map((m) => fc.integer({ min: -(m >> 1), max: (m - 1) >> 1 }))),
  })));

describe.each(backendCases())('ndimage properties on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const fn of ['correlate', 'convolve'] as const) {
    it(`ndimage.${fn} equals the reference on random shapes, ranks 1-3, every mode and origin`, () => {
      fc.assert(
        fc.property(problem, fc.constantFrom(...EXTS), fc.integer({ min: -2, max: 2 }), ({ x, w, origin }, mode, cval) => {
          const out = ndimage[fn](x, w, { mode, cval, origin });
          const ref = ndimageRef(x, w, { convolve: fn === 'convolve', mode, cval, origin });
          expect(out.shape).toEqual(x.shape);
          expectWithin(out.data, ref.data, 0); // small integers: exact
        }),
        { numRuns: 80, seed: 99 },
      );
    });
  }
  it('convolve(x, w, origin) equals correlate(x, w reversed, −origin − (1 if M even)) (scipy identity)', () => {
    fc.assert(
      fc.property(problem, fc.constantFrom(...EXTS), ({ x, w, origin }, mode) => {
        const shifted = origin.map((o, a) => -o - (w.shape[a] % 2 === 0 ? 1 : 0));
        fc.pre(shifted.every((o, a) => o >= -(w.shape[a] >> 1) && o <= (w.shape[a] - 1) >> 1));
        const a = ndimage.convolve(x, w, { mode, origin });
        const b = ndimage.correlate(x, { data: w.data.slice().reverse(), shape: w.shape }, { mode, origin: shifted });
        expect(Array.from(a.data)).toEqual(Array.from(b.data));
      }),
      { numRuns: 40, seed: 5 },
    );
  });
});

describe.each(backendCases())('ndimage on images taller than one strip on %s', (be) => {
  beforeAll(() => useBackend(be));
  // Rank 2 runs in strips of rows (src/direct.ts); rank 3 with a leading axis of 1 runs the generic N-D path.
  const [H, W] = [150, 300];
  const r = rng(3);
  const img = Float64Array.from({ length: H * W }, () => Math.floor(r() * 9) - 4);
  for (const [kh, kw] of [[3, 3], [4, 6], [15, 2]]) {
    const w = Float64Array.from({ length: kh * kw }, () => Math.floor(r() * 9) - 4);
    for (const mode of EXTS) {
      it(`${H}×${W} image, ${kh}×${kw} weights, mode ${mode}: rank 2 equals rank 3 [1, ${H}, ${W}]`, () => {
        for (const fn of [ndimage.correlate, ndimage.convolve]) {
          const a = fn({ data: img, shape: [H, W] }, { data: w, shape: [kh, kw] }, { mode, cval: 1.5, origin: [0, -1] });
          const b = fn({ data: img, shape: [1, H, W] }, { data: w, shape: [1, kh, kw] }, { mode, cval: 1.5, origin: [0, 0, -1] });
          expect(Array.from(a.data)).toEqual(Array.from(b.data));
        }
      });
    }
  }
});

describe('ndimage options and errors', () => {
  const x = new Float64Array([1, 5, 2, 8, 3, 9, 4]);
  const w = new Float64Array([1, -2, 3, 1]);
  it("default mode is 'reflect', cval 0, origin 0", () => {
    expect(ndimage.correlate(x, w)).toEqual(ndimage.correlate(x, w, { mode: 'reflect', cval: 0, origin: 0 }));
  });
  it("scipy's grid-* aliases equal their plain twins (grid-mirror = reflect)", () => {
    expect(ndimage.convolve(x, w, { mode: 'grid-mirror' })).toEqual(ndimage.convolve(x, w, { mode: 'reflect' }));
    expect(ndimage.convolve(x, w, { mode: 'grid-wrap' })).toEqual(ndimage.convolve(x, w, { mode: 'wrap' }));
    expect(ndimage.convolve(x, w, { mode: 'grid-constant', cval: 2 })).toEqual(ndimage.convolve(x, w, { mode: 'constant', cval: 2 }));
  });
  it('plain inputs give plain typed arrays, NDArray inputs NDArrays; float32 stays float32', () => {
    expect(ndimage.correlate([1, 2, 3], [1, 1])).toBeInstanceOf(Float64Array);
    expect(ndimage.correlate(new Float32Array([1, 2, 3]), new Float32Array([1, 1]))).toBeInstanceOf(Float32Array);
    const out = ndimage.convolve({ data: new Float32Array(6), shape: [2, 3] }, { data: new Float32Array([1]), shape: [1, 1] });
    expect(out.shape).toEqual([2, 3]);
    expect(out.data).toBeInstanceOf(Float32Array);
  });
  it('an origin outside scipy\'s range is a RangeError naming the axis', () => {
    // M = 4 allows [-2, 1]; M = 3 allows [-1, 1].
    expect(() => ndimage.correlate(x, w, { origin: 2 })).toThrow(RangeError);
    expect(() => ndimage.correlate(x, w, { origin: 2 })).toThrow(/ndimage.correlate: origin = 2 on axis 0 is outside \[-2, 1\]/);
    expect(() => ndimage.convolve(x, w, { origin: -3 })).toThrow(/outside \[-2, 1\]/);
    const img = { data: new Float64Array(12), shape: [3, 4] };
    const k = { data: new Float64Array(6), shape: [2, 3] };
    expect(() => ndimage.correlate(img, k, { origin: [0, -2] })).toThrow(/origin\[1\] = -2 on axis 1 is outside \[-1, 1\]/);
    expect(() => ndimage.correlate(img, k, { origin: [1, 0] })).toThrow(/origin\[0\] = 1 on axis 0 is outside \[-1, 0\]/);
    expect(() => ndimage.correlate(img, k, { origin: [0] })).toThrow(/origin has 1 entries, expected 2/);
    expect(() => ndimage.correlate(img, k, { origin: 0.5 })).toThrow(/integer/);
  });
  it('bad modes and ranks are rejected before any work', () => {
    expect(() => ndimage.correlate(x, w, { mode: 'symmetric' as never })).toThrow(TypeError);
    expect(() => ndimage.correlate(x, w, { cval: 'a' as never })).toThrow(/cval must be a number/);
    expect(() => ndimage.correlate({ data: new Float64Array(4), shape: [2, 2] }, w)).toThrow(/weights has rank 1 but input has rank 2/);
  });
});
