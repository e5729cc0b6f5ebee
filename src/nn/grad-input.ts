// The input gradient of a planned convolution, one function per path:
//   dxpad[n, ci, o·s + j·d] += Σ_co dy[n, co, o] · w[co, ci, j]   then the padding folded back into x
// - 'forward': at stride 1 with zero padding, dX is the forward convolution of dy, padded by d·(k − 1) − padding,
//   with the kernel reversed and its channel axes swapped per group, so it runs on the forward layer's fastest path
//   (depthwise, Winograd, GEMM). It steps aside on NaN or ±Infinity (the forward layer multiplies the kernel by dy's
//   zero padding, which PyTorch's col2im never does: 0·∞ = NaN would reach outputs it does not touch there), for
//   'col2im';
// - 'col2im' (kernels gradPack, gemm, gradCol2im): any geometry, per group and chunk of output pixels Wᵀ · dY by the
//   GEMM, then col2im into the padded input, whose border is folded back (foldBorders).
// The transposed convolution (src/nn/transposed.ts) is this gradient of the forward convolution it plans.
import { ctorOf, product, type DType, type Float } from '../arrays';
import { foldBorders, TORCH_PADDING } from '../boundary';
import { panelWidth } from '../kernels/gemm';
import { copyOut, withBuffers, type Backend } from '../workspace';
import { convPath, planForward, runForward, type ForwardPlan } from './conv';
import { packsStrided, type WeightStrides } from './pack';
import { chunkPixels, toChannelsFirst } from './grad-weight';
import { freeze, geometry3, planConvExplicit, type ConvPlan, type Geometry3 } from './plan';

export interface GradInputCol2imPlan {
  readonly conv: ConvPlan;
  readonly g3: Geometry3;
  readonly dtype: DType;
  readonly backend: Backend;
  readonly path: 'col2im';
  readonly stepsAside: false;
  /** Output pixels per chunk. */
  readonly Pt: number;
  readonly buffers: Readonly<{ dyRaw: number; dyCf: number; wRaw: number; wt: number; bp: number; col: number; dxp: number; dxCf: number }>;
}

export interface GradInputForwardPlan {
  readonly conv: ConvPlan;
  readonly dtype: DType;
  readonly backend: Backend;
  readonly path: 'forward';
  /** NaN or ±Infinity in w or dy: `fallback` runs instead. */
  readonly stepsAside: true;
  /** The forward convolution of dy (its input) with the swapped, reversed weights: finiteOnly, no fallback of its own. */
  readonly forward: ForwardPlan;
  readonly fallback: GradInputCol2imPlan;
}

export type GradInputPlan = GradInputForwardPlan | GradInputCol2imPlan;

/**
 * Plan the input gradient on `backend`. `conv.outSize` is the size of dy (a transposed convolution's plan may give
 * one short of what its padding would: planConvTranspose). 'forward' where it applies, unless `col2im`.
 */
export function planGradInput(conv: ConvPlan, dtype: DType, backend: Backend, col2im = false): GradInputPlan {
  const fallback = planCol2im(conv, dtype, backend);
  const fwd = col2im ? undefined : forwardOf(conv);
  if (!fwd) return fallback;
  // One group on a path that packs through packWeights: the packing reads W' from the layer's own weights at swapped
  // strides; otherwise gradInputForward copies them transposed first (a JS loop over every weight, and a fresh array:
  // on a 512-channel 3×3 layer at 7 × 7 that copy took most of dX's time).
  const path = convPath(fwd);
  const weightStrides = conv.groups === 1 && packsStrided(fwd, path) ? swappedStrides(conv) : undefined;
  return freeze({
    conv, dtype, backend, path: 'forward', stepsAside: true, fallback,
    forward: planForward(fwd, dtype, backend, { path, finiteOnly: true, weightStrides }),
  });
}

/**
 * Strides at which W'[ci, co, j] = W[co, ci, j] (the forward convolution's output channel ci, input channel co, tap
 * j) is read in the layer's weights, one group: channels-first W [Cout, C, ...k], channels-last W [...k, C, Cout].
 */
function swappedStrides(conv: ConvPlan): WeightStrides {
  const taps = product(conv.kernel);
  const { inChannels: C, outChannels: Cout } = conv;
  return conv.layout === 'channels-first' ? [taps, C * taps, 1] : [Cout, 1, C * Cout];
}

/** The input gradient, in the plan's input layout (a 'forward' plan that steps aside runs its fallback). */
export function runGradInput(plan: GradInputPlan, w: Float, dy: Float): Float {
  if (plan.path === 'col2im') return gradInputCol2im(plan, w, dy);
  return gradInputForward(plan, w, dy) ?? gradInputCol2im(plan.fallback, w, dy);
}

/** One path's run without its fallback: undefined where a 'forward' plan stepped aside (tests compare the paths). */
export function runGradInputPath(plan: GradInputPlan, w: Float, dy: Float): Float | undefined {
  return plan.path === 'col2im' ? gradInputCol2im(plan, w, dy) : gradInputForward(plan, w, dy);
}

/**
 * The forward convolution whose output is dX, planned from `conv` (stride 1, zero padding): dy padded by
 * d·(k − 1) − padBefore in front and up to the input's size after, weight [C, coutG, ...k] (channels-last
 * [...k, coutG, C]), the kernel reversed. Undefined where that does not apply.
 */
function forwardOf(conv: ConvPlan): ConvPlan | undefined {
  const { rank, kernel, dilation, padBefore, inSize, outSize, groups: G, inPerGroup: cinG, outPerGroup: coutG } = conv;
  if (conv.paddingMode !== 'zeros' || conv.stride.some((s) => s !== 1)) return undefined;
  const before: number[] = [];
  const after: number[] = [];
  for (let a = 0; a < rank; a++) {
    // Output i is dxpad[i + padBefore]: dy padded by d·(k − 1) − padBefore in front, and after it up to n outputs.
    before.push(dilation[a] * (kernel[a] - 1) - padBefore[a]);
    after.push(inSize[a] - outSize[a] + padBefore[a]);
    if (before[a] < 0 || after[a] < 0) return undefined;
  }
  const C = cinG * G;
  const cl = conv.layout === 'channels-last';
  const wShape = cl ? [...kernel, coutG, C] : [C, coutG, ...kernel];
  return planConvExplicit(conv.op, rank, conv.outputShape, wShape, {
    stride: conv.stride, dilation, padBefore: before, padAfter: after, groups: G, layout: conv.layout, flip: !conv.flip,
    paddingMode: 'zeros',
  });
}

/** dX as a forward convolution (see forwardOf); undefined on NaN or ±Infinity in w or dy. */
function gradInputForward(p: GradInputForwardPlan, w: Float, dy: Float): Float | undefined {
  if (p.forward.weightStrides) return runForward(p.forward, dy, w);
  const { conv } = p;
  const { kernel, groups: G, inPerGroup: cinG, outPerGroup: coutG } = conv;
  const cl = conv.layout === 'channels-last';
  const taps = product(kernel);
  const C = conv.inChannels;
  const Cout = conv.outChannels;
  // W'[g·cinG + ci, co, j] = W[g·coutG + co, ci, j] (channels-last: [...k, coutG, C] from [...k, cinG, Cout]).
  const wt = new (ctorOf(p.dtype))(w.length);
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
  return runForward(p.forward, dy, wt);
}

function planCol2im(conv: ConvPlan, dtype: DType, backend: Backend): GradInputCol2imPlan {
  const g3 = geometry3(conv);
  const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = conv;
  const cl = conv.layout === 'channels-last';
  const nr = panelWidth(dtype);
  const P = product(g3.outSize);
  const K = cinG * product(g3.kernel);
  const Pt = chunkPixels(P, K, coutG, nr);
  return freeze({
    conv, g3, dtype, backend, path: 'col2im', stepsAside: false, Pt,
    buffers: Object.freeze({
      dyRaw: cl ? N * Cout * P : 0, // dy as given (channels-last)
      dyCf: N * Cout * P, // dy channels-first
      wRaw: cl || conv.flip ? 0 : G * K * coutG, // channels-first weights as given, transposed from there
      wt: G * K * coutG, // Wᵀ per group: rows (ci, tap), columns co
      bp: Math.ceil(Pt / nr) * (nr + coutG * nr), // dy chunk packed in panels of pixels
      col: K * Pt, // column gradients of one chunk
      dxp: N * C * product(g3.padded), // gradient of the padded input
      dxCf: cl ? N * C * product(g3.inSize) : 0, // channels-first result before the transpose to channels-last
    }),
  });
}

/** Any geometry: per group and chunk of output pixels, Wᵀ · dY by the GEMM, then col2im into the padded input. */
function gradInputCol2im(p: GradInputCol2imPlan, w: Float, dy: Float): Float {
  const { conv, g3, Pt } = p;
  const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = conv;
  const cl = conv.layout === 'channels-last';
  const nr = panelWidth(p.dtype);
  const inVol = product(g3.inSize);
  const padVol = product(g3.padded);
  const P = product(g3.outSize);
  const taps = product(g3.kernel);
  const K = cinG * taps;
  const nIn = N * C * inVol;
  return withBuffers(conv.op, p.backend, p.dtype, p.buffers, (ws, at) => {
    const { mem, k } = ws;
    const { dyCf, wt, bp, col, dxp, dxCf } = at;
    toChannelsFirst(ws, dy, N, Cout, P, cl, at.dyRaw, dyCf);
    // Wᵀ per group. Channels-first, each group's [coutG × K] weights are one matrix to transpose (the transpose kernel,
    // on the weights copied in); otherwise each row (ci, tap) is gathered at the weight's strides in the caller's
    // layout (channels-last: one contiguous run of coutG). A plain JS loop over every weight took most of dX's time
    // on ResNet-18's 256 → 512 stride-2 layer.
    const [sCo, sCi, sT] = cl ? [1, Cout, cinG * Cout] : [cinG * taps, taps, 1];
    if (p.buffers.wRaw) {
      mem.set(w, at.wRaw);
      for (let g = 0; g < G; g++) k.transpose(mem, at.wRaw + g * coutG * K, coutG, K, K, wt + g * K * coutG, coutG);
    } else {
      for (let g = 0; g < G; g++) {
        for (let ci = 0; ci < cinG; ci++) {
          for (let t = 0; t < taps; t++) {
            const row = wt + (g * K + ci * taps + t) * coutG;
            const src = g * coutG * sCo + ci * sCi + (conv.flip ? taps - 1 - t : t) * sT;
            if (cl) mem.set(w.subarray(src, src + coutG), row);
            else for (let co = 0; co < coutG; co++) mem[row + co] = w[src + co * sCo];
          }
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
    foldBorders(mem, dxp, N * C, g3, TORCH_PADDING[conv.paddingMode]);
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
