// Sparse-taps 2-D correlation: a correlation over a listed subset of a kernel's taps, in the order listed:
//   out[r, c] = Σ_{t<n} x[r·xStride + c + d[t]] · w[t]
// The tap table at `taps` holds n weights w[t] followed by n element offsets d[t] (whole numbers stored as T) into
// the padded input x. scipy.ndimage's correlate drops every weight with |w| ≤ DBL_EPSILON before it sums
// (scipy/ndimage/src/ni_filters.c, NI_Correlate), so a zero weight never meets a NaN sample: the caller lists the
// kept taps, in C order, and this kernel sums exactly those, from 0, in that order, as NI_Correlate does.
// ndimage calls the f64 export (its sums are double); the f32 one sums in float32, where its JS twin sums in double.
// SIMD runs across output columns with each tap's weight splatted: 1 row × 8 vectors per pass (8 accumulators,
// one weight and the loaded inputs stay within V8's 15 usable xmm registers), then single vectors, then scalars.
import { lanes, madd } from './simd';

/** Byte offset of tap t's input from the table at dp (offsets are exact whole numbers of type T). */
// @ts-ignore: decorator
@inline function offset<T>(dp: usize): usize {
  return (<usize><i32>load<T>(dp)) * sizeof<T>();
}

/** One row of 8 vectors from xp into op. */
// @ts-ignore: decorator
@inline function tile1x8<T>(xp: usize, taps: usize, n: i32, op: usize): void {
  const size = sizeof<T>();
  let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let wp = taps;
  const wEnd = taps + <usize>n * size;
  const dBytes = <usize>n * size;
  while (wp < wEnd) {
    const w = v128.load_splat<T>(wp);
    const p = xp + offset<T>(wp + dBytes);
    a0 = madd<T>(a0, v128.load(p, 0), w); a1 = madd<T>(a1, v128.load(p, 16), w);
    a2 = madd<T>(a2, v128.load(p, 32), w); a3 = madd<T>(a3, v128.load(p, 48), w);
    a4 = madd<T>(a4, v128.load(p, 64), w); a5 = madd<T>(a5, v128.load(p, 80), w);
    a6 = madd<T>(a6, v128.load(p, 96), w); a7 = madd<T>(a7, v128.load(p, 112), w);
    wp += size;
  }
  v128.store(op, a0, 0); v128.store(op, a1, 16); v128.store(op, a2, 32); v128.store(op, a3, 48);
  v128.store(op, a4, 64); v128.store(op, a5, 80); v128.store(op, a6, 96); v128.store(op, a7, 112);
}

/** One vector from xp into op. */
// @ts-ignore: decorator
@inline function tile1x1<T>(xp: usize, taps: usize, n: i32, op: usize): void {
  const size = sizeof<T>();
  let a0 = v128.splat<T>(0);
  let wp = taps;
  const wEnd = taps + <usize>n * size;
  const dBytes = <usize>n * size;
  while (wp < wEnd) {
    a0 = madd<T>(a0, v128.load(xp + offset<T>(wp + dBytes)), v128.load_splat<T>(wp));
    wp += size;
  }
  v128.store(op, a0);
}

/** One output, scalar. */
// @ts-ignore: decorator
@inline function point<T>(xp: usize, taps: usize, n: i32, op: usize): void {
  const size = sizeof<T>();
  let s: T = <T>0;
  let wp = taps;
  const wEnd = taps + <usize>n * size;
  const dBytes = <usize>n * size;
  while (wp < wEnd) {
    s += load<T>(xp + offset<T>(wp + dBytes)) * load<T>(wp);
    wp += size;
  }
  store<T>(op, s);
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
      const L = lanes<T>();
      for (; c + 8 * L <= outW; c += 8 * L) tile1x8<T>(xr + <usize>c * size, taps, n, orow + <usize>c * size);
      for (; c + L <= outW; c += L) tile1x1<T>(xr + <usize>c * size, taps, n, orow + <usize>c * size);
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
