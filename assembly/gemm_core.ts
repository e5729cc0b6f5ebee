// The packed GEMM microkernels shared by every convolution kernel (not an entry module: its generics never become
// exports). C[i, j] = bias[j] + Σ_{k<K} A[i, k] · B[k, j], B packed in panels of NR = 2 vectors of columns, each
// [bias NR][K × NR]. The 4 × NR tile lives in 8 accumulators (they fit V8's 16 xmm registers): per k one A splat per
// row (a broadcast load), two B vectors, 8 multiply-adds — XNNPACK's x86 choice. Rows past the edge alias the last
// real row (branch-free tiles). In rows4, k is unrolled by 2 so that loads take immediate offsets: V8's TurboFan
// issues a straight-line block's loads first and keeps each loaded value live until its use, so four k held 8 B
// vectors and 16 splats at once and spilled accumulators to the stack every pass; two k spill less and ran shapes A,
// C, D and F 5–7 % faster.
// gemmRows first packs each 4-row block of A k-major into static scratch, so that the tile reads one k per pass from
// one pointer: no spills and no per-row address arithmetic. Against rows4, shapes A, C, D and F ran 15–18 % faster;
// with relaxed SIMD the packed 4-row tile (FMA) beat a 6-row tile (12 accumulators) by 12–19 % on the same shapes.
// The implicit GEMM over a convolution's taps (gemm.ts) packs its 4-pixel blocks the same way (1.09–1.13× on
// strided and 5×5 layers; 1.13–1.72× with relaxed SIMD). A single panel is packed too (convolutions with 3–8 output
// channels a group: 1.08–1.30× against rows4 and, on relaxed SIMD, against the 6-row tile, which went). rows4 stays
// for rows too long for the scratch.
import { lanes, madd } from './simd';

// @ts-ignore: decorator
@inline function splatLoad<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(p);
  return v128.load64_splat(p);
}

// Splat of element u (0…3) after p, with the offset as an immediate so an unrolled k loop needs no address adds.
// @ts-ignore: decorator
@inline function splat1<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(p, 4);
  return v128.load64_splat(p, 8);
}

// @ts-ignore: decorator
@inline function splat2<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(p, 8);
  return v128.load64_splat(p, 16);
}

// @ts-ignore: decorator
@inline function splat3<T>(p: usize): v128 {
  if (sizeof<T>() == 4) return v128.load32_splat(p, 12);
  return v128.load64_splat(p, 24);
}

/** Store the first r (< lanes) lanes of v at p. */
// @ts-ignore: decorator
@inline function storeFew<T>(p: usize, v: v128, r: i32): void {
  if (sizeof<T>() == 4) {
    if (r & 2) {
      v128.store64_lane(p, v, 0);
      v = v128.shuffle<f32>(v, v, 2, 3, 2, 3);
      p += 8;
    }
    if (r & 1) v128.store32_lane(p, v, 0);
  } else {
    if (r & 1) v128.store64_lane(p, v, 0);
  }
}

/** Store the first r columns of the two-vector row (v0, v1) at p. */
// @ts-ignore: decorator
@inline export function storeRow<T>(p: usize, v0: v128, v1: v128, r: i32): void {
  const L = lanes<T>();
  if (r >= 2 * L) {
    v128.store(p, v0);
    v128.store(p, v1, 16);
    return;
  }
  if (r >= L) {
    v128.store(p, v0);
    p += 16;
    v0 = v1;
    r -= L;
  }
  storeFew<T>(p, v0, r);
}

/**
 * Store a 4-row tile's first r columns at column byte offset off of rows c0…c3, the last row first: rows past the
 * edge alias the last real row, which is so written last (with its own values).
 */
// @ts-ignore: decorator
@inline export function storeTile4<T>(
  c0: usize, c1: usize, c2: usize, c3: usize, off: usize, r: i32,
  v0x0: v128, v0x1: v128, v1x0: v128, v1x1: v128, v2x0: v128, v2x1: v128, v3x0: v128, v3x1: v128,
): void {
  storeRow<T>(c3 + off, v3x0, v3x1, r);
  storeRow<T>(c2 + off, v2x0, v2x1, r);
  storeRow<T>(c1 + off, v1x0, v1x1, r);
  storeRow<T>(c0 + off, v0x0, v0x1, r);
}

/**
 * One block of 4 rows (row pointers a0…, c0…; repeat a pointer for rows past the edge) across all nc columns.
 * The K values of a row are runs of `seg` elements at offsets i·offA + j·offB + l·offE (bytes) from its pointer,
 * for i < nA, j < nB, l < nE: one run for a plain GEMM, the taps of a convolution read in place otherwise.
 */
// @ts-ignore: decorator
@inline export function rows4<T>(
  nc: i32, nA: i32, offA: usize, nB: i32, offB: usize, nE: i32, offE: usize, seg: i32,
  a0: usize, a1: usize, a2: usize, a3: usize, w: usize, c0: usize, c1: usize, c2: usize, c3: usize,
): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  const kEnd = <usize>seg * size;
  let wp = w;
  for (let j = 0; j < nc; j += NR) {
    let v0x0 = v128.load(wp);
    let v0x1 = v128.load(wp, 16);
    let v1x0 = v0x0, v1x1 = v0x1;
    let v2x0 = v0x0, v2x1 = v0x1;
    let v3x0 = v0x0, v3x1 = v0x1;
    wp += 32;
    let b0: v128, b1: v128, x: v128;
    let oa: usize = 0;
    for (let ia = 0; ia < nA; ia++, oa += offA) {
      let ob = oa;
      for (let ib = 0; ib < nB; ib++, ob += offB) {
        let oe = ob;
        for (let ie = 0; ie < nE; ie++, oe += offE) {
          const r0 = a0 + oe;
          const r1 = a1 + oe;
          const r2 = a2 + oe;
          const r3 = a3 + oe;
          let k: usize = 0;
          // Two k per pass (see the header: four would spill).
          for (; k + 2 * size <= kEnd; k += 2 * size) {
            b0 = v128.load(wp, 0);
            b1 = v128.load(wp, 16);
            x = splatLoad<T>(r0 + k);
            v0x0 = madd<T>(v0x0, x, b0);
            v0x1 = madd<T>(v0x1, x, b1);
            x = splatLoad<T>(r1 + k);
            v1x0 = madd<T>(v1x0, x, b0);
            v1x1 = madd<T>(v1x1, x, b1);
            x = splatLoad<T>(r2 + k);
            v2x0 = madd<T>(v2x0, x, b0);
            v2x1 = madd<T>(v2x1, x, b1);
            x = splatLoad<T>(r3 + k);
            v3x0 = madd<T>(v3x0, x, b0);
            v3x1 = madd<T>(v3x1, x, b1);
            b0 = v128.load(wp, 32);
            b1 = v128.load(wp, 48);
            x = splat1<T>(r0 + k);
            v0x0 = madd<T>(v0x0, x, b0);
            v0x1 = madd<T>(v0x1, x, b1);
            x = splat1<T>(r1 + k);
            v1x0 = madd<T>(v1x0, x, b0);
            v1x1 = madd<T>(v1x1, x, b1);
            x = splat1<T>(r2 + k);
            v2x0 = madd<T>(v2x0, x, b0);
            v2x1 = madd<T>(v2x1, x, b1);
            x = splat1<T>(r3 + k);
            v3x0 = madd<T>(v3x0, x, b0);
            v3x1 = madd<T>(v3x1, x, b1);
            wp += 64;
          }
          for (; k < kEnd; k += size) {
            b0 = v128.load(wp);
            b1 = v128.load(wp, 16);
            x = splatLoad<T>(r0 + k);
            v0x0 = madd<T>(v0x0, x, b0);
            v0x1 = madd<T>(v0x1, x, b1);
            x = splatLoad<T>(r1 + k);
            v1x0 = madd<T>(v1x0, x, b0);
            v1x1 = madd<T>(v1x1, x, b1);
            x = splatLoad<T>(r2 + k);
            v2x0 = madd<T>(v2x0, x, b0);
            v2x1 = madd<T>(v2x1, x, b1);
            x = splatLoad<T>(r3 + k);
            v3x0 = madd<T>(v3x0, x, b0);
            v3x1 = madd<T>(v3x1, x, b1);
            wp += 32;
          }
        }
      }
    }
    storeTile4<T>(c0, c1, c2, c3, <usize>j * size, nc - j, v0x0, v0x1, v1x0, v1x1, v2x0, v2x1, v3x0, v3x1);
  }
}

/**
 * Scratch for one 4-row block of A packed k-major ([K][4]): static memory below the caller's arena (heapBase), so
 * no caller passes a buffer. 256 KiB holds K ≤ 16384 in float32, ≤ 8192 in float64 (3×3 kernels on up to 1820
 * channels); longer rows take rows4. It was 32 KiB (K ≤ 2048): 3×3 layers past 227 channels then fell to rows4, and
 * ResNet's stride-2 3×3 layers on 256 channels (K = 2304) ran at 0.3–0.5× tfjs (issue 16). The block is streamed once
 * per 8-column panel next to that panel's K × 8 weights, so it only needs to stay in L2, not L1.
 */
export const PACK_BYTES: usize = 262144;
// A global, not a constant: each instance of a threads build points its own at a block of its thread's (set by
// setPackBuffer when the pool starts), since globals are per instance while memory is shared.
// Threads builds import their memory, so a static block would be a 256 KiB data segment of zeros in the binary:
// there every instance, the calling thread's included, is given its block by the loader.
export let packBuf: usize = ASC_FEATURE_THREADS ? 0 : memory.data(<i32>PACK_BYTES, 16);

/** Point this instance's pack buffer at `p` (PACK_BYTES bytes): each worker of a thread pool has its own. */
export function setPackBuffer(p: usize): void {
  packBuf = p;
}

/**
 * Bytes of packed weights one sweep over the rows reads: the packed paths take the weight panels in groups of about
 * this size (at least two panels), all row blocks per group (the A block is packed again per group). Where all the
 * weights fit (K·N ≤ 512 Ki floats) there is one group and nothing changes; ResNet's 512-channel layers (K = 4608,
 * 4.7 MB of weights) otherwise streamed all the weights from memory once per 4 rows. 512 KiB groups measured slower
 * than one sweep on 226 channels (K = 2034, 0.84×: the taps gathered again per group), 2 MiB no slower there and
 * 1.27–1.49× faster than before this change at 228, 256 and 512 channels (3×3, stride 2, one process). Each output's
 * sum runs over k in the same order either way (same bits).
 */
export const PANEL_GROUP_BYTES: usize = 2097152;

/** Columns per group of weight panels for rows of K (a multiple of the panel width). */
// @ts-ignore: decorator
@inline export function groupCols<T>(K: i32): i32 {
  const NR = 2 * lanes<T>();
  const panelB = <usize>(NR + K * NR) * sizeof<T>();
  return max<i32>(2, <i32>(PANEL_GROUP_BYTES / panelB)) * NR;
}

/** Four float32 vectors (rows) transposed: column q of them stored at dst + q·stride. */
// @ts-ignore: decorator
@inline export function storeTransposed4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f64>(lo01, lo23, 0, 2));
  v128.store(dst + stride, v128.shuffle<f64>(lo01, lo23, 1, 3));
  v128.store(dst + 2 * stride, v128.shuffle<f64>(hi01, hi23, 0, 2));
  v128.store(dst + 3 * stride, v128.shuffle<f64>(hi01, hi23, 1, 3));
}

/** Rows a0…a3 (kB bytes each) into dst as [K][4]: the four rows' k-th elements side by side. */
// @ts-ignore: decorator
@inline export function packRows4<T>(kB: usize, a0: usize, a1: usize, a2: usize, a3: usize, dst: usize): void {
  const size = <usize>sizeof<T>();
  let k: usize = 0;
  if (sizeof<T>() == 4) {
    // Four k at a time: a 4×4 transpose of one vector from each row.
    for (; k + 16 <= kB; k += 16) {
      storeTransposed4(v128.load(a0 + k), v128.load(a1 + k), v128.load(a2 + k), v128.load(a3 + k), dst + k * 4, 16);
    }
  } else {
    // Two k at a time: one vector from each row, low lanes then high lanes.
    for (; k + 16 <= kB; k += 16) {
      const r0 = v128.load(a0 + k);
      const r1 = v128.load(a1 + k);
      const r2 = v128.load(a2 + k);
      const r3 = v128.load(a3 + k);
      const d = dst + k * 4;
      v128.store(d, v128.shuffle<f64>(r0, r1, 0, 2));
      v128.store(d, v128.shuffle<f64>(r2, r3, 0, 2), 16);
      v128.store(d, v128.shuffle<f64>(r0, r1, 1, 3), 32);
      v128.store(d, v128.shuffle<f64>(r2, r3, 1, 3), 48);
    }
  }
  for (; k < kB; k += size) {
    const d = dst + k * 4;
    store<T>(d, load<T>(a0 + k));
    store<T>(d + size, load<T>(a1 + k));
    store<T>(d + 2 * size, load<T>(a2 + k));
    store<T>(d + 3 * size, load<T>(a3 + k));
  }
}

/**
 * rows4 on a packed block (pa: [K][4], from packRows4): one k per pass, its four splats at immediate offsets from
 * one pointer. Six loads and 16 arithmetic ops per pass fit the registers with the accumulators (no spills), and
 * V8 unrolls the short loop itself; on shape D's GEMM (196 × 256 × 256) this ran at 44 GFLOP/s against rows4's 39.
 */
// Generalised for gemmT: A's k-th values `sB` bytes apart (4 elements when packed) and, with `transposed` (a constant
// at each call site, so each instance keeps one store), the tile stored transposed: column j at c0 + j·ldcB, its
// rows 0…mr−1 contiguous.
// @ts-ignore: decorator
@inline export function packedRows4<T>(
  nc: i32, K: i32, pa: usize, sB: usize, w: usize, c0: usize, c1: usize, c2: usize, c3: usize,
  transposed: bool = false, ldcB: usize = 0, mr: i32 = 4,
): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  const end = pa + <usize>K * sB;
  let wp = w;
  for (let j = 0; j < nc; j += NR) {
    let v0x0 = v128.load(wp);
    let v0x1 = v128.load(wp, 16);
    let v1x0 = v0x0, v1x1 = v0x1;
    let v2x0 = v0x0, v2x1 = v0x1;
    let v3x0 = v0x0, v3x1 = v0x1;
    wp += 32;
    for (let p = pa; p < end; p += sB) {
      const b0 = v128.load(wp);
      const b1 = v128.load(wp, 16);
      let x = splatLoad<T>(p);
      v0x0 = madd<T>(v0x0, x, b0);
      v0x1 = madd<T>(v0x1, x, b1);
      x = splat1<T>(p);
      v1x0 = madd<T>(v1x0, x, b0);
      v1x1 = madd<T>(v1x1, x, b1);
      x = splat2<T>(p);
      v2x0 = madd<T>(v2x0, x, b0);
      v2x1 = madd<T>(v2x1, x, b1);
      x = splat3<T>(p);
      v3x0 = madd<T>(v3x0, x, b0);
      v3x1 = madd<T>(v3x1, x, b1);
      wp += 32;
    }
    if (transposed) storeTile4T<T>(c0 + <usize>j * ldcB, ldcB, nc - j, mr, v0x0, v0x1, v1x0, v1x1, v2x0, v2x1, v3x0, v3x1);
    else storeTile4<T>(c0, c1, c2, c3, <usize>j * size, nc - j, v0x0, v0x1, v1x0, v1x1, v2x0, v2x1, v3x0, v3x1);
  }
}

/** C (M × N, row stride ldc) = A (M × K, row stride lda) · packed B + bias. Strides in elements. */
// @ts-ignore: decorator
@inline export function gemmRows<T>(M: i32, N: i32, K: i32, a: usize, lda: i32, w: usize, c: usize, ldc: i32): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  const ldaB = <usize>lda * size;
  const ldcB = <usize>ldc * size;
  if (ASC_FEATURE_SIMD) {
    const kB = <usize>K * size;
    // The packed 4-row tile, on a single panel too: packing a block for one panel repaid its copy (N ≤ 8: 1.11–1.26×
    // against rows4 on SIMD, 0.88–1.36× against the 6-row tile on relaxed SIMD, the loss at K = 576, N = 8). rows4
    // only for rows too long for the scratch.
    const packed = kB * 4 <= PACK_BYTES;
    if (packed) {
      // Each 4-row block packed k-major for the packed tile; panels in groups that stay in L2 (PANEL_GROUP_BYTES),
      // every block per group.
      const gc = groupCols<T>(K);
      const panelB = <usize>(NR + K * NR) * size;
      for (let j0 = 0; j0 < N; j0 += gc) {
        const nc = min(gc, N - j0);
        const wg = w + <usize>(j0 / NR) * panelB;
        const cg = c + <usize>j0 * size;
        for (let i = 0; i < M; i += 4) {
          const mr = min(4, M - i);
          const a0 = a + <usize>i * ldaB;
          const a1 = mr > 1 ? a0 + ldaB : a0;
          const a2 = mr > 2 ? a1 + ldaB : a1;
          const a3 = mr > 3 ? a2 + ldaB : a2;
          const c0 = cg + <usize>i * ldcB;
          const c1 = mr > 1 ? c0 + ldcB : c0;
          const c2 = mr > 2 ? c1 + ldcB : c1;
          const c3 = mr > 3 ? c2 + ldcB : c2;
          packRows4<T>(kB, a0, a1, a2, a3, packBuf);
          packedRows4<T>(nc, K, packBuf, 4 * size, wg, c0, c1, c2, c3);
        }
      }
    } else {
      for (let i = 0; i < M; i += 4) {
        const mr = min(4, M - i);
        const a0 = a + <usize>i * ldaB;
        const a1 = mr > 1 ? a0 + ldaB : a0;
        const a2 = mr > 2 ? a1 + ldaB : a1;
        const a3 = mr > 3 ? a2 + ldaB : a2;
        const c0 = c + <usize>i * ldcB;
        const c1 = mr > 1 ? c0 + ldcB : c0;
        const c2 = mr > 2 ? c1 + ldcB : c1;
        const c3 = mr > 3 ? c2 + ldcB : c2;
        rows4<T>(N, 1, kB, 1, kB, 1, kB, K, a0, a1, a2, a3, w, c0, c1, c2, c3);
      }
    }
    return;
  }
  const panel = <usize>(NR + K * NR) * size;
  for (let i = 0; i < M; i++) {
    const ar = a + <usize>i * ldaB;
    const cr = c + <usize>i * ldcB;
    for (let j = 0; j < N; j++) {
      const wp = w + <usize>(j / NR) * panel + <usize>(j % NR) * size;
      let s = load<T>(wp);
      for (let k = 0; k < K; k++) s += load<T>(ar + <usize>k * size) * load<T>(wp + <usize>((k + 1) * NR) * size);
      store<T>(cr + <usize>j * size, s);
    }
  }
}

/** Copy n elements of T from src to dst (non-overlapping). */
// @ts-ignore: decorator
@inline export function copyElems<T>(dst: usize, src: usize, n: i32): void {
  const size = <usize>sizeof<T>();
  const bytes = <usize>n * size;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.load(src + i));
  }
  for (; i < bytes; i += size) store<T>(dst + i, load<T>(src + i));
}

/**
 * Store a 4-row tile transposed: tile column q (its rows 0…mr−1) at c + q·ldcB, for q < nq (≤ NR): each half of the
 * columns (one accumulator of each row) by storeCols4T, straight-line so the accumulators stay in registers (a loop
 * over the halves spilled them: gemmT ran 0.71× gemm at K = 16).
 */
// @ts-ignore: decorator
@inline function storeTile4T<T>(
  c: usize, ldcB: usize, nq: i32, mr: i32,
  v0x0: v128, v0x1: v128, v1x0: v128, v1x1: v128, v2x0: v128, v2x1: v128, v3x0: v128, v3x1: v128,
): void {
  storeCols4T<T>(c, ldcB, nq, mr, v0x0, v1x0, v2x0, v3x0);
  if (nq > lanes<T>()) storeCols4T<T>(c + <usize>lanes<T>() * ldcB, ldcB, nq - lanes<T>(), mr, v0x1, v1x1, v2x1, v3x1);
}

/**
 * Columns q < min(n, lanes) of the tile rows' vectors r0…r3, column q (rows 0…mr−1) at p + q·ldcB: a 4 × 4 transpose
 * (float32), 2 × 2 ones (float64).
 */
// @ts-ignore: decorator
@inline function storeCols4T<T>(p: usize, ldcB: usize, n: i32, mr: i32, r0: v128, r1: v128, r2: v128, r3: v128): void {
  if (sizeof<T>() == 4) {
    const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
    const lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    const hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    storeCol4<T>(p, v128.shuffle<f64>(lo01, lo23, 0, 2), mr);
    if (n > 1) storeCol4<T>(p + ldcB, v128.shuffle<f64>(lo01, lo23, 1, 3), mr);
    if (n > 2) storeCol4<T>(p + 2 * ldcB, v128.shuffle<f64>(hi01, hi23, 0, 2), mr);
    if (n > 3) storeCol4<T>(p + 3 * ldcB, v128.shuffle<f64>(hi01, hi23, 1, 3), mr);
  } else {
    storeRow<T>(p, v128.shuffle<f64>(r0, r1, 0, 2), v128.shuffle<f64>(r2, r3, 0, 2), mr);
    if (n > 1) storeRow<T>(p + ldcB, v128.shuffle<f64>(r0, r1, 1, 3), v128.shuffle<f64>(r2, r3, 1, 3), mr);
  }
}

/** A float32 tile column's first mr (≤ 4) rows at p. */
// @ts-ignore: decorator
@inline function storeCol4<T>(p: usize, v: v128, mr: i32): void {
  if (mr == 4) v128.store(p, v);
  else storeFew<T>(p, v, mr);
}

/**
 * K rows of 4 elements, `sB` bytes apart from a, into dst as [K][4]: contiguous, or (iB > 0) iB bytes apart, the
 * elements past the block's mr rows repeating its last one (nothing read past A's rows).
 */
// @ts-ignore: decorator
@inline function gather4<T>(a: usize, sB: usize, K: i32, dst: usize, iB: usize, mr: i32): void {
  const size = <usize>sizeof<T>();
  const end = dst + <usize>K * 4 * size;
  const o1: usize = mr > 1 ? iB : 0;
  const o2: usize = mr > 2 ? 2 * iB : o1;
  const o3: usize = mr > 3 ? 3 * iB : o2;
  for (let d = dst, p = a; d < end; d += 4 * size, p += sB) {
    if (sizeof<T>() == 4 && iB == 8 && mr >= 4) {
      // Every other element (stride 2): the even lanes of two loads (the last one read is not used).
      v128.store(d, i32x4.shuffle(v128.load(p), v128.load(p, 16), 0, 2, 4, 6));
      continue;
    }
    if (iB) {
      store<T>(d, load<T>(p));
      store<T>(d + size, load<T>(p + o1));
      store<T>(d + 2 * size, load<T>(p + o2));
      store<T>(d + 3 * size, load<T>(p + o3));
      continue;
    }
    v128.store(d, v128.load(p));
    if (sizeof<T>() == 8) v128.store(d, v128.load(p, 16), 16);
  }
}

/**
 * gemmTRows at unit row step where C's planes lie a multiple of 4 KiB apart (maps of 32², 64², 128² pixels): every
 * plane then falls in the same L1 sets, and a tile per block across all panels kept more planes' lines live than the
 * sets hold (0.67–0.71× gemm's speed). Here bands of up to 16 blocks are gathered plane by plane (each plane's run read
 * in whole lines) into packBuf, [block][K][4], then run panel by panel, every block of the band per panel, so that one
 * panel's planes are written at a time: 1.22–1.37× on such shapes. On other strides the gathering cost more than it
 * saved (0.93–0.95× at K = 16–32 on 112² maps).
 */
// @ts-ignore: decorator
@inline function gemmTBands<T>(M: i32, N: i32, K: i32, a: usize, ldaB: usize, w: usize, panelB: usize, c: usize, ldcB: usize): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  const blockB = <usize>K * 4 * size;
  const most = max<i32>(1, min<i32>(16, <i32>(<usize>32768 / blockB)));
  for (let i0 = 0; i0 < M; i0 += 4 * most) {
    const nb = min(most, (M - i0 + 3) >> 2);
    for (let k = 0; k < K; k++) {
      // A ragged last block reads up to 3 elements past A's rows (their lanes are dropped), as gemmTRows allows.
      const src = a + <usize>k * ldaB + <usize>i0 * size;
      const dst = packBuf + <usize>k * 4 * size;
      for (let b = 0; b < nb; b++) {
        const s = src + <usize>b * 4 * size;
        const d = dst + <usize>b * blockB;
        v128.store(d, v128.load(s));
        if (sizeof<T>() == 8) v128.store(d, v128.load(s, 16), 16);
      }
    }
    for (let j = 0; j < N; j += NR) {
      const wj = w + <usize>(j / NR) * panelB;
      for (let b = 0; b < nb; b++) {
        const i = i0 + 4 * b;
        packedRows4<T>(min(NR, N - j), K, packBuf + <usize>b * blockB, 4 * size, wj, c + <usize>j * ldcB + <usize>i * size, 0, 0, 0, true, ldcB, min(4, M - i));
      }
    }
  }
}

/** Whether gemmTRows runs in bands (gemmTBands): C's planes a multiple of 4 KiB apart. */
// @ts-ignore: decorator
@inline function inBands(ldcB: usize): bool {
  return (ldcB & 4095) == 0;
}

/**
 * Whether gemmTRows gathers a block at unit row step: from K = 256 (the block's lines no longer sit in L1 beside a
 * panel) or across many panels (see gemmTRows).
 */
// @ts-ignore: decorator
@inline function gathersBlocks<T>(K: i32, N: i32): bool {
  return K >= 256 || N >= 64 * 2 * lanes<T>();
}

/**
 * float32 gemmT tile of 8 rows (lanes: two vectors of A's k-th values, read in place) × 4 columns (splats of a half
 * panel's weights), stored straight into C's planes: no transposes. `wh` is the half panel ([bias 4] at wh, its k-th
 * weights at wh + 32 + 32·k), nq ≤ 4 the columns stored.
 */
// @ts-ignore: decorator
@inline function colsTile8(K: i32, a: usize, ldaB: usize, wh: usize, c: usize, ldcB: usize, nq: i32): void {
  let v0x0 = v128.load32_splat(wh);
  let v1x0 = v128.load32_splat(wh, 4);
  let v2x0 = v128.load32_splat(wh, 8);
  let v3x0 = v128.load32_splat(wh, 12);
  let v0x1 = v0x0, v1x1 = v1x0, v2x1 = v2x0, v3x1 = v3x0;
  let wp = wh + 32;
  const end = a + <usize>K * ldaB;
  for (let p = a; p < end; p += ldaB) {
    const x0 = v128.load(p);
    const x1 = v128.load(p, 16);
    let s = v128.load32_splat(wp);
    v0x0 = madd<f32>(v0x0, x0, s);
    v0x1 = madd<f32>(v0x1, x1, s);
    s = v128.load32_splat(wp, 4);
    v1x0 = madd<f32>(v1x0, x0, s);
    v1x1 = madd<f32>(v1x1, x1, s);
    s = v128.load32_splat(wp, 8);
    v2x0 = madd<f32>(v2x0, x0, s);
    v2x1 = madd<f32>(v2x1, x1, s);
    s = v128.load32_splat(wp, 12);
    v3x0 = madd<f32>(v3x0, x0, s);
    v3x1 = madd<f32>(v3x1, x1, s);
    wp += 32;
  }
  v128.store(c, v0x0);
  v128.store(c, v0x1, 16);
  if (nq > 1) {
    v128.store(c + ldcB, v1x0);
    v128.store(c + ldcB, v1x1, 16);
  }
  if (nq > 2) {
    v128.store(c + 2 * ldcB, v2x0);
    v128.store(c + 2 * ldcB, v2x1, 16);
  }
  if (nq > 3) {
    v128.store(c + 3 * ldcB, v3x0);
    v128.store(c + 3 * ldcB, v3x1, 16);
  }
}

/**
 * Rows of a float32 gemmT call that gemmTCols takes (SIMD builds): at unit row step, unless C's planes lie 4 KiB apart
 * (bands) or an 8-row block is too long to gather, the multiple of 8 below M; else 0.
 */
// @ts-ignore: decorator
@inline export function colsRows(M: i32, K: i32, ia: i32, ldc: i32): i32 {
  if (ia != 1 || M < 8) return 0;
  if (<usize>K * 32 > PACK_BYTES || inBands(<usize>ldc * 4)) return 0;
  return M & ~7;
}

/**
 * float32 gemmT (gemmTRows' arguments) on rows 0…M8 − 1, M8 a multiple of 8 (colsRows): 8-row tiles with the rows in
 * lanes and each half panel's 4 columns splatted, stored straight into C's planes, where gemmTRows' 4-row tile
 * transposes every tile to store it. Blocks are read in place or gathered as gemmTRows does (gathersBlocks), panels
 * taken in groups (groupCols). Against gemmTRows alone, same bits: 1.01–1.13× at K = 16–192 (MobileNetV2's
 * channels-first 1×1 layers on 28²–112² maps), 0.98–1.02× where blocks are gathered; relaxed SIMD 1.00–1.15×.
 */
export function gemmTCols(M8: i32, N: i32, K: i32, a: usize, lda: i32, w: usize, c: usize, ldc: i32): void {
  const ldaB = <usize>lda * 4;
  const ldcB = <usize>ldc * 4;
  const panelB = <usize>(8 + K * 8) * 4;
  const gather = gathersBlocks<f32>(K, N);
  const sB: usize = gather ? 32 : ldaB;
  const gc = groupCols<f32>(K);
  for (let j0 = 0; j0 < N; j0 += gc) {
    const j1 = min(N, j0 + gc);
    for (let i = 0; i < M8; i += 8) {
      let ai = a + <usize>i * 4;
      const ci = c + <usize>i * 4;
      if (gather) {
        for (let k: usize = 0, p = ai; k < <usize>K; k++, p += ldaB) {
          v128.store(packBuf + k * 32, v128.load(p));
          v128.store(packBuf + k * 32, v128.load(p, 16), 16);
        }
        ai = packBuf;
      }
      for (let j = j0; j < j1; j += 8) {
        const wj = w + <usize>(j >> 3) * panelB;
        const cj = ci + <usize>j * ldcB;
        colsTile8(K, ai, sB, wj, cj, ldcB, min(4, N - j));
        if (N - j > 4) colsTile8(K, ai, sB, wj + 16, cj + 4 * ldcB, ldcB, N - j - 4);
      }
    }
  }
}

/**
 * gemmRows on transposed A and C: C[i, j] = bias[j] + Σ_k A[i, k] · B[k, j] with A[i, k] at a + k·lda + i·ia and
 * C[i, j] at c + j·ldc + i (strides in elements). A channels-first 1×1 convolution in its own layout: rows are pixels
 * (ia apart: a row of output pixels at stride ia), k input channels (planes lda apart), columns output channels
 * (planes ldc apart), so neither the input nor the output is packed or transposed. At ia = 1, rows past M in the
 * last block read up to 3 elements past A's rows (their lanes are dropped).
 */
// @ts-ignore: decorator
@inline export function gemmTRows<T>(M: i32, N: i32, K: i32, a: usize, lda: i32, ia: i32, w: usize, c: usize, ldc: i32): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  const ldaB = <usize>lda * size;
  const ldcB = <usize>ldc * size;
  const fits = <usize>K * 4 * size <= PACK_BYTES;
  if (ASC_FEATURE_SIMD && (ia == 1 || fits)) {
    // A block read in place touches K cache lines per panel; gathered first ([K][4], in packBuf), it stays in L1 with
    // the panel. Gathering repays its copy from K = 256 (the block's lines no longer sit in L1 beside a panel: K = 576
    // and 960 on 20–40 panels ran 1.23–1.38× faster gathered; K = 144–192 on 4 panels 0.96–0.98×) or across many
    // panels (K = 320 on 160 panels: 1.05×); strided rows, always.
    const iB: usize = ia == 1 ? 0 : <usize>ia * size;
    const panelB = <usize>(NR + K * NR) * size;
    if (!iB && fits && inBands(ldcB)) {
      gemmTBands<T>(M, N, K, a, ldaB, w, panelB, c, ldcB);
      return;
    }
    const pack = fits && (iB || gathersBlocks<T>(K, N));
    const gc = groupCols<T>(K);
    for (let j0 = 0; j0 < N; j0 += gc) {
      const nc = min(gc, N - j0);
      const wg = w + <usize>(j0 / NR) * panelB;
      for (let i = 0; i < M; i += 4) {
        const ai = a + <usize>(i * ia) * size;
        const ci = c + <usize>j0 * ldcB + <usize>i * size;
        if (pack) gather4<T>(ai, ldaB, K, packBuf, iB, M - i);
        packedRows4<T>(nc, K, pack ? packBuf : ai, pack ? 4 * size : ldaB, wg, ci, 0, 0, 0, true, ldcB, min(4, M - i));
      }
    }
    return;
  }
  const panel = <usize>(NR + K * NR) * size;
  for (let j = 0; j < N; j++) {
    const wp = w + <usize>(j / NR) * panel + <usize>(j % NR) * size;
    const cr = c + <usize>j * ldcB;
    for (let i = 0; i < M; i++) {
      let s = load<T>(wp);
      for (let k = 0; k < K; k++) s += load<T>(a + <usize>k * ldaB + <usize>(i * ia) * size) * load<T>(wp + <usize>((k + 1) * NR) * size);
      store<T>(cr + <usize>i * size, s);
    }
  }
}
