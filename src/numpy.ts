// NumPy compatibility (numpy 1.24): 1-D numpy.convolve and numpy.correlate, with NumPy's defaults, its 'same'
// length max(M, N), and its swap when v is longer than a. In full-output coordinates (see src/signal.ts):
//   convolve   same: from ⌊(min−1)/2⌋, max(M,N) long (convolution is commutative, so the swap changes nothing)
//   correlate  same: from ⌊(N−1)/2⌋ when M ≥ N; NumPy correlates v with a and reverses when M < N, which
//              moves the start to ⌈(M−1)/2⌉
//   valid: from min(M,N)−1, |M−N|+1 long, for both.
import { asTensor, resultDtype, wrap, type DType, type Float, type Input, type NDArray } from './arrays';
import { fullSlicePlan, runDirect } from './direct';
import { oneOf, options, rangeError } from './errors';
import { MODES, toFloat, type Mode } from './signal';

export interface NumpyOptions {
  mode?: Mode;
  dtype?: DType;
  backend?: 'wasm' | 'js';
}

function npOp(op: string, flip: boolean, dfltMode: Mode, a: unknown, v: unknown, opts: unknown): Float | NDArray {
  const o = options<NumpyOptions>(op, opts);
  const ta = asTensor(op, 'a', a);
  const tv = asTensor(op, 'v', v);
  for (const [name, t] of [['a', ta], ['v', tv]] as const) {
    if (t.shape.length !== 1) throw rangeError(op, `${name} must be 1-D, got shape [${t.shape.join(', ')}]`);
  }
  const mode = oneOf(op, 'mode', o.mode, MODES, dfltMode);
  const dtype = resultDtype(op, o.dtype, ta, tv);
  const M = ta.shape[0];
  const N = tv.shape[0];
  const lo = Math.min(M, N);
  let len: number;
  let start: number;
  if (mode === 'full') {
    len = M + N - 1;
    start = 0;
  } else if (mode === 'valid') {
    len = Math.abs(M - N) + 1;
    start = lo - 1;
  } else {
    len = Math.max(M, N);
    start = flip || M >= N ? Math.floor((lo - 1) / 2) : Math.ceil((M - 1) / 2);
  }
  const plan = fullSlicePlan(dtype, [M], [N], [len], [start], flip);
  const data = runDirect(op, o.backend, plan, toFloat(ta.data), toFloat(tv.data));
  return wrap(data, [len], ta.nd || tv.nd);
}

/**
 * numpy.convolve(a, v, mode='full'): 1-D discrete linear convolution.
 * @example numpy.convolve([1, 2, 3], [0, 1, 0.5]) // Float64Array [0, 1, 2.5, 4, 1.5]
 */
export function convolve(a: Float | number[], v: Float | number[], opts?: NumpyOptions): Float;
export function convolve(a: NDArray, v: NDArray, opts?: NumpyOptions): NDArray;
export function convolve(a: Input, v: Input, opts?: NumpyOptions): Float | NDArray;
export function convolve(a: Input, v: Input, opts?: NumpyOptions): Float | NDArray {
  return npOp('numpy.convolve', true, 'full', a, v, opts);
}

/**
 * numpy.correlate(a, v, mode='valid'): c[k] = Σ_n a[n + k] · v[n].
 * @example numpy.correlate([1, 2, 3], [0, 1, 0.5]) // Float64Array [3.5]
 */
export function correlate(a: Float | number[], v: Float | number[], opts?: NumpyOptions): Float;
export function correlate(a: NDArray, v: NDArray, opts?: NumpyOptions): NDArray;
export function correlate(a: Input, v: Input, opts?: NumpyOptions): Float | NDArray;
export function correlate(a: Input, v: Input, opts?: NumpyOptions): Float | NDArray {
  return npOp('numpy.correlate', false, 'valid', a, v, opts);
}
