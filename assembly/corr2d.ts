// Valid 2-D cross-correlation, the one direct kernel behind every rank and mode:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
// Padding, mode, centring and the flip of convolution are all done by the caller's plan, which copies the input
// into a zero- or boundary-padded buffer and the kernel (reversed for convolution) beside it.
// SIMD runs across output columns: each kernel tap is splatted once and multiplied into 4 vectors of outputs.
import { lanes, madd, splatAt } from './simd';

// @ts-ignore: decorator
@inline function corr2d<T>(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32,
  out: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  const size = sizeof<T>();
  const xRow = <usize>xStride * size;
  const oRow = <usize>outStride * size;
  for (let r = 0; r < outH; r++) {
    const xr = x + <usize>r * xRow;
    const orow = out + <usize>r * oRow;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      // Four vectors of outputs per pass: enough independent chains to hide the add latency.
      for (; c + 4 * L <= outW; c += 4 * L) {
        const op = orow + <usize>c * size;
        let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0;
        if (accumulate) {
          a0 = v128.load(op, 0); a1 = v128.load(op, 16); a2 = v128.load(op, 32); a3 = v128.load(op, 48);
        }
        for (let i = 0; i < kh; i++) {
          let xp = xr + <usize>i * xRow + <usize>c * size;
          let hp = h + <usize>(i * kw) * size;
          const hEnd = hp + <usize>kw * size;
          while (hp < hEnd) {
            const w = splatAt<T>(hp);
            a0 = madd<T>(a0, v128.load(xp, 0), w);
            a1 = madd<T>(a1, v128.load(xp, 16), w);
            a2 = madd<T>(a2, v128.load(xp, 32), w);
            a3 = madd<T>(a3, v128.load(xp, 48), w);
            xp += size;
            hp += size;
          }
        }
        v128.store(op, a0, 0); v128.store(op, a1, 16); v128.store(op, a2, 32); v128.store(op, a3, 48);
      }
      for (; c + L <= outW; c += L) {
        const op = orow + <usize>c * size;
        let a0 = accumulate ? v128.load(op) : v128.splat<T>(0);
        for (let i = 0; i < kh; i++) {
          let xp = xr + <usize>i * xRow + <usize>c * size;
          let hp = h + <usize>(i * kw) * size;
          const hEnd = hp + <usize>kw * size;
          while (hp < hEnd) {
            a0 = madd<T>(a0, v128.load(xp), splatAt<T>(hp));
            xp += size;
            hp += size;
          }
        }
        v128.store(op, a0);
      }
    }
    for (; c < outW; c++) {
      const op = orow + <usize>c * size;
      let s: T = accumulate ? load<T>(op) : <T>0;
      for (let i = 0; i < kh; i++) {
        const xp = xr + <usize>(i * xStride + c) * size;
        const hp = h + <usize>(i * kw) * size;
        for (let j = 0; j < kw; j++) {
          s += load<T>(xp + <usize>j * size) * load<T>(hp + <usize>j * size);
        }
      }
      store<T>(op, s);
    }
  }
}

export function corr2d_f32(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32,
  out: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  corr2d<f32>(x, xStride, h, kh, kw, out, outH, outW, outStride, accumulate);
}

export function corr2d_f64(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32,
  out: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  corr2d<f64>(x, xStride, h, kh, kw, out, outH, outW, outStride, accumulate);
}
