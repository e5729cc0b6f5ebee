// Direct correlation kernels. corr2d is the valid 2-D cross-correlation, the JS twin of assembly/corr2d.ts:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
// corr2dHwcU8 is the per-channel one on interleaved rows with uint8 output, the twin of assembly/corr2d_hwc.ts:
//   out8[r, e] = sat_u8(round_half_even(Σ_{i<kh} Σ_{j<kw} x[r + i, e + j·C] · h[i, j]))
// and u8Widen the widening of uint8 bytes into mem that feeds it. Byte offsets (the uint8 buffers) say so by name.
import type { Float } from '../arrays';

export interface Family {
  corr2d(mem: Float, x: number, xStride: number, h: number, kh: number, kw: number,
    out: number, outH: number, outW: number, outStride: number, accumulate: number): void;
  corr2dHwcU8(mem: Float, x: number, xStride: number, h: number, kh: number, kw: number, C: number,
    outByte: number, outH: number, outW: number, outStrideBytes: number): void;
  u8Widen(mem: Float, srcByte: number, n: number, dst: number): void;
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

/** The bytes of mem (the same memory, so byte offsets are element offsets × BYTES_PER_ELEMENT). */
function bytesOf(mem: Float): Uint8Array {
  return new Uint8Array(mem.buffer, mem.byteOffset, mem.byteLength);
}

/** Sums in tap order from 0 (scipy.ndimage's order); for float32 mem the caller guarantees the sums are exact. */
function corr2dHwcU8(
  mem: Float, x: number, xStride: number, h: number, kh: number, kw: number, C: number,
  outByte: number, outH: number, outW: number, outStrideBytes: number,
): void {
  const out8 = bytesOf(mem);
  for (let r = 0; r < outH; r++) {
    for (let e = 0; e < outW; e++) {
      let s = 0;
      for (let i = 0; i < kh; i++) {
        const xi = x + (r + i) * xStride + e;
        const hi = h + i * kw;
        for (let j = 0; j < kw; j++) s += mem[xi + j * C] * mem[hi + j];
      }
      // Round half to even, then saturate (saturate_cast<uchar>).
      let q = Math.round(s);
      if (q - s === 0.5 && q % 2 !== 0) q -= 1;
      out8[outByte + r * outStrideBytes + e] = q < 0 ? 0 : q > 255 ? 255 : q;
    }
  }
}

function u8Widen(mem: Float, srcByte: number, n: number, dst: number): void {
  const src = bytesOf(mem);
  for (let i = 0; i < n; i++) mem[dst + i] = src[srcByte + i];
}

export const js: Family = { corr2d, corr2dHwcU8, u8Widen };

export type WasmExport = (name: string) => (...args: number[]) => void;

export function wasm(exp: WasmExport, bpe: number): Family {
  const corr2d = exp('corr2d');
  const hwc = exp('corr2d_hwc_u8');
  const widen = exp('u8_widen');
  return {
    corr2d: (_mem, x, xStride, h, kh, kw, out, outH, outW, outStride, accumulate) =>
      corr2d(x * bpe, xStride, h * bpe, kh, kw, out * bpe, outH, outW, outStride, accumulate),
    corr2dHwcU8: (_mem, x, xStride, h, kh, kw, C, outByte, outH, outW, outStrideBytes) =>
      hwc(x * bpe, xStride, h * bpe, kh, kw, C, outByte, outH, outW, outStrideBytes),
    u8Widen: (_mem, srcByte, n, dst) => widen(srcByte, n, dst * bpe),
  };
}
