// The im2col path (kernel `convGemm`): any geometry, im2col tiles of tileRows output pixels fed to the packed-weight
// GEMM. It takes every input, NaN and ±Infinity included (the fallback of the paths that step aside).
import { product, type Float } from '../../arrays';
import { panelWidth } from '../../kernels/gemm';
import { chunking } from '../../threads';
import type { Prepacked } from '../pack';
import { geometry3 } from '../plan';
import { finishOutput, runStaged, stagedBuffers, stagedPlan, type ForwardRequest, type StagedPlan } from './stage';

/**
 * Elements of the forward im2col tile (tileRows × K, one convGemm call): 64 KiB of float32 keeps the tile of A in L2
 * next to the packed weights the microkernel streams over it. Not the gradient's GRAD_CHUNK_BUDGET
 * (src/nn/grad-input.ts), which sizes a whole chunk of pixels whose im2col is made once and read by a GEMM per group.
 */
const IM2COL_TILE_BUDGET = 16384;
/** Tile rows are a multiple of the microkernel's 4 rows (12, as tuned when a 6-row tile ran beside it). */
const ROW_STEP = 12;

export interface Im2colPlan extends StagedPlan {
  readonly path: 'im2col';
  /** Output pixels per im2col tile, and K = taps × input channels per group (a tile row's length). */
  readonly tileRows: number;
  readonly K: number;
}

export function planIm2col(req: ForwardRequest): Im2colPlan {
  const { conv } = req;
  const g3 = geometry3(conv);
  const K = product(g3.kernel) * conv.inPerGroup;
  const outVol = product(g3.outSize);
  const s = stagedPlan(req, g3, conv.batch * outVol * conv.outChannels * K);
  const tileRows = Math.min(outVol, Math.max(ROW_STEP, Math.floor(IM2COL_TILE_BUDGET / K / ROW_STEP) * ROW_STEP));
  // Per thread: the im2col tile (+ 16 bytes convGemm may write past it, inside the slot: the EXTRA pad follows only
  // the last slot).
  const buffers = stagedBuffers(req, s, s.nOut, s.cf ? s.nOut : 0, { col: s.threads * (tileRows * K + 4) });
  return Object.freeze(Object.assign(s, { path: 'im2col' as const, tileRows, K, buffers }));
}

export function runIm2col(p: Im2colPlan, x: Float, w: Float, bias: Float | number[] | undefined, into?: Float, pre?: Prepacked): Float | undefined {
  return runStaged(p, x, w, bias, pre, (ws, at, wk) => {
    const { mem, k } = ws;
    const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = p.conv;
    const { K, tileRows } = p;
    const nr = panelWidth(p.dtype);
    const groupStride = Math.ceil(coutG / nr) * (nr + K * nr);
    const [, Ph, Pw] = p.g3.padded;
    const [od, oh, ow] = p.g3.outSize;
    const [kd, kh, kw] = p.g3.kernel;
    const [sd, sh, sw] = p.g3.stride;
    const [dd, dh, dw] = p.g3.dilation;
    const padVol = product(p.g3.padded);
    const outVol = product(p.g3.outSize);
    const colSlot = tileRows * K + 4;
    const work = N * outVol * Cout * K;
    // Chunks of output rows (planes in 3-D) where there are enough, else of weight panels (every chunk then builds
    // the whole im2col tile stream, a few per cent of the work). A thread's chunks of one image and group run as one
    // call (sp.runs).
    const planes = od > 1;
    const byRows = planes || oh >= 16 || coutG < 4 * nr;
    const along = planes ? od : oh;
    const sp = byRows ? chunking(along, work / (N * G), 1) : chunking(coutG, work / (N * G), nr);
    ws.parallel(p.threads, N * G * sp.chunks, (c0, c1, t) => sp.runs(c0, c1, (ng, a, b) => {
      const n = Math.floor(ng / G);
      const g = ng % G;
      const x0 = at.xpad + n * padVol * C;
      const o0 = at.out + n * outVol * Cout + g * coutG;
      const wg = wk + g * groupStride;
      const colT = at.col + t * colSlot;
      if (!byRows) {
        k.convGemm(mem, x0, Ph, Pw, C, g * cinG, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, oh, ow,
          wg + (a / nr) * (nr + K * nr), b - a, o0 + a, Cout, colT, tileRows, nr);
      } else if (planes) {
        k.convGemm(mem, x0 + a * sd * Ph * Pw * C, Ph, Pw, C, g * cinG, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, b - a, oh, ow,
          wg, coutG, o0 + a * oh * ow * Cout, Cout, colT, tileRows, nr);
      } else {
        k.convGemm(mem, x0 + a * sh * Pw * C, Ph, Pw, C, g * cinG, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, b - a, ow,
          wg, coutG, o0 + a * ow * Cout, Cout, colT, tileRows, nr);
      }
    }));
    return finishOutput(ws, p, at, into);
  });
}
