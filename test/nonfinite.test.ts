// Where NaN and ±Infinity go: fixtures from NumPy, scipy.signal, scipy.ndimage and PyTorch (scripts/gen_fixtures_nonfinite.py)
// on every backend, in float64 and float32. Each non-finite output must be the same value at the same index, and the
// finite ones must match within the usual tolerance.
import { beforeAll, describe, expect, it } from 'vitest';
import { conv1d, conv2d, conv2dGradInput, conv2dGradWeight, convTranspose1d, convolve, convolve2d, correlate, correlate2d, fftconvolve, ndimage, numpy, oaconvolve, type NDArray } from '../src/index';
import fx from './fixtures/nonfinite.json';
import { backendCases, useBackend } from './helpers';
import { expectWithin, fftTol, sumTol } from './tolerance';

type Num = number | string;
interface Arr { shape: number[]; data: Num[] }
interface Case { name: string; fn: string; args: { a: Arr; b: Arr; opts: Record<string, Num | number[]> }; expected: Arr }

const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));
const nd = (a: Arr, dtype: 'float32' | 'float64'): NDArray => ({
  data: (dtype === 'float32' ? Float32Array : Float64Array).from(a.data.map(num)), shape: a.shape,
});

type Op = (a: NDArray, b: NDArray, opts: Record<string, unknown>) => NDArray | Float32Array | Float64Array;
const OPS: Record<string, Op> = {
  correlate: correlate as Op, convolve: convolve as Op, correlate2d: correlate2d as Op, convolve2d: convolve2d as Op,
  'numpy.convolve': numpy.convolve as Op, 'numpy.correlate': numpy.correlate as Op,
  'ndimage.correlate': ndimage.correlate as Op, 'ndimage.convolve': ndimage.convolve as Op,
  conv1d: conv1d as Op, conv2d: conv2d as Op,
  // (x, dy) → dW of a 3×3 kernel with as many output channels as dy has.
  conv2dGradWeight: ((x, dy, o) => conv2dGradWeight(x, [dy.shape[1], x.shape[1], 3, 3], dy, o)) as Op,
  // (w, dy) → dX of a stride-1 'same'-sized 3×3 layer.
  conv2dGradInput: ((w, dy, o) => conv2dGradInput([dy.shape[0], w.shape[1], dy.shape[2], dy.shape[3]], w, dy, o)) as Op,
  convTranspose1d: convTranspose1d as Op,
  fftconvolve: fftconvolve as Op, oaconvolve: oaconvolve as Op,
};

describe.each(backendCases())('NaN and ±Infinity as the references place them, on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const c of fx.cases as Case[]) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${c.fn}: ${c.name} (${dtype})`, () => {
        const opts = Object.fromEntries(Object.entries(c.args.opts).map(([k, v]) => [k, k === 'cval' ? num(v as Num) : v]));
        const out = OPS[c.fn](nd(c.args.a, dtype), nd(c.args.b, dtype), opts);
        const got = 'data' in out ? out.data : out;
        const want = c.expected.data.map(num);
        expect(got.length).toBe(want.length);
        const finite = want.map((w, i) => (Number.isFinite(w) ? i : -1)).filter((i) => i >= 0);
        // Non-finite expected values: exactly the same (NaN where NaN, the same infinity where infinite).
        want.forEach((w, i) => {
          if (!Number.isFinite(w)) expect(got[i], `index ${i}`).toBe(w);
        });
        for (const i of finite) expect(Number.isFinite(got[i]), `index ${i} is ${got[i]}, expected ${want[i]}`).toBe(true);
        // Finite outputs: sums of at most K = max(|a|, |b|) products a_i·b_j of finite inputs (a non-finite one would
        // have made the output non-finite), so within sumTol of mag = Σ|a_finite|·max|b_finite|; the FFT ops (and
        // 'auto', which may pick the FFT) add the FFT bound (test/tolerance.ts).
        const [a, b] = [nd(c.args.a, dtype).data, nd(c.args.b, dtype).data].map((d) => Array.from(d).filter(Number.isFinite));
        const mag = a.reduce((s, v) => s + Math.abs(v), 0) * b.reduce((s, v) => Math.max(s, Math.abs(v)), 0)
          + b.reduce((s, v) => s + Math.abs(v), 0) * a.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
        let tol = sumTol(dtype, Math.max(c.args.a.data.length, c.args.b.data.length) + 1, [mag])[0];
        if (c.args.opts.method !== 'direct' && !c.fn.startsWith('conv') && !c.fn.startsWith('numpy') && !c.fn.startsWith('ndimage')) {
          tol += fftTol(dtype, c.args.a.data.length + c.args.b.data.length, a, b);
        }
        expectWithin(finite.map((i) => got[i]), finite.map((i) => want[i]), tol);
      });
    }
  }
});
