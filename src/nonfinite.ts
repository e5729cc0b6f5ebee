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
// How the input is scanned: always by the nonFinite kernel (family `nonfinite`, assembly/nonfinite.ts: SIMD on wasm).
// Data already in scratch memory are scanned there; data not staged by the plan (a kernel's taps before the plan
// picks its layout, chooseConvMethod's inputs) are staged in chunks into a small workspace and scanned there
// (scanNonFinite): measured here (SIMD build, busy machine), 1e5 float32 values took 15–24 µs that way against
// 450–600 µs in a JS loop, 2000 took 1.6–2.7 µs against 3.5–8.9 µs. Only a few values (≤ HOST_SCAN_MAX in all: at 256,
// 0.5–0.8 µs in JS against 1.3–8.5 µs staged), and the js backend (whose kernel is that JS loop), are scanned by a JS
// loop where they are.
import { withWorkspace, type Backend, type Workspace } from './workspace';

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

/** Up to this many values in all, a JS loop scans them where they are (staging measured slower at 256, faster at 2000). */
export const HOST_SCAN_MAX = 1024;

/** Elements staged per kernel call by scanNonFinite: small scratch, and a chunk stays in cache. */
const SCAN_CHUNK = 1 << 14;

/** Data that can hold NaN or ±Infinity (integer arrays cannot, and are skipped). */
type Scanned = ArrayLike<number> | null | undefined;

const floatData = (d: Scanned): d is Float32Array | Float64Array | number[] =>
  d instanceof Float32Array || d instanceof Float64Array || Array.isArray(d);

/**
 * Whether any of these arrays (not staged by the plan) holds NaN or ±Infinity, by the nonFinite kernel on the plan's
 * backend: staged in chunks, each array in its own type (a float64 value stays as it is, never rounded to ±Infinity).
 */
export function scanNonFinite(op: string, backend: Backend, ...arrays: readonly Scanned[]): boolean {
  const data = arrays.filter(floatData);
  const total = data.reduce((s, d) => s + d.length, 0);
  if (backend.name === 'js' || total <= HOST_SCAN_MAX) return hostNonFinite(...data);
  for (const dtype of ['float32', 'float64'] as const) {
    const mine = data.filter((d) => (d instanceof Float32Array) === (dtype === 'float32'));
    if (mine.length === 0) continue;
    const n = Math.min(SCAN_CHUNK, mine.reduce((m, d) => Math.max(m, d.length), 0));
    const bad = withWorkspace(op, backend, dtype, [n], (ws) => {
      const [at] = ws.off;
      for (const d of mine) {
        for (let s = 0; s < d.length; s += n) {
          const len = Math.min(n, d.length - s);
          ws.mem.set(Array.isArray(d) ? d.slice(s, s + len) : d.subarray(s, s + len), at);
          if (ws.k.nonFinite(ws.mem, at, len)) return true;
        }
      }
      return false;
    });
    if (bad) return true;
  }
  return false;
}

/** Whether any of these arrays holds NaN or ±Infinity, by a JS loop where they are (see scanNonFinite). */
export function hostNonFinite(...arrays: readonly Scanned[]): boolean {
  for (const d of arrays) {
    if (!d) continue;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return true;
  }
  return false;
}
