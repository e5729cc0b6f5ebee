// Similarity: matchTemplate against OpenCV 4.6 (cv2.matchTemplate) and scikit-image 0.19 (padInput), minMaxLoc
// against cv2.minMaxLoc, xcorr against Octave-signal — golden vectors from scripts/gen_fixtures_similarity.py — on
// every backend; the direct and FFT paths against the plain reference (test/reference/similarity.ts) on random
// shapes; findDelay against its definition; bad inputs; the wasm arena after every call.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDelay, matchTemplate, minMaxLoc, xcorr, type NDArray } from '../src/index';
import { loadedModule } from '../src/wasm';
import { backendCases, rng, useBackend, type BackendCase } from './helpers';
import fixtures from './fixtures/similarity.json';
import { findDelayRef, matchTemplatePadRef, matchTemplateRef, xcorrRef, type Method } from './reference/similarity';

type Num = number | string;
interface FA { shape: number[]; data: Num[] }
const dec = (v: Num) => (typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity);
// The fixture file is large and loosely shaped (numbers, or 'NaN'/'Infinity' strings): typed at each use below.
const fx = fixtures as any; // eslint-disable-line @typescript-eslint/no-explicit-any
const f32 = (a: FA) => Float32Array.from(a.data.map(dec));
const f64 = (a: FA) => Float64Array.from(a.data.map(dec));
const img = (a: FA) => ({ data: a.data.map(dec), H: a.shape[0], W: a.shape[1], C: a.shape[2] ?? 1 });

const EPS32 = 2 ** -24;
const EPS64 = 2 ** -53;

/**
 * |got − want| ≤ tol per element: NaN only where NaN; tol from the terms each value is a sum of.
 * Returns a description of the first failure, or '' when every element passes.
 */
function within(got: ArrayLike<number>, want: ArrayLike<number>, tol: (i: number) => number): string {
  if (got.length !== want.length) return `length ${got.length} ≠ ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const e = want[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) return `[${i}] got ${a}, want ${e}`;
    } else if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) return `[${i}] got ${a}, want ${e}`;
    } else if (!(Math.abs(a - e) <= tol(i))) {
      return `[${i}] got ${a}, want ${e} (|diff| ${Math.abs(a - e)} > tol ${tol(i)})`;
    }
  }
  return '';
}

/** The expanded [h, w, C] weights the reference takes (uint8 masks binary; a 1-channel mask repeated). */
function maskWeights(m: FA, kind: string, C: number): Float64Array {
  const [h, w] = m.shape;
  const mc = m.shape[2] ?? 1;
  const out = new Float64Array(h * w * C);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < C; k++) {
      const v = dec(m.data[i * mc + (mc === 1 ? 0 : k)]);
      out[i * C + k] = kind === 'binary' ? (v > 0 ? 1 : 0) : v;
    }
  }
  return out;
}

function globalNorm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

const arenaTop = (c: BackendCase) => (c === 'js' ? 0 : loadedModule(c)!.arena.top);

describe.each(backendCases())('similarity on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  describe('matchTemplate vs cv2.matchTemplate (OpenCV 4.6)', () => {
    // OpenCV correlates by a float32 DFT: its error scales with the global norms ‖I‖·‖T‖ as well as the window's
    // terms; both bound each element, with the window's K·ε·Σ|terms| for this library's own float32 sums.
    for (const c of fx.matchTemplate) {
      for (const dtype of ['float32', 'float64'] as const) {
        it(`${c.name} as ${dtype}`, () => {
          const a = c.args;
          const conv = dtype === 'float32' ? f32 : f64;
          const image = { data: conv(a.image), shape: a.image.shape };
          const templ = { data: conv(a.templ), shape: a.templ.shape };
          const C = a.image.shape[2] ?? 1;
          const mask = a.mask === undefined ? undefined
            : a.maskKind === 'binary' ? { data: Uint8Array.from(a.mask.data), shape: a.mask.shape } : { data: conv(a.mask), shape: a.mask.shape };
          const top = arenaTop(backend);
          const got = matchTemplate(image, templ, { method: a.method, mask });
          expect(arenaTop(backend)).toBe(top);
          expect(got.shape).toEqual(c.expected.shape);
          expect(got.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
          const want = f64(c.expected);
          const ref = matchTemplateRef(img(a.image), img(a.templ), a.method, a.mask && maskWeights(a.mask, a.maskKind, C));
          const K = a.templ.shape[0] * a.templ.shape[1] * C;
          const n = a.image.shape[0] * a.image.shape[1];
          const tm = globalNorm(a.templ.data.map(dec)) * (a.mask ? globalNorm(maskWeights(a.mask, a.maskKind, C)) : 1);
          const dft = Math.log2(n) * globalNorm(a.image.data.map(dec)) * tm;
          // Masked flat windows (zero weighted variance): OpenCV divides its rounding residue by ~0 (±Infinity,
          // NaN or a huge number); this library gives NaN there, as the exact 0/0.
          const flat = (i: number) => ref.den[i] === 0 && Number.isNaN(ref.data[i]);
          for (let i = 0; i < want.length; i++) {
            if (flat(i)) {
              expect(got.data[i]).toBeNaN();
              expect(!Number.isFinite(want[i]) || Math.abs(want[i]) > 10).toBe(true);
              want[i] = NaN;
            }
          }
          const err = within(got.data, want, (i) => 8 * EPS32 * (K * ref.mag[i] + dft / ref.den[i]) + 2 * EPS32 * Math.abs(want[i]));
          expect(err).toBe('');
        });
      }
    }
  });

  describe('padInput vs scikit-image match_template(pad_input=True)', () => {
    for (const c of fx.padInput) {
      it(c.name, () => {
        const a = c.args;
        const conv = a.dtype === 'float32' ? f32 : f64;
        const got = matchTemplate({ data: conv(a.image), shape: a.image.shape }, { data: conv(a.templ), shape: a.templ.shape }, { padInput: true });
        expect(got.shape).toEqual(a.image.shape);
        const want = f64(c.expected);
        const eps = a.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
        const ref = matchTemplatePadRef(img(a.image), img(a.templ), eps);
        // scikit-image's window sums are cumulative sums in the image's dtype (float32 here loses ~n·ε of them).
        const K = a.templ.shape[0] * a.templ.shape[1];
        const e = a.dtype === 'float32' ? EPS32 : EPS64;
        const n = (a.image.shape[0] + 2 * a.templ.shape[0]) * (a.image.shape[1] + 2 * a.templ.shape[1]);
        expect(within(got.data, want, (i) => 8 * e * (K + n) * ref.mag[i] + 2 * e * Math.abs(want[i]))).toBe('');
        expect(within(got.data, ref.data, (i) => 8 * e * K * ref.mag[i] + 2 * e * Math.abs(ref.data[i]))).toBe('');
      });
    }
  });

  describe('minMaxLoc vs cv2.minMaxLoc', () => {
    for (const c of fx.minMaxLoc) {
      it(c.name, () => {
        const got = minMaxLoc({ data: f32(c.args.a), shape: c.args.a.shape });
        expect(got).toEqual({ ...c.expected, minVal: dec(c.expected.minVal), maxVal: dec(c.expected.maxVal) });
      });
    }
    it('a plain vector gives one-index locations', () => {
      expect(minMaxLoc([3, -1, 4, -1, 9, 9])).toEqual({ minVal: -1, maxVal: 9, minLoc: [1], maxLoc: [4] });
    });
  });

  describe('xcorr vs Octave-signal xcorr', () => {
    for (const c of fx.xcorr) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const method of ['direct', 'fft'] as const) {
          it(`${c.name} ${dtype} ${method}`, () => {
            const a = c.args;
            const conv = dtype === 'float32' ? f32 : f64;
            const x = conv(a.x);
            const y = a.y === undefined ? undefined : conv(a.y);
            const opts = { scale: a.scale, maxlag: a.maxlag, method };
            const got = y === undefined ? xcorr(x, opts) : xcorr(x, y, opts);
            expect(Array.from(got.lags)).toEqual(c.expected.lags);
            expect(got.r).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
            const xv = a.x.data.map(dec);
            const yv = a.y === undefined ? xv : a.y.data.map(dec);
            const ref = xcorrRef(xv, yv, (c.expected.lags.length - 1) / 2, a.scale);
            const N = Math.max(xv.length, yv.length);
            // Octave transforms in float64 (errors ~ log2(N)·ε·‖x‖·‖y‖); ours sums N terms in dtype (or transforms).
            const e = dtype === 'float32' ? EPS32 : EPS64;
            const scaleDen = a.scale === 'none' ? 1 : a.scale === 'biased' ? N : a.scale === 'unbiased' ? 1 : Math.sqrt(globalNorm(xv) ** 2 * globalNorm(yv) ** 2);
            const glob = (4 * Math.log2(2 * N) * globalNorm(xv) * globalNorm(yv)) / scaleDen;
            const want = f64(c.expected.r);
            expect(within(got.r, want, (i) => 8 * e * (N * ref.mag[i] + glob) + 8 * EPS64 * glob + 2 * e * Math.abs(want[i]))).toBe('');
          });
        }
      }
    }
    it('an NDArray input gives an NDArray r', () => {
      const got = xcorr({ data: Float64Array.of(1, 2, 3), shape: [3] }, { data: Float64Array.of(4, 5, 6), shape: [3] });
      expect(got.r.shape).toEqual([5]);
      expect(Array.from(got.r.data)).toEqual([6, 17, 32, 23, 12]);
    });
  });

  describe('matchTemplate vs the plain reference (fast-check)', () => {
    const methods: Method[] = ['sqdiff', 'sqdiff-normed', 'ccorr', 'ccorr-normed', 'ccoeff', 'ccoeff-normed'];
    const caseArb = fc.record({
      H: fc.integer({ min: 1, max: 14 }), W: fc.integer({ min: 1, max: 14 }), C: fc.constantFrom(1, 1, 2, 3),
      fh: fc.double({ min: 0, max: 1, noNaN: true }), fw: fc.double({ min: 0, max: 1, noNaN: true }),
      method: fc.constantFrom(...methods), mask: fc.constantFrom('none', 'none', 'binary', 'float'),
      conv: fc.constantFrom('direct', 'fft', 'auto') as fc.Arbitrary<'direct' | 'fft' | 'auto'>,
      dtype: fc.constantFrom('float32', 'float64') as fc.Arbitrary<'float32' | 'float64'>,
      offset: fc.constantFrom(0, 0, 50), seed: fc.integer(),
    });
    it('every method, mask, channel count, dtype and path, random shapes', () => {
      fc.assert(fc.property(caseArb, (p) => {
        const h = 1 + Math.floor(p.fh * (p.H - 1));
        const w = 1 + Math.floor(p.fw * (p.W - 1));
        const r = rng(p.seed);
        const make = (len: number, f: () => number) => (p.dtype === 'float32' ? Float32Array.from({ length: len }, f) : Float64Array.from({ length: len }, f));
        const image = make(p.H * p.W * p.C, () => p.offset + Math.round((r() * 2 - 1) * 1000) / 1000);
        const templ = make(h * w * p.C, () => p.offset + Math.round((r() * 2 - 1) * 1000) / 1000);
        const shape = (a: number, b: number) => (p.C === 1 ? [a, b] : [a, b, p.C]);
        let mask: NDArray | { data: Uint8Array; shape: number[] } | undefined;
        let weights: Float64Array | undefined;
        if (p.mask !== 'none') {
          weights = new Float64Array(h * w * p.C);
          const m = p.mask === 'binary' ? new Uint8Array(h * w) : p.dtype === 'float32' ? new Float32Array(h * w) : new Float64Array(h * w);
          for (let i = 0; i < h * w; i++) m[i] = p.mask === 'binary' ? (r() < 0.3 ? 0 : 1 + Math.floor(r() * 254)) : Math.round(r() * 1000) / 1000;
          m[0] = p.mask === 'binary' ? 3 : 0.5; // never all zero
          for (let i = 0; i < h * w; i++) for (let k = 0; k < p.C; k++) weights[i * p.C + k] = p.mask === 'binary' ? (m[i] > 0 ? 1 : 0) : m[i];
          mask = { data: m, shape: [h, w] } as NDArray;
        }
        const got = matchTemplate({ data: image, shape: shape(p.H, p.W) }, { data: templ, shape: shape(h, w) },
          { method: p.method, mask, convMethod: p.conv });
        const ref = matchTemplateRef({ data: image, H: p.H, W: p.W, C: p.C }, { data: templ, H: h, W: w, C: p.C }, p.method, weights);
        const K = h * w * p.C;
        const e = p.dtype === 'float32' ? EPS32 : EPS64;
        const n = p.H * p.W * p.C;
        // FFT errors scale with the global norms (~log2(n)·ε·‖I − g‖·‖T‖); the direct sums with the window's terms.
        const glob = p.conv === 'direct' ? 0 : 4 * Math.log2(2 * n) * globalNorm(image) * globalNorm(templ) * (weights ? globalNorm(weights) : 1);
        const scale = p.dtype === 'float32' || weights ? 1 : 1;
        const err = within(got.data, ref.data, (i) => 8 * e * scale * (K * ref.mag[i] + glob / ref.den[i]) + 4 * e * Math.abs(ref.data[i]));
        if (err) throw new Error(`${JSON.stringify({ ...p, h, w })}: ${err}`);
      }), { numRuns: backend === 'js' ? 150 : 100 });
    });

    it('1024-sample images through both paths agree with the reference at a few windows', () => {
      const H = 40;
      const W = 50;
      const r = rng(5);
      const image = Float64Array.from({ length: H * W }, () => r());
      const templ = Float64Array.from({ length: 17 * 19 }, () => r());
      for (const convMethod of ['direct', 'fft'] as const) {
        const got = matchTemplate({ data: image, shape: [H, W] }, { data: templ, shape: [17, 19] }, { convMethod });
        const ref = matchTemplateRef({ data: image, H, W, C: 1 }, { data: templ, H: 17, W: 19, C: 1 }, 'ccoeff-normed');
        expect(within(got.data, ref.data, (i) => 1e-12 + 64 * EPS64 * (17 * 19 * ref.mag[i]))).toBe('');
      }
    });

    it('a bright, low-contrast float32 image keeps the digits of the variance (float64 window statistics)', () => {
      const H = 48;
      const W = 48;
      const r = rng(9);
      const image = Float32Array.from({ length: H * W }, () => 1000 + r() * 0.01);
      const templ = Float32Array.from({ length: 64 }, () => 1000 + r() * 0.01);
      for (const convMethod of ['direct', 'fft'] as const) {
        const got = matchTemplate({ data: image, shape: [H, W] }, { data: templ, shape: [8, 8] }, { convMethod });
        const ref = matchTemplateRef({ data: image, H, W, C: 1 }, { data: templ, H: 8, W: 8, C: 1 }, 'ccoeff-normed');
        // Scores of order 0.1 to within 1e-4: a float32 Σ I² − (Σ I)²/K would have no correct digit here.
        expect(within(got.data, ref.data, () => 1e-4)).toBe('');
      }
    });

    it('NaN and ±Infinity only spoil the windows that hold them', () => {
      const H = 12;
      const W = 13;
      const r = rng(3);
      const image = Float64Array.from({ length: H * W }, () => r());
      image[5 * W + 6] = NaN;
      image[0] = Infinity;
      const templ = Float64Array.from({ length: 9 }, () => r());
      for (const convMethod of ['auto', 'direct', 'fft'] as const) {
        for (const method of methods) {
          const got = matchTemplate({ data: image, shape: [H, W] }, { data: templ, shape: [3, 3] }, { method, convMethod });
          const clean = image.map((v) => (Number.isFinite(v) ? v : 0));
          const ref = matchTemplateRef({ data: clean, H, W, C: 1 }, { data: templ, H: 3, W: 3, C: 1 }, method);
          for (let i = 0; i < got.data.length; i++) {
            const rr = Math.floor(i / (W - 2));
            const cc = i % (W - 2);
            const holds = (rr <= 5 && rr + 2 >= 5 && cc <= 6 && cc + 2 >= 6) || (rr === 0 && cc === 0);
            if (holds) expect(got.data[i]).toBeNaN();
            else expect(Math.abs(got.data[i] - ref.data[i])).toBeLessThanOrEqual(1e-9 * (1 + ref.mag[i]));
          }
        }
      }
    });
  });

  describe('findDelay', () => {
    it('MATLAB finddelay examples, derived from the definition', () => {
      // y is x delayed by 2 samples: y[n] = x[n − 2].
      expect(findDelay([1, 2, 3], [0, 0, 1, 2, 3])).toBe(2);
      expect(findDelayRef([1, 2, 3], [0, 0, 1, 2, 3])).toBe(2);
      // y leads x by one sample.
      expect(findDelay([0, 1, 2, 3], [1, 2, 3, 0])).toBe(-1);
      expect(findDelayRef([0, 1, 2, 3], [1, 2, 3, 0])).toBe(-1);
      // maxlag bounds the search.
      expect(findDelay([1, 2, 3, 0, 0, 0, 0], [0, 0, 0, 0, 1, 2, 3], { maxlag: 2 })).toBe(findDelayRef([1, 2, 3, 0, 0, 0, 0], [0, 0, 0, 0, 1, 2, 3], 2));
    });

    it('equals the definition on random signals, delays, lengths, maxlag and both paths (fast-check)', () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: -20, max: 20 }),
        fc.option(fc.integer({ min: 0, max: 70 })), fc.constantFrom('direct', 'fft', 'auto'), fc.integer(), fc.boolean(),
        (nx, ny, d, maxlag, method, seed, ints) => {
          const r = rng(seed);
          // Small integers make exact ties likely: the tie rules are tested too.
          const x = Float64Array.from({ length: nx }, () => (ints ? Math.floor(r() * 3) : r() * 2 - 1));
          const y = Float64Array.from({ length: ny }, (_, n) => (n - d >= 0 && n - d < nx ? x[n - d] : 0) + (ints ? 0 : 0.05 * (r() - 0.5)));
          const opts = { maxlag: maxlag ?? undefined, method: method as 'direct' | 'fft' | 'auto' };
          const want = findDelayRef(x, y, maxlag ?? undefined);
          const got = findDelay(x, y, opts);
          // FFT round-off may break an exact tie the other way: then both lags must score the same.
          if (got !== want) {
            if (method === 'direct' || !ints) throw new Error(`${JSON.stringify({ nx, ny, d, maxlag, method, ints })}: ${got} ≠ ${want}`);
            const L = maxlag ?? Math.max(nx, ny) - 1;
            const c = xcorrRef(x, y, L, 'normalized').r;
            expect(Math.abs(Math.abs(c[L - got]) - Math.abs(c[L - want]))).toBeLessThan(1e-9);
          }
        }), { numRuns: 300 });
    });

    it('finds the delay of a noisy copy, with a subsample refinement within a tenth of a sample', () => {
      const n = 4096;
      const r = rng(11);
      // A smooth (low-pass) signal and a copy delayed by 37.3 samples (linear interpolation), with noise.
      const base = new Float64Array(n + 100);
      let s = 0;
      for (let i = 0; i < base.length; i++) base[i] = s = 0.9 * s + (r() - 0.5);
      const x = Float32Array.from({ length: n }, (_, i) => base[i + 50]);
      const d = 37.3;
      const y = Float32Array.from({ length: n }, (_, i) => {
        const t = i + 50 - d;
        const k = Math.floor(t);
        return base[k] + (t - k) * (base[k + 1] - base[k]) + 0.05 * (r() - 0.5);
      });
      expect(findDelay(x, y)).toBe(37);
      expect(Math.abs(findDelay(x, y, { subsample: true }) - d)).toBeLessThan(0.1);
      expect(findDelay(y, x)).toBe(-37);
    });

    it('zero signals give 0', () => {
      expect(findDelay([0, 0, 0], [0, 0, 0])).toBe(0);
    });
  });

  describe('bad inputs', () => {
    const im = { data: new Float32Array(20), shape: [4, 5] };
    const tp = { data: new Float32Array(4), shape: [2, 2] };
    const cases: [string, () => unknown, typeof TypeError | typeof RangeError, RegExp][] = [
      ['template larger than the image', () => matchTemplate(tp, im), RangeError, /matchTemplate: templ .*larger than image/],
      ['mask of another shape', () => matchTemplate(im, tp, { mask: { data: new Float32Array(6), shape: [2, 3] } }), RangeError, /matchTemplate: mask has shape \[2, 3\]/],
      ['channel mismatch', () => matchTemplate({ data: new Float32Array(60), shape: [4, 5, 3] }, { data: new Float32Array(8), shape: [2, 2, 2] }), RangeError, /matchTemplate: templ has 2 channel/],
      ['unknown method', () => matchTemplate(im, tp, { method: 'TM_CCOEFF' as never }), TypeError, /matchTemplate: method must be one of/],
      ['unknown convMethod', () => matchTemplate(im, tp, { convMethod: 'gpu' as never }), TypeError, /matchTemplate: convMethod/],
      ['unknown option key', () => matchTemplate(im, tp, { pad_input: true } as never), TypeError, /matchTemplate: unknown option 'pad_input' \(did you mean 'padInput'\?\)/],
      ['a rank-1 image', () => matchTemplate({ data: new Float32Array(5), shape: [5] }, tp), RangeError, /matchTemplate: image must be an NDArray/],
      ['padInput not a boolean', () => matchTemplate(im, tp, { padInput: 1 as never }), TypeError, /matchTemplate: padInput must be a boolean/],
      ['image not an array', () => matchTemplate('img' as never, tp), TypeError, /matchTemplate: image must be/],
      ['maxlag negative', () => xcorr([1, 2], [3, 4], { maxlag: -1 }), RangeError, /xcorr: maxlag must be ≥ 0/],
      ['maxlag fractional', () => xcorr([1, 2], { maxlag: 1.5 }), RangeError, /xcorr: maxlag must be an integer/],
      ['maxlag not a number', () => findDelay([1, 2], [3, 4], { maxlag: '2' as never }), TypeError, /findDelay: maxlag must be a number/],
      ['findDelay maxlag fractional', () => findDelay([1, 2], [3, 4], { maxlag: 0.5 }), RangeError, /findDelay: maxlag must be an integer/],
      ['unknown scale', () => xcorr([1, 2], { scale: 'normalised' as never }), TypeError, /xcorr: scale must be one of/],
      ['unknown xcorr option', () => xcorr([1, 2], [1], { max_lag: 1 } as never), TypeError, /xcorr: unknown option 'max_lag' \(did you mean 'maxlag'\?\)/],
      ['unknown findDelay option', () => findDelay([1, 2], [1], { subSample: true } as never), TypeError, /findDelay: unknown option 'subSample'/],
      ['a matrix to xcorr', () => xcorr({ data: new Float64Array(4), shape: [2, 2] }), RangeError, /xcorr: x must be a vector/],
      ['findDelay without y', () => (findDelay as (x: number[]) => number)([1, 2]), TypeError, /findDelay: y must be/],
      ['minMaxLoc of an empty array', () => minMaxLoc([]), RangeError, /minMaxLoc: a is empty/],
    ];
    for (const [name, f, E, msg] of cases) {
      it(`${name}: ${E.name}`, () => {
        const top = arenaTop(backend);
        expect(f).toThrow(E);
        expect(f).toThrow(msg);
        expect(arenaTop(backend)).toBe(top);
      });
    }
  });

  it('result dtype: float32 inputs and a uint8 or float32 mask give float32; a float64 mask gives float64', () => {
    const image = { data: Float32Array.from({ length: 36 }, (_, i) => (i * 5) % 7), shape: [6, 6] };
    const templ = { data: Float32Array.of(1, 3, 2, 0), shape: [2, 2] };
    expect(matchTemplate(image, templ, { mask: Uint8Array.of(1, 0, 1, 1) }).data).toBeInstanceOf(Float32Array);
    expect(matchTemplate(image, templ, { mask: { data: Float32Array.of(1, 0.5, 1, 1), shape: [2, 2] } }).data).toBeInstanceOf(Float32Array);
    expect(matchTemplate(image, templ, { mask: { data: Float64Array.of(1, 0.5, 1, 1), shape: [2, 2] } }).data).toBeInstanceOf(Float64Array);
    expect(matchTemplate(image, templ, { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
  });

  it('output: the scores written into a given array (every method, mask or not, channels, padInput), the same bits as a fresh result', () => {
    const r = rng(2026);
    const image = { data: Float32Array.from({ length: 30 * 27 * 3 }, () => r() * 4 - 1), shape: [30, 27, 3] };
    const templ = { data: Float32Array.from({ length: 7 * 5 * 3 }, () => r() * 2 - 1), shape: [7, 5, 3] };
    const gray = { data: image.data.filter((_, i) => i % 3 === 0), shape: [30, 27] };
    const gt = { data: templ.data.filter((_, i) => i % 3 === 0), shape: [7, 5] };
    for (const method of ['sqdiff', 'sqdiff-normed', 'ccorr', 'ccorr-normed', 'ccoeff', 'ccoeff-normed'] as const) {
      for (const [im, tp, extra] of [[gray, gt, {}], [image, templ, {}], [gray, gt, { mask: Uint8Array.from({ length: 35 }, (_, i) => i % 4) }],
        [gray, gt, { padInput: true }], [gray, gt, { convMethod: 'fft' as const }]] as const) {
        const fresh = matchTemplate(im, tp, { method, ...extra });
        const out = new Float32Array(fresh.data.length);
        const got = matchTemplate(im, tp, { method, ...extra, output: out });
        expect(got.data).toBe(out);
        expect(got.shape).toEqual(fresh.shape);
        expect(Array.from(out)).toEqual(Array.from(fresh.data));
        // An NDArray output, and a float64 one (the dtype it asks for).
        const o64 = { data: new Float64Array(fresh.data.length), shape: fresh.shape };
        const g64 = matchTemplate(im, tp, { method, ...extra, output: o64 });
        expect(g64.data).toBe(o64.data);
        expect(Array.from(g64.data)).toEqual(Array.from(matchTemplate(im, tp, { method, ...extra, dtype: 'float64' }).data));
      }
    }
    // An integer output takes the rounded, saturated scores; 'float64' names the dtype.
    const sq = matchTemplate(gray, gt, { method: 'sqdiff' });
    const u8 = new Uint8Array(sq.data.length);
    expect(matchTemplate(gray, gt, { method: 'sqdiff', output: u8 }).data).toBe(u8);
    const halfEven = (v: number) => {
      const q = Math.round(v);
      return q - v === 0.5 && q % 2 !== 0 ? q - 1 : q;
    };
    expect(Array.from(u8)).toEqual(Array.from(sq.data, (v) => Math.min(255, Math.max(0, halfEven(v)))));
    expect(matchTemplate(gray, gt, { output: 'float64' }).data).toBeInstanceOf(Float64Array);
    // An output over the image's own memory: the image is read in full before the scores land.
    const img2 = { data: Float32Array.from(gray.data), shape: gray.shape };
    const want = matchTemplate(img2, gt).data;
    const alias = img2.data.subarray(0, want.length);
    expect(Array.from(matchTemplate(img2, gt, { output: alias }).data)).toEqual(Array.from(want));
    // Wrong shapes and types are refused before any work, naming output.
    expect(() => matchTemplate(gray, gt, { output: new Float32Array(3) })).toThrow(/matchTemplate: output has length 3/);
    expect(() => matchTemplate(gray, gt, { output: { data: new Float32Array(24 * 23), shape: [23, 24] } })).toThrow(RangeError);
    expect(() => matchTemplate(gray, gt, { output: 'int8' as never })).toThrow(/matchTemplate: output must be/);
    expect(() => matchTemplate(gray, gt, { output: new Float64Array(24 * 23), dtype: 'float32' })).toThrow(/output is float64 but dtype is 'float32'/);
  });

  it('no wasm memory is kept by any call', () => {
    const top = arenaTop(backend);
    const r = rng(1);
    const image = { data: Float32Array.from({ length: 300 * 200 }, () => r()), shape: [300, 200] };
    const templ = { data: Float32Array.from({ length: 40 * 30 }, () => r()), shape: [40, 30] };
    for (const convMethod of ['direct', 'fft'] as const) {
      matchTemplate(image, templ, { convMethod });
      matchTemplate(image, templ, { convMethod, mask: { data: new Uint8Array(1200).fill(1), shape: [40, 30] }, method: 'sqdiff-normed' });
      xcorr(image.data.subarray(0, 5000), templ.data, { method: convMethod, scale: 'coeff' });
      findDelay(image.data.subarray(0, 5000), templ.data, { method: convMethod });
    }
    expect(arenaTop(backend)).toBe(top);
  });
});
