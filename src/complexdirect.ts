// Direct complex correlation from a plan (src/direct.ts's DirectPlan): both planes of x padded through the boundary
// mode (the fill value is real: the imaginary plane pads with 0), h reversed on every axis for a convolution, either
// operand conjugated on request, then the valid correlation of the ccorr2d kernel (src/kernels/complex.ts):
//   out[o] = Σ_j x'[o + j] · h'[j],   x' = x or conj(x),   h' = h, conj(h), reversed …   (complex products)
// Ranks ≥ 2 run as sums of 2-D valid correlations over the leading axes, as the real plan does.
import { product, uninitialized } from './arrays';
import type { CPair } from './complex';
import { eachValidChunk, type DirectPlan } from './direct';
import { padInto } from './boundary';
import { scanNonFinite } from './nonfinite';
import { withWorkspace, type Backend, type Workspace } from './workspace';

/** Which operand is conjugated: correlation conjugates h, or x when the inputs were swapped (NumPy's order). */
export interface Conj {
  x: boolean;
  h: boolean;
}

/** Run a complex plan; returns fresh planes (or `into`'s, arrays of the plan's dtype that alias no input). */
export function runDirectComplex(op: string, backend: Backend, plan: DirectPlan, x: CPair, h: CPair, conj: Conj, into?: CPair): CPair {
  return complexOn(op, backend, plan, x, h, conj, into, false);
}

/**
 * A rank-1 plan with NumPy's sums: only the products of overlapping samples, never a tap times the zeros around the
 * input. The padded plan computes the same unless a tap of h holds NaN or ±Infinity in either part (0·∞ is NaN);
 * then, as the non-finite policy says (src/nonfinite.ts, path 'numpy'), every output sums only the taps that
 * overlap the input, by the ccorr2d kernel.
 */
export function runDirectOverlapComplex(op: string, backend: Backend, plan: DirectPlan, x: CPair, h: CPair, conj: Conj, into?: CPair): CPair {
  return complexOn(op, backend, plan, x, h, conj, into, scanNonFinite(op, backend, h.re, h.im), true);
}

/**
 * The complex direct plan. `overlap`: the input staged unpadded and each output summed over its overlapping taps only
 * (rank 1; see overlapSums in src/direct.ts). `blas`: NumPy's complex dot's NaN real parts (below).
 */
function complexOn(op: string, backend: Backend, plan: DirectPlan, x: CPair, h: CPair, conj: Conj, into: CPair | undefined,
  overlap: boolean, blas = false): CPair {
  const padShape = overlap ? plan.xShape : plan.outShape.map((o, a) => o + plan.hShape[a] - 1);
  const nx = product(padShape);
  const nh = product(plan.hShape);
  const nOut = product(plan.outShape);
  return withWorkspace(op, backend, plan.dtype, [nx, nx, nh, nh, nOut, nOut], (ws) => {
    const [xr, xi, hr, hi, or, oi] = ws.off;
    const { mem, k } = ws;
    if (overlap) {
      mem.set(x.re, xr);
      mem.set(x.im, xi);
    } else {
      padInto(mem, xr, x.re, plan.xShape, padShape, plan.lo, plan.mode, plan.cval);
      padInto(mem, xi, x.im, plan.xShape, padShape, plan.lo, plan.mode, 0);
    }
    if (conj.x) for (let i = xi; i < xi + nx; i++) mem[i] = -mem[i];
    const s = conj.h ? -1 : 1;
    for (let i = 0; i < nh; i++) {
      const j = plan.flip ? nh - 1 - i : i;
      mem[hr + i] = h.re[j];
      mem[hi + i] = s * h.im[j];
    }
    if (overlap) overlapSumsC(ws, plan, xr, xi, hr, hi, or, oi);
    else correlateValidC(ws, xr, xi, padShape, hr, hi, plan.hShape, or, oi, plan.outShape);
    // NumPy sums each output with its complex dot (CDOUBLE_dot), which calls BLAS zdotu/cdotu; the OpenBLAS that
    // Debian's numpy 1.24 links returns a NaN real part whenever the imaginary part is NaN or ±Infinity (measured:
    // zdotu([1+1j], [inf]) = nan+infj where the plain product is inf+infj). Finite results are untouched, and the
    // outputs are looked at only when the nonFinite kernel finds one.
    if (blas && k.nonFinite(mem, oi, nOut)) {
      for (let o = 0; o < nOut; o++) if (!Number.isFinite(mem[oi + o])) mem[or + o] = NaN;
    }
    const re = into?.re ?? uninitialized(plan.dtype, nOut);
    const im = into?.im ?? uninitialized(plan.dtype, nOut);
    re.set(mem.subarray(or, or + nOut));
    im.set(mem.subarray(oi, oi + nOut));
    return { re, im };
  });
}

/** overlapSums of src/direct.ts for complex planes staged unpadded: each output over its overlapping taps only. */
function overlapSumsC(ws: Workspace, plan: DirectPlan, xr: number, xi: number, hr: number, hi: number, or: number, oi: number): void {
  const { mem, k } = ws;
  const n = plan.outShape[0];
  const m = plan.xShape[0];
  const nh = plan.hShape[0];
  const lo = plan.lo[0];
  const a = Math.min(n, Math.max(0, -lo));
  const b = Math.max(a, Math.min(n, m - nh - lo + 1));
  if (b > a) k.ccorr2d(mem, xr + a + lo, xi + a + lo, m, hr, hi, 1, nh, or + a, oi + a, 1, b - a, b - a, 0);
  for (let o = 0; o < n; o++) {
    if (o === a && b > a) o = b;
    if (o >= n) break;
    const t0 = Math.max(0, -(o + lo));
    const t1 = Math.min(nh, m - o - lo);
    if (t1 <= t0) {
      mem[or + o] = 0;
      mem[oi + o] = 0;
    } else {
      k.ccorr2d(mem, xr + o + t0 + lo, xi + o + t0 + lo, m, hr + t0, hi + t0, 1, t1 - t0, or + o, oi + o, 1, 1, 1, 0);
    }
  }
}

/** out = valid correlation of the padded x with h, all C-order planes inside ws.mem. */
function correlateValidC(ws: Workspace, xr: number, xi: number, xShape: number[], hr: number, hi: number, hShape: number[],
  or: number, oi: number, outShape: number[]): void {
  const { k, mem } = ws;
  eachValidChunk(ws, xShape, hShape, outShape, (g, xo, ho, oo, acc) =>
    k.ccorr2d(mem, xr + xo, xi + xo, g.xStride, hr + ho, hi + ho, g.kh, g.kw, or + oo, oi + oo, g.oh, g.ow, g.ow, acc));
}
