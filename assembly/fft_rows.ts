// Real rows for the FFT engine (the JS twin is src/kernels/fft.ts): a real row of length 2m runs as a complex row of
// length m (even samples real, odd imaginary) through the Stockham FFT of fft.ts, split into its m + 1 bins afterwards
// (and merged before the inverse), four (f32) or two (f64) rows at a time as interleaved sequences.
import { lanes } from './simd';
import { stockham } from './fft';

// L×L transpose through registers: vector i of the result (stored at dst + i·dstStep) holds lane i of each of the L
// vectors loaded from src + g·srcStep. Moves rows of L samples in and out of the interleaved [k][row] layout.
// @ts-ignore: decorator
@inline function transposeL<T>(src: usize, srcStep: usize, dst: usize, dstStep: usize): void {
  if (sizeof<T>() == 4) {
    const a = v128.load(src), b = v128.load(src + srcStep), c = v128.load(src + 2 * srcStep), d = v128.load(src + 3 * srcStep);
    const t0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), t1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(c, d, 0, 4, 1, 5), t3 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
    v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
    v128.store(dst + dstStep, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
    v128.store(dst + 2 * dstStep, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
    v128.store(dst + 3 * dstStep, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
  } else {
    const a = v128.load(src), b = v128.load(src + srcStep);
    v128.store(dst, v128.shuffle<f64>(a, b, 0, 2));
    v128.store(dst + dstStep, v128.shuffle<f64>(a, b, 1, 3));
  }
}

// Rows in groups of L (the SIMD width), interleaved so that row g of a group is sequence g of a batched transform
// ([k][g] layout): every Stockham stage and the split run whole vectors, and rows move in and out by L×L transposes
// through a row-major staging area in the spare work planes. Returns how many rows it did (a multiple of L).
function rfftRowsBatched<T>(x: usize, xLen: i32, xStride: i32, rows: i32, re: usize, im: usize, specStride: i32,
  work: usize, tw: usize, m: i32): i32 {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const vb = <usize>16; // bytes of one interleaved element (L lanes)
  const pl = <usize>(m + 4) * vb;
  const ar = work, ai = work + pl, br = work + 2 * pl, bi = work + 3 * pl;
  const half = v128.splat<T>(<T>0.5);
  const zero = v128.splat<T>(<T>0);
  const mp = (m + L - 1) / L * L; // m rounded up to whole vectors
  const rs = <usize>mp * size; // row stride of the staging area (br/bi), L rows of mp
  const pairs = xLen >> 1;
  let r = 0;
  for (; r + L <= rows; r += L) {
    // Deinterleave each row's even/odd samples into staging rows (zero-padded to mp), then transpose into ar/ai.
    for (let g = 0; g < L; g++) {
      const xo = x + <usize>(r + g) * <usize>xStride * size;
      const er = br + <usize>g * rs, ei = bi + <usize>g * rs;
      let j = 0;
      if (sizeof<T>() == 4) {
        for (; j + 4 <= pairs; j += 4) {
          const a = v128.load(xo + <usize>j * 2 * size), b = v128.load(xo + <usize>j * 2 * size, 16);
          v128.store(er + <usize>j * size, v128.shuffle<f32>(a, b, 0, 2, 4, 6));
          v128.store(ei + <usize>j * size, v128.shuffle<f32>(a, b, 1, 3, 5, 7));
        }
      } else {
        for (; j + 2 <= pairs; j += 2) {
          const a = v128.load(xo + <usize>j * 2 * size), b = v128.load(xo + <usize>j * 2 * size, 16);
          v128.store(er + <usize>j * size, v128.shuffle<f64>(a, b, 0, 2));
          v128.store(ei + <usize>j * size, v128.shuffle<f64>(a, b, 1, 3));
        }
      }
      for (; j < pairs; j++) {
        store<T>(er + <usize>j * size, load<T>(xo + <usize>(2 * j) * size));
        store<T>(ei + <usize>j * size, load<T>(xo + <usize>(2 * j + 1) * size));
      }
      if (xLen & 1) {
        store<T>(er + <usize>j * size, load<T>(xo + <usize>(2 * j) * size));
        store<T>(ei + <usize>j * size, <T>0);
        j++;
      }
      if (j < mp) {
        memory.fill(er + <usize>j * size, 0, <usize>(mp - j) * size);
        memory.fill(ei + <usize>j * size, 0, <usize>(mp - j) * size);
      }
    }
    for (let j = 0; j < mp; j += L) {
      transposeL<T>(br + <usize>j * size, rs, ar + <usize>j * vb, vb);
      transposeL<T>(bi + <usize>j * size, rs, ai + <usize>j * vb, vb);
    }
    const inY = stockham<T>(ar, ai, br, bi, m, L, tw, 2);
    const zr = inY ? br : ar, zi = inY ? bi : ai;
    const z0r = v128.load(zr), z0i = v128.load(zi);
    const mb = <usize>m * vb;
    v128.store(zr, v128.add<T>(z0r, z0i));
    v128.store(zi, zero);
    v128.store(zr + mb, v128.sub<T>(z0r, z0i));
    v128.store(zi + mb, zero);
    for (let k = 1; 2 * k <= m; k++) {
      const kb = <usize>k * vb, kk = <usize>(m - k) * vb;
      const a_r = v128.load(zr + kb), a_i = v128.load(zi + kb), b_r = v128.load(zr + kk), b_i = v128.load(zi + kk);
      const er = v128.mul<T>(half, v128.add<T>(a_r, b_r)), ei = v128.mul<T>(half, v128.sub<T>(a_i, b_i));
      const o_r = v128.mul<T>(half, v128.add<T>(a_i, b_i)), o_i = v128.mul<T>(half, v128.sub<T>(b_r, a_r));
      const wr = v128.splat<T>(load<T>(tw + <usize>(2 * k) * size)), wi = v128.splat<T>(load<T>(tw + <usize>(2 * k + 1) * size));
      const pr = v128.sub<T>(v128.mul<T>(o_r, wr), v128.mul<T>(o_i, wi));
      const pi = v128.add<T>(v128.mul<T>(o_r, wi), v128.mul<T>(o_i, wr));
      v128.store(zr + kb, v128.add<T>(er, pr));
      v128.store(zi + kb, v128.add<T>(ei, pi));
      v128.store(zr + kk, v128.sub<T>(er, pr));
      v128.store(zi + kk, v128.sub<T>(pi, ei));
    }
    // Bins 0…m of each row: whole vectors by transposes, the last (m + 1) mod L bins one by one.
    const ss = <usize>specStride * size;
    const orr = re + <usize>r * ss, oi = im + <usize>r * ss;
    let k = 0;
    for (; k + L <= m + 1; k += L) {
      transposeL<T>(zr + <usize>k * vb, vb, orr + <usize>k * size, ss);
      transposeL<T>(zi + <usize>k * vb, vb, oi + <usize>k * size, ss);
    }
    for (; k <= m; k++) {
      for (let g = 0; g < L; g++) {
        store<T>(orr + <usize>g * ss + <usize>k * size, load<T>(zr + <usize>k * vb + <usize>g * size));
        store<T>(oi + <usize>g * ss + <usize>k * size, load<T>(zi + <usize>k * vb + <usize>g * size));
      }
    }
  }
  return r;
}

function irfftRowsBatched<T>(re: usize, im: usize, specStride: i32, rows: i32, out: usize, lo: i32, len: i32,
  outStride: i32, accumulate: i32, work: usize, tw: usize, m: i32): i32 {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const vb = <usize>16;
  const pl = <usize>(m + 4) * vb;
  const ar = work, ai = work + pl, br = work + 2 * pl, bi = work + 3 * pl;
  const half = v128.splat<T>(<T>0.5);
  const mp = (m + L - 1) / L * L;
  const rs = <usize>mp * size;
  const ss = <usize>specStride * size;
  let r = 0;
  for (; r + L <= rows; r += L) {
    const sr = re + <usize>r * ss, si = im + <usize>r * ss;
    let k = 0;
    for (; k + L <= m + 1; k += L) {
      transposeL<T>(sr + <usize>k * size, ss, ar + <usize>k * vb, vb);
      transposeL<T>(si + <usize>k * size, ss, ai + <usize>k * vb, vb);
    }
    for (; k <= m; k++) {
      for (let g = 0; g < L; g++) {
        store<T>(ar + <usize>k * vb + <usize>g * size, load<T>(sr + <usize>g * ss + <usize>k * size));
        store<T>(ai + <usize>k * vb + <usize>g * size, load<T>(si + <usize>g * ss + <usize>k * size));
      }
    }
    // Z[k] = E + i·O, stored swapped (re in the im plane), in place: each pair (k, m−k) is read before it is written.
    for (let k = 0; 2 * k <= m; k++) {
      const kb = <usize>k * vb, kk = <usize>(m - k) * vb;
      const x_r = v128.load(ar + kb), x_i = v128.load(ai + kb), y_r = v128.load(ar + kk), y_i = v128.load(ai + kk);
      const er = v128.mul<T>(half, v128.add<T>(x_r, y_r)), ei = v128.mul<T>(half, v128.sub<T>(x_i, y_i));
      const dr = v128.mul<T>(half, v128.sub<T>(x_r, y_r)), di = v128.mul<T>(half, v128.add<T>(x_i, y_i));
      const wr = v128.splat<T>(load<T>(tw + <usize>(2 * k) * size)), wi = v128.splat<T>(-load<T>(tw + <usize>(2 * k + 1) * size));
      const o_r = v128.sub<T>(v128.mul<T>(dr, wr), v128.mul<T>(di, wi));
      const o_i = v128.add<T>(v128.mul<T>(dr, wi), v128.mul<T>(di, wr));
      v128.store(ai + kb, v128.sub<T>(er, o_i));
      v128.store(ar + kb, v128.add<T>(ei, o_r));
      if (k > 0 && 2 * k < m) {
        v128.store(ai + kk, v128.add<T>(er, o_i));
        v128.store(ar + kk, v128.sub<T>(o_r, ei));
      }
    }
    const inY = stockham<T>(ar, ai, br, bi, m, L, tw, 2);
    const zr = inY ? bi : ai, zi = inY ? br : ar;
    // Staging rows in the planes not holding the result: row g's z_j (j < mp) as re and im rows.
    const tr = inY ? ar : br, ti = inY ? ai : bi;
    for (let j = 0; j < mp; j += L) {
      transposeL<T>(zr + <usize>j * vb, vb, tr + <usize>j * size, rs);
      transposeL<T>(zi + <usize>j * vb, vb, ti + <usize>j * size, rs);
    }
    for (let g = 0; g < L; g++) {
      const o = out + <usize>(r + g) * <usize>outStride * size;
      const gr = tr + <usize>g * rs, gi = ti + <usize>g * rs;
      let t = 0;
      let j = lo;
      if (j & 1 && t < len) {
        const v = load<T>(gi + <usize>(j >> 1) * size);
        store<T>(o, accumulate ? load<T>(o) + v : v);
        t++;
        j++;
      }
      // j even from here: L re and L im values interleave into 2L samples.
      for (; t + 2 * L <= len; t += 2 * L, j += 2 * L) {
        const h = <usize>(j >> 1) * size;
        const vr = v128.load(gr + h), vi = v128.load(gi + h);
        let s0: v128, s1: v128;
        if (sizeof<T>() == 4) {
          s0 = v128.shuffle<f32>(vr, vi, 0, 4, 1, 5);
          s1 = v128.shuffle<f32>(vr, vi, 2, 6, 3, 7);
        } else {
          s0 = v128.shuffle<f64>(vr, vi, 0, 2);
          s1 = v128.shuffle<f64>(vr, vi, 1, 3);
        }
        const ob = o + <usize>t * size;
        if (accumulate) {
          s0 = v128.add<T>(s0, v128.load(ob));
          s1 = v128.add<T>(s1, v128.load(ob, 16));
        }
        v128.store(ob, s0);
        v128.store(ob, s1, 16);
      }
      for (; t < len; t++, j++) {
        const v = load<T>((j & 1 ? gi : gr) + <usize>(j >> 1) * size);
        const ob = o + <usize>t * size;
        store<T>(ob, accumulate ? load<T>(ob) + v : v);
      }
    }
  }
  return r;
}

// @ts-ignore: decorator
@inline function rfftRows<T>(x: usize, xLen: i32, xStride: i32, rows: i32, re: usize, im: usize, specStride: i32,
  work: usize, tw: usize, m: i32): void {
  const size = <usize>sizeof<T>();
  const plane = <usize>m * size;
  const ar = work, ai = work + plane, br = work + 2 * plane, bi = work + 3 * plane;
  const half = <T>0.5;
  if (xLen == 0) {
    // Rows of no sample (padding): their spectra are zeros, written without a transform.
    for (let r = 0; r < rows; r++) {
      const o = <usize>r * <usize>specStride * size;
      memory.fill(re + o, 0, <usize>(m + 1) * size);
      memory.fill(im + o, 0, <usize>(m + 1) * size);
    }
    return;
  }
  let r0 = 0;
  if (ASC_FEATURE_SIMD) r0 = rfftRowsBatched<T>(x, xLen, xStride, rows, re, im, specStride, work, tw, m);
  for (let r = r0; r < rows; r++) {
    const xo = x + <usize>r * <usize>xStride * size;
    // Deinterleave the even and odd samples into the re and im planes, zero-padded to m.
    const pairs = xLen >> 1;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      if (sizeof<T>() == 4) {
        for (; j + 4 <= pairs; j += 4) {
          const a = v128.load(xo + <usize>j * 2 * size), b = v128.load(xo + <usize>j * 2 * size, 16);
          v128.store(ar + <usize>j * size, v128.shuffle<f32>(a, b, 0, 2, 4, 6));
          v128.store(ai + <usize>j * size, v128.shuffle<f32>(a, b, 1, 3, 5, 7));
        }
      } else {
        for (; j + 2 <= pairs; j += 2) {
          const a = v128.load(xo + <usize>j * 2 * size), b = v128.load(xo + <usize>j * 2 * size, 16);
          v128.store(ar + <usize>j * size, v128.shuffle<f64>(a, b, 0, 2));
          v128.store(ai + <usize>j * size, v128.shuffle<f64>(a, b, 1, 3));
        }
      }
    }
    for (; j < pairs; j++) {
      store<T>(ar + <usize>j * size, load<T>(xo + <usize>j * 2 * size));
      store<T>(ai + <usize>j * size, load<T>(xo + (<usize>j * 2 + 1) * size));
    }
    if (xLen & 1) {
      store<T>(ar + <usize>j * size, load<T>(xo + <usize>j * 2 * size));
      store<T>(ai + <usize>j * size, <T>0);
      j++;
    }
    if (j < m) {
      memory.fill(ar + <usize>j * size, 0, <usize>(m - j) * size);
      memory.fill(ai + <usize>j * size, 0, <usize>(m - j) * size);
    }
    const inY = stockham<T>(ar, ai, br, bi, m, 1, tw, 2);
    const zr = inY ? br : ar, zi = inY ? bi : ai;
    const orr = re + <usize>r * <usize>specStride * size, oi = im + <usize>r * <usize>specStride * size;
    const mb = <usize>m * size;
    const z0r = load<T>(zr), z0i = load<T>(zi);
    store<T>(orr, z0r + z0i);
    store<T>(oi, <T>0);
    store<T>(orr + mb, z0r - z0i);
    store<T>(oi + mb, <T>0);
    for (let k = 1; 2 * k <= m; k++) {
      const kb = <usize>k * size, kk = <usize>(m - k) * size;
      const a_r = load<T>(zr + kb), a_i = load<T>(zi + kb), b_r = load<T>(zr + kk), b_i = load<T>(zi + kk);
      const er = half * (a_r + b_r), ei = half * (a_i - b_i);
      const o_r = half * (a_i + b_i), o_i = half * (b_r - a_r);
      const wr = load<T>(tw + 2 * kb), wi = load<T>(tw + 2 * kb + size);
      const pr = o_r * wr - o_i * wi, pi = o_r * wi + o_i * wr;
      store<T>(orr + kb, er + pr);
      store<T>(oi + kb, ei + pi);
      store<T>(orr + kk, er - pr);
      store<T>(oi + kk, pi - ei);
    }
  }
}

// @ts-ignore: decorator
@inline function irfftRows<T>(re: usize, im: usize, specStride: i32, rows: i32, out: usize, lo: i32, len: i32,
  outStride: i32, accumulate: i32, work: usize, tw: usize, m: i32): void {
  const size = <usize>sizeof<T>();
  const plane = <usize>m * size;
  const ar = work, ai = work + plane, br = work + 2 * plane, bi = work + 3 * plane;
  const half = <T>0.5;
  let r0 = 0;
  if (ASC_FEATURE_SIMD) r0 = irfftRowsBatched<T>(re, im, specStride, rows, out, lo, len, outStride, accumulate, work, tw, m);
  for (let r = r0; r < rows; r++) {
    const sr = re + <usize>r * <usize>specStride * size, si = im + <usize>r * <usize>specStride * size;
    // Z[k] = E + i·O, stored swapped (re in the im plane): the forward FFT of swap(Z) is swap(IDFT(Z)).
    for (let k = 0; 2 * k <= m; k++) {
      const kb = <usize>k * size, kk = <usize>(m - k) * size;
      const x_r = load<T>(sr + kb), x_i = load<T>(si + kb), y_r = load<T>(sr + kk), y_i = load<T>(si + kk);
      const er = half * (x_r + y_r), ei = half * (x_i - y_i);
      const dr = half * (x_r - y_r), di = half * (x_i + y_i);
      const wr = load<T>(tw + 2 * kb), wi = -load<T>(tw + 2 * kb + size);
      const o_r = dr * wr - di * wi, o_i = dr * wi + di * wr;
      store<T>(ai + kb, er - o_i);
      store<T>(ar + kb, ei + o_r);
      if (k > 0 && 2 * k < m) {
        store<T>(ai + kk, er + o_i);
        store<T>(ar + kk, o_r - ei);
      }
    }
    const inY = stockham<T>(ar, ai, br, bi, m, 1, tw, 2);
    const zr = inY ? bi : ai, zi = inY ? br : ar;
    const o = out + <usize>r * <usize>outStride * size;
    let t = 0;
    let j = lo;
    if (j & 1 && t < len) {
      const v = load<T>(zi + <usize>(j >> 1) * size);
      store<T>(o, accumulate ? load<T>(o) + v : v);
      t++;
      j++;
    }
    // Now j is even: interleave re/im pairs back into samples.
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      for (; t + 2 * L <= len; t += 2 * L, j += 2 * L) {
        const h = <usize>(j >> 1) * size;
        const vr = v128.load(zr + h), vi = v128.load(zi + h);
        let lo4: v128, hi4: v128;
        if (sizeof<T>() == 4) {
          lo4 = v128.shuffle<f32>(vr, vi, 0, 4, 1, 5);
          hi4 = v128.shuffle<f32>(vr, vi, 2, 6, 3, 7);
        } else {
          lo4 = v128.shuffle<f64>(vr, vi, 0, 2);
          hi4 = v128.shuffle<f64>(vr, vi, 1, 3);
        }
        const ob = o + <usize>t * size;
        if (accumulate) {
          lo4 = v128.add<T>(lo4, v128.load(ob));
          hi4 = v128.add<T>(hi4, v128.load(ob, 16));
        }
        v128.store(ob, lo4);
        v128.store(ob, hi4, 16);
      }
    }
    for (; t < len; t++, j++) {
      const v = j & 1 ? load<T>(zi + <usize>(j >> 1) * size) : load<T>(zr + <usize>(j >> 1) * size);
      const ob = o + <usize>t * size;
      store<T>(ob, accumulate ? load<T>(ob) + v : v);
    }
  }
}

export function rfft_rows_f32(x: usize, xLen: i32, xStride: i32, rows: i32, re: usize, im: usize, specStride: i32, work: usize, tw: usize, m: i32): void {
  rfftRows<f32>(x, xLen, xStride, rows, re, im, specStride, work, tw, m);
}
export function rfft_rows_f64(x: usize, xLen: i32, xStride: i32, rows: i32, re: usize, im: usize, specStride: i32, work: usize, tw: usize, m: i32): void {
  rfftRows<f64>(x, xLen, xStride, rows, re, im, specStride, work, tw, m);
}
export function irfft_rows_f32(re: usize, im: usize, specStride: i32, rows: i32, out: usize, lo: i32, len: i32, outStride: i32, accumulate: i32, work: usize, tw: usize, m: i32): void {
  irfftRows<f32>(re, im, specStride, rows, out, lo, len, outStride, accumulate, work, tw, m);
}
export function irfft_rows_f64(re: usize, im: usize, specStride: i32, rows: i32, out: usize, lo: i32, len: i32, outStride: i32, accumulate: i32, work: usize, tw: usize, m: i32): void {
  irfftRows<f64>(re, im, specStride, rows, out, lo, len, outStride, accumulate, work, tw, m);
}
