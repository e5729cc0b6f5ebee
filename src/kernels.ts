// The one table of kernels. Each entry has the same numeric signature on both backends: `mem` is one typed array
// (the wasm heap view, or a plain array on 'js') and every other argument an element offset, size or flag.
// Dispatch, tests and benchmarks go through this table; adding a variant is one function and one row.
import type { DType, Float } from './arrays';
import { corr2d as corr2dJs } from './kernels/corr2d';
import type { WasmModule } from './wasm';

export interface Kernels {
  corr2d(mem: Float, x: number, xStride: number, h: number, kh: number, kw: number,
    out: number, outH: number, outW: number, outStride: number, accumulate: number): void;
}

export const jsKernels: Kernels = { corr2d: corr2dJs };

type Export = (...args: number[]) => void;

/** Bind the wasm exports for one dtype: element offsets become byte pointers. */
export function wasmKernels(m: WasmModule, dtype: DType): Kernels {
  const sfx = dtype === 'float32' ? 'f32' : 'f64';
  const bpe = dtype === 'float32' ? 4 : 8;
  const corr2d = m.exports[`corr2d_${sfx}`] as Export;
  return {
    corr2d: (_mem, x, xStride, h, kh, kw, out, outH, outW, outStride, accumulate) =>
      corr2d(x * bpe, xStride, h * bpe, kh, kw, out * bpe, outH, outW, outStride, accumulate),
  };
}
