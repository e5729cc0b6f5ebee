// Direct complex correlation from a plan (src/direct.ts's DirectPlan): both planes of x padded through the boundary
// mode (the fill value is real: the imaginary plane pads with 0), h reversed on every axis for a convolution, either
// operand conjugated on request, then the valid correlation of the ccorr2d kernel (src/kernels/complex.ts):
//   out[o] = Σ_j x'[o + j] · h'[j],   x' = x or conj(x),   h' = h, conj(h), reversed …   (complex products)
// Ranks ≥ 2 run as sums of 2-D valid correlations over the leading axes, as the real plan does.
import { ctorOf, product, uninitialized } from './arrays';
import type { CPair } from './complex';
import { eachValidChunk, type DirectPlan } from './direct';
import { padInto } from './boundary';
import { withWorkspace, type Workspace } from './workspace';

/** Which operand is conjugated: correlation conjugates h, or x when the inputs were swapped (NumPy's order). */
export interface Conj {
  x: boolean;
  h: boolean;
}

/** Run a complex plan; returns fresh planes (or `into`'s, arrays of the plan's dtype that alias no input). */
export function runDirectComplex(op: string, backend: unknown, plan: DirectPlan, x: CPair, h: CPair, conj: Conj, into?: CPair): CPair {
  const padShape = plan.outShape.map((o, a) => o + plan.hShape[a] - 1);
  const nx = product(padShape);
  const nh = product(plan.hShape);
  const nOut = product(plan.outShape);
  return withWorkspace(op, backend, plan.dtype, [nx, nx, nh, nh, nOut, nOut], (ws) => {
    const [xr, xi, hr, hi, or, oi] = ws.off;
    const { mem } = ws;
    padInto(mem, xr, x.re, plan.xShape, padShape, plan.lo, plan.mode, plan.cval);
    padInto(mem, xi, x.im, plan.xShape, padShape, plan.lo, plan.mode, 0);
    if (conj.x) for (let i = xi; i < xi + nx; i++) mem[i] = -mem[i];
    const s = conj.h ? -1 : 1;
    for (let i = 0; i < nh; i++) {
      const j = plan.flip ? nh - 1 - i : i;
      mem[hr + i] = h.re[j];
      mem[hi + i] = s * h.im[j];
    }
    correlateValidC(ws, xr, xi, padShape, hr, hi, plan.hShape, or, oi, plan.outShape);
    const re = into?.re ?? uninitialized(plan.dtype, nOut);
    const im = into?.im ?? uninitialized(plan.dtype, nOut);
    re.set(mem.subarray(or, or + nOut));
    im.set(mem.subarray(oi, oi + nOut));
    return { re, im };
  });
}

/**
 * A rank-1 plan with NumPy's sums: only the products of overlapping samples, never a tap times the zeros around the
 * input. The padded plan computes the same unless a tap of h holds NaN or ±Infinity in either part (0·∞ is NaN);
 * then every sum runs here in plain loops, one complex product per term as NumPy's dot.
 */
export function runDirectOverlapComplex(op: string, backend: unknown, plan: DirectPlan, x: CPair, h: CPair, conj: Conj, into?: CPair): CPair {
  const nh = h.re.length;
  const n = plan.outShape[0];
  let finite = true;
  for (let j = 0; j < nh && finite; j++) finite = Number.isFinite(h.re[j]) && Number.isFinite(h.im[j]);
  const res = finite ? runDirectComplex(op, backend, plan, x, h, conj, into) : overlapLoops(plan, x, h, conj, into);
  // NumPy sums each output with its complex dot (CDOUBLE_dot), which calls BLAS zdotu/cdotu; the OpenBLAS that
  // Debian's numpy 1.24 links returns a NaN real part whenever the imaginary part is NaN or ±Infinity (measured:
  // zdotu([1+1j], [inf]) = nan+infj where the plain product is inf+infj). Finite results are untouched.
  for (let o = 0; o < n; o++) if (!Number.isFinite(res.im[o])) res.re[o] = NaN;
  return res;
}

function overlapLoops(plan: DirectPlan, x: CPair, h: CPair, conj: Conj, into?: CPair): CPair {
  const nh = h.re.length;
  const n = plan.outShape[0];
  const m = x.re.length;
  const lo = plan.lo[0];
  const Ctor = ctorOf(plan.dtype);
  const re = into?.re ?? new Ctor(n);
  const im = into?.im ?? new Ctor(n);
  const sx = conj.x ? -1 : 1;
  const sh = conj.h ? -1 : 1;
  // Output o multiplies tap t of the (reversed, for convolution) kernel with x[o + t + lo]; the sums run in the
  // plan's dtype, as NumPy's do.
  const acc = new Ctor(2);
  for (let o = 0; o < n; o++) {
    acc[0] = 0;
    acc[1] = 0;
    for (let t = Math.max(0, -(o + lo)); t < Math.min(nh, m - o - lo); t++) {
      const i = o + t + lo;
      const j = plan.flip ? nh - 1 - t : t;
      const ar = Ctor === Float32Array ? Math.fround(x.re[i]) : x.re[i];
      const ai = sx * (Ctor === Float32Array ? Math.fround(x.im[i]) : x.im[i]);
      const br = Ctor === Float32Array ? Math.fround(h.re[j]) : h.re[j];
      const bi = sh * (Ctor === Float32Array ? Math.fround(h.im[j]) : h.im[j]);
      acc[0] += ar * br - ai * bi;
      acc[1] += ar * bi + ai * br;
    }
    re[o] = acc[0];
    im[o] = acc[1];
  }
  return { re, im };
}

/** out = valid correlation of the padded x with h, all C-order planes inside ws.mem. */
function correlateValidC(ws: Workspace, xr: number, xi: number, xShape: number[], hr: number, hi: number, hShape: number[],
  or: number, oi: number, outShape: number[]): void {
  const { k, mem } = ws;
  eachValidChunk(ws, xShape, hShape, outShape, (g, xo, ho, oo, acc) =>
    k.ccorr2d(mem, xr + xo, xi + xo, g.xStride, hr + ho, hi + ho, g.kh, g.kw, or + oo, oi + oo, g.oh, g.ow, g.ow, acc));
}
