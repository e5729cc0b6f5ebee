// The module's exports: raw-pointer kernels only. Memory belongs to the TypeScript side (src/wasm.ts), which
// places every buffer above heapBase() and never lets a kernel allocate.
export * from './bmul';
export * from './corr2d';
export * from './corr2d_hwc';
export * from './corr_taps';
export * from './narrow';
export * from './fft';
export * from './gemm';
export * from './dwconv';
export * from './nn_transpose';
export * from './nn_winograd';
export * from './nn_grad';
export * from './nn_direct';
export * from './complex';
export * from './similarity';

export { setPackBuffer } from './nn_gemm_core';

/** First byte free for the caller's arena. */
export function heapBase(): usize {
  return __heap_base;
}
