// matchTemplate's correlation term by FFT, valid part only (overlap-save). The engine of src/fft.ts computes the
// full linear correlation of each tile (an image of 1024² and a 64² template is transformed at 1125 × 1152, or cut
// into overlap-add blocks), but template matching keeps only the valid windows, which a circular correlation already
// gives exactly: for a block of L0 × L1 image samples and an h × w template zero-padded to L0 × L1, the circular
// convolution with the reversed template y[r, c] = Σ_{i,j} X[(r − i) mod L0, (c − j) mod L1] · t'[i, j] wraps nowhere
// for r ≥ h − 1, c ≥ w − 1, where it is the valid correlation at (r − h + 1, c − w + 1). So each block yields
// (L0 − h + 1) × (L1 − w + 1) outputs, blocks step by that much, and a fast length like 1024 needs no padding at all
// (1024² at 64² or 128²: one 1024² transform instead of one of 1125 × 1152, 1.9× fewer butterflies by Σ F·log F).
import { nextFastLen, realFastLen, twiddleTable } from './fft';
import { colWork, rowWork } from './kernels/fft';
import { chunking } from './threads';
import type { Workspace } from './workspace';

/** An overlap-save plan: block lengths (L0 rows, L1 columns) and the blocks along each axis. */
export interface ValidFftPlan {
  L0: number;
  L1: number;
  /** Output rows / columns per block. */
  step0: number;
  step1: number;
  tiles0: number;
  tiles1: number;
  /** Threads the blocks (or, for one block, its rows) are split over; each has its own block spectrum and scratch. */
  threads: number;
  /** Operations of the transforms, about (the unit of the threads' tuning). */
  work: number;
  /** Workspace buffers in elements of the dtype: spectrum of the template, of one block, FFT scratch, two twiddle tables. */
  sizes: number[];
}

/** Fast lengths (factors 2, 3, 5; `real`: as realFastLen) from ≥ lo up to the first ≥ hi. */
function fastLengths(lo: number, hi: number, real: boolean): number[] {
  const out: number[] = [];
  for (let n = real ? realFastLen(lo) : nextFastLen(lo); ; n = real ? realFastLen(n + 1) : nextFastLen(n + 1)) {
    out.push(n);
    if (n >= hi) return out;
  }
}

/**
 * The cheapest block lengths for the valid correlation of an [H, W] image with an [h, w] template, by Σ F·log2 F over
 * the blocks' forward and inverse transforms (the measure of src/fft.ts fftUnits). Blocks span at least twice the
 * template (shorter ones spend most of their transform on the overlap) and at most the image (or `maxLen`, which
 * tests use to force several blocks).
 */
export function validFftPlan(H: number, W: number, h: number, w: number, maxLen = Infinity, threadsFor: (work: number) => number = () => 1): ValidFftPlan {
  const oh = H - h + 1;
  const ow = W - w + 1;
  const rows = H === 1 ? [1] : fastLengths(Math.min(Math.max(2 * h, 8), nextFastLen(H)), Math.min(H, maxLen), false);
  const cols = fastLengths(Math.min(Math.max(2 * w, 8), realFastLen(W)), Math.min(W, maxLen), true);
  let best: { L0: number; L1: number; cost: number } | undefined;
  for (const L0 of rows) {
    if (L0 < h || (L0 > maxLen && best)) continue;
    const t0 = Math.ceil(oh / (L0 - h + 1));
    for (const L1 of cols) {
      if (L1 < w || (L1 > maxLen && best)) continue;
      const t1 = Math.ceil(ow / (L1 - w + 1));
      const F = L0 * L1;
      // Forward and inverse per block; a small per-block charge for the calls around each transform.
      const cost = t0 * t1 * (2 * F * Math.log2(Math.max(2, F)) + 4096);
      if (!best || cost < best.cost) best = { L0, L1, cost };
    }
  }
  const { L0, L1 } = best!;
  const m = L1 / 2;
  const S = L0 * (m + 1);
  const scratch = Math.max(rowWork(m), colWork(L0));
  const tiles0 = Math.ceil(oh / (L0 - h + 1));
  const tiles1 = Math.ceil(ow / (L1 - w + 1));
  const work = Math.round(5 * tiles0 * tiles1 * L0 * L1 * Math.log2(Math.max(2, L0 * L1)));
  const threads = threadsFor(work);
  return {
    L0, L1, step0: L0 - h + 1, step1: L1 - w + 1, tiles0, tiles1, threads, work,
    sizes: [2 * S, threads * 2 * S, threads * scratch, 2 * L0, 2 * L1],
  };
}

/**
 * out[r, c] = Σ_{i<h, j<w} x[r + i, c + j] · t[i, j] for the valid windows (out is [H − h + 1, W − w + 1], row stride
 * W − w + 1), all in ws: x at element offset `x` ([H, W], finite), the template *reversed on both axes* at `tr`
 * ([h, w]), buffers at `buf` (the offsets of plan.sizes, in order).
 */
export function correlateValidFft(ws: Workspace, plan: ValidFftPlan, x: number, H: number, W: number, tr: number, h: number, w: number, out: number, buf: number[]): void {
  const { mem, k } = ws;
  const { L0, L1, step0, step1, tiles0, tiles1, threads } = plan;
  const [spec2, spec1, work, tw0, tw1] = buf;
  const m = L1 / 2;
  const S = L0 * (m + 1);
  const R = m + 1; // spectrum row stride
  const oh = H - h + 1;
  const ow = W - w + 1;
  const scratch = Math.max(rowWork(m), colWork(L0));
  const dtype = mem instanceof Float32Array ? 'float32' : 'float64';
  mem.set(twiddleTable(L0, dtype), tw0);
  mem.set(twiddleTable(L1, dtype), tw1);
  const scale = 1 / (m * L0);
  // Spectra of `rows` real rows of `len` samples at src (row stride `stride`) into rows [first, first + rows) of the
  // spectrum at re; rows of no sample are the spectra of zero-length rows (zeros, by a kernel: thread bodies may
  // only call kernels).
  const rowsForward = (re: number, src: number, len: number, stride: number, first: number, rows: number, wk: number) => {
    if (rows > 0) k.rfftRows(mem, src, len, stride, rows, re + first * R, re + S + first * R, R, wk, tw1, m);
  };
  // A block's column transforms, its product with the template's spectrum, and the inverse column transforms
  // (fftColsMul: one pass, batch by batch), on columns [a, b) of the spectrum at re (planes re, re + S).
  const colsMul = (re: number, a: number, b: number, wk: number) => {
    if (L0 > 1) k.fftColsMul(mem, re + a, re + S + a, L0, R, b - a, 1, S, wk, tw0, 1, spec2 + a, spec2 + S + a, scale);
    else k.cmul(mem, re + a, re + S + a, spec2 + a, spec2 + S + a, b - a, scale);
  };
  // The column transforms of one whole spectrum (the template's, or a single block's), split among the threads by
  // columns, 8 at a time (a column's transform is the same whichever batch and lane hold it, so the bits are those of
  // one call).
  const colChunks = chunking(R, Math.round(plan.work / 4), 8);
  const colsSplit = (re: number, im: number) => {
    if (L0 > 1) {
      ws.parallel(threads, colChunks.chunks, (c0, c1, t) => colChunks.runs(c0, c1, (_, a, b) => {
        k.fftCols(mem, re + a, im + a, L0, R, b - a, 1, S, work + t * scratch, tw0, 1);
      }));
    }
  };
  // The template's spectrum, once.
  rowsForward(spec2, tr, w, w, 0, h, work);
  rowsForward(spec2, tr, 0, w, h, L0 - h, work);
  colsSplit(spec2, spec2 + S);
  if (tiles0 * tiles1 > 1) {
    // Blocks in chunks fixed by the work alone; thread t uses block spectrum and scratch slot t.
    const sp = chunking(tiles0 * tiles1, plan.work);
    ws.parallel(threads, sp.chunks, (c0, c1, t) => {
      const sp1 = spec1 + t * 2 * S;
      const wk = work + t * scratch;
      for (let i = sp.at(c0); i < sp.at(c1); i++) {
        const r0 = Math.floor(i / tiles1) * step0;
        const c0_ = (i % tiles1) * step1;
        const rowsIn = Math.min(L0, H - r0);
        rowsForward(sp1, x + r0 * W + c0_, Math.min(L1, W - c0_), W, 0, rowsIn, wk);
        rowsForward(sp1, x, 0, W, rowsIn, L0 - rowsIn, wk);
        // The inverse's column transforms run in colsMul; then the row transforms of valid windows only.
        colsMul(sp1, 0, R, wk);
        const row = (h - 1) * R;
        k.irfftRows(mem, sp1 + row, sp1 + S + row, R, Math.min(step0, oh - r0), out + r0 * ow + c0_, w - 1, Math.min(step1, ow - c0_), ow, 0, wk, tw1, m);
      }
    });
    return;
  }
  // One block: its row transforms in chunks of rows (multiples of 4, fixed by the work alone), then its column
  // transforms, product and inverse column transforms (colsMul) in batches of columns, on the pool.
  const rowWorkOf = (rows: number) => Math.round(plan.work / 4 / L0) * rows;
  const fw = chunking(H, rowWorkOf(H), 4);
  ws.parallel(threads, fw.chunks, (c0, c1, t) => {
    for (let c = c0; c < c1; c++) rowsForward(spec1, x + fw.at(c) * W, W, W, fw.at(c), fw.at(c + 1) - fw.at(c), work + t * scratch);
  });
  rowsForward(spec1, x, 0, W, H, L0 - H, work);
  const mulChunks = chunking(R, Math.round(plan.work / 2), 8);
  ws.parallel(threads, mulChunks.chunks, (c0, c1, t) => mulChunks.runs(c0, c1, (_, a, b) => colsMul(spec1, a, b, work + t * scratch)));
  const iv = chunking(oh, rowWorkOf(oh), 4);
  ws.parallel(threads, iv.chunks, (c0, c1, t) => {
    for (let c = c0; c < c1; c++) {
      const r0 = iv.at(c);
      const row = (h - 1 + r0) * R;
      k.irfftRows(mem, spec1 + row, spec1 + S + row, R, iv.at(c + 1) - r0, out + r0 * ow, w - 1, ow, ow, 0, work + t * scratch, tw1, m);
    }
  });
}
