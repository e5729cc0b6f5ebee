// The direct path (kernel `direct3`): 3×3 on 3 input channels (first layers), 4 pixels × 8 output channels in
// registers over the 27 taps, no im2col (assembly/direct3.ts). kd = 1: output plane z reads padded plane z·sd.
// Results leave in bands of rows while they are still in cache (a small band buffer instead of a cold full-size copy
// at the end); channels-first bands are transposed first, then copied channel by channel. With a pool (threads > 1)
// the threads share one full-size output in chunks of rows instead.
import { product, uninitialized, type Float } from '../../arrays';
import { panelWidth } from '../../kernels/gemm';
import type { Prepacked } from '../pack';
import { geometry3 } from '../plan';
import { eachRowChunk, finishOutput, runStaged, stagedBuffers, stagedPlan, type ForwardRequest, type StagedPlan } from './stage';

/**
 * Output elements per band of the direct path (64–128 KiB: the band is copied out while in L2). Channels-first
 * bands are 4× larger: each leaves as Cout copies, one per channel plane, and fewer, longer copies measured faster
 * (shape B channels-first: 0.34 → 0.23 ms of copies a call).
 */
export const DIRECT_BAND = 16384;
const DIRECT_BAND_CF = 4 * DIRECT_BAND;

/** Rows of `rowElems` output elements each that fit a band of `budget` elements (at least 1, at most `rows`). */
export function bandRows(rows: number, rowElems: number, budget: number): number {
  return Math.min(rows, Math.max(1, Math.floor(budget / rowElems)));
}

export interface DirectPlan extends StagedPlan {
  readonly path: 'direct';
  /** Output rows per band (0: not banded, one full-size output). */
  readonly band: number;
}

export function planDirect(req: ForwardRequest): DirectPlan {
  const { conv } = req;
  const g3 = geometry3(conv);
  const K = product(g3.kernel) * conv.inPerGroup;
  const s = stagedPlan(req, g3, conv.batch * product(g3.outSize) * conv.outChannels * K);
  const [, oh, ow] = g3.outSize;
  const banded = s.threads === 1;
  const band = banded ? bandRows(oh, ow * conv.outChannels, s.cf ? DIRECT_BAND_CF : DIRECT_BAND) : 0;
  const bandOut = band * ow * conv.outChannels;
  return Object.freeze(Object.assign(s, { path: 'direct' as const, band, buffers: stagedBuffers(req, s, bandOut || s.nOut, s.cf ? bandOut || s.nOut : 0) }));
}

export function runDirect(p: DirectPlan, x: Float, w: Float, bias: Float | number[] | undefined, into?: Float, pre?: Prepacked): Float | undefined {
  return runStaged(p, x, w, bias, pre, (ws, at, wk) => {
    const { mem, k } = ws;
    const { batch: N, inChannels: C, outChannels: Cout } = p.conv;
    const nr = panelWidth(p.dtype);
    const [, Ph, Pw] = p.g3.padded;
    const [od, oh, ow] = p.g3.outSize;
    const [sd, sh, sw] = p.g3.stride;
    const padVol = product(p.g3.padded);
    const outVol = product(p.g3.outSize);
    const { out, outT } = at;
    const { band } = p;
    if (band) {
      const res = into ?? uninitialized(p.dtype, p.nOut);
      for (let n = 0; n < N; n++) {
        for (let z = 0; z < od; z++) {
          for (let y = 0; y < oh; y += band) {
            const r = Math.min(band, oh - y);
            const px = r * ow;
            const p0 = (z * oh + y) * ow;
            k.direct3(mem, at.xpad + (n * padVol + (z * sd * Ph + y * sh) * Pw) * C, Pw, sh, sw, r, ow, wk, Cout, out, Cout, nr);
            if (!p.cf) {
              res.set(mem.subarray(out, out + px * Cout), (n * outVol + p0) * Cout);
              continue;
            }
            k.transpose(mem, out, px, Cout, Cout, outT, px);
            for (let co = 0; co < Cout; co++) res.set(mem.subarray(outT + co * px, outT + (co + 1) * px), (n * Cout + co) * outVol + p0);
          }
        }
      }
      return res;
    }
    eachRowChunk(ws, p.threads, N, od, oh, N * outVol * Cout * product(p.g3.kernel) * p.conv.inPerGroup, (n, z, y, y1) => {
      const xr = at.xpad + (n * padVol + (z * sd * Ph + y * sh) * Pw) * C;
      k.direct3(mem, xr, Pw, sh, sw, y1 - y, ow, wk, Cout, out + (n * outVol + (z * oh + y) * ow) * Cout, Cout, nr);
    });
    return finishOutput(ws, p, at, into);
  });
}
