// scipy.signal semantics (1.10): convolve, correlate, correlationLags, chooseConvMethod.
//   full  out[k] = Σ_j in1[k + j − (N−1)] · in2[j]           k = 0 … M+N−2   (zero outside in1)
//   same  the full output from k = ⌊(N−1)/2⌋, M long           (centred on in1)
//   valid the full output from k = min(M,N)−1, |M−N|+1 long    (one input inside the other)
// per axis, for correlate; convolve is the same with in2 reversed on every axis.
import { product, wrap, type DType, type Float, type Input, type NDArray, type Tensor, type Numeric } from './arrays';
import { fullSlicePlan, runDirect, runDirectOverlap, type DirectPlan } from './direct';
import { integer, oneOf, rangeError, typeError } from './errors';
import { isComplex, type Complex, type ComplexArray } from './complex';
import { complexChooseMethod, complexSignalOp } from './complexops';
import { autoMethod } from './auto';
import { runFft } from './fft';
import { nonFiniteRule, scanNonFinite } from './nonfinite';
import { covers, frozenPlan, MODES, modeRanges, toFloat, twoInputs, type Mode } from './plan';
import { planBackend, type Backend } from './workspace';
import type { Exact, Result } from './types';
import { delivered, outputOption, writable } from './output';
import { withWarmUp } from './backend';

// init() runs a small direct correlation per float type ahead, so the first real one pays no lazy compile (backend.ts
// `withWarmUp`).
const signal = /* @__PURE__ */ withWarmUp(signalOp, () => {
  for (const T of [Float32Array, Float64Array]) correlate(new T(256), new T(15), { mode: 'full', method: 'direct' });
});

export type { Mode } from './plan';
export type Method = 'auto' | 'direct' | 'fft';
const METHODS = ['auto', 'direct', 'fft'] as const;

export interface SignalOptions {
  mode?: Mode;
  method?: Method;
  dtype?: DType;
  backend?: 'wasm' | 'js';
}

/** correlate's and convolve's options: SciPy's, and an `output` array or dtype (convcorr's addition, as ndimage's). */
export interface CorrelateOptions extends SignalOptions {
  /**
   * An array the size of the result that receives it (a Float32Array or Float64Array, or an NDArray of the result's
   * shape; its type sets the dtype), or a dtype: the result's data is then that very array, not a fresh one. An
   * integer array receives the float64 result rounded half to even and saturated to its range; NaN stores 0.
   * For a complex result, a `Complex` whose parts have the result's size.
   */
  output?: Numeric | NDArray<Numeric> | DType | ComplexArray;
}

// 'auto': direct for tiny problems, else the cheaper method by an operation-count model measured on this engine
// (src/auto.ts). Inputs holding NaN or ±Infinity always run direct (an FFT would smear them over the whole output):
// the plan's non-finite rule is 'fft-auto' (src/nonfinite.ts), so runFft checks the staged inputs and steps aside.
function pickMethod(method: Method, plan: DirectPlan, backend: Backend): 'direct' | 'fft' {
  if (method !== 'auto') return method;
  return autoMethod(plan, backend);
}

/**
 * The plan of a scipy.signal op. SciPy's direct method swaps the inputs where in2 is the larger — in 'valid' when
 * in1 is not at least as large on every axis, in 'full' when in2 has more elements — and reverses a correlation's
 * result (correlate(in1, in2) is correlate(in2, in1) reversed on every axis; convolution commutes). The smaller
 * array then slides over the larger, which costs |out|·|smaller| multiply-adds, never reads padding in 'valid', and
 * decides where NaN and ±Infinity spread (padding zeros meet only the sliding array). 'same' never swaps.
 */
function signalPlan(t1: Tensor, t2: Tensor, mode: Mode, flip: boolean, dtype: DType, outShape: number[], start: number[]) {
  const swap = mode === 'valid' ? !covers(t1.shape, t2.shape) : mode === 'full' && product(t2.shape) > product(t1.shape);
  const [a, b] = swap ? [t2, t1] : [t1, t2];
  // The slices of 'full' (from 0) and 'valid' (from min − 1 per axis) start at the same place after the swap.
  const plan = fullSlicePlan(dtype, a.shape, b.shape, outShape, start, flip);
  return { plan, x: toFloat(a.data), h: toFloat(b.data), reverse: swap && !flip };
}

function signalOp(op: string, flip: boolean, in1: unknown, in2: unknown, opts: unknown): Float | NDArray {
  const { o, t1, t2, dtype: rule } = twoInputs(op, in1, in2, opts, ['mode', 'method', 'dtype', 'backend', 'output']);
  const mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const method = oneOf(op, 'method', o.method, METHODS, 'auto');
  const { outShape, start } = modeRanges(op, t1.shape, t2.shape, mode);
  const out = outputOption(op, (o as CorrelateOptions).output, o.dtype, outShape, `the result's shape for mode '${mode}'`);
  const dtype = out.dtype ?? rule;
  const { plan, x, h, reverse } = signalPlan(t1, t2, mode, flip, dtype, outShape, start);
  // 1-D inputs take NumPy's direct path in SciPy (full and valid, and 'same' unless in2 is the longer).
  const numpyPath = t1.shape.length === 1 && (mode !== 'same' || t1.shape[0] >= t2.shape[0]);
  const into = writable(out, x, h);
  const backend = planBackend(op, o.backend);
  const m = pickMethod(method, plan, backend);
  const P = frozenPlan({ op, backend, method: m, nonFinite: nonFiniteRule(m, method === 'auto', numpyPath), direct: plan, reverse });
  const direct = (op: string, be: Backend, p: DirectPlan, a: Float, b: Float) =>
    (numpyPath ? runDirectOverlap : runDirect)(op, be, p, a, b, into);
  const data = P.method === 'fft'
    ? runFft(op, P.backend, P.direct, x, h, P.nonFinite.onNonFinite === 'step-aside', direct, into)
    : direct(op, P.backend, P.direct, x, h);
  if (P.reverse) data.reverse();
  return wrap(delivered(out, data), outShape, t1.nd || t2.nd);
}

/**
 * Cross-correlation of two N-D arrays (no flip), as scipy.signal.correlate.
 * @example correlate([2, 1, 3, 5, 4], [1, -1], { mode: 'valid' }) // Float64Array [1, -2, -2, 1]
 */
export function correlate<A extends Input, B extends Input, O extends CorrelateOptions = {}>(in1: A, in2: B, opts?: Exact<O, CorrelateOptions>): Result<A, B, O>;
export function correlate(in1: Input, in2: Input, opts?: CorrelateOptions): Float | NDArray;
export function correlate(in1: Complex | Input, in2: Complex | Input, opts?: CorrelateOptions): ComplexArray;
export function correlate(in1: Complex | Input, in2: Complex | Input, opts?: CorrelateOptions): Float | NDArray | ComplexArray {
  if (isComplex(in1) || isComplex(in2)) return complexSignalOp('correlate', false, in1, in2, opts);
  return signal('correlate', false, in1, in2, opts);
}

/**
 * Convolution of two N-D arrays (in2 flipped on every axis), as scipy.signal.convolve.
 * @example convolve([2, 1, 3, 5, 4], [1, -1], { mode: 'valid' }) // Float64Array [-1, 2, 2, -1]
 */
export function convolve<A extends Input, B extends Input, O extends CorrelateOptions = {}>(in1: A, in2: B, opts?: Exact<O, CorrelateOptions>): Result<A, B, O>;
export function convolve(in1: Input, in2: Input, opts?: CorrelateOptions): Float | NDArray;
export function convolve(in1: Complex | Input, in2: Complex | Input, opts?: CorrelateOptions): ComplexArray;
export function convolve(in1: Complex | Input, in2: Complex | Input, opts?: CorrelateOptions): Float | NDArray | ComplexArray {
  if (isComplex(in1) || isComplex(in2)) return complexSignalOp('convolve', true, in1, in2, opts);
  return signal('convolve', true, in1, in2, opts);
}

/**
 * The lag of each output of correlate(in1, in2, mode) for 1-D inputs of these lengths (scipy.signal.correlation_lags,
 * 1.10, 'same' quirk included): output k of 'full' is Σ_n in1[n + lag] · in2[n] with lag = k − (in2Len − 1).
 * O(output): only the lags returned are computed. Lengths whose lags do not fit an Int32Array are refused.
 * @example correlationLags(4, 2, 'full') // Int32Array [-1, 0, 1, 2, 3]
 */
export function correlationLags(in1Len: number, in2Len: number, mode: Mode = 'full'): Int32Array {
  const op = 'correlationLags';
  integer(op, 'in1Len', in1Len, 1);
  integer(op, 'in2Len', in2Len, 1);
  const m = oneOf(op, 'mode', mode, MODES, 'full');
  // SciPy: arange(-in2Len + 1, in1Len) for 'full'; 'same' slices it at mid − ⌊in1Len/2⌋ (mid = ⌊size/2⌋) for in1Len
  // entries (even) or in1Len entries (odd, the slice end is one past); 'valid' is arange(bound + 1) or arange(bound, 1).
  let first: number;
  let count: number;
  if (m === 'full') {
    first = 1 - in2Len;
    count = in1Len + in2Len - 1;
  } else if (m === 'same') {
    const mid = Math.floor((in1Len + in2Len - 1) / 2);
    first = 1 - in2Len + mid - Math.floor(in1Len / 2);
    count = in1Len;
  } else {
    const bound = in1Len - in2Len;
    first = Math.min(0, bound);
    count = Math.abs(bound) + 1;
  }
  const last = first + count - 1;
  if (last > 0x7fffffff) {
    throw rangeError(op, `in1Len = ${in1Len} gives lags up to ${last}, more than an Int32Array holds (2³¹ − 1)`);
  }
  if (first < -0x80000000) {
    throw rangeError(op, `in2Len = ${in2Len} gives lags down to ${first}, less than an Int32Array holds (−2³¹)`);
  }
  let lags: Int32Array;
  try {
    lags = new Int32Array(count);
  } catch {
    throw rangeError(op, `the ${count} lags of in1Len = ${in1Len}, in2Len = ${in2Len} ('${m}') need more memory than is available`);
  }
  for (let i = 0; i < count; i++) lags[i] = first + i;
  return lags;
}

/** chooseConvMethod's options: SciPy's `mode` and `measure`, and convcorr's `dtype` and `backend`. */
export interface ChooseOptions extends Omit<SignalOptions, 'method'> {
  /** Time both methods on these inputs (as SciPy's `measure=True`) instead of asking the cost model. */
  measure?: boolean;
}

/** What `chooseConvMethod(…, { measure: true })` returns: the faster method and the seconds per call of each. */
export interface MeasuredChoice {
  method: 'direct' | 'fft';
  times: { direct: number; fft: number };
}

/** The plan method 'auto' decides on for correlate(in1, in2, { mode, dtype }) (the cost model's input). */
export function autoPlan(in1: Input, in2: Input, opts?: SignalOptions): DirectPlan {
  const op = 'chooseConvMethod';
  const { o, t1, t2, dtype } = twoInputs(op, in1, in2, opts, ['mode', 'dtype', 'backend', 'method']);
  const mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const { outShape, start } = modeRanges(op, t1.shape, t2.shape, mode);
  return signalPlan(t1, t2, mode, false, dtype, outShape, start).plan;
}

/**
 * Seconds per call of fn, as SciPy's `_timeit_fast`: calls per batch grow tenfold until a batch takes ≥ 0.5 ms; a
 * batch over 1 s is the answer, else the best of 3 batches of ten times that count.
 */
function timeitFast(fn: () => unknown): number {
  const batch = (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return (performance.now() - t0) / 1e3;
  };
  let number = 1;
  let x = 0;
  for (let p = 0; p < 10; p++) {
    number = 10 ** p;
    x = batch(number);
    if (x >= 5e-4) break;
  }
  if (x > 1) return x / number;
  number *= 10;
  return Math.min(batch(number), batch(number), batch(number)) / number;
}

/**
 * What method 'auto' picks for these inputs (and `mode`, `dtype`, `backend`), as scipy.signal.choose_conv_method:
 * 'direct' for tiny problems and for inputs holding NaN or ±Infinity, else the cheaper by a cost model whose
 * constants are measured per build and committed (the same answer in every process). With `measure: true` both
 * methods are timed on these inputs (SciPy's `measure=True`) and `{ method, times }` is returned, times in seconds
 * per call.
 * @example chooseConvMethod(new Float32Array(100000), new Float32Array(4000)) // 'fft'
 * chooseConvMethod(new Float32Array(100000), new Float32Array(4000), { measure: true }) // { method: 'fft', times: { direct: …, fft: … } } (s per call)
 */
export function chooseConvMethod(in1: Input | Complex, in2: Input | Complex, opts?: ChooseOptions & { measure?: false }): 'direct' | 'fft';
export function chooseConvMethod(in1: Input | Complex, in2: Input | Complex, opts: ChooseOptions & { measure: true }): MeasuredChoice;
export function chooseConvMethod(in1: Input | Complex, in2: Input | Complex, opts?: ChooseOptions): 'direct' | 'fft' | MeasuredChoice;
export function chooseConvMethod(in1: Input | Complex, in2: Input | Complex, opts?: ChooseOptions): 'direct' | 'fft' | MeasuredChoice {
  const op = 'chooseConvMethod';
  if (isComplex(in1) || isComplex(in2)) return complexChooseMethod(op, in1, in2, opts);
  const { o, t1, t2, dtype } = twoInputs(op, in1, in2, opts, ['mode', 'dtype', 'backend', 'measure']);
  const mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const measure = (o as ChooseOptions).measure;
  if (measure !== undefined && typeof measure !== 'boolean') throw typeError(op, 'measure', 'a boolean', measure);
  const { outShape, start } = modeRanges(op, t1.shape, t2.shape, mode);
  const { plan } = signalPlan(t1, t2, mode, false, dtype, outShape, start);
  if (measure) {
    const run = (method: 'direct' | 'fft') => () => signalOp(op, false, in1, in2, { mode, dtype, backend: o.backend, method });
    const times = { direct: timeitFast(run('direct')), fft: timeitFast(run('fft')) };
    return { method: times.fft < times.direct ? 'fft' : 'direct', times };
  }
  const backend = planBackend(op, o.backend);
  if (pickMethod('auto', plan, backend) === 'direct') return 'direct';
  // The FFT steps aside to direct on NaN or ±Infinity (src/nonfinite.ts, 'fft-auto').
  return scanNonFinite(op, backend, t1.data, t2.data) ? 'direct' : 'fft';
}

