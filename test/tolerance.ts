// Per-element error bounds derived from the arithmetic, and the check that uses them. Float results are compared
// with their reference through `expectWithin` with a bound from here (complex, similarity and ndimage-sum tests keep
// their own per-element bounds of the same form), so a result off by a relative 1e-5 fails (scripts/mutation.mjs
// checks that it does), where `1e-4 × max|ref|` let 3e-5 pass.
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
// Inputs should reach the op and the reference as the same values; where a fixture was computed from the float64
// inputs and the op gets them rounded to float32, each product moves by at most 2u·|x·w|, which the reference's
// share (exact in float64) covers for K ≥ 2 and the +1 with the product's own rounding for K = 1.
//
// FFT paths. y = IFFT(FFT(x̃)·FFT(w̃)) with x̃, w̃ zero-padded to length N (product of the padded lengths in N-D).
// A radix-2/3/4/5 FFT in floating point has normwise error ‖fl(X) − X‖₂ ≤ c_F·log₂N·u·‖X‖₂ (Higham §24.1, Thm
// 24.2: per stage η = μ + γ₄(√2 + μ) ≈ 5.7u + μ for a radix-2 butterfly with twiddles accurate to μ ≈ u, so c_F = 8
// per log₂N covers the radix-2/4 and the mixed-radix passes, whose fewer stages have larger constants), and
// ‖X‖₂ = √N·‖x‖₂ (Parseval). The pointwise product adds u per bin, and |W_k| ≤ ‖w‖₁, |X_k| ≤ ‖x‖₁ bound the
// product's sensitivity:
//   ‖δ(X·W)‖₂ ≤ ‖δX‖₂·max|W| + max|X|·‖δW‖₂ + u·‖X·W‖₂ ≤ (2·c_F·log₂N + 1)·u·√N·B,  B = max(‖x‖₂‖w‖₁, ‖x‖₁‖w‖₂);
// the inverse transform (unitary up to 1/√N, so the error above shrinks by √N) adds its own c_F·log₂N·u·‖y‖₂ with
// ‖y‖₂ ≤ B (Young's inequality), and every element is at most the 2-norm of the error vector:
//   |fl(y_i) − y_i| ≤ (3·c_F·log₂N + 1)·u·B =: tol (the same for every element), c_F = FFT_C = 8.
// The constant bound is per element (no output may exceed it); it is loose for outputs much smaller than the
// largest, which the direct-sum bound covers on the direct paths of the same ops.
import { expect } from 'vitest';
import { refConvBackward, refConvForward, refConvTranspose, type RefConvOptions, type RefTransposeOptions } from './reference/conv-grad';

export type FloatType = 'float32' | 'float64';

/** Unit roundoff: half the distance from 1 to the next number of the type. */
export const UNIT: Record<FloatType, number> = { float32: 2 ** -24, float64: 2 ** -53 };

/**
 * `fn` of every element into a new Float64Array: a plain loop (V8's `Float64Array.from(a, fn)` takes the iterator
 * path, about 0.5 µs an element: seconds on the multi-million-element arrays of test/memory.test.ts).
 */
export function mapF64(a: ArrayLike<number>, fn: (v: number, i: number) => number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = fn(a[i], i);
  return out;
}

/** |x| element-wise, the same array type and shape, to run a reference on magnitudes (Σ|x·w| = ref(|x|, |w|)). */
export function absOf(a: { data: ArrayLike<number>; shape: readonly number[] }): { data: Float64Array; shape: number[] } {
  return { data: mapF64(a.data, Math.abs), shape: [...a.shape] };
}

const l1 = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]);
  return s;
};
const l2 = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
};
const maxAbs = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
};

/** A plain array of |values| (for flat data: biases, raw kernels). */
export function absArray(a: ArrayLike<number>): Float64Array {
  return mapF64(a, Math.abs);
}

/**
 * The per-element bound of a K-term sum of products against a reference (see the file's comment):
 * tol_i = (c·K + 1)·u·mag_i with mag_i = Σ_k |x_k·w_k| of output i. `c` defaults to 2.02 (result and reference each
 * within γ_K); a caller with a larger derived constant (Winograd transforms) passes it.
 */
export function sumTol(dtype: FloatType, K: number, mag: ArrayLike<number>, c = 2.02): Float64Array {
  const f = (c * Math.max(K, 1) + 1) * UNIT[dtype];
  return mapF64(mag, (m) => f * m);
}

/** The FFT's constant per log₂N stages (the file's comment). */
export const FFT_C = 8;

/** One transform of length N against the exact DFT: ‖fl(X) − X‖₂ / ‖X‖₂ ≤ FFT_C·log₂N·u (Higham Thm 24.2). */
export function fftNormTol(dtype: FloatType, N: number): number {
  return FFT_C * Math.log2(Math.max(N, 2)) * UNIT[dtype];
}

/** The FFT bound of the file's comment: the same for every element of the output. */
export function fftTol(dtype: FloatType, N: number, x: ArrayLike<number>, w: ArrayLike<number>, cF = FFT_C): number {
  const B = Math.max(l2(x) * l1(w), l1(x) * l2(w));
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

/**
 * Winograd F(2×2, 3×3) (src/kernels/gemm.ts: Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½;
 * 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1 −1]). Each output is Aᵀ[Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B)]A: a sum of products whose
 * chain of roundings is at most the input transform (4), the weight transform (4), the product (1), the channel sum
 * (C) and the output transform (4) long, so |error| ≤ γ_{C+13}·M with M the same expression on |Aᵀ|, |G|, |Bᵀ|,
 * |g|, |d| (Higham §3.5, componentwise). M has cross terms g_a·d_b that the direct sum has not, so it is bounded
 * through the coefficients instead: in 1-D, Σ_b (|Aᵀ||G|ᵀ-weighted |Bᵀ| row sums) ≤ 4 for every output and tap
 * (worked out from the matrices above), so in 2-D M ≤ 16·Σ_{c,a} |g_{c,a}|·max|d| = WINOGRAD_KAPPA·Σ|w_co|·max|x|.
 * The bound is rigorous but about 30× looser than the direct one: the Winograd kernels are also tested exactly on
 * small integers (every transformed value is a multiple of ½ far below 2²⁴), where any fault shows.
 */
export const WINOGRAD_KAPPA = 16;

/** Per Cout: the Winograd bound's magnitude WINOGRAD_KAPPA·(max|x|·Σ|w[co]| + |bias[co]|), for `sumTol` with K = C + 13. */
export function winogradMag(x: ArrayLike<number>, w: ArrayLike<number>, Cout: number, bias?: ArrayLike<number>): Float64Array {
  let mx = 0;
  for (let i = 0; i < x.length; i++) mx = Math.max(mx, Math.abs(x[i]));
  const per = w.length / Cout;
  return Float64Array.from({ length: Cout }, (_, co) => {
    let s = 0;
    for (let j = 0; j < per; j++) s += Math.abs(w[co * per + j]);
    return WINOGRAD_KAPPA * (mx * s + Math.abs(bias?.[co] ?? 0));
  });
}

/**
 * The bound of a conv layer's output (channels-first x [N, C, …], w [Cout, C/groups, …k]), per element, against a
 * reference: sumTol of the direct sums (K = C/groups·|k| + 1), or the Winograd bound where `winograd` is set.
 */
export function convLayerTol(
  dtype: FloatType, x: { data: ArrayLike<number>; shape: readonly number[] }, w: { data: ArrayLike<number>; shape: readonly number[] },
  opts: RefConvOptions, bias: ArrayLike<number> | undefined, winograd = false,
): Float64Array {
  const mag = refConvForward(absOf(x), absOf(w), opts).data;
  const Cout = w.shape[0];
  const O = mag.length / (x.shape[0] * Cout);
  if (bias) for (let i = 0; i < mag.length; i++) mag[i] += Math.abs(bias[Math.floor(i / O) % Cout]);
  const K = w.data.length / Cout + 1;
  const tol = sumTol(dtype, K, mag);
  if (winograd) {
    const wm = winogradMag(x.data, w.data, Cout, bias);
    const wt = sumTol(dtype, x.shape[1] + 13, mapF64(mag, (_, i) => wm[Math.floor(i / O) % Cout]));
    for (let i = 0; i < tol.length; i++) tol[i] = Math.max(tol[i], wt[i]);
  }
  return tol;
}

/**
 * The bounds of a conv layer's gradients against a reference, per element: each is a sum of products of dy with w
 * (gradInput: at most Cout/groups·|k| terms) or with x (gradWeight: N·|out| terms; gradBias: N·|out| terms of dy).
 * With `winograd`, gradInput also gets the Winograd bound (dX as a Winograd forward on dy with the rotated kernel)
 * and gradWeight the one of the Winograd weight gradient (κ = 16 on its own transforms, K = N·|out| + 13).
 */
export function convGradTol(
  dtype: FloatType, x: { data: ArrayLike<number>; shape: readonly number[] }, w: { data: ArrayLike<number>; shape: readonly number[] },
  dy: { data: ArrayLike<number>; shape: readonly number[] }, opts: RefConvOptions, winograd = false,
): { gradInput: Float64Array; gradWeight: Float64Array; gradBias: Float64Array } {
  const m = refConvBackward(absOf(x), absOf(w), absOf(dy), opts);
  const [N, Cout] = dy.shape;
  const O = dy.data.length / (N * Cout);
  const G = opts.groups ?? 1;
  const taps = w.data.length / (w.shape[0] * w.shape[1]);
  const gradInput = sumTol(dtype, (Cout / G) * taps, m.gradInput);
  const gradWeight = sumTol(dtype, N * O, m.gradWeight);
  const gradBias = sumTol(dtype, N * O, m.gradBias);
  if (winograd) {
    const [mx, mw, mdy] = [maxAbs(x.data), maxAbs(w.data), maxAbs(dy.data)];
    // gradInput: per input element, every dy and w it may meet through the transforms: κ·Cout·|k|·max|dy|·max|w|.
    const gi = WINOGRAD_KAPPA * Cout * taps * mdy * mw;
    const gw = WINOGRAD_KAPPA * N * O * mdy * mx;
    const tI = (Cout + 13) * 2.02 * UNIT[dtype] * gi;
    const tW = (N * O + 13) * 2.02 * UNIT[dtype] * gw;
    for (let i = 0; i < gradInput.length; i++) gradInput[i] = Math.max(gradInput[i], tI);
    for (let i = 0; i < gradWeight.length; i++) gradWeight[i] = Math.max(gradWeight[i], tW);
  }
  return { gradInput, gradWeight, gradBias };
}

/** Whether a layer with this channels-first weight shape may run a Winograd kernel (3×3, 1×3×3 or 1-D 9 taps). */
export function maybeWinograd(wShape: readonly number[]): boolean {
  const k = wShape.slice(2).filter((v, i, a) => !(v === 1 && i < a.length - 2));
  return (k.length === 2 && k[0] === 3 && k[1] === 3) || (k.length === 1 && k[0] === 9);
}

/**
 * The bound of a transposed convolution (x [N, Cin, …], w [Cin, Cout/groups, …k]) per element: a sum of at most
 * Cin/groups·|k| products and the bias; with `winograd` (it runs as the input gradient of a forward layer, which may
 * be Winograd) also the Winograd bound κ·(Cin·|k|·max|x|·max|w| + |bias|) with K = Cin + 13.
 */
export function transposeTol(
  dtype: FloatType, x: { data: ArrayLike<number>; shape: readonly number[] }, w: { data: ArrayLike<number>; shape: readonly number[] },
  opts: RefTransposeOptions, winograd = false,
): Float64Array {
  const mag = refConvTranspose(absOf(x), absOf(w), { ...opts, bias: opts.bias ? absArray(opts.bias) : undefined }).data;
  const G = opts.groups ?? 1;
  const taps = w.data.length / (w.shape[0] * w.shape[1]);
  const tol = sumTol(dtype, (x.shape[1] / G) * taps + 1, mag);
  if (winograd) {
    const mb = opts.bias ? maxAbs(opts.bias) : 0;
    const t = (x.shape[1] + 13) * 2.02 * UNIT[dtype] * WINOGRAD_KAPPA * (x.shape[1] * taps * maxAbs(x.data) * maxAbs(w.data) + mb);
    for (let i = 0; i < tol.length; i++) tol[i] = Math.max(tol[i], t);
  }
  return tol;
}
