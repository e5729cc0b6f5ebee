// Valid 2-D cross-correlation, the JS twin of assembly/corr2d.ts (same arguments, element offsets into `mem`):
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
import type { Float } from '../arrays';

export function corr2d(
  mem: Float, x: number, xStride: number, h: number, kh: number, kw: number,
  out: number, outH: number, outW: number, outStride: number, accumulate: number,
): void {
  for (let r = 0; r < outH; r++) {
    for (let c = 0; c < outW; c++) {
      const o = out + r * outStride + c;
      let s = accumulate ? mem[o] : 0;
      for (let i = 0; i < kh; i++) {
        const xi = x + (r + i) * xStride + c;
        const hi = h + i * kw;
        for (let j = 0; j < kw; j++) s += mem[xi + j] * mem[hi + j];
      }
      mem[o] = s;
    }
  }
}
