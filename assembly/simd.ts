// Lane helpers shared by the kernels. Everything here is @inline and generic over T (f32 or f64), so one kernel
// body serves both precisions; v128 never appears in an entry-file export, which keeps the scalar build valid.

/** Lanes of T in one v128: 4 for f32, 2 for f64. */
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** a + b·c, fused where the engine has relaxed SIMD (the result may differ from unfused in the last bit). */
@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return v128.relaxed_madd<T>(b, c, a);
  } else {
    return v128.add<T>(a, v128.mul<T>(b, c));
  }
}
