// Complex signals: golden fixtures from numpy and scipy.signal (scripts/gen_fixtures_complex.py) on every backend,
// the slow reference (test/reference/complex.ts) on random shapes, identities between kernels, bad inputs, memory.
// Tolerances per element from the arithmetic: a sum of K complex products computed in another order differs by at
// most about K·ε·Σ|x|·|y| (ε = 2⁻²⁴ or 2⁻⁵³); an FFT route by about ε·log2(S)·‖x‖·‖y‖ (S the transform size).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chooseConvMethod, convolve, convolve2d, correlate, correlate2d, fftconvolve, numpy, oaconvolve, type Complex,
  type ComplexArray, type NDArray,
} from '../src/index';
import { loadedModule } from '../src/wasm';
import fx from './fixtures/complex.json';
import { backendCases, rng, useBackend, type BackendCase } from './helpers';
import { complexRef, conjReverse, type CArr } from './reference/complex';

type Num = number | string;
interface FxArr { shape: number[]; dtype: string; re?: Num[]; im?: Num[]; data?: Num[] }
interface Case { name: string; fn: string; args: { a: FxArr; b: FxArr; opts: Record<string, unknown> }; expected: FxArr }
const cases = fx.cases as Case[];

const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));
const F32 = new Set(['complex64', 'float32']);

/** A fixture array as the op's input: Complex (with shape beyond 1-D) or a real typed array / NDArray. */
function input(a: FxArr): Complex | Float32Array | Float64Array | NDArray {
  const Ctor = F32.has(a.dtype) ? Float32Array : Float64Array;
  if (a.re) {
    const c: Complex = { re: Ctor.from(a.re.map(num)), im: Ctor.from(a.im!.map(num)) };
    return a.shape.length > 1 ? { ...c, shape: a.shape } : c;
  }
  const data = Ctor.from(a.data!.map(num));
  return a.shape.length > 1 ? { data, shape: a.shape } : data;
}

/** The fixture array as split planes (a real one with a zero imaginary part) in float64. */
function planes(a: FxArr): CArr {
  const re = (a.re ?? a.data!).map(num);
  return { re, im: a.im ? a.im.map(num) : re.map(() => 0), shape: a.shape };
}

type AnyOp = (a: unknown, b: unknown, o: Record<string, unknown>) => ComplexArray;
const OPS: Record<string, AnyOp> = {
  correlate: correlate as AnyOp, convolve: convolve as AnyOp, correlate2d: correlate2d as AnyOp,
  convolve2d: convolve2d as AnyOp, fftconvolve: fftconvolve as AnyOp, oaconvolve: oaconvolve as AnyOp,
  'numpy.correlate': numpy.correlate as AnyOp, 'numpy.convolve': numpy.convolve as AnyOp,
};

/**
 * Per element: non-finite expected values equal exactly (NaN anywhere in NaN's place); finite ones within
 * tol[i]. Returns a description of the first failure, or ''.
 */
function compare(got: ArrayLike<number>, want: ArrayLike<number>, tol: ArrayLike<number>, what: string): string {
  if (got.length !== want.length) return `${what}: length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || !Number.isFinite(w)) {
      if (!Object.is(g, w) && !(Number.isNaN(g) && Number.isNaN(w))) return `${what}[${i}] = ${g}, expected ${w}`;
    } else if (!(Math.abs(g - w) <= tol[i])) {
      return `${what}[${i}] = ${g}, expected ${w} ± ${tol[i]}`;
    }
  }
  return '';
}

/** Per-element bound from the reference's magnitudes: direct sums, or an FFT route as well when `fft`. */
function bounds(mag: Float64Array, terms: number, eps: number, fft: { S: number; norm: number } | undefined): Float64Array {
  const t = new Float64Array(mag.length);
  for (let i = 0; i < mag.length; i++) {
    // Both sides round: the reference library and convcorr, each at most K·ε·Σ|x||y| (+ the FFT's normwise bound).
    t[i] = 2 * (terms + 2) * eps * mag[i] + (fft ? 8 * eps * Math.log2(fft.S) * fft.norm : 0) + 1e-300;
  }
  return t;
}

const norm2 = (c: CArr) => Math.sqrt(Array.from(c.re).reduce((s, v, i) => s + v * v + c.im[i] ** 2, 0));

/** The reference magnitudes of a fixture case (what the reference sums), and whether it ran through an FFT. */
function refOf(c: Case) {
  const x = planes(c.args.a);
  const y = planes(c.args.b);
  const o = c.args.opts as { mode: 'full' | 'same' | 'valid'; boundary?: string; fillvalue?: number; method?: string; axes?: number[] };
  const conv = c.fn.includes('convolve');
  const np = c.fn.startsWith('numpy.');
  // numpy's 'same' is max(M, N) long: its magnitudes are those of the swapped problem.
  const swapNp = np && y.shape[0] > x.shape[0];
  const [p, q] = swapNp ? [y, x] : [x, y];
  const ext = ({ fill: 'constant', wrap: 'wrap', symm: 'reflect' } as const)[(o.boundary ?? 'fill') as 'fill'];
  const fft = c.fn === 'fftconvolve' || c.fn === 'oaconvolve' || o.method === 'fft';
  if (o.axes) {
    // fftconvolve over some axes: a uniform bound from the whole arrays.
    const mag = new Float64Array(1).fill(norm2(x) * norm2(y));
    return { mag, terms: y.re.length, fft: { S: 4 * (x.re.length + y.re.length), norm: norm2(x) * norm2(y) }, uniform: true };
  }
  const r = complexRef(p, q, {
    conv, mode: o.mode, centre2d: c.fn === 'correlate2d', ext, cval: o.fillvalue ?? 0,
  });
  const S = x.shape.reduce((s, m, a) => s * (m + y.shape[a]), 1);
  return { mag: r.mag, terms: r.terms, fft: fft ? { S, norm: norm2(x) * norm2(y) } : undefined, uniform: false };
}

describe.each(backendCases())('complex fixtures on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const c of cases) {
    it(c.name, () => {
      const out = OPS[c.fn](input(c.args.a), input(c.args.b), c.args.opts);
      const want = planes(c.expected);
      const f32 = c.expected.dtype === 'complex64';
      expect(out.re).toBeInstanceOf(f32 ? Float32Array : Float64Array);
      expect(out.im).toBeInstanceOf(f32 ? Float32Array : Float64Array);
      const hasShape = c.args.a.shape.length > 1;
      expect(out.shape).toEqual(hasShape ? c.expected.shape : undefined);
      const r = refOf(c);
      // The reference rounds in single precision wherever an input is (scipy's FFT of a float32 input is complex64).
      const eps = f32 || F32.has(c.args.a.dtype) || F32.has(c.args.b.dtype) ? 2 ** -24 : 2 ** -53;
      let tol = bounds(r.mag, r.terms, eps, r.fft);
      if (r.uniform) tol = new Float64Array(want.re.length).fill(tol[0]);
      // numpy's swapped 'same'/'full' windows are reversed relative to the magnitudes: use the max for those.
      if (c.fn.startsWith('numpy.') && c.args.b.shape[0] > c.args.a.shape[0]) tol = new Float64Array(tol.length).fill(Math.max(...tol.filter(Number.isFinite)));
      expect(compare(out.re, want.re, tol, 're')).toBe('');
      expect(compare(out.im, want.im, tol, 'im')).toBe('');
    });
  }
});

// ---- random shapes against the reference, on every backend ----

function randC(shape: number[], seed: number, dtype: 'float32' | 'float64'): Complex & { shape: number[] } {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
  const re = new Ctor(n);
  const im = new Ctor(n);
  for (let i = 0; i < n; i++) {
    re[i] = r() * 2 - 1;
    im[i] = r() * 2 - 1;
  }
  return { re, im, shape };
}

const asArr = (c: Complex & { shape: number[] }): CArr => ({ re: c.re as ArrayLike<number>, im: c.im as ArrayLike<number>, shape: c.shape });

function checkAgainstRef(out: ComplexArray, ref: ReturnType<typeof complexRef>, eps: number, fftS?: number, norm = 0): string {
  const tol = bounds(ref.mag, ref.terms, eps, fftS ? { S: fftS, norm } : undefined);
  return compare(out.re, ref.re, tol, 're') || compare(out.im, ref.im, tol, 'im');
}

describe.each(backendCases())('complex ops against the reference on %s', (be) => {
  beforeAll(() => useBackend(be));
  const shapePair = fc.integer({ min: 1, max: 3 }).chain((d) =>
    fc.tuple(fc.array(fc.integer({ min: 1, max: d === 1 ? 40 : 7 }), { minLength: d, maxLength: d }),
      fc.array(fc.integer({ min: 1, max: d === 1 ? 20 : 5 }), { minLength: d, maxLength: d })));

  it('correlate and convolve, direct and fft, every mode and rank, either input larger', () => {
    fc.assert(fc.property(shapePair, fc.constantFrom('full', 'same', 'valid'), fc.constantFrom('direct', 'fft'),
      fc.boolean(), fc.boolean(), fc.constantFrom('float32', 'float64'), fc.integer(),
      ([s1, s2], mode, method, conv, swap, dtype, seed) => {
        const [a, b] = swap ? [s2, s1] : [s1, s2];
        if (mode === 'valid' && !(a.every((m, i) => m >= b[i]) || b.every((m, i) => m >= a[i]))) return;
        const x = randC(a, seed, dtype);
        const y = randC(b, seed + 1, dtype);
        const op = conv ? convolve : correlate;
        const out = op(x, y, { mode, method });
        const ref = complexRef(asArr(x), asArr(y), { conv, mode });
        const eps = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
        const S = a.reduce((s, m, i) => s * (m + b[i]), 1);
        const err = checkAgainstRef(out, ref, eps, method === 'fft' ? S : undefined, norm2(asArr(x)) * norm2(asArr(y)));
        expect(err, `${conv ? 'convolve' : 'correlate'} ${a}x${b} ${mode} ${method} ${dtype}`).toBe('');
      }), { numRuns: 60 });
  });

  it('sizes either side of the SIMD tiles (1-D, outputs 1 … 20, taps 1 … 9), f32 and f64', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      for (let n = 1; n <= 20; n++) {
        for (let k = 1; k <= 9; k++) {
          const x = randC([n + k - 1], n * 31 + k, dtype);
          const y = randC([k], n * 17 + k, dtype);
          const out = correlate(x, y, { mode: 'valid', method: 'direct' });
          const ref = complexRef(asArr(x), asArr(y), { conv: false, mode: 'valid' });
          expect(checkAgainstRef(out, ref, dtype === 'float32' ? 2 ** -24 : 2 ** -53), `n=${n} k=${k} ${dtype}`).toBe('');
        }
      }
    }
  });

  it('fftconvolve: long 1-D (four-step transform) and 2-D against the reference', () => {
    for (const [s1, s2] of [[[1500], [300]], [[1100], [1100]], [[9, 70], [4, 33]], [[6, 5, 4], [3, 3, 3]]] as const) {
      // One float64 reference serves both dtypes: float32 inputs differ from it by their rounding, ≤ 2ε·|x||y| a term.
      const x = randC([...s1], 5, 'float64');
      const y = randC([...s2], 6, 'float64');
      const ref = complexRef(asArr(x), asArr(y), { conv: true, mode: 'same' });
      const S = s1.reduce((s, m, i) => s * (m + s2[i]), 1);
      for (const dtype of ['float32', 'float64'] as const) {
        const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
        const cast = (c: typeof x) => ({ re: Ctor.from(c.re as Float64Array), im: Ctor.from(c.im as Float64Array), shape: c.shape });
        const out = fftconvolve(cast(x), cast(y), { mode: 'same' });
        const err = checkAgainstRef(out, ref, dtype === 'float32' ? 2 ** -24 : 2 ** -53, S, norm2(asArr(x)) * norm2(asArr(y)));
        expect(err, `${s1}x${s2} ${dtype}`).toBe('');
      }
    }
  });

  it('correlate2d boundaries against the reference (fill value, wrap, symm), in2 larger in valid', () => {
    fc.assert(fc.property(fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
      fc.constantFrom('full', 'same'), fc.constantFrom('fill', 'wrap', 'symm'), fc.boolean(), fc.integer(),
      ([h, w, kh, kw], mode, boundary, conv, seed) => {
        const x = randC([h, w], seed, 'float64');
        const y = randC([kh, kw], seed + 7, 'float64');
        const op = conv ? convolve2d : correlate2d;
        const out = op(x, y, { mode, boundary, fillvalue: 0.25 });
        const ext = ({ fill: 'constant', wrap: 'wrap', symm: 'reflect' } as const)[boundary];
        const ref = complexRef(asArr(x), asArr(y), { conv, mode, ext, cval: boundary === 'fill' ? 0.25 : 0, centre2d: !conv });
        expect(checkAgainstRef(out, ref, 2 ** -53)).toBe('');
        // 'valid' with in2 the larger: correlate's conjugate rule (not scipy 1.10's conjugated result).
        const big = randC([h + kh, w + kw], seed + 3, 'float64');
        const v = op(x, big, { mode: 'valid' });
        expect(checkAgainstRef(v, complexRef(asArr(x), asArr(big), { conv, mode: 'valid' }), 2 ** -53)).toBe('');
      }), { numRuns: 40 });
  });
});

// ---- identities between different kernels ----

describe.each(backendCases())('complex identities on %s', (be) => {
  beforeAll(() => useBackend(be));

  it('correlate(x, h) by FFT = convolve(x, conj(reverse(h))) by the direct kernel', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom('full', 'same', 'valid'),
      fc.constantFrom('float32', 'float64'), fc.integer(), (n, k, mode, dtype, seed) => {
        const x = randC([n], seed, dtype);
        const h = randC([k], seed + 1, dtype);
        const a = correlate(x, h, { mode, method: 'fft' });
        const cr = conjReverse(asArr(h));
        const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
        const b = convolve(x, { re: Ctor.from(cr.re), im: Ctor.from(cr.im) }, { mode, method: 'direct' });
        const ref = complexRef(asArr(x), asArr(h), { conv: false, mode });
        const eps = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
        const tol = bounds(ref.mag, ref.terms, eps, { S: n + k, norm: norm2(asArr(x)) * norm2(asArr(h)) });
        expect(compare(a.re, b.re, tol, 're') || compare(a.im, b.im, tol, 'im')).toBe('');
      }), { numRuns: 40 });
  });

  it('real inputs as complex with a zero imaginary part give the real op (and a zero imaginary part)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.constantFrom('full', 'same', 'valid'), fc.constantFrom('direct', 'fft'),
      fc.integer(), (d, mode, method, seed) => {
        const s1 = Array.from({ length: d }, (_, i) => 4 + ((seed >>> (i * 3)) & 7));
        const s2 = Array.from({ length: d }, (_, i) => 1 + ((seed >>> (i * 5 + 2)) & 3));
        const x = randC(s1, seed, 'float64');
        const h = randC(s2, seed + 1, 'float64');
        const zero = (c: Complex & { shape: number[] }) => ({ re: c.re, im: new Float64Array(c.re.length), shape: c.shape });
        for (const op of [correlate, convolve]) {
          const c = op(zero(x), zero(h), { mode, method });
          const r = op({ data: x.re as Float64Array, shape: s1 }, { data: h.re as Float64Array, shape: s2 }, { mode, method });
          const ref = complexRef({ re: x.re as Float64Array, im: new Float64Array(x.re.length), shape: s1 }, zero(h) as CArr, { conv: op === convolve, mode });
          const S = s1.reduce((s, m, i) => s * (m + s2[i]), 1);
          const tol = bounds(ref.mag, ref.terms, 2 ** -53, method === 'fft' ? { S, norm: norm2(zero(x) as CArr) * norm2(zero(h) as CArr) } : undefined);
          expect(compare(c.re, r.data, tol, 're')).toBe('');
          expect(compare(c.im, new Float64Array(c.im.length), tol, 'im')).toBe('');
        }
      }), { numRuns: 30 });
  });

  it('real meets complex: the real input counts as complex with a zero imaginary part', () => {
    const x = new Float32Array([1, -2, 3, 0.5, 4]);
    const h = randC([3], 9, 'float32');
    const a = correlate(x, h);
    const b = correlate({ re: x, im: new Float32Array(5) }, h);
    expect(a.re).toBeInstanceOf(Float32Array);
    expect(Array.from(a.re)).toEqual(Array.from(b.re));
    expect(Array.from(a.im)).toEqual(Array.from(b.im));
    // complex64 only when every input counts as float32
    expect(correlate(Float64Array.from(x), h).re).toBeInstanceOf(Float64Array);
    expect(correlate(x, h, { dtype: 'float64' }).im).toBeInstanceOf(Float64Array);
  });

  it('output: a Complex of the result size receives the result (and the result is that very object\'s arrays)', () => {
    const x = randC([50], 1, 'float64');
    const h = randC([7], 2, 'float64');
    const re = new Float64Array(56);
    const im = new Float64Array(56);
    const out = correlate(x, h, { output: { re, im } });
    expect(out.re).toBe(re);
    expect(out.im).toBe(im);
    const fresh = correlate(x, h);
    expect(Array.from(re)).toEqual(Array.from(fresh.re));
    expect(Array.from(im)).toEqual(Array.from(fresh.im));
    // An output that shares memory with an input is still correct (computed aside, then copied).
    const same = { re: x.re, im: x.im, shape: [50] } as Complex & { shape: number[] };
    const copy = { re: Float64Array.from(x.re as Float64Array), im: Float64Array.from(x.im as Float64Array) };
    const want = convolve(copy, h, { mode: 'same' });
    convolve(same, h, { mode: 'same', output: { re: x.re as Float64Array, im: x.im as Float64Array } });
    expect(Array.from(x.re as Float64Array)).toEqual(Array.from(want.re));
  });

  it('parts of any numeric type: 8- and 16-bit integers count as float32 (complex64), 32-bit as float64', () => {
    const a = correlate({ re: new Int16Array([1, -2, 3]), im: new Int16Array([0, 1, 2]) }, { re: new Uint8Array([1, 2]), im: new Uint8Array([1, 0]) });
    expect(a.re).toBeInstanceOf(Float32Array);
    // (1+0i)·conj(1+1i) + (−2+1i)·conj(2) = (1−1i) + (−4+2i)
    expect([a.re[1], a.im[1]]).toEqual([-3, 1]);
    const b = convolve({ re: new Int32Array([1, 2]), im: new Int32Array([0, 0]) }, { re: [1], im: [1] });
    expect(b.re).toBeInstanceOf(Float64Array);
    expect(Array.from(b.im)).toEqual([1, 2]);
  });

  it('the overloads type a complex call as ComplexArray', () => {
    const r: ComplexArray = correlate({ re: [1, 2], im: [0, 1] }, [1]);
    const s: ComplexArray = fftconvolve([1, 2], { re: [1], im: [1] });
    const t: ComplexArray = correlate2d({ re: [1], im: [0], shape: [1, 1] }, { data: new Float64Array(1), shape: [1, 1] });
    expect([r.re.length, s.re.length, t.shape]).toEqual([2, 2, [1, 1]]);
  });

  it('chooseConvMethod accounts for complex inputs', () => {
    expect(chooseConvMethod(randC([64], 1, 'float32'), randC([5], 2, 'float32'))).toBe('direct');
    const big = randC([200000], 3, 'float32');
    const k = randC([4000], 4, 'float32');
    expect(chooseConvMethod(big, k)).toBe('fft');
  });
});

// ---- bad inputs ----

describe('complex bad inputs', () => {
  const f32 = new Float32Array(4);
  const rows: [string, () => unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ['re and im of different lengths', () => correlate({ re: f32, im: new Float32Array(3) }, [1]), RangeError, /correlate: in1\.im has length 3 but in1\.re has length 4/],
    ['re and im of different types', () => convolve([1, 2], { re: f32, im: new Float64Array(4) }), TypeError, /convolve: in2\.im must be of the same type as in2\.re/],
    ['im not an array', () => correlate({ re: f32, im: 'x' } as never, [1]), TypeError, /in1\.im must be/],
    ['shape not matching', () => correlate({ re: f32, im: f32, shape: [3, 2] }, { re: f32, im: f32, shape: [2, 2] }), RangeError, /in1\.shape \[3, 2\] holds 6 elements/],
    ['rank mismatch', () => correlate({ re: f32, im: f32, shape: [2, 2] }, [1, 2]), RangeError, /rank/],
    ['empty', () => numpy.correlate({ re: new Float32Array(0), im: new Float32Array(0) }, [1]), RangeError, /numpy\.correlate: a is empty/],
    ['unknown option', () => correlate({ re: f32, im: f32 }, [1], { mdoe: 'same' } as never), TypeError, /unknown option 'mdoe'/],
    ['unknown fftconvolve option', () => fftconvolve({ re: f32, im: f32 }, [1], { method: 'fft' } as never), TypeError, /fftconvolve: unknown option 'method'/],
    ['output of the wrong size', () => correlate({ re: f32, im: f32 }, [1, 2], { output: { re: new Float32Array(4), im: new Float32Array(4) } }), RangeError, /output\.re has length 4/],
    ['a real output for a complex result', () => correlate({ re: f32, im: f32 }, [1, 2], { output: new Float32Array(5) }), TypeError, /output must be a Complex/],
    ['output parts of different types', () => correlate({ re: f32, im: f32 }, [1, 2], { output: { re: new Float32Array(5), im: new Float64Array(5) } }), TypeError, /output\.im/],
    ['output dtype against dtype', () => correlate({ re: f32, im: f32 }, [1, 2], { output: { re: new Float32Array(5), im: new Float32Array(5) }, dtype: 'float64' }), RangeError, /output is float32 but dtype is 'float64'/],
    ['complex fillvalue', () => correlate2d({ re: f32, im: f32, shape: [2, 2] }, { re: f32, im: f32, shape: [2, 2] }, { fillvalue: { re: 1, im: 0 } as never }), TypeError, /fillvalue/],
    ['2-D op with a 1-D complex', () => convolve2d({ re: f32, im: f32 }, { re: f32, im: f32, shape: [2, 2] }), RangeError, /convolve2d: in1 must be 2-D/],
    ['numpy with 2-D complex', () => numpy.convolve({ re: f32, im: f32, shape: [2, 2] }, [1]), RangeError, /numpy\.convolve: a must be 1-D/],
    ['bad dtype', () => oaconvolve({ re: f32, im: f32 }, [1], { dtype: 'complex64' as never }), TypeError, /dtype/],
  ];
  for (const [what, fn, Err, msg] of rows) {
    it(what, () => {
      expect(fn).toThrow(Err);
      expect(fn).toThrow(msg);
    });
  }
});

// ---- memory ----

const wasmCases = backendCases().filter((c): c is Exclude<BackendCase, 'js'> => c !== 'js');
describe.each(wasmCases)('complex wasm memory on %s', (variant) => {
  beforeAll(() => useBackend(variant));
  it('the arena is back at its mark after every call, returning or throwing', () => {
    const arena = loadedModule(variant)!.arena;
    const start = arena.top;
    const x = randC([300], 1, 'float32');
    const h = randC([17], 2, 'float32');
    const x2 = randC([9, 8], 3, 'float64');
    const h2 = randC([3, 4], 4, 'float64');
    let thrown = 0;
    for (let i = 0; i < 400; i++) {
      try {
        switch (i % 8) {
          case 0: correlate(x, h, { method: 'direct' }); break;
          case 1: correlate(x, h, { method: 'fft', mode: 'same' }); break;
          case 2: fftconvolve(x2, h2); break;
          case 3: correlate2d(x2, h2, { boundary: 'symm' }); break;
          case 4: numpy.correlate(h, x, { mode: 'full' }); break;
          case 5: correlate(x, { re: h.re, im: new Float32Array(3) }); break;
          case 6: convolve(x2, h2, { mode: 'valid', output: { re: new Float64Array(3), im: new Float64Array(3) } }); break;
          default: oaconvolve(x, h, { mode: 'valid' });
        }
      } catch {
        thrown++;
      }
      if (arena.top !== start) throw new Error(`arena moved at call ${i}`);
    }
    expect(thrown).toBe(100);
  });
});
