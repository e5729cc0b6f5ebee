// Complex direct correlation, the JS twin of assembly/complex.ts, in split storage (re and im planes):
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]        (complex product, no conjugate)
// The plan conjugates h for a correlation and reverses it for a convolution before the call.
import type { Float } from '../arrays';

export interface Family {
  ccorr2d(mem: Float, xr: number, xi: number, xStride: number, hr: number, hi: number, kh: number, kw: number,
    or: number, oi: number, outH: number, outW: number, outStride: number, accumulate: number): void;
  /** dst[c·rows + r] = src[r·cols + c] (one plane; src and dst do not overlap). */
  transposePlane(mem: Float, src: number, dst: number, rows: number, cols: number): void;
}

function ccorr2d(
  mem: Float, xr: number, xi: number, xStride: number, hr: number, hi: number, kh: number, kw: number,
  or: number, oi: number, outH: number, outW: number, outStride: number, accumulate: number,
): void {
  for (let r = 0; r < outH; r++) {
    for (let c = 0; c < outW; c++) {
      const o = r * outStride + c;
      let sr = accumulate ? mem[or + o] : 0;
      let si = accumulate ? mem[oi + o] : 0;
      for (let i = 0; i < kh; i++) {
        const xo = (r + i) * xStride + c;
        const ho = i * kw;
        for (let j = 0; j < kw; j++) {
          const ar = mem[xr + xo + j], ai = mem[xi + xo + j];
          const br = mem[hr + ho + j], bi = mem[hi + ho + j];
          sr += ar * br - ai * bi;
          si += ar * bi + ai * br;
        }
      }
      mem[or + o] = sr;
      mem[oi + o] = si;
    }
  }
}

function transposePlane(mem: Float, src: number, dst: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) mem[dst + c * rows + r] = mem[src + r * cols + c];
  }
}

export const js: Family = { ccorr2d, transposePlane };
