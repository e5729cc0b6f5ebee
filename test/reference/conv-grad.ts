// Slow references for convolution gradients and transposed convolution, straight from the formulas, channels-first,
// any rank 1–3, never optimised and importing nothing from src/:
//   y[n, co, o]   = Σ_ci Σ_j xpad[n, g·Cg + ci, o·s + j·d] · w[co, ci, j̃]          (j̃ = k − 1 − j with flip, else j)
//   dx[n, c, src(o·s + j·d)] += dy[n, co, o] · w[co, ci, j̃]     (src: the padding's index map, none for zeros)
//   dw[co, ci, j̃] += dy[n, co, o] · xpad[n, c, o·s + j·d],   db[co] = Σ dy[n, co, ·]
//   convTranspose: out[n, co, i·s − p + j·d] += x[n, ci, i] · w[ci, co − g·Coutg, j]

import { extIndex, TORCH_EXT } from './nd';

export interface RefArray {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** A C-order array with its axes permuted: out axis a is in axis perm[a]. */
export function permute<A extends RefArray>(a: A, perm: number[]): { data: Float64Array; shape: number[] } {
  const shape = perm.map((p) => a.shape[p]);
  const inStrides: number[] = [];
  let s = 1;
  for (let i = a.shape.length - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= a.shape[i];
  }
  const out = new Float64Array(a.data.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < shape.length; i++) src += idx[i] * inStrides[perm[i]];
    out[o] = a.data[src];
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++idx[i] < shape[i]) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape };
}

export interface RefConvOptions {
  stride?: number | number[];
  padding?: number | number[] | 'valid' | 'same';
  dilation?: number | number[];
  groups?: number;
  paddingMode?: 'zeros' | 'reflect' | 'replicate' | 'circular';
  flip?: boolean;
}

const per = (v: number | number[] | undefined, r: number, d: number): number[] =>
  v === undefined ? new Array<number>(r).fill(d) : typeof v === 'number' ? new Array<number>(r).fill(v) : v.slice();

/** Index into [0, n) that padded position i reads (torch's F.pad modes), or -1 for zeros. */
const source = (i: number, n: number, mode: string): number => extIndex(i, n, TORCH_EXT[mode as keyof typeof TORCH_EXT]);

interface Geo {
  r: number;
  N: number; C: number; Cout: number; G: number; cg: number; og: number;
  n: number[]; k: number[]; s: number[]; d: number[]; pb: number[]; o: number[];
}

function geometry(xShape: readonly number[], wShape: readonly number[], opts: RefConvOptions): Geo {
  const r = xShape.length - 2;
  const n = xShape.slice(2);
  const k = wShape.slice(2);
  const s = per(opts.stride, r, 1);
  const d = per(opts.dilation, r, 1);
  let pb: number[];
  let pa: number[];
  if (opts.padding === 'valid') {
    pb = new Array<number>(r).fill(0);
    pa = pb.slice();
  } else if (opts.padding === 'same') {
    pb = [];
    pa = [];
    for (let a = 0; a < r; a++) {
      const out = Math.ceil(n[a] / s[a]);
      const total = Math.max((out - 1) * s[a] + d[a] * (k[a] - 1) + 1 - n[a], 0);
      pb.push(Math.floor(total / 2));
      pa.push(total - Math.floor(total / 2));
    }
  } else {
    pb = per(opts.padding, r, 0);
    pa = pb.slice();
  }
  const o = n.map((v, a) => Math.floor((v + pb[a] + pa[a] - d[a] * (k[a] - 1) - 1) / s[a]) + 1);
  const G = opts.groups ?? 1;
  return { r, N: xShape[0], C: xShape[1], Cout: wShape[0], G, cg: wShape[1], og: wShape[0] / G, n, k, s, d, pb, o };
}

/** Calls f(outIndex, tapIndex, inputIndex or -1) for every output position and tap of one (n, c, co) plane pair. */
function eachTap(g: Geo, mode: string, flip: boolean, f: (o: number, t: number, i: number) => void): void {
  const O = g.o.reduce((a, b) => a * b, 1);
  const T = g.k.reduce((a, b) => a * b, 1);
  for (let oi = 0; oi < O; oi++) {
    for (let ti = 0; ti < T; ti++) {
      let rest = oi;
      let trest = ti;
      let idx = 0;
      let outside = false;
      const os: number[] = [];
      const ts: number[] = [];
      for (let a = g.r - 1; a >= 0; a--) {
        os[a] = rest % g.o[a];
        rest = Math.floor(rest / g.o[a]);
        ts[a] = trest % g.k[a];
        trest = Math.floor(trest / g.k[a]);
      }
      let tw = 0;
      for (let a = 0; a < g.r; a++) {
        const src = source(os[a] * g.s[a] + ts[a] * g.d[a] - g.pb[a], g.n[a], mode);
        if (src < 0) outside = true;
        idx = idx * g.n[a] + Math.max(src, 0);
        tw = tw * g.k[a] + (flip ? g.k[a] - 1 - ts[a] : ts[a]);
      }
      f(oi, tw, outside ? -1 : idx);
    }
  }
}

export function refConvForward(x: RefArray, w: RefArray, opts: RefConvOptions = {}): { data: Float64Array; shape: number[] } {
  const g = geometry(x.shape, w.shape, opts);
  const V = g.n.reduce((a, b) => a * b, 1);
  const O = g.o.reduce((a, b) => a * b, 1);
  const T = g.k.reduce((a, b) => a * b, 1);
  const y = new Float64Array(g.N * g.Cout * O);
  for (let nb = 0; nb < g.N; nb++) {
    for (let co = 0; co < g.Cout; co++) {
      const grp = Math.floor(co / g.og);
      for (let ci = 0; ci < g.cg; ci++) {
        const c = grp * g.cg + ci;
        eachTap(g, opts.paddingMode ?? 'zeros', opts.flip ?? false, (o, t, i) => {
          if (i >= 0) y[(nb * g.Cout + co) * O + o] += x.data[(nb * g.C + c) * V + i] * w.data[(co * g.cg + ci) * T + t];
        });
      }
    }
  }
  return { data: y, shape: [g.N, g.Cout, ...g.o] };
}

export function refConvBackward(
  x: RefArray, w: RefArray, dy: RefArray, opts: RefConvOptions = {},
): { gradInput: Float64Array; gradWeight: Float64Array; gradBias: Float64Array } {
  const g = geometry(x.shape, w.shape, opts);
  const V = g.n.reduce((a, b) => a * b, 1);
  const O = g.o.reduce((a, b) => a * b, 1);
  const T = g.k.reduce((a, b) => a * b, 1);
  const dx = new Float64Array(g.N * g.C * V);
  const dw = new Float64Array(g.Cout * g.cg * T);
  const db = new Float64Array(g.Cout);
  for (let nb = 0; nb < g.N; nb++) {
    for (let co = 0; co < g.Cout; co++) {
      for (let o = 0; o < O; o++) db[co] += dy.data[(nb * g.Cout + co) * O + o];
      const grp = Math.floor(co / g.og);
      for (let ci = 0; ci < g.cg; ci++) {
        const c = grp * g.cg + ci;
        eachTap(g, opts.paddingMode ?? 'zeros', opts.flip ?? false, (o, t, i) => {
          if (i < 0) return;
          const gy = dy.data[(nb * g.Cout + co) * O + o];
          dx[(nb * g.C + c) * V + i] += gy * w.data[(co * g.cg + ci) * T + t];
          dw[(co * g.cg + ci) * T + t] += gy * x.data[(nb * g.C + c) * V + i];
        });
      }
    }
  }
  return { gradInput: dx, gradWeight: dw, gradBias: db };
}

export interface RefTransposeOptions {
  stride?: number | number[];
  padding?: number | number[];
  outputPadding?: number | number[];
  dilation?: number | number[];
  groups?: number;
  bias?: ArrayLike<number>;
}

export function refConvTranspose(x: RefArray, w: RefArray, opts: RefTransposeOptions = {}): { data: Float64Array; shape: number[] } {
  const r = x.shape.length - 2;
  const [N, Cin] = x.shape;
  const n = x.shape.slice(2);
  const k = w.shape.slice(2);
  const s = per(opts.stride, r, 1);
  const p = per(opts.padding, r, 0);
  const op = per(opts.outputPadding, r, 0);
  const d = per(opts.dilation, r, 1);
  const G = opts.groups ?? 1;
  const og = w.shape[1];
  const cg = Cin / G;
  const Cout = og * G;
  const out = n.map((v, a) => (v - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op[a] + 1);
  const V = n.reduce((a, b) => a * b, 1);
  const T = k.reduce((a, b) => a * b, 1);
  const OV = out.reduce((a, b) => a * b, 1);
  const y = new Float64Array(N * Cout * OV);
  for (let nb = 0; nb < N; nb++) {
    for (let ci = 0; ci < Cin; ci++) {
      const grp = Math.floor(ci / cg);
      for (let co = 0; co < og; co++) {
        for (let i = 0; i < V; i++) {
          for (let t = 0; t < T; t++) {
            let ir = i;
            let tr = t;
            let idx = 0;
            let inside = true;
            const is: number[] = [];
            const ts: number[] = [];
            for (let a = r - 1; a >= 0; a--) {
              is[a] = ir % n[a];
              ir = Math.floor(ir / n[a]);
              ts[a] = tr % k[a];
              tr = Math.floor(tr / k[a]);
            }
            for (let a = 0; a < r; a++) {
              const q = is[a] * s[a] - p[a] + ts[a] * d[a];
              if (q < 0 || q >= out[a]) inside = false;
              idx = idx * out[a] + q;
            }
            if (!inside) continue;
            y[(nb * Cout + grp * og + co) * OV + idx] += x.data[(nb * Cin + ci) * V + i] * w.data[(ci * og + co) * T + t];
          }
        }
      }
    }
    if (opts.bias) for (let co = 0; co < Cout; co++) for (let q = 0; q < OV; q++) y[(nb * Cout + co) * OV + q] += opts.bias[co];
  }
  return { data: y, shape: [N, Cout, ...out] };
}
