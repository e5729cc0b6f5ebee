// Per-channel valid 2-D cross-correlation of an interleaved (channels-last) image with uint8 output:
//   out[r, e] = sat_u8(round_half_even(Σ_{i<kh} Σ_{j<kw} x[r + i, e + j·C] · h[i, j]))      e < outW = W·C
// x holds the padded input rows already widened to T (u8_widen below), C values per pixel, so a tap moves C
// elements along the row and every channel of a pixel sits in its own lane: one kernel serves C = 1, 3, 4, 5, …
// The sum runs over the taps in C order from 0, as scipy.ndimage's NI_Correlate does (ni_filters.c), with plain
// multiply and add (never fused, even in the relaxed build), so the f64 twin gives SciPy's double bit for bit.
// Rounding and saturation are OpenCV's saturate_cast<uchar> (and a Uint8ClampedArray store): nearest with ties to
// even, then clamp to [0, 255] (trunc_sat + the saturating narrows).

/** 16 f32 lanes → 16 saturated bytes. */
// @ts-ignore: decorator
@inline function packF32(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const i0 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(a0));
  const i1 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(a1));
  const i2 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(a2));
  const i3 = i32x4.trunc_sat_f32x4_s(f32x4.nearest(a3));
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(i0, i1), i16x8.narrow_i32x4_s(i2, i3));
}

/** 8 f64 lanes → 8 saturated bytes in the low half. */
// @ts-ignore: decorator
@inline function packF64(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const i0 = i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(a0));
  const i1 = i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(a1));
  const i2 = i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(a2));
  const i3 = i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(a3));
  const lo = v128.shuffle<i32>(i0, i1, 0, 1, 4, 5);
  const hi = v128.shuffle<i32>(i2, i3, 0, 1, 4, 5);
  const s = i16x8.narrow_i32x4_s(lo, hi);
  return i8x16.narrow_i16x8_u(s, s);
}

/** Round half to even and saturate one value (NaN cannot occur: finite bytes times finite weights). */
// @ts-ignore: decorator
@inline function satU8<T>(s: T): u8 {
  const q = nearest<T>(s);
  return <u8>(q <= <T>0 ? 0 : q >= <T>255 ? 255 : <i32>q);
}

// @ts-ignore: decorator
@inline function corr2dHwcU8<T>(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32, C: i32, out: usize, outH: i32, outW: i32, outStride: i32,
): void {
  const size = <usize>sizeof<T>();
  const xRow = <usize>xStride * size;
  const tapStep = <usize>C * size;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    // Output rows in pairs: input row i feeds row r with kernel row i and row r + 1 with kernel row i − 1, so each
    // loaded vector serves two outputs (8 accumulators + 4 inputs + 2 taps fit V8's xmm registers). Each output
    // still sums its taps in C order from 0.
    const step = sizeof<T>() == 4 ? 16 : 8;
    const hRow = <usize>kw * size;
    for (; r + 2 <= outH; r += 2) {
      const xr = x + <usize>r * xRow;
      const orow = out + <usize>r * <usize>outStride;
      let e = 0;
      for (; e + step <= outW; e += step) {
        let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (let i = 0; i <= kh; i++) {
          let p = xr + <usize>i * xRow + <usize>e * size;
          let hp = h + <usize>i * hRow;
          for (let j = 0; j < kw; j++) {
            const v0 = v128.load(p, 0), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
            if (i < kh) {
              const w = v128.load_splat<T>(hp);
              a0 = v128.add<T>(a0, v128.mul<T>(v0, w)); a1 = v128.add<T>(a1, v128.mul<T>(v1, w));
              a2 = v128.add<T>(a2, v128.mul<T>(v2, w)); a3 = v128.add<T>(a3, v128.mul<T>(v3, w));
            }
            if (i > 0) {
              const w = v128.load_splat<T>(hp - hRow);
              b0 = v128.add<T>(b0, v128.mul<T>(v0, w)); b1 = v128.add<T>(b1, v128.mul<T>(v1, w));
              b2 = v128.add<T>(b2, v128.mul<T>(v2, w)); b3 = v128.add<T>(b3, v128.mul<T>(v3, w));
            }
            p += tapStep;
            hp += size;
          }
        }
        if (sizeof<T>() == 4) {
          v128.store(orow + <usize>e, packF32(a0, a1, a2, a3));
          v128.store(orow + <usize>outStride + <usize>e, packF32(b0, b1, b2, b3));
        } else {
          v128.store64_lane(orow + <usize>e, packF64(a0, a1, a2, a3), 0);
          v128.store64_lane(orow + <usize>outStride + <usize>e, packF64(b0, b1, b2, b3), 0);
        }
      }
      // The columns left over, one row at a time.
      for (let rr = 0; rr < 2; rr++) scalarTail<T>(x + <usize>(r + rr) * xRow, xRow, h, kh, kw, tapStep, orow + <usize>rr * <usize>outStride, e, outW);
    }
  }
  for (; r < outH; r++) {
    const xr = x + <usize>r * xRow;
    const orow = out + <usize>r * <usize>outStride;
    let e = 0;
    if (ASC_FEATURE_SIMD) {
      // 16 outputs (f32: 4 vectors) or 8 (f64: 4 vectors) per pass: 4 accumulators, one splatted tap, 4 loads.
      const step = sizeof<T>() == 4 ? 16 : 8;
      for (; e + step <= outW; e += step) {
        let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0;
        let hp = h;
        for (let i = 0; i < kh; i++) {
          let p = xr + <usize>i * xRow + <usize>e * size;
          for (let j = 0; j < kw; j++) {
            const w = v128.load_splat<T>(hp);
            a0 = v128.add<T>(a0, v128.mul<T>(v128.load(p, 0), w));
            a1 = v128.add<T>(a1, v128.mul<T>(v128.load(p, 16), w));
            a2 = v128.add<T>(a2, v128.mul<T>(v128.load(p, 32), w));
            a3 = v128.add<T>(a3, v128.mul<T>(v128.load(p, 48), w));
            p += tapStep;
            hp += size;
          }
        }
        if (sizeof<T>() == 4) v128.store(orow + <usize>e, packF32(a0, a1, a2, a3));
        else v128.store64_lane(orow + <usize>e, packF64(a0, a1, a2, a3), 0);
      }
    }
    scalarTail<T>(xr, xRow, h, kh, kw, tapStep, orow, e, outW);
  }
}

/** Outputs e … outW − 1 of one row, one at a time (the SIMD passes' leftovers, and the scalar build). */
// @ts-ignore: decorator
@inline function scalarTail<T>(xr: usize, xRow: usize, h: usize, kh: i32, kw: i32, tapStep: usize, orow: usize, e: i32, outW: i32): void {
  const size = <usize>sizeof<T>();
  for (; e < outW; e++) {
    let s = <T>0;
    let hp = h;
    for (let i = 0; i < kh; i++) {
      let p = xr + <usize>i * xRow + <usize>e * size;
      for (let j = 0; j < kw; j++) {
        s += load<T>(p) * load<T>(hp);
        p += tapStep;
        hp += size;
      }
    }
    store<u8>(orow + <usize>e, satU8<T>(s));
  }
}

/** dst[i] = T(src[i]) for n bytes at src: a strip of uint8 rows widened once, before every tap reads it. */
// @ts-ignore: decorator
@inline function u8Widen<T>(src: usize, n: i32, dst: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const v = v128.load8x8_u(src + <usize>i); // 8 × u16
      const lo = i32x4.extend_low_i16x8_u(v);
      const hi = i32x4.extend_high_i16x8_u(v);
      const d = dst + <usize>i * sizeof<T>();
      if (sizeof<T>() == 4) {
        v128.store(d, f32x4.convert_i32x4_s(lo), 0);
        v128.store(d, f32x4.convert_i32x4_s(hi), 16);
      } else {
        v128.store(d, f64x2.convert_low_i32x4_s(lo), 0);
        v128.store(d, f64x2.convert_low_i32x4_s(v128.shuffle<i32>(lo, lo, 2, 3, 2, 3)), 16);
        v128.store(d, f64x2.convert_low_i32x4_s(hi), 32);
        v128.store(d, f64x2.convert_low_i32x4_s(v128.shuffle<i32>(hi, hi, 2, 3, 2, 3)), 48);
      }
    }
  }
  for (; i < n; i++) store<T>(dst + <usize>i * sizeof<T>(), <T>load<u8>(src + <usize>i));
}

export function corr2d_hwc_u8_f32(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32, C: i32, out: usize, outH: i32, outW: i32, outStride: i32,
): void {
  corr2dHwcU8<f32>(x, xStride, h, kh, kw, C, out, outH, outW, outStride);
}

export function corr2d_hwc_u8_f64(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32, C: i32, out: usize, outH: i32, outW: i32, outStride: i32,
): void {
  corr2dHwcU8<f64>(x, xStride, h, kh, kw, C, out, outH, outW, outStride);
}

export function u8_widen_f32(src: usize, n: i32, dst: usize): void {
  u8Widen<f32>(src, n, dst);
}

export function u8_widen_f64(src: usize, n: i32, dst: usize): void {
  u8Widen<f64>(src, n, dst);
}
