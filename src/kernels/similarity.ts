// Template-matching kernels, the JS twins of assembly/similarity.ts (same arguments: element offsets into mem; the
// float64 buffers sc, S, Q are element offsets of mem too, 16-byte aligned, read through a Float64Array view):
//   shiftPlane   p[i] ← p[i] − g, or 0 where that is NaN or ±Infinity; 1 when any value was replaced
//   windowSums   output row r of h×w windows: S[c] = Σ p[r + i, c + j], Q[c] = Σ p[r + i, c + j]² (van Herk's split)
//   scoreRow     the scores of a row of windows from the correlation, S and Q (modes as assembly/similarity.ts)
//   matchRows    windowSums then scoreRow for a block of output rows (one call per thread's block)
import type { Float } from '../arrays';

export interface Family {
  shiftPlane(mem: Float, p: number, n: number, g: number): number;
  windowSums(mem: Float, p: number, W: number, h: number, w: number, r: number, sc: number, S: number, Q: number): void;
  scoreRow(mem: Float, c: number, S: number, Q: number, n: number, out: number, mode: number,
    K: number, m0: number, g: number, Kg2: number, tn: number, usedSq: number, eps: number): void;
  /**
   * Rows r0 … r1 − 1 (r0 a multiple of h): windowSums then scoreRow per row, from the correlation rows at c + r·ow into
   * out + r·ow (ow = W − w + 1; out may be c). Blocks of rows may run on different threads with their own sc, S, Q.
   */
  matchRows(mem: Float, p: number, W: number, h: number, w: number, r0: number, r1: number, sc: number, S: number, Q: number,
    c: number, out: number, mode: number, K: number, m0: number, g: number, Kg2: number, tn: number, usedSq: number, eps: number): void;
}

/** Elements of float64 scratch windowSums needs for a plane of width W and windows of h rows. */
export function windowSumsScratch(W: number, h: number): number {
  return 2 * h * W + 8 * W + 4;
}

/** Score modes of scoreRow. */
export const SCORE_MODE = { sqdiff: 0, 'sqdiff-normed': 1, ccorr: 2, 'ccorr-normed': 3, ccoeff: 4, 'ccoeff-normed': 5, skimage: 6 } as const;

const DBL_EPSILON = 2 ** -52;
const FLT_EPSILON = 2 ** -23;

/** mem's bytes as float64, and the float64 index of element offset `off` of mem. */
function f64(mem: Float): Float64Array {
  return mem instanceof Float64Array ? mem : new Float64Array(mem.buffer, mem.byteOffset, mem.byteLength >> 3);
}
const at = (mem: Float, off: number) => (off * mem.BYTES_PER_ELEMENT) >> 3;

function shiftPlane(mem: Float, p: number, n: number, g: number): number {
  let bad = 0;
  for (let i = p; i < p + n; i++) {
    const v = mem[i] - g;
    if (v - v === 0) mem[i] = v;
    else {
      mem[i] = 0;
      bad = 1;
    }
  }
  return bad;
}

function windowSums(mem: Float, p: number, W: number, h: number, w: number, r: number, sc: number, S: number, Q: number): void {
  const d = f64(mem);
  const sufS = at(mem, sc);
  const sufQ = sufS + h * W;
  const preS = sufQ + h * W;
  const preQ = preS + W;
  const colS = preQ + W;
  const colQ = colS + W;
  const rsS = colQ + W;
  const rsQ = rsS + W;
  const exS = rsQ + W;
  const exQ = exS + W + 2;
  const B = r - (r % h);
  if (r === B) {
    for (let i = h - 1; i >= 0; i--) {
      for (let j = 0; j < W; j++) {
        const v = mem[p + (B + i) * W + j];
        const o = i * W + j;
        d[sufS + o] = i === h - 1 ? v : d[sufS + o + W] + v;
        d[sufQ + o] = i === h - 1 ? v * v : d[sufQ + o + W] + v * v;
      }
    }
    d.copyWithin(colS, sufS, sufS + W);
    d.copyWithin(colQ, sufQ, sufQ + W);
    d.fill(0, preS, preS + 2 * W);
  } else {
    for (let j = 0; j < W; j++) {
      const v = mem[p + (r + h - 1) * W + j];
      const s = (d[preS + j] += v);
      const q = (d[preQ + j] += v * v);
      d[colS + j] = d[sufS + (r - B) * W + j] + s;
      d[colQ + j] = d[sufQ + (r - B) * W + j] + q;
    }
  }
  for (let J = 0; J < W; J += w) {
    const len = Math.min(w, W - J);
    let s = 0;
    let q = 0;
    for (let j = J + len - 1; j >= J; j--) {
      d[rsS + j] = s += d[colS + j];
      d[rsQ + j] = q += d[colQ + j];
    }
    s = 0;
    q = 0;
    for (let j = J; j < J + len; j++) {
      d[exS + j] = s;
      d[exQ + j] = q;
      s += d[colS + j];
      q += d[colQ + j];
    }
    if (J + len === W) {
      d[exS + W] = len === w ? 0 : s;
      d[exQ + W] = len === w ? 0 : q;
    }
  }
  const s0 = at(mem, S);
  const q0 = at(mem, Q);
  for (let c = 0; c < W - w + 1; c++) {
    d[s0 + c] = d[rsS + c] + d[exS + c + w];
    d[q0 + c] = d[rsQ + c] + d[exQ + c + w];
  }
}

// Where a float32 result finishes in float32 (assembly/similarity.ts finishOne): the template norm and the window's term.
const F32_LO = 2 ** -80;
const F32_HI = 2 ** 80;
const tnFits = (tn: number) => tn >= 2 ** -40 && tn <= 2 ** 40;
const f32 = Math.fround;

/** OpenCV's finish of a normed score (assembly/similarity.ts finishOne), in float32 arithmetic where that says so. */
function finishOne(single: boolean, num: number, d2: number, e2: number, tn: number, f32ok: boolean, fallback: number): number {
  const small = d2 <= Math.min(0.5, 10 * FLT_EPSILON * e2);
  if (single && f32ok && d2 >= F32_LO && d2 <= F32_HI) {
    const t = small ? 0 : f32(f32(Math.sqrt(f32(d2))) * f32(tn));
    const nf = f32(num);
    const an = Math.abs(nf);
    return an < t ? f32(nf / t) : an < f32(t * 1.125) ? (nf > 0 ? 1 : -1) : Number.isNaN(nf) ? NaN : fallback;
  }
  const t = small ? 0 : Math.sqrt(d2) * tn;
  const an = Math.abs(num);
  return an < t ? num / t : an < t * 1.125 ? (num > 0 ? 1 : -1) : Number.isNaN(num) ? NaN : fallback;
}

function scoreRow(mem: Float, c: number, S: number, Q: number, n: number, out: number, mode: number,
  K: number, m0: number, g: number, Kg2: number, tn: number, usedSq: number, eps: number): void {
  const d = f64(mem);
  const s0 = at(mem, S);
  const q0 = at(mem, Q);
  const coeff = mode >= 4;
  const normed = mode === 1 || mode === 3 || mode === 5;
  const single = mem instanceof Float32Array;
  const invK = 1 / K;
  const f32ok = tnFits(tn);
  for (let i = 0; i < n; i++) {
    const cv = mem[c + i];
    const s = d[s0 + i];
    const q = d[q0 + i];
    let num: number;
    let d2 = q;
    let e2 = q;
    if (coeff) {
      num = cv - s * m0;
      d2 = q - s * s * invK;
      if (d2 <= K * DBL_EPSILON * q) d2 = 0;
      e2 = q + Kg2 + 2 * g * s;
    } else if (mode <= 1) {
      num = Math.max(q - 2 * cv + usedSq, 0);
      if (mode === 1) {
        e2 = q + Kg2 + 2 * g * s;
        if (e2 <= K * DBL_EPSILON * q) e2 = 0;
        d2 = e2;
      }
    } else {
      num = cv;
    }
    let r = num;
    if (mode === 6) {
      const den = Math.sqrt(Math.max(d2, 0) * tn);
      r = den > eps ? num / den : 0;
    } else if (normed) {
      r = finishOne(single, num, Math.max(d2, 0), e2, tn, f32ok, mode === 1 ? 1 : 0);
    }
    mem[out + i] = r;
  }
}

function matchRows(mem: Float, p: number, W: number, h: number, w: number, r0: number, r1: number, sc: number, S: number, Q: number,
  c: number, out: number, mode: number, K: number, m0: number, g: number, Kg2: number, tn: number, usedSq: number, eps: number): void {
  const ow = W - w + 1;
  for (let r = r0; r < r1; r++) {
    windowSums(mem, p, W, h, w, r, sc, S, Q);
    scoreRow(mem, c + r * ow, S, Q, ow, out + r * ow, mode, K, m0, g, Kg2, tn, usedSq, eps);
  }
}

export const js: Family = { shiftPlane, windowSums, scoreRow, matchRows };
