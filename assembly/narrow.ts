// Narrow in place: n f64 at ptr become n f32 at the same address (the first half of the buffer), each rounded to
// nearest, ties to even, as a C cast. Element i is read from byte 8i before anything is written at or past byte 4i,
// so one forward pass is safe. Double sums (ndimage's) leave wasm memory this way: V8's TypedArray.prototype.set
// from a Float64Array into a Float32Array measured ~2.7 ns per element here, more than a 3×3 filter's arithmetic.
export function narrow_f64(ptr: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const lo = f32x4.demote_f64x2_zero(v128.load(ptr + (<usize>i << 3)));
      const hi = f32x4.demote_f64x2_zero(v128.load(ptr + (<usize>i << 3), 16));
      v128.store(ptr + (<usize>i << 2), v128.shuffle<u32>(lo, hi, 0, 1, 4, 5));
    }
  }
  for (; i < n; i++) store<f32>(ptr + (<usize>i << 2), <f32>load<f64>(ptr + (<usize>i << 3)));
}

// Widen in place, narrow's inverse: the n f32 in the upper half of an n-f64 buffer at ptr (from byte 4n) become n f64
// at ptr (exact). f64 i is written at byte 8i after the f32 at bytes 4n + 4i … were read; 8i + 8 ≤ 4n + 4i + 4 for
// every i < n, so one forward pass never overwrites a float32 it has yet to read. Float32 rows enter double scratch
// this way: a Float32Array set into wasm memory costs a plain copy, the set into a Float64Array measured 2–4× that.
export function widen_f64(ptr: usize, n: i32): void {
  const src = ptr + (<usize>n << 2);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(src + (<usize>i << 2));
      v128.store(ptr + (<usize>i << 3), f64x2.promote_low_f32x4(v));
      v128.store(ptr + (<usize>i << 3), f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)), 16);
    }
  }
  for (; i < n; i++) store<f64>(ptr + (<usize>i << 3), <f64>load<f32>(src + (<usize>i << 2)));
}
