// scipy.signal.fftconvolve and oaconvolve (1.10): N-D convolution through the FFT over `axes` (default: all).
// Axes of size 1 in either input are not transformed; every axis that is not transformed must have equal sizes or
// size 1 in one input (broadcasting). Per transformed axis the modes are those of convolve (src/signal.ts):
//   full [0, s1+s2−1),  same [⌊(s2−1)/2⌋, +s1),  valid [min−1, +|s1−s2|+1)  (the 'valid' size rule only over axes);
// per broadcast axis of size B = max(s1, s2): full and valid keep all B, same keeps s1 centred (start ⌊(B−s1)/2⌋).
import type { Exact, Result } from './types';
import { wrap, type Float, type Input, type NDArray } from './arrays';
import { isComplex, type Complex, type ComplexArray } from './complex';
import { complexFftOp } from './complexops';
import { oneOf, rangeError, typeError } from './errors';
import { runFftProblem } from './fft';
import { NONFINITE } from './nonfinite';
import { frozenPlan, MODES, toFloat, twoInputs, type Mode } from './plan';
import { planBackend } from './workspace';
import type { SignalOptions } from './signal';

export interface FftConvOptions extends Omit<SignalOptions, 'method'> {
  /** Axes to convolve over (negative counts from the end); default all. */
  axes?: number | number[];
}

function fftOp(op: string, oa: boolean, in1: unknown, in2: unknown, opts: unknown): Float | NDArray {
  const { o, t1, t2, dtype } = twoInputs(op, in1, in2, opts, ['mode', 'axes', 'dtype', 'backend']);
  const mode: Mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const { axes, start, outShape } = fftWindow(op, mode, t1.shape, t2.shape, (o as FftConvOptions).axes);
  const P = frozenPlan({
    op, backend: planBackend(op, o.backend), method: 'fft' as const, nonFinite: NONFINITE.fft, tiling: oa ? 'oa' as const : 'none' as const,
  });
  const data = runFftProblem(op, P.backend, {
    dtype, x1: toFloat(t1.data), s1: t1.shape, x2: toFloat(t2.data), s2: t2.shape, reverse2: false, axes, start, outShape,
    tiling: P.tiling,
  });
  return wrap(data, outShape, t1.nd || t2.nd);
}

/** The transformed axes (ascending; size-1 axes broadcast) and the output window of fftconvolve, as scipy. */
export function fftWindow(op: string, mode: Mode, s1: number[], s2: number[], rawAxes: unknown): { axes: number[]; start: number[]; outShape: number[] } {
  const d = s1.length;
  let axes: number[];
  if (rawAxes === undefined || rawAxes === null) {
    axes = [...Array(d).keys()];
  } else {
    const list = typeof rawAxes === 'number' ? [rawAxes] : rawAxes;
    if (!Array.isArray(list)) throw typeError(op, 'axes', 'an integer or an array of integers', rawAxes);
    if (list.length === 0) throw rangeError(op, 'axes, when given, cannot be empty');
    axes = list.map((a, i) => {
      if (typeof a !== 'number' || !Number.isInteger(a)) throw typeError(op, `axes[${i}]`, 'an integer', a);
      if (a < -d || a >= d) throw rangeError(op, `axes[${i}] = ${a} is out of range for arrays of rank ${d}`);
      return a < 0 ? a + d : a;
    });
    if (new Set(axes).size !== axes.length) throw rangeError(op, `axes [${list.join(', ')}] has repeated entries`);
  }
  // As scipy: axes where either input has size 1 are broadcast, not transformed.
  axes = axes.filter((a) => s1[a] !== 1 && s2[a] !== 1).sort((a, b) => a - b);
  for (let a = 0; a < d; a++) {
    if (!axes.includes(a) && s1[a] !== s2[a] && s1[a] !== 1 && s2[a] !== 1) {
      throw rangeError(op, `in1 shape [${s1.join(', ')}] and in2 shape [${s2.join(', ')}] are incompatible: axis ${a} is not convolved, so its sizes must be equal or 1`);
    }
  }
  if (mode === 'valid') {
    const ok1 = axes.every((a) => s1[a] >= s2[a]);
    const ok2 = axes.every((a) => s2[a] >= s1[a]);
    if (!ok1 && !ok2) {
      throw rangeError(op, `mode 'valid' needs one input at least as large as the other on every convolved axis, got in1 shape [${s1.join(', ')}] and in2 shape [${s2.join(', ')}]`);
    }
  }
  const start: number[] = [];
  const outShape: number[] = [];
  for (let a = 0; a < d; a++) {
    const m = s1[a];
    const n = s2[a];
    if (axes.includes(a)) {
      if (mode === 'full') { start.push(0); outShape.push(m + n - 1); }
      else if (mode === 'same') { start.push(Math.floor((n - 1) / 2)); outShape.push(m); }
      else { start.push(Math.min(m, n) - 1); outShape.push(Math.abs(m - n) + 1); }
    } else {
      const B = Math.max(m, n);
      if (mode === 'same') { start.push(Math.floor((B - m) / 2)); outShape.push(m); }
      else { start.push(0); outShape.push(B); }
    }
  }
  return { axes, start, outShape };
}

/**
 * Convolution through the FFT, as scipy.signal.fftconvolve: `mode` 'full' | 'same' | 'valid', optional `axes`.
 * @example fftconvolve([1, 2, 3], [0, 1, 0.5]) // Float64Array [0, 1, 2.5, 4, 1.5] (within rounding)
 */
export function fftconvolve<A extends Input, B extends Input, O extends FftConvOptions = {}>(in1: A, in2: B, opts?: Exact<O, FftConvOptions>): Result<A, B, O>;
export function fftconvolve(in1: Input, in2: Input, opts?: FftConvOptions): Float | NDArray;
export function fftconvolve(in1: Complex | Input, in2: Complex | Input, opts?: FftConvOptions): ComplexArray;
export function fftconvolve(in1: Complex | Input, in2: Complex | Input, opts?: FftConvOptions): Float | NDArray | ComplexArray {
  if (isComplex(in1) || isComplex(in2)) return complexFftOp('fftconvolve', in1, in2, opts);
  return fftOp('fftconvolve', false, in1, in2, opts);
}

/**
 * Convolution by overlap-add, as scipy.signal.oaconvolve: in1 is cut into blocks whose FFT length follows from the
 * size of in2 (scipy's rule); results equal fftconvolve's within rounding, faster when in2 is much smaller.
 * @example oaconvolve(new Float32Array(100000).fill(1), new Float32Array(64).fill(1 / 64), { mode: 'valid' })
 */
export function oaconvolve<A extends Input, B extends Input, O extends FftConvOptions = {}>(in1: A, in2: B, opts?: Exact<O, FftConvOptions>): Result<A, B, O>;
export function oaconvolve(in1: Input, in2: Input, opts?: FftConvOptions): Float | NDArray;
export function oaconvolve(in1: Complex | Input, in2: Complex | Input, opts?: FftConvOptions): ComplexArray;
export function oaconvolve(in1: Complex | Input, in2: Complex | Input, opts?: FftConvOptions): Float | NDArray | ComplexArray {
  if (isComplex(in1) || isComplex(in2)) return complexFftOp('oaconvolve', in1, in2, opts);
  return fftOp('oaconvolve', true, in1, in2, opts);
}
