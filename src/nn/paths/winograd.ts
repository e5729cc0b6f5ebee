// The Winograd path (kernel `winograd`, weights by `winogradWeights`): F(2×2, 3×3) at unit stride, kd = 1: output
// plane z reads padded plane z. A 1-D correlation with 9 taps is a 3×3 one on the signal folded into rows of 3 (row
// i = x[3i … 3i + 4], the rows overlapping in memory): y[3r + s] = Σ_{a,b<3} x[3(r + a) + s + b] · w[3a + b], so
// Winograd runs on an oh1 × 3 output whose rows are consecutive in y (the last row may run up to two samples past
// the end). It steps aside on NaN and ±Infinity (stepsAside): its transforms mix a tile's samples and a kernel's
// taps, so one would reach outputs whose windows never hold it (0·∞ = NaN); such inputs take im2col, which sums the
// products PyTorch sums.
import { product, type Float } from '../../arrays';
import { panelWidth } from '../../kernels/gemm';
import { chunking } from '../../threads';
import type { Prepacked } from '../pack';
import { geometry3 } from '../plan';
import { finishOutput, runStaged, stagedBuffers, stagedPlan, type ForwardRequest, type StagedPlan } from './stage';

/** Elements of V and M per block of Winograd tiles (both in cache at once). */
const WINOGRAD_BUDGET = 98304;
/** Tile blocks are a multiple of the microkernel's 4 rows (12, as tuned when a 6-row tile ran beside it). */
const ROW_STEP = 12;

export interface WinogradPlan extends StagedPlan {
  readonly path: 'winograd';
  /** A 1-D 9-tap layer folded into 3×3. */
  readonly fold: boolean;
  /** The output Winograd computes (folded: rows of 3), and its tiles per column and row. */
  readonly wOh: number;
  readonly wOw: number;
  readonly th: number;
  readonly tw: number;
  /** Tiles per block (V and M of one block in cache). */
  readonly tileBlock: number;
}

export function planWinograd(req: ForwardRequest): WinogradPlan {
  const { conv } = req;
  const base = geometry3(conv);
  const [, oh, ow] = base.outSize;
  const fold = conv.rank === 1;
  const wOh = fold ? Math.ceil(ow / 3) : oh;
  const wOw = fold ? 3 : ow;
  const th = Math.ceil(wOh / 2);
  const tw = Math.ceil(wOw / 2);
  // Folded, the tiles read up to sample 6·th + 8: the padded buffer reaches that far (extra samples only feed
  // dropped outputs). Otherwise whole 4×4 input tiles: one more padded row/column where the output size is odd (its
  // outputs are dropped).
  const g3 = geometry3(conv, fold ? [0, 0, Math.max(0, 6 * th + 9 - base.padded[2])] : [0, oh % 2, ow % 2]);
  const { inChannels: C, outChannels: Cout } = conv;
  const s = stagedPlan(req, g3, conv.batch * product(g3.outSize) * Cout * product(g3.kernel) * conv.inPerGroup);
  const tileBlock = Math.min(th * tw, Math.max(ROW_STEP, Math.floor(WINOGRAD_BUDGET / (16 * (C + Cout)) / ROW_STEP) * ROW_STEP));
  // A folded 1-D Winograd writes up to two rows past each image; V and M per thread.
  const buffers = stagedBuffers(req, s, s.nOut + (fold ? 2 * Cout : 0), s.cf ? s.nOut : 0, {
    v: s.threads * (4 + 16 * tileBlock * C),
    m: s.threads * 16 * tileBlock * Cout,
  });
  return Object.freeze(Object.assign(s, { path: 'winograd' as const, fold, wOh, wOw, th, tw, tileBlock, buffers }));
}

export function runWinograd(p: WinogradPlan, x: Float, w: Float, bias: Float | number[] | undefined, into?: Float, pre?: Prepacked): Float | undefined {
  return runStaged(p, x, w, bias, pre, (ws, at, wk, braw) => {
    const { mem, k } = ws;
    const { batch: N, inChannels: C, outChannels: Cout } = p.conv;
    const nr = panelWidth(p.dtype);
    const { fold, wOh, wOw, th, tw, tileBlock } = p;
    const [, Ph, Pw] = p.g3.padded;
    const [od, oh, ow] = p.g3.outSize;
    const padVol = product(p.g3.padded);
    const outVol = product(p.g3.outSize);
    const vSlot = 4 + 16 * tileBlock * C;
    const mSlot = 16 * tileBlock * Cout;
    const work = N * outVol * Cout * product(p.g3.kernel) * p.conv.inPerGroup;
    // Chunks of tile rows (two output rows each); folded 1-D images stay whole and go in order, so that the rows one
    // writes past its end are overwritten by the next image.
    const sp = chunking(th, fold ? 0 : work / (N * od), 1); // no work given: one chunk
    ws.parallel(fold ? 1 : p.threads, N * od * sp.chunks, (c0, c1, t) => {
      for (let c = c0; c < c1; c++) {
        const [nz, r0, r1] = sp.of(c);
        const rows = r1 - r0;
        const n = Math.floor(nz / od);
        const z = nz % od;
        const pw = fold ? 3 : Pw;
        k.winograd(mem, at.xpad + (n * padVol + z * Ph * Pw) * C + 2 * r0 * pw * C, pw, C, rows, tw, Math.min(wOh - 2 * r0, 2 * rows), wOw, wk,
          Cout, braw, bias ? 1 : 0, at.out + (n * outVol + z * oh * ow) * Cout + 2 * r0 * wOw * Cout, at.v + t * vSlot, at.m + t * mSlot, tileBlock, nr);
      }
    });
    return finishOutput(ws, p, at, into);
  });
}
