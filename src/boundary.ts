// Boundary extension, in one vocabulary for every padding, border fill and gradient fold. The code's words say what
// happens at the edge (a b c d is the array, the extension repeats with the period shown):
//   symmetric  d c b a | a b c d | d c b a   edge repeated, period 2n
//   mirror       d c b | a b c d | c b a     edge not repeated, period 2n − 2 (n = 1: the one value)
//   edge       a a a a | a b c d | d d d d
//   wrap       a b c d | a b c d | a b c d   period n
//   constant   k k k k | a b c d | k k k k
// The public names of SciPy and PyTorch are mapped to these words once, here (NDIMAGE_MODES, SIGNAL_BOUNDARIES,
// TORCH_PADDING; the table with NumPy's and OpenCV's names is in CONTRIBUTING.md): ndimage's and torch's 'reflect'
// are different extensions. assembly/boundary.ts holds the same index function over the codes of EXTENSION_CODE.
import { stridesOf, type Float } from './arrays';
import type { NdimageMode } from './ndimage';
import type { Kernels } from './kernels';
import type { PaddingMode } from './nn/plan';

export type Extension = 'constant' | 'symmetric' | 'mirror' | 'edge' | 'wrap';

/** The extension codes of the wasm kernels (assembly/boundary.ts: CONSTANT … WRAP). */
export const EXTENSION_CODE: Readonly<Record<Extension, number>> = { constant: 0, symmetric: 1, mirror: 2, edge: 3, wrap: 4 };

/** EXTENSION_CODE inverted: the extension of a kernel's code. */
export const EXTENSIONS: readonly Extension[] = ['constant', 'symmetric', 'mirror', 'edge', 'wrap'];

/**
 * scipy.ndimage's modes. The 'grid-*' names are the same extensions as their plain twins for filters (they differ
 * only in interpolation).
 */
export const NDIMAGE_MODES: Readonly<Record<NdimageMode, Extension>> = {
  reflect: 'symmetric', mirror: 'mirror', nearest: 'edge', wrap: 'wrap', constant: 'constant',
  'grid-mirror': 'symmetric', 'grid-wrap': 'wrap', 'grid-constant': 'constant',
};

/** scipy.signal's boundaries of convolve2d/correlate2d, with the aliases SciPy accepts. */
export const SIGNAL_BOUNDARIES: Readonly<Record<string, Extension>> = {
  fill: 'constant', pad: 'constant', wrap: 'wrap', circular: 'wrap', symm: 'symmetric', symmetric: 'symmetric',
};

/** torch's padding_mode names (F.pad's modes; 'zeros' is constant 0). */
export const TORCH_PADDING: Readonly<Record<PaddingMode, Extension>> = {
  zeros: 'constant', reflect: 'mirror', replicate: 'edge', circular: 'wrap',
};

/**
 * Index into [0, n) that position i (may be outside) reads through the extension, or -1 for the constant.
 * @example sourceIndex(-1, 4, 'symmetric') // 0; sourceIndex(-1, 4, 'mirror') // 1; sourceIndex(5, 4, 'wrap') // 1
 */
export function sourceIndex(i: number, n: number, ext: Extension): number {
  if (i >= 0 && i < n) return i;
  switch (ext) {
    case 'constant':
      return -1;
    case 'edge':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'symmetric': {
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

/** sourceIndex(from + i, n, ext) for i < length (a plain loop: callers run it once per strip of rows). */
export function indexMap(length: number, from: number, n: number, ext: Extension): Int32Array {
  const m = new Int32Array(length);
  for (let i = 0; i < length; i++) m[i] = sourceIndex(from + i, n, ext);
  return m;
}

/**
 * dst[dstOff + …] = src at index (i + lo) on each axis, through the extension (cval outside for 'constant'), for
 * every i < padShape.
 * The in-range run of each row is one `set` (the bulk of the copy); only the edges go element by element.
 */
export function padInto(
  dst: Float, dstOff: number, src: Float, srcShape: readonly number[], padShape: readonly number[],
  lo: readonly number[], ext: Extension, cval: number,
): void {
  const d = srcShape.length;
  const last = d - 1;
  // Source index per padded position for the leading axes (rows); the last axis only needs its two edges.
  const maps = padShape.slice(0, last).map((p, a) => indexMap(p, lo[a], srcShape[a], ext));
  const ss = stridesOf(srcShape);
  const ds = stridesOf(padShape);
  const P = padShape[last];
  const n = srcShape[last];
  const l = lo[last];
  const i0 = Math.min(P, Math.max(0, -l));
  const i1 = Math.max(i0, Math.min(P, n - l));
  const head = indexMap(i0, l, n, ext);
  const tail = indexMap(P - i1, i1 + l, n, ext);
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

/** Three spatial axes of a padded buffer (leading axes of size 1): sizes before and after padding, padding in front. */
export interface PaddedBox {
  inSize: readonly number[];
  padded: readonly number[];
  padBefore: readonly number[];
}

/** The padded positions i < P outside [pb, pb + n) with the padded position each reads, on one axis. */
function borderPairs(P: number, pb: number, n: number, ext: Extension): [number, number][] {
  const e: [number, number][] = [];
  for (let i = 0; i < P; i++) if (i < pb || i >= pb + n) e.push([i, pb + sourceIndex(i - pb, n, ext)]);
  return e;
}

/**
 * Channels-first planes [P, D, H, W] at element `src` of mem → [P, D', H', W'] at `dst` through the extension (zeros
 * for 'constant'): the padPlanes kernel pads each depth plane, then the depth border copies whole planes (the
 * extensions are separable per axis, as torch's F.pad).
 */
export function padPlanesInto(mem: Float, k: Pick<Kernels, 'padPlanes'>, src: number, P: number, g: PaddedBox, ext: Extension, dst: number): void {
  const [D, H, W] = g.inSize;
  const [Pd, Ph, Pw] = g.padded;
  const [pbD, pbH, pbW] = g.padBefore;
  const code = EXTENSION_CODE[ext];
  const plane = Ph * Pw;
  if (Pd === D) {
    k.padPlanes(mem, src, P * D, H, W, dst, Ph, Pw, pbH, pbW, code);
    return;
  }
  const edgeD = borderPairs(Pd, pbD, D, ext);
  for (let p = 0; p < P; p++) {
    const b = dst + p * Pd * plane;
    k.padPlanes(mem, src + p * D * H * W, D, H, W, b + pbD * plane, Ph, Pw, pbH, pbW, code);
    for (const [i, s] of edgeD) {
      if (s < pbD) mem.fill(0, b + i * plane, b + (i + 1) * plane);
      else mem.copyWithin(b + i * plane, b + s * plane, b + (s + 1) * plane);
    }
  }
}

/** The positions of a padded axis (P long, the data at pb … pb + n − 1) outside the data. */
function outside(P: number, pb: number, n: number): number[] {
  const at: number[] = [];
  for (let i = 0; i < P; i++) if (i < pb || i >= pb + n) at.push(i);
  return at;
}

/**
 * Fill the border of a padded channels-last buffer [N, D', H', W', C] whose interior is in place: W edges of each
 * interior row first, then whole rows along H, then whole planes along D, each copied from an already complete
 * row/plane (the extensions are separable per axis, as torch's F.pad), or zeros for 'constant'.
 */
export function fillBorders(mem: Float, base: number, N: number, C: number, g: PaddedBox, ext: Extension): void {
  const [D, H, W] = g.inSize;
  const [Pd, Ph, Pw] = g.padded;
  const [pbD, pbH, pbW] = g.padBefore;
  const row = Pw * C;
  const plane = Ph * row;
  const edgeW = outside(Pw, pbW, W);
  const edgeH = outside(Ph, pbH, H);
  const edgeD = outside(Pd, pbD, D);
  for (let n = 0; n < N; n++) {
    const xb = base + n * Pd * plane;
    if (edgeW.length) {
      for (let z = 0; z < D; z++) {
        const pz = xb + (z + pbD) * plane + pbH * row;
        if (ext === 'constant') {
          // Zeros from each interior row's end to the next one's start: one fill per row (a call costs more than
          // the few elements it writes).
          mem.fill(0, pz, pz + pbW * C);
          for (let y = 0; y < H; y++) mem.fill(0, pz + y * row + (pbW + W) * C, pz + (y + 1) * row + (y + 1 < H ? pbW * C : 0));
          continue;
        }
        for (let y = 0; y < H; y++) {
          const r = pz + y * row;
          for (const i of edgeW) {
            const s = sourceIndex(i - pbW, W, ext) + pbW;
            mem.copyWithin(r + i * C, r + s * C, r + (s + 1) * C);
          }
        }
      }
    }
    for (let z = 0; z < D; z++) {
      const pz = xb + (z + pbD) * plane;
      for (const i of edgeH) {
        const s = sourceIndex(i - pbH, H, ext);
        if (s < 0) mem.fill(0, pz + i * row, pz + (i + 1) * row);
        else mem.copyWithin(pz + i * row, pz + (s + pbH) * row, pz + (s + pbH + 1) * row);
      }
    }
    for (const i of edgeD) {
      const s = sourceIndex(i - pbD, D, ext);
      if (s < 0) mem.fill(0, xb + i * plane, xb + (i + 1) * plane);
      else mem.copyWithin(xb + i * plane, xb + (s + pbD) * plane, xb + (s + pbD + 1) * plane);
    }
  }
}

/**
 * The adjoint of padding: fold the border of a channels-first padded buffer [NC, D', H', W'] back into its interior,
 * each padded position adding its value to the position it was read from (torch's pad backward), axis by axis as
 * the extensions are separable. 'constant' reads nothing, so its border is dropped.
 */
export function foldBorders(mem: Float, base: number, NC: number, g: PaddedBox, ext: Extension): void {
  if (ext === 'constant') return;
  const [D, H, W] = g.inSize;
  const [Pd, Ph, Pw] = g.padded;
  const [pbD, pbH, pbW] = g.padBefore;
  const eW = borderPairs(Pw, pbW, W, ext);
  const eH = borderPairs(Ph, pbH, H, ext);
  const eD = borderPairs(Pd, pbD, D, ext);
  const plane = Ph * Pw;
  for (let c = 0; c < NC; c++) {
    const b = base + c * Pd * plane;
    for (let r = 0; r < Pd * Ph && eW.length; r++) {
      const row = b + r * Pw;
      for (const [i, s] of eW) mem[row + s] += mem[row + i];
    }
    for (let z = 0; z < Pd; z++) {
      const pz = b + z * plane;
      for (const [i, s] of eH) {
        for (let x = pbW; x < pbW + W; x++) mem[pz + s * Pw + x] += mem[pz + i * Pw + x];
      }
    }
    for (const [i, s] of eD) {
      for (let y = pbH; y < pbH + H; y++) {
        for (let x = pbW; x < pbW + W; x++) mem[b + (s * Ph + y) * Pw + x] += mem[b + (i * Ph + y) * Pw + x];
      }
    }
  }
}
