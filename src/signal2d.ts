// scipy.signal.convolve2d / correlate2d (1.10): rank-2 inputs with a boundary extension of in1.
//   full  out[k] = Σ_j ext(in1)[k + j − (M−1)] · in2[j]        k = 0 … N+M−2        (per axis, correlate2d)
//   same  the full output from k = ⌊M/2⌋ (correlate2d) or ⌊(M−1)/2⌋ (convolve2d), N long
//   valid the full output from k = min(N,M)−1, |N−M|+1 long; the boundary is never read (the inputs swap if in2 is larger)
// ext() is periodic on every side, also when in2 is larger than in1: fill = fillvalue, wrap = x[k mod N],
// symm = half-sample symmetric (period 2N). convolve2d is the same with in2 reversed on both axes.
import type { Exact, NDResult } from './types';
import { asTensor, resultDtype, type DType, type NDArray, type Numeric } from './arrays';
import { isComplex, type Complex, type ComplexArray } from './complex';
import { complexSignal2dOp } from './complexops';
import { fullSlicePlan, runDirect } from './direct';
import { oneOf, options, rangeError, typeError } from './errors';
import { SIGNAL_BOUNDARIES } from './boundary';
import { NONFINITE } from './nonfinite';
import { covers, frozenPlan, MODES, modeRanges, toFloat, type Mode } from './plan';
import { planBackend } from './workspace';

export type Boundary = 'fill' | 'wrap' | 'symm';

export interface Signal2dOptions {
  mode?: Mode;
  /** How in1 is extended beyond its edges in 'full' and 'same' (default 'fill'). */
  boundary?: Boundary;
  /** The value of the 'fill' boundary (default 0). */
  fillvalue?: number;
  dtype?: DType;
  backend?: 'wasm' | 'js';
}

/**
 * The plan shared by the real and complex 2-D ops, after their own input and dtype checks: mode, boundary and
 * fillvalue checked, and SciPy's swap in 'valid' when in2 is the larger (the smaller then slides over the larger, no
 * padding is read, and a correlation's result is reversed; see signalPlan in src/signal.ts). `a` and `b` are the
 * inputs in the order the plan reads them.
 */
export function signal2dPlan<T extends { shape: number[] }>(op: string, flip: boolean, o: Signal2dOptions, t1: T, t2: T, dtype: DType) {
  for (const [name, t] of [['in1', t1], ['in2', t2]] as const) {
    if (t.shape.length !== 2) throw rangeError(op, `${name} must be 2-D, got shape [${t.shape.join(', ')}]`);
  }
  const mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const boundary = o.boundary === undefined ? 'fill' : o.boundary;
  if (typeof boundary !== 'string' || !Object.prototype.hasOwnProperty.call(SIGNAL_BOUNDARIES, boundary)) {
    throw typeError(op, 'boundary', "one of 'fill', 'wrap', 'symm'", boundary);
  }
  const fillvalue = o.fillvalue === undefined ? 0 : o.fillvalue;
  if (typeof fillvalue !== 'number') throw typeError(op, 'fillvalue', 'a number', fillvalue);
  const { outShape, start } = modeRanges(op, t1.shape, t2.shape, mode);
  // correlate2d centres 'same' one index later than correlate for even kernel lengths (scipy's own choice).
  const from = mode === 'same' && !flip ? t2.shape.map((m) => m >> 1) : start;
  const valid = mode === 'valid';
  const swap = valid && !covers(t1.shape, t2.shape);
  const [a, b] = swap ? [t2, t1] : [t1, t2];
  const plan = fullSlicePlan(dtype, a.shape, b.shape, outShape, from, flip, valid ? 'constant' : SIGNAL_BOUNDARIES[boundary], valid ? 0 : fillvalue);
  return { plan, swap, a, b, outShape };
}

function signal2dOp(op: string, flip: boolean, in1: unknown, in2: unknown, opts: unknown): NDArray {
  const o = options<Signal2dOptions>(op, opts, ['mode', 'boundary', 'fillvalue', 'dtype', 'backend']);
  const t1 = asTensor(op, 'in1', in1);
  const t2 = asTensor(op, 'in2', in2);
  const { plan, swap, a, b, outShape } = signal2dPlan(op, flip, o, t1, t2, resultDtype(op, o.dtype, t1, t2));
  const P = frozenPlan({ op, backend: planBackend(op, o.backend), method: 'direct', nonFinite: NONFINITE.direct, direct: plan, reverse: swap && !flip });
  const data = runDirect(op, P.backend, P.direct, toFloat(a.data), toFloat(b.data));
  if (P.reverse) data.reverse();
  return { data, shape: outShape };
}

/**
 * 2-D convolution with a boundary extension, as scipy.signal.convolve2d. Both inputs are rank-2 NDArrays.
 * @example
 * const img = { data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), shape: [3, 3] };
 * const k = { data: new Float32Array([0, 1, 0, 1, -4, 1, 0, 1, 0]), shape: [3, 3] };
 * convolve2d(img, k, { mode: 'same', boundary: 'symm' }).data // Float32Array [4, 3, 2, 1, 0, -1, -2, -3, -4]
 */
export function convolve2d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends Signal2dOptions = {}>(in1: A, in2: B, opts?: Exact<O, Signal2dOptions>): NDResult<A, B, O>;
export function convolve2d(in1: NDArray<Numeric>, in2: NDArray<Numeric>, opts?: Signal2dOptions): NDArray;
export function convolve2d(in1: NDArray<Numeric> | Complex, in2: NDArray<Numeric> | Complex, opts?: Signal2dOptions): ComplexArray;
export function convolve2d(in1: NDArray<Numeric> | Complex, in2: NDArray<Numeric> | Complex, opts?: Signal2dOptions): NDArray<Numeric> | ComplexArray {
  if (isComplex(in1) || isComplex(in2)) return complexSignal2dOp('convolve2d', true, in1, in2, opts);
  return signal2dOp('convolve2d', true, in1, in2, opts);
}

/**
 * 2-D cross-correlation with a boundary extension, as scipy.signal.correlate2d (in2 is not flipped).
 * @example
 * const img = { data: new Float64Array([1, 2, 3, 4]), shape: [2, 2] };
 * correlate2d(img, { data: new Float64Array([1, 1]), shape: [1, 2] }, { mode: 'same', boundary: 'wrap' }).data
 * // Float64Array [3, 3, 7, 7]
 */
export function correlate2d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends Signal2dOptions = {}>(in1: A, in2: B, opts?: Exact<O, Signal2dOptions>): NDResult<A, B, O>;
export function correlate2d(in1: NDArray<Numeric>, in2: NDArray<Numeric>, opts?: Signal2dOptions): NDArray;
export function correlate2d(in1: NDArray<Numeric> | Complex, in2: NDArray<Numeric> | Complex, opts?: Signal2dOptions): ComplexArray;
export function correlate2d(in1: NDArray<Numeric> | Complex, in2: NDArray<Numeric> | Complex, opts?: Signal2dOptions): NDArray<Numeric> | ComplexArray {
  if (isComplex(in1) || isComplex(in2)) return complexSignal2dOp('correlate2d', false, in1, in2, opts);
  return signal2dOp('correlate2d', false, in1, in2, opts);
}
