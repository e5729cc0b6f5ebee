// The slow complex reference, straight from the definitions (test-owned: nothing from src/). Complex arrays are
// split planes. Per axis, with in1 extended beyond its edges by `ext` (zero by default):
//   full correlation  out[k] = Σ_j x[k + j − (N − 1)] · conj(y[j])
//   full convolution  out[k] = Σ_j x[k − j] · y[j]
// Modes are slices of the full output as scipy.signal's (same from ⌊(N−1)/2⌋, valid from min(M,N)−1); correlate2d's
// 'same' starts at ⌊N/2⌋. Beside each value it returns `mag`, Σ |x|·|y| over the same terms (|z| = |re| + |im|),
// and `terms`, how many products the value sums: the scale of the rounding error of any way of computing it.
import { extIndex, ravel, size, unravel, type Ext } from './nd';

export interface CArr {
  re: ArrayLike<number>;
  im: ArrayLike<number>;
  shape: number[];
}

export interface CResult {
  re: Float64Array;
  im: Float64Array;
  mag: Float64Array;
  terms: number;
  shape: number[];
}

export interface RefOptions {
  conv: boolean;
  mode: 'full' | 'same' | 'valid';
  /** correlate2d's 'same' centring (⌊N/2⌋). */
  centre2d?: boolean;
  ext?: Ext;
  /** The value of the 'constant' extension (real). */
  cval?: number;
}

/** scipy.signal.correlate / convolve (and correlate2d / convolve2d with ext) of complex arrays, one output at a time. */
export function complexRef(x: CArr, y: CArr, o: RefOptions): CResult {
  const M = x.shape;
  const N = y.shape;
  const fullShape = M.map((m, a) => m + N[a] - 1);
  let start: number[];
  let shape: number[];
  if (o.mode === 'full') {
    start = M.map(() => 0);
    shape = fullShape;
  } else if (o.mode === 'same') {
    start = N.map((n) => (o.centre2d ? Math.floor(n / 2) : Math.floor((n - 1) / 2)));
    shape = M.slice();
  } else {
    start = M.map((m, a) => Math.min(m, N[a]) - 1);
    shape = M.map((m, a) => Math.abs(m - N[a]) + 1);
  }
  const n = size(shape);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const mag = new Float64Array(n);
  const ny = size(N);
  const ext = o.ext ?? 'constant';
  const cval = o.cval ?? 0;
  for (let out = 0; out < n; out++) {
    const k = unravel(out, shape).map((v, a) => v + start[a]);
    let sr = 0;
    let si = 0;
    let sm = 0;
    for (let jf = 0; jf < ny; jf++) {
      const j = unravel(jf, N);
      // Correlation: x[k + j − (N − 1)] · conj(y[j]); convolution: x[k − j] · y[j].
      const xi = k.map((kk, a) => (o.conv ? kk - j[a] : kk + j[a] - (N[a] - 1)));
      let ar: number;
      let ai: number;
      const src = xi.map((v, a) => extIndex(v, M[a], ext));
      if (src.some((v) => v < 0)) {
        // Outside x: the extension's constant (zero for scipy.signal.correlate: no term at all).
        if (cval === 0 && ext === 'constant') continue;
        ar = cval;
        ai = 0;
      } else {
        const i = ravel(src, M);
        ar = x.re[i];
        ai = x.im[i];
      }
      const br = y.re[jf];
      const bi = o.conv ? y.im[jf] : -y.im[jf];
      sr += ar * br - ai * bi;
      si += ar * bi + ai * br;
      sm += (Math.abs(ar) + Math.abs(ai)) * (Math.abs(br) + Math.abs(bi));
    }
    re[out] = sr;
    im[out] = si;
    mag[out] = sm;
  }
  return { re, im, mag, terms: ny, shape };
}

/** The complex conjugate of y reversed on every axis (as a fresh array). */
export function conjReverse(y: CArr): CArr {
  const re = Array.from(y.re).reverse();
  const im = Array.from(y.im).reverse().map((v) => -v);
  return { re, im, shape: y.shape };
}
