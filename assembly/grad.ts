// Packing around the shared GEMM for convolution gradients (channels-first planes, one group at a time):
//   im2col:  col[(ci·taps + t)·rows + r] = x[ci·cs + pix(p0 + r)·s + tap(t)·d]          (dW = col · dY)
//   col2im:  x[ci·cs + pix(p0 + r)·s + tap(t)·d] += col[(ci·taps + t)·rows + r]          (dX = fold(Wᵀ · dY))
//   pack:    panel q of nr columns = [0 × nr][rows × nr], entry (i, j) = src[i·rs + (q·nr + j)·cs], 0 past cols
//   add:     dst[i] += src[i]
// and the two transforms of the Winograd weight gradient for 3×3 kernels at stride 1 (F(2×2, 3×3) run backwards:
// dW = Gᵀ [Σ_tiles (A·dy·Aᵀ) ⊙ (Bᵀ·x·B)] G, the sum over tiles being one GEMM per transform position ξ):
//   winoU:   u[ξ·us + c·nt + t] = (A · dy[c, 2×2 tile t] · Aᵀ)[ξ]          (channels-first dy, zeros past its edge)
//   winoV:   v[ξ] = panels of nr channels of (Bᵀ · x[4×4 tile t, ·] · B)[ξ]   (channels-last padded x)
//   winoOut: d[tap·ds + i] = (Gᵀ · (m[ξ·ms + i])_ξ · G)[tap]                     (tap reversed with flip)
//   dwWeight: out[tap] += Σ_{z,y,x} dy[z, y, x] · x[z + a·dd, y + b·dh, x + e·dw]   (one depthwise channel, stride 1)
// pix(p) is output pixel p of an od × oh × ow grid, tap(t) kernel tap t of kd × kh × kw, in padded planes ph × pw.
import { lanes, madd } from './simd';

// Pixels go in runs along W; at unit W stride a run is contiguous in x, so it moves as whole vectors.

// @ts-ignore: decorator
@inline function copyRun<T>(dst: usize, src: usize, n: i32, step: usize): void {
  const size = <usize>sizeof<T>();
  let i = 0;
  if (step == size) {
    if (ASC_FEATURE_SIMD) {
      const L = 16 / sizeof<T>();
      for (; i + L <= n; i += L) v128.store(dst + <usize>i * size, v128.load(src + <usize>i * size));
    }
    for (; i < n; i++) store<T>(dst + <usize>i * size, load<T>(src + <usize>i * size));
    return;
  }
  for (; i < n; i++) store<T>(dst + <usize>i * size, load<T>(src + <usize>i * step));
}

// @ts-ignore: decorator
@inline function addRun<T>(dst: usize, src: usize, n: i32, step: usize): void {
  const size = <usize>sizeof<T>();
  let i = 0;
  if (step == size) {
    if (ASC_FEATURE_SIMD) {
      const L = 16 / sizeof<T>();
      for (; i + L <= n; i += L) {
        const d = dst + <usize>i * size;
        v128.store(d, v128.add<T>(v128.load(d), v128.load(src + <usize>i * size)));
      }
    }
    for (; i < n; i++) {
      const d = dst + <usize>i * size;
      store<T>(d, load<T>(d) + load<T>(src + <usize>i * size));
    }
    return;
  }
  for (; i < n; i++) {
    const d = dst + <usize>i * step;
    store<T>(d, load<T>(d) + load<T>(src + <usize>i * size));
  }
}

/** Both directions of the im2col walk; `back` (a constant after inlining) picks col2im. */
// @ts-ignore: decorator
@inline function walk<T>(
  back: bool, x: usize, ph: i32, pw: i32, cs: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, oh: i32, ow: i32, p0: i32, rows: i32, col: usize,
): void {
  const size = <usize>sizeof<T>();
  const rowB = <usize>pw * size;
  const planeB = <usize>ph * rowB;
  const step = <usize>sw * size;
  const z0 = p0 / (oh * ow);
  const y0 = (p0 / ow) % oh;
  const x0 = p0 % ow;
  const pEnd = p0 + rows;
  let c = col;
  for (let ci = 0; ci < cinG; ci++) {
    const xc = x + <usize>ci * <usize>cs * size;
    for (let a = 0; a < kd; a++) {
      for (let b = 0; b < kh; b++) {
        for (let e = 0; e < kw; e++) {
          const xt = xc + <usize>(a * dd) * planeB + <usize>(b * dh) * rowB + <usize>(e * dw) * size;
          let p = p0, z = z0, y = y0, xx = x0;
          while (p < pEnd) {
            const n = min(ow - xx, pEnd - p);
            const src = xt + <usize>(z * sd) * planeB + <usize>(y * sh) * rowB + <usize>(xx * sw) * size;
            if (back) addRun<T>(src, c, n, step);
            else copyRun<T>(c, src, n, step);
            c += <usize>n * size;
            p += n;
            xx = 0;
            if (++y == oh) {
              y = 0;
              z++;
            }
          }
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline function pack<T>(src: usize, rs: i32, cs: i32, rows: i32, cols: i32, dst: usize, nr: i32): void {
  const size = <usize>sizeof<T>();
  let d = dst;
  for (let q = 0; q < cols; q += nr) {
    for (let j = 0; j < nr; j++) store<T>(d + <usize>j * size, <T>0);
    d += <usize>nr * size;
    const w = min(nr, cols - q);
    for (let i = 0; i < rows; i++) {
      const s = src + (<usize>i * <usize>rs + <usize>q * <usize>cs) * size;
      let j = 0;
      for (; j < w; j++) store<T>(d + <usize>j * size, load<T>(s + <usize>j * <usize>cs * size));
      for (; j < nr; j++) store<T>(d + <usize>j * size, <T>0);
      d += <usize>nr * size;
    }
  }
}

export function grad_im2col_f32(
  x: usize, ph: i32, pw: i32, cs: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, oh: i32, ow: i32, p0: i32, rows: i32, col: usize,
): void {
  walk<f32>(false, x, ph, pw, cs, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, col);
}

export function grad_im2col_f64(
  x: usize, ph: i32, pw: i32, cs: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, oh: i32, ow: i32, p0: i32, rows: i32, col: usize,
): void {
  walk<f64>(false, x, ph, pw, cs, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, col);
}

export function grad_col2im_f32(
  x: usize, ph: i32, pw: i32, cs: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, oh: i32, ow: i32, p0: i32, rows: i32, col: usize,
): void {
  walk<f32>(true, x, ph, pw, cs, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, col);
}

export function grad_col2im_f64(
  x: usize, ph: i32, pw: i32, cs: i32, cinG: i32, kd: i32, kh: i32, kw: i32,
  sd: i32, sh: i32, sw: i32, dd: i32, dh: i32, dw: i32, oh: i32, ow: i32, p0: i32, rows: i32, col: usize,
): void {
  walk<f64>(true, x, ph, pw, cs, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, col);
}

export function grad_pack_f32(src: usize, rs: i32, cs: i32, rows: i32, cols: i32, dst: usize, nr: i32): void {
  pack<f32>(src, rs, cs, rows, cols, dst, nr);
}

export function grad_pack_f64(src: usize, rs: i32, cs: i32, rows: i32, cols: i32, dst: usize, nr: i32): void {
  pack<f64>(src, rs, cs, rows, cols, dst, nr);
}

export function grad_add_f32(dst: usize, src: usize, n: i32): void {
  addRun<f32>(dst, src, n, 4);
}

export function grad_add_f64(dst: usize, src: usize, n: i32): void {
  addRun<f64>(dst, src, n, 8);
}

/** One row i of A·g·Aᵀ from that row's (even, odd) column values: ξ = 4i … 4i + 3 (no arrays: kernels never allocate). */
// @ts-ignore: decorator
@inline function rowU<T>(q: usize, step: usize, e: v128, o: v128): void {
  v128.store(q, e);
  v128.store(q + step, v128.add<T>(e, o));
  v128.store(q + 2 * step, v128.sub<T>(e, o));
  v128.store(q + 3 * step, v128.neg<T>(o));
}

/** The 16 outputs of A·g·Aᵀ from the tile's rows (e0, o0) and (e1, o1) (even and odd columns), stored ξ planes apart. */
// @ts-ignore: decorator
@inline function storeU<T>(p: usize, step: usize, e0: v128, o0: v128, e1: v128, o1: v128): void {
  rowU<T>(p, step, e0, o0);
  rowU<T>(p + 4 * step, step, v128.add<T>(e0, e1), v128.add<T>(o0, o1));
  rowU<T>(p + 8 * step, step, v128.sub<T>(e0, e1), v128.sub<T>(o0, o1));
  rowU<T>(p + 12 * step, step, v128.neg<T>(e1), v128.neg<T>(o1));
}

// @ts-ignore: decorator
@inline function rowUScalar<T>(q: usize, step: usize, e: T, o: T): void {
  store<T>(q, e);
  store<T>(q + step, e + o);
  store<T>(q + 2 * step, e - o);
  store<T>(q + 3 * step, -o);
}

// @ts-ignore: decorator
@inline function winoU<T>(dy: usize, oh: i32, ow: i32, cs: i32, C: i32, t0: i32, nt: i32, tw: i32, u: usize, us: i32): void {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const step = <usize>us * size;
  const rowB = <usize>ow * size;
  const tEnd = t0 + nt;
  for (let c = 0; c < C; c++) {
    const plane = dy + <usize>c * <usize>cs * size;
    let uo = u + <usize>c * <usize>nt * size;
    let t = t0;
    while (t < tEnd) {
      const ty = t / tw;
      const tx = t % tw;
      const y0 = 2 * ty;
      const x0 = 2 * tx;
      const r0 = plane + <usize>y0 * rowB + <usize>x0 * size;
      if (ASC_FEATURE_SIMD) {
        // L whole tiles along x: one row pair of 2L values, split into even and odd columns.
        if (t + L <= tEnd && tx + L <= tw && x0 + 2 * L <= ow && y0 + 1 < oh) {
          const a0 = v128.load(r0);
          const a1 = v128.load(r0, 16);
          const b0 = v128.load(r0 + rowB);
          const b1 = v128.load(r0 + rowB, 16);
          if (sizeof<T>() == 4) {
            storeU<T>(uo, step, v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), v128.shuffle<f32>(a0, a1, 1, 3, 5, 7),
              v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), v128.shuffle<f32>(b0, b1, 1, 3, 5, 7));
          } else {
            storeU<T>(uo, step, v128.shuffle<f64>(a0, a1, 0, 2), v128.shuffle<f64>(a0, a1, 1, 3),
              v128.shuffle<f64>(b0, b1, 0, 2), v128.shuffle<f64>(b0, b1, 1, 3));
          }
          t += L;
          uo += <usize>L * size;
          continue;
        }
      }
      const right = x0 + 1 < ow;
      const down = y0 + 1 < oh;
      const y00 = load<T>(r0);
      const y01: T = right ? load<T>(r0 + size) : <T>0;
      const y10: T = down ? load<T>(r0 + rowB) : <T>0;
      const y11: T = right && down ? load<T>(r0 + rowB + size) : <T>0;
      rowUScalar<T>(uo, step, y00, y01);
      rowUScalar<T>(uo + 4 * step, step, y00 + y10, y01 + y11);
      rowUScalar<T>(uo + 8 * step, step, y00 - y10, y01 - y11);
      rowUScalar<T>(uo + 12 * step, step, -y10, -y11);
      t++;
      uo += size;
    }
  }
}

/** One row of Bᵀ·d·B from that row of Bᵀ·d (r0 … r3): the four outputs ξ = 4i … 4i + 3, ξ planes `step` apart. */
// @ts-ignore: decorator
@inline function rowV<T>(q: usize, step: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  v128.store(q, v128.sub<T>(r0, r2));
  v128.store(q + step, v128.add<T>(r1, r2));
  v128.store(q + 2 * step, v128.sub<T>(r2, r1));
  v128.store(q + 3 * step, v128.sub<T>(r1, r3));
}

/** Bᵀ·d·B of one 4×4 tile for one vector of channels at p (pixels pix bytes apart, rows row bytes apart). */
// @ts-ignore: decorator
@inline function storeV<T>(p: usize, row: usize, pix: usize, dst: usize, step: usize): void {
  // Column j of Bᵀ·d: aj = d0 − d2, bj = d1 + d2, cj = d2 − d1, ej = d1 − d3 (rows of the tile at column j).
  let c = p;
  let d0 = v128.load(c), d1 = v128.load(c + row), d2 = v128.load(c + 2 * row), d3 = v128.load(c + 3 * row);
  const a0 = v128.sub<T>(d0, d2), b0 = v128.add<T>(d1, d2), c0 = v128.sub<T>(d2, d1), e0 = v128.sub<T>(d1, d3);
  c += pix;
  d0 = v128.load(c); d1 = v128.load(c + row); d2 = v128.load(c + 2 * row); d3 = v128.load(c + 3 * row);
  const a1 = v128.sub<T>(d0, d2), b1 = v128.add<T>(d1, d2), c1 = v128.sub<T>(d2, d1), e1 = v128.sub<T>(d1, d3);
  c += pix;
  d0 = v128.load(c); d1 = v128.load(c + row); d2 = v128.load(c + 2 * row); d3 = v128.load(c + 3 * row);
  const a2 = v128.sub<T>(d0, d2), b2 = v128.add<T>(d1, d2), c2 = v128.sub<T>(d2, d1), e2 = v128.sub<T>(d1, d3);
  c += pix;
  d0 = v128.load(c); d1 = v128.load(c + row); d2 = v128.load(c + 2 * row); d3 = v128.load(c + 3 * row);
  const a3 = v128.sub<T>(d0, d2), b3 = v128.add<T>(d1, d2), c3 = v128.sub<T>(d2, d1), e3 = v128.sub<T>(d1, d3);
  rowV<T>(dst, step, a0, a1, a2, a3);
  rowV<T>(dst + 4 * step, step, b0, b1, b2, b3);
  rowV<T>(dst + 8 * step, step, c0, c1, c2, c3);
  rowV<T>(dst + 12 * step, step, e0, e1, e2, e3);
}

// @ts-ignore: decorator
@inline function winoV<T>(x: usize, pw: i32, C: i32, t0: i32, nt: i32, tw: i32, v: usize, nr: i32): void {
  const size = <usize>sizeof<T>();
  const panels = (C + nr - 1) / nr;
  const panelB = <usize>(nr + nt * nr) * size;
  const step = <usize>panels * panelB;
  const pix = <usize>C * size;
  const row = <usize>pw * pix;
  for (let xi = 0; xi < 16; xi++) {
    for (let q = 0; q < panels; q++) {
      const b = v + <usize>xi * step + <usize>q * panelB;
      for (let j = 0; j < nr; j++) store<T>(b + <usize>j * size, <T>0);
    }
  }
  for (let t = t0; t < t0 + nt; t++) {
    const base = x + <usize>(2 * (t / tw)) * row + <usize>(2 * (t % tw)) * pix;
    const tOff = <usize>(nr + (t - t0) * nr) * size;
    for (let q = 0; q < panels; q++) {
      const cb = base + <usize>(q * nr) * size;
      const dst = v + <usize>q * panelB + tOff;
      if (ASC_FEATURE_SIMD) {
        for (let h = 0; h < nr; h += lanes<T>()) storeV<T>(cb + <usize>h * size, row, pix, dst + <usize>h * size, step);
        continue;
      }
      for (let h = 0; h < nr; h++) {
        const p = cb + <usize>h * size;
        const o = dst + <usize>h * size;
        for (let j = 0; j < 4; j++) {
          const c = p + <usize>j * pix;
          const d0 = load<T>(c);
          const d1 = load<T>(c + row);
          const d2 = load<T>(c + 2 * row);
          const d3 = load<T>(c + 3 * row);
          store<T>(o + <usize>j * step, d0 - d2);
          store<T>(o + <usize>(4 + j) * step, d1 + d2);
          store<T>(o + <usize>(8 + j) * step, d2 - d1);
          store<T>(o + <usize>(12 + j) * step, d1 - d3);
        }
        for (let i = 0; i < 4; i++) {
          const q4 = o + <usize>(4 * i) * step;
          const r0 = load<T>(q4);
          const r1 = load<T>(q4 + step);
          const r2 = load<T>(q4 + 2 * step);
          const r3 = load<T>(q4 + 3 * step);
          store<T>(q4, r0 - r2);
          store<T>(q4 + step, r1 + r2);
          store<T>(q4 + 2 * step, r2 - r1);
          store<T>(q4 + 3 * step, r1 - r3);
        }
      }
    }
  }
}

/** Gᵀ·M·G, G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]], elementwise over n: rows through Gᵀ, then columns. */
// @ts-ignore: decorator
@inline function winoOut<T>(m: usize, ms: i32, n: i32, d: usize, ds: i32, flip: i32): void {
  const size = <usize>sizeof<T>();
  const mS = <usize>ms * size;
  const dS = <usize>ds * size;
  const L = ASC_FEATURE_SIMD ? lanes<T>() : 1;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const half = v128.splat<T>(<T>0.5);
    for (; i + L <= n; i += L) {
      const p = m + <usize>i * size;
      const q = d + <usize>i * size;
      // t = M·G (4 rows × 3), row r from M's row r: (m0 + (m1 + m2)/2, (m1 − m2)/2, (m1 + m2)/2 + m3).
      for (let b = 0; b < 3; b++) {
        // Column b of t for rows 0 … 3, then Gᵀ·(that column) gives dW[·][b].
        const t0 = colT<T>(p, mS, 0, b, half);
        const t1 = colT<T>(p, mS, 4, b, half);
        const t2 = colT<T>(p, mS, 8, b, half);
        const t3 = colT<T>(p, mS, 12, b, half);
        const s12 = v128.mul<T>(v128.add<T>(t1, t2), half);
        v128.store(q + <usize>(flip ? 8 - b : b) * dS, v128.add<T>(t0, s12));
        v128.store(q + <usize>(flip ? 5 - b : 3 + b) * dS, v128.mul<T>(v128.sub<T>(t1, t2), half));
        v128.store(q + <usize>(flip ? 2 - b : 6 + b) * dS, v128.add<T>(s12, t3));
      }
    }
  }
  for (; i < n; i++) {
    const p = m + <usize>i * size;
    const q = d + <usize>i * size;
    for (let b = 0; b < 3; b++) {
      const t0 = colTScalar<T>(p, mS, 0, b);
      const t1 = colTScalar<T>(p, mS, 4, b);
      const t2 = colTScalar<T>(p, mS, 8, b);
      const t3 = colTScalar<T>(p, mS, 12, b);
      const s12 = (t1 + t2) * <T>0.5;
      store<T>(q + <usize>(flip ? 8 - b : b) * dS, t0 + s12);
      store<T>(q + <usize>(flip ? 5 - b : 3 + b) * dS, (t1 - t2) * <T>0.5);
      store<T>(q + <usize>(flip ? 2 - b : 6 + b) * dS, s12 + t3);
    }
  }
}

/** Entry b of row r (= r4 / 4) of M·G, from M's row at planes r4 … r4 + 3. */
// @ts-ignore: decorator
@inline function colT<T>(p: usize, mS: usize, r4: i32, b: i32, half: v128): v128 {
  const m0 = v128.load(p + <usize>r4 * mS);
  const m1 = v128.load(p + <usize>(r4 + 1) * mS);
  const m2 = v128.load(p + <usize>(r4 + 2) * mS);
  const m3 = v128.load(p + <usize>(r4 + 3) * mS);
  if (b == 1) return v128.mul<T>(v128.sub<T>(m1, m2), half);
  const s = v128.mul<T>(v128.add<T>(m1, m2), half);
  return b == 0 ? v128.add<T>(m0, s) : v128.add<T>(s, m3);
}

// @ts-ignore: decorator
@inline function colTScalar<T>(p: usize, mS: usize, r4: i32, b: i32): T {
  const m1 = load<T>(p + <usize>(r4 + 1) * mS);
  const m2 = load<T>(p + <usize>(r4 + 2) * mS);
  if (b == 1) return (m1 - m2) * <T>0.5;
  const s = (m1 + m2) * <T>0.5;
  return b == 0 ? load<T>(p + <usize>r4 * mS) + s : s + load<T>(p + <usize>(r4 + 3) * mS);
}

/** Sum of the lanes of v. */
// @ts-ignore: decorator
@inline function hsum<T>(v: v128): T {
  if (sizeof<T>() == 4) {
    return <T>(v128.extract_lane<f32>(v, 0) + v128.extract_lane<f32>(v, 1) + v128.extract_lane<f32>(v, 2) + v128.extract_lane<f32>(v, 3));
  }
  return <T>(v128.extract_lane<f64>(v, 0) + v128.extract_lane<f64>(v, 1));
}

/** Σ over the od × oh × ow output of dy · x (x rows pw apart, planes ph rows apart): one tap of a depthwise dW. */
// @ts-ignore: decorator
@inline function dotPlanes<T>(x: usize, ph: i32, pw: i32, dy: usize, od: i32, oh: i32, ow: i32): T {
  const size = <usize>sizeof<T>();
  let s: T = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    // Two accumulators: independent chains hide the add latency.
    let acc0 = v128.splat<T>(0);
    let acc1 = acc0;
    for (let z = 0; z < od; z++) {
      for (let y = 0; y < oh; y++) {
        const xr = x + <usize>(z * ph + y) * <usize>pw * size;
        const dr = dy + <usize>(z * oh + y) * <usize>ow * size;
        let i = 0;
        for (; i + 2 * L <= ow; i += 2 * L) {
          const q = <usize>i * size;
          acc0 = madd<T>(acc0, v128.load(dr + q), v128.load(xr + q));
          acc1 = madd<T>(acc1, v128.load(dr + q, 16), v128.load(xr + q, 16));
        }
        for (; i + L <= ow; i += L) acc0 = madd<T>(acc0, v128.load(dr + <usize>i * size), v128.load(xr + <usize>i * size));
        for (; i < ow; i++) s += load<T>(dr + <usize>i * size) * load<T>(xr + <usize>i * size);
      }
    }
    return s + hsum<T>(v128.add<T>(acc0, acc1));
  }
  for (let z = 0; z < od; z++) {
    for (let y = 0; y < oh; y++) {
      const xr = x + <usize>(z * ph + y) * <usize>pw * size;
      const dr = dy + <usize>(z * oh + y) * <usize>ow * size;
      for (let i = 0; i < ow; i++) s += load<T>(dr + <usize>i * size) * load<T>(xr + <usize>i * size);
    }
  }
  return s;
}

// @ts-ignore: decorator
@inline function dwWeight<T>(
  x: usize, ph: i32, pw: i32, dy: usize, od: i32, oh: i32, ow: i32, kd: i32, kh: i32, kw: i32, dd: i32, dh: i32, dw: i32, out: usize,
): void {
  const size = <usize>sizeof<T>();
  let o = out;
  for (let a = 0; a < kd; a++) {
    for (let b = 0; b < kh; b++) {
      for (let e = 0; e < kw; e++) {
        const xt = x + (<usize>(a * dd * ph + b * dh) * <usize>pw + <usize>(e * dw)) * size;
        store<T>(o, load<T>(o) + dotPlanes<T>(xt, ph, pw, dy, od, oh, ow));
        o += size;
      }
    }
  }
}

export function grad_dw_weight_f32(
  x: usize, ph: i32, pw: i32, dy: usize, od: i32, oh: i32, ow: i32, kd: i32, kh: i32, kw: i32, dd: i32, dh: i32, dw: i32, out: usize,
): void {
  dwWeight<f32>(x, ph, pw, dy, od, oh, ow, kd, kh, kw, dd, dh, dw, out);
}

export function grad_dw_weight_f64(
  x: usize, ph: i32, pw: i32, dy: usize, od: i32, oh: i32, ow: i32, kd: i32, kh: i32, kw: i32, dd: i32, dh: i32, dw: i32, out: usize,
): void {
  dwWeight<f64>(x, ph, pw, dy, od, oh, ow, kd, kh, kw, dd, dh, dw, out);
}

export function grad_wino_out_f32(m: usize, ms: i32, n: i32, d: usize, ds: i32, flip: i32): void {
  winoOut<f32>(m, ms, n, d, ds, flip);
}

export function grad_wino_out_f64(m: usize, ms: i32, n: i32, d: usize, ds: i32, flip: i32): void {
  winoOut<f64>(m, ms, n, d, ds, flip);
}

export function grad_wino_u_f32(dy: usize, oh: i32, ow: i32, cs: i32, C: i32, t0: i32, nt: i32, tw: i32, u: usize, us: i32): void {
  winoU<f32>(dy, oh, ow, cs, C, t0, nt, tw, u, us);
}

export function grad_wino_u_f64(dy: usize, oh: i32, ow: i32, cs: i32, C: i32, t0: i32, nt: i32, tw: i32, u: usize, us: i32): void {
  winoU<f64>(dy, oh, ow, cs, C, t0, nt, tw, u, us);
}

export function grad_wino_v_f32(x: usize, pw: i32, C: i32, t0: i32, nt: i32, tw: i32, v: usize, nr: i32): void {
  winoV<f32>(x, pw, C, t0, nt, tw, v, nr);
}

export function grad_wino_v_f64(x: usize, pw: i32, C: i32, t0: i32, nt: i32, tw: i32, v: usize, nr: i32): void {
  winoV<f64>(x, pw, C, t0, nt, tw, v, nr);
}
