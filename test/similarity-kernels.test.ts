// The template-matching kernels (assembly/similarity.ts and their JS twins in src/kernels/similarity.ts) against
// naive loops written here from the formulas, and the backend's kernel against its JS twin, on widths either side
// of the SIMD widths (2 f64 / 4 f32 lanes), with guard values around every output.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Float } from '../src/arrays';
import { jsKernels, type Kernels } from '../src/kernels';
import { windowSumsScratch } from '../src/kernels/similarity';
import { withWorkspace } from '../src/workspace';
import { backendCases, rng, useBackend } from './helpers';

const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 17];
const GUARD = 12345.5;
const DTYPES = ['float32', 'float64'] as const;
type DT = (typeof DTYPES)[number];
const round = (d: DT, v: number) => (d === 'float32' ? Math.fround(v) : v);
/** Elements of dtype d that hold m float64 values. */
const f64n = (d: DT, m: number) => (d === 'float32' ? 2 * m : m);
/** m float64 values of mem at element offset off. */
const read64 = (mem: Float, off: number, m: number) => Array.from(new Float64Array(mem.buffer, mem.byteOffset + off * mem.BYTES_PER_ELEMENT, m));
const write64 = (mem: Float, off: number, v: ArrayLike<number>) => new Float64Array(mem.buffer, mem.byteOffset + off * mem.BYTES_PER_ELEMENT, v.length).set(v);

/** run() with the current backend's kernels in a workspace, and with the JS twins on a plain array of the same layout. */
function both<R>(d: DT, sizes: number[], run: (k: Kernels, mem: Float, off: number[]) => R): { got: R; twin: R } {
  const got = withWorkspace('test', undefined, d, sizes, (ws) => run(ws.k, ws.mem, ws.off));
  let total = 0;
  const off = sizes.map((n) => {
    const o = total;
    total += Math.ceil(n / 4) * 4;
    return o;
  });
  const twin = run(jsKernels, new (d === 'float32' ? Float32Array : Float64Array)(total), off);
  return { got, twin };
}

/** A naive window sum of f over rows r … r + h − 1, columns c … c + w − 1, and Σ|f| over it. */
function boxSum(p: ArrayLike<number>, W: number, r: number, c: number, h: number, w: number, f: (v: number) => number): [number, number] {
  let s = 0;
  let a = 0;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    const v = f(p[(r + i) * W + c + j]);
    s += v;
    a += Math.abs(v);
  }
  return [s, a];
}

const DBL_EPSILON = 2 ** -52;
/** A variance as a divisor: positive, however small. */
const q0 = (v: number) => Math.max(v, 1e-300);
const FLT_EPSILON = 2 ** -23;

/** The scores of scoreRow from the formulas (see assembly/similarity.ts), in float64. */
function naiveScore(mode: number, c: number, s: number, q: number, K: number, m0: number, g: number, Kg2: number, tn: number, usedSq: number, eps: number): number {
  let num = c;
  let V = q; // the variance-like term under the root
  let E = q; // the raw energy the guard compares with
  if (mode >= 4) {
    num = c - s * m0;
    V = q - (s * s) / K;
    if (V <= K * DBL_EPSILON * q) V = 0;
    E = q + Kg2 + 2 * g * s;
  } else if (mode <= 1) {
    num = Math.max(q - 2 * c + usedSq, 0);
    if (mode === 1) {
      E = q + Kg2 + 2 * g * s;
      if (E <= K * DBL_EPSILON * q) E = 0;
      V = E;
    }
  }
  if (mode === 0 || mode === 4) return num;
  if (mode === 6) {
    const den = Math.sqrt(Math.max(V, 0) * tn);
    return den > eps ? num / den : 0;
  }
  V = Math.max(V, 0);
  const t = V <= Math.min(0.5, 10 * FLT_EPSILON * E) ? 0 : Math.sqrt(V) * tn;
  if (Number.isNaN(num)) return NaN;
  if (Math.abs(num) < t) return num / t;
  if (Math.abs(num) < 1.125 * t) return Math.sign(num);
  return mode === 1 ? 1 : 0;
}

describe.each(backendCases())('similarity kernels on %s', (be) => {
  beforeAll(() => useBackend(be));

  for (const d of DTYPES) {
    it(`shiftPlane ${d}: p − g, NaN and ±Infinity to 0, the flag; lengths ${WIDTHS.join(', ')}, 33; guards`, () => {
      for (const n of [...WIDTHS, 33]) {
        for (const withBad of [false, true]) {
          const r = rng(n * 7 + (withBad ? 1 : 0));
          const src = Float64Array.from({ length: n }, () => round(d, 100 + r() * 10));
          if (withBad) src[Math.floor(r() * n)] = [NaN, Infinity, -Infinity][n % 3];
          const g = 100 + r();
          const { got, twin } = both(d, [n + 8], (k, mem, [p]) => {
            mem.fill(GUARD, p, p + n + 8);
            mem.set(src, p + 4);
            const flag = k.shiftPlane(mem, p + 4, n, g);
            return { flag, m: Array.from(mem.subarray(p, p + n + 8)) };
          });
          const naive = Array.from(src, (x) => (Number.isFinite(x - g) ? round(d, x - g) : 0));
          for (const [name, { flag, m }] of [['kernel', got], ['twin', twin]] as const) {
            expect(flag, `${name} flag n=${n}`).toBe(withBad ? 1 : 0);
            expect(m.slice(0, 4), `${name} guard before, n=${n}`).toEqual([GUARD, GUARD, GUARD, GUARD]);
            expect(m.slice(4 + n), `${name} guard after, n=${n}`).toEqual([GUARD, GUARD, GUARD, GUARD]);
            expect(m.slice(4, 4 + n), `${name} n=${n}`).toEqual(naive);
          }
        }
      }
    });

    it(`windowSums ${d}: Σ and Σ² of every window within (h + w)·ε·Σ|its terms| of a plain sum, equal to the twin; guards`, () => {
      const shapes: [number, number, number, number][] = [];
      for (const W of WIDTHS) for (const w of [1, 2, 3, 5].filter((v) => v <= W)) for (const h of [1, 2, 3]) shapes.push([h + 4, W, h, w]);
      shapes.push([20, 33, 7, 6], [9, 40, 4, 17], [6, 8, 6, 8]);
      for (const [H, W, h, w] of shapes) {
        const r = rng(H * 1000 + W * 10 + h + w);
        // A bright column block beside dim ones: a window must not inherit the rounding of values outside it.
        const plane = Float64Array.from({ length: H * W }, (_, i) => round(d, i % W < Math.min(w, 3) && W > 4 ? 1e6 + r() : r() * 1e-3 - 5e-4));
        const oh = H - h + 1;
        const ow = W - w + 1;
        const { got, twin } = both(d, [H * W, f64n(d, windowSumsScratch(W, h)), f64n(d, ow + 2), f64n(d, ow + 2)], (k, mem, [p, sc, S, Q]) => {
          mem.set(plane, p);
          const rows: number[][] = [];
          for (let row = 0; row < oh; row++) {
            write64(mem, S, new Array(ow + 2).fill(GUARD));
            write64(mem, Q, new Array(ow + 2).fill(GUARD));
            k.windowSums(mem, p, W, h, w, row, sc, S, Q);
            rows.push([...read64(mem, S, ow + 2), ...read64(mem, Q, ow + 2)]);
          }
          return rows;
        });
        const id = `H=${H} W=${W} h=${h} w=${w}`;
        expect(got, `kernel vs twin ${id}`).toEqual(twin);
        for (let row = 0; row < oh; row++) {
          const v = got[row];
          expect([v[ow], v[ow + 1], v[2 * ow + 2], v[2 * ow + 3]], `guards ${id} row ${row}`).toEqual([GUARD, GUARD, GUARD, GUARD]);
          for (let c = 0; c < ow; c++) {
            const [s, as] = boxSum(plane, W, row, c, h, w, (x) => x);
            const [q, aq] = boxSum(plane, W, row, c, h, w, (x) => x * x);
            const tol = (h + w) * 2 ** -53;
            expect(Math.abs(v[c] - s), `S ${id} [${row}, ${c}]`).toBeLessThanOrEqual(tol * as);
            expect(Math.abs(v[ow + 2 + c] - q), `Q ${id} [${row}, ${c}]`).toBeLessThanOrEqual(tol * aq);
          }
        }
      }
    });

    it(`scoreRow ${d}: every mode equals the formulas (guard bands, clamps, NaN), equal to the twin; in place and with guards`, () => {
      for (const n of [...WIDTHS, 33]) {
        for (const mode of [0, 1, 3, 4, 5, 6]) {
          const r = rng(n * 10 + mode);
          const K = 9;
          const m0 = 0.01;
          // g = 0 (an image the shift leaves as it is) on odd lengths for ccoeff-normed: the kernel skips E's terms in g.
          const g = mode === 3 || (mode === 5 && n % 2 === 1) ? 0 : 0.5;
          const Kg2 = K * g * g;
          const tn = 3;
          const usedSq = 7;
          const eps = d === 'float32' ? 2 ** -23 : 2 ** -52;
          const c: number[] = [];
          const S: number[] = [];
          const Q: number[] = [];
          for (let i = 0; i < n; i++) {
            const kind = i % 7;
            let s = (r() - 0.5) * 4;
            let q = s * s / K + r() * 2;
            if (kind === 1) q = (s * s) / K; // a flat window: the variance guard
            if (kind === 2) { s = 0; q = 0; } // a window of zeros
            // A variance under the guard of the raw energy E = Q + K·g² + 2g·S but above Q's own: the guard must use E.
            if (kind === 6) { s = 1; q = 1 / K + 2e-6; }
            const t = Math.sqrt(Math.max(q - (s * s) / K, 0)) * tn;
            let cv = (r() - 0.5) * 2 * t + s * m0;
            if (kind === 3) cv = 1.06 * t + s * m0; // inside the 1.125 band
            if (kind === 4) cv = 2 * t + s * m0; // beyond it
            if (kind === 5) cv = NaN;
            c.push(round(d, cv));
            S.push(s);
            Q.push(q);
          }
          for (const inPlace of [false, true]) {
            const { got, twin } = both(d, [n + 8, f64n(d, n), f64n(d, n), n + 8], (k, mem, [co, so, qo, oo]) => {
              mem.fill(GUARD, co, co + n + 8);
              mem.fill(GUARD, oo, oo + n + 8);
              mem.set(c, co + 4);
              write64(mem, so, S);
              write64(mem, qo, Q);
              const out = inPlace ? co : oo;
              k.scoreRow(mem, co + 4, so, qo, n, out + 4, mode, K, m0, g, Kg2, tn, usedSq, eps);
              return Array.from(mem.subarray(out, out + n + 8));
            });
            const id = `n=${n} mode=${mode}${inPlace ? ' in place' : ''}`;
            expect(got, `kernel vs twin ${id}`).toEqual(twin);
            const G = [GUARD, GUARD, GUARD, GUARD];
            expect([...got.slice(0, 4), ...got.slice(4 + n)], `guards ${id}`).toEqual([...G, ...G]);
            // The kernel takes S²·(1/K) for S²/K (an error of ε·S²/K in the variance) and finishes float32 results in
            // float32 (√, ×, ÷ and two roundings to float32: within 3 float32 ulps); the rest is exact.
            const e = d === 'float32' ? 2 ** -24 : 2 ** -53;
            for (let i = 0; i < n; i++) {
              const want = naiveScore(mode, c[i], S[i], Q[i], K, m0, g, Kg2, tn, usedSq, eps);
              const v = q0(Q[i] - (S[i] * S[i]) / K);
              const tol = mode === 1 || mode === 3 || mode >= 5 ? Math.abs(want) * (4 * e + (4 * 2 ** -53 * (Q[i] + (S[i] * S[i]) / K)) / v) : 0;
              const at = got[4 + i];
              if (Number.isNaN(want)) expect(at, `${id} [${i}]`).toBeNaN();
              else if (tol === 0) expect(at, `${id} [${i}]`).toBe(round(d, want));
              else expect(Math.abs(at - want), `${id} [${i}] got ${at}, want ${want}`).toBeLessThanOrEqual(tol);
            }
          }
        }
      }
    });

    it(`scoreRow ${d}: bright windows of small variance, four alike (whole vectors): OpenCV's 0.5 bound and the variance guard`, () => {
      // ccoeff-normed, four windows of a kind in a row so that the SIMD finish takes them together:
      //   kind 0: Q = 1e7, variance 1: above 0.5 but under 10·FLT_EPSILON·E, so 0.5 decides (t = √1·tn, not 0);
      //   kind 1: Q = 1e16, variance 4: under K·DBL_EPSILON·Q, so the guard zeroes it (score 0, not c/t);
      //   kind 2: an ordinary window.
      const n = 27;
      const K = 9;
      const tn = 3;
      for (const g of [0, 0.5]) {
        const S: number[] = [];
        const Q: number[] = [];
        const c: number[] = [];
        for (let i = 0; i < n; i++) {
          const kind = Math.floor(i / 4) % 3;
          const [q, v] = [[1e7, 1], [1e16, 4], [50, 2]][kind];
          const s = Math.sqrt(K * (q - v)) * (i % 2 ? -1 : 1);
          S.push(s);
          Q.push(q);
          c.push(round(d, (0.2 + 0.1 * (i % 4)) * Math.sqrt(v) * tn));
        }
        const { got, twin } = both(d, [n, f64n(d, n), f64n(d, n), n], (k, mem, [co, so, qo, oo]) => {
          mem.set(c, co);
          write64(mem, so, S);
          write64(mem, qo, Q);
          k.scoreRow(mem, co, so, qo, n, oo, 5, K, 0, g, K * g * g, tn, 0, 0);
          return Array.from(mem.subarray(oo, oo + n));
        });
        expect(got, `kernel vs twin g=${g}`).toEqual(twin);
        const e = d === 'float32' ? 2 ** -24 : 2 ** -53;
        for (let i = 0; i < n; i++) {
          const want = naiveScore(5, c[i], S[i], Q[i], K, 0, g, K * g * g, tn, 0, 0);
          expect(want === 0, `the case [${i}] is what it says`).toBe(Math.floor(i / 4) % 3 === 1);
          const v = q0(Q[i] - (S[i] * S[i]) / K);
          const tol = Math.abs(want) * (4 * e + (4 * 2 ** -53 * (Q[i] + (S[i] * S[i]) / K)) / v);
          expect(Math.abs(got[i] - want), `g=${g} [${i}] got ${got[i]}, want ${want}`).toBeLessThanOrEqual(tol);
        }
      }
    });

    it(`scoreRow ${d}: windows of every scale (the float32 finish's range limits), equal to the twin and the formulas`, () => {
      const n = 37;
      for (const mode of [1, 3, 5]) {
        for (const scale of [2 ** -100, 2 ** -81, 2 ** -79, 1, 2 ** 79, 2 ** 81, 2 ** 100]) {
          for (const tn of [3, 2 ** -45, 2 ** 45]) {
            const r = rng(mode * 31 + Math.log2(scale) + Math.log2(tn));
            const K = 9;
            const S: number[] = [];
            const Q: number[] = [];
            const c: number[] = [];
            for (let i = 0; i < n; i++) {
              // d2 straddles the scale: some windows inside the float32 range, some outside (i % 3).
              const f = scale * [0.5, 1, 2][i % 3];
              const s = (r() - 0.5) * 4 * Math.sqrt(f);
              const q = (s * s) / K + r() * 2 * f;
              const t = Math.sqrt(q - (s * s) / K) * tn;
              S.push(s);
              Q.push(q);
              c.push(round(d, (r() - 0.5) * 2 * t));
            }
            const { got, twin } = both(d, [n, f64n(d, n), f64n(d, n), n], (k, mem, [co, so, qo, oo]) => {
              mem.set(c, co);
              write64(mem, so, S);
              write64(mem, qo, Q);
              k.scoreRow(mem, co, so, qo, n, oo, mode, K, 0, 0, 0, tn, 0, 0);
              return Array.from(mem.subarray(oo, oo + n));
            });
            const id = `mode=${mode} scale=2^${Math.log2(scale)} tn=2^${Math.log2(tn).toFixed(1)}`;
            expect(got, `kernel vs twin ${id}`).toEqual(twin);
            const e = d === 'float32' ? 2 ** -24 : 2 ** -53;
            for (let i = 0; i < n; i++) {
              const want = naiveScore(mode, c[i], S[i], Q[i], K, 0, 0, 0, tn, 0, 0);
              const v = q0(Q[i] - (S[i] * S[i]) / K);
              const tol = Math.abs(want) * (4 * e + (4 * 2 ** -53 * (Q[i] + (S[i] * S[i]) / K)) / v);
              expect(Math.abs(got[i] - want), `${id} [${i}] got ${got[i]}, want ${want}`).toBeLessThanOrEqual(tol);
            }
          }
        }
      }
    });

    it(`matchRows ${d}: windowSums then scoreRow per row, the same bits whatever the row blocks (multiples of h); the twin`, () => {
      for (const [H, W, h, w, mode] of [[9, 11, 3, 4, 5], [20, 33, 7, 6, 1], [6, 8, 6, 8, 3], [13, 5, 1, 2, 6], [17, 9, 4, 1, 0]]) {
        const r = rng(H * 100 + W + mode);
        const plane = Float64Array.from({ length: H * W }, () => round(d, r() * 2 - 1));
        const oh = H - h + 1;
        const ow = W - w + 1;
        const corr = Float64Array.from({ length: oh * ow }, () => round(d, r() * 2 - 1));
        const args = [mode, h * w, 0.01, 0.2, 0.04 * h * w, 1.7, 3, 1e-6] as const;
        const sizes = [H * W, f64n(d, windowSumsScratch(W, h)), f64n(d, ow), f64n(d, ow), oh * ow, oh * ow + 4];
        // Every split of the rows into blocks at multiples of h, and the same rows one kernel call each (windowSums,
        // scoreRow): all equal.
        const run = (k: Kernels, mem: Float, [p, sc, S, Q, c, out]: number[]) => {
          mem.set(plane, p);
          const results: number[][] = [];
          for (const split of [[0, oh], [0, Math.min(h, oh), oh], [0, ...Array.from({ length: Math.ceil(oh / h) }, (_, i) => Math.min(oh, (i + 1) * h))]]) {
            mem.set(corr, c);
            mem.fill(GUARD, out, out + oh * ow + 4);
            for (let b = 0; b + 1 < split.length; b++) k.matchRows(mem, p, W, h, w, split[b], split[b + 1], sc, S, Q, c, out, ...args);
            results.push(Array.from(mem.subarray(out, out + oh * ow + 4)));
          }
          mem.set(corr, c);
          for (let row = 0; row < oh; row++) {
            k.windowSums(mem, p, W, h, w, row, sc, S, Q);
            k.scoreRow(mem, c + row * ow, S, Q, ow, c + row * ow, ...args);
          }
          results.push([...Array.from(mem.subarray(c, c + oh * ow)), GUARD, GUARD, GUARD, GUARD]);
          return results;
        };
        const { got, twin } = both(d, sizes, run);
        const id = `H=${H} W=${W} h=${h} w=${w} mode=${mode}`;
        expect(got, `kernel vs twin ${id}`).toEqual(twin);
        for (let i = 1; i < got.length; i++) expect(got[i], `${id}: variant ${i} vs one call`).toEqual(got[0]);
      }
    });
  }
});
