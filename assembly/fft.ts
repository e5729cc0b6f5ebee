// FFT kernels for convolution (the JS twin, readable, is src/kernels/fft.ts): the unnormalised forward DFT
//   X[k] = Σ_j x[j] · e^{−2πi·jk/n}
// by a mixed-radix (4, 2, 5, 3) Stockham autosort FFT over split re/im planes, batched over `inner` interleaved
// sequences (element j of sequence i at j·inner + i). SIMD runs across the contiguous q index of each butterfly
// (stride s ≥ lanes; the twiddle w^{pk} of a butterfly row is splatted once), or across butterflies p in the first
// pass of a single sequence (s = 1). Twiddles come from a table of interleaved (cos, −sin) pairs that the caller
// passes in. The inverse is the forward transform with the planes swapped. Real rows of length 2m run as complex
// rows of length m, split into m + 1 bins afterwards, four (f32) or two (f64) rows at a time as interleaved sequences
// (fft_rows.ts). The spectra's product is cmul, below; the non-finite scan is nonfinite.ts.
import { lanes } from './simd';

const C3: f64 = 0.8660254037844386; // sin(2π/3)
const C51: f64 = 0.30901699437494745; // cos(2π/5)
const C52: f64 = -0.8090169943749475; // cos(4π/5)
const S51: f64 = 0.9510565162951535; // sin(2π/5)
const S52: f64 = 0.5877852522924731; // sin(4π/5)

// y[o] = (vr + i·vi)·(wr + i·wi), scalar
// @ts-ignore: decorator
@inline function twS<T>(yr: usize, yi: usize, o: usize, vr: T, vi: T, wr: T, wi: T): void {
  store<T>(yr + o, vr * wr - vi * wi);
  store<T>(yi + o, vr * wi + vi * wr);
}

// @ts-ignore: decorator
@inline function twV<T>(yr: usize, yi: usize, o: usize, vr: v128, vi: v128, wr: v128, wi: v128): void {
  v128.store(yr + o, v128.sub<T>(v128.mul<T>(vr, wr), v128.mul<T>(vi, wi)));
  v128.store(yi + o, v128.add<T>(v128.mul<T>(vr, wi), v128.mul<T>(vi, wr)));
}

// One radix-4 pass: y[q + s(4p + k)] = w^{pk} · Σ_j x[q + s(p + jm)] (−i)^{jk}.
// @ts-ignore: decorator
@inline function stage4<T>(xr: usize, xi: usize, yr: usize, yi: usize, m: i32, s: i32, tw: usize, tstep: i32): void {
  const size = <usize>sizeof<T>();
  const sm = <usize>s * <usize>m * size;
  const sb = <usize>s * size;
  for (let p = 0; p < m; p++) {
    const e = <usize>p * <usize>tstep * 2 * size;
    const w1r = load<T>(tw + e), w1i = load<T>(tw + e + size);
    const w2r = load<T>(tw + 2 * e), w2i = load<T>(tw + 2 * e + size);
    const w3r = load<T>(tw + 3 * e), w3i = load<T>(tw + 3 * e + size);
    const ib = <usize>p * sb;
    const ob = ib * 4;
    let q = 0;
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      if (s >= L) {
        const v1r = v128.splat<T>(w1r), v1i = v128.splat<T>(w1i);
        const v2r = v128.splat<T>(w2r), v2i = v128.splat<T>(w2i);
        const v3r = v128.splat<T>(w3r), v3i = v128.splat<T>(w3i);
        for (; q + L <= s; q += L) {
          const i0 = ib + <usize>q * size;
          const o0 = ob + <usize>q * size;
          const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
          const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
          const a2r = v128.load(xr + i0 + 2 * sm), a2i = v128.load(xi + i0 + 2 * sm);
          const a3r = v128.load(xr + i0 + 3 * sm), a3i = v128.load(xi + i0 + 3 * sm);
          const t0r = v128.add<T>(a0r, a2r), t0i = v128.add<T>(a0i, a2i);
          const t1r = v128.sub<T>(a0r, a2r), t1i = v128.sub<T>(a0i, a2i);
          const t2r = v128.add<T>(a1r, a3r), t2i = v128.add<T>(a1i, a3i);
          const t3r = v128.sub<T>(a1r, a3r), t3i = v128.sub<T>(a1i, a3i);
          v128.store(yr + o0, v128.add<T>(t0r, t2r));
          v128.store(yi + o0, v128.add<T>(t0i, t2i));
          twV<T>(yr, yi, o0 + sb, v128.add<T>(t1r, t3i), v128.sub<T>(t1i, t3r), v1r, v1i);
          twV<T>(yr, yi, o0 + 2 * sb, v128.sub<T>(t0r, t2r), v128.sub<T>(t0i, t2i), v2r, v2i);
          twV<T>(yr, yi, o0 + 3 * sb, v128.sub<T>(t1r, t3i), v128.add<T>(t1i, t3r), v3r, v3i);
        }
      }
    }
    for (; q < s; q++) {
      const i0 = ib + <usize>q * size;
      const o0 = ob + <usize>q * size;
      const a0r = load<T>(xr + i0), a0i = load<T>(xi + i0);
      const a1r = load<T>(xr + i0 + sm), a1i = load<T>(xi + i0 + sm);
      const a2r = load<T>(xr + i0 + 2 * sm), a2i = load<T>(xi + i0 + 2 * sm);
      const a3r = load<T>(xr + i0 + 3 * sm), a3i = load<T>(xi + i0 + 3 * sm);
      const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
      const t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
      store<T>(yr + o0, t0r + t2r);
      store<T>(yi + o0, t0i + t2i);
      twS<T>(yr, yi, o0 + sb, t1r + t3i, t1i - t3r, w1r, w1i);
      twS<T>(yr, yi, o0 + 2 * sb, t0r - t2r, t0i - t2i, w2r, w2i);
      twS<T>(yr, yi, o0 + 3 * sb, t1r - t3i, t1i + t3r, w3r, w3i);
    }
  }
}

// @ts-ignore: decorator
@inline function stage2<T>(xr: usize, xi: usize, yr: usize, yi: usize, m: i32, s: i32, tw: usize, tstep: i32): void {
  const size = <usize>sizeof<T>();
  const sm = <usize>s * <usize>m * size;
  const sb = <usize>s * size;
  for (let p = 0; p < m; p++) {
    const e = <usize>p * <usize>tstep * 2 * size;
    const w1r = load<T>(tw + e), w1i = load<T>(tw + e + size);
    const ib = <usize>p * sb;
    const ob = ib * 2;
    let q = 0;
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      if (s >= L) {
        const v1r = v128.splat<T>(w1r), v1i = v128.splat<T>(w1i);
        for (; q + L <= s; q += L) {
          const i0 = ib + <usize>q * size;
          const o0 = ob + <usize>q * size;
          const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
          const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
          v128.store(yr + o0, v128.add<T>(a0r, a1r));
          v128.store(yi + o0, v128.add<T>(a0i, a1i));
          twV<T>(yr, yi, o0 + sb, v128.sub<T>(a0r, a1r), v128.sub<T>(a0i, a1i), v1r, v1i);
        }
      }
    }
    for (; q < s; q++) {
      const i0 = ib + <usize>q * size;
      const o0 = ob + <usize>q * size;
      const a0r = load<T>(xr + i0), a0i = load<T>(xi + i0);
      const a1r = load<T>(xr + i0 + sm), a1i = load<T>(xi + i0 + sm);
      store<T>(yr + o0, a0r + a1r);
      store<T>(yi + o0, a0i + a1i);
      twS<T>(yr, yi, o0 + sb, a0r - a1r, a0i - a1i, w1r, w1i);
    }
  }
}

// @ts-ignore: decorator
@inline function stage3<T>(xr: usize, xi: usize, yr: usize, yi: usize, m: i32, s: i32, tw: usize, tstep: i32): void {
  const size = <usize>sizeof<T>();
  const sm = <usize>s * <usize>m * size;
  const sb = <usize>s * size;
  const c3 = <T>C3;
  const half = <T>0.5;
  for (let p = 0; p < m; p++) {
    const e = <usize>p * <usize>tstep * 2 * size;
    const w1r = load<T>(tw + e), w1i = load<T>(tw + e + size);
    const w2r = load<T>(tw + 2 * e), w2i = load<T>(tw + 2 * e + size);
    const ib = <usize>p * sb;
    const ob = ib * 3;
    let q = 0;
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      if (s >= L) {
        const v1r = v128.splat<T>(w1r), v1i = v128.splat<T>(w1i);
        const v2r = v128.splat<T>(w2r), v2i = v128.splat<T>(w2i);
        const vc3 = v128.splat<T>(c3), vh = v128.splat<T>(half);
        for (; q + L <= s; q += L) {
          const i0 = ib + <usize>q * size;
          const o0 = ob + <usize>q * size;
          const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
          const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
          const a2r = v128.load(xr + i0 + 2 * sm), a2i = v128.load(xi + i0 + 2 * sm);
          const tr = v128.add<T>(a1r, a2r), ti = v128.add<T>(a1i, a2i);
          const br = v128.sub<T>(a0r, v128.mul<T>(vh, tr)), bi = v128.sub<T>(a0i, v128.mul<T>(vh, ti));
          const ur = v128.mul<T>(vc3, v128.sub<T>(a1r, a2r)), ui = v128.mul<T>(vc3, v128.sub<T>(a1i, a2i));
          v128.store(yr + o0, v128.add<T>(a0r, tr));
          v128.store(yi + o0, v128.add<T>(a0i, ti));
          twV<T>(yr, yi, o0 + sb, v128.add<T>(br, ui), v128.sub<T>(bi, ur), v1r, v1i);
          twV<T>(yr, yi, o0 + 2 * sb, v128.sub<T>(br, ui), v128.add<T>(bi, ur), v2r, v2i);
        }
      }
    }
    for (; q < s; q++) {
      const i0 = ib + <usize>q * size;
      const o0 = ob + <usize>q * size;
      const a0r = load<T>(xr + i0), a0i = load<T>(xi + i0);
      const a1r = load<T>(xr + i0 + sm), a1i = load<T>(xi + i0 + sm);
      const a2r = load<T>(xr + i0 + 2 * sm), a2i = load<T>(xi + i0 + 2 * sm);
      const tr = a1r + a2r, ti = a1i + a2i;
      const br = a0r - half * tr, bi = a0i - half * ti;
      const ur = c3 * (a1r - a2r), ui = c3 * (a1i - a2i);
      store<T>(yr + o0, a0r + tr);
      store<T>(yi + o0, a0i + ti);
      twS<T>(yr, yi, o0 + sb, br + ui, bi - ur, w1r, w1i);
      twS<T>(yr, yi, o0 + 2 * sb, br - ui, bi + ur, w2r, w2i);
    }
  }
}

// @ts-ignore: decorator
@inline function stage5<T>(xr: usize, xi: usize, yr: usize, yi: usize, m: i32, s: i32, tw: usize, tstep: i32): void {
  const size = <usize>sizeof<T>();
  const sm = <usize>s * <usize>m * size;
  const sb = <usize>s * size;
  const c1 = <T>C51, c2 = <T>C52, s1 = <T>S51, s2 = <T>S52;
  for (let p = 0; p < m; p++) {
    const e = <usize>p * <usize>tstep * 2 * size;
    const w1r = load<T>(tw + e), w1i = load<T>(tw + e + size);
    const w2r = load<T>(tw + 2 * e), w2i = load<T>(tw + 2 * e + size);
    const w3r = load<T>(tw + 3 * e), w3i = load<T>(tw + 3 * e + size);
    const w4r = load<T>(tw + 4 * e), w4i = load<T>(tw + 4 * e + size);
    const ib = <usize>p * sb;
    const ob = ib * 5;
    let q = 0;
    if (ASC_FEATURE_SIMD) {
      const L = lanes<T>();
      if (s >= L) {
        const vc1 = v128.splat<T>(c1), vc2 = v128.splat<T>(c2), vs1 = v128.splat<T>(s1), vs2 = v128.splat<T>(s2);
        for (; q + L <= s; q += L) {
          const i0 = ib + <usize>q * size;
          const o0 = ob + <usize>q * size;
          const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
          const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
          const a2r = v128.load(xr + i0 + 2 * sm), a2i = v128.load(xi + i0 + 2 * sm);
          const a3r = v128.load(xr + i0 + 3 * sm), a3i = v128.load(xi + i0 + 3 * sm);
          const a4r = v128.load(xr + i0 + 4 * sm), a4i = v128.load(xi + i0 + 4 * sm);
          const t1r = v128.add<T>(a1r, a4r), t1i = v128.add<T>(a1i, a4i);
          const t2r = v128.add<T>(a2r, a3r), t2i = v128.add<T>(a2i, a3i);
          const t3r = v128.sub<T>(a1r, a4r), t3i = v128.sub<T>(a1i, a4i);
          const t4r = v128.sub<T>(a2r, a3r), t4i = v128.sub<T>(a2i, a3i);
          const b1r = v128.add<T>(a0r, v128.add<T>(v128.mul<T>(vc1, t1r), v128.mul<T>(vc2, t2r)));
          const b1i = v128.add<T>(a0i, v128.add<T>(v128.mul<T>(vc1, t1i), v128.mul<T>(vc2, t2i)));
          const b2r = v128.add<T>(a0r, v128.add<T>(v128.mul<T>(vc2, t1r), v128.mul<T>(vc1, t2r)));
          const b2i = v128.add<T>(a0i, v128.add<T>(v128.mul<T>(vc2, t1i), v128.mul<T>(vc1, t2i)));
          const u1r = v128.add<T>(v128.mul<T>(vs1, t3r), v128.mul<T>(vs2, t4r));
          const u1i = v128.add<T>(v128.mul<T>(vs1, t3i), v128.mul<T>(vs2, t4i));
          const u2r = v128.sub<T>(v128.mul<T>(vs2, t3r), v128.mul<T>(vs1, t4r));
          const u2i = v128.sub<T>(v128.mul<T>(vs2, t3i), v128.mul<T>(vs1, t4i));
          v128.store(yr + o0, v128.add<T>(a0r, v128.add<T>(t1r, t2r)));
          v128.store(yi + o0, v128.add<T>(a0i, v128.add<T>(t1i, t2i)));
          twV<T>(yr, yi, o0 + sb, v128.add<T>(b1r, u1i), v128.sub<T>(b1i, u1r), v128.splat<T>(w1r), v128.splat<T>(w1i));
          twV<T>(yr, yi, o0 + 2 * sb, v128.add<T>(b2r, u2i), v128.sub<T>(b2i, u2r), v128.splat<T>(w2r), v128.splat<T>(w2i));
          twV<T>(yr, yi, o0 + 3 * sb, v128.sub<T>(b2r, u2i), v128.add<T>(b2i, u2r), v128.splat<T>(w3r), v128.splat<T>(w3i));
          twV<T>(yr, yi, o0 + 4 * sb, v128.sub<T>(b1r, u1i), v128.add<T>(b1i, u1r), v128.splat<T>(w4r), v128.splat<T>(w4i));
        }
      }
    }
    for (; q < s; q++) {
      const i0 = ib + <usize>q * size;
      const o0 = ob + <usize>q * size;
      const a0r = load<T>(xr + i0), a0i = load<T>(xi + i0);
      const a1r = load<T>(xr + i0 + sm), a1i = load<T>(xi + i0 + sm);
      const a2r = load<T>(xr + i0 + 2 * sm), a2i = load<T>(xi + i0 + 2 * sm);
      const a3r = load<T>(xr + i0 + 3 * sm), a3i = load<T>(xi + i0 + 3 * sm);
      const a4r = load<T>(xr + i0 + 4 * sm), a4i = load<T>(xi + i0 + 4 * sm);
      const t1r = a1r + a4r, t1i = a1i + a4i, t2r = a2r + a3r, t2i = a2i + a3i;
      const t3r = a1r - a4r, t3i = a1i - a4i, t4r = a2r - a3r, t4i = a2i - a3i;
      const b1r = a0r + c1 * t1r + c2 * t2r, b1i = a0i + c1 * t1i + c2 * t2i;
      const b2r = a0r + c2 * t1r + c1 * t2r, b2i = a0i + c2 * t1i + c1 * t2i;
      const u1r = s1 * t3r + s2 * t4r, u1i = s1 * t3i + s2 * t4i;
      const u2r = s2 * t3r - s1 * t4r, u2i = s2 * t3i - s1 * t4i;
      store<T>(yr + o0, a0r + t1r + t2r);
      store<T>(yi + o0, a0i + t1i + t2i);
      twS<T>(yr, yi, o0 + sb, b1r + u1i, b1i - u1r, w1r, w1i);
      twS<T>(yr, yi, o0 + 2 * sb, b2r + u2i, b2i - u2r, w2r, w2i);
      twS<T>(yr, yi, o0 + 3 * sb, b2r - u2i, b2i + u2r, w3r, w3i);
      twS<T>(yr, yi, o0 + 4 * sb, b1r - u1i, b1i + u1r, w4r, w4i);
    }
  }
}

// Lanes l < L of tw at byte offsets e0 + l·de (twiddles w^{(p+l)k} of consecutive butterflies).
// @ts-ignore: decorator
@inline function gatherTw<T>(tw: usize, e0: usize, de: usize): v128 {
  if (sizeof<T>() == 4) {
    let v = f32x4.splat(load<f32>(tw + e0));
    v = f32x4.replace_lane(v, 1, load<f32>(tw + e0 + de));
    v = f32x4.replace_lane(v, 2, load<f32>(tw + e0 + 2 * de));
    return f32x4.replace_lane(v, 3, load<f32>(tw + e0 + 3 * de));
  }
  return f64x2.replace_lane(f64x2.splat(load<f64>(tw + e0)), 1, load<f64>(tw + e0 + de));
}

// Stores y[4p + k] for the L butterflies p… of a first stage (Y_k holds lane l = butterfly p + l): a transpose makes
// the 4·L outputs one contiguous run at dst.
// @ts-ignore: decorator
@inline function store4T<T>(dst: usize, y0: v128, y1: v128, y2: v128, y3: v128): void {
  if (sizeof<T>() == 4) {
    const t0 = v128.shuffle<f32>(y0, y1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(y0, y1, 2, 6, 3, 7);
    const t2 = v128.shuffle<f32>(y2, y3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(y2, y3, 2, 6, 3, 7);
    v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
    v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
    v128.store(dst, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
    v128.store(dst, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
  } else {
    v128.store(dst, v128.shuffle<f64>(y0, y1, 0, 2));
    v128.store(dst, v128.shuffle<f64>(y2, y3, 0, 2), 16);
    v128.store(dst, v128.shuffle<f64>(y0, y1, 1, 3), 32);
    v128.store(dst, v128.shuffle<f64>(y2, y3, 1, 3), 48);
  }
}

// The first radix-4 pass of a single sequence (stride s = 1), where SIMD across q has nothing to work on: SIMD runs
// across L consecutive butterflies p instead (contiguous loads, gathered twiddles, transposed stores).
function stage4first<T>(xr: usize, xi: usize, yr: usize, yi: usize, m: i32, tw: usize, tstep: i32): void {
  const size = <usize>sizeof<T>();
  const L = lanes<T>();
  const sm = <usize>m * size;
  const de = <usize>tstep * 2 * size; // table bytes between w^p and w^{p+1}
  let p = 0;
  if (ASC_FEATURE_SIMD) {
    for (; p + L <= m; p += L) {
      const i0 = <usize>p * size;
      const a0r = v128.load(xr + i0), a0i = v128.load(xi + i0);
      const a1r = v128.load(xr + i0 + sm), a1i = v128.load(xi + i0 + sm);
      const a2r = v128.load(xr + i0 + 2 * sm), a2i = v128.load(xi + i0 + 2 * sm);
      const a3r = v128.load(xr + i0 + 3 * sm), a3i = v128.load(xi + i0 + 3 * sm);
      const t0r = v128.add<T>(a0r, a2r), t0i = v128.add<T>(a0i, a2i);
      const t1r = v128.sub<T>(a0r, a2r), t1i = v128.sub<T>(a0i, a2i);
      const t2r = v128.add<T>(a1r, a3r), t2i = v128.add<T>(a1i, a3i);
      const t3r = v128.sub<T>(a1r, a3r), t3i = v128.sub<T>(a1i, a3i);
      const e = <usize>p * de;
      const w1r = gatherTw<T>(tw, e, de), w1i = gatherTw<T>(tw, e + size, de);
      const w2r = gatherTw<T>(tw, 2 * e, 2 * de), w2i = gatherTw<T>(tw, 2 * e + size, 2 * de);
      const w3r = gatherTw<T>(tw, 3 * e, 3 * de), w3i = gatherTw<T>(tw, 3 * e + size, 3 * de);
      const v1r = v128.add<T>(t1r, t3i), v1i = v128.sub<T>(t1i, t3r);
      const v2r = v128.sub<T>(t0r, t2r), v2i = v128.sub<T>(t0i, t2i);
      const v3r = v128.sub<T>(t1r, t3i), v3i = v128.add<T>(t1i, t3r);
      const o = <usize>(4 * p) * size;
      store4T<T>(yr + o, v128.add<T>(t0r, t2r),
        v128.sub<T>(v128.mul<T>(v1r, w1r), v128.mul<T>(v1i, w1i)),
        v128.sub<T>(v128.mul<T>(v2r, w2r), v128.mul<T>(v2i, w2i)),
        v128.sub<T>(v128.mul<T>(v3r, w3r), v128.mul<T>(v3i, w3i)));
      store4T<T>(yi + o, v128.add<T>(t0i, t2i),
        v128.add<T>(v128.mul<T>(v1r, w1i), v128.mul<T>(v1i, w1r)),
        v128.add<T>(v128.mul<T>(v2r, w2i), v128.mul<T>(v2i, w2r)),
        v128.add<T>(v128.mul<T>(v3r, w3i), v128.mul<T>(v3i, w3r)));
    }
  }
  // The last m mod L butterflies: the scalar pass on the tail (same formula, s = 1).
  if (p < m) stage4tail<T>(xr, xi, yr, yi, m, p, tw, tstep);
}

function stage4tail<T>(xr: usize, xi: usize, yr: usize, yi: usize, m: i32, p0: i32, tw: usize, tstep: i32): void {
  const size = <usize>sizeof<T>();
  const sm = <usize>m * size;
  for (let p = p0; p < m; p++) {
    const e = <usize>p * <usize>tstep * 2 * size;
    const i0 = <usize>p * size;
    const o0 = <usize>(4 * p) * size;
    const a0r = load<T>(xr + i0), a0i = load<T>(xi + i0);
    const a1r = load<T>(xr + i0 + sm), a1i = load<T>(xi + i0 + sm);
    const a2r = load<T>(xr + i0 + 2 * sm), a2i = load<T>(xi + i0 + 2 * sm);
    const a3r = load<T>(xr + i0 + 3 * sm), a3i = load<T>(xi + i0 + 3 * sm);
    const t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;
    const t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1r - a3r, t3i = a1i - a3i;
    store<T>(yr + o0, t0r + t2r);
    store<T>(yi + o0, t0i + t2i);
    twS<T>(yr, yi, o0 + size, t1r + t3i, t1i - t3r, load<T>(tw + e), load<T>(tw + e + size));
    twS<T>(yr, yi, o0 + 2 * size, t0r - t2r, t0i - t2i, load<T>(tw + 2 * e), load<T>(tw + 2 * e + size));
    twS<T>(yr, yi, o0 + 3 * size, t1r - t3i, t1i + t3r, load<T>(tw + 3 * e), load<T>(tw + 3 * e + size));
  }
}

/** Stockham FFT of `inner` interleaved sequences of length n, x → x or y; returns 1 when the result is in y. */
export function stockham<T>(xr: usize, xi: usize, yr: usize, yi: usize, n: i32, inner: i32, tw: usize, twStride: i32): i32 {
  let s = inner;
  let sp = 1;
  let inY = 0;
  let rest = n;
  // Radix order as radices() in src/kernels/fft.ts: 4s, then one 2, then 5s, then 3s.
  while (rest > 1) {
    let r = 3;
    if (rest % 4 == 0) r = 4;
    else if (rest % 2 == 0) r = 2;
    else if (rest % 5 == 0) r = 5;
    const m = n / (sp * r);
    const ar = inY ? yr : xr, ai = inY ? yi : xi, br = inY ? xr : yr, bi = inY ? xi : yi;
    const tstep = sp * twStride;
    if (r == 4 && s == 1) stage4first<T>(ar, ai, br, bi, m, tw, tstep);
    else if (r == 4) stage4<T>(ar, ai, br, bi, m, s, tw, tstep);
    else if (r == 2) stage2<T>(ar, ai, br, bi, m, s, tw, tstep);
    else if (r == 5) stage5<T>(ar, ai, br, bi, m, s, tw, tstep);
    else stage3<T>(ar, ai, br, bi, m, s, tw, tstep);
    s *= r;
    sp *= r;
    rest /= r;
    inY ^= 1;
  }
  return inY;
}

/** dst[0…w) = src[0…w), then zeros up to wp (w ≤ wp). */
// @ts-ignore: decorator
@inline function copyPad<T>(dst: usize, src: usize, w: i32, wp: i32): void {
  const size = <usize>sizeof<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    for (; i + L <= w; i += L) v128.store(dst + <usize>i * size, v128.load(src + <usize>i * size));
  }
  for (; i < w; i++) store<T>(dst + <usize>i * size, load<T>(src + <usize>i * size));
  for (; i < wp; i++) store<T>(dst + <usize>i * size, <T>0);
}

/**
 * The column transforms (fft_cols), and with `mul` (fft_cols_mul) after each batch's transforms the product with the
 * spectrum (br, bi)·scale at the same places (cmul's arithmetic) and the inverse (the transform of the planes
 * swapped, stored swapped back), one batch of columns at a time while it is in cache: the values of fftCols, cmul over
 * each row's width and fftCols on (im, re), in one pass over the planes instead of three. Not inlined: one body per
 * type serves both exports.
 */
function fftCols<T>(re: usize, im: usize, n: i32, inner: i32, width: i32, count: i32, dist: i32, work: usize, tw: usize,
  twStride: i32, mul: bool, br: usize, bi: usize, scale: T): void {
  const size = <usize>sizeof<T>();
  const C = n >= 512 ? 16 : 32; // at most FFT_CHUNK (src/kernels/fft.ts colWork, which sizes the scratch)
  // Planes a whole number of pages apart put the same rows of all four in the same cache sets (a radix-4 pass reads
  // and writes 16 streams): each plane is skewed by 17 cache lines (PLANE_SKEW of src/kernels/fft.ts).
  const plane = <usize>n * C * size + 1088;
  const ar = work, ai = work + plane, xr = work + 2 * plane, xi = work + 3 * plane;
  const L = ASC_FEATURE_SIMD ? lanes<T>() : 1;
  for (let c = 0; c < count; c++) {
    const base = <usize>c * <usize>dist * size;
    for (let i0 = 0; i0 < width; i0 += C) {
      const w = min(C, width - i0);
      const wp = (w + L - 1) / L * L;
      for (let j = 0; j < n; j++) {
        const src = base + (<usize>j * <usize>inner + <usize>i0) * size;
        const dst = <usize>(j * wp) * size;
        copyPad<T>(ar + dst, re + src, w, wp);
        copyPad<T>(ai + dst, im + src, w, wp);
      }
      const inY = stockham<T>(ar, ai, xr, xi, n, wp, tw, twStride);
      // The batch's result planes (fr, fi), copied back below.
      let fr = inY ? xr : ar, fi = inY ? xi : ai;
      if (mul) {
        for (let j = 0; j < n; j++) {
          const at = <usize>(j * wp) * size;
          const b = base + (<usize>j * <usize>inner + <usize>i0) * size;
          cmul<T>(fr + at, fi + at, br + b, bi + b, w, scale);
        }
        // The inverse: the transform of (fi, fr) into the other pair; its im plane is the result's re and vice versa.
        const ur = inY ? ar : xr, ui = inY ? ai : xi;
        const inY2 = stockham<T>(fi, fr, ui, ur, n, wp, tw, twStride);
        if (inY2) {
          fr = ur;
          fi = ui;
        }
      }
      for (let j = 0; j < n; j++) {
        const dst = base + (<usize>j * <usize>inner + <usize>i0) * size;
        const src = <usize>(j * wp) * size;
        copyPad<T>(re + dst, fr + src, w, w);
        copyPad<T>(im + dst, fi + src, w, w);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function cmul<T>(ar: usize, ai: usize, br: usize, bi: usize, n: i32, scale: T): void {
  const size = <usize>sizeof<T>();
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const sc = v128.splat<T>(scale);
    for (; i + L <= n; i += L) {
      const o = <usize>i * size;
      const xr = v128.load(ar + o), xi = v128.load(ai + o);
      const yr = v128.mul<T>(v128.load(br + o), sc), yi = v128.mul<T>(v128.load(bi + o), sc);
      v128.store(ar + o, v128.sub<T>(v128.mul<T>(xr, yr), v128.mul<T>(xi, yi)));
      v128.store(ai + o, v128.add<T>(v128.mul<T>(xr, yi), v128.mul<T>(xi, yr)));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i * size;
    const xr = load<T>(ar + o), xi = load<T>(ai + o);
    const yr = load<T>(br + o) * scale, yi = load<T>(bi + o) * scale;
    store<T>(ar + o, xr * yr - xi * yi);
    store<T>(ai + o, xr * yi + xi * yr);
  }
}

export function fft_cols_f32(re: usize, im: usize, n: i32, inner: i32, width: i32, count: i32, dist: i32, work: usize, tw: usize, twStride: i32): void {
  fftCols<f32>(re, im, n, inner, width, count, dist, work, tw, twStride, false, 0, 0, 0);
}
export function fft_cols_f64(re: usize, im: usize, n: i32, inner: i32, width: i32, count: i32, dist: i32, work: usize, tw: usize, twStride: i32): void {
  fftCols<f64>(re, im, n, inner, width, count, dist, work, tw, twStride, false, 0, 0, 0);
}
export function fft_cols_mul_f32(re: usize, im: usize, n: i32, inner: i32, width: i32, count: i32, dist: i32, work: usize, tw: usize,
  twStride: i32, br: usize, bi: usize, scale: f64): void {
  fftCols<f32>(re, im, n, inner, width, count, dist, work, tw, twStride, true, br, bi, <f32>scale);
}
export function fft_cols_mul_f64(re: usize, im: usize, n: i32, inner: i32, width: i32, count: i32, dist: i32, work: usize, tw: usize,
  twStride: i32, br: usize, bi: usize, scale: f64): void {
  fftCols<f64>(re, im, n, inner, width, count, dist, work, tw, twStride, true, br, bi, scale);
}
export function cmul_f32(ar: usize, ai: usize, br: usize, bi: usize, n: i32, scale: f64): void {
  cmul<f32>(ar, ai, br, bi, n, <f32>scale);
}
export function cmul_f64(ar: usize, ai: usize, br: usize, bi: usize, n: i32, scale: f64): void {
  cmul<f64>(ar, ai, br, bi, n, scale);
}
