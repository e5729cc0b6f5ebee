// The non-finite policy (src/nonfinite.ts) path by path, on every backend: the scan kernel itself (family `nonfinite`)
// against the plain definition; NumPy's overlap sums with NaN or ±Infinity in the kernel (the 'overlap' path, run by
// the corr2d / ccorr2d kernels) against a plain loop from the formula, on random shapes; and the step aside of a
// complex FFT chosen by method 'auto' (the 'fft-auto' path: staged planes scanned by the kernel).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseConvMethod, correlate, numpy } from '../src/index';
import { scanNonFinite } from '../src/nonfinite';
import { planBackend, withWorkspace } from '../src/workspace';
import { backendCases, rng, useBackend } from './helpers';
import { sumTol } from './tolerance';

type Dt = 'float32' | 'float64';
const CTOR = { float32: Float32Array, float64: Float64Array } as const;

/**
 * numpy.correlate / numpy.convolve from the formula, a at least as long as v: c[k] = Σ_n a[n + k − (N − 1)] · v[n]
 * over the n where a is defined (never a product with padding), sliced for the mode; also Σ|terms| per output.
 */
function numpyRef(a: ArrayLike<number>, v: ArrayLike<number>, mode: 'full' | 'same' | 'valid', flip: boolean) {
  const M = a.length;
  const N = v.length;
  const tap = (n: number) => v[flip ? N - 1 - n : n];
  const full: number[] = [];
  const mag: number[] = [];
  for (let k = 0; k < M + N - 1; k++) {
    let s = 0;
    let m = 0;
    for (let n = 0; n < N; n++) {
      const i = n + k - (N - 1);
      if (i < 0 || i >= M) continue;
      s += a[i] * tap(n);
      m += Math.abs(a[i] * tap(n));
    }
    full.push(s);
    mag.push(m);
  }
  const [start, len] = mode === 'full' ? [0, M + N - 1] : mode === 'same' ? [Math.floor((N - 1) / 2), M] : [N - 1, M - N + 1];
  return { data: full.slice(start, start + len), mag: mag.slice(start, start + len) };
}

describe.each(backendCases())('the non-finite policy on %s', (be) => {
  beforeAll(() => useBackend(be));

  it('the nonFinite kernel finds NaN and ±Infinity at every position of every length, and nothing in finite extremes', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const big = dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
      const tiny = dtype === 'float32' ? 2 ** -149 : Number.MIN_VALUE;
      const finite = [0, -0, 1, -2.5, big, -big, tiny, -tiny];
      withWorkspace('test', undefined, dtype, [80], (ws) => {
        const [at] = ws.off;
        for (let n = 0; n <= 70; n++) {
          for (let i = 0; i < n; i++) ws.mem[at + i] = finite[i % finite.length];
          // Past the n values: a NaN the scan must not read.
          ws.mem[at + n] = NaN;
          expect(ws.k.nonFinite(ws.mem, at, n), `${dtype} n = ${n}, all finite`).toBe(0);
          for (let p = 0; p < n; p++) {
            for (const bad of [NaN, Infinity, -Infinity]) {
              const keep = ws.mem[at + p];
              ws.mem[at + p] = bad;
              expect(ws.k.nonFinite(ws.mem, at, n), `${dtype} n = ${n}, ${bad} at ${p}`).toBe(1);
              ws.mem[at + p] = keep;
            }
          }
        }
      });
    }
  });

  it('scanNonFinite finds NaN and ±Infinity in arrays of every float type, across its chunks, and never in integers or large finite doubles', () => {
    const be = planBackend('test', undefined);
    const n = 40_000;
    for (const make of [(k: number) => new Float32Array(k), (k: number) => new Float64Array(k), (k: number) => new Array<number>(k).fill(0)]) {
      for (const at of [0, 100, 16_383, 16_384, n - 1]) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const a = make(n);
          const b = make(n);
          a[at] = bad;
          expect(scanNonFinite('test', be, b, a), `${a.constructor.name} ${bad} at ${at}`).toBe(true);
          expect(scanNonFinite('test', be, b.slice(0, 200), a.slice(at, at + 1)), `${bad}, few values`).toBe(true);
        }
      }
      expect(scanNonFinite('test', be, make(n), make(3)), `${make(0).constructor.name} zeros`).toBe(false);
    }
    // A float64 value beyond float32's range stays finite (it is never staged as float32).
    const big = new Float64Array(n).fill(1e300);
    expect(scanNonFinite('test', be, big, new Float32Array(n))).toBe(false);
    expect(scanNonFinite('test', be, new Uint8Array(n).fill(255), new Int32Array(n))).toBe(false);
  });

  it('NumPy\'s overlap sums with NaN or ±Infinity in either input: the same non-finite values at the same places, finite ones within the sum bound', () => {
    const bads = [NaN, Infinity, -Infinity];
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fc.constantFrom('full', 'same', 'valid'), fc.boolean(), fc.constantFrom<Dt>('float32', 'float64'),
      (M0, N0, seed, mode, flip, dtype) => {
        const M = Math.max(M0, N0);
        const N = Math.min(M0, N0);
        const r = rng(seed);
        const random = (n: number) => {
          const d = new CTOR[dtype](n);
          for (let i = 0; i < n; i++) d[i] = 2 * r() - 1;
          return d;
        };
        const a = random(M);
        const v = random(N);
        // One or two non-finite taps always (the overlap path), non-finite samples in a about half the time.
        v[Math.floor(r() * N)] = bads[Math.floor(r() * 3)];
        if (r() < 0.5) v[Math.floor(r() * N)] = bads[Math.floor(r() * 3)];
        if (r() < 0.5) a[Math.floor(r() * M)] = bads[Math.floor(r() * 3)];
        const got = (flip ? numpy.convolve : numpy.correlate)(a, v, { mode }) as Float32Array | Float64Array;
        const want = numpyRef(a, v, mode, flip);
        expect(got.length).toBe(want.data.length);
        const tol = sumTol(dtype, N, want.mag);
        for (let i = 0; i < got.length; i++) {
          const w = want.data[i];
          if (!Number.isFinite(w)) expect(got[i], `index ${i}`).toBe(w);
          else expect(Math.abs(got[i] - w), `index ${i}: ${got[i]} against ${w}`).toBeLessThanOrEqual(tol[i]);
        }
      },
    ), { numRuns: 120, seed: 12 });
  });

  it("a complex FFT chosen by 'auto' steps aside to direct on NaN or ±Infinity in a staged plane (1-D and 2-D)", () => {
    const r = rng(7);
    const plane = (n: number) => Float64Array.from({ length: n }, () => 2 * r() - 1);
    const cases = [
      { s1: [4000], s2: [300], mode: 'full' as const },
      { s1: [40, 100], s2: [5, 100], mode: 'full' as const },
    ];
    for (const { s1, s2, mode } of cases) {
      const n1 = s1.reduce((p, v) => p * v, 1);
      const n2 = s2.reduce((p, v) => p * v, 1);
      const x = { re: plane(n1), im: plane(n1), shape: s1 };
      const h = { re: plane(n2), im: plane(n2), shape: s2 };
      expect(chooseConvMethod(x, h, { mode }), `${s1} finite`).toBe('fft');
      // NaN in one imaginary part and −Infinity in one real part of in1: only the outputs that read them turn
      // non-finite in direct (a bad tap in in2 would reach every output of 'valid').
      x.im[Math.floor(n1 / 3)] = NaN;
      x.re[Math.floor((2 * n1) / 3)] = -Infinity;
      expect(chooseConvMethod(x, h, { mode })).toBe('direct');
      const auto = correlate(x, h, { mode });
      const direct = correlate(x, h, { mode, method: 'direct' });
      let nan = 0;
      for (let i = 0; i < auto.re.length; i++) {
        expect(Number.isNaN(auto.re[i]), `re ${i}`).toBe(Number.isNaN(direct.re[i]));
        expect(Number.isNaN(auto.im[i]), `im ${i}`).toBe(Number.isNaN(direct.im[i]));
        if (Number.isNaN(auto.re[i])) nan++;
      }
      expect(nan).toBeGreaterThan(0);
      expect(nan).toBeLessThan(auto.re.length);
      // method 'fft' does what it is asked, as SciPy: the NaN spreads over every output.
      expect(correlate(x, h, { mode, method: 'fft' }).re.every((v) => Number.isNaN(v))).toBe(true);
    }
  });
});
