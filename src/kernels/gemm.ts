// Convolution-layer kernels, the JS twins of assembly/gemm.ts (+ gemm_core.ts), dwconv.ts, transpose.ts, boundary.ts,
// winograd.ts and direct3.ts:
//   gemm:      C[i, j] = bias[j] + Σ_k A[i, k] · B[k, j]               (B packed in panels of `nr` columns)
//   convGemm:  out[p, co] = bias[co] + Σ_{tap, ci} xpad[p·s + tap·d, cOff + ci] · w[tap, ci, co]   (im2col tiles)
//   dwconv:    out[p, c] = bias[c] + Σ_tap xpad[p·s + tap·d, c] · w[tap, c]
//   transpose: dst[j·ldd + i] = src[i·lds + j]
//   padPlanes: channels-first planes padded through an extension (src/boundary.ts)
//   packGemm:  the weight panels below, from either layout (strided source)
//   winograd:  F(2×2, 3×3) for 3×3 kernels at stride 1 (16 GEMMs between input and output transforms)
//   direct3:   out[p, co] = bias[co] + Σ_{b, e < 3, c < 3} xpad[(y·sh + b)·wp + x·sw + e, c] · w[(b·3 + e)·3 + c, co]
//              (3×3 kernels on 3 channels, GEMM-packed weights, no im2col: assembly/direct3.ts)
// The wasm convGemm also reads A in place (no im2col) when a row's taps are contiguous (1-D, 1 × k kernels).
// Packed GEMM weights: per panel of nr output columns, [bias nr][K × nr], zeros past the last column; nr = 8 for
// float32 and 4 for float64 (two SIMD vectors, see panelWidth). Every offset and stride is in elements of `mem`.
import type { DType, Float } from '../arrays';
import { EXTENSIONS, sourceIndex } from '../boundary';
import { js as corrJs } from './corr';

/** Columns per packed weight panel: two v128 vectors of the dtype. */
export function panelWidth(dtype: DType): number {
  return dtype === 'float32' ? 8 : 4;
}

export interface Family {
  gemm(mem: Float, M: number, N: number, K: number, a: number, lda: number, w: number, c: number, ldc: number, nr: number): void;
  gemmT(mem: Float, M: number, N: number, K: number, a: number, lda: number, ia: number, w: number, c: number, ldc: number, nr: number): void;
  convGemm(
    mem: Float, x: number, hp: number, wp: number, C: number, cOff: number, cinG: number, kd: number, kh: number, kw: number,
    sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, od: number, oh: number, ow: number,
    w: number, coutG: number, out: number, ldo: number, col: number, tileRows: number, nr: number,
  ): void;
  dwconv(
    mem: Float, x: number, hp: number, wp: number, C: number, kd: number, kh: number, kw: number,
    sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, od: number, oh: number, ow: number,
    w: number, out: number,
  ): void;
  transpose(mem: Float, src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void;
  packGemm(
    mem: Float, src: number, coS: number, ciS: number, tapS: number, cinG: number, taps: number, coutG: number,
    flip: number, bias: number, hasBias: number, dst: number, nr: number,
  ): void;
  padPlanes(mem: Float, src: number, P: number, h: number, w: number, dst: number, ph: number, pw: number, pbH: number, pbW: number, mode: number): void;
  winogradWeights(
    mem: Float, src: number, coS: number, ciS: number, tapS: number, C: number, Cout: number, flip: number, dst: number, planeStride: number, nr: number,
  ): void;
  winograd(
    mem: Float, x: number, pw: number, C: number, th: number, tw: number, oh: number, ow: number, u: number, Cout: number,
    bias: number, hasBias: number, out: number, v: number, m: number, tileBlock: number, nr: number,
  ): void;
  direct3(mem: Float, x: number, wp: number, sh: number, sw: number, oh: number, ow: number, w: number, Cout: number, out: number, ldo: number, nr: number): void;
  dwPlanes(
    mem: Float, x: number, P: number, C: number, c0: number, H: number, W: number, ph: number, pw: number, pbH: number,
    pbW: number, mode: number, h: number, kh: number, kw: number, bias: number, hasBias: number, out: number, oh: number,
    ow: number, tmp: number, pad: number, stride: number,
  ): void;
}

function gemm(mem: Float, M: number, N: number, K: number, a: number, lda: number, w: number, c: number, ldc: number, nr: number): void {
  const panel = nr + K * nr;
  for (let i = 0; i < M; i++) {
    const ar = a + i * lda;
    const cr = c + i * ldc;
    for (let j = 0; j < N; j++) {
      const wp = w + Math.floor(j / nr) * panel + (j % nr);
      let s = mem[wp];
      for (let k = 0; k < K; k++) s += mem[ar + k] * mem[wp + (k + 1) * nr];
      mem[cr + j] = s;
    }
  }
}

/** gemm with A and C transposed: A[i, k] at a + k·lda + i·ia, C[i, j] at c + j·ldc + i. */
function gemmT(mem: Float, M: number, N: number, K: number, a: number, lda: number, ia: number, w: number, c: number, ldc: number, nr: number): void {
  const panel = nr + K * nr;
  for (let j = 0; j < N; j++) {
    const wp = w + Math.floor(j / nr) * panel + (j % nr);
    const cr = c + j * ldc;
    for (let i = 0; i < M; i++) {
      let s = mem[wp];
      for (let k = 0; k < K; k++) s += mem[a + k * lda + i * ia] * mem[wp + (k + 1) * nr];
      mem[cr + i] = s;
    }
  }
}

function convGemm(
  mem: Float, x: number, hp: number, wp: number, C: number, cOff: number, cinG: number, kd: number, kh: number, kw: number,
  sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, od: number, oh: number, ow: number,
  w: number, coutG: number, out: number, ldo: number, col: number, tileRows: number, nr: number,
): void {
  const K = kd * kh * kw * cinG;
  const P = od * oh * ow;
  const sW = C;
  const sH = wp * sW;
  const sD = hp * sH;
  for (let p0 = 0; p0 < P; p0 += tileRows) {
    const rows = Math.min(tileRows, P - p0);
    // im2col: row r of the tile lists, tap by tap, the cinG channels that output pixel p0 + r multiplies.
    let dst = col;
    for (let p = p0; p < p0 + rows; p++) {
      const z = Math.floor(p / (oh * ow));
      const y = Math.floor(p / ow) % oh;
      const xx = p % ow;
      for (let a = 0; a < kd; a++) {
        for (let b = 0; b < kh; b++) {
          for (let e = 0; e < kw; e++) {
            const src = x + (z * sd + a * dd) * sD + (y * sh + b * dh) * sH + (xx * sw + e * dw) * sW + cOff;
            for (let ci = 0; ci < cinG; ci++) mem[dst++] = mem[src + ci];
          }
        }
      }
    }
    gemm(mem, rows, coutG, K, col, K, w, out + p0 * ldo, ldo, nr);
  }
}

function dwconv(
  mem: Float, x: number, hp: number, wp: number, C: number, kd: number, kh: number, kw: number,
  sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, od: number, oh: number, ow: number,
  w: number, out: number,
): void {
  const sH = wp * C;
  const sD = hp * sH;
  for (let z = 0; z < od; z++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        const o = out + ((z * oh + y) * ow + xx) * C;
        for (let c = 0; c < C; c++) {
          let s = mem[w + c];
          let tap = 1;
          for (let a = 0; a < kd; a++) {
            for (let b = 0; b < kh; b++) {
              for (let e = 0; e < kw; e++, tap++) {
                s += mem[x + (z * sd + a * dd) * sD + (y * sh + b * dh) * sH + (xx * sw + e * dw) * C + c] * mem[w + tap * C + c];
              }
            }
          }
          mem[o + c] = s;
        }
      }
    }
  }
}

function transpose(mem: Float, src: number, rows: number, cols: number, lds: number, dst: number, ldd: number): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) mem[dst + j * ldd + i] = mem[src + i * lds + j];
  }
}

/**
 * dst[p, y, x] = src[p, s(y − pbH), s(x − pbW)] for P planes [h, w] padded to [ph, pw], s the source index of the
 * extension whose code is `mode` (src/boundary.ts EXTENSION_CODE; zeros where s = −1, the constant).
 */
function padPlanes(mem: Float, src: number, P: number, h: number, w: number, dst: number, ph: number, pw: number, pbH: number, pbW: number, mode: number): void {
  const ext = EXTENSIONS[mode];
  for (let p = 0; p < P; p++) {
    for (let y = 0; y < ph; y++) {
      const sy = sourceIndex(y - pbH, h, ext);
      for (let x = 0; x < pw; x++) {
        const sx = sourceIndex(x - pbW, w, ext);
        mem[dst + (p * ph + y) * pw + x] = sy < 0 || sx < 0 ? 0 : mem[src + (p * h + sy) * w + sx];
      }
    }
  }
}

/**
 * One group's GEMM weights: panels of nr output channels, [bias nr][K × nr] with row k = tap·cinG + ci, zeros past
 * coutG. Source element (co, ci, tap) is at src + co·coS + ci·ciS + tap·tapS (either layout); flip reverses the taps.
 */
function packGemm(
  mem: Float, src: number, coS: number, ciS: number, tapS: number, cinG: number, taps: number, coutG: number,
  flip: number, bias: number, hasBias: number, dst: number, nr: number,
): void {
  let d = dst;
  for (let c0 = 0; c0 < coutG; c0 += nr) {
    for (let r = 0; r < nr; r++) mem[d++] = hasBias && c0 + r < coutG ? mem[bias + c0 + r] : 0;
    for (let t = 0; t < taps; t++) {
      const tt = flip ? taps - 1 - t : t;
      for (let ci = 0; ci < cinG; ci++) {
        for (let r = 0; r < nr; r++) mem[d++] = c0 + r < coutG ? mem[src + (c0 + r) * coS + ci * ciS + tt * tapS] : 0;
      }
    }
  }
}

// Winograd F(2×2, 3×3): Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
// Aᵀ = [1 1 1 0; 0 1 −1 −1]; 16 GEMMs M_ξ = V_ξ · U_ξ per block of 2×2 output tiles (see assembly/winograd.ts).
const BT = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]];
const G = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]];
const AT = [[1, 1, 1, 0], [0, 1, -1, -1]];

/** U_ξ = (G g Gᵀ)[ξ] for every (co, ci), as 16 GEMM weight sets of panels [zero bias nr][C × nr]. */
function winogradWeights(
  mem: Float, src: number, coS: number, ciS: number, tapS: number, C: number, Cout: number, flip: number, dst: number, planeStride: number, nr: number,
): void {
  const panel = nr + C * nr;
  const own = Math.ceil(Cout / nr) * panel;
  const uS = planeStride || own; // the 16 planes' stride (0: packed); a split passes the whole layer's
  for (let p = 0; p < 16; p++) mem.fill(0, dst + p * uS, dst + p * uS + own);
  for (let co = 0; co < Cout; co++) {
    for (let ci = 0; ci < C; ci++) {
      const g = (ky: number, kx: number) => mem[src + co * coS + ci * ciS + (flip ? 8 - (3 * ky + kx) : 3 * ky + kx) * tapS];
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          let u = 0;
          for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) u += G[i][a] * g(a, b) * G[j][b];
          mem[dst + (4 * i + j) * uS + Math.floor(co / nr) * panel + nr + ci * nr + (co % nr)] = u;
        }
      }
    }
  }
}

function winograd(
  mem: Float, x: number, pw: number, C: number, th: number, tw: number, oh: number, ow: number, u: number, Cout: number,
  bias: number, hasBias: number, out: number, v: number, m: number, tileBlock: number, nr: number,
): void {
  const uS = Math.ceil(Cout / nr) * (nr + C * nr);
  const tiles = th * tw;
  for (let t0 = 0; t0 < tiles; t0 += tileBlock) {
    const nt = Math.min(tileBlock, tiles - t0);
    // V_ξ[t, c] = (Bᵀ d B)[ξ] of the 4×4 input tile at (2·ty, 2·tx).
    for (let t = 0; t < nt; t++) {
      const ty = Math.floor((t0 + t) / tw);
      const tx = (t0 + t) % tw;
      for (let c = 0; c < C; c++) {
        const d = (r: number, q: number) => mem[x + ((2 * ty + r) * pw + 2 * tx + q) * C + c];
        for (let i = 0; i < 4; i++) {
          for (let j = 0; j < 4; j++) {
            let s = 0;
            for (let r = 0; r < 4; r++) for (let q = 0; q < 4; q++) s += BT[i][r] * d(r, q) * BT[j][q];
            mem[v + (4 * i + j) * nt * C + t * C + c] = s;
          }
        }
      }
    }
    for (let k = 0; k < 16; k++) gemm(mem, nt, Cout, C, v + k * nt * C, C, u + k * uS, m + k * nt * Cout, Cout, nr);
    // out = Aᵀ M A + bias on the 2×2 tile, clipped at the bottom and right edges.
    for (let t = 0; t < nt; t++) {
      const ty = Math.floor((t0 + t) / tw);
      const tx = (t0 + t) % tw;
      for (let co = 0; co < Cout; co++) {
        for (let a = 0; a < 2; a++) {
          for (let b = 0; b < 2; b++) {
            if (2 * ty + a >= oh || 2 * tx + b >= ow) continue;
            let s = 0;
            for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += AT[a][i] * mem[m + (4 * i + j) * nt * Cout + t * Cout + co] * AT[b][j];
            mem[out + ((2 * ty + a) * ow + 2 * tx + b) * Cout + co] = (hasBias ? mem[bias + co] : 0) + s;
          }
        }
      }
    }
  }
}

/** One padded plane [·, wp, 3] → out [oh·ow, ldo]: a 3×3 kernel on 3 channels, any stride, GEMM-packed weights (K = 27). */
function direct3(mem: Float, x: number, wp: number, sh: number, sw: number, oh: number, ow: number, w: number, Cout: number, out: number, ldo: number, nr: number): void {
  const panel = nr + 27 * nr;
  for (let y = 0; y < oh; y++) {
    for (let xo = 0; xo < ow; xo++) {
      const a = x + (y * sh * wp + xo * sw) * 3;
      for (let co = 0; co < Cout; co++) {
        const wc = w + Math.floor(co / nr) * panel + (co % nr);
        let s = mem[wc];
        for (let b = 0; b < 3; b++) {
          for (let t = 0; t < 9; t++) s += mem[a + b * wp * 3 + t] * mem[wc + (b * 9 + t + 1) * nr];
        }
        mem[out + (y * ow + xo) * ldo + co] = s;
      }
    }
  }
}

/**
 * P channels-first depthwise planes in one call: plane p (channel (c0 + p) mod C) of the padded input ([ph, pw]
 * planes) correlated (valid, at `stride` on both axes) with its kernel h + c·kh·kw, from bias[c] (or 0), into
 * out + p·oh·ow. mode < 0: x holds the padded planes; mode ≥ 0: x holds [H, W] planes, each padded into pad first
 * (as padPlanes). assembly/dwconv.ts; its scratch tmp is unused here.
 */
function dwPlanes(
  mem: Float, x: number, P: number, C: number, c0: number, H: number, W: number, ph: number, pw: number, pbH: number,
  pbW: number, mode: number, h: number, kh: number, kw: number, bias: number, hasBias: number, out: number, oh: number,
  ow: number, _tmp: number, pad: number, stride: number,
): void {
  const n = oh * ow;
  const xStride = pw;
  for (let p = 0, c = c0; p < P; p++, c = c + 1 === C ? 0 : c + 1) {
    const o = out + p * n;
    let xp = x + p * ph * pw;
    if (mode >= 0) {
      padPlanes(mem, x + p * H * W, 1, H, W, pad, ph, pw, pbH, pbW, mode);
      xp = pad;
    }
    const hp = h + c * kh * kw;
    mem.fill(hasBias ? mem[bias + c] : 0, o, o + n);
    if (stride === 1) {
      corrJs.corr2d(mem, xp, xStride, hp, kh, kw, o, oh, ow, ow, 1);
      continue;
    }
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++) {
        let s = mem[o + r * ow + q];
        for (let i = 0; i < kh; i++) {
          const xi = xp + (stride * r + i) * xStride + stride * q;
          for (let j = 0; j < kw; j++) s += mem[xi + j] * mem[hp + i * kw + j];
        }
        mem[o + r * ow + q] = s;
      }
    }
  }
}

export const js: Family = { gemm, gemmT, convGemm, dwconv, transpose, padPlanes, packGemm, winogradWeights, winograd, direct3, dwPlanes };
