// NumPy compatibility (numpy 1.24): 1-D numpy.convolve and numpy.correlate, with NumPy's defaults, its 'same'
// length max(M, N), and its swap when v is longer than a. With M ≥ N the lengths after the swap, in full-output
// coordinates (see src/signal.ts): full from 0, M+N−1 long; same from ⌊(N−1)/2⌋, M long; valid from N−1, M−N+1
// long. When v was the longer, convolve is unchanged (it commutes) and correlate is reversed, as NumPy does.
import type { Exact, Result } from './types';
import { asTensor, resultDtype, wrap, type DType, type Float, type Input, type NDArray } from './arrays';
import { isComplex, type Complex, type ComplexArray } from './complex';
import { complexNumpyOp } from './complexops';
import { fullSlicePlan, runDirectOverlap } from './direct';
import { oneOf, options, rangeError } from './errors';
import { NONFINITE } from './nonfinite';
import { frozenPlan, MODES, toFloat, type Mode } from './plan';
import { planBackend } from './workspace';

export interface NumpyOptions {
  mode?: Mode;
  dtype?: DType;
  backend?: 'wasm' | 'js';
}

function npOp(op: string, flip: boolean, dfltMode: Mode, a: unknown, v: unknown, opts: unknown): Float | NDArray {
  const o = options<NumpyOptions>(op, opts, ['mode', 'dtype', 'backend']);
  const ta = asTensor(op, 'a', a);
  const tv = asTensor(op, 'v', v);
  for (const [name, t] of [['a', ta], ['v', tv]] as const) {
    if (t.shape.length !== 1) throw rangeError(op, `${name} must be 1-D, got shape [${t.shape.join(', ')}]`);
  }
  const mode = oneOf(op, 'mode', o.mode, MODES, dfltMode);
  const dtype = resultDtype(op, o.dtype, ta, tv);
  // NumPy slides the shorter array over the longer: when v is longer it computes convolve(v, a) (the same thing)
  // or correlate(v, a) reversed, and it sums only overlapping products (runDirectOverlap).
  const swap = tv.shape[0] > ta.shape[0];
  const [long, short] = swap ? [tv, ta] : [ta, tv];
  const M = long.shape[0];
  const N = short.shape[0];
  let len: number;
  let start: number;
  if (mode === 'full') {
    len = M + N - 1;
    start = 0;
  } else if (mode === 'valid') {
    len = M - N + 1;
    start = N - 1;
  } else {
    len = M;
    start = Math.floor((N - 1) / 2);
  }
  const P = frozenPlan({
    op, backend: planBackend(op, o.backend), method: 'direct', nonFinite: NONFINITE.numpy, direct: fullSlicePlan(dtype, [M], [N], [len], [start], flip),
    reverse: swap && !flip,
  });
  const data = runDirectOverlap(op, P.backend, P.direct, toFloat(long.data), toFloat(short.data));
  if (P.reverse) data.reverse();
  return wrap(data, [len], ta.nd || tv.nd);
}

/**
 * numpy.convolve(a, v, mode='full'): 1-D discrete linear convolution.
 * @example numpy.convolve([1, 2, 3], [0, 1, 0.5]) // Float64Array [0, 1, 2.5, 4, 1.5]
 */
export function convolve<A extends Input, B extends Input, O extends NumpyOptions = {}>(a: A, v: B, opts?: Exact<O, NumpyOptions>): Result<A, B, O>;
export function convolve(a: Input, v: Input, opts?: NumpyOptions): Float | NDArray;
export function convolve(a: Complex | Input, v: Complex | Input, opts?: NumpyOptions): ComplexArray;
export function convolve(a: Complex | Input, v: Complex | Input, opts?: NumpyOptions): Float | NDArray | ComplexArray {
  if (isComplex(a) || isComplex(v)) return complexNumpyOp('numpy.convolve', true, 'full', a, v, opts);
  return npOp('numpy.convolve', true, 'full', a, v, opts);
}

/**
 * numpy.correlate(a, v, mode='valid'): c[k] = Σ_n a[n + k] · v[n].
 * @example numpy.correlate([1, 2, 3], [0, 1, 0.5]) // Float64Array [3.5]
 */
export function correlate<A extends Input, B extends Input, O extends NumpyOptions = {}>(a: A, v: B, opts?: Exact<O, NumpyOptions>): Result<A, B, O>;
export function correlate(a: Input, v: Input, opts?: NumpyOptions): Float | NDArray;
export function correlate(a: Complex | Input, v: Complex | Input, opts?: NumpyOptions): ComplexArray;
export function correlate(a: Complex | Input, v: Complex | Input, opts?: NumpyOptions): Float | NDArray | ComplexArray {
  if (isComplex(a) || isComplex(v)) return complexNumpyOp('numpy.correlate', false, 'valid', a, v, opts);
  return npOp('numpy.correlate', false, 'valid', a, v, opts);
}
