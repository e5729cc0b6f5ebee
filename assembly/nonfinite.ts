// The non-finite scan, kernel family `nonfinite` (its JS twin: src/kernels/nonfinite.ts): 1 when any of n values is
// NaN or ±Infinity (all exponent bits set), else 0. Paths whose arithmetic would spread such a value where the
// reference does not (FFT, Winograd, a gradient run as a forward convolution) scan their inputs with it and step
// aside; the policy (which paths, and to what) is written once in src/nonfinite.ts.
import { lanes } from './simd';

/** Lanes of v whose exponent bits are all set (NaN or ±Infinity) as all-ones lanes. */
// @ts-ignore: decorator
@inline function nonFiniteLanes<T>(v: v128): v128 {
  if (sizeof<T>() == 4) {
    const e = v128.splat<i32>(0x7f800000);
    return i32x4.eq(v128.and(v, e), e);
  }
  const e = v128.splat<i64>(0x7ff0000000000000);
  return i64x2.eq(v128.and(v, e), e);
}

// 1 when any of the n values at x is NaN or ±Infinity (all exponent bits set), else 0; method 'auto' runs direct then.
// @ts-ignore: decorator
@inline function nonFinite<T>(x: usize, n: i32): i32 {
  const size = <usize>sizeof<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    // Four vectors a pass into two independent ORs: the scan keeps pace with the loads.
    let hit = v128.splat<i32>(0);
    let hit2 = hit;
    for (; i + 4 * L <= n; i += 4 * L) {
      const p = x + <usize>i * size;
      hit = v128.or(hit, v128.or(nonFiniteLanes<T>(v128.load(p)), nonFiniteLanes<T>(v128.load(p, 16))));
      hit2 = v128.or(hit2, v128.or(nonFiniteLanes<T>(v128.load(p, 32)), nonFiniteLanes<T>(v128.load(p, 48))));
    }
    hit = v128.or(hit, hit2);
    for (; i + L <= n; i += L) hit = v128.or(hit, nonFiniteLanes<T>(v128.load(x + <usize>i * size)));
    if (v128.any_true(hit)) return 1;
  }
  for (; i < n; i++) {
    if (sizeof<T>() == 4) {
      if ((load<u32>(x + <usize>i * size) & 0x7f800000) == 0x7f800000) return 1;
    } else {
      if ((load<u64>(x + <usize>i * size) & 0x7ff0000000000000) == 0x7ff0000000000000) return 1;
    }
  }
  return 0;
}

export function non_finite_f32(x: usize, n: i32): i32 {
  return nonFinite<f32>(x, n);
}
export function non_finite_f64(x: usize, n: i32): i32 {
  return nonFinite<f64>(x, n);
}
