// scipy.ndimage.correlate / convolve (1.10), any rank; the output has the shape of the input. Per axis, with
// weights of length M, origin o and the input extended by `mode`:
//   correlate  out[i] = Σ_j w[j] · ext(x)[i + j − ⌊M/2⌋ − o]
//   convolve   out[i] = Σ_j w[j] · ext(x)[i − j + ⌊M/2⌋ + o]
// Allowed origins: −⌊M/2⌋ ≤ o ≤ ⌊(M−1)/2⌋. Every extension is periodic, so weights may be larger than the input.
import type { Exact, Result } from './types';
import { asTensor, resultDtype, wrap, type DType, type Float, type Input, type NDArray, type Numeric } from './arrays';
import { runDirect, type DirectPlan } from './direct';
import { options, rangeError, typeError } from './errors';
import { hwcApplies, runHwcU8 } from './interleaved';
import { delivered, outputOption, writable } from './output';
import { NDIMAGE_MODES } from './boundary';
import { NONFINITE } from './nonfinite';
import { frozenPlan, toFloat } from './plan';
import { planBackend } from './workspace';
import { withWarmUp } from './backend';

// init() runs a small float32 3×3 filter ahead, so the first real one pays no lazy compile (backend.ts `withWarmUp`).
const filter = /* @__PURE__ */ withWarmUp(filterOp, () => {
  correlate({ data: new Float32Array(32 * 32), shape: [32, 32] }, { data: new Float32Array(9), shape: [3, 3] });
});

export type NdimageMode = 'reflect' | 'constant' | 'nearest' | 'mirror' | 'wrap' | 'grid-mirror' | 'grid-constant' | 'grid-wrap';

export interface NdimageOptions {
  /** How the input is extended beyond its edges (default 'reflect', scipy.ndimage's names). */
  mode?: NdimageMode;
  /** The value of the 'constant' extension (default 0). */
  cval?: number;
  /** Shift of the weights' centre, one for every axis or one per axis (default 0). */
  origin?: number | readonly number[];
  dtype?: DType;
  /**
   * scipy.ndimage's `output`: an array the size of the input that receives the result (a Float32Array or
   * Float64Array, or an NDArray of the input's shape; its type sets the dtype), or a dtype. The result's data is
   * then that very array, written in place of a fresh one. It may be the input itself: the sums then run in scratch
   * first, as SciPy's do. An integer array (e.g. a canvas ImageData's Uint8ClampedArray) receives the float64 sums
   * rounded half to even and saturated to its range (OpenCV's saturate_cast); NaN stores 0.
   */
  output?: Numeric | NDArray<Numeric> | DType;
  /**
   * The precision of the sums (default 'float64': every sum in double, rounded once at the store, as SciPy's).
   * 'float32' sums a float32 result in float32 on the wasm backend (1.4–2.1× as fast for dense kernels, not
   * SciPy's rounding; the js backend still sums each 2-D slice in double); weights that SciPy drops (|w| ≤ 2⁻⁵²)
   * are always summed in double.
   */
  accumulate?: 'float64' | 'float32';
  backend?: 'wasm' | 'js';
}

function filterOp(op: string, flip: boolean, input: unknown, weights: unknown, opts: unknown): Float | NDArray {
  const o = options<NdimageOptions>(op, opts, ['mode', 'cval', 'origin', 'dtype', 'output', 'accumulate', 'backend']);
  const x = asTensor(op, 'input', input);
  const w = asTensor(op, 'weights', weights);
  const d = x.shape.length;
  if (w.shape.length !== d) {
    throw rangeError(op, `weights has rank ${w.shape.length} but input has rank ${d}; both must have the same rank`);
  }
  const mode = o.mode === undefined ? 'reflect' : o.mode;
  if (typeof mode !== 'string' || !Object.prototype.hasOwnProperty.call(NDIMAGE_MODES, mode)) {
    throw typeError(op, 'mode', "one of 'reflect', 'constant', 'nearest', 'mirror', 'wrap' (or 'grid-mirror', 'grid-constant', 'grid-wrap')", mode);
  }
  const cval = o.cval === undefined ? 0 : o.cval;
  if (typeof cval !== 'number') throw typeError(op, 'cval', 'a number', cval);
  const origin = origins(op, o.origin, w.shape);
  const accumulate = o.accumulate === undefined ? 'float64' : o.accumulate;
  if (accumulate !== 'float64' && accumulate !== 'float32') throw typeError(op, 'accumulate', "'float64' or 'float32'", accumulate);
  const out = outputOption(op, o.output, o.dtype, x.shape, "the input's shape");
  const dtype = resultDtype(op, out.dtype, x, w);
  const lo = w.shape.map((m, a) => (flip ? (m >> 1) + origin[a] - (m - 1) : -(m >> 1) - origin[a]));
  const geometry = { dtype, xShape: x.shape, hShape: w.shape, outShape: x.shape.slice(), lo, mode: NDIMAGE_MODES[mode as NdimageMode], cval, flip };
  const backend = planBackend(op, o.backend);
  if (out.array && hwcApplies(geometry, x.data, w.data, out.array)) {
    runHwcU8(op, backend, geometry, x.data as unknown as Uint8Array, w.data, out.array as Uint8Array, dtype);
    return wrap(out.array as Float, x.shape.slice(), x.nd || w.nd);
  }
  const xd = toFloat(x.data);
  const wd = toFloat(w.data);
  // SciPy sums in double and rounds once, at the store: double scratch and sums (float32 samples widen exactly on
  // the way in), narrowed by a kernel at the end. The kept-taps kernel runs when a weight is dropped (exact under NaN
  // and ±Infinity: src/nonfinite.ts, path 'taps'). 'float32' keeps the dense kernel's float32 sums when no weight is
  // dropped.
  const taps = keptTaps(wd, flip);
  const plan: DirectPlan = frozenPlan({
    ...geometry, taps, sum: accumulate === 'float32' && dtype === 'float32' && !taps ? 'float32' as const : 'float64' as const,
  });
  const P = frozenPlan({ op, backend, method: 'direct', nonFinite: NONFINITE[taps ? 'taps' : 'direct'], direct: plan });
  const data = runDirect(op, P.backend, P.direct, xd, wd, writable(out, xd, wd));
  return wrap(delivered(out, data), x.shape.slice(), x.nd || w.nd);
}

/**
 * The taps scipy.ndimage sums: NI_Correlate (scipy/ndimage/src/ni_filters.c) drops every weight with
 * |w| ≤ DBL_EPSILON (zeros, and NaN, which fails the comparison) before it sums, so a zero weight never meets a NaN
 * or ±Infinity sample. Returns the kept taps as flat indices into the kernel as applied (reversed for convolution),
 * in C order, or undefined when every tap is kept (then the dense kernel computes the same sum).
 */
function keptTaps(w: Float, flip: boolean): number[] | undefined {
  const n = w.length;
  const taps: number[] = [];
  for (let t = 0; t < n; t++) if (Math.abs(w[flip ? n - 1 - t : t]) > Number.EPSILON) taps.push(t);
  return taps.length === n ? undefined : taps;
}

/** One integer origin per axis, each inside scipy's range for that axis's weights length. */
function origins(op: string, origin: unknown, wShape: readonly number[]): number[] {
  const d = wShape.length;
  let list: unknown[];
  if (origin === undefined) {
    list = wShape.map(() => 0);
  } else if (typeof origin === 'number') {
    list = wShape.map(() => origin);
  } else if (Array.isArray(origin)) {
    if (origin.length !== d) {
      throw rangeError(op, `origin has ${origin.length} entries, expected ${d} (one per axis)`);
    }
    list = origin;
  } else {
    throw typeError(op, 'origin', 'a number or an array of numbers (one per axis)', origin);
  }
  return list.map((v, a) => {
    const name = typeof origin === 'number' ? 'origin' : `origin[${a}]`;
    if (typeof v !== 'number') throw typeError(op, name, 'a number', v);
    if (!Number.isInteger(v)) throw rangeError(op, `${name} must be an integer, got ${v}`);
    const m = wShape[a];
    const min = -(m >> 1);
    const max = (m - 1) >> 1;
    if (v < min || v > max) {
      throw rangeError(op, `${name} = ${v} on axis ${a} is outside [${min}, ${max}], the range allowed for weights of length ${m}`);
    }
    return v;
  });
}

/**
 * Multidimensional correlation, as scipy.ndimage.correlate: output shape = input shape, edges by `mode`.
 * @example ndimage.correlate([1, 2, 3, 4], [1, 1, 1]) // Float64Array [4, 6, 9, 11]  (mode 'reflect')
 * @example // a canvas image blurred into itself, per channel (weights [3, 3, 1]):
 * ndimage.correlate({ data: imageData.data, shape: [imageData.height, imageData.width, 4] }, gauss3x3x1, { output: imageData.data })
 */
export function correlate<A extends Input, B extends Input, O extends NdimageOptions = {}>(input: A, weights: B, opts?: Exact<O, NdimageOptions>): Result<A, B, O>;
export function correlate(input: Input, weights: Input, opts?: NdimageOptions): Float | NDArray;
export function correlate(input: Input, weights: Input, opts?: NdimageOptions): Float | NDArray {
  return filter('ndimage.correlate', false, input, weights, opts);
}

/**
 * Multidimensional convolution, as scipy.ndimage.convolve (weights reversed on every axis).
 * @example ndimage.convolve([1, 2, 3, 4], [1, 0, -1], { mode: 'nearest' }) // Float64Array [1, 2, 2, 1]
 */
export function convolve<A extends Input, B extends Input, O extends NdimageOptions = {}>(input: A, weights: B, opts?: Exact<O, NdimageOptions>): Result<A, B, O>;
export function convolve(input: Input, weights: Input, opts?: NdimageOptions): Float | NDArray;
export function convolve(input: Input, weights: Input, opts?: NdimageOptions): Float | NDArray {
  return filter('ndimage.convolve', true, input, weights, opts);
}

