// Planning helpers shared by the scipy.signal-style ops (signal, signal2d, numpy, fftconv, complex, ndimage): the
// modes' output ranges, SciPy's 'valid' cover rule, and the validation of two same-rank inputs.
//   full  out[k] = full[k],  k < M + N − 1;   same  from ⌊(N − 1)/2⌋, M long;   valid  from min(M, N) − 1, |M − N| + 1 long
import { asTensor, resultDtype, type Float } from './arrays';
import { options, rangeError } from './errors';
import type { NonFiniteRule } from './nonfinite';
import type { SignalOptions } from './signal';
import type { Backend } from './workspace';

/**
 * A backend as the shared engines (src/direct.ts, src/fft.ts, src/auto.ts) take it: the planned `Backend` of the
 * signal-side ops (planBackend, at their public function), or a raw `backend` option from a caller not planned yet
 * (src/similarity.ts), which the engine resolves once, at its entry, with planBackend (a planned one passes as is).
 */
export type BackendOption = unknown;

export type Mode = 'full' | 'same' | 'valid';
export const MODES = ['full', 'same', 'valid'] as const;

/** Data as a typed array (number[] becomes Float64Array; typed arrays pass through, never modified). */
export function toFloat(data: Float | number[]): Float {
  return Array.isArray(data) ? Float64Array.from(data) : data;
}

/** s1 at least as large as s2 on every axis ('valid' needs one input to cover the other; SciPy swaps when in1 does not). */
export function covers(s1: readonly number[], s2: readonly number[]): boolean {
  return s1.every((m, a) => m >= s2[a]);
}

/** Per axis: output length and the full-output index it starts at, or a RangeError (SciPy's rules). */
export function modeRanges(op: string, s1: readonly number[], s2: readonly number[], mode: Mode): { outShape: number[]; start: number[] } {
  if (mode === 'full') return { outShape: s1.map((m, a) => m + s2[a] - 1), start: s1.map(() => 0) };
  if (mode === 'same') return { outShape: s1.slice(), start: s2.map((n) => Math.floor((n - 1) / 2)) };
  if (!covers(s1, s2) && !covers(s2, s1)) {
    throw rangeError(op, `mode 'valid' needs one input at least as large as the other on every axis, got in1 shape [${s1.join(', ')}] and in2 shape [${s2.join(', ')}]`);
  }
  return {
    outShape: s1.map((m, a) => Math.abs(m - s2[a]) + 1),
    start: s1.map((m, a) => Math.min(m, s2[a]) - 1),
  };
}

/** Validate two same-rank inputs and the shared options. */
export function twoInputs(op: string, in1: unknown, in2: unknown, opts: unknown, allowed: readonly string[]) {
  const o = options<SignalOptions & Record<string, unknown>>(op, opts, allowed);
  const t1 = asTensor(op, 'in1', in1);
  const t2 = asTensor(op, 'in2', in2);
  if (t1.shape.length !== t2.shape.length) {
    throw rangeError(op, `in1 has rank ${t1.shape.length} but in2 has rank ${t2.shape.length}; both inputs must have the same rank`);
  }
  const dtype = resultDtype(op, o.dtype, t1, t2);
  return { o, t1, t2, dtype };
}

/**
 * What every signal-side op decides once, at its public function, before any work: the resolved backend
 * (planBackend), the method and path it runs, and its non-finite rule (src/nonfinite.ts: exact, or which path it
 * steps aside to). Frozen by `frozenPlan`; nothing downstream edits it or re-resolves the backend.
 */
export interface OpPlan {
  readonly op: string;
  readonly backend: Backend;
  readonly method: 'direct' | 'fft';
  readonly nonFinite: NonFiniteRule;
}

/**
 * The plan frozen (shallow: its shape arrays may be the caller's or the result's own, which stay theirs to change).
 * @example frozenPlan({ op: 'correlate', backend: planBackend('correlate', undefined), method: 'direct', nonFinite: NONFINITE.direct })
 */
export function frozenPlan<T extends object>(plan: T): Readonly<T> {
  return Object.freeze(plan);
}
