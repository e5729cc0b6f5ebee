// Winograd F(2×2, 3×3) convolution (Lavin & Gray 2015), channels-last, 3×3 kernel, stride 1, dilation 1, one group:
//   out tile (2×2) = Aᵀ [ Σ_ci U(co, ci) ⊙ V(tile, ci) ] A,   U = G g Gᵀ,   V = Bᵀ d B   (d: the 4×4 input tile)
//   i.e. 16 GEMMs  M_ξ[tile, co] = Σ_ci V_ξ[tile, ci] · U_ξ[ci, co],  ξ = 0…15,
// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1 −1].
// 16 multiply-adds per tile and channel pair instead of 36 (2.25× fewer). Tiles run in blocks so that V and M stay
// in cache; each product is the packed GEMM of gemm_core.ts (U packed with zero bias; the bias is added in the
// output transform). Channels sit in SIMD lanes in the transforms, with a scalar tail.
import { gemm } from './gemm';
import { gemmRows } from './gemm_core';
import { lanes } from './simd';

/** V[ξ][t][c] for the tiles t0 … t0 + nt − 1 (row-major over a grid tw tiles wide). Strides in bytes. */
// @ts-ignore: decorator
@inline function inputTransform<T>(x: usize, pw: i32, C: i32, tw: i32, t0: i32, nt: i32, v: usize, vS: usize): void {
  const size = <usize>sizeof<T>();
  const sW = <usize>C * size;
  const sH = <usize>pw * sW;
  for (let t = 0; t < nt; t++) {
    const ty = (t0 + t) / tw;
    const tx = (t0 + t) % tw;
    const base = x + <usize>(2 * ty) * sH + <usize>(2 * tx) * sW;
    const vt = v + <usize>t * sW;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + lanes<T>() <= C; c += lanes<T>()) {
        const r0 = base + <usize>c * size;
        const r1 = r0 + sH, r2 = r0 + 2 * sH, r3 = r0 + 3 * sH;
        const q = vt + <usize>c * size;
        // h_r = (d B)[r][j] for each column j, then the rows of Bᵀ combine them.
        let h0 = v128.sub<T>(v128.load(r0), v128.load(r0 + 2 * sW));
        let h1 = v128.sub<T>(v128.load(r1), v128.load(r1 + 2 * sW));
        let h2 = v128.sub<T>(v128.load(r2), v128.load(r2 + 2 * sW));
        let h3 = v128.sub<T>(v128.load(r3), v128.load(r3 + 2 * sW));
        v128.store(q, v128.sub<T>(h0, h2));
        v128.store(q + 4 * vS, v128.add<T>(h1, h2));
        v128.store(q + 8 * vS, v128.sub<T>(h2, h1));
        v128.store(q + 12 * vS, v128.sub<T>(h1, h3));
        h0 = v128.add<T>(v128.load(r0 + sW), v128.load(r0 + 2 * sW));
        h1 = v128.add<T>(v128.load(r1 + sW), v128.load(r1 + 2 * sW));
        h2 = v128.add<T>(v128.load(r2 + sW), v128.load(r2 + 2 * sW));
        h3 = v128.add<T>(v128.load(r3 + sW), v128.load(r3 + 2 * sW));
        v128.store(q + vS, v128.sub<T>(h0, h2));
        v128.store(q + 5 * vS, v128.add<T>(h1, h2));
        v128.store(q + 9 * vS, v128.sub<T>(h2, h1));
        v128.store(q + 13 * vS, v128.sub<T>(h1, h3));
        h0 = v128.sub<T>(v128.load(r0 + 2 * sW), v128.load(r0 + sW));
        h1 = v128.sub<T>(v128.load(r1 + 2 * sW), v128.load(r1 + sW));
        h2 = v128.sub<T>(v128.load(r2 + 2 * sW), v128.load(r2 + sW));
        h3 = v128.sub<T>(v128.load(r3 + 2 * sW), v128.load(r3 + sW));
        v128.store(q + 2 * vS, v128.sub<T>(h0, h2));
        v128.store(q + 6 * vS, v128.add<T>(h1, h2));
        v128.store(q + 10 * vS, v128.sub<T>(h2, h1));
        v128.store(q + 14 * vS, v128.sub<T>(h1, h3));
        h0 = v128.sub<T>(v128.load(r0 + sW), v128.load(r0 + 3 * sW));
        h1 = v128.sub<T>(v128.load(r1 + sW), v128.load(r1 + 3 * sW));
        h2 = v128.sub<T>(v128.load(r2 + sW), v128.load(r2 + 3 * sW));
        h3 = v128.sub<T>(v128.load(r3 + sW), v128.load(r3 + 3 * sW));
        v128.store(q + 3 * vS, v128.sub<T>(h0, h2));
        v128.store(q + 7 * vS, v128.add<T>(h1, h2));
        v128.store(q + 11 * vS, v128.sub<T>(h2, h1));
        v128.store(q + 15 * vS, v128.sub<T>(h1, h3));
      }
    }
    for (; c < C; c++) {
      const r0 = base + <usize>c * size;
      const q = vt + <usize>c * size;
      for (let j = 0; j < 4; j++) {
        const h0 = rowB<T>(r0, sW, j);
        const h1 = rowB<T>(r0 + sH, sW, j);
        const h2 = rowB<T>(r0 + 2 * sH, sW, j);
        const h3 = rowB<T>(r0 + 3 * sH, sW, j);
        const qj = q + <usize>j * vS;
        store<T>(qj, h0 - h2);
        store<T>(qj + 4 * vS, h1 + h2);
        store<T>(qj + 8 * vS, h2 - h1);
        store<T>(qj + 12 * vS, h1 - h3);
      }
    }
  }
}

/** (d B)[j] of one 4-pixel row d (scalars, pixel stride sW). */
// @ts-ignore: decorator
@inline function rowB<T>(r: usize, sW: usize, j: i32): T {
  if (j == 0) return load<T>(r) - load<T>(r + 2 * sW);
  if (j == 1) return load<T>(r + sW) + load<T>(r + 2 * sW);
  if (j == 2) return load<T>(r + 2 * sW) - load<T>(r + sW);
  return load<T>(r + sW) - load<T>(r + 3 * sW);
}

/** out 2×2 per tile = Aᵀ M A + bias, clipped to oh × ow. M[ξ][t][co]; out [oh, ow, Cout]. Strides in bytes. */
// @ts-ignore: decorator
@inline function outputTransform<T>(
  m: usize, mS: usize, Cout: i32, tw: i32, t0: i32, nt: i32, bias: usize, hasBias: i32, out: usize, oh: i32, ow: i32,
): void {
  const size = <usize>sizeof<T>();
  const sW = <usize>Cout * size;
  const sH = <usize>ow * sW;
  for (let t = 0; t < nt; t++) {
    const ty = (t0 + t) / tw;
    const tx = (t0 + t) % tw;
    const y0 = 2 * ty;
    const x0 = 2 * tx;
    const down = y0 + 1 < oh;
    const right = x0 + 1 < ow;
    const o = out + <usize>y0 * sH + <usize>x0 * sW;
    const mt = m + <usize>t * sW;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + lanes<T>() <= Cout; c += lanes<T>()) {
        const p = mt + <usize>c * size;
        const b = hasBias ? v128.load(bias + <usize>c * size) : v128.splat<T>(<T>0);
        // s_a[j] = (Aᵀ M)[a][j] for a = 0, 1, column by column.
        let m0 = v128.load(p), m1 = v128.load(p + 4 * mS), m2 = v128.load(p + 8 * mS), m3 = v128.load(p + 12 * mS);
        const s00 = v128.add<T>(v128.add<T>(m0, m1), m2);
        const s10 = v128.sub<T>(v128.sub<T>(m1, m2), m3);
        m0 = v128.load(p + mS); m1 = v128.load(p + 5 * mS); m2 = v128.load(p + 9 * mS); m3 = v128.load(p + 13 * mS);
        const s01 = v128.add<T>(v128.add<T>(m0, m1), m2);
        const s11 = v128.sub<T>(v128.sub<T>(m1, m2), m3);
        m0 = v128.load(p + 2 * mS); m1 = v128.load(p + 6 * mS); m2 = v128.load(p + 10 * mS); m3 = v128.load(p + 14 * mS);
        const s02 = v128.add<T>(v128.add<T>(m0, m1), m2);
        const s12 = v128.sub<T>(v128.sub<T>(m1, m2), m3);
        m0 = v128.load(p + 3 * mS); m1 = v128.load(p + 7 * mS); m2 = v128.load(p + 11 * mS); m3 = v128.load(p + 15 * mS);
        const s03 = v128.add<T>(v128.add<T>(m0, m1), m2);
        const s13 = v128.sub<T>(v128.sub<T>(m1, m2), m3);
        const oc = o + <usize>c * size;
        v128.store(oc, v128.add<T>(b, v128.add<T>(v128.add<T>(s00, s01), s02)));
        if (right) v128.store(oc + sW, v128.add<T>(b, v128.sub<T>(v128.sub<T>(s01, s02), s03)));
        if (down) {
          v128.store(oc + sH, v128.add<T>(b, v128.add<T>(v128.add<T>(s10, s11), s12)));
          if (right) v128.store(oc + sH + sW, v128.add<T>(b, v128.sub<T>(v128.sub<T>(s11, s12), s13)));
        }
      }
    }
    for (; c < Cout; c++) {
      const p = mt + <usize>c * size;
      const b: T = hasBias ? load<T>(bias + <usize>c * size) : <T>0;
      const s00 = colA0<T>(p, mS, 0), s01 = colA0<T>(p, mS, 1), s02 = colA0<T>(p, mS, 2), s03 = colA0<T>(p, mS, 3);
      const s10 = colA1<T>(p, mS, 0), s11 = colA1<T>(p, mS, 1), s12 = colA1<T>(p, mS, 2), s13 = colA1<T>(p, mS, 3);
      const oc = o + <usize>c * size;
      store<T>(oc, b + (s00 + s01 + s02));
      if (right) store<T>(oc + sW, b + (s01 - s02 - s03));
      if (down) {
        store<T>(oc + sH, b + (s10 + s11 + s12));
        if (right) store<T>(oc + sH + sW, b + (s11 - s12 - s13));
      }
    }
  }
}

/** (Aᵀ M)[0][j] = m0j + m1j + m2j (scalars). */
// @ts-ignore: decorator
@inline function colA0<T>(p: usize, mS: usize, j: i32): T {
  const q = p + <usize>j * mS;
  return load<T>(q) + load<T>(q + 4 * mS) + load<T>(q + 8 * mS);
}

/** (Aᵀ M)[1][j] = m1j − m2j − m3j (scalars). */
// @ts-ignore: decorator
@inline function colA1<T>(p: usize, mS: usize, j: i32): T {
  const q = p + <usize>j * mS;
  return load<T>(q + 4 * mS) - load<T>(q + 8 * mS) - load<T>(q + 12 * mS);
}

/** The 16 values of a vector of output channels from its 9 taps g (G g Gᵀ), stored at d in the 16 sets. */
// @ts-ignore: decorator
@inline function storeU<T>(d: usize, uS: usize, g0: v128, g1: v128, g2: v128, g3: v128, g4: v128, g5: v128, g6: v128, g7: v128, g8: v128): void {
  const vh = v128.splat<T>(<T>0.5);
  const t10 = v128.mul<T>(vh, v128.add<T>(v128.add<T>(g0, g3), g6));
  const t11 = v128.mul<T>(vh, v128.add<T>(v128.add<T>(g1, g4), g7));
  const t12 = v128.mul<T>(vh, v128.add<T>(v128.add<T>(g2, g5), g8));
  const t20 = v128.mul<T>(vh, v128.add<T>(v128.sub<T>(g0, g3), g6));
  const t21 = v128.mul<T>(vh, v128.add<T>(v128.sub<T>(g1, g4), g7));
  const t22 = v128.mul<T>(vh, v128.add<T>(v128.sub<T>(g2, g5), g8));
  storeRowGV<T>(d, uS, 0, vh, g0, g1, g2);
  storeRowGV<T>(d, uS, 1, vh, t10, t11, t12);
  storeRowGV<T>(d, uS, 2, vh, t20, t21, t22);
  storeRowGV<T>(d, uS, 3, vh, g6, g7, g8);
}

/**
 * winogradWeights' step for output channels contiguous (coS = 1): a vector of channels co … for input channel ci,
 * each tap one load.
 */
// @ts-ignore: decorator
@inline function clBlock<T>(src: usize, co: i32, ci: i32, ciS: i32, tapB: usize, flip: i32, dst: usize, panel: i32, NR: i32, uS: usize): void {
  const size = <usize>sizeof<T>();
  const sp = src + <usize>(co + ci * ciS) * size;
  storeU<T>(dst + <usize>((co / NR) * panel + NR + ci * NR + co % NR) * size, uS,
    vtap(sp, tapB, flip, 0), vtap(sp, tapB, flip, 1), vtap(sp, tapB, flip, 2), vtap(sp, tapB, flip, 3), vtap(sp, tapB, flip, 4),
    vtap(sp, tapB, flip, 5), vtap(sp, tapB, flip, 6), vtap(sp, tapB, flip, 7), vtap(sp, tapB, flip, 8));
}

/**
 * winogradWeights' channels-first float32 step: the 16 values of four output channels co … co + 3 for input channel
 * ci (taps contiguous), loaded as two vectors a row and transposed in registers, tap 8 gathered.
 */
// @ts-ignore: decorator
@inline function cfBlock4<T>(src: usize, co: i32, ci: i32, coS: i32, ciS: i32, flip: i32, dst: usize, panel: i32, NR: i32, uS: usize): void {
  const size = <usize>sizeof<T>();
  const coB = <usize>coS * size;
  const s0 = src + <usize>(co * coS + ci * ciS) * size;
  const s1 = s0 + coB, s2 = s1 + coB, s3 = s2 + coB;
  let r0 = v128.load(s0), r1 = v128.load(s1), r2 = v128.load(s2), r3 = v128.load(s3);
  let lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  let hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  let g0 = v128.shuffle<f64>(lo01, lo23, 0, 2), g1 = v128.shuffle<f64>(lo01, lo23, 1, 3);
  let g2 = v128.shuffle<f64>(hi01, hi23, 0, 2), g3 = v128.shuffle<f64>(hi01, hi23, 1, 3);
  r0 = v128.load(s0, 16); r1 = v128.load(s1, 16); r2 = v128.load(s2, 16); r3 = v128.load(s3, 16);
  lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5); lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7); hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  let g4 = v128.shuffle<f64>(lo01, lo23, 0, 2), g5 = v128.shuffle<f64>(lo01, lo23, 1, 3);
  let g6 = v128.shuffle<f64>(hi01, hi23, 0, 2), g7 = v128.shuffle<f64>(hi01, hi23, 1, 3);
  let g8 = v128.replace_lane<f32>(v128.replace_lane<f32>(v128.replace_lane<f32>(v128.splat<f32>(load<f32>(s0, 32)),
    1, load<f32>(s1, 32)), 2, load<f32>(s2, 32)), 3, load<f32>(s3, 32));
  if (flip) {
    let t = g0; g0 = g8; g8 = t;
    t = g1; g1 = g7; g7 = t;
    t = g2; g2 = g6; g6 = t;
    t = g3; g3 = g5; g5 = t;
  }
  storeU<T>(dst + <usize>((co / NR) * panel + NR + ci * NR + co % NR) * size, uS, g0, g1, g2, g3, g4, g5, g6, g7, g8);
}

/**
 * U_ξ = (G g Gᵀ)[ξ] for every (co, ci), packed as 16 GEMM weight sets of panels [zero bias NR][C × NR].
 * g(ky, kx) = w at src + co·coS + ci·ciS + tap·tapS, tap = 3·ky + kx (8 − tap with flip).
 */
// @ts-ignore: decorator
@inline function winogradWeights<T>(src: usize, coS: i32, ciS: i32, tapS: i32, C: i32, Cout: i32, flip: i32, dst: usize, planeStride: i32): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  const panel = NR + C * NR;
  // The 16 planes are `planeStride` elements apart (0: packed, as many panels as Cout needs): a caller that splits the
  // output channels (threads) passes the whole layer's stride and the panels of its channels.
  const own = <usize>((Cout + NR - 1) / NR * panel) * size;
  const uS = planeStride ? <usize>planeStride * size : own;
  // Zeros where no weight goes: each panel's bias slot (NR), and the whole last panel when Cout leaves part of it
  // empty (the transform below writes everything else; zeroing all 16 planes first cost a pass of its own).
  const panels = (Cout + NR - 1) / NR;
  const panelB = <usize>panel * size;
  for (let p = 0; p < 16; p++) {
    const d = dst + <usize>p * uS;
    for (let q = 0; q < panels; q++) memory.fill(d + <usize>q * panelB, 0, <usize>NR * size);
    if (Cout % NR) memory.fill(d + <usize>(panels - 1) * panelB, 0, panelB);
  }
  const half: T = <T>0.5;
  let co0 = 0;
  if (ASC_FEATURE_SIMD) {
    if (coS == 1) {
      // Output channels contiguous (channels-last, or channels-first transposed by the caller): the same arithmetic
      // on a vector of output channels per (ci, tap), stored as one vector in each of the 16 sets (lanes divides NR,
      // so a vector never straddles two panels). The 9 taps are 9 sequential streams, not 9 scattered loads a value.
      const L = lanes<T>();
      const tapB = <usize>tapS * size;
      for (let ci = 0; ci < C; ci++) {
        for (let co = 0; co + L <= Cout; co += L) clBlock<T>(src, co, ci, ciS, tapB, flip, dst, panel, NR, uS);
      }
      co0 = Cout - Cout % L;
    } else if (tapS == 1 && sizeof<T>() == 4) {
      // Channels-first float32: each (co, ci) has its 9 taps contiguous (cfBlock4 transposes four channels' rows in
      // registers). Output channels outermost, a panel (two blocks of four) at a time: each input channel's values
      // then land next to the last one's in all 16 sets (ci outermost wrote every panel of the 16 sets per step:
      // 1.2× slower on 512 × 512 channels).
      let co = 0;
      for (; co + 8 <= Cout; co += 8) {
        for (let ci = 0; ci < C; ci++) {
          cfBlock4<T>(src, co, ci, coS, ciS, flip, dst, panel, NR, uS);
          cfBlock4<T>(src, co + 4, ci, coS, ciS, flip, dst, panel, NR, uS);
        }
      }
      for (; co + 4 <= Cout; co += 4) {
        for (let ci = 0; ci < C; ci++) cfBlock4<T>(src, co, ci, coS, ciS, flip, dst, panel, NR, uS);
      }
      co0 = Cout - Cout % 4;
    }
  }
  for (let co = co0; co < Cout; co++) {
    for (let ci = 0; ci < C; ci++) {
      const s = src + <usize>(co * coS + ci * ciS) * size;
      // t = G g (4 × 3), one column k at a time.
      const t00 = tapAt<T>(s, tapS, flip, 0), t01 = tapAt<T>(s, tapS, flip, 1), t02 = tapAt<T>(s, tapS, flip, 2);
      const t30 = tapAt<T>(s, tapS, flip, 6), t31 = tapAt<T>(s, tapS, flip, 7), t32 = tapAt<T>(s, tapS, flip, 8);
      const t10 = half * (t00 + tapAt<T>(s, tapS, flip, 3) + t30), t11 = half * (t01 + tapAt<T>(s, tapS, flip, 4) + t31), t12 = half * (t02 + tapAt<T>(s, tapS, flip, 5) + t32);
      const t20 = half * (t00 - tapAt<T>(s, tapS, flip, 3) + t30), t21 = half * (t01 - tapAt<T>(s, tapS, flip, 4) + t31), t22 = half * (t02 - tapAt<T>(s, tapS, flip, 5) + t32);
      const d = dst + <usize>((co / NR) * panel + NR + ci * NR + co % NR) * size;
      storeRowG<T>(d, uS, 0, t00, t01, t02);
      storeRowG<T>(d, uS, 1, t10, t11, t12);
      storeRowG<T>(d, uS, 2, t20, t21, t22);
      storeRowG<T>(d, uS, 3, t30, t31, t32);
    }
  }
}

/** A vector of kernel values at tap (3·ky + kx) (reversed with flip) for consecutive output channels. */
// @ts-ignore: decorator
@inline function vtap(sp: usize, tapB: usize, flip: i32, tap: i32): v128 {
  return v128.load(sp + <usize>(flip ? 8 - tap : tap) * tapB);
}

/** storeRowG on vectors of output channels: the same operations lane by lane (the same bits). */
// @ts-ignore: decorator
@inline function storeRowGV<T>(d: usize, uS: usize, i: i32, vh: v128, a: v128, b: v128, c: v128): void {
  const p = d + <usize>(4 * i) * uS;
  v128.store(p, a);
  v128.store(p + uS, v128.mul<T>(vh, v128.add<T>(v128.add<T>(a, b), c)));
  v128.store(p + 2 * uS, v128.mul<T>(vh, v128.add<T>(v128.sub<T>(a, b), c)));
  v128.store(p + 3 * uS, c);
}

/** Kernel value at tap (3·ky + kx), reversed with flip. */
// @ts-ignore: decorator
@inline function tapAt<T>(s: usize, tapS: i32, flip: i32, tap: i32): T {
  return load<T>(s + <usize>((flip ? 8 - tap : tap) * tapS) * sizeof<T>());
}

/** Row i of U = t Gᵀ into the packed sets ξ = 4i … 4i + 3. */
// @ts-ignore: decorator
@inline function storeRowG<T>(d: usize, uS: usize, i: i32, a: T, b: T, c: T): void {
  const half: T = <T>0.5;
  const p = d + <usize>(4 * i) * uS;
  store<T>(p, a);
  store<T>(p + uS, half * (a + b + c));
  store<T>(p + 2 * uS, half * (a - b + c));
  store<T>(p + 3 * uS, c);
}

/**
 * One image: x padded [ph, pw, C] with ph ≥ 2·th + 2 and pw ≥ 2·tw + 2 (th × tw tiles cover oh × ow); u from
 * winogradWeights; out [oh, ow, Cout]. v and m hold 16 × tileBlock × C and 16 × tileBlock × Cout elements.
 */
// @ts-ignore: decorator
@inline function winograd<T>(
  x: usize, pw: i32, C: i32, th: i32, tw: i32, oh: i32, ow: i32, u: usize, Cout: i32, bias: usize, hasBias: i32,
  out: usize, v: usize, m: usize, tileBlock: i32,
): void {
  const size = <usize>sizeof<T>();
  const NR = 2 * lanes<T>();
  const uS = <usize>((Cout + NR - 1) / NR * (NR + C * NR)) * size;
  const tiles = th * tw;
  for (let t0 = 0; t0 < tiles; t0 += tileBlock) {
    const nt = min(tileBlock, tiles - t0);
    const vS = <usize>(nt * C) * size;
    const mS = <usize>(nt * Cout) * size;
    inputTransform<T>(x, pw, C, tw, t0, nt, v, vS);
    for (let k = 0; k < 16; k++) {
      // float32 inlines its own copy of the GEMM (called, 64-channel layers at 56² ran 3–4 % slower); float64 calls.
      if (sizeof<T>() == 4) gemmRows<T>(nt, Cout, C, v + <usize>k * vS, C, u + <usize>k * uS, m + <usize>k * mS, Cout);
      else gemm<T>(nt, Cout, C, v + <usize>k * vS, C, u + <usize>k * uS, m + <usize>k * mS, Cout);
    }
    outputTransform<T>(m, mS, Cout, tw, t0, nt, bias, hasBias, out, oh, ow);
  }
}

export function winograd_weights_f32(src: usize, coS: i32, ciS: i32, tapS: i32, C: i32, Cout: i32, flip: i32, dst: usize, planeStride: i32): void {
  winogradWeights<f32>(src, coS, ciS, tapS, C, Cout, flip, dst, planeStride);
}

export function winograd_weights_f64(src: usize, coS: i32, ciS: i32, tapS: i32, C: i32, Cout: i32, flip: i32, dst: usize, planeStride: i32): void {
  winogradWeights<f64>(src, coS, ciS, tapS, C, Cout, flip, dst, planeStride);
}

export function winograd_f32(
  x: usize, pw: i32, C: i32, th: i32, tw: i32, oh: i32, ow: i32, u: usize, Cout: i32, bias: usize, hasBias: i32,
  out: usize, v: usize, m: usize, tileBlock: i32,
): void {
  winograd<f32>(x, pw, C, th, tw, oh, ow, u, Cout, bias, hasBias, out, v, m, tileBlock);
}

export function winograd_f64(
  x: usize, pw: i32, C: i32, th: i32, tw: i32, oh: i32, ow: i32, u: usize, Cout: i32, bias: usize, hasBias: i32,
  out: usize, v: usize, m: usize, tileBlock: i32,
): void {
  winograd<f64>(x, pw, C, th, tw, oh, ow, u, Cout, bias, hasBias, out, v, m, tileBlock);
}
