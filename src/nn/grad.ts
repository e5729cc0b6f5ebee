// Gradients of conv1d/2d/3d with torch autograd semantics: correlation forward, convolution backward.
// Forward (per axis, group g, ci < C/groups, co in group g):  y[n, co, o] = Σ_ci Σ_j xpad[n, ci, o·s + j·d] · w[co, ci, j]
//   gradInput:   dxpad[n, ci, o·s + j·d] += Σ_co dy[n, co, o] · w[co, ci, j]   then the padding folded back into x
//   gradWeight:  dw[co, ci, j] = Σ_n Σ_o dy[n, co, o] · xpad[n, ci, o·s + j·d]
//   gradBias:    db[co] = Σ_n Σ_o dy[n, co, o]
// (`flip` reads w[co, ci, k − 1 − j] instead.) At stride 1, gradInput is the full convolution of dy with w and
// gradWeight the valid correlation of xpad with dy. At stride 1 with zero padding gradInput runs as that convolution
// on the forward layer's path; 3×3 gradWeight at stride 1 runs as Winograd F(2×2, 3×3) backwards, depthwise
// gradWeight at stride 1 as one dot product per tap; the rest runs channels-first, per group, over chunks of output
// pixels through the shared GEMM: dX chunk = Wᵀ · dY (then col2im), dW += im2col(X) · dYᵀ.
import type { ConvGradientsOf, DataOf, Exact, NDResult } from '../types';
import { asTensor, ctorOf, product, resultDtype, type DType, type Float, type NDArray, type Numeric } from '../arrays';
import { options, rangeError, typeError } from '../errors';
import { panelWidth } from '../kernels/gemm';
import { foldBorders, padInto, padPlanesInto, TORCH_PADDING } from '../boundary';
import { chunking } from '../threads';
import { copyOut, threadsFor, withWorkspace, type Workspace } from '../workspace';
import { CONV_OPTIONS, geometry3, runConvIfFinite, WINOGRAD_MIN_CHANNELS, type ConvOptions } from './conv';
import { planConv, type ConvPlan } from './plan';

/** The result of conv{1,2,3}dBackward. */
export interface ConvGradients {
  /** dL/dinput, shaped as the input. */
  gradInput: NDArray;
  /** dL/dweight, shaped as the weight. */
  gradWeight: NDArray;
  /** dL/dbias (one entry per output channel), present when `opts.bias` was given. */
  gradBias?: Float;
}

/**
 * Elements of im2col (or column-gradient) scratch per chunk of output pixels, max(K, coutG) × chunk: 512 KiB of float32,
 * the chunk stays in L2. Larger than the forward's IM2COL_TILE_BUDGET (src/nn/conv.ts, one GEMM's A tile): here each
 * chunk also packs dy in panels and runs a GEMM per group, costs paid per chunk, so chunks are longer.
 */
const GRAD_CHUNK_BUDGET = 131072;

/** Output pixels per chunk: a multiple of the panel width, at least one panel, at most every pixel. */
function chunkPixels(P: number, K: number, coutG: number, nr: number): number {
  const t = Math.floor(GRAD_CHUNK_BUDGET / Math.max(K, coutG) / nr) * nr;
  return Math.min(P, Math.max(2 * nr, t));
}

function checkGradOutput(plan: ConvPlan, shape: readonly number[]): void {
  const want = plan.outputShape;
  if (shape.length !== want.length || shape.some((s, a) => s !== want[a])) {
    throw rangeError(plan.op, `gradOutput has shape [${shape.join(', ')}] but the forward output has shape [${want.join(', ')}]`);
  }
}

function shapeArg(op: string, name: string, v: unknown): number[] {
  if (!Array.isArray(v)) throw typeError(op, name, 'an array of integers', v);
  v.forEach((s, a) => {
    if (typeof s !== 'number') throw typeError(op, `${name}[${a}]`, 'a number', s);
    if (!Number.isInteger(s) || s < 1) throw rangeError(op, `${name}[${a}] must be an integer ≥ 1, got ${s}`);
  });
  return v.slice() as number[];
}

function biasLength(op: string, plan: ConvPlan, bias: unknown): void {
  const b = asTensor(op, 'bias', bias);
  if (b.shape.length !== 1) throw rangeError(op, `bias must be 1-D, got shape [${b.shape.join(', ')}]`);
  if (b.shape[0] !== plan.outChannels) {
    throw rangeError(op, `bias has ${b.shape[0]} entries, expected ${plan.outChannels} (one per output channel)`);
  }
}

/** dy (or x) in the caller's layout → channels-first [N, C, vol] at `dst` of mem; `raw` is scratch for channels-last. */
function toChannelsFirst(ws: Workspace, src: Float, N: number, C: number, vol: number, cl: boolean, raw: number, dst: number): void {
  const { mem, k } = ws;
  if (!cl) {
    mem.set(src, dst);
    return;
  }
  mem.set(src, raw);
  for (let n = 0; n < N; n++) k.transpose(mem, raw + n * vol * C, vol, C, C, dst + n * C * vol, vol);
}

/**
 * The input gradient of a planned convolution, in the plan's input layout. `plan.outSize` is the size of dy (the
 * transposed convolution passes its own input size there, which may be one short of the forward's when
 * outputPadding ≥ stride).
 */
export function runGradInput(plan: ConvPlan, dtype: DType, backend: unknown, w: Float, dy: Float): Float {
  return viaForward(plan, dtype, backend, w, dy) ?? viaCol2im(plan, dtype, backend, w, dy);
}

/**
 * Stride 1 with zero padding: dX is the forward convolution of dy, padded by d·(k − 1) − padding, with the kernel
 * reversed and its channel axes swapped per group, so it runs on the forward layer's fastest path (depthwise,
 * Winograd, GEMM). Undefined where that does not apply (then col2im runs).
 */
export function viaForward(plan: ConvPlan, dtype: DType, backend: unknown, w: Float, dy: Float): Float | undefined {
  const { rank, kernel, dilation, padBefore, inSize, outSize, groups: G, inPerGroup: cinG, outPerGroup: coutG } = plan;
  if (plan.paddingMode !== 'zeros' || plan.stride.some((s) => s !== 1)) return undefined;
  const before: number[] = [];
  const after: number[] = [];
  for (let a = 0; a < rank; a++) {
    // Output i is dxpad[i + padBefore]: dy padded by d·(k − 1) − padBefore in front, and after it up to n outputs.
    before.push(dilation[a] * (kernel[a] - 1) - padBefore[a]);
    after.push(inSize[a] - outSize[a] + padBefore[a]);
    if (before[a] < 0 || after[a] < 0) return undefined;
  }
  const cl = plan.layout === 'channels-last';
  const taps = product(kernel);
  const C = plan.inChannels;
  const Cout = plan.outChannels;
  // W'[g·cinG + ci, co, j] = W[g·coutG + co, ci, j] (channels-last: [...k, coutG, C] from [...k, cinG, Cout]).
  const wt = new (ctorOf(dtype))(w.length);
  if (cl) {
    // Per tap and group a [cinG][coutG] → [coutG][cinG] transpose, in 16 × 16 blocks: the tap-innermost loop this
    // replaces touched a new cache line for every element (2.36 M of them on a 512-channel 3×3 layer).
    const B = 16;
    for (let t = 0; t < taps; t++) {
      for (let g = 0; g < G; g++) {
        const src = t * cinG * Cout + g * coutG;
        const dst = t * coutG * C + g * cinG;
        for (let i0 = 0; i0 < cinG; i0 += B) {
          const i1 = Math.min(i0 + B, cinG);
          for (let o0 = 0; o0 < coutG; o0 += B) {
            const o1 = Math.min(o0 + B, coutG);
            for (let co = o0; co < o1; co++) {
              for (let ci = i0; ci < i1; ci++) wt[dst + co * C + ci] = w[src + ci * Cout + co];
            }
          }
        }
      }
    }
  } else {
    for (let g = 0; g < G; g++) {
      for (let ci = 0; ci < cinG; ci++) {
        for (let co = 0; co < coutG; co++) {
          for (let t = 0; t < taps; t++) wt[((g * cinG + ci) * coutG + co) * taps + t] = w[((g * coutG + co) * cinG + ci) * taps + t];
        }
      }
    }
  }
  const wShape = cl ? [...kernel, coutG, C] : [C, coutG, ...kernel];
  const padding = before.map((b, a) => Math.max(b, after[a]));
  const fwd = planConv(plan.op, rank, plan.outputShape, wShape, { dilation, padding, groups: G, layout: plan.layout, flip: !plan.flip });
  fwd.padBefore = before;
  fwd.padAfter = after;
  fwd.outSize = inSize.slice();
  fwd.outputShape = plan.inputShape.slice();
  // The forward layer multiplies the kernel by dy's zero padding, which PyTorch's col2im never does: a NaN or ±Infinity
  // in w or dy would reach outputs it does not touch there (0·∞ = NaN), so such inputs take col2im (undefined here).
  return runConvIfFinite(fwd, dtype, backend, dy, wt);
}

/** Any geometry: per group and chunk of output pixels, Wᵀ · dY by the GEMM, then col2im into the padded input. */
export function viaCol2im(plan: ConvPlan, dtype: DType, backend: unknown, w: Float, dy: Float): Float {
  const g3 = geometry3(plan);
  const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = plan;
  const cl = plan.layout === 'channels-last';
  const nr = panelWidth(dtype);
  const inVol = product(g3.inSize);
  const padVol = product(g3.padded);
  const P = product(g3.outSize);
  const taps = product(g3.kernel);
  const K = cinG * taps;
  const Pt = chunkPixels(P, K, coutG, nr);
  const nIn = N * C * inVol;
  const sizes = [
    cl ? N * Cout * P : 0, // dy as given (channels-last)
    N * Cout * P, // dy channels-first
    G * K * coutG, // Wᵀ per group: rows (ci, tap), columns co
    Math.ceil(Pt / nr) * (nr + coutG * nr), // dy chunk packed in panels of pixels
    K * Pt, // column gradients of one chunk
    N * C * padVol, // gradient of the padded input
    cl ? nIn : 0, // channels-first result before the transpose to channels-last
  ];
  return withWorkspace(plan.op, backend, dtype, sizes, (ws) => {
    const { mem, k } = ws;
    const [dyRaw, dyCf, wt, bp, col, dxp, dxCf] = ws.off;
    toChannelsFirst(ws, dy, N, Cout, P, cl, dyRaw, dyCf);
    // Wᵀ per group; the weight's strides in the caller's layout, so the loop is plain index arithmetic.
    const [sCo, sCi, sT] = cl ? [1, Cout, cinG * Cout] : [cinG * taps, taps, 1];
    for (let g = 0; g < G; g++) {
      for (let ci = 0; ci < cinG; ci++) {
        for (let t = 0; t < taps; t++) {
          const row = wt + (g * K + ci * taps + t) * coutG;
          const src = g * coutG * sCo + ci * sCi + (plan.flip ? taps - 1 - t : t) * sT;
          for (let co = 0; co < coutG; co++) mem[row + co] = w[src + co * sCo];
        }
      }
    }
    mem.fill(0, dxp, dxp + N * C * padVol);
    const [kd, kh, kw] = g3.kernel;
    const [sd, sh, sw] = g3.stride;
    const [dd, dh, dw] = g3.dilation;
    const [, oh, ow] = g3.outSize;
    const [, Ph, Pw] = g3.padded;
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < G; g++) {
        const dyg = dyCf + (n * Cout + g * coutG) * P;
        const xg = dxp + (n * C + g * cinG) * padVol;
        for (let p0 = 0; p0 < P; p0 += Pt) {
          const rows = Math.min(Pt, P - p0);
          k.gradPack(mem, dyg + p0, P, 1, coutG, rows, bp, nr);
          k.gemm(mem, K, rows, coutG, wt + g * K * coutG, coutG, bp, col, rows, nr);
          k.gradCol2im(mem, xg, Ph, Pw, padVol, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, col);
        }
      }
    }
    foldBorders(mem, dxp, N * C, g3, TORCH_PADDING[plan.paddingMode]);
    // Crop the interior, row by row, into the channels-first result (in place when there is no padding).
    const [D, H, W] = g3.inSize;
    const [pbD, pbH, pbW] = g3.padBefore;
    const dst = cl ? dxCf : dxp;
    if (padVol !== inVol) {
      for (let c = 0; c < N * C; c++) {
        for (let z = 0; z < D; z++) {
          for (let y = 0; y < H; y++) {
            const s = dxp + c * padVol + ((z + pbD) * Ph + y + pbH) * Pw + pbW;
            mem.copyWithin(dst + c * inVol + (z * H + y) * W, s, s + W);
          }
        }
      }
    } else if (cl) {
      mem.copyWithin(dxCf, dxp, dxp + nIn);
    }
    if (!cl) return copyOut(mem, dxp, nIn);
    // Channels-last: the padded buffer is free again and holds the transposed result.
    for (let n = 0; n < N; n++) k.transpose(mem, dxCf + n * C * inVol, C, inVol, inVol, dxp + n * inVol * C, C);
    return copyOut(mem, dxp, nIn);
  });
}

/** Elements of U and V per chunk of Winograd tiles (both stay in L2 next to the GEMM's output). */
const WINOGRAD_BUDGET = 196608;
/** Extra elements between the 16 ξ planes: sizes like 64·64 would put every plane in the same cache set. */
const PLANE_SKEW = 16;

/** 3×3 kernels (a 1-deep third axis allowed), stride 1, no dilation on H and W, one group, enough channels. */
export function winogradWeight(plan: ConvPlan): boolean {
  const g3 = geometry3(plan);
  const [kd, kh, kw] = g3.kernel;
  return kd === 1 && kh === 3 && kw === 3 && g3.stride.every((s) => s === 1) && g3.dilation[1] === 1 && g3.dilation[2] === 1 &&
    plan.groups === 1 && plan.inChannels >= WINOGRAD_MIN_CHANNELS && plan.outChannels >= WINOGRAD_MIN_CHANNELS;
}

/**
 * The weight gradient of a planned convolution, in the plan's weight layout. `winograd` (default: where
 * winogradWeight allows it) picks Winograd F(2×2, 3×3) run backwards over im2col + GEMM.
 */
export function runGradWeight(plan: ConvPlan, dtype: DType, backend: unknown, x: Float, dy: Float, winograd = winogradWeight(plan)): Float {
  const g3 = geometry3(plan);
  const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = plan;
  const cl = plan.layout === 'channels-last';
  const nr = panelWidth(dtype);
  const inVol = product(g3.inSize);
  const padVol = product(g3.padded);
  const P = product(g3.outSize);
  const taps = product(g3.kernel);
  const K = cinG * taps;
  // Depthwise at stride 1: each tap of each channel is one dot product of dy with a shifted plane of x.
  const depthwise = !winograd && cinG === 1 && coutG === 1 && g3.stride.every((s) => s === 1);
  const Pt = winograd || depthwise ? 0 : chunkPixels(P, K, coutG, nr);
  const nW = Cout * K;
  const zeros = plan.paddingMode === 'zeros';
  // Winograd: 2×2 output tiles, read as 4×4 input tiles from a channels-last copy with whole tiles (zeros past the edge).
  const [Pd, Ph, Pw] = g3.padded;
  const [, oh, ow] = g3.outSize;
  const th = Math.ceil(oh / 2);
  const tw = Math.ceil(ow / 2);
  const tiles = th * tw;
  // At least 64 tiles a chunk (the GEMMs' inner dimension, which short chunks starve), and chunks of equal size: a
  // short last chunk would cost as many M updates as a full one.
  const Tmin = Math.max(64, Math.floor(WINOGRAD_BUDGET / (16 * (C + Cout))));
  const Tt = winograd ? Math.ceil(tiles / Math.max(1, Math.floor(tiles / Tmin))) : 0;
  const panels = Math.ceil(C / nr);
  // Winograd with a pool: each thread runs the whole loop for its own output channels (U, V and the GEMM's product
  // in buffers of its own; V is transformed by every thread, ~1/16 of the work at 16 channels a chunk).
  const T = winograd ? threadsFor(plan.op, backend, 16 * N * Pd * tiles * C * Cout) : Pt ? threadsFor(plan.op, backend, N * P * K * Cout) : 1;
  const sizes = [
    cl ? N * C * inVol : 0, // x as given (channels-last)
    cl || zeros ? N * C * inVol : 0, // x channels-first
    N * C * padVol, // padded x, channels-first
    cl ? N * Cout * P : 0, // dy as given
    N * Cout * P, // dy channels-first
    Pt ? T * Math.ceil(coutG / nr) * (nr + Pt * nr) : 0, // dy chunk packed in panels of output channels, per thread
    Pt ? T * K * Pt : 0, // im2col of one chunk, per thread
    Pt ? T * K * coutG : winograd ? T * Cout * C : 0, // one chunk's product, per thread
    // Accumulated dWᵀ per group (rows (ci, tap), columns co), Winograd's M, or the depthwise dW [C, taps].
    Pt ? G * K * coutG : winograd ? 16 * (Cout * C + PLANE_SKEW) : C * taps,
    nW, // result in the caller's layout
    winograd ? N * Pd * (2 * th + 2) * (2 * tw + 2) * C : 0, // padded x, channels-last, whole tiles (gradWinoV's over-read: the EXTRA pad)
    winograd ? T * 16 * (Cout * Tt + PLANE_SKEW) : 0, // Winograd U of one chunk, per thread
    winograd ? T * 16 * panels * (nr + Tt * nr) : 0, // Winograd V of one chunk, packed, per thread
    winograd ? 9 * Cout * C : 0, // Winograd's dW, one [Cout, C] plane per tap
  ];
  const res = withWorkspace(plan.op, backend, dtype, sizes, (ws): Float | undefined => {
    const { mem, k } = ws;
    const [xRaw, xCf, xp, dyRaw, dyCf, bp, col, tmp, acc, out, xt, u, v, wo] = ws.off;
    const ext = TORCH_PADDING[plan.paddingMode];
    const [D, H, W] = g3.inSize;
    const [pbD, pbH, pbW] = g3.padBefore;
    if (cl || zeros) {
      toChannelsFirst(ws, x, N, C, inVol, cl, xRaw, xCf);
      padPlanesInto(mem, k, xCf, N * C, g3, ext, xp);
    } else {
      padInto(mem, xp, x, [N * C, D, H, W], [N * C, Pd, Ph, Pw], [0, -pbD, -pbH, -pbW], ext, 0);
    }
    toChannelsFirst(ws, dy, N, Cout, P, cl, dyRaw, dyCf);
    const od = g3.outSize[0];
    const [kd, kh, kw] = g3.kernel;
    const [dd, dh, dw] = g3.dilation;
    if (depthwise) {
      mem.fill(0, acc, acc + C * taps);
      for (let n = 0; n < N; n++) {
        for (let c = 0; c < C; c++) {
          k.gradDwWeight(mem, xp + (n * C + c) * padVol, Ph, Pw, dyCf + (n * C + c) * P, od, oh, ow, kd, kh, kw, dd, dh, dw, acc + c * taps);
        }
      }
      for (let c = 0; c < C; c++) {
        for (let t = 0; t < taps; t++) {
          const tap = plan.flip ? taps - 1 - t : t;
          mem[out + (cl ? tap * C + c : c * taps + tap)] = mem[acc + c * taps + t];
        }
      }
      return copyOut(mem, out, nW);
    }
    if (winograd) {
      // The transforms mix a tile's samples (0·∞ = NaN): NaN or ±Infinity in x or dy takes im2col, PyTorch's sums.
      if (k.nonFinite(mem, xp, N * C * padVol) || k.nonFinite(mem, dyCf, N * Cout * P)) return undefined;
      winogradLoop(ws, T, N, C, Cout, Pd, Ph, Pw, oh, ow, th, tw, Tt, nr, xp, dyCf, xt, u, v, acc, tmp);
      // dW = Gᵀ·M·G into 9 tap planes [co][ci] (reversed with flip), then into the caller's weight layout.
      const plane = Cout * C;
      k.gradWinoOut(mem, acc, plane + PLANE_SKEW, plane, wo, plane, plan.flip ? 1 : 0);
      if (cl) for (let t = 0; t < 9; t++) k.transpose(mem, wo + t * plane, Cout, C, C, out + t * plane, Cout);
      else for (let co = 0; co < Cout; co++) k.transpose(mem, wo + co * C, 9, C, plane, out + co * C * 9, 9);
      return copyOut(mem, out, nW);
    }
    const [sd, sh, sw] = g3.stride;
    // Chunks of input channels (rows (ci, tap) of dWᵀ) per group, each summing over every image and pixel chunk in
    // the same order: split by the gradient's outputs, never by the reduction. Each thread packs dy itself.
    const bpSlot = Math.ceil(coutG / nr) * (nr + Pt * nr);
    const sp = chunking(cinG, (N * P * K * Cout) / G, 1);
    ws.parallel(T, G * sp.chunks, (c0, c1, t) => {
      const bpt = bp + t * bpSlot;
      const colt = col + t * K * Pt;
      const tmpt = tmp + t * K * coutG;
      for (let c = c0; c < c1; c++) {
        const [g, a, b] = sp.of(c);
        const nci = b - a;
        const ag = acc + g * K * coutG + a * taps * coutG;
        let first = true;
        for (let n = 0; n < N; n++) {
          const dyg = dyCf + (n * Cout + g * coutG) * P;
          const xg = xp + (n * C + g * cinG + a) * padVol;
          for (let p0 = 0; p0 < P; p0 += Pt) {
            const rows = Math.min(Pt, P - p0);
            k.gradPack(mem, dyg + p0, 1, P, rows, coutG, bpt, nr);
            k.gradIm2col(mem, xg, Ph, Pw, padVol, nci, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, colt);
            k.gemm(mem, nci * taps, coutG, rows, colt, rows, bpt, first ? ag : tmpt, coutG, nr);
            if (!first) k.gradAdd(mem, ag, tmpt, nci * taps * coutG);
            first = false;
          }
        }
      }
    });
    if (!cl && !plan.flip) {
      // Channels-first [Cout, cinG·taps] is each group's [cinG·taps, coutG] block transposed.
      for (let g = 0; g < G; g++) k.transpose(mem, acc + g * K * coutG, K, coutG, coutG, out + g * coutG * K, K);
      return copyOut(mem, out, nW);
    }
    const [sCo, sCi, sT] = cl ? [1, Cout, cinG * Cout] : [cinG * taps, taps, 1];
    for (let g = 0; g < G; g++) {
      for (let ci = 0; ci < cinG; ci++) {
        for (let t = 0; t < taps; t++) {
          const row = acc + (g * K + ci * taps + t) * coutG;
          const dst = out + g * coutG * sCo + ci * sCi + (plan.flip ? taps - 1 - t : t) * sT;
          for (let co = 0; co < coutG; co++) mem[dst + co * sCo] = mem[row + co];
        }
      }
    }
    return copyOut(mem, out, nW);
  });
  return res ?? runGradWeight(plan, dtype, backend, x, dy, false);
}

/**
 * M[ξ][co][ci] = Σ over images and 2×2 tiles of U[ξ][co][t] · V[ξ][t][ci]: per chunk of tiles, the two transforms
 * and 16 GEMMs (the first chunk writes M, later ones add). Planes of a 1-deep-kernel 3-D input count as images.
 */
function winogradLoop(
  ws: Workspace, T: number, N: number, C: number, Cout: number, Pd: number, Ph: number, Pw: number, oh: number, ow: number,
  th: number, tw: number, Tt: number, nr: number, xp: number, dyCf: number, xt: number, u: number, v: number, M: number, tmp: number,
): void {
  const { mem, k } = ws;
  const Ph2 = 2 * th + 2;
  const Pw2 = 2 * tw + 2;
  const img = Ph2 * Pw2 * C;
  const padVol = Pd * Ph * Pw;
  const P = Pd * oh * ow;
  const panels = Math.ceil(C / nr);
  mem.fill(0, xt, xt + N * Pd * img + nr); // and the nr elements of the EXTRA pad that gradWinoV reads
  for (let n = 0; n < N; n++) {
    for (let z = 0; z < Pd; z++) {
      for (let y = 0; y < Ph; y++) {
        k.transpose(mem, xp + n * C * padVol + (z * Ph + y) * Pw, C, Pw, padVol, xt + (n * Pd + z) * img + y * Pw2 * C, C);
      }
    }
  }
  // Chunks of output channels (at least 16 each), each summing over every image and tile in the same order: the
  // weight gradient is split by its outputs, never by the reduction.
  const uSlot = 16 * (Cout * Tt + PLANE_SKEW);
  const vSlot = 16 * panels * (nr + Tt * nr);
  const sp = chunking(Cout, 16 * N * Pd * th * tw * C * Cout, 4);
  const chunks = Math.min(sp.chunks, Math.max(1, Math.floor(Cout / 16)));
  const co = chunks === sp.chunks ? sp : chunking(Cout, chunks * (1 << 20), 4);
  ws.parallel(T, co.chunks, (c0, c1, slot) => {
    const ut = u + slot * uSlot;
    const vt = v + slot * vSlot;
    const tt = tmp + slot * Cout * C;
    for (let c = c0; c < c1; c++) {
      const a = co.at(c);
      const nc = co.at(c + 1) - a;
      let first = true;
      for (let n = 0; n < N; n++) {
        for (let z = 0; z < Pd; z++) {
          const xi0 = xt + (n * Pd + z) * img;
          const dyi = dyCf + n * Cout * P + z * oh * ow + a * P;
          for (let t0 = 0; t0 < th * tw; t0 += Tt) {
            const nt = Math.min(Tt, th * tw - t0);
            const us = nc * nt + PLANE_SKEW;
            k.gradWinoU(mem, dyi, oh, ow, P, nc, t0, nt, tw, ut, us);
            k.gradWinoV(mem, xi0, Pw2, C, t0, nt, tw, vt, nr);
            const vS = panels * (nr + nt * nr);
            for (let xi = 0; xi < 16; xi++) {
              const m = M + xi * (Cout * C + PLANE_SKEW) + a * C;
              k.gemm(mem, nc, C, nt, ut + xi * us, nt, vt + xi * vS, first ? m : tt, C, nr);
              if (!first) k.gradAdd(mem, m, tt, nc * C);
            }
            first = false;
          }
        }
      }
    }
  });
}

/** Σ of dy over batch and spatial axes, per output channel (readable loops: one pass over dy). */
export function gradBiasOf(plan: ConvPlan, dtype: DType, dy: Float): Float {
  const Cout = plan.outChannels;
  const P = product(plan.outSize);
  const out = new Float64Array(Cout);
  const cl = plan.layout === 'channels-last';
  for (let n = 0; n < plan.batch; n++) {
    for (let co = 0; co < Cout; co++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += dy[cl ? (n * P + p) * Cout + co : (n * Cout + co) * P + p];
      out[co] += s;
    }
  }
  return dtype === 'float32' ? Float32Array.from(out) : out;
}

/** conv{1,2,3}dGradInput. */
export function convGradInput(op: string, rank: number, inputShape: unknown, weight: unknown, gradOutput: unknown, opts: unknown): NDArray {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const shape = shapeArg(op, 'inputShape', inputShape);
  const w = asTensor(op, 'weight', weight);
  const dy = asTensor(op, 'gradOutput', gradOutput);
  const plan = planConv(op, rank, shape, w.shape, o);
  checkGradOutput(plan, dy.shape);
  const dtype = resultDtype(op, o.dtype, w, dy);
  return { data: runGradInput(plan, dtype, o.backend, w.data as Float, dy.data as Float), shape: plan.inputShape.slice() };
}

/** conv{1,2,3}dGradWeight. */
export function convGradWeight(op: string, rank: number, input: unknown, weightShape: unknown, gradOutput: unknown, opts: unknown): NDArray {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const x = asTensor(op, 'input', input);
  const shape = shapeArg(op, 'weightShape', weightShape);
  const dy = asTensor(op, 'gradOutput', gradOutput);
  const plan = planConv(op, rank, x.shape, shape, o);
  checkGradOutput(plan, dy.shape);
  const dtype = resultDtype(op, o.dtype, x, dy);
  return { data: runGradWeight(plan, dtype, o.backend, x.data as Float, dy.data as Float), shape: plan.weightShape.slice() };
}

/** conv{1,2,3}dBackward. */
export function convBackward(op: string, rank: number, input: unknown, weight: unknown, gradOutput: unknown, opts: unknown): ConvGradients {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const x = asTensor(op, 'input', input);
  const w = asTensor(op, 'weight', weight);
  const dy = asTensor(op, 'gradOutput', gradOutput);
  const plan = planConv(op, rank, x.shape, w.shape, o);
  checkGradOutput(plan, dy.shape);
  const tensors = [x, w, dy];
  if (o.bias !== undefined) {
    biasLength(op, plan, o.bias);
    tensors.push(asTensor(op, 'bias', o.bias));
  }
  const dtype = resultDtype(op, o.dtype, ...tensors);
  const dyd = dy.data as Float;
  const res: ConvGradients = {
    gradInput: { data: runGradInput(plan, dtype, o.backend, w.data as Float, dyd), shape: plan.inputShape.slice() },
    gradWeight: { data: runGradWeight(plan, dtype, o.backend, x.data as Float, dyd), shape: plan.weightShape.slice() },
  };
  if (o.bias !== undefined) res.gradBias = gradBiasOf(plan, dtype, dyd);
  return res;
}

/**
 * Gradient of conv1d with respect to its input (torch autograd): the full convolution of gradOutput with the weight.
 * @example conv1dGradInput([1, 1, 4], { data: new Float64Array([1, -1]), shape: [1, 1, 2] }, { data: new Float64Array([1, 0, 0]), shape: [1, 1, 3] })
 * // → { data: Float64Array [1, -1, 0, 0], shape: [1, 1, 4] }
 */
export function conv1dGradInput<B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(inputShape: readonly number[], weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<B, C, O>;
export function conv1dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv1dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradInput('conv1dGradInput', 1, inputShape, weight, gradOutput, opts);
}

/** Gradient of conv2d with respect to its input. @example conv2dGradInput([1, 3, 32, 32], w, dy, { padding: 1 }) */
export function conv2dGradInput<B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(inputShape: readonly number[], weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<B, C, O>;
export function conv2dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv2dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradInput('conv2dGradInput', 2, inputShape, weight, gradOutput, opts);
}

/** Gradient of conv3d with respect to its input. @example conv3dGradInput([1, 2, 8, 8, 8], w, dy, { stride: 2 }) */
export function conv3dGradInput<B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(inputShape: readonly number[], weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<B, C, O>;
export function conv3dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv3dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradInput('conv3dGradInput', 3, inputShape, weight, gradOutput, opts);
}

/**
 * Gradient of conv1d with respect to its weight: the valid correlation of the (padded) input with gradOutput.
 * @example conv1dGradWeight({ data: new Float64Array([1, 2, 3, 4]), shape: [1, 1, 4] }, [1, 1, 2], { data: new Float64Array([1, 0, 0]), shape: [1, 1, 3] })
 * // → { data: Float64Array [1, 2], shape: [1, 1, 2] }
 */
export function conv1dGradWeight<A extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weightShape: readonly number[], gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<A, C, O>;
export function conv1dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv1dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradWeight('conv1dGradWeight', 1, input, weightShape, gradOutput, opts);
}

/** Gradient of conv2d with respect to its weight. @example conv2dGradWeight(x, [8, 3, 3, 3], dy, { padding: 'same' }) */
export function conv2dGradWeight<A extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weightShape: readonly number[], gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<A, C, O>;
export function conv2dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv2dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradWeight('conv2dGradWeight', 2, input, weightShape, gradOutput, opts);
}

/** Gradient of conv3d with respect to its weight. @example conv3dGradWeight(x, [4, 2, 3, 3, 3], dy) */
export function conv3dGradWeight<A extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weightShape: readonly number[], gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<A, C, O>;
export function conv3dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv3dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradWeight('conv3dGradWeight', 3, input, weightShape, gradOutput, opts);
}

/**
 * Every gradient of conv1d at once: { gradInput, gradWeight, gradBias? } (gradBias when `opts.bias` is given).
 * @example const { gradInput, gradWeight } = conv1dBackward(x, w, dy, { padding: 1 })
 */
export function conv1dBackward<A extends NDArray<Numeric>, B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): ConvGradientsOf<DataOf<A, B, O, C>>;
export function conv1dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients;
export function conv1dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients {
  return convBackward('conv1dBackward', 1, input, weight, gradOutput, opts);
}

/**
 * Every gradient of conv2d at once, for a training step.
 * @example const { gradWeight, gradBias } = conv2dBackward(x, w, dy, { padding: 1, bias: b })
 */
export function conv2dBackward<A extends NDArray<Numeric>, B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): ConvGradientsOf<DataOf<A, B, O, C>>;
export function conv2dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients;
export function conv2dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients {
  return convBackward('conv2dBackward', 2, input, weight, gradOutput, opts);
}

/** Every gradient of conv3d at once. @example conv3dBackward(x, w, dy, { stride: 2, padding: 1 }) */
export function conv3dBackward<A extends NDArray<Numeric>, B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): ConvGradientsOf<DataOf<A, B, O, C>>;
export function conv3dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients;
export function conv3dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients {
  return convBackward('conv3dBackward', 3, input, weight, gradOutput, opts);
}
