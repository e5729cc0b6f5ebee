// matchTemplate's correlation term by FFT, valid part only (overlap-save). The engine of src/fft.ts computes the
// full linear correlation of each tile (an image of 1024² and a 64² template is transformed at 1125 × 1152, or cut
// into overlap-add blocks), but template matching keeps only the valid windows, which a circular correlation already
// gives exactly: for a block of L0 × L1 image samples and an h × w template zero-padded to L0 × L1, the circular
// convolution with the reversed template y[r, c] = Σ_{i,j} X[(r − i) mod L0, (c − j) mod L1] · t'[i, j] wraps nowhere
// for r ≥ h − 1, c ≥ w − 1, where it is the valid correlation at (r − h + 1, c − w + 1). So each block yields
// (L0 − h + 1) × (L1 − w + 1) outputs, blocks step by that much, and a fast length like 1024 needs no padding at all
// (1024² at 64² or 128²: one 1024² transform instead of one of 1125 × 1152, 1.9× fewer butterflies by Σ F·log F).
import { ctorOf, type DType, type Float } from './arrays';
import { nextFastLen, realFastLen } from './fft';
import { FFT_CHUNK, rowWork } from './kernels/fft';
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
export function validFftPlan(H: number, W: number, h: number, w: number, maxLen = Infinity): ValidFftPlan {
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
  const work = Math.max(rowWork(m), 4 * L0 * FFT_CHUNK);
  return {
    L0, L1, step0: L0 - h + 1, step1: L1 - w + 1, tiles0: Math.ceil(oh / (L0 - h + 1)), tiles1: Math.ceil(ow / (L1 - w + 1)),
    sizes: [2 * S, 2 * S, work, 2 * L0, 2 * L1],
  };
}

const twiddles = new Map<string, Float>();

/** w_T^j = e^{−2πij/T}, j < T, as (cos, −sin) pairs in dtype, computed in float64 (the tables of src/fft.ts). */
function twiddleTable(T: number, dtype: DType): Float {
  const key = `${T}:${dtype}`;
  let t = twiddles.get(key);
  if (!t) {
    t = new (ctorOf(dtype))(2 * T);
    for (let j = 0; j < T; j++) {
      const a = (-2 * Math.PI * j) / T;
      t[2 * j] = Math.cos(a);
      t[2 * j + 1] = Math.sin(a);
    }
    if (twiddles.size > 16) twiddles.clear();
    twiddles.set(key, t);
  }
  return t;
}

/**
 * out[r, c] = Σ_{i<h, j<w} x[r + i, c + j] · t[i, j] for the valid windows (out is [H − h + 1, W − w + 1], row stride
 * W − w + 1), all in ws: x at element offset `x` ([H, W], finite), the template *reversed on both axes* at `tr`
 * ([h, w]), buffers at `buf` (the offsets of plan.sizes, in order).
 */
export function correlateValidFft(ws: Workspace, plan: ValidFftPlan, x: number, H: number, W: number, tr: number, h: number, w: number, out: number, buf: number[]): void {
  const { mem, k } = ws;
  const { L0, L1, step0, step1, tiles0, tiles1 } = plan;
  const [spec2, spec1, work, tw0, tw1] = buf;
  const m = L1 / 2;
  const S = L0 * (m + 1);
  const oh = H - h + 1;
  const ow = W - w + 1;
  mem.set(twiddleTable(L0, mem instanceof Float32Array ? 'float32' : 'float64'), tw0);
  mem.set(twiddleTable(L1, mem instanceof Float32Array ? 'float32' : 'float64'), tw1);
  // 2-D spectrum of `rows` rows of `len` samples at src (row stride): rows beyond are zero.
  const forward = (re: number, src: number, len: number, rows: number, stride: number) => {
    const im = re + S;
    if (rows < L0) {
      mem.fill(0, re + rows * (m + 1), re + S);
      mem.fill(0, im + rows * (m + 1), im + S);
    }
    k.rfftRows(mem, src, len, stride, rows, re, im, m + 1, work, tw1, m);
    if (L0 > 1) k.fftCols(mem, re, im, L0, m + 1, 1, S, work, tw0, 1);
  };
  forward(spec2, tr, w, h, w);
  const scale = 1 / (m * L0);
  for (let a = 0; a < tiles0; a++) {
    const r0 = a * step0;
    const rowsIn = Math.min(L0, H - r0);
    const rowsOut = Math.min(step0, oh - r0);
    for (let b = 0; b < tiles1; b++) {
      const c0 = b * step1;
      forward(spec1, x + r0 * W + c0, Math.min(L1, W - c0), rowsIn, W);
      k.cmul(mem, spec1, spec1 + S, spec2, spec2 + S, S, scale);
      // Inverse: the column transform with the planes swapped, then only the rows and columns of valid windows.
      if (L0 > 1) k.fftCols(mem, spec1 + S, spec1, L0, m + 1, 1, S, work, tw0, 1);
      const row = (h - 1) * (m + 1);
      k.irfftRows(mem, spec1 + row, spec1 + S + row, m + 1, rowsOut, out + r0 * ow + c0, w - 1, Math.min(step1, ow - c0), ow, 0, work, tw1, m);
    }
  }
}
