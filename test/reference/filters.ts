// Slow references for image filtering, straight from the definitions and never optimised (nothing from src/).
//   scipy.signal.correlate2d  full[k] = Σ_j ext(x)[k + j − (M−1)] · h[j]; convolve2d: Σ_j ext(x)[k − j] · h[j]
//     same: full from ⌊M/2⌋ (correlate2d) or ⌊(M−1)/2⌋ (convolve2d); valid: from min(N,M)−1, zeros outside x
//   scipy.ndimage.correlate   out[i] = Σ_j w[j] · ext(x)[i + j − ⌊M/2⌋ − o]; convolve: ext(x)[i − j + ⌊M/2⌋ + o]
// per axis; ext() extends x by the named boundary (scipy.ndimage's names), periodically on every side.
import type { Arr } from './correlate';
import { extIndex, ravel, size, unravel, type Ext } from './nd';

export type { Ext } from './nd';

/** x read through the extension at an N-D position that may lie outside it. */
function readExt(x: Arr, pos: number[], mode: Ext, cval: number): number {
  const idx = pos.map((p, a) => extIndex(p, x.shape[a], mode));
  return idx.some((v) => v < 0) ? cval : x.data[ravel(idx, x.shape)];
}

/** scipy.signal.correlate2d / convolve2d (mode, boundary 'fill' | 'wrap' | 'symm', fillvalue). */
export function signal2dRef(
  x: Arr, h: Arr, opts: { convolve: boolean; mode: 'full' | 'same' | 'valid'; boundary: 'fill' | 'wrap' | 'symm'; fillvalue: number },
): { data: Float64Array; shape: number[] } {
  const { convolve, mode } = opts;
  const N = x.shape;
  const M = h.shape;
  let start: number[];
  let shape: number[];
  if (mode === 'full') {
    start = [0, 0];
    shape = N.map((n, a) => n + M[a] - 1);
  } else if (mode === 'same') {
    start = M.map((m) => (convolve ? Math.floor((m - 1) / 2) : Math.floor(m / 2)));
    shape = N.slice();
  } else {
    start = N.map((n, a) => Math.min(n, M[a]) - 1);
    shape = N.map((n, a) => Math.abs(n - M[a]) + 1);
  }
  const ext: Ext = mode === 'valid' || opts.boundary === 'fill' ? 'constant' : opts.boundary === 'wrap' ? 'wrap' : 'reflect';
  const cval = mode === 'valid' ? 0 : opts.fillvalue;
  const out = new Float64Array(size(shape));
  for (let o = 0; o < out.length; o++) {
    const k = unravel(o, shape).map((v, a) => v + start[a]);
    let s = 0;
    for (let jf = 0; jf < size(M); jf++) {
      const j = unravel(jf, M);
      const pos = convolve ? k.map((kk, a) => kk - j[a]) : k.map((kk, a) => kk + j[a] - (M[a] - 1));
      s += readExt(x, pos, ext, cval) * h.data[jf];
    }
    out[o] = s;
  }
  return { data: out, shape };
}

/**
 * scipy.ndimage.correlate / convolve, any rank, output shape = input shape. Weights with |w| ≤ 2⁻⁵² (zeros, NaN) are
 * skipped, as scipy's NI_Correlate drops them before summing (scipy/ndimage/src/ni_filters.c).
 */
export function ndimageRef(
  x: Arr, w: Arr, opts: { convolve: boolean; mode: Ext; cval: number; origin: number[] },
): { data: Float64Array; shape: number[] } {
  const { convolve, mode, cval, origin } = opts;
  const M = w.shape;
  const out = new Float64Array(size(x.shape));
  for (let o = 0; o < out.length; o++) {
    const i = unravel(o, x.shape);
    let s = 0;
    for (let jf = 0; jf < size(M); jf++) {
      if (!(Math.abs(w.data[jf]) > Number.EPSILON)) continue;
      const j = unravel(jf, M);
      const pos = i.map((ii, a) => {
        const c = Math.floor(M[a] / 2) + origin[a];
        return convolve ? ii - j[a] + c : ii + j[a] - c;
      });
      s += readExt(x, pos, mode, cval) * w.data[jf];
    }
    out[o] = s;
  }
  return { data: out, shape: x.shape.slice() };
}
