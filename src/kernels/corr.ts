// Direct correlation kernels. corr2d is the valid 2-D cross-correlation, the JS twin of assembly/corr2d.ts:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
import type { Float } from '../arrays';

export interface Family {
  corr2d(mem: Float, x: number, xStride: number, h: number, kh: number, kw: number,
    out: number, outH: number, outW: number, outStride: number, accumulate: number): void;
}

function corr2d(
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

export const js: Family = { corr2d };

export type WasmExport = (name: string) => (...args: number[]) => void;

export function wasm(exp: WasmExport, bpe: number): Family {
  const corr2d = exp('corr2d');
  return {
    corr2d: (_mem, x, xStride, h, kh, kw, out, outH, outW, outStride, accumulate) =>
      corr2d(x * bpe, xStride, h * bpe, kh, kw, out * bpe, outH, outW, outStride, accumulate),
  };
}
