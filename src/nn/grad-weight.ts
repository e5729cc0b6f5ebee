// The weight gradient of a planned convolution, one function per path:
//   dw[co, ci, j] = Σ_n Σ_o dy[n, co, o] · xpad[n, ci, o·s + j·d]   (`flip` writes w[co, ci, k − 1 − j])
// - 'winograd' (kernels gradWinoU, gradWinoV, gemm, gradWinoOut): 3×3 at stride 1 as Winograd F(2×2, 3×3) run
//   backwards; it steps aside on NaN or ±Infinity (its transforms mix a tile's samples: 0·∞ = NaN) for 'im2col';
// - 'depthwise' (kernel gradDwWeight): one group per channel at stride 1, one dot product per tap;
// - 'im2col' (kernels gradPack, gradIm2col, gemm, gradAdd): any geometry, channels-first, per group and chunk of
//   output pixels dW += im2col(X) · dYᵀ.
// Each path stages x channels-first and padded, and dy channels-first (stageGradInputs), then owns its buffers.
import { product, type DType, type Float } from '../arrays';
import { padInto, padPlanesInto, TORCH_PADDING } from '../boundary';
import { panelWidth } from '../kernels/gemm';
import { chunking } from '../threads';
import { backendFor, copyOut, oneThread, threadsFor, withBuffers, type Backend, type Offsets, type Workspace } from '../workspace';
import { geometry3, WINOGRAD_MIN_CHANNELS, type ConvPlan, type Geometry3 } from './plan';

/**
 * Elements of im2col (or column-gradient) scratch per chunk of output pixels, max(K, coutG) × chunk: 512 KiB of float32,
 * the chunk stays in L2. Larger than the forward's IM2COL_TILE_BUDGET (src/nn/paths/im2col.ts, one GEMM's A tile): here
 * each chunk also packs dy in panels and runs a GEMM per group, costs paid per chunk, so chunks are longer.
 */
const GRAD_CHUNK_BUDGET = 131072;

/** Output pixels per chunk: a multiple of the panel width, at least one panel, at most every pixel. */
export function chunkPixels(P: number, K: number, coutG: number, nr: number): number {
  const t = Math.floor(GRAD_CHUNK_BUDGET / Math.max(K, coutG) / nr) * nr;
  return Math.min(P, Math.max(2 * nr, t));
}

/** dy (or x) in the caller's layout → channels-first [N, C, vol] at `dst` of mem; `raw` is scratch for channels-last. */
export function toChannelsFirst(ws: Workspace, src: Float, N: number, C: number, vol: number, cl: boolean, raw: number, dst: number): void {
  const { mem, k } = ws;
  if (!cl) {
    mem.set(src, dst);
    return;
  }
  mem.set(src, raw);
  for (let n = 0; n < N; n++) k.transpose(mem, raw + n * vol * C, vol, C, C, dst + n * C * vol, vol);
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

/** The buffers every weight-gradient path has, in this order (zero-sized where unused), its own after them. */
interface StagedGradBuffers {
  /** x as given (channels-last). */
  xRaw: number;
  /** x channels-first. */
  xCf: number;
  /** Padded x, channels-first. */
  xp: number;
  /** dy as given (channels-last). */
  dyRaw: number;
  /** dy channels-first. */
  dyCf: number;
  [name: string]: number;
}

interface GradWeightBase {
  readonly conv: ConvPlan;
  readonly g3: Geometry3;
  readonly dtype: DType;
  readonly backend: Backend;
  /** Threads (threadsFor of the path's work; 1 on the depthwise path). */
  readonly threads: number;
  /** Elements of the result. */
  readonly nW: number;
}

export interface GradWeightWinogradPlan extends GradWeightBase {
  readonly path: 'winograd';
  /** NaN or ±Infinity in x or dy: the im2col plan `fallback` runs instead. */
  readonly stepsAside: true;
  readonly fallback: GradWeightIm2colPlan;
  /** 2×2 output tiles per column and row, and tiles per chunk. */
  readonly th: number;
  readonly tw: number;
  readonly tileChunk: number;
  readonly buffers: Readonly<StagedGradBuffers & { tmp: number; m: number; out: number; xt: number; u: number; v: number; wo: number }>;
}

export interface GradWeightDepthwisePlan extends GradWeightBase {
  readonly path: 'depthwise';
  readonly stepsAside: false;
  readonly buffers: Readonly<StagedGradBuffers & { acc: number; out: number }>;
}

export interface GradWeightIm2colPlan extends GradWeightBase {
  readonly path: 'im2col';
  readonly stepsAside: false;
  /** Output pixels per chunk. */
  readonly Pt: number;
  readonly buffers: Readonly<StagedGradBuffers & { bp: number; col: number; tmp: number; acc: number; out: number }>;
}

export type GradWeightPlan = GradWeightWinogradPlan | GradWeightDepthwisePlan | GradWeightIm2colPlan;

/**
 * Plan the weight gradient on `backend`: Winograd where `winograd` (default: where winogradWeight allows it), else
 * depthwise dot products for one-channel groups at stride 1, else im2col + GEMM.
 */
export function planGradWeight(conv: ConvPlan, dtype: DType, backend: Backend, winograd = winogradWeight(conv)): GradWeightPlan {
  const g3 = geometry3(conv);
  const { batch: N, inChannels: C, outChannels: Cout, inPerGroup: cinG, outPerGroup: coutG } = conv;
  const cl = conv.layout === 'channels-last';
  const inVol = product(g3.inSize);
  const P = product(g3.outSize);
  const taps = product(g3.kernel);
  const staged: StagedGradBuffers = {
    xRaw: cl ? N * C * inVol : 0,
    xCf: cl || conv.paddingMode === 'zeros' ? N * C * inVol : 0,
    xp: N * C * product(g3.padded),
    dyRaw: cl ? N * Cout * P : 0,
    dyCf: N * Cout * P,
  };
  const nW = Cout * cinG * taps;
  if (winograd) {
    const nr = panelWidth(dtype);
    const [Pd] = g3.padded;
    const [, oh, ow] = g3.outSize;
    const th = Math.ceil(oh / 2);
    const tw = Math.ceil(ow / 2);
    const tiles = th * tw;
    // At least 64 tiles a chunk (the GEMMs' inner dimension, which short chunks starve), and chunks of equal size: a
    // short last chunk would cost as many M updates as a full one.
    const Tmin = Math.max(64, Math.floor(WINOGRAD_BUDGET / (16 * (C + Cout))));
    const tileChunk = Math.ceil(tiles / Math.max(1, Math.floor(tiles / Tmin)));
    // With a pool each thread runs the whole loop for its own output channels (U, V and the GEMM's product in
    // buffers of its own; V is transformed by every thread, ~1/16 of the work at 16 channels a chunk).
    const T = threadsFor(conv.op, backend, 16 * N * Pd * tiles * C * Cout);
    const buffers = Object.freeze(Object.assign(staged, {
      tmp: T * Cout * C, // one chunk's product, per thread
      m: 16 * (Cout * C + PLANE_SKEW), // Winograd's M
      out: nW, // result in the caller's layout
      xt: N * Pd * (2 * th + 2) * (2 * tw + 2) * C, // padded x, channels-last, whole tiles (gradWinoV's over-read: the EXTRA pad)
      u: T * 16 * (Cout * tileChunk + PLANE_SKEW), // U of one chunk, per thread
      v: T * 16 * Math.ceil(C / nr) * (nr + tileChunk * nr), // V of one chunk, packed, per thread
      wo: 9 * Cout * C, // dW, one [Cout, C] plane per tap
    }));
    const fallback = planGradWeight(conv, dtype, backend, false) as GradWeightIm2colPlan;
    return Object.freeze({ conv, g3, dtype, backend: backendFor(backend, T), nW, path: 'winograd', stepsAside: true, fallback, threads: T, th, tw, tileChunk, buffers });
  }
  if (cinG === 1 && coutG === 1 && g3.stride.every((s) => s === 1)) {
    const buffers = Object.freeze(Object.assign(staged, { acc: C * taps, out: nW }));
    return Object.freeze({ conv, g3, dtype, backend: oneThread(backend), nW, path: 'depthwise', stepsAside: false, threads: 1, buffers });
  }
  const nr = panelWidth(dtype);
  const K = cinG * taps;
  const Pt = chunkPixels(P, K, coutG, nr);
  const T = threadsFor(conv.op, backend, N * P * K * Cout);
  const buffers = Object.freeze(Object.assign(staged, {
    bp: T * Math.ceil(coutG / nr) * (nr + Pt * nr), // dy chunk packed in panels of output channels, per thread
    col: T * K * Pt, // im2col of one chunk, per thread
    tmp: T * K * coutG, // one chunk's product, per thread
    acc: conv.groups * K * coutG, // accumulated dWᵀ per group (rows (ci, tap), columns co)
    out: nW, // result in the caller's layout
  }));
  return Object.freeze({ conv, g3, dtype, backend: backendFor(backend, T), nW, path: 'im2col', stepsAside: false, threads: T, Pt, buffers });
}

/** The weight gradient, in the plan's weight layout (a Winograd plan that steps aside runs its fallback). */
export function runGradWeight(plan: GradWeightPlan, x: Float, dy: Float): Float {
  if (plan.path === 'depthwise') return gradWeightDepthwise(plan, x, dy);
  if (plan.path === 'im2col') return gradWeightIm2col(plan, x, dy);
  return gradWeightWinograd(plan, x, dy) ?? gradWeightIm2col(plan.fallback, x, dy);
}

/** x channels-first into the padded buffer (through paddingMode), dy channels-first. */
function stageGradInputs(ws: Workspace, p: GradWeightPlan, at: Offsets<StagedGradBuffers>, x: Float, dy: Float): void {
  const { mem, k } = ws;
  const { conv, g3 } = p;
  const { batch: N, inChannels: C, outChannels: Cout } = conv;
  const cl = conv.layout === 'channels-last';
  const ext = TORCH_PADDING[conv.paddingMode];
  const [D, H, W] = g3.inSize;
  const [Pd, Ph, Pw] = g3.padded;
  const [pbD, pbH, pbW] = g3.padBefore;
  if (cl || conv.paddingMode === 'zeros') {
    toChannelsFirst(ws, x, N, C, product(g3.inSize), cl, at.xRaw, at.xCf);
    padPlanesInto(mem, k, at.xCf, N * C, g3, ext, at.xp);
  } else {
    padInto(mem, at.xp, x, [N * C, D, H, W], [N * C, Pd, Ph, Pw], [0, -pbD, -pbH, -pbW], ext, 0);
  }
  toChannelsFirst(ws, dy, N, Cout, product(g3.outSize), cl, at.dyRaw, at.dyCf);
}

/** Depthwise at stride 1: each tap of each channel is one dot product of dy with a shifted plane of x. */
function gradWeightDepthwise(p: GradWeightDepthwisePlan, x: Float, dy: Float): Float {
  return withBuffers(p.conv.op, p.backend, p.dtype, p.buffers, (ws, at) => {
    const { mem, k } = ws;
    stageGradInputs(ws, p, at, x, dy);
    const { conv, g3 } = p;
    const { batch: N, inChannels: C } = conv;
    const cl = conv.layout === 'channels-last';
    const taps = product(g3.kernel);
    const padVol = product(g3.padded);
    const P = product(g3.outSize);
    const [, Ph, Pw] = g3.padded;
    const [od, oh, ow] = g3.outSize;
    const [kd, kh, kw] = g3.kernel;
    const [dd, dh, dw] = g3.dilation;
    const { acc, out } = at;
    mem.fill(0, acc, acc + C * taps);
    for (let n = 0; n < N; n++) {
      for (let c = 0; c < C; c++) {
        k.gradDwWeight(mem, at.xp + (n * C + c) * padVol, Ph, Pw, at.dyCf + (n * C + c) * P, od, oh, ow, kd, kh, kw, dd, dh, dw, acc + c * taps);
      }
    }
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < taps; t++) {
        const tap = conv.flip ? taps - 1 - t : t;
        mem[out + (cl ? tap * C + c : c * taps + tap)] = mem[acc + c * taps + t];
      }
    }
    return copyOut(mem, out, p.nW);
  });
}

/** Any geometry: dWᵀ per group accumulated over images and chunks of output pixels, then into the weight layout. */
function gradWeightIm2col(p: GradWeightIm2colPlan, x: Float, dy: Float): Float {
  return withBuffers(p.conv.op, p.backend, p.dtype, p.buffers, (ws, at) => {
    const { mem, k } = ws;
    stageGradInputs(ws, p, at, x, dy);
    const { conv, g3, Pt } = p;
    const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = conv;
    const cl = conv.layout === 'channels-last';
    const nr = panelWidth(p.dtype);
    const taps = product(g3.kernel);
    const K = cinG * taps;
    const padVol = product(g3.padded);
    const P = product(g3.outSize);
    const [, Ph, Pw] = g3.padded;
    const [, oh, ow] = g3.outSize;
    const [kd, kh, kw] = g3.kernel;
    const [sd, sh, sw] = g3.stride;
    const [dd, dh, dw] = g3.dilation;
    const { bp, col, tmp, acc, out } = at;
    // Chunks of input channels (rows (ci, tap) of dWᵀ) per group, each summing over every image and pixel chunk in
    // the same order: split by the gradient's outputs, never by the reduction. Each thread packs dy itself.
    const bpSlot = Math.ceil(coutG / nr) * (nr + Pt * nr);
    const sp = chunking(cinG, (N * P * K * Cout) / G, 1);
    ws.parallel(p.threads, G * sp.chunks, (c0, c1, t) => {
      const bpt = bp + t * bpSlot;
      const colt = col + t * K * Pt;
      const tmpt = tmp + t * K * coutG;
      for (let c = c0; c < c1; c++) {
        const [g, a, b] = sp.of(c);
        const nci = b - a;
        const ag = acc + g * K * coutG + a * taps * coutG;
        let first = true;
        for (let n = 0; n < N; n++) {
          const dyg = at.dyCf + (n * Cout + g * coutG) * P;
          const xg = at.xp + (n * C + g * cinG + a) * padVol;
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
    if (!cl && !conv.flip) {
      // Channels-first [Cout, cinG·taps] is each group's [cinG·taps, coutG] block transposed.
      for (let g = 0; g < G; g++) k.transpose(mem, acc + g * K * coutG, K, coutG, coutG, out + g * coutG * K, K);
      return copyOut(mem, out, p.nW);
    }
    const [sCo, sCi, sT] = cl ? [1, Cout, cinG * Cout] : [cinG * taps, taps, 1];
    for (let g = 0; g < G; g++) {
      for (let ci = 0; ci < cinG; ci++) {
        for (let t = 0; t < taps; t++) {
          const row = acc + (g * K + ci * taps + t) * coutG;
          const dst = out + g * coutG * sCo + ci * sCi + (conv.flip ? taps - 1 - t : t) * sT;
          if (cl) mem.copyWithin(dst, row, row + coutG); // channels-last: the row is contiguous there too
          else for (let co = 0; co < coutG; co++) mem[dst + co * sCo] = mem[row + co];
        }
      }
    }
    return copyOut(mem, out, p.nW);
  });
}

/**
 * Winograd F(2×2, 3×3) backwards; undefined (nothing written) on NaN or ±Infinity in x or dy, which the transforms
 * would spread (0·∞ = NaN): the im2col fallback then sums the products PyTorch sums.
 */
function gradWeightWinograd(p: GradWeightWinogradPlan, x: Float, dy: Float): Float | undefined {
  return withBuffers(p.conv.op, p.backend, p.dtype, p.buffers, (ws, at): Float | undefined => {
    const { mem, k } = ws;
    stageGradInputs(ws, p, at, x, dy);
    const { conv, g3 } = p;
    const { batch: N, inChannels: C, outChannels: Cout } = conv;
    const cl = conv.layout === 'channels-last';
    if (k.nonFinite(mem, at.xp, N * C * product(g3.padded)) || k.nonFinite(mem, at.dyCf, N * Cout * product(g3.outSize))) return undefined;
    winogradLoop(ws, p, at);
    // dW = Gᵀ·M·G into 9 tap planes [co][ci] (reversed with flip), then into the caller's weight layout.
    const plane = Cout * C;
    const { wo, out } = at;
    k.gradWinoOut(mem, at.m, plane + PLANE_SKEW, plane, wo, plane, conv.flip ? 1 : 0);
    if (cl) for (let t = 0; t < 9; t++) k.transpose(mem, wo + t * plane, Cout, C, C, out + t * plane, Cout);
    else for (let co = 0; co < Cout; co++) k.transpose(mem, wo + co * C, 9, C, plane, out + co * C * 9, 9);
    return copyOut(mem, out, p.nW);
  });
}

/**
 * M[ξ][co][ci] = Σ over images and 2×2 tiles of U[ξ][co][t] · V[ξ][t][ci]: per chunk of tiles, the two transforms
 * and 16 GEMMs (the first chunk writes M, later ones add). Planes of a 1-deep-kernel 3-D input count as images.
 */
function winogradLoop(ws: Workspace, p: GradWeightWinogradPlan, at: Offsets<GradWeightWinogradPlan['buffers']>): void {
  const { mem, k } = ws;
  const { batch: N, inChannels: C, outChannels: Cout } = p.conv;
  const [Pd, Ph, Pw] = p.g3.padded;
  const [, oh, ow] = p.g3.outSize;
  const { th, tw, tileChunk: Tt } = p;
  const { xp, dyCf, xt, u, v, m: M, tmp } = at;
  const nr = panelWidth(p.dtype);
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
  // weight gradient is split by its outputs, never by the reduction, so each output's sums are the same whatever the
  // chunks (the threads tests compare one chunk with several). Each chunk transforms the input tiles again, so one
  // thread runs one chunk (four on shape A cost 6–16 % of dW).
  const uSlot = 16 * (Cout * Tt + PLANE_SKEW);
  const vSlot = 16 * panels * (nr + Tt * nr);
  const sp = chunking(Cout, p.threads > 1 ? 16 * N * Pd * th * tw * C * Cout : 0, 4);
  const chunks = Math.min(sp.chunks, Math.max(1, Math.floor(Cout / 16)));
  const co = chunks === sp.chunks ? sp : chunking(Cout, chunks * (1 << 20), 4);
  ws.parallel(p.threads, co.chunks, (c0, c1, slot) => {
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
