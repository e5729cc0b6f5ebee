// Depthwise convolution, channels-last, one input channel per output channel (groups = C):
//   out[z, y, x, c] = bias[c] + Σ_{a<kd, b<kh, e<kw} xpad[z·sd + a·dd, y·sh + b·dh, x·sw + e·dw, c] · w[a, b, e, c]
// Channels sit in SIMD lanes (as XNNPACK's dwconv): each tap's weight vector is loaded once and multiplied into
// 4 neighbouring output pixels, so a multiply-add costs 1.25 loads instead of 2 (3×3 at unit stride: 0.75, as the
// 4 outputs share their input columns). w is packed [bias C][taps × C]; padding is already in xpad [dp, hp, wp, C].
// Channel counts that are not a multiple of the lanes end in scalars.
import { copyShortRows, padPlanes, zeroRows } from './boundary';
import { corr2d_f32, corr2d_f64 } from './corr2d';
import { lanes, madd } from './simd';

// @ts-ignore: decorator
@inline function dwconv<T>(
  x: usize, hp: i32, wp: i32, C: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, od: i32, oh: i32, ow: i32, w: usize, out: usize,
): void {
  const size = <usize>sizeof<T>();
  const sW = <usize>C * size;
  const sH = <usize>wp * sW;
  const sD = <usize>hp * sH;
  const pix = <usize>sw * sW; // step between neighbouring output pixels in the input
  const tapW = <usize>dw * sW;
  const wTap = <usize>C * size;
  for (let z = 0; z < od; z++) {
    for (let y = 0; y < oh; y++) {
      const xrow = x + <usize>(z * sd) * sD + <usize>(y * sh) * sH;
      const orow = out + <usize>((z * oh + y) * ow) * sW;
      let o = 0;
      if (ASC_FEATURE_SIMD) {
        const L = lanes<T>();
        if (kd == 1 && kh == 3 && kw == 3 && dw == 1 && (sw == 1 || sw == 2)) {
          // 3×3 at stride 1 or 2 along W: 4 neighbouring outputs read 6 or 9 input columns per row, each loaded once
          // (tile3x3); the row's last tile overlaps the one before it (its first pixels computed again, the same bits).
          for (; o + 4 <= ow; o = o + 4 < ow && o + 8 > ow ? ow - 4 : o + 4) {
            const xo = xrow + <usize>o * pix;
            const op = orow + <usize>o * sW;
            if (sw == 1) tile3x3<T>(false, xo, op, C, w, wTap, sW, <usize>dh * sH);
            else tile3x3<T>(true, xo, op, C, w, wTap, sW, <usize>dh * sH);
            for (let c = C - C % L; c < C; c++) {
              for (let i = 0; i < 4; i++) dwPixel<T>(xo + <usize>i * pix, op + <usize>i * sW, c, kd, kh, kw, dd, dh, sD, sH, tapW, w, wTap);
            }
          }
        }
        // Tiles of 4 pixels; a row that is not whole tiles ends in one overlapping the tile before it (its first
        // pixels computed again, with the same bits), not in single pixels, which reload every weight per pixel.
        for (; o + 4 <= ow; o = o + 4 < ow && o + 8 > ow ? ow - 4 : o + 4) {
          const xo = xrow + <usize>o * pix;
          const op = orow + <usize>o * sW;
          let c = 0;
          for (; c + L <= C; c += L) {
            const cb = <usize>c * size;
            let acc0 = v128.load(w + cb);
            let acc1 = acc0, acc2 = acc0, acc3 = acc0;
            let wp2 = w + wTap + cb;
            for (let a = 0; a < kd; a++) {
              for (let b = 0; b < kh; b++) {
                let xp = xo + <usize>(a * dd) * sD + <usize>(b * dh) * sH + cb;
                for (let e = 0; e < kw; e++) {
                  const wv = v128.load(wp2);
                  acc0 = madd<T>(acc0, v128.load(xp), wv);
                  acc1 = madd<T>(acc1, v128.load(xp + pix), wv);
                  acc2 = madd<T>(acc2, v128.load(xp + 2 * pix), wv);
                  acc3 = madd<T>(acc3, v128.load(xp + 3 * pix), wv);
                  wp2 += wTap;
                  xp += tapW;
                }
              }
            }
            v128.store(op + cb, acc0);
            v128.store(op + sW + cb, acc1);
            v128.store(op + 2 * sW + cb, acc2);
            v128.store(op + 3 * sW + cb, acc3);
          }
          for (; c < C; c++) {
            for (let i = 0; i < 4; i++) dwPixel<T>(xo + <usize>i * pix, op + <usize>i * sW, c, kd, kh, kw, dd, dh, sD, sH, tapW, w, wTap);
          }
        }
        for (; o < ow; o++) {
          const xo = xrow + <usize>o * pix;
          const op = orow + <usize>o * sW;
          let c = 0;
          for (; c + L <= C; c += L) {
            const cb = <usize>c * size;
            let acc = v128.load(w + cb);
            let wp2 = w + wTap + cb;
            for (let a = 0; a < kd; a++) {
              for (let b = 0; b < kh; b++) {
                let xp = xo + <usize>(a * dd) * sD + <usize>(b * dh) * sH + cb;
                for (let e = 0; e < kw; e++) {
                  acc = madd<T>(acc, v128.load(xp), v128.load(wp2));
                  wp2 += wTap;
                  xp += tapW;
                }
              }
            }
            v128.store(op + cb, acc);
          }
          for (; c < C; c++) dwPixel<T>(xo, op, c, kd, kh, kw, dd, dh, sD, sH, tapW, w, wTap);
        }
      }
      for (; o < ow; o++) {
        const xo = xrow + <usize>o * pix;
        const op = orow + <usize>o * sW;
        for (let c = 0; c < C; c++) dwPixel<T>(xo, op, c, kd, kh, kw, dd, dh, sD, sH, tapW, w, wTap);
      }
    }
  }
}

/**
 * One tile of a 3×3 kernel's 4 neighbouring output pixels (the first at xo, op), every whole vector of channels, from
 * the bias: at stride 1 along W (s2 false) the tile reads 6 input columns per row of taps, at stride 2 9, each loaded
 * once. s2 is a constant at each call, so each keeps its own column pattern: one loop choosing the pattern per row of
 * taps ran 0.81–0.95× on MobileNetV2's depthwise layers.
 */
// @ts-ignore: decorator
@inline function tile3x3<T>(s2: bool, xo: usize, op: usize, C: i32, w: usize, wTap: usize, sW: usize, rowStep: usize): void {
  const size = <usize>sizeof<T>();
  for (let c = 0; c + lanes<T>() <= C; c += lanes<T>()) {
    const cb = <usize>c * size;
    let acc0 = v128.load(w + cb);
    let acc1 = acc0, acc2 = acc0, acc3 = acc0;
    let wr = w + wTap + cb;
    let xr = xo + cb;
    for (let b = 0; b < 3; b++) {
      const w0 = v128.load(wr), w1 = v128.load(wr + wTap), w2 = v128.load(wr + 2 * wTap);
      if (s2) {
        acc0 = madd<T>(acc0, v128.load(xr), w0);
        acc0 = madd<T>(acc0, v128.load(xr + sW), w1);
        let xv = v128.load(xr + 2 * sW);
        acc0 = madd<T>(acc0, xv, w2);
        acc1 = madd<T>(acc1, xv, w0);
        acc1 = madd<T>(acc1, v128.load(xr + 3 * sW), w1);
        xv = v128.load(xr + 4 * sW);
        acc1 = madd<T>(acc1, xv, w2);
        acc2 = madd<T>(acc2, xv, w0);
        acc2 = madd<T>(acc2, v128.load(xr + 5 * sW), w1);
        xv = v128.load(xr + 6 * sW);
        acc2 = madd<T>(acc2, xv, w2);
        acc3 = madd<T>(acc3, xv, w0);
        acc3 = madd<T>(acc3, v128.load(xr + 7 * sW), w1);
        acc3 = madd<T>(acc3, v128.load(xr + 8 * sW), w2);
      } else {
        let xv = v128.load(xr);
        acc0 = madd<T>(acc0, xv, w0);
        xv = v128.load(xr + sW);
        acc0 = madd<T>(acc0, xv, w1);
        acc1 = madd<T>(acc1, xv, w0);
        xv = v128.load(xr + 2 * sW);
        acc0 = madd<T>(acc0, xv, w2);
        acc1 = madd<T>(acc1, xv, w1);
        acc2 = madd<T>(acc2, xv, w0);
        xv = v128.load(xr + 3 * sW);
        acc1 = madd<T>(acc1, xv, w2);
        acc2 = madd<T>(acc2, xv, w1);
        acc3 = madd<T>(acc3, xv, w0);
        xv = v128.load(xr + 4 * sW);
        acc2 = madd<T>(acc2, xv, w2);
        acc3 = madd<T>(acc3, xv, w1);
        xv = v128.load(xr + 5 * sW);
        acc3 = madd<T>(acc3, xv, w2);
      }
      wr += 3 * wTap;
      xr += rowStep;
    }
    v128.store(op + cb, acc0);
    v128.store(op + sW + cb, acc1);
    v128.store(op + 2 * sW + cb, acc2);
    v128.store(op + 3 * sW + cb, acc3);
  }
}

/** One output value in scalars: channel c of the pixel whose first tap is at xo. */
// @ts-ignore: decorator
@inline function dwPixel<T>(
  xo: usize, op: usize, c: i32, kd: i32, kh: i32, kw: i32, dd: i32, dh: i32,
  sD: usize, sH: usize, tapW: usize, w: usize, wTap: usize,
): void {
  const cb = <usize>c * sizeof<T>();
  let s = load<T>(w + cb);
  let wp2 = w + wTap + cb;
  for (let a = 0; a < kd; a++) {
    for (let b = 0; b < kh; b++) {
      let xp = xo + <usize>(a * dd) * sD + <usize>(b * dh) * sH + cb;
      for (let e = 0; e < kw; e++) {
        s += load<T>(xp) * load<T>(wp2);
        wp2 += wTap;
        xp += tapW;
      }
    }
  }
  store<T>(op + cb, s);
}

export function dwconv_f32(
  x: usize, hp: i32, wp: i32, C: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, od: i32, oh: i32, ow: i32, w: usize, out: usize,
): void {
  dwconv<f32>(x, hp, wp, C, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, oh, ow, w, out);
}

export function dwconv_f64(
  x: usize, hp: i32, wp: i32, C: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, od: i32, oh: i32, ow: i32, w: usize, out: usize,
): void {
  dwconv<f64>(x, hp, wp, C, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, oh, ow, w, out);
}

/** The even lanes of a then b (lanes 0, 2 of a, then of b). */
// @ts-ignore: decorator
@inline function evens<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.shuffle(a, b, 0, 2, 4, 6);
  return i64x2.shuffle(a, b, 0, 2);
}

/** The odd lanes of a then b. */
// @ts-ignore: decorator
@inline function odds<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.shuffle(a, b, 1, 3, 5, 7);
  return i64x2.shuffle(a, b, 1, 3);
}

/** a's lanes from 1 on, then lane 0 of b (the even samples one step on). */
// @ts-ignore: decorator
@inline function nextEvens<T>(a: v128, b: v128): v128 {
  if (sizeof<T>() == 4) return i32x4.shuffle(a, b, 1, 2, 3, 4);
  return i64x2.shuffle(a, b, 1, 2);
}

/** v with lane 0 set to zero (the left padding column, where a plane is read without a padded copy). */
// @ts-ignore: decorator
@inline function zeroLane0<T>(v: v128): v128 {
  if (sizeof<T>() == 4) return f32x4.replace_lane(v, 0, 0);
  return f64x2.replace_lane(v, 0, 0);
}

/**
 * One plane of a 3×3 depthwise layer at stride 2, SIMD across output columns: dst (oh rows of cols ≥ L, row stride
 * cols) = b + Σ_{i,j<3} x[2r + i, 2c + j]·h[i, j], taps in row-major order as corr2d from an output holding the bias. A
 * vector of L outputs reads the 2L samples from 2c (two loads, split into even and odd lanes for taps 0 and 1) and one
 * more for tap 2. A row whose cols are not whole vectors ends in a vector overlapping the one before it (its first
 * outputs computed again, the same bits), so nothing past the row is written. Rows of at least 2·cols + 1 samples:
 * a vector reads at most 2·(L − 1) samples past its row's end.
 * Unpadded planes (zero padding of one row above and one column left): `top` points at a row of zeros that stands
 * for padded row 0, x at where padded row 0, column 0 would be (one row and one sample before the plane), and with
 * `edge` lane 0 of each row's first loads (padded column 0, which x puts on the previous row's last sample, or for the
 * first plane's first row on the sample before the buffer: any readable memory, never used) is zero.
 */
// @ts-ignore: decorator
@inline function plane3x3s2<T>(x: usize, xRow: usize, h: usize, dst: usize, oh: i32, cols: i32, top: usize, edge: bool, b: T): void {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const w00 = v128.load_splat<T>(h), w01 = v128.load_splat<T>(h + size), w02 = v128.load_splat<T>(h + 2 * size);
  const w10 = v128.load_splat<T>(h + 3 * size), w11 = v128.load_splat<T>(h + 4 * size), w12 = v128.load_splat<T>(h + 5 * size);
  const w20 = v128.load_splat<T>(h + 6 * size), w21 = v128.load_splat<T>(h + 7 * size), w22 = v128.load_splat<T>(h + 8 * size);
  const bias = v128.splat<T>(b);
  const step = <usize>(2 * L) * size;
  for (let r = 0; r < oh; r++) {
    const p1 = x + <usize>(2 * r + 1) * xRow;
    const p0 = top && r == 0 ? top : p1 - xRow;
    const p2 = p1 + xRow;
    const first = dst + <usize>r * <usize>cols * size;
    const last = first + <usize>(cols - L) * size;
    let o = first;
    let q0 = p0, q1 = p1, q2 = p2;
    while (true) {
      let a = bias;
      let u = v128.load(q0), v = v128.load(q0, 16);
      if (edge && o == first) u = zeroLane0<T>(u);
      let e = evens<T>(u, v);
      a = madd<T>(a, e, w00);
      a = madd<T>(a, odds<T>(u, v), w01);
      a = madd<T>(a, nextEvens<T>(e, v128.load_splat<T>(q0 + step)), w02);
      u = v128.load(q1); v = v128.load(q1, 16);
      if (edge && o == first) u = zeroLane0<T>(u);
      e = evens<T>(u, v);
      a = madd<T>(a, e, w10);
      a = madd<T>(a, odds<T>(u, v), w11);
      a = madd<T>(a, nextEvens<T>(e, v128.load_splat<T>(q1 + step)), w12);
      u = v128.load(q2); v = v128.load(q2, 16);
      if (edge && o == first) u = zeroLane0<T>(u);
      e = evens<T>(u, v);
      a = madd<T>(a, e, w20);
      a = madd<T>(a, odds<T>(u, v), w21);
      a = madd<T>(a, nextEvens<T>(e, v128.load_splat<T>(q2 + step)), w22);
      v128.store(o, a);
      if (o == last) break;
      // The next vector, or the row's last one, overlapping this one when the row is not whole vectors.
      const next = min(o + 16, last);
      const back = (o + 16 - next) * 2;
      o = next;
      q0 += step - back;
      q1 += step - back;
      q2 += step - back;
    }
  }
}

/**
 * One padded plane of a 3×3 depthwise layer at unit stride, float32 SIMD across output columns, straight into dst (oh
 * rows of ow ≥ 4, row stride ow): each output is its first product, plus b, plus the other eight in row-major tap
 * order, the sums corr2d makes from an output holding the bias. A row that is not whole vectors ends in one overlapping
 * the vector before it, so no output is filled with the bias first, none is computed wide, and nothing past a row is
 * written (on 7² and 14² maps those passes cost as much as the products).
 */
// @ts-ignore: decorator
@inline function plane3x3s1(x: usize, xRow: usize, h: usize, dst: usize, oh: i32, ow: i32, b: f32): void {
  const w00 = v128.load_splat<f32>(h), w01 = v128.load_splat<f32>(h + 4), w02 = v128.load_splat<f32>(h + 8);
  const w10 = v128.load_splat<f32>(h + 12), w11 = v128.load_splat<f32>(h + 16), w12 = v128.load_splat<f32>(h + 20);
  const w20 = v128.load_splat<f32>(h + 24), w21 = v128.load_splat<f32>(h + 28), w22 = v128.load_splat<f32>(h + 32);
  const bias = f32x4.splat(b);
  for (let r = 0; r < oh; r++) {
    let q0 = x + <usize>r * xRow;
    const first = dst + <usize>(r * ow) * 4;
    const last = first + <usize>(ow - 4) * 4;
    let o = first;
    while (true) {
      const q1 = q0 + xRow, q2 = q1 + xRow;
      let a = f32x4.add(f32x4.mul(v128.load(q0), w00), bias);
      a = madd<f32>(a, v128.load(q0, 4), w01);
      a = madd<f32>(a, v128.load(q0, 8), w02);
      a = madd<f32>(a, v128.load(q1), w10);
      a = madd<f32>(a, v128.load(q1, 4), w11);
      a = madd<f32>(a, v128.load(q1, 8), w12);
      a = madd<f32>(a, v128.load(q2), w20);
      a = madd<f32>(a, v128.load(q2, 4), w21);
      a = madd<f32>(a, v128.load(q2, 8), w22);
      v128.store(o, a);
      if (o == last) break;
      const next = min(o + 16, last);
      q0 += next - o;
      o = next;
    }
  }
}

/**
 * One plane at stride s, any kernel, scalar (the scalar build's stride-2 planes): dst[r, c] (row stride cols, holding
 * the bias) += Σ_{i<kh, j<kw} x[s·r + i, s·c + j]·h[i, j] in row-major tap order, for c < ow.
 */
// @ts-ignore: decorator
@inline function planeStrided<T>(x: usize, xStride: i32, h: usize, kh: i32, kw: i32, s: i32, dst: usize, oh: i32, ow: i32, cols: i32): void {
  const size = <usize>sizeof<T>();
  for (let r = 0; r < oh; r++) {
    for (let c = 0; c < ow; c++) {
      const o = dst + <usize>(r * cols + c) * size;
      let acc = load<T>(o);
      for (let i = 0; i < kh; i++) {
        const xr = x + <usize>((s * r + i) * xStride + s * c) * size;
        const hr = h + <usize>(i * kw) * size;
        for (let j = 0; j < kw; j++) acc += load<T>(xr + <usize>j * size) * load<T>(hr + <usize>j * size);
      }
      store<T>(o, acc);
    }
  }
}

/**
 * Channels-first depthwise at unit stride and dilation, P planes in one call (issue 16: one JS-to-wasm call per
 * channel cost more than the arithmetic on 7 × 7 maps): plane p (channel c = (c0 + p) mod C) of the padded input
 * ([ph, pw] planes) correlated with its kernel h + c·kh·kw (valid, corr2d.ts), starting from bias[c] (or 0), into
 * out + p·oh·ow. Each plane is exactly what corr2d computes from an output filled with the bias and accumulate = 1.
 * mode < 0: x holds the padded planes. mode ≥ 0 (an extension code, as padPlanes): x holds the [H, W] planes, and each
 * is padded into `pad` (pbH rows above, pbW columns left) just before it is read: on large planes (112² maps and up)
 * that beat padding every plane first in a pass of its own, on small ones it lost (src/nn/paths/planes.ts), unless
 * the padding is zeros around short rows: then pad's zeros are written once and each plane copies only its rows in.
 * Float32 3×3 planes (SIMD, rows of at least a vector): plane3x3s1, straight into the output from the bias, each row
 * ending in a vector that overlaps the one before it. Other kernels' rows whose width is not a multiple of the lanes
 * are computed wide, in whole vectors, into tmp (oh rows of ow rounded up to the lanes), then copied out without
 * their extra columns: each output is still the bias plus its taps in the same order, but none falls to the scalar
 * tail. The extra columns read past a row's end, into the next row, and past the last (padded) plane by fewer than
 * the lanes.
 * stride 2 (3×3 kernels only): plane3x3s2, straight into the output (each row ending in an overlapping vector) from
 * the bias, wide only on rows shorter than a vector, reading up to 2·(lanes − 1) samples past a row.
 */
// @ts-ignore: decorator
@inline function dwPlanes<T>(
  x: usize, P: i32, C: i32, c0: i32, H: i32, W: i32, ph: i32, pw: i32, pbH: i32, pbW: i32, mode: i32, h: usize, kh: i32,
  kw: i32, bias: usize, hasBias: i32, out: usize, oh: i32, ow: i32, tmp: usize, pad: usize, stride: i32,
): void {
  const size = <usize>sizeof<T>();
  const L = ASC_FEATURE_SIMD ? lanes<T>() : 1;
  const owR = (ow + L - 1) / L * L;
  // SIMD stride 2 (plane3x3s2): rows end in an overlapping vector and start from the bias, so only rows shorter than
  // a vector are computed wide, and no plane is filled with its bias first.
  const s2 = ASC_FEATURE_SIMD && stride != 1;
  // Float32 3×3 at unit stride on rows of at least a vector: plane3x3s1, the same way.
  const s1 = ASC_FEATURE_SIMD && sizeof<T>() == 4 && stride == 1 && kh == 3 && kw == 3 && ow >= 4;
  const wide = s2 ? ow < L : !s1 && owR != ow;
  const n = <usize>(oh * ow);
  const bytes = n * size;
  const wideBytes = <usize>(oh * owR) * size;
  // 3×3 at stride 2 with one row and column of zeros before even-sized planes (MobileNet's downsampling layers):
  // the kernel reads the planes in place, padded row 0 from a row of zeros in pad, and no padded copy is made.
  const direct = ASC_FEATURE_SIMD && stride == 2 && kh == 3 && kw == 3 && mode == 0 && pbH == 1 && pbW == 1 && ((H | W) & 1) == 0;
  if (direct) memory.fill(pad, 0, <usize>(W + 8) * size);
  // Float32 zero padding: the padded plane's zeros are written once, and each plane copies only its rows in
  // (src/nn/paths/planes.ts chooses it).
  const zeroed = ASC_FEATURE_SIMD && sizeof<T>() == 4 && !direct && zeroRows<T>(mode, W);
  if (zeroed) memory.fill(pad, 0, <usize>(ph * pw) * size);
  let c = c0;
  for (let p = 0; p < P; p++) {
    const o = out + <usize>p * bytes;
    const dst = wide ? tmp : o;
    const end = wide ? wideBytes : bytes;
    const b: T = hasBias ? load<T>(bias + <usize>c * size) : <T>0;
    if (!s1 && !s2) {
      // The kernels that start from an output holding the bias (corr2d, planeStrided): fill it first.
      let i: usize = 0;
      if (ASC_FEATURE_SIMD) {
        const v = v128.splat<T>(b);
        for (; i + 16 <= end; i += 16) v128.store(dst + i, v);
      }
      for (; i < end; i += size) store<T>(dst + i, b);
    }
    let xp = x + <usize>p * <usize>(ph * pw) * size;
    let xStride = pw;
    if (direct) {
      // Read in place: padded row r is the plane's row r − 1 (row 0: the zeros in pad), column 0 lane-zeroed.
      xp = x + <usize>p * <usize>(H * W) * size - <usize>(W + 1) * size;
      xStride = W;
    } else if (mode >= 0) {
      // A large plane, padded into `pad` just before it is read.
      xp = pad;
      const src = x + <usize>p * <usize>(H * W) * size;
      if (ASC_FEATURE_SIMD && zeroed) copyShortRows(src, H, <usize>W * size, pad + <usize>(pbH * pw + pbW) * size, <usize>pw * size);
      else padPlanes<T>(src, 1, H, W, pad, ph, pw, pbH, pbW, mode);
    }
    const hp = h + <usize>(c * kh * kw) * size;
    const cols = wide ? owR : ow;
    if (stride != 1) {
      if (ASC_FEATURE_SIMD) {
        if (direct) plane3x3s2<T>(xp, <usize>xStride * size, hp, dst, oh, cols, pad, true, b);
        else plane3x3s2<T>(xp, <usize>xStride * size, hp, dst, oh, cols, 0, false, b);
      }
      else planeStrided<T>(xp, xStride, hp, kh, kw, stride, dst, oh, ow, cols);
    } else if (ASC_FEATURE_SIMD && s1) plane3x3s1(xp, <usize>xStride * size, hp, dst, oh, ow, <f32>b);
    else if (sizeof<T>() == 4) corr2d_f32(xp, xStride, hp, kh, kw, dst, oh, cols, cols, 1);
    else corr2d_f64(xp, xStride, hp, kh, kw, dst, oh, cols, cols, 1);
    if (ASC_FEATURE_SIMD && wide) {
      // Rows in order, whole vectors: a row's last vector spills into the next row, which is written after it; the
      // last row ends in scalars so that nothing past the plane is touched.
      const rowBytes = <usize>ow * size;
      const wideRow = <usize>owR * size;
      for (let y = 0; y < oh; y++) {
        const s = dst + <usize>y * wideRow;
        const d = o + <usize>y * rowBytes;
        const stop: usize = y + 1 < oh ? rowBytes + 15 : rowBytes;
        let j: usize = 0;
        for (; j + 16 <= stop; j += 16) v128.store(d + j, v128.load(s + j));
        for (; j < rowBytes; j += size) store<T>(d + j, load<T>(s + j));
      }
    }
    if (++c == C) c = 0;
  }
}

export function dw_planes_f32(
  x: usize, P: i32, C: i32, c0: i32, H: i32, W: i32, ph: i32, pw: i32, pbH: i32, pbW: i32, mode: i32, h: usize, kh: i32,
  kw: i32, bias: usize, hasBias: i32, out: usize, oh: i32, ow: i32, tmp: usize, pad: usize, stride: i32,
): void {
  dwPlanes<f32>(x, P, C, c0, H, W, ph, pw, pbH, pbW, mode, h, kh, kw, bias, hasBias, out, oh, ow, tmp, pad, stride);
}

export function dw_planes_f64(
  x: usize, P: i32, C: i32, c0: i32, H: i32, W: i32, ph: i32, pw: i32, pbH: i32, pbW: i32, mode: i32, h: usize, kh: i32,
  kw: i32, bias: usize, hasBias: i32, out: usize, oh: i32, ow: i32, tmp: usize, pad: usize, stride: i32,
): void {
  dwPlanes<f64>(x, P, C, c0, H, W, ph, pw, pbH, pbW, mode, h, kh, kw, bias, hasBias, out, oh, ow, tmp, pad, stride);
}
