// Complex FFT convolution, the FFT method of complex signals (fftconvolve, oaconvolve, and method 'fft' of
// correlate/convolve):   out = IFFT(FFT(x1, f) · FFT(x2, f))   over the transformed axes, f ≥ s1 + s2 − 1 per axis,
// both inputs complex (no real-input shortcut). It drives the complex FFT kernel of src/kernels/fft.ts (fftCols: the
// transform of the middle axis of [count][n][inner], SIMD across the `inner` sequences) so that every call has many
// sequences side by side:
//   - the leading transformed axes run in place (inner = the product of the later axes);
//   - the last axis is transposed to the front first (transposePlane), then transformed with inner = the rest;
//     the spectrum thus sits with its axes rotated, which the product and the inverse do not mind;
//   - a single long axis (1-D) runs as the four-step FFT: f = f1·f2 viewed as [f1][f2], columns of length f1,
//     twiddles w_f^{k1·n2}, transpose, columns of length f2; the result is X[k1 + f1·k2] in natural order.
// The inverse is the same forward transform with the re and im planes swapped (unnormalised; 1/S goes in the product).
// Axes that are not transformed broadcast (sizes equal or 1), one batch element at a time.
import { ctorOf, product, stridesOf, uninitialized, type DType, type Float } from './arrays';
import type { CPair } from './complex';
import { nextFastLen } from './fft';
import { colWork } from './kernels/fft';
import { NONFINITE, scanNonFinite, stagedNonFinite, type NonFiniteRule } from './nonfinite';
import { withWorkspace, type Backend } from './workspace';

export interface ComplexFftProblem {
  dtype: DType;
  /** The two operands of a plain convolution (a correlation's second operand comes reversed and conjugated). */
  x1: CPair;
  s1: number[];
  x2: CPair;
  s2: number[];
  /** Axes transformed (ascending), each with s1 > 1 and s2 > 1; the others broadcast. */
  axes: number[];
  /** Per axis, the full-output index where the output window starts, and the window's length. */
  start: number[];
  outShape: number[];
  /**
   * What this FFT does on NaN or ±Infinity (src/nonfinite.ts; default NONFINITE.fft): 'step-aside' (method 'auto')
   * returns undefined as soon as a staged input holds one, and the caller runs the rule's fallback.
   */
  nonFinite?: NonFiniteRule;
}

/** A single axis at least this long runs as the four-step FFT (shorter ones as one column of fftCols). */
const FOUR_STEP_MIN = 1024;

/** The split f = f1·f2 of the four-step FFT with f1 the largest divisor ≤ √f (f is 2·3·5-smooth: few divisors). */
export function fourStepSplit(f: number): [number, number] {
  let best = 1;
  for (let d = 1; d * d <= f; d++) if (f % d === 0) best = d;
  return [best, f / best];
}

const tables = new Map<string, Float>();

function cached(key: string, make: () => Float): Float {
  let t = tables.get(key);
  if (!t) {
    t = make();
    if (tables.size > 32) tables.clear();
    tables.set(key, t);
  }
  return t;
}

/** Interleaved (cos, −sin) of 2πj/n, j < n: the table fftCols reads (twStride 1). */
function twiddles(n: number, dtype: DType): Float {
  return cached(`tw:${n}:${dtype}`, () => {
    const t = new (ctorOf(dtype))(2 * n);
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * j) / n;
      t[2 * j] = Math.cos(a);
      t[2 * j + 1] = Math.sin(a);
    }
    return t;
  });
}

/** The four-step twiddles w_f^{k1·n2} as planes [re | im] of f1 × f2 (exponents reduced mod f, computed in float64). */
function fourStepTwiddles(f1: number, f2: number, dtype: DType): Float {
  return cached(`4s:${f1}x${f2}:${dtype}`, () => {
    const f = f1 * f2;
    const t = new (ctorOf(dtype))(2 * f);
    for (let k1 = 0; k1 < f1; k1++) {
      for (let n2 = 0; n2 < f2; n2++) {
        const a = (-2 * Math.PI * ((k1 * n2) % f)) / f;
        t[k1 * f2 + n2] = Math.cos(a);
        t[f + k1 * f2 + n2] = Math.sin(a);
      }
    }
    return t;
  });
}

/** Visit every index of the box [0, hi) (last axis fastest). */
function each(hi: number[], fn: (idx: number[]) => void): void {
  if (hi.some((h) => h <= 0)) return;
  const idx = hi.map(() => 0);
  for (;;) {
    fn(idx);
    let t = hi.length - 1;
    while (t >= 0) {
      if (++idx[t] < hi[t]) break;
      idx[t] = 0;
      t--;
    }
    if (t < 0) return;
  }
}

/** FFT lengths and layout of a problem: the transformed lengths f, and the dims each transform runs over. */
export function complexFftGeometry(s1: number[], s2: number[], axes: number[]) {
  const f = axes.map((a) => nextFastLen(s1[a] + s2[a] - 1));
  const fourStep = f.length === 1 && f[0] >= FOUR_STEP_MIN;
  const dims = fourStep ? fourStepSplit(f[0]) : f;
  return { f, dims, fourStep, S: product(f) };
}

/** Run a complex FFT convolution; returns the output window (C-order, original axis order) in fresh planes or `into`. */
export function runComplexFft(op: string, backend: Backend, P: ComplexFftProblem, into?: CPair): CPair | undefined {
  const d = P.s1.length;
  const { axes, s1, s2 } = P;
  const stepAside = (P.nonFinite ?? NONFINITE.fft).onNonFinite === 'step-aside';
  const nOut = product(P.outShape);
  const re = into?.re ?? uninitialized(P.dtype, nOut);
  const im = into?.im ?? uninitialized(P.dtype, nOut);
  const T = axes.length;
  const batch = [...Array(d).keys()].filter((a) => !axes.includes(a));
  const st1 = stridesOf(s1);
  const st2 = stridesOf(s2);
  const stOut = stridesOf(P.outShape);
  if (T === 0) {
    // Nothing to transform: the broadcast product over the window, from the inputs as they are (nothing is staged).
    if (stepAside && scanNonFinite(op, backend, P.x1.re, P.x1.im, P.x2.re, P.x2.im)) return undefined;
    let o = 0;
    each(P.outShape, (idx) => {
      let i1 = 0;
      let i2 = 0;
      idx.forEach((v, a) => {
        const g = v + P.start[a];
        if (s1[a] > 1) i1 += g * st1[a];
        if (s2[a] > 1) i2 += g * st2[a];
      });
      const ar = P.x1.re[i1], ai = P.x1.im[i1], br = P.x2.re[i2], bi = P.x2.im[i2];
      re[o] = ar * br - ai * bi;
      im[o] = ar * bi + ai * br;
      o++;
    });
    return { re, im };
  }
  const { f, dims, fourStep, S } = complexFftGeometry(s1, s2, axes);
  const B2 = batch.map((a) => s2[a]);
  const nb2 = product(B2);
  const maxDim = Math.max(...dims);
  const tws = dims.map((n) => twiddles(n, P.dtype));
  const sizes = [S, S, S, S, 2 * S * nb2, colWork(maxDim), ...tws.map((t) => t.length), fourStep ? 2 * S : 0];
  // Dims of the layout after each forward transform: the last moves to the front (see the top of the file).
  const Dn = dims.length;
  const rot = (D: number[]) => (fourStep ? D : [D[Dn - 1], ...D.slice(0, Dn - 1)]);

  return withWorkspace(op, backend, P.dtype, sizes, (ws): CPair | undefined => {
    const { mem, k } = ws;
    const [Ar, Ai, Br, Bi, spec2, work, ...rest] = ws.off;
    const tw = rest.slice(0, Dn);
    const fs = rest[Dn];
    tws.forEach((t, i) => mem.set(t, tw[i]));
    if (fourStep) mem.set(fourStepTwiddles(dims[0], dims[1], P.dtype), fs);

    // Forward DFT of the data at (ar, ai), laid out with dims D, into (br, bi) laid out rot(D); destroys (ar, ai).
    const forward = (ar: number, ai: number, br: number, bi: number, D: number[]) => {
      const twOf = (n: number) => tw[dims.indexOf(n)];
      for (let t = 0; t < Dn - 1; t++) {
        const inner = product(D.slice(t + 1));
        k.fftCols(mem, ar, ai, D[t], inner, inner, product(D.slice(0, t)), D[t] * inner, work, twOf(D[t]), 1);
      }
      if (fourStep) k.cmul(mem, ar, ai, fs, fs + S, S, 1);
      const last = D[Dn - 1];
      const R = S / last;
      k.transposePlane(mem, ar, br, R, last);
      k.transposePlane(mem, ai, bi, R, last);
      k.fftCols(mem, br, bi, last, R, R, 1, S, work, twOf(last), 1);
    };

    // Stage the batch element of x (shape s, strides st) at the given batch offset into (ar, ai), zero-padded to f.
    const fStrides = stridesOf(f);
    const stage = (x: CPair, s: number[], st: number[], base: number, ar: number, ai: number) => {
      mem.fill(0, ar, ar + S);
      mem.fill(0, ai, ai + S);
      const len = axes.map((a) => s[a]);
      const lastA = axes[T - 1];
      if (st[lastA] === 1) {
        // Runs along the last transformed axis are contiguous in x: one `set` per run.
        const L = len[T - 1];
        each(len.slice(0, T - 1), (idx) => {
          const src = base + idx.reduce((acc, v, t) => acc + v * st[axes[t]], 0);
          const dst = idx.reduce((acc, v, t) => acc + v * fStrides[t], 0);
          mem.set(x.re.subarray(src, src + L), ar + dst);
          mem.set(x.im.subarray(src, src + L), ai + dst);
        });
      } else {
        each(len, (idx) => {
          const src = base + idx.reduce((acc, v, t) => acc + v * st[axes[t]], 0);
          const dst = idx.reduce((acc, v, t) => acc + v * fStrides[t], 0);
          mem[ar + dst] = x.re[src];
          mem[ai + dst] = x.im[src];
        });
      }
      // Method 'auto' steps aside on NaN or ±Infinity (src/nonfinite.ts): the staged planes, by the nonFinite kernel.
      if (stepAside && stagedNonFinite(ws, [ar, S], [ai, S])) throw STEP_ASIDE;
    };

    try {
      return convolveStaged();
    } catch (e) {
      if (e === STEP_ASIDE) return undefined;
      throw e;
    }

    function convolveStaged(): CPair {
      // Spectra of x2, one per batch element of x2, in layout rot(dims).
      const B2s = stridesOf(B2);
      each(B2, (b) => {
        const bi = b.reduce((acc, v, i) => acc + v * B2s[i], 0);
        const base = b.reduce((acc, v, i) => acc + v * st2[batch[i]], 0);
        stage(P.x2, s2, st2, base, Ar, Ai);
        forward(Ar, Ai, spec2 + 2 * S * bi, spec2 + 2 * S * bi + S, dims);
      });

      // The inverse's output layout: dims rotated twice (once for 1-D), as strides per transformed axis.
      const order = fourStep ? [0] : [...Array(T).keys()];
      const rotOrder = (o: number[]) => (fourStep ? o : [o[T - 1], ...o.slice(0, T - 1)]);
      const outOrder = rotOrder(rotOrder(order));
      const outDims = outOrder.map((t) => f[t]);
      const outLayoutStrides = stridesOf(outDims);
      const layoutStride = axes.map((_, t) => outLayoutStrides[outOrder.indexOf(t)]);
      const outB = batch.map((a) => P.outShape[a]);
      const outT = axes.map((a) => P.outShape[a]);
      const scale = 1 / S;
      each(outB, (ob) => {
        const g = ob.map((v, i) => v + P.start[batch[i]]);
        const base1 = g.reduce((acc, v, i) => acc + (s1[batch[i]] === 1 ? 0 : v * st1[batch[i]]), 0);
        const b2 = g.reduce((acc, v, i) => acc + (B2[i] === 1 ? 0 : v * B2s[i]), 0);
        stage(P.x1, s1, st1, base1, Ar, Ai);
        forward(Ar, Ai, Br, Bi, dims);
        k.cmul(mem, Br, Bi, spec2 + 2 * S * b2, spec2 + 2 * S * b2 + S, S, scale);
        // Inverse: the forward transform of the swapped planes, whose output is swapped back (re in Ar, im in Ai).
        forward(Bi, Br, Ai, Ar, rot(dims));
        const outBase = ob.reduce((acc, v, i) => acc + v * stOut[batch[i]], 0);
        const lastA = axes[T - 1];
        if (T === 1 && layoutStride[0] === 1 && stOut[lastA] === 1) {
          const from = P.start[lastA];
          re.set(mem.subarray(Ar + from, Ar + from + outT[0]), outBase);
          im.set(mem.subarray(Ai + from, Ai + from + outT[0]), outBase);
          return;
        }
        each(outT, (idx) => {
          let src = 0;
          let dst = outBase;
          idx.forEach((v, t) => {
            src += (v + P.start[axes[t]]) * layoutStride[t];
            dst += v * stOut[axes[t]];
          });
          re[dst] = mem[Ar + src];
          im[dst] = mem[Ai + src];
        });
      });
      return { re, im };
    }
  });
}

/** Thrown inside the workspace when a staged plane holds NaN or ±Infinity and the plan steps aside. */
const STEP_ASIDE = Symbol('step aside');

/** Σ F·log2 F of the complex transforms of a problem (x2's spectra, then x1's forward and inverse per batch element). */
export function complexFftUnits(s1: number[], s2: number[], axes: number[], outShape: number[]): number {
  const { S } = complexFftGeometry(s1, s2, axes);
  let nb1 = 1;
  let nb2 = 1;
  s1.forEach((_, a) => {
    if (!axes.includes(a)) {
      nb1 *= outShape[a];
      nb2 *= s2[a];
    }
  });
  return (2 * nb1 + nb2) * S * Math.log2(Math.max(2, S));
}

/** A copy of x reversed on every axis (the flat C-order data reversed) and conjugated: a correlation's operand. */
export function reverseConj(x: CPair, dtype: DType, conj: boolean): CPair {
  const n = x.re.length;
  const Ctor = ctorOf(dtype);
  const re = new Ctor(n);
  const im = new Ctor(n);
  const s = conj ? -1 : 1;
  for (let i = 0; i < n; i++) {
    re[i] = x.re[n - 1 - i];
    im[i] = s * x.im[n - 1 - i];
  }
  return { re, im };
}
