// Identities from the theory that a wrong implementation fails, on every backend, float32 and float64, through the
// direct and the FFT kernels, each checked per element within the bounds of test/tolerance.ts:
//   a delta kernel returns the input, shifted as the mode says (exactly, on the direct path);
//   linearity: conv(a·x + b·y, h) = a·conv(x, h) + b·conv(y, h);
//   shift-equivariance: delaying x by s delays the full output by s;
//   a 1×N (and N×1) 2-D correlation equals the 1-D one;
//   conv(a, b) = conv(b, a) in 'full' mode, on random data (different shapes take different loops);
//   associativity: conv(conv(f, g), h) = conv(f, conv(g, h));
//   correlate(x, h) = convolve(x, reverse(conj h)), one side through the FFT and the other through the direct kernel,
//   for real and complex h.
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve, correlate, type Complex } from '../src/index';
import { backendCases, randomArray, useBackend } from './helpers';
import { scipyCorrelate } from './reference/correlate';
import { ravel, size, unravel } from './reference/nd';
import { absOf, expectWithin, fftTol, sumTol, UNIT, type FloatType } from './tolerance';

type Mode = 'full' | 'same' | 'valid';
const MODES: Mode[] = ['full', 'same', 'valid'];
const DTYPES: FloatType[] = ['float64', 'float32'];
const METHODS = ['direct', 'fft'] as const;
const SHAPES: [number[], number[]][] = [[[23], [5]], [[17], [6]], [[9, 11], [3, 4]], [[5, 6, 7], [2, 3, 2]]];

const arr = (shape: number[], seed: number, dtype: FloatType) => ({ data: randomArray(size(shape), seed, dtype), shape });
type Arr = ReturnType<typeof arr>;
const cast = (d: ArrayLike<number>, dtype: FloatType) => (dtype === 'float32' ? Float32Array.from(d) : Float64Array.from(d));
const reversed = (a: Arr): Arr => ({ data: a.data.slice().reverse(), shape: a.shape });
const sum = (s: number[]) => s.reduce((p, v) => p * v, 1);

/** The start of each mode's slice of the full output on one axis (SciPy; x at least as large as h). */
const start = (mode: Mode, m: number) => (mode === 'full' ? 0 : mode === 'same' ? (m - 1) >> 1 : m - 1);
const outLen = (mode: Mode, n: number, m: number) => (mode === 'full' ? n + m - 1 : mode === 'same' ? n : n - m + 1);

/** The bound of one op's result against the exact value: direct sums, or the FFT's bound plus that. */
function tolOf(method: 'direct' | 'fft', dtype: FloatType, x: Arr, h: Arr, mode: Mode, flip: boolean): Float64Array {
  const mag = scipyCorrelate(absOf(x), absOf(h), mode, flip).data;
  const t = sumTol(dtype, size(h.shape), mag);
  if (method === 'fft') {
    const f = fftTol(dtype, sum(x.shape.map((n, a) => n + h.shape[a] - 1)), x.data, h.data);
    for (let i = 0; i < t.length; i++) t[i] += f;
  }
  return t;
}

const add = (a: ArrayLike<number>, b: ArrayLike<number>) => Float64Array.from(a, (v, i) => v + b[i]);

describe.each(backendCases())('identities on %s', (be) => {
  beforeAll(() => useBackend(be));

  for (const dtype of DTYPES) {
    for (const [sx, sh] of SHAPES) {
      const x = arr(sx, 1, dtype);
      const h = arr(sh, 2, dtype);
      const tag = `x=[${sx}] h=[${sh}] ${dtype}`;

      it(`a delta kernel returns x shifted as the mode says, ${tag}`, () => {
        // convolve(x, δ_j) full = x delayed by j on every axis; correlate(x, δ_j) full = x delayed by m − 1 − j.
        for (const [which, j] of [['first', sh.map(() => 0)], ['last', sh.map((m) => m - 1)], ['middle', sh.map((m) => m >> 1)]] as const) {
          const delta = { data: cast(new Float64Array(size(sh)), dtype), shape: sh };
          delta.data[ravel(j, sh)] = 1;
          for (const mode of MODES) {
            for (const method of METHODS) {
              for (const corr of [false, true]) {
                const got = (corr ? correlate : convolve)(x, delta, { mode, method });
                const shape = sx.map((n, a) => outLen(mode, n, sh[a]));
                expect(got.shape).toEqual(shape);
                const want = new Float64Array(size(shape));
                for (let o = 0; o < want.length; o++) {
                  const src = unravel(o, shape).map((k, a) => k + start(mode, sh[a]) - (corr ? sh[a] - 1 - j[a] : j[a]));
                  if (src.every((v, a) => v >= 0 && v < sx[a])) want[o] = x.data[ravel(src, sx)];
                }
                // Direct: x·1 plus zeros is exact. FFT: the FFT's bound.
                const tol = method === 'direct' ? 0 : fftTol(dtype, sum(sx.map((n, a) => n + sh[a] - 1)), x.data, delta.data);
                expectWithin(got.data, want, tol, `${corr ? 'correlate' : 'convolve'} δ at ${which} ${mode} ${method}`);
              }
            }
          }
        }
      });

      it(`linearity: conv(a·x + b·y, h) = a·conv(x, h) + b·conv(y, h), ${tag}`, () => {
        const y = arr(sx, 3, dtype);
        const [a, b] = [0.75, -1.5]; // exact in both types: a·x and b·y are rounded once, in the combination
        const comb = { data: cast(Float64Array.from(x.data, (v, i) => a * v + b * y.data[i]), dtype), shape: sx };
        for (const mode of MODES) {
          for (const method of METHODS) {
            const lhs = correlate(comb, h, { mode, method }).data;
            const cx = correlate(x, h, { mode, method }).data;
            const cy = correlate(y, h, { mode, method }).data;
            const rhs = Float64Array.from(cx, (v, i) => a * v + b * cy[i]);
            // Each side within its op's bound of the exact value (the input combination rounded once: u·|a·x + b·y|
            // per input element, so u·Σ|a·x + b·y|·|h| more), so the two within the sum of the bounds.
            const absComb = { data: Float64Array.from(x.data, (v, i) => Math.abs(a * v) + Math.abs(b * y.data[i])), shape: sx };
            const tl = tolOf(method, dtype, comb, h, mode, false);
            const tx = tolOf(method, dtype, x, h, mode, false);
            const ty = tolOf(method, dtype, y, h, mode, false);
            const mag = scipyCorrelate(absComb, absOf(h), mode).data;
            const tol = Float64Array.from(tl, (v, i) => v + Math.abs(a) * tx[i] + Math.abs(b) * ty[i] + 2 * UNIT[dtype] * mag[i]);
            expectWithin(lhs, rhs, tol, `${mode} ${method}`);
          }
        }
      });

      it(`shift-equivariance: x delayed by s gives the full output delayed by s, ${tag}`, () => {
        const s = sx.map((_, a) => 1 + a); // 1, 2, 3 along the axes
        const shiftedShape = sx.map((n, a) => n + s[a]);
        const xs = { data: cast(new Float64Array(size(shiftedShape)), dtype), shape: shiftedShape };
        for (let i = 0; i < x.data.length; i++) xs.data[ravel(unravel(i, sx).map((v, a) => v + s[a]), shiftedShape)] = x.data[i];
        for (const method of METHODS) {
          const y = convolve(x, h, { method });
          const ys = convolve(xs, h, { method });
          const want = new Float64Array(ys.data.length);
          for (let i = 0; i < y.data.length; i++) want[ravel(unravel(i, y.shape).map((v, a) => v + s[a]), ys.shape)] = y.data[i];
          const t = tolOf(method, dtype, x, h, 'full', true);
          const tol = new Float64Array(want.length);
          for (let i = 0; i < t.length; i++) tol[ravel(unravel(i, y.shape).map((v, a) => v + s[a]), ys.shape)] = 2 * t[i];
          if (method === 'fft') {
            const f = 2 * fftTol(dtype, size(ys.shape), xs.data, h.data); // once: it reads all of xs and h
            tol.forEach((v, i) => (tol[i] = Math.max(v, f)));
          }
          expectWithin(ys.data, want, tol, method);
        }
      });

      it(`conv(a, b) = conv(b, a) in full mode, ${tag}`, () => {
        for (const method of METHODS) {
          const ab = convolve(x, h, { method });
          const ba = convolve(h, x, { method });
          expect(ba.shape).toEqual(ab.shape);
          const t = tolOf(method, dtype, x, h, 'full', true);
          expectWithin(ba.data, ab.data, Float64Array.from(t, (v) => 2 * v), method);
        }
      });
    }

    it(`a 1×N and an N×1 2-D correlation equal the 1-D one, ${dtype}`, () => {
      for (const [n, m] of [[23, 5], [40, 9], [7, 7], [130, 17]]) {
        const x = arr([n], n, dtype);
        const h = arr([m], m + 1, dtype);
        for (const mode of MODES) {
          for (const method of METHODS) {
            const one = correlate(x, h, { mode, method });
            const tol = Float64Array.from(tolOf(method, dtype, x, h, mode, false), (v) => 2 * v);
            for (const [sx, shh] of [[[1, n], [1, m]], [[n, 1], [m, 1]]]) {
              const two = correlate({ data: x.data, shape: sx }, { data: h.data, shape: shh }, { mode, method });
              expect(two.shape).toEqual(sx[0] === 1 ? [1, one.shape[0]] : [one.shape[0], 1]);
              expectWithin(two.data, one.data, tol, `n=${n} m=${m} ${mode} ${method} [${sx}]`);
            }
          }
        }
      }
    });

    it(`associativity: conv(conv(f, g), h) = conv(f, conv(g, h)) on random data, ${dtype}`, () => {
      for (const [sf, sg, sh] of [[[19], [7], [4]], [[40], [3], [11]], [[6, 7], [3, 2], [2, 3]]]) {
        const [f, g, h] = [arr(sf, 3, dtype), arr(sg, 4, dtype), arr(sh, 5, dtype)];
        for (const method of METHODS) {
          const inner1 = convolve(f, g, { method });
          const left = convolve(inner1, h, { method });
          const inner2 = convolve(g, h, { method });
          const right = convolve(f, inner2, { method });
          // Each side: the inner result within its bound e₁ (≤ t₁ per element, plus the rounding of the stored inner
          // result), carried through the outer sum as Σ|e₁|·|h| ≤ (c·K₁ + 1)·u·(|f|∗|g|∗|h|), plus the outer sum's own
          // (c·K₂ + 1)·u·(|f ∗ g|∗|h|) ≤ the same with |f|∗|g|∗|h|: (c·(K₁ + K₂) + 2)·u·(|f|∗|g|∗|h|) each side.
          const mag3 = scipyCorrelate(scipyCorrelate(absOf(f), absOf(g), 'full', true), absOf(h), 'full', true).data;
          const K = size(sf) + size(sg) + size(sh);
          const t = sumTol(dtype, K, mag3, 2 * 2.02);
          if (method === 'fft') {
            // The FFT's constant bounds: an inner error E (per element) reaches the outer result as E·‖outer kernel‖₁,
            // and the outer FFT adds its own bound on the (exact) inner result.
            const n1 = sum(sf.map((v, a) => v + sg[a] + sh[a] - 2));
            const l1 = (a: Arr) => Array.from(a.data).reduce((s, v) => s + Math.abs(v), 0);
            const fg = scipyCorrelate(f, g, 'full', true);
            const gh = scipyCorrelate(g, h, 'full', true);
            const extra = fftTol(dtype, n1, f.data, g.data) * l1(h) + fftTol(dtype, n1, fg.data, h.data)
              + fftTol(dtype, n1, g.data, h.data) * l1(f) + fftTol(dtype, n1, f.data, gh.data);
            for (let i = 0; i < t.length; i++) t[i] += extra;
          }
          expectWithin(right.data, left.data, t, `[${sf}] [${sg}] [${sh}] ${method}`);
        }
      }
    });

    it(`correlate(x, h) = convolve(x, reverse(conj h)) through different kernels (FFT against direct), ${dtype}`, () => {
      for (const [sx, sh] of SHAPES) {
        const x = arr(sx, 6, dtype);
        const h = arr(sh, 7, dtype);
        for (const mode of MODES) {
          for (const [m1, m2] of [['fft', 'direct'], ['direct', 'fft']] as const) {
            const c = correlate(x, h, { mode, method: m1 });
            const v = convolve(x, reversed(h), { mode, method: m2 });
            const tol = add(tolOf(m1, dtype, x, h, mode, false), tolOf(m2, dtype, x, h, mode, false));
            expectWithin(c.data, v.data, tol, `[${sx}] [${sh}] ${mode} correlate ${m1}, convolve ${m2}`);
          }
          // Complex h: correlation conjugates its second operand.
          const hc: Complex = { re: h.data, im: arr(sh, 8, dtype).data, shape: sh };
          const rc: Complex = { re: hc.re.slice().reverse(), im: (hc.im as Float64Array).map((v) => -v).reverse(), shape: sh };
          const mag = (a: ArrayLike<number>, b: ArrayLike<number>) => ({ data: Float64Array.from(a, (v, i) => Math.hypot(v, b[i])), shape: sh });
          for (const [m1, m2] of [['fft', 'direct'], ['direct', 'fft']] as const) {
            const c = correlate(x, hc, { mode, method: m1 }) as Complex;
            const v = convolve(x, rc, { mode, method: m2 }) as Complex;
            // A complex product is two real products: the real bound with |h| the modulus, for each of re and im, and
            // twice the terms.
            const hm = mag(hc.re, hc.im);
            const t = (m: 'direct' | 'fft') => {
              const d = sumTol(dtype, 2 * size(sh), scipyCorrelate(absOf(x), hm, mode).data);
              if (m === 'fft') {
                const f = fftTol(dtype, sum(sx.map((n, a) => n + sh[a] - 1)), x.data, hm.data);
                for (let i = 0; i < d.length; i++) d[i] += f;
              }
              return d;
            };
            const tol = add(t(m1), t(m2));
            expectWithin(c.re, v.re, tol, `complex re [${sx}] [${sh}] ${mode} ${m1}/${m2}`);
            expectWithin(c.im, v.im, tol, `complex im [${sx}] [${sh}] ${mode} ${m1}/${m2}`);
          }
        }
      }
    });
  }

  it('the seed example: f = [2, 1, 3, 5, 4] with h = [1, -1] and the symmetric h2 = [-1, 2, -1]', () => {
    const f = [2, 1, 3, 5, 4];
    expect(Array.from(convolve(f, [1, -1], { mode: 'valid' }))).toEqual([-1, 2, 2, -1]);
    expect(Array.from(correlate(f, [1, -1], { mode: 'valid' }))).toEqual([1, -2, -2, 1]);
    expect(Array.from(convolve(f, [-1, 2, -1], { mode: 'valid' }))).toEqual([-3, 0, 3]);
    expect(Array.from(correlate(f, [-1, 2, -1], { mode: 'valid' }))).toEqual([-3, 0, 3]);
  });
});
