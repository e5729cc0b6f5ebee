// FFT convolution: the FFT kernels against a naive DFT (test/reference/dft.ts), fftconvolve/oaconvolve against the
// SciPy fixtures (test/fixtures/fft.json), method 'fft' against method 'direct' on random inputs, the 'auto' choice
// (NaN → direct), and the argument checks; on every backend of this vitest project.
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseConvMethod, convolve, correlate, fftconvolve, oaconvolve, type NDArray } from '../src/index';
import { nextFastLen, oaFftLen } from '../src/fft';
import { colWork, FFT_CHUNK, rowWork } from '../src/kernels/fft';
import { loadedModule } from '../src/wasm';
import { withWorkspace } from '../src/workspace';
import fftFx from './fixtures/fft.json';
import { backendCases, fromFixture, randomArray, rng, useBackend, type FixtureArray } from './helpers';
import { scipyCorrelate } from './reference/correlate';
import { dft, rdft } from './reference/dft';
import { absArray, expectWithin, fftNormTol, fftTol, sumTol } from './tolerance';

type Mode = 'full' | 'same' | 'valid';
type DT = 'float32' | 'float64';

/** ‖a − e‖₂ / ‖e‖₂ (‖e‖₂ = 0: the absolute norm of a − e). NaN or a length mismatch gives Infinity. */
function normErr(a: ArrayLike<number>, e: ArrayLike<number>): number {
  if (a.length !== e.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < e.length; i++) {
    const d = a[i] - e[i];
    num += d * d;
    den += e[i] * e[i];
  }
  if (Number.isNaN(num)) return Infinity;
  return Math.sqrt(num) / (Math.sqrt(den) || 1);
}

interface FftCase {
  name: string;
  fn: 'fftconvolve' | 'oaconvolve';
  args: { in1: FixtureArray; in2: FixtureArray; mode: Mode; axes?: number[] };
  expected: FixtureArray;
}

const FFT_SIZES = [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 18, 20, 25, 27, 30, 32, 36, 45, 48, 50, 60, 64, 75, 80, 81, 96, 100, 125, 128, 135, 240, 256];

describe.each(backendCases())('FFT kernels on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float64', 'float32'] as DT[]) {
    it(`fftCols matches the naive DFT, every size with factors 2, 3, 5 up to 256, ${dtype}`, () => {
      for (const n of FFT_SIZES) {
        for (const inner of [1, 3, 5, FFT_CHUNK + 7]) {
          const count = 2;
          const re = randomArray(n * inner * count, n * 7 + inner, 'float64');
          const im = randomArray(n * inner * count, n * 11 + inner, 'float64');
          const tw = twiddles(n);
          const got = withWorkspace('test', undefined, dtype, [re.length, im.length, colWork(n), 2 * n], (ws) => {
            const [r, i, w, t] = ws.off;
            ws.mem.set(re, r);
            ws.mem.set(im, i);
            ws.mem.set(tw, t);
            ws.k.fftCols(ws.mem, r, i, n, inner, inner, count, n * inner, w, t, 1);
            return { re: ws.mem.slice(r, r + re.length), im: ws.mem.slice(i, i + im.length) };
          });
          for (let c = 0; c < count; c++) {
            for (const col of [0, inner - 1]) {
              const at = (j: number) => c * n * inner + j * inner + col;
              const x = Array.from({ length: n }, (_, j) => at(j));
              const want = dft(x.map((j) => re[j]), x.map((j) => im[j]));
              const err = normErr([...x.map((j) => got.re[j]), ...x.map((j) => got.im[j])], [...want.re, ...want.im]);
              expect(err, `n=${n} inner=${inner}`).toBeLessThanOrEqual(fftNormTol(dtype, n));
            }
          }
        }
      }
    });

    it(`rfftRows matches the naive DFT and irfftRows inverts it, even lengths 2…512, ${dtype}`, () => {
      for (const m of [1, 2, 3, 4, 5, 6, 8, 9, 12, 15, 16, 20, 25, 32, 45, 64, 100, 128, 135, 256]) {
        const n = 2 * m;
        for (const xLen of [n, Math.max(1, n - 3)]) {
          const rows = 7;
          const x = randomArray(rows * xLen, m * 13 + xLen, 'float64');
          const tw = twiddles(n);
          const { spec, back } = withWorkspace('test', undefined, dtype, [x.length, 2 * rows * (m + 1), rowWork(m), 2 * n, rows * n], (ws) => {
            const [xo, so, w, t, oo] = ws.off;
            const { mem, k } = ws;
            mem.set(x, xo);
            mem.set(tw, t);
            const S = rows * (m + 1);
            k.rfftRows(mem, xo, xLen, xLen, rows, so, so + S, m + 1, w, t, m);
            const spec = mem.slice(so, so + 2 * S);
            k.irfftRows(mem, so, so + S, m + 1, rows, oo, 0, n, n, 0, w, t, m);
            return { spec, back: mem.slice(oo, oo + rows * n) };
          });
          for (let r = 0; r < rows; r++) {
            const row = Array.from({ length: n }, (_, j) => (j < xLen ? x[r * xLen + j] : 0));
            const want = rdft(row);
            const S = rows * (m + 1);
            const gr = Array.from(spec.slice(r * (m + 1), (r + 1) * (m + 1)));
            const gi = Array.from(spec.slice(S + r * (m + 1), S + (r + 1) * (m + 1)));
            expect(normErr([...gr, ...gi], [...want.re, ...want.im]), `m=${m}`).toBeLessThanOrEqual(fftNormTol(dtype, n));
            const inv = Array.from(back.slice(r * n, (r + 1) * n), (v) => v / m);
            expect(normErr(inv, row), `m=${m} round trip`).toBeLessThanOrEqual(2 * fftNormTol(dtype, n));
          }
        }
      }
    });
    it(`cmul: a[i] = a[i]·(b[i]·scale), complex, per element within its bound, lengths either side of the lanes, ${dtype}`, () => {
      for (const n of [1, 3, 4, 5, 7, 8, 9, 17, 33, 100]) {
        const v = [1, 2, 3, 4].map((k) => randomArray(n, n * 13 + k, dtype));
        const scale = 1 / (n + 2);
        const got = withWorkspace('test', undefined, dtype, [n, n, n, n + 4], (ws) => {
          const [ar, ai, br, bi] = ws.off;
          v.forEach((a, k) => ws.mem.set(a, ws.off[k]));
          ws.mem.fill(7.5, bi + n, bi + n + 4); // guards after the last input: left alone
          ws.k.cmul(ws.mem, ar, ai, br, bi, n, scale);
          expect(Array.from(ws.mem.subarray(bi + n, bi + n + 4))).toEqual([7.5, 7.5, 7.5, 7.5]);
          return { re: ws.mem.slice(ar, ar + n), im: ws.mem.slice(ai, ai + n) };
        });
        const [xr, xi, yr, yi] = v;
        // Each part: scale rounded to the dtype (a wasm f32 argument), b·scale rounded, two products, one sum: γ₄ of
        // |x|·|y·scale| summed (test/tolerance.ts).
        const s = scale;
        const mag = Float64Array.from({ length: n }, (_, i) => (Math.abs(xr[i] * yr[i]) + Math.abs(xi[i] * yi[i])) * s);
        const magI = Float64Array.from({ length: n }, (_, i) => (Math.abs(xr[i] * yi[i]) + Math.abs(xi[i] * yr[i])) * s);
        expectWithin(got.re, Float64Array.from({ length: n }, (_, i) => (xr[i] * yr[i] - xi[i] * yi[i]) * s), sumTol(dtype, 4, mag), `re n=${n}`);
        expectWithin(got.im, Float64Array.from({ length: n }, (_, i) => (xr[i] * yi[i] + xi[i] * yr[i]) * s), sumTol(dtype, 4, magI), `im n=${n}`);
      }
    });
  }
});

function twiddles(T: number): Float64Array {
  const t = new Float64Array(2 * T);
  for (let j = 0; j < T; j++) {
    t[2 * j] = Math.cos((-2 * Math.PI * j) / T);
    t[2 * j + 1] = Math.sin((-2 * Math.PI * j) / T);
  }
  return t;
}

describe.each(backendCases())('fftconvolve / oaconvolve fixtures on %s', (be) => {
  beforeAll(() => useBackend(be));
  const ops = { fftconvolve, oaconvolve };
  for (const dtype of ['float64', 'float32'] as DT[]) {
    for (const c of fftFx.cases as FftCase[]) {
      it(`${c.name} ${dtype}`, () => {
        const { in1, in2, mode, axes } = c.args;
        const [a, b] = [fromFixture(in1, dtype), fromFixture(in2, dtype)];
        const out = ops[c.fn](a, b, { mode, axes });
        expect(out.shape).toEqual(c.expected.shape);
        expect(out.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        // Per element, the FFT bound (test/tolerance.ts) of the whole product (a batch along other axes is smaller);
        // oaconvolve sums at most two blocks into an output, each within that bound.
        const n = a.shape.reduce((p, v, i) => p * (v + b.shape[i] - 1), 1);
        expectWithin(out.data, c.expected.data, (c.fn === 'oaconvolve' ? 2 : 1) * fftTol(dtype, n, a.data, b.data));
      });
    }
  }
});

/** A random N-D case: shapes, mode, op. */
function randomCase(seed: number) {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const rank = int(1, 3);
  const big = rank === 1 ? 300 : rank === 2 ? 40 : 12;
  const s1 = Array.from({ length: rank }, () => int(1, big));
  const s2 = Array.from({ length: rank }, () => int(1, Math.max(1, Math.floor(big / 2))));
  const modes: Mode[] = ['full', 'same'];
  if (s1.every((v, a) => v >= s2[a]) || s1.every((v, a) => v <= s2[a])) modes.push('valid');
  return { s1, s2, mode: modes[int(0, modes.length - 1)], corr: r() < 0.5 };
}

describe.each(backendCases())("method 'fft' against the direct sum on %s", (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float64', 'float32'] as DT[]) {
    it(`random N-D convolve/correlate, every mode, ${dtype}`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const { s1, s2, mode, corr } = randomCase(seed);
        const a: NDArray = { data: randomArray(s1.reduce((p, v) => p * v, 1), seed, dtype), shape: s1 };
        const b: NDArray = { data: randomArray(s2.reduce((p, v) => p * v, 1), seed + 1000, dtype), shape: s2 };
        const op = corr ? correlate : convolve;
        // The direct sum straight from the formula (test/reference), in float64.
        const want = scipyCorrelate({ data: a.data, shape: s1 }, { data: b.data, shape: s2 }, mode, !corr);
        const got = op(a, b, { mode, method: 'fft' });
        expect(got.shape).toEqual(want.shape);
        const n = s1.reduce((p, v, i) => p * (v + s2[i] - 1), 1);
        // Per element, the FFT bound (test/tolerance.ts); the float64 direct sums are exact by comparison.
        expectWithin(got.data, want.data, fftTol(dtype, n, a.data, b.data), `${corr ? 'correlate' : 'convolve'} [${s1}] * [${s2}] ${mode}`);
      }
    });

    it(`a long in2 against a short in1 (the inputs swap roles in the blocks), correlate and convolve, ${dtype}`, () => {
      const a: NDArray = { data: randomArray(40, 7, dtype), shape: [40] };
      const b: NDArray = { data: randomArray(3000, 8, dtype), shape: [3000] };
      // The reference runs the other way round (3039 outputs of 40 taps, not of 3000): convolution commutes, and the
      // full correlation of (a, b) is that of (b, a) reversed.
      const full = {
        conv: scipyCorrelate({ data: b.data, shape: [3000] }, { data: a.data, shape: [40] }, 'full', true).data,
        corr: scipyCorrelate({ data: b.data, shape: [3000] }, { data: a.data, shape: [40] }, 'full', false).data.reverse(),
      };
      const window = { full: [0, 3039], same: [1499, 40], valid: [39, 2961] };
      for (const mode of ['full', 'same', 'valid'] as Mode[]) {
        for (const corr of [false, true]) {
          const [from, len] = window[mode];
          const want = { data: full[corr ? 'corr' : 'conv'].slice(from, from + len) };
          const got = (corr ? correlate : convolve)(a, b, { mode, method: 'fft' });
          expectWithin(got.data, want.data, 2 * fftTol(dtype, 3039, a.data, b.data), `${corr ? 'correlate' : 'convolve'} ${mode}`);
        }
      }
    });

    it(`overlap-add (tiled) equals one transform: 1-D, 2-D and with axes, ${dtype}`, () => {
      const cases: Array<{ s1: number[]; s2: number[]; axes?: number[] }> = [
        { s1: [5000], s2: [61] },
        { s1: [3001], s2: [200] },
        { s1: [90, 70], s2: [9, 5] },
        { s1: [3, 600], s2: [3, 33], axes: [1] },
        { s1: [400, 2], s2: [17, 1], axes: [0] },
        { s1: [61], s2: [5000] },
        { s1: [9, 5], s2: [90, 70] },
      ];
      for (const { s1, s2, axes } of cases) {
        for (const mode of ['full', 'same', 'valid'] as Mode[]) {
          const a: NDArray = { data: randomArray(s1.reduce((p, v) => p * v, 1), 5, dtype), shape: s1 };
          const b: NDArray = { data: randomArray(s2.reduce((p, v) => p * v, 1), 6, dtype), shape: s2 };
          const one = fftconvolve(a, b, { mode, axes, dtype: 'float64' });
          const oa = oaconvolve(a, b, { mode, axes });
          expect(oa.shape).toEqual(one.shape);
          const n = s1.reduce((p, v, i) => p * (v + s2[i] - 1), 1);
          // The blocks of oaconvolve: at most two add into an output, each within the FFT bound; `one` is float64.
          expectWithin(oa.data, one.data, 2 * fftTol(dtype, n, a.data, b.data) + fftTol('float64', n, a.data, b.data), `[${s1}] * [${s2}] ${mode}`);
        }
      }
    });
  }

  it("'auto' picks direct when an input holds NaN or ±Infinity, so NaN stays where the direct result has it", () => {
    const x = randomArray(4096, 3);
    x[1000] = NaN;
    x[3000] = Infinity;
    const h = randomArray(255, 4);
    expect(chooseConvMethod(x, h)).toBe('direct');
    const auto = convolve(x, h, { mode: 'same' });
    const direct = convolve(x, h, { mode: 'same', method: 'direct' });
    let moved = 0;
    for (let i = 0; i < auto.length; i++) if (Number.isNaN(auto[i]) !== Number.isNaN(direct[i])) moved++;
    expect(moved).toBe(0);
    expect(auto.some((v) => Number.isNaN(v))).toBe(true);
    expect(auto.some((v) => Number.isFinite(v))).toBe(true);
  });

  it("'auto' falls back to direct when the cost model picked the FFT but an input holds NaN or ±Infinity", () => {
    const x = randomArray(30_000, 5);
    const h = randomArray(2000, 6);
    expect(chooseConvMethod(x, h, { mode: 'valid' })).toBe('fft');
    x[12_345] = NaN;
    h[7] = -Infinity;
    expect(chooseConvMethod(x, h, { mode: 'valid' })).toBe('direct');
    const auto = correlate(x, h, { mode: 'valid' });
    const direct = correlate(x, h, { mode: 'valid', method: 'direct' });
    let nan = 0;
    let moved = 0;
    for (let i = 0; i < auto.length; i++) {
      if (Number.isNaN(auto[i]) !== Number.isNaN(direct[i])) moved++;
      if (Number.isNaN(auto[i])) nan++;
    }
    expect(moved).toBe(0);
    expect(nan).toBeGreaterThan(0);
    expect(nan).toBeLessThan(auto.length);
    // method 'fft' does what it is asked, as SciPy: the NaN spreads over every output.
    expect(correlate(x, h, { mode: 'valid', method: 'fft' }).every((v) => Number.isNaN(v))).toBe(true);
  });

  it("'auto' picks direct for tiny inputs and FFT for a long kernel", () => {
    expect(chooseConvMethod([1, 2, 3], [1, 1])).toBe('direct');
    const x = randomArray(30_000, 1);
    const h = randomArray(2000, 2);
    expect(chooseConvMethod(x, h)).toBe('fft');
    const auto = correlate(x, h, { mode: 'valid' });
    const direct = correlate(x, h, { mode: 'valid', method: 'direct' });
    const mag = correlate(absArray(x), absArray(h), { mode: 'valid', method: 'direct' });
    const f = fftTol('float64', 32_000, x, h); // once: it reads all of x and h
    expectWithin(auto, direct, Float64Array.from(sumTol('float64', 2000, mag), (v) => v + f));
  });
});

describe('fftconvolve arguments', () => {
  const a: NDArray = { data: new Float64Array(12), shape: [3, 4] };
  const b: NDArray = { data: new Float64Array(4), shape: [2, 2] };
  it('axes: range, repeats, empty, type', () => {
    expect(() => fftconvolve(a, b, { axes: [2] })).toThrow(RangeError);
    expect(() => fftconvolve(a, b, { axes: [0, -2] })).toThrow(/repeated/);
    expect(() => fftconvolve(a, b, { axes: [] })).toThrow(/empty/);
    expect(() => fftconvolve(a, b, { axes: ['0' as unknown as number] })).toThrow(TypeError);
  });
  it('axes not convolved must broadcast', () => {
    expect(() => fftconvolve(a, b, { axes: [1] })).toThrow(/incompatible/);
    expect(fftconvolve(a, { data: new Float64Array(2), shape: [1, 2] }, { axes: [1] }).shape).toEqual([3, 5]);
  });
  it("'valid' needs one input at least as large on every convolved axis", () => {
    const c: NDArray = { data: new Float64Array(6), shape: [1, 6] };
    const e: NDArray = { data: new Float64Array(6), shape: [2, 3] };
    expect(() => oaconvolve({ data: new Float64Array(12), shape: [2, 6] }, { data: new Float64Array(9), shape: [3, 3] }, { mode: 'valid' })).toThrow(/valid/);
    expect(fftconvolve(c, e, { mode: 'valid', axes: [1] }).shape).toEqual([2, 4]);
  });
  it('mode and dtype', () => {
    expect(() => fftconvolve([1, 2], [1], { mode: 'nope' as Mode })).toThrow(TypeError);
    expect(fftconvolve([1, 2, 3], [1, 1], { dtype: 'float32' })).toBeInstanceOf(Float32Array);
  });
});

describe('FFT sizes', () => {
  it('nextFastLen gives the smallest 5-smooth length (a multiple when asked)', () => {
    const smooth = (n: number) => {
      for (const p of [2, 3, 5]) while (n % p === 0) n /= p;
      return n === 1;
    };
    for (let n = 1; n <= 1000; n++) {
      const f = nextFastLen(n);
      expect(f >= n && smooth(f)).toBe(true);
      for (let v = n; v < f; v++) expect(smooth(v)).toBe(false);
      const f8 = nextFastLen(n, 8);
      expect(f8 >= n && f8 % 8 === 0 && smooth(f8)).toBe(true);
    }
  });
  it("oaconvolve's block length follows scipy's rule (no split when in2 is not small against in1)", () => {
    expect(oaFftLen(1000, 1000, true)).toBe(0);
    expect(oaFftLen(1000, 600, true)).toBe(0);
    expect(oaFftLen(1_000_000, 1023, true)).toBeGreaterThan(8000);
    expect(oaFftLen(1_000_000, 1023, true)).toBeLessThan(16000);
  });
});

describe.each(backendCases())('FFT memory and inputs on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('inputs that start mid-buffer, results that never alias them or each other', () => {
    const buf = randomArray(5000, 21, 'float32');
    const x = buf.subarray(123, 4123);
    const h = buf.subarray(4200, 4327);
    const copy = fftconvolve(Float32Array.from(x), Float32Array.from(h), { mode: 'same' });
    const a = fftconvolve(x, h, { mode: 'same' });
    const b = oaconvolve(x, h, { mode: 'same' });
    expect(normErr(a, copy)).toBe(0);
    expectWithin(b, copy, 3 * fftTol('float32', 4126, x, h));
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.buffer).not.toBe(buf.buffer);
    expect(buf).toEqual(randomArray(5000, 21, 'float32')); // inputs never modified
  });

  it.skipIf(be === 'js')('the wasm arena is back at its mark after FFT calls, including the NaN fallback of auto', () => {
    const m = loadedModule(be as 'scalar' | 'simd' | 'relaxed')!;
    const start = m.arena.top;
    const x = randomArray(30_000, 5);
    const h = randomArray(2000, 6);
    for (let i = 0; i < 20; i++) {
      fftconvolve(x, h, { mode: i % 2 ? 'same' : 'valid' });
      oaconvolve({ data: x.subarray(0, 2000), shape: [20, 100] }, { data: h.subarray(0, 30), shape: [3, 10] });
      expect(() => fftconvolve(x, h, { axes: [3] })).toThrow(RangeError);
      expect(m.arena.top).toBe(start);
    }
    x[7] = NaN;
    correlate(x, h, { mode: 'valid' });
    expect(m.arena.top).toBe(start);
  });
});
