// Valid 2-D complex cross-correlation in split storage (re and im planes), the direct kernel of complex signals:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]        (complex product, no conjugate)
// The caller's plan pads both planes of x, and reverses (convolution) or conjugates (correlation) h beforehand, as
// the real kernel in corr2d.ts leaves the flip to the plan. Each complex product is four real products:
//   re = Σ xr·hr − Σ xi·hi,   im = Σ xr·hi + Σ xi·hr,
// kept in four accumulators per vector (no negation per tap, and four independent add chains). Summing the four
// families apart and combining them at the end adds the same real products as NumPy's per-term complex sum, so NaN
// and ±Infinity come out in the same places (only the rounding order differs).
// SIMD runs across output columns with each tap splatted: 2 vectors × 4 accumulators + 4 loads + 2 taps = 14 of
// V8's 15 usable xmm registers on x64. Remainders fall to one vector, then to scalar code.
import { lanes, madd } from './simd';

/** 2 vectors of outputs (2·L columns) of one row. */
// @ts-ignore: decorator
@inline function ctile2<T>(xr: usize, xi: usize, xRow: usize, hr: usize, hi: usize, kh: i32, kw: i32,
  or: usize, oi: usize, accumulate: i32): void {
  const size = <usize>sizeof<T>();
  const z = v128.splat<T>(0);
  let rr0 = z, rr1 = z, ii0 = z, ii1 = z, ri0 = z, ri1 = z, ir0 = z, ir1 = z;
  if (accumulate) {
    rr0 = v128.load(or, 0); rr1 = v128.load(or, 16);
    ri0 = v128.load(oi, 0); ri1 = v128.load(oi, 16);
  }
  const rowBytes = <usize>kw * size;
  for (let i = 0; i < kh; i++) {
    // One offset serves the four streams (x re/im, h re/im): x64 addresses them as base + offset, no per-stream adds.
    const pr = xr + <usize>i * xRow, pi = xi + <usize>i * xRow;
    const tr = hr + <usize>i * rowBytes, ti = hi + <usize>i * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += size) {
      const wr = v128.load_splat<T>(tr + o);
      const wi = v128.load_splat<T>(ti + o);
      const a0 = v128.load(pr + o, 0), a1 = v128.load(pr + o, 16);
      const b0 = v128.load(pi + o, 0), b1 = v128.load(pi + o, 16);
      rr0 = madd<T>(rr0, a0, wr); rr1 = madd<T>(rr1, a1, wr);
      ri0 = madd<T>(ri0, a0, wi); ri1 = madd<T>(ri1, a1, wi);
      ii0 = madd<T>(ii0, b0, wi); ii1 = madd<T>(ii1, b1, wi);
      ir0 = madd<T>(ir0, b0, wr); ir1 = madd<T>(ir1, b1, wr);
    }
  }
  v128.store(or, v128.sub<T>(rr0, ii0), 0); v128.store(or, v128.sub<T>(rr1, ii1), 16);
  v128.store(oi, v128.add<T>(ri0, ir0), 0); v128.store(oi, v128.add<T>(ri1, ir1), 16);
}

/** 1 vector of outputs. */
// @ts-ignore: decorator
@inline function ctile1<T>(xr: usize, xi: usize, xRow: usize, hr: usize, hi: usize, kh: i32, kw: i32,
  or: usize, oi: usize, accumulate: i32): void {
  const size = <usize>sizeof<T>();
  const z = v128.splat<T>(0);
  let rr = z, ii = z, ri = z, ir = z;
  if (accumulate) {
    rr = v128.load(or);
    ri = v128.load(oi);
  }
  const rowBytes = <usize>kw * size;
  for (let i = 0; i < kh; i++) {
    const pr = xr + <usize>i * xRow, pi = xi + <usize>i * xRow;
    const tr = hr + <usize>i * rowBytes, ti = hi + <usize>i * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += size) {
      const wr = v128.load_splat<T>(tr + o);
      const wi = v128.load_splat<T>(ti + o);
      const a = v128.load(pr + o), b = v128.load(pi + o);
      rr = madd<T>(rr, a, wr);
      ri = madd<T>(ri, a, wi);
      ii = madd<T>(ii, b, wi);
      ir = madd<T>(ir, b, wr);
    }
  }
  v128.store(or, v128.sub<T>(rr, ii));
  v128.store(oi, v128.add<T>(ri, ir));
}

/** One output, scalar, one complex product per term (NumPy's order). */
// @ts-ignore: decorator
@inline function cpoint<T>(xr: usize, xi: usize, xRow: usize, hr: usize, hi: usize, kh: i32, kw: i32,
  or: usize, oi: usize, accumulate: i32): void {
  const size = <usize>sizeof<T>();
  let sr: T = accumulate ? load<T>(or) : <T>0;
  let si: T = accumulate ? load<T>(oi) : <T>0;
  let t: usize = 0;
  for (let i = 0; i < kh; i++) {
    const pr = xr + <usize>i * xRow;
    const pi = xi + <usize>i * xRow;
    for (let j = 0; j < kw; j++) {
      const o = <usize>j * size;
      const ar = load<T>(pr + o), ai = load<T>(pi + o);
      const br = load<T>(hr + t), bi = load<T>(hi + t);
      sr += ar * br - ai * bi;
      si += ar * bi + ai * br;
      t += size;
    }
  }
  store<T>(or, sr);
  store<T>(oi, si);
}

// @ts-ignore: decorator
@inline function ccorr2d<T>(
  xr: usize, xi: usize, xStride: i32, hr: usize, hi: usize, kh: i32, kw: i32,
  or: usize, oi: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  const size = <usize>sizeof<T>();
  const xRow = <usize>xStride * size;
  const oRow = <usize>outStride * size;
  for (let r = 0; r < outH; r++) {
    const xro = xr + <usize>r * xRow, xio = xi + <usize>r * xRow;
    const oro = or + <usize>r * oRow, oio = oi + <usize>r * oRow;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      for (; c + 2 * L <= outW; c += 2 * L) {
        const b = <usize>c * size;
        ctile2<T>(xro + b, xio + b, xRow, hr, hi, kh, kw, oro + b, oio + b, accumulate);
      }
      for (; c + L <= outW; c += L) {
        const b = <usize>c * size;
        ctile1<T>(xro + b, xio + b, xRow, hr, hi, kh, kw, oro + b, oio + b, accumulate);
      }
    }
    for (; c < outW; c++) {
      const b = <usize>c * size;
      cpoint<T>(xro + b, xio + b, xRow, hr, hi, kh, kw, oro + b, oio + b, accumulate);
    }
  }
}

/** dst[c·rows + r] = src[r·cols + c]: one plane transposed in 16 × 16 blocks (the complex FFT driver's reorder). */
// @ts-ignore: decorator
@inline function transposePlane<T>(src: usize, dst: usize, rows: i32, cols: i32): void {
  const size = <usize>sizeof<T>();
  const B = 16;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        const s = src + <usize>r * <usize>cols * size;
        for (let c = c0; c < c1; c++) store<T>(dst + (<usize>c * <usize>rows + <usize>r) * size, load<T>(s + <usize>c * size));
      }
    }
  }
}

export function transpose_plane_f32(src: usize, dst: usize, rows: i32, cols: i32): void {
  transposePlane<f32>(src, dst, rows, cols);
}

export function transpose_plane_f64(src: usize, dst: usize, rows: i32, cols: i32): void {
  transposePlane<f64>(src, dst, rows, cols);
}

export function ccorr2d_f32(
  xr: usize, xi: usize, xStride: i32, hr: usize, hi: usize, kh: i32, kw: i32,
  or: usize, oi: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  ccorr2d<f32>(xr, xi, xStride, hr, hi, kh, kw, or, oi, outH, outW, outStride, accumulate);
}

export function ccorr2d_f64(
  xr: usize, xi: usize, xStride: i32, hr: usize, hi: usize, kh: i32, kw: i32,
  or: usize, oi: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  ccorr2d<f64>(xr, xi, xStride, hr, hi, kh, kw, or, oi, outH, outW, outStride, accumulate);
}
