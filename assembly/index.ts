// The module's exports: raw-pointer kernels only. Memory belongs to the TypeScript side (src/wasm.ts), which
// places every buffer above heapBase() and never lets a kernel allocate.
export * from './bmul';
export * from './corr2d';
export * from './corr2d_hwc';
export * from './corr_taps';
export * from './narrow';
export { fft_cols_f32, fft_cols_f64, cmul_f32, cmul_f64, fft_cols_mul_f32, fft_cols_mul_f64 } from './fft';
export * from './fft_rows';
export * from './nonfinite';
export { conv_gemm_f32, conv_gemm_f64, gemm_f32, gemm_f64, gemm_t_f32, gemm_t_f64, pack_gemm_f32, pack_gemm_f64 } from './gemm';
export * from './dwconv';
export * from './transpose';
export { pad_planes_f32, pad_planes_f64 } from './boundary';
export * from './winograd';
export * from './grad';
export * from './direct3';
export * from './complex';
export * from './similarity';

export { setPackBuffer } from './gemm_core';

/** First byte free for the caller's arena. */
export function heapBase(): usize {
  return __heap_base;
}
