// Valid 2-D cross-correlation, the one direct kernel behind every rank and mode:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
// Padding, mode, centring and the flip of convolution are all done by the caller's plan, which copies the input
// into a zero- or boundary-padded buffer and the kernel (reversed for convolution) beside it.
// SIMD runs across output columns with each kernel tap splatted. Output rows go in pairs that share their input
// rows: input row i feeds output row r with kernel row i and row r + 1 with kernel row i − 1, so every loaded
// vector serves two outputs (2 rows × 4 vectors = 8 accumulators + 4 inputs + 2 taps fit V8's 15 usable xmm
// registers on x64). 3×3 keeps its nine taps in registers for the whole call (2 rows × 2 vectors). One-row calls
// (the 1-D case) use 1 row × 4 vectors. Remainders fall to narrower tiles, then to scalar code.
import { lanes, madd } from './simd';

/** Broadcast the T at ptr (one load-and-splat instruction). */
// @ts-ignore: decorator
@inline function tap<T>(ptr: usize): v128 {
  return v128.load_splat<T>(ptr);
}

/**
 * 2 output rows × 4 vectors at op (rows oRow bytes apart), input rows xRow bytes apart from xp. Output rows r and
 * r + 1 share input rows 1 … kh − 1: each loaded input vector feeds both (taps i and i − 1), so a pass costs
 * 4 loads and 2 splats per 8 multiply-adds instead of 9.
 */
// @ts-ignore: decorator
@inline function tile2x4<T>(xp: usize, xRow: usize, h: usize, kh: i32, kw: i32, op: usize, oRow: usize, accumulate: i32): void {
  const size = sizeof<T>();
  const rowBytes = <usize>kw * size;
  let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  if (accumulate) {
    a0 = v128.load(op, 0); a1 = v128.load(op, 16); a2 = v128.load(op, 32); a3 = v128.load(op, 48);
    b0 = v128.load(op + oRow, 0); b1 = v128.load(op + oRow, 16); b2 = v128.load(op + oRow, 32); b3 = v128.load(op + oRow, 48);
  }
  // Input row 0 feeds output row 0 only (kernel row 0).
  let p = xp;
  let hp = h;
  let hEnd = h + rowBytes;
  while (hp < hEnd) {
    const w = tap<T>(hp);
    a0 = madd<T>(a0, v128.load(p, 0), w); a1 = madd<T>(a1, v128.load(p, 16), w);
    a2 = madd<T>(a2, v128.load(p, 32), w); a3 = madd<T>(a3, v128.load(p, 48), w);
    p += size;
    hp += size;
  }
  // Input row i (1 … kh − 1) feeds output row 0 with kernel row i and output row 1 with kernel row i − 1.
  for (let i = 1; i < kh; i++) {
    p = xp + <usize>i * xRow;
    hEnd = hp + rowBytes;
    while (hp < hEnd) {
      const w0 = tap<T>(hp);
      const w1 = tap<T>(hp - rowBytes);
      const v0 = v128.load(p, 0), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
      a0 = madd<T>(a0, v0, w0); a1 = madd<T>(a1, v1, w0); a2 = madd<T>(a2, v2, w0); a3 = madd<T>(a3, v3, w0);
      b0 = madd<T>(b0, v0, w1); b1 = madd<T>(b1, v1, w1); b2 = madd<T>(b2, v2, w1); b3 = madd<T>(b3, v3, w1);
      p += size;
      hp += size;
    }
  }
  // Input row kh feeds output row 1 only (kernel row kh − 1).
  p = xp + <usize>kh * xRow;
  hp -= rowBytes;
  while (hp < hEnd) {
    const w = tap<T>(hp);
    b0 = madd<T>(b0, v128.load(p, 0), w); b1 = madd<T>(b1, v128.load(p, 16), w);
    b2 = madd<T>(b2, v128.load(p, 32), w); b3 = madd<T>(b3, v128.load(p, 48), w);
    p += size;
    hp += size;
  }
  v128.store(op, a0, 0); v128.store(op, a1, 16); v128.store(op, a2, 32); v128.store(op, a3, 48);
  v128.store(op + oRow, b0, 0); v128.store(op + oRow, b1, 16); v128.store(op + oRow, b2, 32); v128.store(op + oRow, b3, 48);
}

/** 2 output rows × 1 vector, sharing input rows as tile2x4: the column remainder. */
// @ts-ignore: decorator
@inline function tile2x1<T>(xp: usize, xRow: usize, h: usize, kh: i32, kw: i32, op: usize, oRow: usize, accumulate: i32): void {
  const size = sizeof<T>();
  const rowBytes = <usize>kw * size;
  let a0 = v128.splat<T>(0), b0 = a0;
  if (accumulate) {
    a0 = v128.load(op); b0 = v128.load(op + oRow);
  }
  let p = xp;
  let hp = h;
  let hEnd = h + rowBytes;
  while (hp < hEnd) {
    a0 = madd<T>(a0, v128.load(p), tap<T>(hp));
    p += size;
    hp += size;
  }
  for (let i = 1; i < kh; i++) {
    p = xp + <usize>i * xRow;
    hEnd = hp + rowBytes;
    while (hp < hEnd) {
      const v0 = v128.load(p);
      a0 = madd<T>(a0, v0, tap<T>(hp));
      b0 = madd<T>(b0, v0, tap<T>(hp - rowBytes));
      p += size;
      hp += size;
    }
  }
  p = xp + <usize>kh * xRow;
  hp -= rowBytes;
  while (hp < hEnd) {
    b0 = madd<T>(b0, v128.load(p), tap<T>(hp));
    p += size;
    hp += size;
  }
  v128.store(op, a0);
  v128.store(op + oRow, b0);
}

/** 1 row × 4 vectors: one-row calls (the 1-D case) and the row remainder. */
// @ts-ignore: decorator
@inline function tile1x4<T>(xp: usize, xRow: usize, h: usize, kh: i32, kw: i32, op: usize, accumulate: i32): void {
  const size = sizeof<T>();
  let a0 = v128.splat<T>(0), a1 = a0, a2 = a0, a3 = a0;
  if (accumulate) {
    a0 = v128.load(op, 0); a1 = v128.load(op, 16); a2 = v128.load(op, 32); a3 = v128.load(op, 48);
  }
  let hp = h;
  for (let i = 0; i < kh; i++) {
    let p = xp + <usize>i * xRow;
    const hEnd = hp + <usize>kw * size;
    while (hp < hEnd) {
      const w = tap<T>(hp);
      a0 = madd<T>(a0, v128.load(p, 0), w); a1 = madd<T>(a1, v128.load(p, 16), w);
      a2 = madd<T>(a2, v128.load(p, 32), w); a3 = madd<T>(a3, v128.load(p, 48), w);
      p += size;
      hp += size;
    }
  }
  v128.store(op, a0, 0); v128.store(op, a1, 16); v128.store(op, a2, 32); v128.store(op, a3, 48);
}

/** 1 row × 1 vector. */
// @ts-ignore: decorator
@inline function tile1x1<T>(xp: usize, xRow: usize, h: usize, kh: i32, kw: i32, op: usize, accumulate: i32): void {
  const size = sizeof<T>();
  let a0 = accumulate ? v128.load(op) : v128.splat<T>(0);
  let hp = h;
  for (let i = 0; i < kh; i++) {
    let p = xp + <usize>i * xRow;
    const hEnd = hp + <usize>kw * size;
    while (hp < hEnd) {
      a0 = madd<T>(a0, v128.load(p), tap<T>(hp));
      p += size;
      hp += size;
    }
  }
  v128.store(op, a0);
}

/** One output, scalar. */
// @ts-ignore: decorator
@inline function point<T>(xp: usize, xRow: usize, h: usize, kh: i32, kw: i32, op: usize, accumulate: i32): void {
  const size = sizeof<T>();
  let s: T = accumulate ? load<T>(op) : <T>0;
  let hp = h;
  for (let i = 0; i < kh; i++) {
    let p = xp + <usize>i * xRow;
    const hEnd = hp + <usize>kw * size;
    while (hp < hEnd) {
      s += load<T>(p) * load<T>(hp);
      p += size;
      hp += size;
    }
  }
  store<T>(op, s);
}

/**
 * 3×3 with the nine taps held in registers for the whole call (9 taps + 4 accumulators + 2 inputs fit V8's 15
 * usable xmm registers): a pass of 2 rows × 2 vectors is 24 loads and 36 multiply-adds, no tap reloads, no loop.
 * The accumulators are stored after each input row as well as at the end: V8's TurboFan issues a block's loads
 * first and sinks the arithmetic to the block's stores, so without those early stores all 24 loaded vectors were
 * live at once and spilled (31 stack moves a pass; 15 with them; 1024² 3×3 into a given output: 0.96 → 0.92 ms).
 * Returns the number of columns done (a multiple of 2 vectors); the caller finishes the rest.
 */
// @ts-ignore: decorator
@inline function rows3x3<T>(x: usize, xRow: usize, h: usize, out: usize, outH: i32, outW: i32, oRow: usize, accumulate: i32): i32 {
  const size = sizeof<T>();
  const L = lanes<T>();
  const w00 = tap<T>(h), w01 = tap<T>(h + size), w02 = tap<T>(h + 2 * size);
  const w10 = tap<T>(h + 3 * size), w11 = tap<T>(h + 4 * size), w12 = tap<T>(h + 5 * size);
  const w20 = tap<T>(h + 6 * size), w21 = tap<T>(h + 7 * size), w22 = tap<T>(h + 8 * size);
  const vecW = outW - outW % (2 * L);
  let r = 0;
  // Two output rows per pass share every input load: input rows 1 and 2 feed both rows (24 loads, 36 madds).
  for (; r + 2 <= outH; r += 2) {
    const p0 = x + <usize>r * xRow;
    const p1 = p0 + xRow;
    const p2 = p1 + xRow;
    const p3 = p2 + xRow;
    const op = out + <usize>r * oRow;
    for (let c = 0; c < vecW; c += 2 * L) {
      const cb = <usize>c * size;
      const o = op + cb;
      // The first product of each accumulator starts it (a multiply, not a multiply-add onto zero).
      let q = p0 + cb;
      let v0 = v128.load(q, 0), v1 = v128.load(q, 16);
      let a0 = v128.mul<T>(v0, w00), a1 = v128.mul<T>(v1, w00);
      if (accumulate) {
        a0 = v128.add<T>(a0, v128.load(o, 0)); a1 = v128.add<T>(a1, v128.load(o, 16));
      }
      v0 = v128.load(q, size); v1 = v128.load(q, 16 + size);
      a0 = madd<T>(a0, v0, w01); a1 = madd<T>(a1, v1, w01);
      v0 = v128.load(q, 2 * size); v1 = v128.load(q, 16 + 2 * size);
      a0 = madd<T>(a0, v0, w02); a1 = madd<T>(a1, v1, w02);
      v128.store(o, a0, 0); v128.store(o, a1, 16); // early stores: see above
      q = p1 + cb;
      v0 = v128.load(q, 0); v1 = v128.load(q, 16);
      let b0 = v128.mul<T>(v0, w00), b1 = v128.mul<T>(v1, w00);
      if (accumulate) {
        b0 = v128.add<T>(b0, v128.load(o + oRow, 0)); b1 = v128.add<T>(b1, v128.load(o + oRow, 16));
      }
      a0 = madd<T>(a0, v0, w10); a1 = madd<T>(a1, v1, w10);
      v0 = v128.load(q, size); v1 = v128.load(q, 16 + size);
      a0 = madd<T>(a0, v0, w11); a1 = madd<T>(a1, v1, w11); b0 = madd<T>(b0, v0, w01); b1 = madd<T>(b1, v1, w01);
      v0 = v128.load(q, 2 * size); v1 = v128.load(q, 16 + 2 * size);
      a0 = madd<T>(a0, v0, w12); a1 = madd<T>(a1, v1, w12); b0 = madd<T>(b0, v0, w02); b1 = madd<T>(b1, v1, w02);
      v128.store(o, a0, 0); v128.store(o, a1, 16); v128.store(o + oRow, b0, 0); v128.store(o + oRow, b1, 16);
      q = p2 + cb;
      v0 = v128.load(q, 0); v1 = v128.load(q, 16);
      a0 = madd<T>(a0, v0, w20); a1 = madd<T>(a1, v1, w20); b0 = madd<T>(b0, v0, w10); b1 = madd<T>(b1, v1, w10);
      v0 = v128.load(q, size); v1 = v128.load(q, 16 + size);
      a0 = madd<T>(a0, v0, w21); a1 = madd<T>(a1, v1, w21); b0 = madd<T>(b0, v0, w11); b1 = madd<T>(b1, v1, w11);
      v0 = v128.load(q, 2 * size); v1 = v128.load(q, 16 + 2 * size);
      a0 = madd<T>(a0, v0, w22); a1 = madd<T>(a1, v1, w22); b0 = madd<T>(b0, v0, w12); b1 = madd<T>(b1, v1, w12);
      v128.store(o, a0, 0); v128.store(o, a1, 16); v128.store(o + oRow, b0, 0); v128.store(o + oRow, b1, 16);
      q = p3 + cb;
      v0 = v128.load(q, 0); v1 = v128.load(q, 16);
      b0 = madd<T>(b0, v0, w20); b1 = madd<T>(b1, v1, w20);
      v0 = v128.load(q, size); v1 = v128.load(q, 16 + size);
      b0 = madd<T>(b0, v0, w21); b1 = madd<T>(b1, v1, w21);
      v0 = v128.load(q, 2 * size); v1 = v128.load(q, 16 + 2 * size);
      b0 = madd<T>(b0, v0, w22); b1 = madd<T>(b1, v1, w22);
      v128.store(o, a0, 0); v128.store(o, a1, 16); v128.store(o + oRow, b0, 0); v128.store(o + oRow, b1, 16);
    }
  }
  for (; r < outH; r++) {
    const p0 = x + <usize>r * xRow;
    const p1 = p0 + xRow;
    const p2 = p1 + xRow;
    const op = out + <usize>r * oRow;
    for (let c = 0; c < vecW; c += 2 * L) {
      const q0 = p0 + <usize>c * size, q1 = p1 + <usize>c * size, q2 = p2 + <usize>c * size, o = op + <usize>c * size;
      let a0 = v128.splat<T>(0), a1 = a0;
      if (accumulate) {
        a0 = v128.load(o, 0); a1 = v128.load(o, 16);
      }
      a0 = madd<T>(a0, v128.load(q0, 0), w00); a1 = madd<T>(a1, v128.load(q0, 16), w00);
      a0 = madd<T>(a0, v128.load(q0, size), w01); a1 = madd<T>(a1, v128.load(q0, 16 + size), w01);
      a0 = madd<T>(a0, v128.load(q0, 2 * size), w02); a1 = madd<T>(a1, v128.load(q0, 16 + 2 * size), w02);
      a0 = madd<T>(a0, v128.load(q1, 0), w10); a1 = madd<T>(a1, v128.load(q1, 16), w10);
      a0 = madd<T>(a0, v128.load(q1, size), w11); a1 = madd<T>(a1, v128.load(q1, 16 + size), w11);
      a0 = madd<T>(a0, v128.load(q1, 2 * size), w12); a1 = madd<T>(a1, v128.load(q1, 16 + 2 * size), w12);
      a0 = madd<T>(a0, v128.load(q2, 0), w20); a1 = madd<T>(a1, v128.load(q2, 16), w20);
      a0 = madd<T>(a0, v128.load(q2, size), w21); a1 = madd<T>(a1, v128.load(q2, 16 + size), w21);
      a0 = madd<T>(a0, v128.load(q2, 2 * size), w22); a1 = madd<T>(a1, v128.load(q2, 16 + 2 * size), w22);
      v128.store(o, a0, 0); v128.store(o, a1, 16);
    }
  }
  return vecW;
}

// @ts-ignore: decorator
@inline function tiles<T>(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32,
  out: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  const size = sizeof<T>();
  const xRow = <usize>xStride * size;
  const oRow = <usize>outStride * size;
  let r = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    // Pairs of output rows sharing their input rows (see tile2x4).
    for (; r + 2 <= outH; r += 2) {
      const xr = x + <usize>r * xRow;
      const orow = out + <usize>r * oRow;
      let c = 0;
      for (; c + 4 * L <= outW; c += 4 * L) {
        tile2x4<T>(xr + <usize>c * size, xRow, h, kh, kw, orow + <usize>c * size, oRow, accumulate);
      }
      for (; c + L <= outW; c += L) {
        tile2x1<T>(xr + <usize>c * size, xRow, h, kh, kw, orow + <usize>c * size, oRow, accumulate);
      }
      for (; c < outW; c++) {
        point<T>(xr + <usize>c * size, xRow, h, kh, kw, orow + <usize>c * size, accumulate);
        point<T>(xr + xRow + <usize>c * size, xRow, h, kh, kw, orow + oRow + <usize>c * size, accumulate);
      }
    }
    // Remaining rows (all rows of a one-row call) one at a time, 4 vectors per pass.
    for (; r < outH; r++) {
      const xr = x + <usize>r * xRow;
      const orow = out + <usize>r * oRow;
      let c = 0;
      for (; c + 4 * L <= outW; c += 4 * L) {
        tile1x4<T>(xr + <usize>c * size, xRow, h, kh, kw, orow + <usize>c * size, accumulate);
      }
      for (; c + L <= outW; c += L) {
        tile1x1<T>(xr + <usize>c * size, xRow, h, kh, kw, orow + <usize>c * size, accumulate);
      }
      for (; c < outW; c++) {
        point<T>(xr + <usize>c * size, xRow, h, kh, kw, orow + <usize>c * size, accumulate);
      }
    }
  }
  for (; r < outH; r++) {
    const xr = x + <usize>r * xRow;
    const orow = out + <usize>r * oRow;
    for (let c = 0; c < outW; c++) {
      point<T>(xr + <usize>c * size, xRow, h, kh, kw, orow + <usize>c * size, accumulate);
    }
  }
}

// @ts-ignore: decorator
@inline function corr2d<T>(
  x: usize, xStride: i32, h: usize, kh: i32, kw: i32,
  out: usize, outH: i32, outW: i32, outStride: i32, accumulate: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    if (kh == 3 && kw == 3) {
      const size = sizeof<T>();
      // The 3×3 body covers the columns up to a multiple of 2 vectors; the generic tiles finish the rest.
      const done = rows3x3<T>(x, <usize>xStride * size, h, out, outH, outW, <usize>outStride * size, accumulate);
      if (done < outW) {
        tiles<T>(x + <usize>done * size, xStride, h, 3, 3, out + <usize>done * size, outH, outW - done, outStride, accumulate);
      }
      return;
    }
  }
  tiles<T>(x, xStride, h, kh, kw, out, outH, outW, outStride, accumulate);
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
