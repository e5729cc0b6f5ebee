// Boundary handling, done once in the plan: the input is copied into a padded buffer and every kernel then runs a
// plain valid correlation. Names follow scipy.ndimage; scipy.signal's 'symm' is 'reflect', 'fill' is 'constant'.
//   reflect  d c b a | a b c d | d c b a   (NumPy pad 'symmetric', OpenCV BORDER_REFLECT)
//   mirror     d c b | a b c d | c b a     (NumPy pad 'reflect',   OpenCV BORDER_REFLECT_101)
//   nearest  a a a a | a b c d | d d d d   (NumPy pad 'edge',      OpenCV BORDER_REPLICATE)
//   wrap     a b c d | a b c d | a b c d   (NumPy pad 'wrap',      OpenCV BORDER_WRAP)
//   constant k k k k | a b c d | k k k k   (NumPy pad 'constant',  OpenCV BORDER_CONSTANT)
import { stridesOf, type Float } from './arrays';

export type BoundaryMode = 'constant' | 'reflect' | 'mirror' | 'nearest' | 'wrap';

/** Index into [0, n) that padded position i (may be outside) reads, or -1 for the constant. */
export function sourceIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const p = 2 * n;
      const m = ((i % p) + p) % p;
      return m < n ? m : p - 1 - m;
    }
    case 'mirror': {
      if (n === 1) return 0;
      const p = 2 * n - 2;
      const m = ((i % p) + p) % p;
      return m < n ? m : p - m;
    }
  }
}

/** sourceIndex(from + i, n, mode) for i < length (a plain loop: callers run it once per strip of rows). */
export function indexMap(length: number, from: number, n: number, mode: BoundaryMode): Int32Array {
  const m = new Int32Array(length);
  for (let i = 0; i < length; i++) m[i] = sourceIndex(from + i, n, mode);
  return m;
}

/**
 * dst[dstOff + …] = src at index (i + lo) on each axis, through the boundary mode, for every i < padShape.
 * The in-range run of each row is one `set` (the bulk of the copy); only the edges go element by element.
 */
export function padInto(
  dst: Float, dstOff: number, src: Float, srcShape: readonly number[], padShape: readonly number[],
  lo: readonly number[], mode: BoundaryMode, cval: number,
): void {
  const d = srcShape.length;
  const last = d - 1;
  // Source index per padded position for the leading axes (rows); the last axis only needs its two edges.
  const maps = padShape.slice(0, last).map((p, a) => indexMap(p, lo[a], srcShape[a], mode));
  const ss = stridesOf(srcShape);
  const ds = stridesOf(padShape);
  const P = padShape[last];
  const n = srcShape[last];
  const l = lo[last];
  const i0 = Math.min(P, Math.max(0, -l));
  const i1 = Math.max(i0, Math.min(P, n - l));
  const head = indexMap(i0, l, n, mode);
  const tail = indexMap(P - i1, i1 + l, n, mode);
  const row = (srcOff: number, dstOff: number, constant: boolean): void => {
    if (constant) {
      dst.fill(cval, dstOff, dstOff + P);
      return;
    }
    if (i1 > i0) dst.set(src.subarray(srcOff + i0 + l, srcOff + i1 + l), dstOff + i0);
    for (let i = 0; i < i0; i++) dst[dstOff + i] = head[i] < 0 ? cval : src[srcOff + head[i]];
    for (let i = 0; i < tail.length; i++) dst[dstOff + i1 + i] = tail[i] < 0 ? cval : src[srcOff + tail[i]];
  };
  const rec = (a: number, srcOff: number, dstOff: number, constant: boolean): void => {
    if (a === last) return row(srcOff, dstOff, constant);
    const map = maps[a];
    for (let i = 0; i < padShape[a]; i++) {
      const s = map[i];
      rec(a + 1, s < 0 ? srcOff : srcOff + s * ss[a], dstOff + i * ds[a], constant || s < 0);
    }
  };
  rec(0, 0, dstOff, false);
}
