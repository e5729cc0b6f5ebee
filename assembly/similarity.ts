// Template-matching kernels (matchTemplate without a mask, one channel), generic over the plane type T (f32/f64);
// every statistic is float64.
//   shift_plane   p[i] ← p[i] − g, or 0 where that is NaN or ±Infinity; returns 1 when any value was replaced
//   window_sums   for output row r of an h×w window: S[c] = Σ_{i<h, j<w} p[r + i, c + j], Q[c] = Σ p[r + i, c + j]²
//   score_row     the score of each window from its correlation c, S and Q (OpenCV 4.6's common_matchTemplate,
//                 or scikit-image's rule): see scoreRow for the formulas per mode
// window_sums follows van Herk's split so that every sum only adds values of its own window (no running total is
// subtracted, whose rounding would scale with everything it passed): rows are cut into blocks of h, a window's
// column sum is the suffix sum of its first block plus the prefix sum of the next, and likewise along the row with
// blocks of w. Each sum errs by at most (h + w)·ε·Σ|its terms|.
import { lanes } from './simd';

const DBL_EPSILON: f64 = 2.220446049250313e-16; // 2^-52
const FLT_EPSILON: f64 = 1.1920928955078125e-7; // 2^-23

/** Two T at ptr as f64x2. */
// @ts-ignore: decorator
@inline function load2<T>(ptr: usize): v128 {
  if (sizeof<T>() == 4) return f64x2.promote_low_f32x4(v128.load64_zero(ptr));
  return v128.load(ptr);
}

/** Store f64x2 v at ptr as two T. */
// @ts-ignore: decorator
@inline function store2<T>(ptr: usize, v: v128): void {
  if (sizeof<T>() == 4) v128.store64_lane(ptr, f32x4.demote_f64x2_zero(v), 0);
  else v128.store(ptr, v);
}

// @ts-ignore: decorator
@inline function shiftPlane<T>(p: usize, n: i32, g: f64): i32 {
  const size = <usize>sizeof<T>();
  let bad = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const L = lanes<T>();
    const gv = f64x2.splat(g);
    const zero = f64x2.splat(0);
    let hit = zero;
    for (; i + L <= n; i += L) {
      const q = p + <usize>i * size;
      if (sizeof<T>() == 4) {
        const x = v128.load(q);
        const a = f64x2.sub(f64x2.promote_low_f32x4(x), gv);
        const b = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), gv);
        // v − v is 0 exactly when v is finite.
        const oka = f64x2.eq(f64x2.sub(a, a), zero);
        const okb = f64x2.eq(f64x2.sub(b, b), zero);
        hit = v128.or(hit, v128.not(v128.and(oka, okb)));
        const ra = f32x4.demote_f64x2_zero(v128.and(a, oka));
        const rb = f32x4.demote_f64x2_zero(v128.and(b, okb));
        v128.store(q, i64x2.shuffle(ra, rb, 0, 2));
      } else {
        const a = f64x2.sub(v128.load(q), gv);
        const ok = f64x2.eq(f64x2.sub(a, a), zero);
        hit = v128.or(hit, v128.not(ok));
        v128.store(q, v128.and(a, ok));
      }
    }
    if (v128.any_true(hit)) bad = 1;
  }
  for (; i < n; i++) {
    const q = p + <usize>i * size;
    const v = <f64>load<T>(q) - g;
    if (v - v == 0) {
      store<T>(q, <T>v);
    } else {
      store<T>(q, <T>0);
      bad = 1;
    }
  }
  return bad;
}

/**
 * Window sums of output row r (rows must be visited 0, 1, 2, … in order: the state lives in scratch). p: the plane
 * (row stride W elements of T). sc: f64 scratch of 2·h·W + 8·W + 4 elements. S, Q: ow = W − w + 1 f64 each.
 */
// @ts-ignore: decorator
@inline function windowSums<T>(p: usize, W: i32, h: i32, w: i32, r: i32, sc: usize, S: usize, Q: usize): void {
  const size = <usize>sizeof<T>();
  const Wb = <usize>W << 3;
  const sufS = sc;
  const sufQ = sufS + <usize>h * Wb;
  const preS = sufQ + <usize>h * Wb;
  const preQ = preS + Wb;
  const colS = preQ + Wb;
  const colQ = colS + Wb;
  const rsS = colQ + Wb;
  const rsQ = rsS + Wb;
  const exS = rsQ + Wb;
  const exQ = exS + Wb + 16;
  const B = r - r % h;
  const pRow = <usize>W * size;
  if (r == B) {
    // A new block of rows B … B + h − 1: the suffix column sums; colS/colQ = row 0 of them, the prefixes restart.
    for (let i = h - 1; i >= 0; i--) {
      const src = p + <usize>(B + i) * pRow;
      const oS = sufS + <usize>i * Wb;
      const oQ = sufQ + <usize>i * Wb;
      const last = i == h - 1;
      let j = 0;
      if (ASC_FEATURE_SIMD) {
        for (; j + 2 <= W; j += 2) {
          const v = load2<T>(src + <usize>j * size);
          const o = <usize>j << 3;
          let s = v;
          let q = f64x2.mul(v, v);
          if (!last) {
            s = f64x2.add(v128.load(oS + o + Wb), s);
            q = f64x2.add(v128.load(oQ + o + Wb), q);
          }
          v128.store(oS + o, s);
          v128.store(oQ + o, q);
        }
      }
      for (; j < W; j++) {
        const v = <f64>load<T>(src + <usize>j * size);
        const o = <usize>j << 3;
        let s = v;
        let q = v * v;
        if (!last) {
          s = load<f64>(oS + o + Wb) + s;
          q = load<f64>(oQ + o + Wb) + q;
        }
        store<f64>(oS + o, s);
        store<f64>(oQ + o, q);
      }
    }
    memory.copy(colS, sufS, Wb);
    memory.copy(colQ, sufQ, Wb);
    memory.fill(preS, 0, Wb << 1);
  } else {
    // Rows r … r + h − 1: the suffix from r in this block plus the next block's prefix up to row r + h − 1.
    const src = p + <usize>(r + h - 1) * pRow;
    const oS = sufS + <usize>(r - B) * Wb;
    const oQ = sufQ + <usize>(r - B) * Wb;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 2 <= W; j += 2) {
        const v = load2<T>(src + <usize>j * size);
        const o = <usize>j << 3;
        const s = f64x2.add(v128.load(preS + o), v);
        const q = f64x2.add(v128.load(preQ + o), f64x2.mul(v, v));
        v128.store(preS + o, s);
        v128.store(preQ + o, q);
        v128.store(colS + o, f64x2.add(v128.load(oS + o), s));
        v128.store(colQ + o, f64x2.add(v128.load(oQ + o), q));
      }
    }
    for (; j < W; j++) {
      const v = <f64>load<T>(src + <usize>j * size);
      const o = <usize>j << 3;
      const s = load<f64>(preS + o) + v;
      const q = load<f64>(preQ + o) + v * v;
      store<f64>(preS + o, s);
      store<f64>(preQ + o, q);
      store<f64>(colS + o, load<f64>(oS + o) + s);
      store<f64>(colQ + o, load<f64>(oQ + o) + q);
    }
  }
  // Along the row, per block [J, J + len): suffix sums rs (backwards) and exclusive prefix sums ex (forwards), four
  // independent chains in one loop. ex[k] = Σ col[blockStart(k) … k − 1] for k ≤ W.
  for (let J = 0; J < W; J += w) {
    const len = min(w, W - J);
    let s = 0.0, q = 0.0, es = 0.0, eq = 0.0;
    for (let t = 0; t < len; t++) {
      const b = <usize>(J + len - 1 - t) << 3;
      const f = <usize>(J + t) << 3;
      s += load<f64>(colS + b);
      q += load<f64>(colQ + b);
      store<f64>(rsS + b, s);
      store<f64>(rsQ + b, q);
      store<f64>(exS + f, es);
      store<f64>(exQ + f, eq);
      es += load<f64>(colS + f);
      eq += load<f64>(colQ + f);
    }
    if (J + len == W) {
      // ex[W]: the prefix of the last block up to W − 1 (or 0 when W starts a block).
      const f = <usize>W << 3;
      store<f64>(exS + f, len == w ? 0.0 : es);
      store<f64>(exQ + f, len == w ? 0.0 : eq);
    }
  }
  // Window c = suffix of its first block at c + the next block's prefix up to c + w − 1 (ex[c + w]).
  const ow = W - w + 1;
  const wb = <usize>w << 3;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 2 <= ow; c += 2) {
      const o = <usize>c << 3;
      v128.store(S + o, f64x2.add(v128.load(rsS + o), v128.load(exS + o + wb)));
      v128.store(Q + o, f64x2.add(v128.load(rsQ + o), v128.load(exQ + o + wb)));
    }
  }
  for (; c < ow; c++) {
    const o = <usize>c << 3;
    store<f64>(S + o, load<f64>(rsS + o) + load<f64>(exS + o + wb));
    store<f64>(Q + o, load<f64>(rsQ + o) + load<f64>(exQ + o + wb));
  }
}

/**
 * Scores of n windows: c (T, the correlation of the shifted plane with the used template), S, Q (f64 sums of the
 * shifted plane) → out (T; may be c). g: the plane's shift; K = h·w; Kg2 = K·g²; m0: mean of the used template.
 *   mode 0 sqdiff          max(Q − 2c + usedSq, 0)
 *   mode 1 sqdiff-normed   that / t, with E = Q + Kg2 + 2gS (raw Σ I², 0 below K·DBL_EPSILON·Q) and t = √E·tn
 *   mode 3 ccorr-normed    c / t, E = Q, t = √E·tn
 *   mode 4 ccoeff          c − S·m0
 *   mode 5 ccoeff-normed   that / t, V = Q − S²/K (0 below K·DBL_EPSILON·Q), t = √V·tn, E = Q + Kg2 + 2gS
 *   mode 6 as 5 by scikit-image: that / √(V·tn) where that root exceeds eps, else 0 (tn holds the template's Σ(T − T̄)²)
 * Normed modes as OpenCV: t = 0 where V (E) ≤ min(0.5, 10·FLT_EPSILON·E); |num| < t gives num/t, |num| < 1.125·t gives
 * ±1, anything else 0 (1 for sqdiff-normed), NaN stays NaN.
 */
// @ts-ignore: decorator
@inline function scoreRow<T>(c: usize, S: usize, Q: usize, n: i32, out: usize, mode: i32, K: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64): void {
  const size = <usize>sizeof<T>();
  const coeff = mode >= 4;
  const normed = mode == 1 || mode == 3 || mode == 5;
  const fallback: f64 = mode == 1 ? 1.0 : 0.0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f64x2.splat(0);
    const Kv = f64x2.splat(K), m0v = f64x2.splat(m0), g2 = f64x2.splat(2 * g), Kg2v = f64x2.splat(Kg2);
    const tnv = f64x2.splat(tn), usq = f64x2.splat(usedSq), guard = f64x2.splat(K * DBL_EPSILON);
    const half = f64x2.splat(0.5), fe10 = f64x2.splat(10 * FLT_EPSILON), band = f64x2.splat(1.125);
    const one = f64x2.splat(1), mone = f64x2.splat(-1), fb = f64x2.splat(fallback), epsv = f64x2.splat(eps);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const cv = load2<T>(c + <usize>i * size);
      const s = v128.load(S + o);
      const q = v128.load(Q + o);
      let num: v128;
      let d2: v128 = q;
      let e2: v128 = q;
      if (coeff) {
        num = f64x2.sub(cv, f64x2.mul(s, m0v));
        d2 = f64x2.sub(q, f64x2.div(f64x2.mul(s, s), Kv));
        d2 = v128.andnot(d2, f64x2.le(d2, f64x2.mul(guard, q)));
        e2 = f64x2.add(f64x2.add(q, Kg2v), f64x2.mul(g2, s));
      } else if (mode <= 1) {
        num = f64x2.max(f64x2.add(f64x2.sub(q, f64x2.add(cv, cv)), usq), zero);
        if (mode == 1) {
          e2 = f64x2.add(f64x2.add(q, Kg2v), f64x2.mul(g2, s));
          e2 = v128.andnot(e2, f64x2.le(e2, f64x2.mul(guard, q)));
          d2 = e2;
        }
      } else {
        num = cv;
      }
      let r = num;
      if (mode == 6) {
        const den = f64x2.sqrt(f64x2.mul(f64x2.max(d2, zero), tnv));
        r = v128.and(f64x2.div(num, den), f64x2.gt(den, epsv));
      } else if (normed) {
        d2 = f64x2.max(d2, zero);
        const small = f64x2.le(d2, f64x2.min(half, f64x2.mul(fe10, e2)));
        const t = v128.andnot(f64x2.mul(f64x2.sqrt(d2), tnv), small);
        const an = f64x2.abs(num);
        const sgn = v128.bitselect(one, mone, f64x2.gt(num, zero));
        const rest = v128.bitselect(num, fb, f64x2.ne(num, num));
        r = v128.bitselect(f64x2.div(num, t), v128.bitselect(sgn, rest, f64x2.lt(an, f64x2.mul(t, band))), f64x2.lt(an, t));
      }
      store2<T>(out + <usize>i * size, r);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const cv = <f64>load<T>(c + <usize>i * size);
    const s = load<f64>(S + o);
    const q = load<f64>(Q + o);
    let num: f64;
    let d2 = q;
    let e2 = q;
    if (coeff) {
      num = cv - s * m0;
      d2 = q - (s * s) / K;
      if (d2 <= K * DBL_EPSILON * q) d2 = 0;
      e2 = q + Kg2 + 2 * g * s;
    } else if (mode <= 1) {
      num = max(q - 2 * cv + usedSq, 0.0);
      if (mode == 1) {
        e2 = q + Kg2 + 2 * g * s;
        if (e2 <= K * DBL_EPSILON * q) e2 = 0;
        d2 = e2;
      }
    } else {
      num = cv;
    }
    let r = num;
    if (mode == 6) {
      const den = Math.sqrt(max(d2, 0.0) * tn);
      r = den > eps ? num / den : 0;
    } else if (normed) {
      d2 = max(d2, 0.0);
      const t = d2 <= min(0.5, 10 * FLT_EPSILON * e2) ? 0 : Math.sqrt(d2) * tn;
      const an = Math.abs(num);
      r = an < t ? num / t : an < t * 1.125 ? (num > 0 ? 1.0 : -1.0) : num != num ? num : fallback;
    }
    store<T>(out + <usize>i * size, <T>r);
  }
}

export function shift_plane_f32(p: usize, n: i32, g: f64): i32 {
  return shiftPlane<f32>(p, n, g);
}
export function shift_plane_f64(p: usize, n: i32, g: f64): i32 {
  return shiftPlane<f64>(p, n, g);
}
export function window_sums_f32(p: usize, W: i32, h: i32, w: i32, r: i32, sc: usize, S: usize, Q: usize): void {
  windowSums<f32>(p, W, h, w, r, sc, S, Q);
}
export function window_sums_f64(p: usize, W: i32, h: i32, w: i32, r: i32, sc: usize, S: usize, Q: usize): void {
  windowSums<f64>(p, W, h, w, r, sc, S, Q);
}
export function score_row_f32(c: usize, S: usize, Q: usize, n: i32, out: usize, mode: i32, K: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64): void {
  scoreRow<f32>(c, S, Q, n, out, mode, K, m0, g, Kg2, tn, usedSq, eps);
}
export function score_row_f64(c: usize, S: usize, Q: usize, n: i32, out: usize, mode: i32, K: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64): void {
  scoreRow<f64>(c, S, Q, n, out, mode, K, m0, g, Kg2, tn, usedSq, eps);
}
