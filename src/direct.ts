// Direct N-D cross-correlation from a plan. Every direct op (scipy.signal, numpy, convolve2d, ndimage) lowers to:
//   xp[i] = x[i + lo]  (through the boundary mode),   out[o] = Σ_j xp[o + j] · h'[j],   h' = h or h reversed
// on every axis (convolution). Ranks ≥ 2 run as sums of 2-D valid correlations over the leading axes.
import { product, stridesOf, type DType, type Float } from './arrays';
import { padInto, type BoundaryMode } from './pad';
import { withWorkspace, type Workspace } from './workspace';

export interface DirectPlan {
  dtype: DType;
  xShape: number[];
  hShape: number[];
  outShape: number[];
  /** Per axis, the input index that padded position 0 reads (negative: padding in front). */
  lo: number[];
  mode: BoundaryMode;
  cval: number;
  /** Convolution: the kernel reversed on every axis (for a C-order array, the flat data reversed). */
  flip: boolean;
}

/** Run a plan on one backend; returns a fresh array of the output (never a view of scratch memory). */
export function runDirect(op: string, backend: unknown, plan: DirectPlan, x: Float, h: Float): Float {
  const padShape = plan.outShape.map((o, a) => o + plan.hShape[a] - 1);
  const nx = product(padShape);
  const nh = product(plan.hShape);
  const nOut = product(plan.outShape);
  return withWorkspace(op, backend, plan.dtype, [nx, nh, nOut], (ws) => {
    const [xo, ho, oo] = ws.off;
    const { mem } = ws;
    padInto(mem, xo, x, plan.xShape, padShape, plan.lo, plan.mode, plan.cval);
    if (plan.flip) {
      for (let i = 0; i < nh; i++) mem[ho + i] = h[nh - 1 - i];
    } else {
      mem.set(h, ho);
    }
    correlateValid(ws, xo, padShape, ho, plan.hShape, oo, plan.outShape);
    return mem.slice(oo, oo + nOut);
  });
}

/** out = valid correlation of the padded x with h, all C-order buffers inside ws.mem. */
function correlateValid(ws: Workspace, x: number, xShape: number[], h: number, hShape: number[], out: number, outShape: number[]): void {
  const d = xShape.length;
  const { k, mem } = ws;
  if (d === 1) {
    k.corr2d(mem, x, xShape[0], h, 1, hShape[0], out, 1, outShape[0], outShape[0], 0);
    return;
  }
  const xs = stridesOf(xShape);
  const hs = stridesOf(hShape);
  const os = stridesOf(outShape);
  const [kh, kw] = hShape.slice(d - 2);
  const [oh, ow] = outShape.slice(d - 2);
  const rec = (a: number, xo: number, ho: number, oo: number, acc: number): void => {
    if (a === d - 2) {
      k.corr2d(mem, xo, xShape[d - 1], ho, kh, kw, oo, oh, ow, ow, acc);
      return;
    }
    for (let o = 0; o < outShape[a]; o++) {
      for (let j = 0; j < hShape[a]; j++) {
        rec(a + 1, xo + (o + j) * xs[a], ho + j * hs[a], oo + o * os[a], acc || j > 0 ? 1 : 0);
      }
    }
  };
  rec(0, x, h, out, 0);
}
