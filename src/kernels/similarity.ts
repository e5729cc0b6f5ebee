// Template-matching kernels, the JS twins of assembly/similarity.ts (same arguments: element offsets into mem; the
// float64 buffers sc, S, Q are element offsets of mem too, 16-byte aligned, read through a Float64Array view):
//   shiftPlane   p[i] ← p[i] − g, or 0 where that is NaN or ±Infinity; 1 when any value was replaced
//   windowSums   output row r of h×w windows: S[c] = Σ p[r + i, c + j], Q[c] = Σ p[r + i, c + j]² (van Herk's split)
//   scoreRow     the scores of a row of windows from the correlation, S and Q (modes as assembly/similarity.ts)
import type { Float } from '../arrays';

export interface Family {
  shiftPlane(mem: Float, p: number, n: number, g: number): number;
  windowSums(mem: Float, p: number, W: number, h: number, w: number, r: number, sc: number, S: number, Q: number): void;
  scoreRow(mem: Float, c: number, S: number, Q: number, n: number, out: number, mode: number,
    K: number, m0: number, g: number, Kg2: number, tn: number, usedSq: number, eps: number): void;
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

function scoreRow(mem: Float, c: number, S: number, Q: number, n: number, out: number, mode: number,
  K: number, m0: number, g: number, Kg2: number, tn: number, usedSq: number, eps: number): void {
  const d = f64(mem);
  const s0 = at(mem, S);
  const q0 = at(mem, Q);
  const coeff = mode >= 4;
  const normed = mode === 1 || mode === 3 || mode === 5;
  for (let i = 0; i < n; i++) {
    const cv = mem[c + i];
    const s = d[s0 + i];
    const q = d[q0 + i];
    let num: number;
    let d2 = q;
    let e2 = q;
    if (coeff) {
      num = cv - s * m0;
      d2 = q - (s * s) / K;
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
      d2 = Math.max(d2, 0);
      const t = d2 <= Math.min(0.5, 10 * FLT_EPSILON * e2) ? 0 : Math.sqrt(d2) * tn;
      const an = Math.abs(num);
      r = an < t ? num / t : an < t * 1.125 ? (num > 0 ? 1 : -1) : Number.isNaN(num) ? NaN : mode === 1 ? 1 : 0;
    }
    mem[out + i] = r;
  }
}

export const js: Family = { shiftPlane, windowSums, scoreRow };
