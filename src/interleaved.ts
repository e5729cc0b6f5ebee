// The per-channel filter of an interleaved 8-bit image (ndimage.correlate / convolve of [H, W, C] uint8 data with
// [kh, kw, 1] weights into a uint8 output, e.g. a canvas ImageData filtered into itself). The general path would
// widen the whole image to floats, run C strided planes and round the float result into the output afterwards; here
// strips of rows are padded as bytes, widened in scratch (assembly/corr2d_hwc.ts u8_widen), correlated with the
// channels in SIMD lanes and rounded straight back to bytes by the kernel, so nothing image-sized but the caller's
// two arrays is ever touched.
import { typedName, type DType, type Numeric } from './arrays';
import type { DirectPlan } from './direct';
import { overlaps } from './output';
import { indexMap, sourceIndex } from './boundary';
import { withWorkspace } from './workspace';

const BYTES = new Set(['Uint8Array', 'Uint8ClampedArray']);

/** Scratch elements one strip aims at (widened input rows): about 256 KiB of float32, inside a core's L2. */
const STRIP_ELEMENTS = 1 << 16;

/**
 * Whether every sum of this plan is exact in float32 for byte inputs (then float32 and float64 sums are the same
 * number and round the same way). Each weight must be a float32 m·2^e with |m| < 2^16 (so a byte times it needs at most
 * 24 significant bits), and every partial sum a multiple of the smallest 2^e below 2^24 of them:
 * 255 · Σ|w| < 2^(24 + e_min). Binomial (Gaussian) and box-of-2^k kernels pass; 1/9 does not.
 */
export function exactInFloat32(w: ArrayLike<number>): boolean {
  let eMin = Infinity;
  let sum = 0;
  for (let t = 0; t < w.length; t++) {
    const v = w[t];
    if (v === 0) continue;
    if (Math.fround(v) !== v) return false;
    // The exponent of v's lowest set bit, and its odd significand.
    let e = Math.floor(Math.log2(Math.abs(v))) - 23;
    let m = Math.abs(v) / 2 ** e;
    if (!Number.isInteger(m)) return false;
    while (m % 2 === 0) {
      m /= 2;
      e += 1;
    }
    if (m >= 2 ** 16) return false;
    eMin = Math.min(eMin, e);
    sum += Math.abs(v);
  }
  return eMin === Infinity || 255 * sum < 2 ** (24 + eMin);
}

/**
 * The plan runs here when input and output are byte arrays (Uint8Array / Uint8ClampedArray, any realm), the input is
 * [H, W, C] with [kh, kw, 1] weights, the weights are finite and the constant border (if any) is a byte.
 */
export function hwcApplies(plan: DirectPlan, x: unknown, w: ArrayLike<number>, out: Numeric | undefined): boolean {
  if (!out || !BYTES.has(typedName(out)!) || !BYTES.has(typedName(x)!)) return false;
  if (plan.xShape.length !== 3 || plan.hShape[2] !== 1) return false;
  if (plan.mode === 'constant' && !(Number.isInteger(plan.cval) && plan.cval >= 0 && plan.cval <= 255)) return false;
  for (let t = 0; t < w.length; t++) if (!Number.isFinite(w[t])) return false;
  return true;
}

/**
 * Run an [H, W, C] plan (hwcApplies) into `out`. `dtype` is the precision asked for; float64 sums run in float32 when
 * that is exact (exactInFloat32), which is the same result at twice the lanes.
 */
export function runHwcU8(op: string, backend: unknown, plan: DirectPlan, x: Uint8Array, w: ArrayLike<number>, out: Uint8Array, dtype: DType): void {
  const [H, W, C] = plan.xShape;
  const [kh, kw] = plan.hShape;
  const [lo0, lo1] = plan.lo;
  const nh = kh * kw;
  const acc: DType = dtype === 'float32' || exactInFloat32(w) ? 'float32' : 'float64';
  const bpe = acc === 'float32' ? 4 : 8;
  const padW = W + kw - 1;
  const rowIn = padW * C;
  const rowOut = W * C;
  const rows = Math.min(H, Math.max(kh, Math.floor(STRIP_ELEMENTS / rowIn)));
  const inRows = rows + kh - 1;
  const cols = indexMap(padW, lo1, W, plan.mode);
  // Padded columns [cA, cB) read source columns cA + lo1 … in order: one copy per row; the rest go pixel by pixel.
  const cA = Math.min(padW, Math.max(0, -lo1));
  const cB = Math.max(cA, Math.min(padW, W - lo1));
  // In place (the output is the input's memory): strip s's output is written after strip s + 1 is staged, which keeps
  // every row a later strip reads intact when strips hold ≥ kh rows and borders reflect within kh rows of the edge;
  // otherwise (wrap, or a kernel taller than the image) the input is copied first, as SciPy does.
  let src = x;
  const inPlace = overlaps(out, x);
  if (inPlace && (plan.mode === 'wrap' || kh > H || rows < kh)) src = x.slice();
  const delay = inPlace && src === x;
  const bytes = (n: number) => Math.ceil(n / bpe);
  const sizes = [bytes(inRows * rowIn), inRows * rowIn, nh, bytes(rows * rowOut)];
  withWorkspace(op, backend, acc, sizes, (ws) => {
    const [stage, wide, ho, ob] = ws.off;
    const { mem, k } = ws;
    const mem8 = new Uint8Array(mem.buffer, mem.byteOffset, mem.byteLength);
    const stage8 = stage * bpe;
    for (let t = 0; t < nh; t++) mem[ho + t] = w[plan.flip ? nh - 1 - t : t];
    const at = ob * bpe;
    // In place: the first row and the row count of the strip whose output waits in scratch.
    let pending = -1;
    let pendingN = 0;
    for (let r0 = 0; r0 < H; r0 += rows) {
      const n = Math.min(rows, H - r0);
      const m = n + kh - 1;
      for (let i = 0; i < m; i++) {
        const s = sourceIndex(lo0 + r0 + i, H, plan.mode);
        const d = stage8 + i * rowIn;
        if (s < 0) {
          mem8.fill(plan.cval, d, d + rowIn);
          continue;
        }
        const base = s * rowOut;
        if (cB > cA) mem8.set(src.subarray(base + (cA + lo1) * C, base + (cB + lo1) * C), d + cA * C);
        for (let c = cA > 0 ? 0 : cB; c < padW; c = c + 1 === cA ? cB : c + 1) {
          const sc = cols[c];
          if (sc < 0) mem8.fill(plan.cval, d + c * C, d + (c + 1) * C);
          else for (let q = 0; q < C; q++) mem8[d + c * C + q] = src[base + sc * C + q];
        }
      }
      k.u8Widen(mem, stage8, m * rowIn, wide);
      if (pending >= 0) out.set(mem8.subarray(at, at + pendingN * rowOut), pending * rowOut);
      k.corr2dHwcU8(mem, wide, rowIn, ho, kh, kw, C, at, n, rowOut, rowOut);
      if (delay) {
        pending = r0;
        pendingN = n;
      } else {
        out.set(mem8.subarray(at, at + n * rowOut), r0 * rowOut);
      }
    }
    if (pending >= 0) out.set(mem8.subarray(at, at + pendingN * rowOut), pending * rowOut);
  });
}
