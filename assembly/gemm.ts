// Packed GEMM with bias, and convolution as GEMM over im2col tiles:
//   C[i, j] = bias[j] + Σ_{k<K} A[i, k] · B[k, j]
//   conv:  out[p, co] = bias[co] + Σ_{tap, ci} xpad[p·s + tap·d, cOff + ci] · w[tap, ci, co]   (channels-last)
// B is packed into panels of NR = 2 vectors of columns, each [bias NR][K × NR] (zeros past the last column), as
// XNNPACK packs its GEMM weights; the microkernels are in gemm_core.ts. Stride, dilation and padding are done in
// packing (the caller pads the input; im2col gathers the taps), never in the microkernel.
import { colsRows, copyElems, gemmRows, gemmTCols, gemmTRows, groupCols, PACK_BYTES, packBuf, packedRows4, packRows4, rows4, storeTransposed4 } from './gemm_core';
import { lanes } from './simd';

/**
 * Convolution of one batch element and one group, channels-last, through im2col tiles of `tileRows` output pixels
 * (the col buffer holds tileRows × K, K = kd·kh·kw·cinG, plus 16 bytes). x: padded input [dp, hp, wp, C] followed
 * by 16 readable bytes; the group reads channels cOff .. cOff + cinG. out: [od·oh·ow rows, ldo] with this group's
 * columns at out (the caller offsets by group).
 */
// @ts-ignore: decorator
@inline function convGemm<T>(
  x: usize, hp: i32, wp: i32, C: i32, cOff: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, od: i32, oh: i32, ow: i32,
  w: usize, coutG: i32, out: usize, ldo: i32, col: usize, tileRows: i32,
): void {
  const size = <usize>sizeof<T>();
  const K = kd * kh * kw * cinG;
  const P = od * oh * ow;
  const sW = <usize>C * size;
  const sH = <usize>wp * sW;
  const sD = <usize>hp * sH;
  // With unit dilation along W and one group, the kw taps of a row are one contiguous run of kw·C values.
  const runs = dw == 1 && cinG == C;
  const seg = runs ? kw * C : cinG;
  const segs = runs ? 1 : kw;
  const segStep = <usize>dw * sW;
  const segBytes = <usize>seg * size;
  if (runs && kd == 1 && kh == 1) {
    // Each output row's A rows are already contiguous in x (kw·C values, sw·C apart): GEMM in place, no im2col.
    for (let z = 0; z < od; z++) {
      for (let y = 0; y < oh; y++) {
        const a = x + <usize>(z * sd) * sD + <usize>(y * sh) * sH;
        gemm<T>(ow, coutG, K, a, sw * C, w, out + <usize>((z * oh + y) * ow) * <usize>ldo * size, ldo);
      }
    }
    return;
  }
  if (ASC_FEATURE_SIMD) {
    if (seg >= 8) {
      // Runs long enough for the k loop: the microkernel reads the taps in place (implicit GEMM, no im2col copy).
      // The block's pixel pointers go through col; rows past the edge repeat the last pixel. The block's taps are
      // packed k-major for the packed tile first (as gemmRows packs A), unless they are too long for the scratch.
      const NR = 2 * lanes<T>();
      const packed = <usize>K * size * 4 <= PACK_BYTES;
      const pix = <usize>sw * sW;
      const ps = <usize>sizeof<usize>();
      // Packed: weight panels in groups that stay in L2, every pixel block per group (see PANEL_GROUP_BYTES).
      const gc = packed ? groupCols<T>(K) : coutG;
      const panelB = <usize>(NR + K * NR) * size;
      for (let j0 = 0; j0 < coutG; j0 += gc) {
        const nc = min(gc, coutG - j0);
        const wg = w + <usize>(j0 / NR) * panelB;
        const og = out + <usize>j0 * size;
        let zBase = x + <usize>cOff * size;
        let rowBase = zBase;
        let xx = 0;
        let yy = 0;
        for (let p = 0; p < P; p += 4) {
          const mr = min(4, P - p);
          for (let i = 0; i < 4; i++) {
            if (i >= mr) {
              store<usize>(col + <usize>i * ps, load<usize>(col + <usize>(i - 1) * ps));
              continue;
            }
            store<usize>(col + <usize>i * ps, rowBase + <usize>xx * pix);
            if (++xx == ow) {
              xx = 0;
              if (++yy == oh) {
                yy = 0;
                zBase += <usize>sd * sD;
                rowBase = zBase;
              } else {
                rowBase += <usize>sh * sH;
              }
            }
          }
          const ldoB = <usize>ldo * size;
          const c0 = og + <usize>p * ldoB;
          const c1 = mr > 1 ? c0 + ldoB : c0;
          const c2 = mr > 2 ? c1 + ldoB : c1;
          const c3 = mr > 3 ? c2 + ldoB : c2;
          if (packed) {
            const q0 = load<usize>(col), q1 = load<usize>(col + ps), q2 = load<usize>(col + 2 * ps), q3 = load<usize>(col + 3 * ps);
            let d = packBuf;
            for (let a = 0; a < kd; a++) {
              for (let b = 0; b < kh; b++) {
                let o = <usize>(a * dd) * sD + <usize>(b * dh) * sH;
                for (let s = 0; s < segs; s++) {
                  packRows4<T>(segBytes, q0 + o, q1 + o, q2 + o, q3 + o, d);
                  d += segBytes * 4;
                  o += segStep;
                }
              }
            }
            packedRows4<T>(nc, K, packBuf, 4 * size, wg, c0, c1, c2, c3);
          } else {
            rows4<T>(nc, kd, <usize>dd * sD, kh, <usize>dh * sH, segs, segStep, seg,
              load<usize>(col), load<usize>(col + ps), load<usize>(col + 2 * ps), load<usize>(col + 3 * ps), wg, c0, c1, c2, c3);
          }
        }
      }
      return;
    }
  }
  for (let p0 = 0; p0 < P; p0 += tileRows) {
    const rows = min(tileRows, P - p0);
    let z = p0 / (oh * ow);
    let y = (p0 / ow) % oh;
    let xx = p0 % ow;
    let dst = col;
    for (let r = 0; r < rows; r++) {
      const base = x + <usize>(z * sd) * sD + <usize>(y * sh) * sH + <usize>(xx * sw) * sW + <usize>cOff * size;
      for (let a = 0; a < kd; a++) {
        for (let b = 0; b < kh; b++) {
          let src = base + <usize>(a * dd) * sD + <usize>(b * dh) * sH;
          for (let s = 0; s < segs; s++) {
            if (ASC_FEATURE_SIMD) {
              // Whole vectors, spilling up to one vector past the run: the next run (or the next row, or the
              // caller's slack after col and x) takes those lanes, so short runs cost no scalar tail.
              for (let i: usize = 0; i < segBytes; i += 16) v128.store(dst + i, v128.load(src + i));
            } else {
              copyElems<T>(dst, src, seg);
            }
            dst += <usize>seg * size;
            src += segStep;
          }
        }
      }
      if (++xx == ow) {
        xx = 0;
        if (++y == oh) {
          y = 0;
          z++;
        }
      }
    }
    gemm<T>(rows, coutG, K, col, K, w, out + <usize>p0 * <usize>ldo * size, ldo);
  }
}

/**
 * The exported GEMM called, not gemmRows inlined: convGemm's two uses and the float64 Winograd share its one copy
 * (a copy inlined in each took 2.9 kB of the SIMD chunk's gzip, 5.5 kB of the relaxed one's), at one call per block of
 * rows (no measurable cost on MobileNetV2's and ResNet-18's layers).
 */
// @ts-ignore: decorator
@inline export function gemm<T>(M: i32, N: i32, K: i32, a: usize, lda: i32, w: usize, c: usize, ldc: i32): void {
  if (sizeof<T>() == 4) gemm_f32(M, N, K, a, lda, w, c, ldc);
  else gemm_f64(M, N, K, a, lda, w, c, ldc);
}

export function gemm_f32(M: i32, N: i32, K: i32, a: usize, lda: i32, w: usize, c: usize, ldc: i32): void {
  gemmRows<f32>(M, N, K, a, lda, w, c, ldc);
}

export function gemm_f64(M: i32, N: i32, K: i32, a: usize, lda: i32, w: usize, c: usize, ldc: i32): void {
  gemmRows<f64>(M, N, K, a, lda, w, c, ldc);
}

export function gemm_t_f32(M: i32, N: i32, K: i32, a: usize, lda: i32, ia: i32, w: usize, c: usize, ldc: i32): void {
  // Whole blocks of 8 rows in the 8-row tile where it applies (colsRows), the rest in gemmTRows' 4-row one.
  let m8 = 0;
  if (ASC_FEATURE_SIMD) {
    m8 = colsRows(M, K, ia, ldc);
    if (m8) gemmTCols(m8, N, K, a, lda, w, c, ldc);
  }
  if (m8 < M) gemmTRows<f32>(M - m8, N, K, a + <usize>m8 * 4, lda, ia, w, c + <usize>m8 * 4, ldc);
}

export function gemm_t_f64(M: i32, N: i32, K: i32, a: usize, lda: i32, ia: i32, w: usize, c: usize, ldc: i32): void {
  gemmTRows<f64>(M, N, K, a, lda, ia, w, c, ldc);
}

export function conv_gemm_f32(
  x: usize, hp: i32, wp: i32, C: i32, cOff: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, od: i32, oh: i32, ow: i32,
  w: usize, coutG: i32, out: usize, ldo: i32, col: usize, tileRows: i32,
): void {
  convGemm<f32>(x, hp, wp, C, cOff, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, oh, ow, w, coutG, out, ldo, col, tileRows);
}

export function conv_gemm_f64(
  x: usize, hp: i32, wp: i32, C: i32, cOff: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, od: i32, oh: i32, ow: i32,
  w: usize, coutG: i32, out: usize, ldo: i32, col: usize, tileRows: i32,
): void {
  convGemm<f64>(x, hp, wp, C, cOff, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, oh, ow, w, coutG, out, ldo, col, tileRows);
}

/**
 * Pack one group's weights for gemm: panels of NR output channels, [bias NR][K × NR] with row k = tap·cinG + ci,
 * zeros past coutG. The source is strided (either layout): w(co, ci, tap) at src + co·coS + ci·ciS + tap·tapS;
 * flip reads tap taps−1−t (the kernel reversed on every spatial axis). bias: NaN-free pointer, used when hasBias.
 */
// @ts-ignore: decorator
@inline function packGemm<T>(
  src: usize, coS: i32, ciS: i32, tapS: i32, cinG: i32, taps: i32, coutG: i32, flip: i32, bias: usize, hasBias: i32, dst: usize,
): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  let d = dst;
  for (let c0 = 0; c0 < coutG; c0 += NR) {
    for (let r = 0; r < NR; r++) store<T>(d + <usize>r * size, hasBias && c0 + r < coutG ? load<T>(bias + <usize>(c0 + r) * size) : <T>0);
    d += <usize>NR * size;
    const n = min(NR, coutG - c0);
    if (ASC_FEATURE_SIMD && sizeof<T>() == 4 && n == NR && tapS == 1 && ciS == taps && taps > 1 && (cinG * taps & 3) == 0) {
      // Channels-first weights with taps: a row's samples f = ci·taps + tap run taps fastest, so 4 rows' vectors at
      // f, transposed, are 4 consecutive samples' rows side by side, each sample stored where its (tap, ci) goes, in
      // place of strided scalar copies across rows (which cost as much as the GEMM of ResNet-18's 512-channel
      // stride-2 layer).
      const rB = <usize>coS * size;
      const s = src + <usize>(c0 * coS) * size;
      let ci = 0, tt = 0;
      for (let f = 0; f < cinG * taps; f += 4) {
        // packBuf: sample j's 8 rows at packBuf + 32·j, its panel row.
        for (let h = 0; h < 2; h++) {
          const p = s + <usize>f * size + <usize>(4 * h) * rB;
          storeTransposed4(v128.load(p), v128.load(p + rB), v128.load(p + 2 * rB), v128.load(p + 3 * rB), packBuf + <usize>(16 * h), 32);
        }
        for (let j = 0; j < 4; j++) {
          const q = d + <usize>(((flip ? taps - 1 - tt : tt) * cinG + ci) * NR) * size;
          const b = packBuf + <usize>(32 * j);
          v128.store(q, v128.load(b));
          v128.store(q, v128.load(b, 16), 16);
          if (++tt == taps) {
            tt = 0;
            ci++;
          }
        }
      }
      d += <usize>(taps * cinG * NR) * size;
      continue;
    }
    for (let t = 0; t < taps; t++) {
      const tt = flip ? taps - 1 - t : t;
      let ci = 0;
      if (ASC_FEATURE_SIMD && sizeof<T>() == 4 && ciS == 1 && coS != 1 && n == NR) {
        // Rows of input channels (channels-first 1×1 weights): 4 channels of the 8 rows at a time, two 4 × 4
        // transposes, in place of 32 strided scalar copies.
        const s = src + <usize>(c0 * coS + tt * tapS) * size;
        const rB = <usize>coS * size;
        for (; ci + 4 <= cinG; ci += 4) {
          for (let h = 0; h < 2; h++) {
            const p = s + <usize>(4 * h) * rB + <usize>ci * size;
            storeTransposed4(v128.load(p), v128.load(p + rB), v128.load(p + 2 * rB), v128.load(p + 3 * rB), d + <usize>(16 * h), 32);
          }
          d += <usize>(4 * NR) * size;
        }
      }
      for (; ci < cinG; ci++) {
        const s = src + <usize>(c0 * coS + ci * ciS + tt * tapS) * size;
        if (coS == 1 && n == NR) {
          copyElems<T>(d, s, NR);
        } else {
          for (let r = 0; r < n; r++) store<T>(d + <usize>r * size, load<T>(s + <usize>(r * coS) * size));
          for (let r = n; r < NR; r++) store<T>(d + <usize>r * size, <T>0);
        }
        d += <usize>NR * size;
      }
    }
  }
}

export function pack_gemm_f32(
  src: usize, coS: i32, ciS: i32, tapS: i32, cinG: i32, taps: i32, coutG: i32, flip: i32, bias: usize, hasBias: i32, dst: usize,
): void {
  packGemm<f32>(src, coS, ciS, tapS, cinG, taps, coutG, flip, bias, hasBias, dst);
}

export function pack_gemm_f64(
  src: usize, coS: i32, ciS: i32, tapS: i32, cinG: i32, taps: i32, coutG: i32, flip: i32, bias: usize, hasBias: i32, dst: usize,
): void {
  packGemm<f64>(src, coS, ciS, tapS, cinG, taps, coutG, flip, bias, hasBias, dst);
}
