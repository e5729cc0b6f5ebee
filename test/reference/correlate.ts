// The slow reference, straight from the definitions and never optimised. Owned by the tests: no code from src/.
//   full correlation  out[k] = Σ_j x[k + j − (N − 1)] · h[j]   (per axis; x is zero outside its shape)
//   convolution       the same with h reversed on every axis
// Modes are slices of the full output (SciPy: same from ⌊(N−1)/2⌋; valid from min(M,N)−1).

import { ravel, size, unravel } from './nd';

export interface Arr {
  data: ArrayLike<number>;
  shape: number[];
}

export function reverseAll(h: Arr): Arr {
  return { data: Array.from(h.data).reverse(), shape: h.shape };
}

/** Full N-D cross-correlation, one output at a time. */
export function correlateFull(x: Arr, h: Arr): { data: Float64Array; shape: number[] } {
  const shape = x.shape.map((m, a) => m + h.shape[a] - 1);
  const out = new Float64Array(size(shape));
  const nh = size(h.shape);
  for (let o = 0; o < out.length; o++) {
    const k = unravel(o, shape);
    let s = 0;
    for (let jf = 0; jf < nh; jf++) {
      const j = unravel(jf, h.shape);
      const xi = k.map((kk, a) => kk + j[a] - (h.shape[a] - 1));
      if (xi.every((v, a) => v >= 0 && v < x.shape[a])) s += x.data[ravel(xi, x.shape)] * h.data[jf];
    }
    out[o] = s;
  }
  return { data: out, shape };
}

/** arr[start : start + outShape] on every axis. */
export function sliceNd(arr: { data: Float64Array; shape: number[] }, start: number[], outShape: number[]): { data: Float64Array; shape: number[] } {
  const out = new Float64Array(size(outShape));
  for (let o = 0; o < out.length; o++) {
    const k = unravel(o, outShape).map((v, a) => v + start[a]);
    out[o] = arr.data[ravel(k, arr.shape)];
  }
  return { data: out, shape: outShape };
}

/** scipy.signal.correlate / convolve (direct) in any mode. */
export function scipyCorrelate(x: Arr, h: Arr, mode: 'full' | 'same' | 'valid', flip = false): { data: Float64Array; shape: number[] } {
  const full = correlateFull(x, flip ? reverseAll(h) : h);
  if (mode === 'full') return full;
  if (mode === 'same') return sliceNd(full, h.shape.map((n) => Math.floor((n - 1) / 2)), x.shape);
  return sliceNd(full, x.shape.map((m, a) => Math.min(m, h.shape[a]) - 1), x.shape.map((m, a) => Math.abs(m - h.shape[a]) + 1));
}
