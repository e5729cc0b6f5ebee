// Broadcast product, the JS twin is src/kernels/bmul.ts. One 2-D block of an elementwise product whose operands are
// strided views (stride 0: the axis broadcasts):
//   out[r·cols + c] = a[r·aRow + c·aCol] · b[r·bRow + c·bCol]      r < rows, c < cols
// It is what fftconvolve/oaconvolve compute when no axis is transformed (SciPy returns in1 * in2 there).
import { lanes } from './simd';

// @ts-ignore: decorator
@inline function bmul<T>(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, cols: i32): void {
  const size = <usize>sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const ar = a + <usize>(r * aRow) * size;
    const br = b + <usize>(r * bRow) * size;
    const o = out + <usize>r * <usize>cols * size;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      if (aCol == 0 && bCol == 1) {
        // A row of b scaled by one value of a (the [N, 1] · [1, M] outer product).
        const va = v128.splat<T>(load<T>(ar));
        for (; c + 2 * L <= cols; c += 2 * L) {
          const p = <usize>c * size;
          v128.store(o + p, v128.mul<T>(va, v128.load(br + p)));
          v128.store(o + p, v128.mul<T>(va, v128.load(br + p, 16)), 16);
        }
      } else if (aCol == 1 && bCol == 0) {
        const vb = v128.splat<T>(load<T>(br));
        for (; c + 2 * L <= cols; c += 2 * L) {
          const p = <usize>c * size;
          v128.store(o + p, v128.mul<T>(v128.load(ar + p), vb));
          v128.store(o + p, v128.mul<T>(v128.load(ar + p, 16), vb), 16);
        }
      } else if (aCol == 1 && bCol == 1) {
        for (; c + 2 * L <= cols; c += 2 * L) {
          const p = <usize>c * size;
          v128.store(o + p, v128.mul<T>(v128.load(ar + p), v128.load(br + p)));
          v128.store(o + p, v128.mul<T>(v128.load(ar + p, 16), v128.load(br + p, 16)), 16);
        }
      }
    }
    for (; c < cols; c++) {
      store<T>(o + <usize>c * size, load<T>(ar + <usize>(c * aCol) * size) * load<T>(br + <usize>(c * bCol) * size));
    }
  }
}

export function bmul_f32(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, cols: i32): void {
  bmul<f32>(a, aRow, aCol, b, bRow, bCol, out, rows, cols);
}
export function bmul_f64(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, out: usize, rows: i32, cols: i32): void {
  bmul<f64>(a, aRow, aCol, b, bRow, bCol, out, rows, cols);
}
