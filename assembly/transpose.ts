// Layout kernels of the convolution layers. The strided 2-D transpose between channels-first and channels-last:
//   dst[j·ldd + i] = src[i·lds + j]   for i < rows, j < cols
// (SIMD moves L × L blocks, 4×4 f32 or 2×2 f64, through registers with shuffles, in tiles of 32 columns so that
// the written lines stay in cache; edges go in scalars; 3 f32 rows into 3 columns, an RGB image, by shuffles). The
// padding of channels-first planes is in boundary.ts.

/** Columns per tile: the tile's destination rows (TILE × rows) stay in cache while every row block writes them. */
const TILE = 32;

// @ts-ignore: decorator
@inline function transpose<T>(src: usize, rows: i32, cols: i32, lds: i32, dst: usize, ldd: i32): void {
  const size = <usize>sizeof<T>();
  const ls = <usize>lds * size;
  const ld = <usize>ldd * size;
  if (ASC_FEATURE_SIMD && sizeof<T>() == 4 && rows == 3 && ldd == 3) {
    // Three planes interleaved (an RGB image into channels-last, a first layer's input): 4 pixels of each plane
    // become 3 vectors of the 12 interleaved values, 6 shuffles, no scalar moves.
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const sp = src + <usize>j * size;
      const r0 = v128.load(sp), r1 = v128.load(sp + ls), r2 = v128.load(sp + 2 * ls);
      const dp = dst + <usize>j * ld;
      v128.store(dp, v128.shuffle<f32>(v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), r2, 0, 1, 4, 2));
      v128.store(dp, v128.shuffle<f32>(v128.shuffle<f32>(r1, r2, 1, 5, 2, 6), r0, 0, 1, 6, 2), 16);
      v128.store(dp, v128.shuffle<f32>(r2, v128.shuffle<f32>(r0, r1, 3, 7, 3, 7), 2, 4, 5, 3), 32);
    }
    for (; j < cols; j++) {
      for (let i = 0; i < 3; i++) store<T>(dst + <usize>j * ld + <usize>i * size, load<T>(src + <usize>i * ls + <usize>j * size));
    }
    return;
  }
  // Destination rows a multiple of 4 KiB apart (planes of 32², 64², 128² pixels) all fall in the same L1 sets: 32 of
  // them outnumber a set's ways, and every store missed (CL → CF at 4096 pixels: 9 GB/s against 68 at 4000). Tiles of
  // 8 columns keep 8 rows live there.
  const tile = (ld & 4095) == 0 ? 8 : TILE;
  for (let j0 = 0; j0 < cols; j0 += tile) {
    const j1 = min(cols, j0 + tile);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      if (sizeof<T>() == 4) {
        for (; i + 4 <= rows; i += 4) {
          const s0 = src + <usize>i * ls;
          const d0 = dst + <usize>i * size;
          let j = j0;
          for (; j + 4 <= j1; j += 4) {
            const sp = s0 + <usize>j * size;
            const r0 = v128.load(sp);
            const r1 = v128.load(sp + ls);
            const r2 = v128.load(sp + 2 * ls);
            const r3 = v128.load(sp + 3 * ls);
            const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
            const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
            const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
            const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
            const dp = d0 + <usize>j * ld;
            v128.store(dp, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
            v128.store(dp + ld, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
            v128.store(dp + 2 * ld, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
            v128.store(dp + 3 * ld, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
          }
          for (; j < j1; j++) {
            for (let r = 0; r < 4; r++) store<T>(d0 + <usize>j * ld + <usize>r * size, load<T>(s0 + <usize>r * ls + <usize>j * size));
          }
        }
      } else {
        for (; i + 2 <= rows; i += 2) {
          const s0 = src + <usize>i * ls;
          const d0 = dst + <usize>i * size;
          let j = j0;
          for (; j + 2 <= j1; j += 2) {
            const sp = s0 + <usize>j * size;
            const r0 = v128.load(sp);
            const r1 = v128.load(sp + ls);
            const dp = d0 + <usize>j * ld;
            v128.store(dp, v128.shuffle<f64>(r0, r1, 0, 2));
            v128.store(dp + ld, v128.shuffle<f64>(r0, r1, 1, 3));
          }
          for (; j < j1; j++) {
            for (let r = 0; r < 2; r++) store<T>(d0 + <usize>j * ld + <usize>r * size, load<T>(s0 + <usize>r * ls + <usize>j * size));
          }
        }
      }
    }
    for (; i < rows; i++) {
      const s0 = src + <usize>i * ls;
      const d0 = dst + <usize>i * size;
      for (let j = j0; j < j1; j++) store<T>(d0 + <usize>j * ld, load<T>(s0 + <usize>j * size));
    }
  }
}

export function transpose_f32(src: usize, rows: i32, cols: i32, lds: i32, dst: usize, ldd: i32): void {
  transpose<f32>(src, rows, cols, lds, dst, ldd);
}

export function transpose_f64(src: usize, rows: i32, cols: i32, lds: i32, dst: usize, ldd: i32): void {
  transpose<f64>(src, rows, cols, lds, dst, ldd);
}
