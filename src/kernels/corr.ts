// Direct correlation kernels. corr2d is the valid 2-D cross-correlation, the JS twin of assembly/corr2d.ts:
//   out[r, c] (+)= Σ_{i<kh} Σ_{j<kw} x[r + i, c + j] · h[i, j]
// corr2dHwcU8 is the per-channel one on interleaved rows with uint8 output, the twin of assembly/corr2d_hwc.ts:
//   out8[r, e] = sat_u8(round_half_even(Σ_{i<kh} Σ_{j<kw} x[r + i, e + j·C] · h[i, j]))
// and u8Widen the widening of uint8 bytes into mem that feeds it. Byte offsets (the uint8 buffers) say so by name.
// corrTaps sums a listed subset of taps, in the listed order, in double, the JS twin of assembly/corr_taps.ts:
//   out[r, c] = Σ_{t<n} x[r·xStride + c + d[t]] · w[t]
// Its table at element offset `taps` of mem is float64 whatever mem holds (see tapTable): w[0 … n−1], then d[0 … n−1].
import type { Float } from '../arrays';

export interface Family {
  corr2d(mem: Float, x: number, xStride: number, h: number, kh: number, kw: number,
    out: number, outH: number, outW: number, outStride: number, accumulate: number): void;
  corr2dHwcU8(mem: Float, x: number, xStride: number, h: number, kh: number, kw: number, C: number,
    outByte: number, outH: number, outW: number, outStrideBytes: number): void;
  u8Widen(mem: Float, srcByte: number, n: number, dst: number): void;
  corrTaps(mem: Float, x: number, xStride: number, taps: number, n: number,
    out: number, outH: number, outW: number, outStride: number): void;
  /** Float64 workspaces only: mem[at … at + n) become float32 at the same address (see narrowed), in place. */
  narrow(mem: Float, at: number, n: number): void;
  /** Float64 workspaces only: the n float32 at widening(mem, at, n) become mem[at … at + n), in place. */
  widen(mem: Float, at: number, n: number): void;
}

/** Where widen(mem, at, n) reads its n float32 values: the upper half of the n float64 at mem[at …], as a view. */
export function widening(mem: Float, at: number, n: number): Float32Array {
  return new Float32Array(mem.buffer, mem.byteOffset + at * mem.BYTES_PER_ELEMENT + 4 * n, n);
}

/** The n float32 values that narrow(mem, at, n) leaves at mem[at …], as a view. */
export function narrowed(mem: Float, at: number, n: number): Float32Array {
  return new Float32Array(mem.buffer, mem.byteOffset + at * mem.BYTES_PER_ELEMENT, n);
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

/**
 * The float64 tap table of corrTaps at element offset `at` of mem (2n float64 values; `at` 16-byte aligned, as every
 * workspace buffer is): a view on mem's own memory, so it is where the wasm kernel reads it.
 */
export function tapTable(mem: Float, at: number, n: number): Float64Array {
  return new Float64Array(mem.buffer, mem.byteOffset + at * mem.BYTES_PER_ELEMENT, 2 * n);
}

/** Elements of mem's type that a tap table of n taps takes. */
export function tapTableSize(bytesPerElement: number, n: number): number {
  return (2 * n * 8) / bytesPerElement;
}

function corrTaps(
  mem: Float, x: number, xStride: number, taps: number, n: number,
  out: number, outH: number, outW: number, outStride: number,
): void {
  const table = tapTable(mem, taps, n);
  const w = Array.from(table.subarray(0, n));
  const d = Array.from(table.subarray(n, 2 * n));
  for (let r = 0; r < outH; r++) {
    const xr = x + r * xStride;
    const o = out + r * outStride;
    for (let c = 0; c < outW; c++) {
      // In double from 0, in the listed order, rounded once by the store: the same sum as the wasm kernel's lanes.
      let s = 0;
      for (let t = 0; t < n; t++) s += mem[xr + c + d[t]] * w[t];
      mem[o + c] = s;
    }
  }
}

function u8Widen(mem: Float, srcByte: number, n: number, dst: number): void {
  const src = bytesOf(mem);
  for (let i = 0; i < n; i++) mem[dst + i] = src[srcByte + i];
}

/** The twin of assembly/narrow.ts: a forward pass never overwrites a double before reading it. */
function narrow(mem: Float, at: number, n: number): void {
  const f = narrowed(mem, at, n);
  for (let i = 0; i < n; i++) f[i] = mem[at + i];
}

/** The twin of widen_f64 in assembly/narrow.ts: a forward pass never overwrites a float32 before reading it. */
function widen(mem: Float, at: number, n: number): void {
  const f = widening(mem, at, n);
  for (let i = 0; i < n; i++) mem[at + i] = f[i];
}

export const js: Family = { corr2d, corr2dHwcU8, u8Widen, corrTaps, narrow, widen };
