// Boundary extension in the words of src/boundary.ts (where the table of public names is), by code:
//   CONSTANT   k k | a b c d | k k
//   SYMMETRIC  b a | a b c d | d c   (edge repeated, period 2n)
//   MIRROR     c b | a b c d | c b   (edge not repeated, period 2n − 2)
//   EDGE       a a | a b c d | d d
//   WRAP       c d | a b c d | a b   (period n)
// and the padding kernel of channels-first planes built on it:
//   dst[p, y, x] = src[p, s(y − pbH), s(x − pbW)]   (the constant, here 0, where s = −1)

import { lanes } from './simd';

export const CONSTANT: i32 = 0;
export const SYMMETRIC: i32 = 1;
export const MIRROR: i32 = 2;
export const EDGE: i32 = 3;
export const WRAP: i32 = 4;

/** Index into [0, n) that position i (may be outside) reads through extension `mode`, or −1 for CONSTANT. */
// @ts-ignore: decorator
@inline export function sourceIndex(i: i32, n: i32, mode: i32): i32 {
  if (i >= 0 && i < n) return i;
  if (mode == CONSTANT) return -1;
  if (mode == EDGE) return i < 0 ? 0 : n - 1;
  if (mode == WRAP) return ((i % n) + n) % n;
  if (mode == SYMMETRIC) {
    const p = 2 * n;
    const m = ((i % p) + p) % p;
    return m < n ? m : p - 1 - m;
  }
  if (n == 1) return 0;
  const p = 2 * n - 2;
  const m = ((i % p) + p) % p;
  return m < n ? m : p - m;
}

/**
 * dst[0 … bytes) = src[0 … bytes) (bytes a multiple of T's size): short rows in vectors and elements, exactly (a
 * memory.copy call costs more than a row of a 7 × 7 map), long ones by memory.copy.
 */
// @ts-ignore: decorator
@inline function copyRow<T>(dst: usize, src: usize, bytes: usize): void {
  if (!ASC_FEATURE_SIMD || bytes > 128) {
    memory.copy(dst, src, bytes);
    return;
  }
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < bytes; i += sizeof<T>()) store<T>(dst + i, load<T>(src + i));
}

/**
 * Zero padding of rows of at least a vector (SIMD builds), copied in whole vectors: dw_planes' one padded float32
 * plane, whose zeros are written once for all the planes copied into it.
 */
// @ts-ignore: decorator
@inline export function zeroRows<T>(mode: i32, w: i32): bool {
  return mode == CONSTANT && w >= lanes<T>();
}

/**
 * zeroRows on rows of at most 128 bytes: padPlanes' planes zero-filled whole, then their rows copied in (on longer rows
 * the second write of the interior costs more than it saves).
 */
// @ts-ignore: decorator
@inline export function shortZeroRows<T>(mode: i32, w: i32): bool {
  return zeroRows<T>(mode, w) && <usize>w * sizeof<T>() <= 128;
}

/**
 * The h rows of w samples (wb bytes, at least a vector) from src into dst (row stride `row` bytes), in whole vectors,
 * the last one overlapping the one before so that it ends at the row's end: nothing outside the rows is written.
 */
// @ts-ignore: decorator
@inline export function copyShortRows(src: usize, h: i32, wb: usize, dst: usize, row: usize): void {
  for (let y = 0; y < h; y++) {
    const sr = src + <usize>y * wb;
    const dr = dst + <usize>y * row;
    let j: usize = 0;
    for (; j + 16 <= wb; j += 16) v128.store(dr + j, v128.load(sr + j));
    if (j < wb) v128.store(dr + wb - 16, v128.load(sr + wb - 16));
  }
}

/**
 * Pad P planes [h, w] into [ph, pw] with pbH rows above and pbW columns to the left, through extension `mode`. Not
 * inlined: pad_planes and dw_planes (which pads large planes one at a time, just before it reads them) share one body
 * per type.
 */
export function padPlanes<T>(src: usize, P: i32, h: i32, w: i32, dst: usize, ph: i32, pw: i32, pbH: i32, pbW: i32, mode: i32): void {
  const size = <usize>sizeof<T>();
  const row = <usize>pw * size;
  if (ASC_FEATURE_SIMD && shortZeroRows<T>(mode, w)) {
    // Zeros on short rows: each plane zeroed whole in vectors, then its rows copied in whole vectors, the last one
    // overlapping the one before so that it ends at the row's end (no element-by-element tails, which cost more than
    // the copy on the 7 × 7 … 28 × 28 maps of a network's later layers; on longer rows the second write of the
    // interior costs more than it saves).
    const planeBytes = <usize>ph * row;
    const wb = <usize>w * size;
    for (let p = 0; p < P; p++) {
      const s = src + <usize>(p * h) * wb;
      const d = dst + <usize>p * planeBytes;
      let i: usize = 0;
      for (; i + 16 <= planeBytes; i += 16) v128.store(d + i, i64x2.splat(0));
      for (; i < planeBytes; i += size) store<T>(d + i, <T>0);
      copyShortRows(s, h, wb, d + <usize>pbH * row + <usize>pbW * size, row);
    }
    return;
  }
  for (let p = 0; p < P; p++) {
    const s = src + <usize>(p * h * w) * size;
    const d = dst + <usize>(p * ph) * row;
    // Interior rows with their left and right edges.
    for (let y = 0; y < h; y++) {
      const dr = d + <usize>(y + pbH) * row;
      const sr = s + <usize>(y * w) * size;
      copyRow<T>(dr + <usize>pbW * size, sr, <usize>w * size);
      for (let x = 0; x < pbW; x++) store<T>(dr + <usize>x * size, mode == CONSTANT ? <T>0 : load<T>(sr + <usize>sourceIndex(x - pbW, w, mode) * size));
      for (let x = pbW + w; x < pw; x++) store<T>(dr + <usize>x * size, mode == CONSTANT ? <T>0 : load<T>(sr + <usize>sourceIndex(x - pbW, w, mode) * size));
    }
    // Border rows: zeros, or a copy of the complete interior row they read.
    for (let y = 0; y < ph; y++) {
      if (y >= pbH && y < pbH + h) continue;
      const dr = d + <usize>y * row;
      if (mode == CONSTANT) memory.fill(dr, 0, row);
      else copyRow<T>(dr, d + <usize>(sourceIndex(y - pbH, h, mode) + pbH) * row, row);
    }
  }
}

export function pad_planes_f32(src: usize, P: i32, h: i32, w: i32, dst: usize, ph: i32, pw: i32, pbH: i32, pbW: i32, mode: i32): void {
  padPlanes<f32>(src, P, h, w, dst, ph, pw, pbH, pbW, mode);
}

export function pad_planes_f64(src: usize, P: i32, h: i32, w: i32, dst: usize, ph: i32, pw: i32, pbH: i32, pbW: i32, mode: i32): void {
  padPlanes<f64>(src, P, h, w, dst, ph, pw, pbH, pbW, mode);
}
