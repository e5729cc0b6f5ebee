// Per-element error bounds derived from the arithmetic, and the check that uses them. Every float comparison of a
// result with a reference in test/ goes through `expectWithin` (or `within`) with a bound from here, so a result
// off by a relative 1e-5 fails (scripts/mutation.mjs checks that it does), where `1e-4 × max|ref|` let 3e-5 pass.
//
// Direct sums (correlation, convolution, conv layers, their gradients, GEMM). Output i is a sum of K products
// y_i = Σ_k x_k·w_k (a bias is one more term with w = 1). In floating point with unit roundoff u (2⁻²⁴ for float32,
// 2⁻⁵³ for float64), in ANY order of summation (blocked, SIMD lanes, FMA or not), each product and each partial sum
// is rounded once, so (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1, eq. 3.5)
//   |fl(y_i) − y_i| ≤ γ_K · Σ_k |x_k·w_k|,   γ_K = K·u / (1 − K·u) ≤ 1.01·K·u   (K·u ≤ 0.01).
// The reference (test/reference/, in float64, or a fixture computed by the library in the same dtype) adds at most
// the same again, and rounding the stored result to the dtype adds u·|y_i| ≤ u·Σ|x·w|. Hence
//   tol_i = (c·K + 1)·u·Σ_k |x_k·w_k|,   c = 2.02 ≥ γ_K/(K·u) for the result plus as much for the reference.
// Σ_k |x_k·w_k| per element is exact and cheap: the same reference op applied to |x| and |w| (`absOf`).
// Inputs must reach the op and the reference as the same values (float32 data is given as Float32Array to both).
//
// FFT paths. y = IFFT(FFT(x̃)·FFT(w̃)) with x̃, w̃ zero-padded to length N (product of the padded lengths in N-D).
// A radix-2/3/4/5 FFT in floating point has normwise error ‖fl(X) − X‖₂ ≤ c_F·log₂N·u·‖X‖₂ (Higham §24.1, Thm
// 24.2; c_F about 5 for the mixed-radix butterflies with precomputed twiddles), and ‖X‖₂ = √N·‖x‖₂ (Parseval). The
// pointwise product adds u per bin, and |W_k| ≤ ‖w‖₁, |X_k| ≤ ‖x‖₁ bound the product's sensitivity:
//   ‖δ(X·W)‖₂ ≤ ‖δX‖₂·max|W| + max|X|·‖δW‖₂ + u·‖X·W‖₂ ≤ (2·c_F·log₂N + 1)·u·√N·B,  B = max(‖x‖₂‖w‖₁, ‖x‖₁‖w‖₂);
// the inverse transform (unitary up to 1/√N, so the error above shrinks by √N) adds its own c_F·log₂N·u·‖y‖₂ with
// ‖y‖₂ ≤ B (Young's inequality), and every element is at most the 2-norm of the error vector:
//   |fl(y_i) − y_i| ≤ (3·c_F·log₂N + 1)·u·B =: tol (the same for every element), c_F = 5.
// The constant bound is per element (no output may exceed it); it is loose for outputs much smaller than the
// largest, which the direct-sum bound covers on the direct paths of the same ops.
import { expect } from 'vitest';

export type FloatType = 'float32' | 'float64';

/** Unit roundoff: half the distance from 1 to the next number of the type. */
export const UNIT: Record<FloatType, number> = { float32: 2 ** -24, float64: 2 ** -53 };

/** |x| element-wise, the same array type and shape, to run a reference on magnitudes (Σ|x·w| = ref(|x|, |w|)). */
export function absOf<A extends { data: ArrayLike<number> }>(a: A): A {
  return { ...a, data: Float64Array.from(a.data as ArrayLike<number>, Math.abs) };
}

/** A plain array of |values| (for flat data: biases, raw kernels). */
export function absArray(a: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, Math.abs);
}

/**
 * The per-element bound of a K-term sum of products against a reference (see the file's comment):
 * tol_i = (c·K + 1)·u·mag_i with mag_i = Σ_k |x_k·w_k| of output i. `c` defaults to 2.02 (result and reference each
 * within γ_K); a caller with a larger derived constant (Winograd transforms) passes it.
 */
export function sumTol(dtype: FloatType, K: number, mag: ArrayLike<number>, c = 2.02): Float64Array {
  const f = (c * Math.max(K, 1) + 1) * UNIT[dtype];
  return Float64Array.from(mag, (m) => f * m);
}

/** The FFT bound of the file's comment: the same for every element of the output. */
export function fftTol(dtype: FloatType, N: number, x: ArrayLike<number>, w: ArrayLike<number>, cF = 5): number {
  const n1 = (a: ArrayLike<number>) => Array.prototype.reduce.call(a, (s: number, v: number) => s + Math.abs(v), 0) as number;
  const n2 = (a: ArrayLike<number>) => Math.sqrt(Array.prototype.reduce.call(a, (s: number, v: number) => s + v * v, 0) as number);
  const B = Math.max(n2(x) * n1(w), n1(x) * n2(w));
  return (3 * cF * Math.log2(Math.max(N, 2)) + 1) * UNIT[dtype] * B;
}

/**
 * '' when |got_i − want_i| ≤ tol_i everywhere (NaN where the reference has NaN, the same infinity where it has one),
 * else a message naming the first few elements outside, their error and bound.
 */
export function within(got: ArrayLike<number>, want: ArrayLike<number>, tol: number | ArrayLike<number>): string {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const e = want[i];
    const t = typeof tol === 'number' ? tol : tol[i];
    let ok: boolean;
    if (Number.isNaN(e) || Number.isNaN(g)) ok = Number.isNaN(e) && Number.isNaN(g);
    else if (!Number.isFinite(e) || !Number.isFinite(g)) ok = g === e;
    else ok = Math.abs(g - e) <= t;
    if (!ok) {
      count++;
      if (bad.length < 4) bad.push(`[${i}] ${g} vs ${e} (error ${Math.abs(g - e).toExponential(2)}, bound ${t.toExponential(2)})`);
    }
  }
  return count ? `${count} of ${want.length} elements outside their bound: ${bad.join('; ')}` : '';
}

/** Assert `within(got, want, tol)` (the message names the elements outside). */
export function expectWithin(got: ArrayLike<number>, want: ArrayLike<number>, tol: number | ArrayLike<number>, what = ''): void {
  const msg = within(got, want, tol);
  expect(msg, what).toBe('');
}
