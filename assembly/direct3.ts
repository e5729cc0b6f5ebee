// Direct 3×3 convolution of 3-channel channels-last images (a network's first layer), no im2col copy:
//   out[p, co] = bias[co] + Σ_{b<3, e<3, c<3} xpad[(y·sh + b)·wp + x·sw + e, c] · w[(b·3 + e)·3 + c, co],  p = y·ow + x
// The weights are the GEMM panels of pack_gemm (K = 27, row k = tap·3 + c): each tap row of a pixel is 9
// contiguous values, so 4 pixels × 8 output channels accumulate in registers over all 27 taps (no im2col) —
// XNNPACK's first-layer idea on the GEMM tile. The taps are a loop, one tap a pass, not unrolled: V8's TurboFan
// issues a straight-line block's loads first and keeps every loaded value live, so the 9-tap unrolled body held
// 18 weight vectors and 36 splats at once and spilled them to the stack (B: 1.07 → 0.87 ms a call, rolled).
// float64 runs the GEMM tile as is.
import { rows4, storeTile4 } from './gemm_core';
import { madd } from './simd';

/** One padded plane [hp, wp, 3] → out rows [oh·ow, ldo] (Cout columns), any stride. */
// @ts-ignore: decorator
@inline function direct3<T>(x: usize, wp: i32, sh: i32, sw: i32, oh: i32, ow: i32, w: usize, Cout: i32, out: usize, ldo: i32): void {
  const size = <usize>sizeof<T>();
  const sH = <usize>wp * 3 * size;
  const pix = <usize>sw * 3 * size;
  const ldoB = <usize>ldo * size;
  const P = oh * ow;
  if (ASC_FEATURE_SIMD) {
    let rowBase = x;
    let xx = 0;
    for (let p = 0; p < P; p += 4) {
      // Four pixel pointers in output order across row ends; pixels past the end repeat the last one.
      const mr = min(4, P - p);
      const p0 = rowBase + <usize>xx * pix;
      if (++xx == ow) { xx = 0; rowBase += <usize>sh * sH; }
      let p1 = p0;
      if (mr > 1) {
        p1 = rowBase + <usize>xx * pix;
        if (++xx == ow) { xx = 0; rowBase += <usize>sh * sH; }
      }
      let p2 = p1;
      if (mr > 2) {
        p2 = rowBase + <usize>xx * pix;
        if (++xx == ow) { xx = 0; rowBase += <usize>sh * sH; }
      }
      let p3 = p2;
      if (mr > 3) {
        p3 = rowBase + <usize>xx * pix;
        if (++xx == ow) { xx = 0; rowBase += <usize>sh * sH; }
      }
      const c0 = out + <usize>p * ldoB;
      const c1 = mr > 1 ? c0 + ldoB : c0;
      const c2 = mr > 2 ? c1 + ldoB : c1;
      const c3 = mr > 3 ? c2 + ldoB : c2;
      if (sizeof<T>() != 4) {
        rows4<T>(Cout, 1, 0, 3, sH, 1, 0, 9, p0, p1, p2, p3, w, c0, c1, c2, c3);
        continue;
      }
      let wp = w;
      for (let j = 0; j < Cout; j += 8) {
        let s0a = v128.load(wp);
        let s0b = v128.load(wp, 16);
        let s1a = s0a, s1b = s0b, s2a = s0a, s2b = s0b, s3a = s0a, s3b = s0b;
        let b0: v128, b1: v128, x: v128;
        let q0 = p0, q1 = p1, q2 = p2, q3 = p3;
        wp += 32;
        // Per tap row: nine values (3 columns × 3 channels) per pixel, contiguous in the padded input.
        if (sw == 2 && p3 == p0 + 3 * pix) {
          // Stride 2 (a stem layer's), four pixels of one row: 24 bytes apart, so the splats take immediate offsets.
          for (let b = 0; b < 3; b++) {
            const end = q0 + 9 * 4;
            for (let a = q0; a < end; a += 4) {
              b0 = v128.load(wp, 0); b1 = v128.load(wp, 16);
              x = v128.load32_splat(a, 0); s0a = madd<f32>(s0a, x, b0); s0b = madd<f32>(s0b, x, b1);
              x = v128.load32_splat(a, 24); s1a = madd<f32>(s1a, x, b0); s1b = madd<f32>(s1b, x, b1);
              x = v128.load32_splat(a, 48); s2a = madd<f32>(s2a, x, b0); s2b = madd<f32>(s2b, x, b1);
              x = v128.load32_splat(a, 72); s3a = madd<f32>(s3a, x, b0); s3b = madd<f32>(s3b, x, b1);
              wp += 32;
            }
            q0 += sH;
          }
        } else {
          for (let b = 0; b < 3; b++) {
            for (let t: usize = 0; t < 9 * 4; t += 4) {
              b0 = v128.load(wp, 0); b1 = v128.load(wp, 16);
              x = v128.load32_splat(q0 + t); s0a = madd<f32>(s0a, x, b0); s0b = madd<f32>(s0b, x, b1);
              x = v128.load32_splat(q1 + t); s1a = madd<f32>(s1a, x, b0); s1b = madd<f32>(s1b, x, b1);
              x = v128.load32_splat(q2 + t); s2a = madd<f32>(s2a, x, b0); s2b = madd<f32>(s2b, x, b1);
              x = v128.load32_splat(q3 + t); s3a = madd<f32>(s3a, x, b0); s3b = madd<f32>(s3b, x, b1);
              wp += 32;
            }
            q0 += sH; q1 += sH; q2 += sH; q3 += sH;
          }
        }
        storeTile4<f32>(c0, c1, c2, c3, <usize>j * 4, Cout - j, s0a, s0b, s1a, s1b, s2a, s2b, s3a, s3b);
      }
    }
    return;
  }
  const NR = 16 / <i32>size * 2;
  const panel = <usize>(NR + 27 * NR) * size;
  for (let y = 0; y < oh; y++) {
    for (let xo = 0; xo < ow; xo++) {
      const a = x + <usize>(y * sh) * sH + <usize>xo * pix;
      const c = out + <usize>(y * ow + xo) * ldoB;
      for (let co = 0; co < Cout; co++) {
        const wc = w + <usize>(co / NR) * panel + <usize>(co % NR) * size;
        let s = load<T>(wc);
        for (let b = 0; b < 3; b++) {
          for (let t = 0; t < 9; t++) s += load<T>(a + <usize>b * sH + <usize>t * size) * load<T>(wc + <usize>((b * 9 + t + 1) * NR) * size);
        }
        store<T>(c + <usize>co * size, s);
      }
    }
  }
}

export function direct3_f32(x: usize, wp: i32, sh: i32, sw: i32, oh: i32, ow: i32, w: usize, Cout: i32, out: usize, ldo: i32): void {
  direct3<f32>(x, wp, sh, sw, oh, ow, w, Cout, out, ldo);
}

export function direct3_f64(x: usize, wp: i32, sh: i32, sw: i32, oh: i32, ow: i32, w: usize, Cout: i32, out: usize, ldo: i32): void {
  direct3<f64>(x, wp, sh, sw, oh, ow, w, Cout, out, ldo);
}
