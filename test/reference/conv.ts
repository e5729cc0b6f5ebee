// Reference N-D convolution layer, straight from the torch.nn.functional formula (channels-first, float64). Slow on
// purpose and independent of src/: the fast paths are tested against it.
//   out[n, co, o] = bias[co] + Σ_{ci < C/groups} Σ_j x̃[n, g·C/groups + ci, o·s + j·d − padBefore] · w[co, ci, j]
// with g = floor(co / (Cout/groups)) and x̃ the input extended by paddingMode (zeros: 0 outside).

import { extIndex, TORCH_EXT } from './nd';

export type RefPaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface RefConvOptions {
  stride: number[];
  dilation: number[];
  padBefore: number[];
  padAfter: number[];
  groups: number;
  paddingMode: RefPaddingMode;
  bias?: ArrayLike<number>;
  /** True convolution: w[co, ci, k − 1 − j] in place of w[co, ci, j]. */
  flip?: boolean;
}

/** Input index read at position i (may be outside [0, n)), or −1 for a zero. */
const extend = (i: number, n: number, mode: RefPaddingMode): number => extIndex(i, n, TORCH_EXT[mode]);

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let a = shape.length - 2; a >= 0; a--) s[a] = s[a + 1] * shape[a + 1];
  return s;
}

/** Every multi-index below `shape`, in C order. */
function* indices(shape: number[]): Generator<number[]> {
  const idx = new Array<number>(shape.length).fill(0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    yield idx.slice();
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a] < shape[a]) break;
      idx[a] = 0;
    }
  }
}

export function refConv(
  x: ArrayLike<number>, xShape: number[], w: ArrayLike<number>, wShape: number[], o: RefConvOptions,
): { data: Float64Array; shape: number[] } {
  const [N, , ...inSize] = xShape;
  const [Cout, cinG, ...kernel] = wShape;
  const r = inSize.length;
  const outSize = inSize.map((n, a) => Math.floor((n + o.padBefore[a] + o.padAfter[a] - o.dilation[a] * (kernel[a] - 1) - 1) / o.stride[a]) + 1);
  const coutG = Cout / o.groups;
  const xs = strides(xShape);
  const ws = strides(wShape);
  const out = new Float64Array(N * Cout * outSize.reduce((a, b) => a * b, 1));
  const taps = [...indices(kernel)]; // every kernel index, listed once (not regenerated for every output and channel)
  let q = 0;
  for (let n = 0; n < N; n++) {
    for (let co = 0; co < Cout; co++) {
      const g = Math.floor(co / coutG);
      for (const oi of indices(outSize)) {
        let s = o.bias ? o.bias[co] : 0;
        for (let ci = 0; ci < cinG; ci++) {
          for (const j of taps) {
            let xi = n * xs[0] + (g * cinG + ci) * xs[1];
            for (let a = 0; a < r && xi >= 0; a++) {
              const src = extend(oi[a] * o.stride[a] + j[a] * o.dilation[a] - o.padBefore[a], inSize[a], o.paddingMode);
              xi = src < 0 ? -1 : xi + src * xs[a + 2];
            }
            if (xi < 0) continue;
            let wi = co * ws[0] + ci * ws[1];
            for (let a = 0; a < r; a++) wi += (o.flip ? kernel[a] - 1 - j[a] : j[a]) * ws[a + 2];
            s += x[xi] * w[wi];
          }
        }
        out[q++] = s;
      }
    }
  }
  return { data: out, shape: [N, Cout, ...outSize] };
}

// Layout helpers for the tests: channels-last variants of channels-first fixtures, and spatially flipped kernels.

export interface RefArray {
  data: Float32Array | Float64Array;
  shape: readonly number[];
}

/** out[i0, i1, …] = a[i_perm[0], …]: the array with its axes reordered (axes[k] = source axis of output axis k). */
export function permute(a: RefArray, axes: number[]): RefArray {
  const shape = axes.map((ax) => a.shape[ax]);
  const src = new Array<number>(a.shape.length).fill(1);
  for (let k = a.shape.length - 2; k >= 0; k--) src[k] = src[k + 1] * a.shape[k + 1];
  const step = axes.map((ax) => src[ax]);
  const out = new (a.data.constructor as Float64ArrayConstructor)(a.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let q = 0; q < out.length; q++) {
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += idx[k] * step[k];
    out[q] = a.data[s];
    for (let k = idx.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return { data: out, shape };
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
/** channels-first → channels-last permutations for a tensor of spatial rank r. */
export const toChannelsLast = (r: number) => [0, ...range(2, r + 2), 1];
export const weightToChannelsLast = (r: number) => [...range(2, r + 2), 1, 0];

/** The kernel reversed on every spatial axis (axes 2…). */
export function flipSpatial(w: RefArray): RefArray {
  const [co, ci, ...k] = w.shape;
  const taps = k.reduce((a, b) => a * b, 1);
  const out = new (w.data.constructor as Float64ArrayConstructor)(w.data.length);
  for (let i = 0; i < co * ci; i++) {
    for (let t = 0; t < taps; t++) out[i * taps + t] = w.data[i * taps + taps - 1 - t];
  }
  return { data: out, shape: w.shape };
}
