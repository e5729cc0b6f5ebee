// Direct correlation kernels. corr2d is the valid 2-D cross-correlation, the JS twin of assembly/corr2d.ts:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
// corrTaps sums a listed subset of taps, in the listed order, the JS twin of assembly/corr_taps.ts:
//   out[r, c] = Σ_{t<n} x[r·xStride + c + d[t]] · w[t]   (table at `taps`: w[0 … n−1], then d[0 … n−1])
import type { Float } from '../arrays';

export interface Family {
  corr2d(mem: Float, x: number, xStride: number, h: number, kh: number, kw: number,
    out: number, outH: number, outW: number, outStride: number, accumulate: number): void;
  corrTaps(mem: Float, x: number, xStride: number, taps: number, n: number,
    out: number, outH: number, outW: number, outStride: number): void;
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

function corrTaps(
  mem: Float, x: number, xStride: number, taps: number, n: number,
  out: number, outH: number, outW: number, outStride: number,
): void {
  const w = Array.from(mem.subarray(taps, taps + n));
  const d = Array.from(mem.subarray(taps + n, taps + 2 * n));
  for (let r = 0; r < outH; r++) {
    const xr = x + r * xStride;
    const o = out + r * outStride;
    for (let c = 0; c < outW; c++) {
      // From 0, in the listed order: the same sum as the wasm kernel's lanes.
      let s = 0;
      for (let t = 0; t < n; t++) s += mem[xr + c + d[t]] * w[t];
      mem[o + c] = s;
    }
  }
}

export const js: Family = { corr2d, corrTaps };

export type WasmExport = (name: string) => (...args: number[]) => void;

export function wasm(exp: WasmExport, bpe: number): Family {
  const corr2d = exp('corr2d');
  const corrTaps = exp('corr_taps');
  return {
    corr2d: (_mem, x, xStride, h, kh, kw, out, outH, outW, outStride, accumulate) =>
      corr2d(x * bpe, xStride, h * bpe, kh, kw, out * bpe, outH, outW, outStride, accumulate),
    corrTaps: (_mem, x, xStride, taps, n, out, outH, outW, outStride) =>
      corrTaps(x * bpe, xStride, taps * bpe, n, out * bpe, outH, outW, outStride),
  };
}
