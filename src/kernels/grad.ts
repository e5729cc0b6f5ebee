// Convolution-gradient packing kernels, the JS twins of assembly/grad.ts (channels-first planes, one group):
//   gradIm2col: col[(ci·taps + t)·rows + r] = x[ci·cs + pix(p0 + r)·s + tap(t)·d]
//   gradCol2im: x[ci·cs + pix(p0 + r)·s + tap(t)·d] += col[(ci·taps + t)·rows + r]
//   gradPack:   panels of nr columns [0 × nr][rows × nr], entry (i, j) = src[i·rs + (q·nr + j)·cs], 0 past cols
//   gradAdd:    dst[i] += src[i]
//   gradWinoU:  u[ξ·us + c·nt + t] = (A · dy[c, 2×2 tile t] · Aᵀ)[ξ]         (Winograd F(2×2, 3×3) run backwards:
//   gradWinoV:  v[ξ] = panels of nr channels of (Bᵀ · x[4×4 tile t, ·] · B)[ξ]   dW = Gᵀ [Σ_t U ⊙ V] G)
//   gradWinoOut: d[tap·ds + i] = (Gᵀ · (m[ξ·ms + i])_ξ · G)[tap]                 (tap reversed with flip)
//   gradDwWeight: out[tap] += Σ_{z,y,x} dy[z, y, x] · x[z + a·dd, y + b·dh, x + e·dw]  (one depthwise channel, stride 1)
// pix(p) is output pixel p of an od × oh × ow grid, tap(t) kernel tap t of kd × kh × kw, in padded planes ph × pw.
// Every offset and stride is in elements of `mem`.
import type { Float } from '../arrays';

export interface Family {
  gradIm2col(
    mem: Float, x: number, ph: number, pw: number, cs: number, cinG: number, kd: number, kh: number, kw: number,
    sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, oh: number, ow: number,
    p0: number, rows: number, col: number,
  ): void;
  gradCol2im(
    mem: Float, x: number, ph: number, pw: number, cs: number, cinG: number, kd: number, kh: number, kw: number,
    sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, oh: number, ow: number,
    p0: number, rows: number, col: number,
  ): void;
  gradPack(mem: Float, src: number, rs: number, cs: number, rows: number, cols: number, dst: number, nr: number): void;
  gradAdd(mem: Float, dst: number, src: number, n: number): void;
  gradWinoU(
    mem: Float, dy: number, oh: number, ow: number, cs: number, C: number, t0: number, nt: number, tw: number, u: number, us: number,
  ): void;
  gradWinoV(mem: Float, x: number, pw: number, C: number, t0: number, nt: number, tw: number, v: number, nr: number): void;
  gradWinoOut(mem: Float, m: number, ms: number, n: number, d: number, ds: number, flip: number): void;
  gradDwWeight(
    mem: Float, x: number, ph: number, pw: number, dy: number, od: number, oh: number, ow: number,
    kd: number, kh: number, kw: number, dd: number, dh: number, dw: number, out: number,
  ): void;
}

/** Index in x of (channel ci, tap (a, b, e), output pixel p): the one address formula both directions share. */
function walk(
  back: boolean, mem: Float, x: number, ph: number, pw: number, cs: number, cinG: number, kd: number, kh: number, kw: number,
  sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, oh: number, ow: number,
  p0: number, rows: number, col: number,
): void {
  let c = col;
  for (let ci = 0; ci < cinG; ci++) {
    for (let a = 0; a < kd; a++) {
      for (let b = 0; b < kh; b++) {
        for (let e = 0; e < kw; e++) {
          for (let p = p0; p < p0 + rows; p++, c++) {
            const z = Math.floor(p / (oh * ow));
            const y = Math.floor(p / ow) % oh;
            const xx = p % ow;
            const i = x + ci * cs + ((z * sd + a * dd) * ph + y * sh + b * dh) * pw + xx * sw + e * dw;
            if (back) mem[i] += mem[c];
            else mem[c] = mem[i];
          }
        }
      }
    }
  }
}

function gradIm2col(
  mem: Float, x: number, ph: number, pw: number, cs: number, cinG: number, kd: number, kh: number, kw: number,
  sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, oh: number, ow: number,
  p0: number, rows: number, col: number,
): void {
  walk(false, mem, x, ph, pw, cs, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, col);
}

function gradCol2im(
  mem: Float, x: number, ph: number, pw: number, cs: number, cinG: number, kd: number, kh: number, kw: number,
  sd: number, sh: number, sw: number, dd: number, dh: number, dw: number, oh: number, ow: number,
  p0: number, rows: number, col: number,
): void {
  walk(true, mem, x, ph, pw, cs, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, oh, ow, p0, rows, col);
}

function gradPack(mem: Float, src: number, rs: number, cs: number, rows: number, cols: number, dst: number, nr: number): void {
  let d = dst;
  for (let q = 0; q < cols; q += nr) {
    for (let j = 0; j < nr; j++) mem[d++] = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < nr; j++) mem[d++] = q + j < cols ? mem[src + i * rs + (q + j) * cs] : 0;
    }
  }
}

function gradAdd(mem: Float, dst: number, src: number, n: number): void {
  for (let i = 0; i < n; i++) mem[dst + i] += mem[src + i];
}

/** The four values of a row through A = [[1, 0], [1, 1], [1, −1], [0, −1]]. */
const aRow = (e: number, o: number) => [e, e + o, e - o, -o];
/** The four values of a row through Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]. */
const bRow = (d0: number, d1: number, d2: number, d3: number) => [d0 - d2, d1 + d2, d2 - d1, d1 - d3];

function gradWinoU(
  mem: Float, dy: number, oh: number, ow: number, cs: number, C: number, t0: number, nt: number, tw: number, u: number, us: number,
): void {
  for (let c = 0; c < C; c++) {
    for (let t = t0; t < t0 + nt; t++) {
      const y = 2 * Math.floor(t / tw);
      const x = 2 * (t % tw);
      // The 2×2 tile of dy (zeros past its edge), then A·g·Aᵀ: rows through A, each row's columns through A.
      const at = (i: number, j: number) => (y + i < oh && x + j < ow ? mem[dy + c * cs + (y + i) * ow + x + j] : 0);
      const rows = aRow(at(0, 0), at(1, 0)).map((e, i) => [e, aRow(at(0, 1), at(1, 1))[i]]);
      for (let i = 0; i < 4; i++) {
        const out = aRow(rows[i][0], rows[i][1]);
        for (let j = 0; j < 4; j++) mem[u + (4 * i + j) * us + c * nt + t - t0] = out[j];
      }
    }
  }
}

function gradWinoV(mem: Float, x: number, pw: number, C: number, t0: number, nt: number, tw: number, v: number, nr: number): void {
  const panels = Math.ceil(C / nr);
  const panel = nr + nt * nr;
  for (let xi = 0; xi < 16; xi++) for (let q = 0; q < panels; q++) mem.fill(0, v + xi * panels * panel + q * panel, v + xi * panels * panel + q * panel + nr);
  for (let t = t0; t < t0 + nt; t++) {
    const y = 2 * Math.floor(t / tw);
    const xx = 2 * (t % tw);
    for (let c = 0; c < panels * nr; c++) {
      // Channels past C get zeros here (the wasm kernel leaves whatever it read; the GEMM never stores those columns).
      const d = (i: number, j: number) => (c < C ? mem[x + ((y + i) * pw + xx + j) * C + c] : 0);
      const cols = [0, 1, 2, 3].map((j) => bRow(d(0, j), d(1, j), d(2, j), d(3, j)));
      for (let i = 0; i < 4; i++) {
        const out = bRow(cols[0][i], cols[1][i], cols[2][i], cols[3][i]);
        for (let j = 0; j < 4; j++) {
          mem[v + (4 * i + j) * panels * panel + Math.floor(c / nr) * panel + nr + (t - t0) * nr + (c % nr)] = out[j];
        }
      }
    }
  }
}

/** The three values of a row through G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] (4 in, 3 out). */
const gRow = (m0: number, m1: number, m2: number, m3: number) => [m0 + (m1 + m2) / 2, (m1 - m2) / 2, (m1 + m2) / 2 + m3];

function gradWinoOut(mem: Float, m: number, ms: number, n: number, d: number, ds: number, flip: number): void {
  for (let i = 0; i < n; i++) {
    const M = (xi: number) => mem[m + xi * ms + i];
    // t = M·G (rows of M through G), then Gᵀ·t (columns of t through G).
    const t = [0, 1, 2, 3].map((r) => gRow(M(4 * r), M(4 * r + 1), M(4 * r + 2), M(4 * r + 3)));
    for (let b = 0; b < 3; b++) {
      const col = gRow(t[0][b], t[1][b], t[2][b], t[3][b]);
      for (let a = 0; a < 3; a++) mem[d + (flip ? 8 - (3 * a + b) : 3 * a + b) * ds + i] = col[a];
    }
  }
}

function gradDwWeight(
  mem: Float, x: number, ph: number, pw: number, dy: number, od: number, oh: number, ow: number,
  kd: number, kh: number, kw: number, dd: number, dh: number, dw: number, out: number,
): void {
  let tap = 0;
  for (let a = 0; a < kd; a++) {
    for (let b = 0; b < kh; b++) {
      for (let e = 0; e < kw; e++, tap++) {
        let s = 0;
        for (let z = 0; z < od; z++) {
          for (let y = 0; y < oh; y++) {
            for (let i = 0; i < ow; i++) s += mem[dy + (z * oh + y) * ow + i] * mem[x + ((z + a * dd) * ph + y + b * dh) * pw + i + e * dw];
          }
        }
        mem[out + tap] += s;
      }
    }
  }
}

export const js: Family = { gradIm2col, gradCol2im, gradPack, gradAdd, gradWinoU, gradWinoV, gradWinoOut, gradDwWeight };
