// Template-matching kernels (matchTemplate without a mask, one channel), generic over the plane type T (f32/f64);
// every statistic is float64.
//   shift_plane   p[i] ← p[i] − g, or 0 where that is NaN or ±Infinity; returns 1 when any value was replaced
//   window_sums   for output row r of an h×w window: S[c] = Σ_{i<h, j<w} p[r + i, c + j], Q[c] = Σ p[r + i, c + j]²
//   score_row     the score of each window from its correlation c, S and Q (OpenCV 4.6's common_matchTemplate,
//                 or scikit-image's rule): see scoreRow for the formulas per mode
//   match_rows    window_sums then score_row for a block of output rows (one call per thread's block)
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
// Not inlined: matchRows and the exports share one body per type (inlined, each was compiled twice: +3 kB gzip).
function windowSums<T>(p: usize, W: i32, h: i32, w: i32, r: i32, sc: usize, S: usize, Q: usize): void {
  const size = <usize>sizeof<T>();
  const Wb = <usize>W << 3;
  const sufS = sc;
  const sufQ = sufS + <usize>h * Wb;
  const preS = sufQ + <usize>h * Wb;
  const preQ = preS + Wb;
  // Column sums, the row suffixes and the exclusive row prefixes hold (S, Q) pairs: one f64x2 per column, so that the
  // sequential pass along the row runs two chains of pairs instead of four scalar chains.
  const col = preQ + Wb;
  const rs = col + (Wb << 1);
  const ex = rs + (Wb << 1);
  const B = r - r % h;
  const pRow = <usize>W * size;
  if (r == B) {
    // A new block of rows B … B + h − 1: the suffix column sums; col = row 0 of them, the prefixes restart.
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
    for (let j = 0; j < W; j++) {
      const o = <usize>j << 3;
      store<f64>(col + (o << 1), load<f64>(sufS + o));
      store<f64>(col + (o << 1) + 8, load<f64>(sufQ + o));
    }
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
        const cs = f64x2.add(v128.load(oS + o), s);
        const cq = f64x2.add(v128.load(oQ + o), q);
        v128.store(col + (o << 1), i64x2.shuffle(cs, cq, 0, 2));
        v128.store(col + (o << 1) + 16, i64x2.shuffle(cs, cq, 1, 3));
      }
    }
    for (; j < W; j++) {
      const v = <f64>load<T>(src + <usize>j * size);
      const o = <usize>j << 3;
      const s = load<f64>(preS + o) + v;
      const q = load<f64>(preQ + o) + v * v;
      store<f64>(preS + o, s);
      store<f64>(preQ + o, q);
      store<f64>(col + (o << 1), load<f64>(oS + o) + s);
      store<f64>(col + (o << 1) + 8, load<f64>(oQ + o) + q);
    }
  }
  // Along the row, per block [J, J + len) of w columns: suffix sums rs (backwards) and exclusive prefix sums (forwards)
  // of the (S, Q) pairs. Window c = the suffix of its block at c + the next block's prefix up to c + w − 1.
  const ow = W - w + 1;
  const wb = <usize>w << 4;
  if (ASC_FEATURE_SIMD) {
    // Each sum is a chain of one f64x2 add per column, so two blocks run at a time (two chains in flight).
    let J = 0;
    for (; J + 2 * w <= W; J += 2 * w) {
      let sv = f64x2.splat(0), sv2 = f64x2.splat(0);
      for (let t = 0; t < w; t++) {
        const b = <usize>(J + w - 1 - t) << 4;
        sv = f64x2.add(sv, v128.load(col + b));
        sv2 = f64x2.add(sv2, v128.load(col + b + wb));
        v128.store(rs + b, sv);
        v128.store(rs + b + wb, sv2);
      }
    }
    for (; J < W; J += w) {
      const len = min(w, W - J);
      let sv = f64x2.splat(0);
      for (let t = 0; t < len; t++) {
        const b = <usize>(J + len - 1 - t) << 4;
        sv = f64x2.add(sv, v128.load(col + b));
        v128.store(rs + b, sv);
      }
    }
    // Forwards from block 1: the prefix e of block J before column J + t completes window c = J − w + t, written at
    // once (S[c], Q[c] = rs[c] + e), two windows per store; the prefixes are never stored.
    J = w;
    for (; J + 2 * w <= W; J += 2 * w) {
      let ev = f64x2.splat(0), ev2 = f64x2.splat(0);
      let t = 0;
      for (; t + 2 <= w; t += 2) {
        const f = <usize>(J + t) << 4;
        const o = f - wb;
        const a0 = f64x2.add(v128.load(rs + o), ev);
        const b0 = f64x2.add(v128.load(rs + o + wb), ev2);
        ev = f64x2.add(ev, v128.load(col + f));
        ev2 = f64x2.add(ev2, v128.load(col + f + wb));
        const a1 = f64x2.add(v128.load(rs + o + 16), ev);
        const b1 = f64x2.add(v128.load(rs + o + wb + 16), ev2);
        ev = f64x2.add(ev, v128.load(col + f + 16));
        ev2 = f64x2.add(ev2, v128.load(col + f + wb + 16));
        const c = <usize>(J - w + t) << 3;
        const cw = c + (<usize>w << 3);
        v128.store(S + c, i64x2.shuffle(a0, a1, 0, 2));
        v128.store(Q + c, i64x2.shuffle(a0, a1, 1, 3));
        v128.store(S + cw, i64x2.shuffle(b0, b1, 0, 2));
        v128.store(Q + cw, i64x2.shuffle(b0, b1, 1, 3));
      }
      if (t < w) {
        const f = <usize>(J + t) << 4;
        const c = <usize>(J - w + t) << 3;
        const cw = c + (<usize>w << 3);
        const a0 = f64x2.add(v128.load(rs + f - wb), ev);
        const b0 = f64x2.add(v128.load(rs + f), ev2);
        v128.store64_lane(S + c, a0, 0);
        v128.store64_lane(Q + c, a0, 1);
        v128.store64_lane(S + cw, b0, 0);
        v128.store64_lane(Q + cw, b0, 1);
      }
    }
    // The last window, W − w: its next block's prefix is the whole last block, or nothing when W ends a whole block.
    let last = f64x2.splat(0);
    for (; J < W; J += w) {
      const len = min(w, W - J);
      let ev = f64x2.splat(0);
      let t = 0;
      for (; t + 2 <= len; t += 2) {
        const f = <usize>(J + t) << 4;
        const o = f - wb;
        const a0 = f64x2.add(v128.load(rs + o), ev);
        ev = f64x2.add(ev, v128.load(col + f));
        const a1 = f64x2.add(v128.load(rs + o + 16), ev);
        ev = f64x2.add(ev, v128.load(col + f + 16));
        const c = <usize>(J - w + t) << 3;
        v128.store(S + c, i64x2.shuffle(a0, a1, 0, 2));
        v128.store(Q + c, i64x2.shuffle(a0, a1, 1, 3));
      }
      if (t < len) {
        const f = <usize>(J + t) << 4;
        const a0 = f64x2.add(v128.load(rs + f - wb), ev);
        ev = f64x2.add(ev, v128.load(col + f));
        const c = <usize>(J - w + t) << 3;
        v128.store64_lane(S + c, a0, 0);
        v128.store64_lane(Q + c, a0, 1);
      }
      if (len < w) last = ev;
    }
    const p = f64x2.add(v128.load(rs + (<usize>(W - w) << 4)), last);
    v128.store64_lane(S + (<usize>(W - w) << 3), p, 0);
    v128.store64_lane(Q + (<usize>(W - w) << 3), p, 1);
    return;
  }
  for (let J = 0; J < W; J += w) {
    const len = min(w, W - J);
    let s = 0.0, q = 0.0, es = 0.0, eq = 0.0;
    for (let t = 0; t < len; t++) {
      const b = <usize>(J + len - 1 - t) << 4;
      const f = <usize>(J + t) << 4;
      s += load<f64>(col + b);
      q += load<f64>(col + b + 8);
      store<f64>(rs + b, s);
      store<f64>(rs + b + 8, q);
      store<f64>(ex + f, es);
      store<f64>(ex + f + 8, eq);
      es += load<f64>(col + f);
      eq += load<f64>(col + f + 8);
    }
    if (J + len == W) {
      // ex[W]: the prefix of the last block up to W − 1 (or 0 when W starts a block).
      const f = <usize>W << 4;
      store<f64>(ex + f, len == w ? 0.0 : es);
      store<f64>(ex + f + 8, len == w ? 0.0 : eq);
    }
  }
  for (let c = 0; c < ow; c++) {
    const o = <usize>c << 4;
    store<f64>(S + (<usize>c << 3), load<f64>(rs + o) + load<f64>(ex + o + wb));
    store<f64>(Q + (<usize>c << 3), load<f64>(rs + o + 8) + load<f64>(ex + o + wb + 8));
  }
}

/** Below and above these, a statistic is not finished in float32 (√ and ÷ of float32 could lose range). */
const F32_LO: f64 = 8.271806125530277e-25; // 2^-80
const F32_HI: f64 = 1.2089258196146292e24; // 2^80

/**
 * Whether a normed score of a float32 result finishes in float32: the template norm in [2^-40, 2^40] and the
 * window's term d2 in [2^-80, 2^80], so that √d2·tn and the numerator stay far inside float32's normal range.
 */
// @ts-ignore: decorator
@inline function tnFits(tn: f64): bool {
  return tn >= 9.094947017729282e-13 && tn <= 1099511627776.0;
}

/**
 * The score of one window from num (its numerator), d2 (≥ 0: the variance-like term under the root) and e2 (the raw
 * energy the guard compares with), as OpenCV: t = √d2·tn, or 0 where d2 ≤ min(0.5, 10·FLT_EPSILON·e2); |num| < t
 * gives num/t, |num| < 1.125·t gives ±1, NaN stays NaN, anything else `fallback`. A float32 result whose d2 lies in
 * [F32_LO, F32_HI] (and tn fits) takes t and num/t in float32 arithmetic: the result is float32 anyway, and a
 * float32 √ and ÷ cost half a float64 pair (within 3 float32 ulps of the float64 finish).
 */
// @ts-ignore: decorator
@inline function finishOne<T>(num: f64, d2: f64, e2: f64, tn: f64, f32ok: bool, fallback: f64): f64 {
  const small = d2 <= min(0.5, 10 * FLT_EPSILON * e2);
  if (sizeof<T>() == 4 && f32ok && d2 >= F32_LO && d2 <= F32_HI) {
    const t: f32 = small ? <f32>0 : Mathf.sqrt(<f32>d2) * <f32>tn;
    const nf = <f32>num;
    const an = Mathf.abs(nf);
    return <f64>(an < t ? nf / t : an < t * <f32>1.125 ? (nf > 0 ? <f32>1 : <f32>-1) : nf != nf ? nf : <f32>fallback);
  }
  const t = small ? 0 : Math.sqrt(d2) * tn;
  const an = Math.abs(num);
  return an < t ? num / t : an < t * 1.125 ? (num > 0 ? 1.0 : -1.0) : num != num ? num : fallback;
}

/** One window's score (the scalar path of scoreRow: its tail, and windows the float32x4 finish leaves; not inlined). */
function scoreOne<T>(cv: f64, s: f64, q: f64, mode: i32, K: f64, invK: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64, f32ok: bool): f64 {
  const coeff = mode >= 4;
  const normed = mode == 1 || mode == 3 || mode == 5;
  let num: f64;
  let d2 = q;
  let e2 = q;
  if (coeff) {
    num = cv - s * m0;
    d2 = q - s * s * invK;
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
  if (mode == 6) {
    const den = Math.sqrt(max(d2, 0.0) * tn);
    return den > eps ? num / den : 0;
  }
  if (!normed) return num;
  return finishOne<T>(num, max(d2, 0.0), e2, tn, f32ok, mode == 1 ? 1.0 : 0.0);
}

// num, d2 (≥ 0) and e2 of two windows (see scoreRow and scoreOne), as f64x2; three pure functions that Binaryen
// inlines (a returned array would allocate). Q ≥ 0 (or NaN), so the guard leaves d2 > 0, 0 or NaN: scoreOne's
// max(d2, 0) is implied (f64x2.min/max, with their NaN rules, cost several instructions each; so does the
// min in OpenCV's test d2 ≤ min(0.5, 10·FLT_EPSILON·E), taken here as two comparisons).
// @ts-ignore: decorator
@inline function num2(cv: v128, s: v128, q: v128, mode: i32, m0v: v128, usq: v128): v128 {
  if (mode >= 4) return f64x2.sub(cv, f64x2.mul(s, m0v));
  if (mode <= 1) return f64x2.max(f64x2.add(f64x2.sub(q, f64x2.add(cv, cv)), usq), f64x2.splat(0));
  return cv;
}
// @ts-ignore: decorator
@inline function e2of(s: v128, q: v128, mode: i32, Kg2v: v128, g2: v128, guard: v128): v128 {
  if (mode >= 4) return f64x2.add(f64x2.add(q, Kg2v), f64x2.mul(g2, s));
  if (mode == 1) {
    const e2 = f64x2.add(f64x2.add(q, Kg2v), f64x2.mul(g2, s));
    return v128.andnot(e2, f64x2.le(e2, f64x2.mul(guard, q)));
  }
  return q;
}
// @ts-ignore: decorator
@inline function d2of(s: v128, q: v128, mode: i32, invKv: v128, Kg2v: v128, g2: v128, guard: v128): v128 {
  let d2 = q;
  if (mode >= 4) {
    d2 = f64x2.sub(q, f64x2.mul(f64x2.mul(s, s), invKv));
    d2 = v128.andnot(d2, f64x2.le(d2, f64x2.mul(guard, q)));
  } else if (mode == 1) {
    d2 = e2of(s, q, mode, Kg2v, g2, guard);
  }
  return d2;
}

/**
 * Scores of n windows: c (T, the correlation of the shifted plane with the used template), S, Q (f64 sums of the
 * shifted plane) → out (T; may be c). g: the plane's shift; K = h·w; Kg2 = K·g²; m0: mean of the used template.
 *   mode 0 sqdiff          max(Q − 2c + usedSq, 0)
 *   mode 1 sqdiff-normed   that / t, with E = Q + Kg2 + 2gS (raw Σ I², 0 below K·DBL_EPSILON·Q) and t = √E·tn
 *   mode 3 ccorr-normed    c / t, E = Q, t = √E·tn
 *   mode 4 ccoeff          c − S·m0
 *   mode 5 ccoeff-normed   that / t, V = Q − S²·(1/K) (0 below K·DBL_EPSILON·Q), t = √V·tn, E = Q + Kg2 + 2gS
 *   mode 6 as 5 by scikit-image: that / √(V·tn) where that root exceeds eps, else 0 (tn holds the template's Σ(T − T̄)²)
 * Normed modes as OpenCV (finishOne): t = 0 where V (E) ≤ min(0.5, 10·FLT_EPSILON·E); |num| < t gives num/t,
 * |num| < 1.125·t gives ±1, anything else 0 (1 for sqdiff-normed), NaN stays NaN; a float32 result finishes in float32
 * where finishOne says so (the SIMD path takes four windows at once when all four do, else finishes them one by one).
 */
// Not inlined: matchRows and the exports share one body per type (inlined, each was compiled twice: +3 kB gzip).
function scoreRow<T>(c: usize, S: usize, Q: usize, n: i32, out: usize, mode: i32, K: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64): void {
  const size = <usize>sizeof<T>();
  const normed = mode == 1 || mode == 3 || mode == 5;
  const fallback: f64 = mode == 1 ? 1.0 : 0.0;
  const invK = 1.0 / K;
  const f32ok = tnFits(tn);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f64x2.splat(0);
    const invKv = f64x2.splat(invK), m0v = f64x2.splat(m0), g2 = f64x2.splat(2 * g), Kg2v = f64x2.splat(Kg2);
    const tnv = f64x2.splat(tn), usq = f64x2.splat(usedSq), guard = f64x2.splat(K * DBL_EPSILON);
    const half = f64x2.splat(0.5), fe10 = f64x2.splat(10 * FLT_EPSILON), band = f64x2.splat(1.125);
    const one = f64x2.splat(1), mone = f64x2.splat(-1), fb = f64x2.splat(fallback), epsv = f64x2.splat(eps);
    if (sizeof<T>() == 4 && normed && f32ok) {
      // Four float32 windows: the terms in float64 pairs, the finish in one float32x4 when all four fit. Whether
      // they fit is read from the exponents of d2 rounded to float32, in [2^-79, 2^80): a range inside the float64
      // test of finishOne (windows outside it, NaN included, take scoreOne, which makes the exact test).
      const tn4 = f32x4.splat(<f32>tn), band4 = f32x4.splat(<f32>1.125), zero4 = f32x4.splat(0);
      const one4 = f32x4.splat(1), mone4 = f32x4.splat(-1), fb4 = f32x4.splat(<f32>fallback);
      const expLo = i32x4.splat(127 - 79), expSpan = i32x4.splat(79 + 80);
      const gz = g == 0; // E = Q + K·g² + 2g·S is Q
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 3;
        const x = v128.load(c + (<usize>i << 2));
        const ca = f64x2.promote_low_f32x4(x);
        const cb = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
        const sa = v128.load(S + o), sb = v128.load(S + o + 16), qa = v128.load(Q + o), qb = v128.load(Q + o + 16);
        const d2a = d2of(sa, qa, mode, invKv, Kg2v, g2, guard);
        const d2b = d2of(sb, qb, mode, invKv, Kg2v, g2, guard);
        const d2 = i64x2.shuffle(f32x4.demote_f64x2_zero(d2a), f32x4.demote_f64x2_zero(d2b), 0, 2);
        if (!i32x4.all_true(i32x4.lt_u(i32x4.sub(i32x4.shr_u(d2, 23), expLo), expSpan))) {
          for (let j = 0; j < 4; j++) {
            const oj = <usize>(i + j) << 3;
            const r = scoreOne<T>(<f64>load<f32>(c + (<usize>(i + j) << 2)), load<f64>(S + oj), load<f64>(Q + oj), mode, K, invK, m0, g, Kg2, tn, usedSq, eps, f32ok);
            store<f32>(out + (<usize>(i + j) << 2), <f32>r);
          }
          continue;
        }
        let ea = qa, eb = qb;
        if (mode != 5 || !gz) {
          ea = e2of(sa, qa, mode, Kg2v, g2, guard);
          eb = e2of(sb, qb, mode, Kg2v, g2, guard);
        }
        const smallA = v128.and(f64x2.le(d2a, half), f64x2.le(d2a, f64x2.mul(fe10, ea)));
        const smallB = v128.and(f64x2.le(d2b, half), f64x2.le(d2b, f64x2.mul(fe10, eb)));
        const small = i32x4.shuffle(smallA, smallB, 0, 2, 4, 6);
        const num = i64x2.shuffle(f32x4.demote_f64x2_zero(num2(ca, sa, qa, mode, m0v, usq)), f32x4.demote_f64x2_zero(num2(cb, sb, qb, mode, m0v, usq)), 0, 2);
        const t = v128.andnot(f32x4.mul(f32x4.sqrt(d2), tn4), small);
        const an = f32x4.abs(num);
        const inside = f32x4.lt(an, t);
        const q = f32x4.div(num, t);
        // Nearly every window is inside (|score| < 1); the band of ±1, NaN and the fallback only where one is not.
        if (i32x4.all_true(inside)) {
          v128.store(out + (<usize>i << 2), q);
          continue;
        }
        const sgn = v128.bitselect(one4, mone4, f32x4.gt(num, zero4));
        const rest = v128.bitselect(num, fb4, f32x4.ne(num, num));
        v128.store(out + (<usize>i << 2), v128.bitselect(q, v128.bitselect(sgn, rest, f32x4.lt(an, f32x4.mul(t, band4))), inside));
      }
    } else {
      for (; i + 2 <= n; i += 2) {
        const o = <usize>i << 3;
        const sv = v128.load(S + o);
        const qv = v128.load(Q + o);
        const num = num2(load2<T>(c + <usize>i * size), sv, qv, mode, m0v, usq);
        const d2 = d2of(sv, qv, mode, invKv, Kg2v, g2, guard);
        let r = num;
        if (mode == 6) {
          const den = f64x2.sqrt(f64x2.mul(d2, tnv));
          r = v128.and(f64x2.div(num, den), f64x2.gt(den, epsv));
        } else if (normed) {
          const small = v128.and(f64x2.le(d2, half), f64x2.le(d2, f64x2.mul(fe10, e2of(sv, qv, mode, Kg2v, g2, guard))));
          const t = v128.andnot(f64x2.mul(f64x2.sqrt(d2), tnv), small);
          const an = f64x2.abs(num);
          const sgn = v128.bitselect(one, mone, f64x2.gt(num, zero));
          const rest = v128.bitselect(num, fb, f64x2.ne(num, num));
          r = v128.bitselect(f64x2.div(num, t), v128.bitselect(sgn, rest, f64x2.lt(an, f64x2.mul(t, band))), f64x2.lt(an, t));
        }
        store2<T>(out + <usize>i * size, r);
      }
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const r = scoreOne<T>(<f64>load<T>(c + <usize>i * size), load<f64>(S + o), load<f64>(Q + o), mode, K, invK, m0, g, Kg2, tn, usedSq, eps, f32ok);
    store<T>(out + <usize>i * size, <T>r);
  }
}

/**
 * Rows r0 … r1 − 1 of one channel's scores: per row, windowSums into S and Q, then scoreRow from the correlation row
 * at c + r·ow into out + r·ow (ow = W − w + 1; out may be c). r0 is a multiple of h (windowSums restarts there), so
 * row blocks may run on different threads, each with its own sc, S and Q, and give the same bits as one call.
 */
// @ts-ignore: decorator
@inline function matchRows<T>(p: usize, W: i32, h: i32, w: i32, r0: i32, r1: i32, sc: usize, S: usize, Q: usize, c: usize, out: usize,
  mode: i32, K: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64): void {
  const ow = W - w + 1;
  const rowBytes = <usize>ow * <usize>sizeof<T>();
  for (let r = r0; r < r1; r++) {
    windowSums<T>(p, W, h, w, r, sc, S, Q);
    scoreRow<T>(c + <usize>r * rowBytes, S, Q, ow, out + <usize>r * rowBytes, mode, K, m0, g, Kg2, tn, usedSq, eps);
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
export function match_rows_f32(p: usize, W: i32, h: i32, w: i32, r0: i32, r1: i32, sc: usize, S: usize, Q: usize, c: usize, out: usize,
  mode: i32, K: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64): void {
  matchRows<f32>(p, W, h, w, r0, r1, sc, S, Q, c, out, mode, K, m0, g, Kg2, tn, usedSq, eps);
}
export function match_rows_f64(p: usize, W: i32, h: i32, w: i32, r0: i32, r1: i32, sc: usize, S: usize, Q: usize, c: usize, out: usize,
  mode: i32, K: f64, m0: f64, g: f64, Kg2: f64, tn: f64, usedSq: f64, eps: f64): void {
  matchRows<f64>(p, W, h, w, r0, r1, sc, S, Q, c, out, mode, K, m0, g, Kg2, tn, usedSq, eps);
}
