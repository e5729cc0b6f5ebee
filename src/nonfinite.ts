// The non-finite policy of the signal side (scipy.signal, numpy, ndimage, fftconvolve, the complex ops), written once.
// A path is exact under NaN and ±Infinity when it sums exactly the products the reference sums: then a NaN or an
// infinity lands where the reference puts it with no check. The others must step aside on such input, to the path
// named here, and every fallback runs through the kernel table on the plan's backend.
//
//   path       | under NaN / ±Infinity                                          | on non-finite input
//   direct     | exact: every output sums the products SciPy's direct method sums | runs as is
//   taps       | exact: scipy.ndimage drops |w| ≤ ε (and NaN) weights, and so do the kept taps (corrTaps)
//              |                                                                | runs as is
//   numpy      | NumPy's sums (numpy.*, 1-D scipy.signal, their complex twins) read only overlapping samples;
//              | the padded direct kernel would add 0 · ∞ = NaN at the edges    | a non-finite tap: steps aside to 'overlap',
//              |                                                                | each output summed over its overlapping taps
//              |                                                                | only (corr2d / ccorr2d, per edge output)
//   fft        | explicit (fftconvolve, oaconvolve, method 'fft'): SciPy's FFT spreads a NaN or an infinity over the
//              | transform unit that read it, and so does this one              | exact: NaN over each unit (spreadNonFinite)
//   fft-auto   | method 'auto' chose the FFT by cost; SciPy's 'auto' runs direct on non-finite input
//              |                                                                | steps aside to direct (or overlap)
//
// How the input is scanned: data already in scratch memory by the nonFinite kernel (family `nonfinite`,
// assembly/nonfinite.ts: SIMD on wasm); the few taps of a kernel and chooseConvMethod's inputs (which are never
// staged) as the plain arrays they are, before any staging: copying them into wasm memory only to scan them costs a
// copy of every element, which is more than the scan (see hostNonFinite).
import type { Workspace } from './workspace';

/** The paths of the signal side, as the policy above names them. */
export type SignalPath = 'direct' | 'taps' | 'numpy' | 'fft' | 'fft-auto';

/** What a path does on non-finite input: run as is (exact), or step aside to another path. */
export interface NonFiniteRule {
  readonly path: SignalPath;
  /** 'exact': the reference's placement with no check; 'spread': exact, NaN over the transform units that read one. */
  readonly onNonFinite: 'exact' | 'spread' | 'step-aside';
  /** Where the path steps aside to ('step-aside' only): the direct method, or NumPy's sums over overlapping taps. */
  readonly fallback?: 'direct' | 'overlap';
  /** What is scanned: the staged inputs (kernel), the kernel's taps (before staging), or nothing. */
  readonly scan: 'staged-inputs' | 'taps' | 'none';
}

/** The policy table (see the top of the file). */
export const NONFINITE: Readonly<Record<SignalPath, NonFiniteRule>> = Object.freeze({
  direct: Object.freeze({ path: 'direct', onNonFinite: 'exact', scan: 'none' }),
  taps: Object.freeze({ path: 'taps', onNonFinite: 'exact', scan: 'none' }),
  numpy: Object.freeze({ path: 'numpy', onNonFinite: 'step-aside', fallback: 'overlap', scan: 'taps' }),
  fft: Object.freeze({ path: 'fft', onNonFinite: 'spread', scan: 'staged-inputs' }),
  'fft-auto': Object.freeze({ path: 'fft-auto', onNonFinite: 'step-aside', fallback: 'direct', scan: 'staged-inputs' }),
} as const);

/**
 * The rule of a signal op's path: method 'fft' chosen by 'auto' steps aside, an explicit one spreads; the direct
 * method runs NumPy's sums (`numpy`) or the padded plan (`direct`).
 */
export function nonFiniteRule(method: 'direct' | 'fft', auto: boolean, numpy: boolean): NonFiniteRule {
  if (method === 'fft') return NONFINITE[auto ? 'fft-auto' : 'fft'];
  return NONFINITE[numpy ? 'numpy' : 'direct'];
}

/** Whether any of the staged buffers [offset, length] of a workspace holds NaN or ±Infinity (the nonFinite kernel). */
export function stagedNonFinite(ws: Workspace, ...bufs: readonly (readonly [number, number])[]): boolean {
  for (const [at, n] of bufs) if (ws.k.nonFinite(ws.mem, at, n)) return true;
  return false;
}

/**
 * Whether any of these plain arrays holds NaN or ±Infinity, scanned where they are: for data not staged into scratch
 * (a kernel's taps, chooseConvMethod's inputs). Staging them only to run the kernel would copy every element first.
 */
export function hostNonFinite(...arrays: readonly (ArrayLike<number> | null | undefined)[]): boolean {
  for (const d of arrays) {
    if (!d) continue;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return true;
  }
  return false;
}
