// Sparse-taps 2-D correlation summed in double: a correlation over a listed subset of a kernel's taps, in the
// order listed, each output summed in f64 from 0 and rounded once as it is stored as T:
//   out[r, c] = Σ_{t<n} x[r·xStride + c + d[t]] · w[t]
// x and out hold T (f32 or f64); the tap table at `taps` is f64 whatever T is: n weights w[t], then n element
// offsets d[t] (whole numbers) into the padded input x. This is scipy.ndimage's arithmetic: NI_Correlate
// (scipy/ndimage/src/ni_filters.c) reads each sample as a double, drops every weight with |w| ≤ DBL_EPSILON (so a
// zero weight never meets a NaN sample), sums the kept products in double in C order and casts at the store. The
// caller lists the kept taps in that order (all of them for a dense filter).
// SIMD runs across output columns, two f64 lanes per vector (f32 samples widened with f64x2.promote_low_f32x4),
// each tap's weight splatted: 1 row × 4 vectors per pass, then single vectors, then scalars. (8 vectors per pass ran
// at less than half the speed: V8 issues a pass's loads first, and 8 accumulators + 8 inputs spill.)
// ndimage calls the f64 export on double scratch: widening f32 samples here measured ~4× slower than the f64 export
// (1024² 15×15), more than widening them once as they are copied in.
import { madd } from './simd';

/** Byte offset of a tap's input from its table entry at dp. */
// @ts-ignore: decorator
@inline function offset<T>(dp: usize): usize {
  return (<usize><i32>load<f64>(dp)) * sizeof<T>();
}

/** Two samples of T at p + k·2·sizeof<T>() as an f64x2 (exact: f32 → f64 widens without rounding). */
// @ts-ignore: decorator
@inline function load2<T>(p: usize, k: usize): v128 {
  if (sizeof<T>() == 4) {
    return f64x2.promote_low_f32x4(v128.load64_zero(p + k * 8));
  } else {
    return v128.load(p + k * 16);
  }
}

/** Store an f64x2 as two T at op + k·2·sizeof<T>() (f32: rounded to nearest, ties to even, as a C cast). */
// @ts-ignore: decorator
@inline function store2<T>(op: usize, k: usize, a: v128): void {
  if (sizeof<T>() == 4) {
    v128.store64_lane(op + k * 8, f32x4.demote_f64x2_zero(a), 0);
  } else {
    v128.store(op + k * 16, a);
  }
}

/** 8 outputs of one row from xp into op. */
// @ts-ignore: decorator
@inline function tile1x4<T>(xp: usize, taps: usize, n: i32, op: usize): void {
  let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0;
  let wp = taps;
  const dBytes = <usize>n * 8;
  const wEnd = taps + dBytes;
  while (wp < wEnd) {
    const w = v128.load_splat<f64>(wp);
    const p = xp + offset<T>(wp + dBytes);
    a0 = madd<f64>(a0, load2<T>(p, 0), w); a1 = madd<f64>(a1, load2<T>(p, 1), w);
    a2 = madd<f64>(a2, load2<T>(p, 2), w); a3 = madd<f64>(a3, load2<T>(p, 3), w);
    wp += 8;
  }
  store2<T>(op, 0, a0); store2<T>(op, 1, a1); store2<T>(op, 2, a2); store2<T>(op, 3, a3);
}

/** 2 outputs of one row from xp into op. */
// @ts-ignore: decorator
@inline function tile1x1<T>(xp: usize, taps: usize, n: i32, op: usize): void {
  let a0 = f64x2.splat(0);
  let wp = taps;
  const dBytes = <usize>n * 8;
  const wEnd = taps + dBytes;
  while (wp < wEnd) {
    a0 = madd<f64>(a0, load2<T>(xp + offset<T>(wp + dBytes), 0), v128.load_splat<f64>(wp));
    wp += 8;
  }
  store2<T>(op, 0, a0);
}

/** One output, scalar. */
// @ts-ignore: decorator
@inline function point<T>(xp: usize, taps: usize, n: i32, op: usize): void {
  let s: f64 = 0;
  let wp = taps;
  const dBytes = <usize>n * 8;
  const wEnd = taps + dBytes;
  while (wp < wEnd) {
    s += <f64>load<T>(xp + offset<T>(wp + dBytes)) * load<f64>(wp);
    wp += 8;
  }
  store<T>(op, <T>s);
}

// @ts-ignore: decorator
@inline function corrTaps<T>(x: usize, xStride: i32, taps: usize, n: i32, out: usize, outH: i32, outW: i32, outStride: i32): void {
  const size = sizeof<T>();
  const xRow = <usize>xStride * size;
  const oRow = <usize>outStride * size;
  for (let r = 0; r < outH; r++) {
    const xr = x + <usize>r * xRow;
    const orow = out + <usize>r * oRow;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 8 <= outW; c += 8) tile1x4<T>(xr + <usize>c * size, taps, n, orow + <usize>c * size);
      for (; c + 2 <= outW; c += 2) tile1x1<T>(xr + <usize>c * size, taps, n, orow + <usize>c * size);
    }
    for (; c < outW; c++) point<T>(xr + <usize>c * size, taps, n, orow + <usize>c * size);
  }
}

export function corr_taps_f32(x: usize, xStride: i32, taps: usize, n: i32, out: usize, outH: i32, outW: i32, outStride: i32): void {
  corrTaps<f32>(x, xStride, taps, n, out, outH, outW, outStride);
}

export function corr_taps_f64(x: usize, xStride: i32, taps: usize, n: i32, out: usize, outH: i32, outW: i32, outStride: i32): void {
  corrTaps<f64>(x, xStride, taps, n, out, outH, outW, outStride);
}
