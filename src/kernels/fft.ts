// FFT kernels, the JS twins of assembly/fft.ts (+ fft_rows.ts). Complex data live in split planes
// (re[], im[]); twiddle tables hold interleaved pairs tw[2j], tw[2j+1] = cos, −sin of 2πj/T. The transform is the
// unnormalised forward DFT
//   X[k] = Σ_j x[j] · e^{−2πi·jk/n},
// computed by a mixed-radix (4, 2, 5, 3) Stockham autosort FFT (decimation in frequency, ping-pong buffers), batched
// over `inner` interleaved sequences: element j of sequence i sits at j·inner + i, so one butterfly loop runs across
// all sequences at once. The inverse is the same transform with the re and im planes swapped. A real row of length
// 2m is transformed as the complex row z[j] = x[2j] + i·x[2j+1] of length m, then split into its m + 1 bins:
//   X[k] = E[k] + w^k·O[k],  E = (Z[k] + conj Z[m−k]) / 2,  O = (Z[k] − conj Z[m−k]) / 2i,  w = e^{−iπ/m}.
import type { Float } from '../arrays';

export interface Family {
  /**
   * Forward complex FFT of length n along the middle axis of `count` blocks [n][inner] (block c at element c·dist of
   * both planes), in place, of the sequences 0 … width − 1 of each block (width ≤ inner: a caller splitting the
   * sequences among threads passes re + first, im + first and their count). work: 4·n·chunk scratch elements
   * (chunk = fftChunk(dtype)); tw: table of w_{n·twStride}.
   */
  fftCols(mem: Float, re: number, im: number, n: number, inner: number, width: number, count: number, dist: number,
    work: number, tw: number, twStride: number): void;
  /**
   * Spectra of `rows` real rows: row r holds xLen ≤ 2m samples at x + r·xStride (zero-padded to 2m); bins 0…m go to
   * re/im + r·specStride. work: rowWork(m) elements; tw: table of w_{2m}.
   */
  rfftRows(mem: Float, x: number, xLen: number, xStride: number, rows: number, re: number, im: number, specStride: number,
    work: number, tw: number, m: number): void;
  /**
   * Inverse of rfftRows, unnormalised except for the 1/2 of the split (the real result is m times the true inverse):
   * samples lo … lo+len−1 of each row go to out + r·outStride (added when accumulate ≠ 0). Destroys the spectrum.
   */
  irfftRows(mem: Float, re: number, im: number, specStride: number, rows: number, out: number, lo: number, len: number,
    outStride: number, accumulate: number, work: number, tw: number, m: number): void;
  /** a ← a · b · scale, complex, n elements in split planes. */
  cmul(mem: Float, ar: number, ai: number, br: number, bi: number, n: number, scale: number): void;
  /**
   * fftCols, then a ← a · b · scale at each transformed place (b: planes br, bi laid out as re, im), then fftCols on
   * (im, re): a column correlation's transform, product and inverse, batch by batch on wasm.
   */
  fftColsMul(mem: Float, re: number, im: number, n: number, inner: number, width: number, count: number, dist: number,
    work: number, tw: number, twStride: number, br: number, bi: number, scale: number): void;
}

/** Columns gathered per pass of fftCols: the batch stays in cache, and a multiple of every SIMD width. */
export const FFT_CHUNK = 32;

/** Bytes each of fftCols's four scratch planes is skewed by in wasm: 17 cache lines, so planes are not pages apart. */
const PLANE_SKEW = 1088;

/** Scratch elements of fftCols for columns of length n: 4 planes of n·FFT_CHUNK, each skewed (counted as float32). */
export function colWork(n: number): number {
  return 4 * (n * FFT_CHUNK + PLANE_SKEW / 4);
}

/** Scratch elements of rfftRows/irfftRows for half-length m: 4 planes of m + 4 entries for up to 4 rows at once. */
export function rowWork(m: number): number {
  return 16 * (m + 4);
}

/** Radices of n, 4s first (so that after one stage the stride is a multiple of the SIMD width), then 2, 5, 3. */
export function radices(n: number): number[] {
  const f: number[] = [];
  while (n % 4 === 0) { f.push(4); n /= 4; }
  if (n % 2 === 0) { f.push(2); n /= 2; }
  while (n % 5 === 0) { f.push(5); n /= 5; }
  while (n % 3 === 0) { f.push(3); n /= 3; }
  if (n !== 1) throw new RangeError(`fft: length has a prime factor other than 2, 3 and 5 (${n} remains)`);
  return f;
}

const C3 = Math.sqrt(3) / 2;
const C51 = Math.cos((2 * Math.PI) / 5);
const C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5);
const S52 = Math.sin((4 * Math.PI) / 5);

/**
 * One Stockham pass over sub-transforms of length nc = r·m, stride s (elements), sp = n / nc:
 *   y[q + s(r·p + k)] = w_nc^{pk} · Σ_j x[q + s(p + j·m)] · e^{−2πi·jk/r}.
 */
function stage(mem: Float, r: number, xr: number, xi: number, yr: number, yi: number, m: number, s: number,
  tw: number, tstep: number): void {
  for (let p = 0; p < m; p++) {
    const e = 2 * p * tstep; // table offset of w^p; w^{pk} is at k·e
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const o0 = q + s * r * p;
      if (r === 4) {
        const sm = s * m;
        const a0r = mem[xr + i0], a0i = mem[xi + i0];
        const a1r = mem[xr + i0 + sm], a1i = mem[xi + i0 + sm];
        const a2r = mem[xr + i0 + 2 * sm], a2i = mem[xi + i0 + 2 * sm];
        const a3r = mem[xr + i0 + 3 * sm], a3i = mem[xi + i0 + 3 * sm];
        const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
        const t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
        mem[yr + o0] = t0r + t2r; mem[yi + o0] = t0i + t2i;
        twid(mem, yr, yi, o0 + s, t1r + t3i, t1i - t3r, tw, e);
        twid(mem, yr, yi, o0 + 2 * s, t0r - t2r, t0i - t2i, tw, 2 * e);
        twid(mem, yr, yi, o0 + 3 * s, t1r - t3i, t1i + t3r, tw, 3 * e);
      } else if (r === 2) {
        const sm = s * m;
        const a0r = mem[xr + i0], a0i = mem[xi + i0];
        const a1r = mem[xr + i0 + sm], a1i = mem[xi + i0 + sm];
        mem[yr + o0] = a0r + a1r; mem[yi + o0] = a0i + a1i;
        twid(mem, yr, yi, o0 + s, a0r - a1r, a0i - a1i, tw, e);
      } else if (r === 3) {
        const sm = s * m;
        const a0r = mem[xr + i0], a0i = mem[xi + i0];
        const a1r = mem[xr + i0 + sm], a1i = mem[xi + i0 + sm];
        const a2r = mem[xr + i0 + 2 * sm], a2i = mem[xi + i0 + 2 * sm];
        const tr = a1r + a2r, ti = a1i + a2i;
        const br = a0r - 0.5 * tr, bi = a0i - 0.5 * ti;
        const ur = C3 * (a1r - a2r), ui = C3 * (a1i - a2i);
        mem[yr + o0] = a0r + tr; mem[yi + o0] = a0i + ti;
        twid(mem, yr, yi, o0 + s, br + ui, bi - ur, tw, e);
        twid(mem, yr, yi, o0 + 2 * s, br - ui, bi + ur, tw, 2 * e);
      } else {
        const sm = s * m;
        const a0r = mem[xr + i0], a0i = mem[xi + i0];
        const a1r = mem[xr + i0 + sm], a1i = mem[xi + i0 + sm];
        const a2r = mem[xr + i0 + 2 * sm], a2i = mem[xi + i0 + 2 * sm];
        const a3r = mem[xr + i0 + 3 * sm], a3i = mem[xi + i0 + 3 * sm];
        const a4r = mem[xr + i0 + 4 * sm], a4i = mem[xi + i0 + 4 * sm];
        const t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
        const t3r = a1r - a4r, t3i = a1i - a4i, t4r = a2r - a3r, t4i = a2i - a3i;
        const b1r = a0r + C51 * t1r + C52 * t2r, b1i = a0i + C51 * t1i + C52 * t2i;
        const b2r = a0r + C52 * t1r + C51 * t2r, b2i = a0i + C52 * t1i + C51 * t2i;
        const u1r = S51 * t3r + S52 * t4r, u1i = S51 * t3i + S52 * t4i;
        const u2r = S52 * t3r - S51 * t4r, u2i = S52 * t3i - S51 * t4i;
        mem[yr + o0] = a0r + t1r + t2r; mem[yi + o0] = a0i + t1i + t2i;
        twid(mem, yr, yi, o0 + s, b1r + u1i, b1i - u1r, tw, e);
        twid(mem, yr, yi, o0 + 2 * s, b2r + u2i, b2i - u2r, tw, 2 * e);
        twid(mem, yr, yi, o0 + 3 * s, b2r - u2i, b2i + u2r, tw, 3 * e);
        twid(mem, yr, yi, o0 + 4 * s, b1r - u1i, b1i + u1r, tw, 4 * e);
      }
    }
  }
}

/** y[o] = (vr + i·vi) · w, w at table offset e. */
function twid(mem: Float, yr: number, yi: number, o: number, vr: number, vi: number, tw: number, e: number): void {
  const wr = mem[tw + e];
  const wi = mem[tw + e + 1];
  mem[yr + o] = vr * wr - vi * wi;
  mem[yi + o] = vr * wi + vi * wr;
}

/** Stockham FFT of `inner` interleaved sequences of length n from x into x or y; returns true when it ends in y. */
function stockham(mem: Float, xr: number, xi: number, yr: number, yi: number, n: number, inner: number,
  tw: number, twStride: number): boolean {
  let s = inner;
  let sp = 1;
  let inY = false;
  for (const r of radices(n)) {
    const m = n / (sp * r);
    if (inY) stage(mem, r, yr, yi, xr, xi, m, s, tw, sp * twStride);
    else stage(mem, r, xr, xi, yr, yi, m, s, tw, sp * twStride);
    s *= r;
    sp *= r;
    inY = !inY;
  }
  return inY;
}

function fftCols(mem: Float, re: number, im: number, n: number, inner: number, width: number, count: number, dist: number,
  work: number, tw: number, twStride: number): void {
  const C = FFT_CHUNK;
  const ar = work, ai = work + n * C, br = work + 2 * n * C, bi = work + 3 * n * C;
  for (let c = 0; c < count; c++) {
    const base = c * dist;
    for (let i0 = 0; i0 < width; i0 += C) {
      const w = Math.min(C, width - i0);
      for (let j = 0; j < n; j++) {
        const src = base + j * inner + i0;
        for (let i = 0; i < w; i++) {
          mem[ar + j * w + i] = mem[re + src + i];
          mem[ai + j * w + i] = mem[im + src + i];
        }
      }
      const inY = stockham(mem, ar, ai, br, bi, n, w, tw, twStride);
      const sr = inY ? br : ar, si = inY ? bi : ai;
      for (let j = 0; j < n; j++) {
        const dst = base + j * inner + i0;
        for (let i = 0; i < w; i++) {
          mem[re + dst + i] = mem[sr + j * w + i];
          mem[im + dst + i] = mem[si + j * w + i];
        }
      }
    }
  }
}

function rfftRows(mem: Float, x: number, xLen: number, xStride: number, rows: number, re: number, im: number,
  specStride: number, work: number, tw: number, m: number): void {
  const ar = work, ai = work + m, br = work + 2 * m, bi = work + 3 * m;
  if (xLen === 0) {
    // Rows of no sample (padding): their spectra are zeros, written without a transform.
    for (let r = 0; r < rows; r++) {
      mem.fill(0, re + r * specStride, re + r * specStride + m + 1);
      mem.fill(0, im + r * specStride, im + r * specStride + m + 1);
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const xo = x + r * xStride;
    for (let j = 0; j < m; j++) {
      mem[ar + j] = 2 * j < xLen ? mem[xo + 2 * j] : 0;
      mem[ai + j] = 2 * j + 1 < xLen ? mem[xo + 2 * j + 1] : 0;
    }
    const inY = stockham(mem, ar, ai, br, bi, m, 1, tw, 2);
    const zr = inY ? br : ar, zi = inY ? bi : ai;
    const orr = re + r * specStride, oi = im + r * specStride;
    mem[orr] = mem[zr] + mem[zi];
    mem[oi] = 0;
    mem[orr + m] = mem[zr] - mem[zi];
    mem[oi + m] = 0;
    for (let k = 1; 2 * k <= m; k++) {
      const ar_ = mem[zr + k], ai_ = mem[zi + k], br_ = mem[zr + m - k], bi_ = mem[zi + m - k];
      const er = 0.5 * (ar_ + br_), ei = 0.5 * (ai_ - bi_);
      const or = 0.5 * (ai_ + bi_), oi_ = -0.5 * (ar_ - br_);
      const wr = mem[tw + 2 * k], wi = mem[tw + 2 * k + 1];
      const pr = or * wr - oi_ * wi, pi = or * wi + oi_ * wr;
      mem[orr + k] = er + pr;
      mem[oi + k] = ei + pi;
      mem[orr + m - k] = er - pr;
      mem[oi + m - k] = pi - ei;
    }
  }
}

function irfftRows(mem: Float, re: number, im: number, specStride: number, rows: number, out: number, lo: number, len: number,
  outStride: number, accumulate: number, work: number, tw: number, m: number): void {
  const ar = work, ai = work + m, br = work + 2 * m, bi = work + 3 * m;
  for (let r = 0; r < rows; r++) {
    const sr = re + r * specStride, si = im + r * specStride;
    // Z[k] = E + i·O with E = (X[k] + conj X[m−k]) / 2, O = (X[k] − conj X[m−k]) · w^{−k} / 2; planes swapped for the inverse.
    for (let k = 0; 2 * k <= m; k++) {
      const xr_ = mem[sr + k], xi_ = mem[si + k], yr_ = mem[sr + m - k], yi_ = mem[si + m - k];
      const er = 0.5 * (xr_ + yr_), ei = 0.5 * (xi_ - yi_);
      const dr = 0.5 * (xr_ - yr_), di = 0.5 * (xi_ + yi_);
      const wr = mem[tw + 2 * k], wi = -mem[tw + 2 * k + 1];
      const or = dr * wr - di * wi, oi = dr * wi + di * wr;
      mem[ai + k] = er - oi; // Z stored swapped (re in the im plane): the forward FFT of swap(Z) is swap(IDFT(Z))
      mem[ar + k] = ei + or;
      if (k > 0 && 2 * k < m) {
        mem[ai + m - k] = er + oi;
        mem[ar + m - k] = or - ei;
      }
    }
    const inY = stockham(mem, ar, ai, br, bi, m, 1, tw, 2);
    const zr = inY ? bi : ai, zi = inY ? br : ar;
    const o = out + r * outStride;
    for (let t = 0; t < len; t++) {
      const j = lo + t;
      const v = j & 1 ? mem[zi + (j >> 1)] : mem[zr + (j >> 1)];
      mem[o + t] = accumulate ? mem[o + t] + v : v;
    }
  }
}

function cmul(mem: Float, ar: number, ai: number, br: number, bi: number, n: number, scale: number): void {
  for (let i = 0; i < n; i++) {
    const xr = mem[ar + i], xi = mem[ai + i], yr = mem[br + i] * scale, yi = mem[bi + i] * scale;
    mem[ar + i] = xr * yr - xi * yi;
    mem[ai + i] = xr * yi + xi * yr;
  }
}

function fftColsMul(mem: Float, re: number, im: number, n: number, inner: number, width: number, count: number, dist: number,
  work: number, tw: number, twStride: number, br: number, bi: number, scale: number): void {
  fftCols(mem, re, im, n, inner, width, count, dist, work, tw, twStride);
  for (let c = 0; c < count; c++) {
    for (let j = 0; j < n; j++) {
      const row = c * dist + j * inner;
      cmul(mem, re + row, im + row, br + row, bi + row, width, scale);
    }
  }
  fftCols(mem, im, re, n, inner, width, count, dist, work, tw, twStride);
}

export const js: Family = { fftCols, rfftRows, irfftRows, cmul, fftColsMul };
