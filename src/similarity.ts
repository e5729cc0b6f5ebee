// Similarity: template matching (OpenCV 4.6 cv2.matchTemplate, scikit-image 0.19 match_template), minMaxLoc,
// MATLAB/Octave xcorr and MATLAB finddelay. With C(I, T)[r, c] = Σ_{i,j,k} I[r + i, c + j, k] · T[i, j, k] (the
// valid cross-correlation summed over channels), K = h·w and, per window, S = Σ I, Q = Σ I²:
//   sqdiff  Q − 2·C(I, T) + Σ T²          ccorr  C(I, T)          ccoeff  C(I, T) − Σ_k S_k · mean(T_k)
//   *-normed: divided by √(Q · Σ T²) (sqdiff, ccorr) or √(Σ_k (Q_k − S_k²/K)) · ‖T − mean T‖ (ccoeff)
// The correlation term runs on correlate's machinery (direct SIMD kernels or FFT, by the same cost model as
// method 'auto'); S and Q are running sums in float64, O(H·W) whatever the template size. Image and template are
// first shifted by the image's mean where the method is translation invariant (sqdiff, ccoeff), so that a bright,
// low-contrast image does not cancel its digits away (OpenCV correlates the raw values in float32).
import { anyNonFinite, asTensor, product, resultDtype, uninitialized, wrap, type DType, type Float, type Input, type NDArray, type Numeric, type Tensor } from './arrays';
import { delivered, outputOption, writable } from './output';
import { correlateValid, fullSlicePlan, runDirect, runDirectOverlap, type DirectPlan } from './direct';
import { integer, oneOf, options, rangeError, typeError } from './errors';
import { autoMethod } from './auto';
import { runFft, runFftProblem } from './fft';
import { SCORE_MODE, windowSumsScratch } from './kernels/similarity';
import { correlateValidFft, validFftPlan } from './similarity-fft';
import { chunking } from './threads';
import { copyOut, threadsFor, withWorkspace, type Workspace } from './workspace';
import type { Method } from './signal';

export type TemplateMethod = 'sqdiff' | 'sqdiff-normed' | 'ccorr' | 'ccorr-normed' | 'ccoeff' | 'ccoeff-normed';
export const TEMPLATE_METHODS = ['sqdiff', 'sqdiff-normed', 'ccorr', 'ccorr-normed', 'ccoeff', 'ccoeff-normed'] as const;
const CONV_METHODS = ['auto', 'direct', 'fft'] as const;

/** A template mask: template-shaped (or [h, w] for every channel). Uint8Array / Uint8ClampedArray data is binary. */
export type Mask = Input | Uint8Array | Uint8ClampedArray | { data: Uint8Array | Uint8ClampedArray; shape: readonly number[] };

export interface MatchTemplateOptions {
  /** OpenCV's TM_* method; default 'ccoeff-normed'. */
  method?: TemplateMethod;
  /** OpenCV's mask: uint8 data is binary (nonzero = 1), float data weights. */
  mask?: Mask;
  /** scikit-image's match_template(pad_input=True): the image zero-padded, the result the image's size, centred. */
  padInput?: boolean;
  /**
   * How the correlation term runs: as correlate's `method`. 'auto': for one channel without a mask, direct up to 120
   * template taps and FFT beyond (matchCorrMethod); otherwise correlate's cost model.
   */
  convMethod?: Method;
  dtype?: DType;
  backend?: 'wasm' | 'js';
  /**
   * Where the scores go, as the signal ops' `output`: an array (or NDArray) of the result's shape, written and
   * returned (float arrays take the computed dtype; integer arrays the rounded, saturated scores), or 'float32' |
   * 'float64' for the dtype. A loop that reuses one skips a fresh result's allocation and page faults.
   */
  output?: Numeric | NDArray<Numeric> | DType;
}

/**
 * The valid 2-D correlation of x ([H, W]) with h ([kh, kw]) by the direct kernels or the FFT engine, written into
 * `into` when given (an array of the result's size and dtype sharing no memory with x or h; check the returned array:
 * a path may still return a fresh one).
 */
function corrValid(op: string, backend: unknown, method: Method, dtype: DType, x: Float, xs: number[], h: Float, hs: number[], into?: Float): Float {
  const outShape = [xs[0] - hs[0] + 1, xs[1] - hs[1] + 1];
  const plan: DirectPlan = fullSlicePlan(dtype, xs, hs, outShape, [hs[0] - 1, hs[1] - 1], false);
  const m = method === 'auto' ? autoMethod(plan, backend) : method;
  if (m === 'direct') return runDirect(op, backend, plan, x, h, into);
  const axes = [0, 1].filter((a) => xs[a] > 1 && hs[a] > 1);
  return runFftProblem(op, backend, {
    dtype, x1: x, s1: xs, x2: h, s2: hs, reverse2: true, axes, start: [hs[0] - 1, hs[1] - 1], outShape, tiling: 'auto', into,
  });
}

const FLT_EPSILON = 2 ** -23;
const DBL_EPSILON = 2 ** -52;

/** Channel k of an [n, C] interleaved array, minus `shift`, in `dtype`; NaN and ±Infinity become 0 (their windows
 * are set to NaN afterwards). */
function plane(data: ArrayLike<number>, C: number, k: number, shift: number, dtype: DType, n: number): Float {
  const out = uninitialized(dtype, n);
  for (let i = 0, s = k; i < n; i++, s += C) {
    const v = data[s] - shift;
    out[i] = v - v === 0 ? v : 0;
  }
  return out;
}

/** A copy of `src` ([H, W, C]) with `top`/`left` zero rows/columns before and `bottom`/`right` after (padInput). */
function padImage(src: ArrayLike<number>, H: number, W: number, C: number, top: number, bottom: number, left: number, right: number): Float64Array {
  const W2 = W + left + right;
  const out = new Float64Array((H + top + bottom) * W2 * C);
  for (let r = 0; r < H; r++) {
    for (let j = 0; j < W * C; j++) out[((r + top) * W2 + left) * C + j] = src[r * W * C + j];
  }
  return out;
}

/**
 * Window sums Σ v and Σ v² over every h×w window of a plane (row stride W), one output row at a time (rows in
 * order). Every sum only adds values of its own window (van Herk's split, for sums): rows are cut into blocks of
 * h, a window's column sum is the suffix sum of its first block plus the prefix sum of the next, and likewise along
 * each row with blocks of w. There is no subtraction of running totals, whose rounding would scale with the energy
 * of everything a running sum has passed (a dark window beside a bright one), so each sum errs by at most
 * (h + w)·ε·Σ|its terms|. O(H·W) whatever the template size, O(h·W) memory.
 */
class WindowSums {
  private readonly sufS: Float64Array;
  private readonly sufQ: Float64Array;
  private readonly preS: Float64Array;
  private readonly preQ: Float64Array;
  private readonly colS: Float64Array;
  private readonly colQ: Float64Array;
  private readonly rsS: Float64Array;
  private readonly rsQ: Float64Array;

  constructor(private readonly p: Float, private readonly W: number, private readonly h: number, private readonly w: number) {
    this.sufS = new Float64Array(h * W);
    this.sufQ = new Float64Array(h * W);
    this.preS = new Float64Array(W);
    this.preQ = new Float64Array(W);
    this.colS = new Float64Array(W);
    this.colQ = new Float64Array(W);
    this.rsS = new Float64Array(W);
    this.rsQ = new Float64Array(W);
  }

  /** Sums of the windows of output row r (called for r = 0, 1, 2, … in order) into S and Q (ow each). */
  row(r: number, S: Float64Array, Q: Float64Array): void {
    const { p, W, h, w, sufS, sufQ, preS, preQ, colS, colQ, rsS, rsQ } = this;
    const B = r - (r % h);
    if (r === B) {
      // A new block of rows B … B + h − 1 (all inside the image: B is an output row): its suffix column sums.
      for (let j = 0, b = (B + h - 1) * W, o = (h - 1) * W; j < W; j++) {
        const v = p[b + j];
        sufS[o + j] = v;
        sufQ[o + j] = v * v;
      }
      for (let i = h - 2; i >= 0; i--) {
        for (let j = 0, b = (B + i) * W, o = i * W; j < W; j++) {
          const v = p[b + j];
          sufS[o + j] = sufS[o + W + j] + v;
          sufQ[o + j] = sufQ[o + W + j] + v * v;
        }
      }
      colS.set(sufS.subarray(0, W));
      colQ.set(sufQ.subarray(0, W));
      preS.fill(0);
      preQ.fill(0);
    } else {
      // Rows r … r + h − 1: the suffix from r in this block plus the next block's prefix up to row r + h − 1.
      for (let j = 0, b = (r + h - 1) * W, o = (r - B) * W; j < W; j++) {
        const v = p[b + j];
        const s = (preS[j] += v);
        const q = (preQ[j] += v * v);
        colS[j] = sufS[o + j] + s;
        colQ[j] = sufQ[o + j] + q;
      }
    }
    // Along the row: suffix sums within blocks of w, then each window = suffix at j + prefix of the next block.
    for (let J = 0; J < W; J += w) {
      let s = 0;
      let q = 0;
      for (let j = Math.min(J + w, W) - 1; j >= J; j--) {
        rsS[j] = s += colS[j];
        rsQ[j] = q += colQ[j];
      }
    }
    const ow = W - w + 1;
    let s = 0;
    let q = 0;
    for (let j = 0, k = w - 1, m = 0; j < ow; j++, k++, m++) {
      if (m === w) m = 0;
      if (m === 0) {
        s = 0;
        q = 0;
      } else {
        s += colS[k];
        q += colQ[k];
      }
      S[j] = rsS[j] + s;
      Q[j] = rsQ[j] + q;
    }
  }
}

/** Per output window: how many NaN/±Infinity it holds; undefined when the image has none. */
function badWindows(data: ArrayLike<number>, H: number, W: number, C: number, h: number, w: number): Float64Array | undefined {
  let any = false;
  const n = H * W;
  const bad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < C; k++) {
      const v = data[i * C + k];
      if (v - v !== 0) {
        bad[i] = 1;
        any = true;
      }
    }
  }
  if (!any) return undefined;
  const ow = W - w + 1;
  const out = new Float64Array((H - h + 1) * ow);
  const ws = new WindowSums(bad, W, h, w);
  const q = new Float64Array(ow);
  for (let r = 0; r < H - h + 1; r++) ws.row(r, out.subarray(r * ow, (r + 1) * ow), q);
  return out;
}

function isUint8(v: unknown): v is Uint8Array | Uint8ClampedArray {
  return v instanceof Uint8Array || v instanceof Uint8ClampedArray;
}

/** The mask as float64 weights of shape [h, w, C] (a 1-channel mask repeated; uint8 data read as 0/1, as OpenCV). */
function readMask(op: string, v: unknown, h: number, w: number, C: number): Float64Array {
  let data: ArrayLike<number>;
  let shape: number[];
  let binary = false;
  if (isUint8(v)) {
    data = v;
    shape = [v.length];
    binary = true;
  } else if (v !== null && typeof v === 'object' && 'data' in v && isUint8((v as { data: unknown }).data)) {
    const { data: d, shape: s } = v as { data: Uint8Array; shape: unknown };
    if (!Array.isArray(s)) throw typeError(op, 'mask.shape', 'an array of integers', s);
    s.forEach((x, a) => integer(op, `mask.shape[${a}]`, x, 0));
    if (product(s) !== d.length) throw rangeError(op, `mask.data has length ${d.length} but mask.shape [${s.join(', ')}] holds ${product(s)} elements`);
    data = d;
    shape = s.slice();
    binary = true;
  } else {
    const t = asTensor(op, 'mask', v);
    data = t.data;
    shape = t.shape;
  }
  const n = data.length;
  const hw = h * w;
  // A plain array is read as [h, w] or [h, w, C] by its length; an NDArray's shape must say which.
  const perChannel = shape.length === 1 ? n === hw * C && C > 1 : shape.length === 3 && shape[2] === C && C > 1;
  const ok = shape.length === 1 ? n === hw || n === hw * C
    : (shape.length === 2 && shape[0] === h && shape[1] === w) || (shape.length === 3 && shape[0] === h && shape[1] === w && (shape[2] === C || shape[2] === 1));
  if (!ok) {
    throw rangeError(op, `mask has shape [${shape.join(', ')}] but templ has shape [${C > 1 ? [h, w, C] : [h, w]}]: ` +
      `the mask must be template-shaped, or [${h}, ${w}] for every channel`);
  }
  const out = new Float64Array(hw * C);
  for (let i = 0; i < hw; i++) {
    for (let k = 0; k < C; k++) {
      const m = Number(data[perChannel ? i * C + k : i]);
      out[i * C + k] = binary ? (m > 0 ? 1 : 0) : m;
    }
  }
  return out;
}

/**
 * Template matching, as OpenCV's `cv2.matchTemplate` (4.6): the score of every placement of `templ` inside `image`,
 * an NDArray [H − h + 1, W − w + 1] (float32 when the inputs are). `image` is [H, W] or [H, W, C] (channels last),
 * `templ` [h, w] or [h, w, C]; channels are summed, as OpenCV does.
 *
 * Zero variance, as OpenCV 4.6 without a mask: a flat template gives 1 everywhere with 'ccoeff-normed'; a window
 * whose energy (variance for 'ccoeff-normed') is ≤ min(0.5, 10·FLT_EPSILON·Σ I²) gives 0 ('ccorr-normed',
 * 'ccoeff-normed') or 1 ('sqdiff-normed'); normed scores within 1.125× of the bound are clamped to ±1, beyond it 0
 * (1 for 'sqdiff-normed'). With a mask there is no guard, as OpenCV: a window or template of zero (weighted)
 * variance gives NaN. `padInput` with 'ccoeff-normed' follows scikit-image instead: 0 where the denominator is
 * ≤ the dtype's epsilon (so a flat template gives 0), no clamp; scikit-image treats [H, W, C] as a 3-D volume,
 * this op sums the channels and returns [H, W]. A window holding NaN or ±Infinity scores NaN, and only that window.
 * @example
 * const img = { data: Float32Array.from({ length: 36 }, (_, i) => (i * 7) % 5), shape: [6, 6] };
 * const r = matchTemplate(img, { data: img.data.slice(0, 4), shape: [2, 2] }, { method: 'sqdiff' });
 * r.shape // [5, 5]; r.data[0] === 0 where the template came from
 */
export function matchTemplate(image: NDArray, templ: NDArray, opts?: MatchTemplateOptions): NDArray {
  const op = 'matchTemplate';
  const o = options<MatchTemplateOptions>(op, opts, ['method', 'mask', 'padInput', 'convMethod', 'dtype', 'backend', 'output']);
  const method = oneOf(op, 'method', o.method, TEMPLATE_METHODS, 'ccoeff-normed');
  const convMethod = oneOf(op, 'convMethod', o.convMethod, CONV_METHODS, 'auto');
  if (o.padInput !== undefined && typeof o.padInput !== 'boolean') throw typeError(op, 'padInput', 'a boolean', o.padInput);
  if (o.backend !== undefined && o.backend !== 'wasm' && o.backend !== 'js') throw typeError(op, 'backend', "'wasm' or 'js'", o.backend);
  const it = asTensor(op, 'image', image);
  const tt = asTensor(op, 'templ', templ);
  const dims = (t: Tensor, name: string) => {
    if (!t.nd || t.shape.length < 2 || t.shape.length > 3) {
      throw rangeError(op, `${name} must be an NDArray of shape [H, W] or [H, W, C], got shape [${t.shape.join(', ')}]`);
    }
    return [t.shape[0], t.shape[1], t.shape[2] ?? 1];
  };
  const [H0, W0, C] = dims(it, 'image');
  const [h, w, Ct] = dims(tt, 'templ');
  if (Ct !== C) throw rangeError(op, `templ has ${Ct} channel(s) but image has ${C}; they must match`);
  if (h > H0 || w > W0) throw rangeError(op, `templ [${h}, ${w}] is larger than image [${H0}, ${W0}]; it must fit inside`);
  const maskW = o.mask === undefined ? undefined : readMask(op, o.mask, h, w, C);
  // A Float64Array mask makes the result float64, as any float64 input; a uint8 or float32 mask counts as float32, and
  // a number[] mask has no dtype of its own (API.md).
  const md = o.mask !== null && typeof o.mask === 'object' && 'data' in o.mask ? o.mask.data : o.mask;
  const pad = o.padInput === true;
  const target = outputOption(op, o.output, o.dtype, pad ? [H0, W0] : [H0 - h + 1, W0 - w + 1], 'the result\'s shape');
  const dtype = resultDtype(op, target.dtype, it, tt, ...(md instanceof Float64Array ? [{ data: md, shape: [], nd: false, kind: 'float64' as const }] : []));

  // padInput: zeros before and after, so that the result has the image's size and window r starts at r − top.
  const top = pad ? h - 1 - ((h - 1) >> 1) : 0;
  const left = pad ? w - 1 - ((w - 1) >> 1) : 0;
  const src: ArrayLike<number> = pad ? padImage(it.data, H0, W0, C, top, h - 1 - top, left, w - 1 - left) : it.data;
  const H = H0 + (pad ? h - 1 : 0);
  const W = W0 + (pad ? w - 1 : 0);
  const oh = H - h + 1;
  const ow = W - w + 1;
  const nOut = oh * ow;
  const K = h * w;
  const T = tt.data;
  const res = writable(target, it.data, tt.data, md) ?? uninitialized(dtype, nOut);
  if (!T.every((v) => Number.isFinite(v))) return { data: delivered(target, res.fill(NaN)), shape: [oh, ow] };

  const args = { op, backend: o.backend, convMethod, dtype, src, H, W, C, h, w, T, K, nOut, finite: true };
  const skimage = pad && method === 'ccoeff-normed';
  let nonFinite: boolean;
  if (!maskW && C === 1) nonFinite = unmaskedOne(args, method, skimage, res);
  else {
    nonFinite = anyNonFinite(src);
    args.finite = !nonFinite;
    if (maskW) res.set(masked(args, method, maskW));
    else unmasked(args, method, skimage, res);
  }
  const bad = nonFinite ? badWindows(src, H, W, C, h, w) : undefined;
  if (bad) for (let i = 0; i < nOut; i++) if (bad[i] > 0) res[i] = NaN;
  return { data: delivered(target, res), shape: [oh, ow] };
}

interface MatchArgs {
  op: string; backend: unknown; convMethod: Method; dtype: DType; src: ArrayLike<number>;
  H: number; W: number; C: number; h: number; w: number; T: ArrayLike<number>; K: number; nOut: number; finite: boolean;
}

/**
 * The shift that centres channel k: the mean of its finite values, from at most 2^16 evenly spaced samples (any value
 * near the image's level removes the digits the level would cost), or 0 where the level is within two standard
 * deviations of 0 (a shift would gain less than a bit, and the plane need not be copied).
 */
function channelShift(src: ArrayLike<number>, C: number, k: number, n: number): number {
  const step = Math.max(1, Math.floor(n / 65536));
  let s = 0;
  let q = 0;
  let m = 0;
  for (let i = 0, j = k; i < n; i += step, j += step * C) {
    const v = src[j];
    if (v - v === 0) {
      s += v;
      q += v * v;
      m++;
    }
  }
  if (m === 0) return 0;
  const g = s / m;
  const variance = Math.max(q / m - g * g, 0);
  return g * g > 4 * variance ? g : 0;
}

/** Σ over channels of C(I_k − g_k, T_k') in float64, with T_k' = tmpl(k) (a float64 [h·w] array, rounded to dtype). */
function sumCorr(a: MatchArgs, planes: Float[], tmpl: (k: number) => Float64Array, into?: Float): { corr: Float64Array | Float; used: Float[] } {
  const { op, backend, convMethod, dtype, H, W, C, h, w } = a;
  const used: Float[] = [];
  let acc: Float64Array | Float | undefined;
  for (let k = 0; k < C; k++) {
    const t = dtype === 'float32' ? Float32Array.from(tmpl(k)) : tmpl(k);
    used.push(t);
    const r = corrValid(op, backend, convMethod, dtype, planes[k], [H, W], t, [h, w], C === 1 ? into : undefined);
    if (C === 1) return { corr: r, used };
    if (!acc) acc = Float64Array.from(r);
    else for (let i = 0; i < r.length; i++) acc[i] += r[i];
  }
  return { corr: acc!, used };
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/**
 * Templates of at most this many taps correlate directly, larger ones by FFT: matchTemplate's own rule (the FFT term
 * here is overlap-save blocks of the image (src/similarity-fft.ts) whose cost hardly depends on the template, the
 * direct term grows with its taps). Measured on a 1024² float32 image, wasm SIMD, whole 'ccoeff-normed' calls,
 * medians of 9 alternating rounds of CPU time (busy machine): direct / FFT 0.73 / 0.87 / 0.91 / 0.99 / 1.11 / 1.26 at
 * 6² / 8² / 10² / 11² / 12² / 14².
 */
const DIRECT_MAX_TAPS = 120;

/**
 * How matchTemplate's correlation term runs. A one-column template always runs direct (the FFT engine would
 * transform its axes in another order, and one column costs h multiply-adds per window).
 */
export function matchCorrMethod(h: number, w: number, convMethod: Method): 'direct' | 'fft' {
  if (w === 1) return 'direct';
  if (convMethod !== 'auto') return convMethod;
  return h * w <= DIRECT_MAX_TAPS ? 'direct' : 'fft';
}

/**
 * One channel without a mask (OpenCV 4.6's common_matchTemplate, or scikit-image's rule for padInput with
 * 'ccoeff-normed'), into res, in one workspace: the image is copied in once and shifted in place, correlated with the
 * template there (direct or FFT), and each output row's window sums and scores are made by the similarity kernels
 * over the correlation, which is then copied into res. Returns whether the image holds NaN or ±Infinity (their
 * windows are the caller's to set to NaN).
 */
function unmaskedOne(a: MatchArgs, method: TemplateMethod, skimage: boolean, res: Float): boolean {
  const { op, backend, dtype, src, H, W, h, w, T, K, nOut } = a;
  const n = H * W;
  const oh = H - h + 1;
  const ow = W - w + 1;
  const coeff = method === 'ccoeff' || method === 'ccoeff-normed';
  const sqd = method === 'sqdiff' || method === 'sqdiff-normed';
  const g = coeff || sqd ? channelShift(src, 1, 0, n) : 0;
  const tMean = sum(T) / K;
  let tVar = 0;
  let tSum2 = 0;
  for (let i = 0; i < K; i++) {
    tVar += (T[i] - tMean) ** 2;
    tSum2 += T[i] * T[i];
  }
  if (method === 'ccoeff-normed' && !skimage && tVar / K < DBL_EPSILON) {
    res.fill(1);
    return anyNonFinite(src);
  }
  // The template actually correlated: T − mean T (ccoeff) or T − g, rounded to dtype.
  const used = uninitialized(dtype, K);
  for (let i = 0; i < K; i++) used[i] = T[i] - (coeff ? tMean : g);
  const usedMean = sum(used) / K;
  let usedSq = 0;
  for (let i = 0; i < K; i++) usedSq += used[i] * used[i];
  const mode = skimage ? SCORE_MODE.skimage : SCORE_MODE[method];
  const tn = skimage ? tVar : Math.sqrt(coeff ? tVar : tSum2);
  const eps = dtype === 'float32' ? FLT_EPSILON : DBL_EPSILON;
  // float64 buffers in elements of dtype.
  const f64 = (m: number) => (dtype === 'float32' ? 2 * m : m);
  // Window sums and scores by blocks of output rows, each starting at a multiple of h (where windowSums restarts):
  // the blocks are fixed by the work alone (chunking), so every thread count gives the same bits. Each thread has its
  // own scratch and sums. About 24 operations per window: the unit of the threads' tuning (multiply-adds).
  const work = 24 * nOut;
  const threads = mode === SCORE_MODE.ccorr ? 1 : threadsFor(op, backend, work);
  const extra = mode === SCORE_MODE.ccorr ? [] : Array.from({ length: threads }, () => [f64(windowSumsScratch(W, h)), f64(ow), f64(ow)]).flat();
  const same = dtype === 'float32' ? src instanceof Float32Array : src instanceof Float64Array;
  let bad = 0;
  const stage = (ws: Workspace, x: number) => {
    const { mem } = ws;
    if (same) {
      mem.set(src as Float, x);
      // Unshifted (g = 0), only non-finite values change: a read-only scan first, the rewrite only where it finds one.
      if (g !== 0 || ws.k.nonFinite(mem, x, n)) bad = ws.k.shiftPlane(mem, x, n, g);
      return;
    }
    for (let i = 0; i < n; i++) {
      const v = src[i] - g;
      if (v - v === 0) mem[x + i] = v;
      else {
        mem[x + i] = 0;
        bad = 1;
      }
    }
  };
  const finish = (ws: Workspace, x: number, out: number, scratch: number[]): Float => {
    const { mem, k } = ws;
    if (mode !== SCORE_MODE.ccorr) {
      const sp = chunking(oh, work, h);
      ws.parallel(threads, sp.chunks, (c0, c1, t) => {
        const [sc, S, Q] = scratch.slice(3 * t, 3 * t + 3);
        k.matchRows(mem, x, W, h, w, sp.at(c0), sp.at(c1), sc, S, Q, out, out, mode, K, usedMean, g, K * g * g, tn, usedSq, eps);
      });
    }
    return copyOut(mem, out, nOut, res);
  };
  if (matchCorrMethod(h, w, a.convMethod) === 'fft') {
    // Overlap-save blocks that compute only the valid windows (src/similarity-fft.ts).
    const plan = validFftPlan(H, W, h, w, Infinity, (wk) => threadsFor(op, backend, wk));
    const nb = plan.sizes.length;
    withWorkspace(op, backend, dtype, [n, K, nOut, ...plan.sizes, ...extra], (ws) => {
      const [x, t, out, ...rest] = ws.off;
      stage(ws, x);
      // Reversed on both axes: the flat [h, w] array backwards.
      for (let i = 0; i < K; i++) ws.mem[t + i] = used[K - 1 - i];
      correlateValidFft(ws, plan, x, H, W, t, h, w, out, rest.slice(0, nb));
      return finish(ws, x, out, rest.slice(nb));
    });
  } else {
    withWorkspace(op, backend, dtype, [n, K, nOut, ...extra], (ws) => {
      const [x, t, out, ...rest] = ws.off;
      stage(ws, x);
      ws.mem.set(used, t);
      correlateValid(ws, x, [H, W], t, [h, w], out, [oh, ow]);
      return finish(ws, x, out, rest);
    });
  }
  return bad !== 0;
}

/**
 * OpenCV 4.6's unmasked matchTemplate (common_matchTemplate), or scikit-image's rule for padInput ('ccoeff-normed'),
 * into res, for images of several channels. The window sums are made one output row at a time and used at once (no image-sized float64 arrays).
 */
function unmasked(a: MatchArgs, method: TemplateMethod, skimage: boolean, res: Float): void {
  const { src, H, W, C, h, w, T, K, dtype } = a;
  const n = H * W;
  const hw = h * w;
  const ow = W - w + 1;
  const oh = H - h + 1;
  const coeff = method === 'ccoeff' || method === 'ccoeff-normed';
  const sqd = method === 'sqdiff' || method === 'sqdiff-normed';
  const normed = method.endsWith('-normed');
  // Translation invariant methods run on I − g, T − g (sqdiff) or I − g, T − mean T (ccoeff); ccorr on the raw values.
  const shifts = Array.from({ length: C }, (_, k) => (coeff || sqd ? channelShift(src, C, k, n) : 0));
  // One finite channel of the right type with no shift is used as it is; otherwise a shifted copy.
  const asIs = C === 1 && a.finite && shifts[0] === 0 && (dtype === 'float32' ? src instanceof Float32Array : src instanceof Float64Array);
  const planes = asIs ? [src as Float] : shifts.map((g, k) => plane(src, C, k, g, dtype, n));
  const tMean = Array.from({ length: C }, (_, k) => {
    let s = 0;
    for (let i = 0; i < hw; i++) s += T[i * C + k];
    return s / hw;
  });
  // OpenCV: templNorm² = Σ_k var(T_k)·K (ccoeff) or Σ T² (the others).
  let tVar = 0;
  let tSum2 = 0;
  for (let k = 0; k < C; k++) {
    for (let i = 0; i < hw; i++) {
      const v = T[i * C + k];
      tVar += (v - tMean[k]) ** 2;
      tSum2 += v * v;
    }
  }
  if (method === 'ccoeff-normed' && !skimage && tVar / K < DBL_EPSILON) {
    res.fill(1);
    return;
  }
  const tmpl = (k: number) => {
    const t = new Float64Array(hw);
    const sh = coeff ? tMean[k] : shifts[k];
    for (let i = 0; i < hw; i++) t[i] = T[i * C + k] - sh;
    return t;
  };
  // With one channel the correlation lands in res, and the scores below overwrite it in place.
  const { corr, used } = sumCorr(a, planes, tmpl, res);
  if (method === 'ccorr') {
    if (corr !== res) res.set(corr);
    return;
  }
  const usedMean = used.map((t) => sum(t) / hw); // mean of the template actually correlated (≈ 0 for ccoeff)
  let usedSq = 0;
  for (const t of used) for (let i = 0; i < hw; i++) usedSq += t[i] * t[i];
  const templNorm = Math.sqrt(coeff ? tVar : tSum2);
  const eps = dtype === 'float32' ? FLT_EPSILON : DBL_EPSILON;
  const g = shifts;
  const Kg2 = shifts.reduce((t, v) => t + K * v * v, 0);
  // Each channel's window sums by the similarity kernel, over a copy of its plane in the workspace.
  const f64 = (m: number) => (dtype === 'float32' ? 2 * m : m);
  const sizes = planes.flatMap(() => [n, f64(windowSumsScratch(W, h)), f64(ow), f64(ow)]);
  withWorkspace(a.op, a.backend, dtype, sizes, (ws) => {
    const { mem, k: kern } = ws;
    const at = (k: number, i: number) => ws.off[4 * k + i];
    planes.forEach((pl, k) => mem.set(pl, at(k, 0)));
    const view = (off: number) => new Float64Array(mem.buffer, mem.byteOffset + off * mem.BYTES_PER_ELEMENT, ow);
    const S = planes.map((_, k) => view(at(k, 2)));
    const Qk = planes.map((_, k) => view(at(k, 3)));
    for (let r = 0; r < oh; r++) {
      for (let k = 0; k < C; k++) kern.windowSums(mem, at(k, 0), W, h, w, r, at(k, 1), at(k, 2), at(k, 3));
      const o = r * ow;
      for (let j = 0; j < ow; j++) {
        let q = 0;
        for (let k = 0; k < C; k++) q += Qk[k][j];
        let num: number;
        let wndSum2 = q; // raw Σ I² (q itself for ccorr, whose planes are unshifted)
        let diff2: number;
        if (coeff) {
          num = corr[o + j];
          let mean2 = 0;
          wndSum2 = q + Kg2;
          for (let k = 0; k < C; k++) {
            const sk = S[k][j];
            num -= sk * usedMean[k];
            mean2 += (sk * sk) / K;
            wndSum2 += 2 * g[k] * sk;
          }
          diff2 = q - mean2;
          // What float64 cannot tell from zero is zero (OpenCV sums the raw values, where a flat window gives exactly 0).
          if (diff2 <= K * DBL_EPSILON * q) diff2 = 0;
        } else if (sqd) {
          num = Math.max(q - 2 * corr[o + j] + usedSq, 0);
          if (normed) {
            wndSum2 = q + Kg2;
            for (let k = 0; k < C; k++) wndSum2 += 2 * g[k] * S[k][j];
            if (wndSum2 <= K * DBL_EPSILON * q) wndSum2 = 0;
          }
          diff2 = wndSum2;
        } else {
          num = corr[o + j];
          diff2 = wndSum2;
        }
        if (!normed) {
          res[o + j] = num;
          continue;
        }
        diff2 = Math.max(diff2, 0);
        if (skimage) {
          // scikit-image: numerator / √(max(variance · template ssd, 0)) where that exceeds the dtype's epsilon, else 0.
          const den = Math.sqrt(diff2 * tVar);
          res[o + j] = den > eps ? num / den : 0;
          continue;
        }
        const t = diff2 <= Math.min(0.5, 10 * FLT_EPSILON * wndSum2) ? 0 : Math.sqrt(diff2) * templNorm;
        const an = Math.abs(num);
        if (Number.isNaN(num)) res[o + j] = NaN;
        else if (an < t) res[o + j] = num / t;
        else if (an < t * 1.125) res[o + j] = num > 0 ? 1 : -1;
        else res[o + j] = method !== 'sqdiff-normed' ? 0 : 1;
      }
    }
  });
}

/**
 * OpenCV 4.6's masked matchTemplate (matchTemplateMask), per channel k with weights M (uint8 masks are 0/1):
 *   sqdiff  C(I², M²) − 2·C(I, T·M²) + Σ (T·M)²              normed: / √(Σ (T·M)² · C(I², M²))
 *   ccorr   C(I, T·M²)                                       normed: the same denominator
 *   ccoeff  C(I, M²·(T − μ)) − Σ M²(T − μ) / Σ M · C(I, M),  μ = Σ M·T / Σ M
 *           normed: / (‖M·(T − μ)‖ · √(C(I², M²) + C(I, M)/ΣM · (ΣM²/ΣM · C(I, M) − 2·C(I, M²))))
 * summed over channels; no guard or clamp (a zero denominator gives NaN or ±Infinity). Every correlation runs in
 * float64 here: masked windows have no running sums to fall back on, so their energies come from correlations.
 */
function masked(a0: MatchArgs, method: TemplateMethod, M: Float64Array): ArrayLike<number> {
  const a: MatchArgs = { ...a0, dtype: 'float64' };
  const { src, H, W, C, h, w, T, nOut, op, backend, convMethod } = a;
  const n = H * W;
  const hw = h * w;
  const coeff = method === 'ccoeff' || method === 'ccoeff-normed';
  const sqd = method === 'sqdiff' || method === 'sqdiff-normed';
  const normed = method.endsWith('-normed');
  const corr = (p: Float, t: Float64Array) => corrValid(op, backend, convMethod, 'float64', p, [H, W], t, [h, w]);
  const chan = (k: number, f: (i: number) => number) => {
    const t = new Float64Array(hw);
    for (let i = 0; i < hw; i++) t[i] = f(i * C + k);
    return t;
  };
  const addInto = (acc: Float64Array, r: ArrayLike<number>, s = 1) => {
    for (let i = 0; i < nOut; i++) acc[i] += s * r[i];
  };
  const num = new Float64Array(nOut);
  const den = new Float64Array(nOut); // the window factor of the denominator (squared)
  const scale = new Float64Array(nOut); // the magnitude den was computed from (to tell rounding from zero)
  let tNorm2 = 0;
  let tSq = 0;
  for (let i = 0; i < hw * C; i++) tSq += (M[i] * T[i]) ** 2;
  for (let k = 0; k < C; k++) {
    const g = coeff || sqd ? channelShift(src, C, k, n) : 0;
    const I = plane(src, C, k, g, 'float64', n);
    const I2 = I.map((v) => v * v);
    const M2 = chan(k, (i) => M[i] * M[i]);
    const sM = sum(chan(k, (i) => M[i]));
    const sM2 = sum(M2);
    if (coeff) {
      const mu = sum(chan(k, (i) => M[i] * T[i])) / sM;
      const tx = chan(k, (i) => M[i] * M[i] * (T[i] - mu));
      tNorm2 += sum(chan(k, (i) => (M[i] * (T[i] - mu)) ** 2));
      const cIM = corr(I, chan(k, (i) => M[i]));
      addInto(num, corr(I, tx));
      addInto(num, cIM, -sum(tx) / sM);
      if (normed) {
        const cI2M2 = corr(I2, M2);
        const cIM2 = corr(I, M2);
        for (let i = 0; i < nOut; i++) {
          den[i] += cI2M2[i] + (cIM[i] / sM) * ((sM2 / sM) * cIM[i] - 2 * cIM2[i]);
          scale[i] += Math.abs(cI2M2[i]);
        }
      }
    } else {
      // sqdiff on I − g, T − g (translation invariant); ccorr (g = 0) on the raw values.
      const Ts = chan(k, (i) => T[i] - g);
      tNorm2 += sum(chan(k, (i) => (T[i] * M[i]) ** 2));
      const cross = corr(I, chan(k, (i) => (T[i] - g) * M[i] * M[i]));
      if (sqd) {
        addInto(num, corr(I2, M2));
        addInto(num, cross, -2);
        let s = 0;
        for (let i = 0; i < hw; i++) s += (Ts[i] * M[i * C + k]) ** 2;
        for (let i = 0; i < nOut; i++) num[i] += s;
      } else {
        addInto(num, cross);
      }
      if (normed) {
        // C(I², M²) of the raw image.
        const raw = g === 0 ? I2 : plane(src, C, k, 0, 'float64', n).map((v) => v * v);
        const e = corr(raw, M2);
        addInto(den, e);
        addInto(scale, e);
      }
    }
  }
  if (!normed) return num;
  // A template flat under the mask: M·(T − μ) is zero up to the rounding of μ.
  if (coeff && tNorm2 <= hw * C * DBL_EPSILON * DBL_EPSILON * tSq) return new Float64Array(nOut).fill(NaN);
  const out = new Float64Array(nOut);
  const tn = Math.sqrt(tNorm2);
  for (let i = 0; i < nOut; i++) {
    // Correlations of float64 values: what is within their rounding of zero is zero (then 0/0 is NaN, as OpenCV's
    // exact arithmetic would give for a flat window).
    const d = den[i] <= 1e-12 * scale[i] ? 0 : den[i];
    const n2 = d === 0 && coeff ? 0 : num[i];
    out[i] = coeff ? n2 / (Math.sqrt(d) * tn) : num[i] / Math.sqrt(tNorm2 * d);
  }
  return out;
}

/**
 * The minimum and maximum of an array and their first locations in C order, as OpenCV's `cv2.minMaxLoc`; NaN is
 * ignored. Locations are index arrays ([row, col] for an image: OpenCV's Point is (x, y) = (col, row)). With no
 * value but NaN, OpenCV 4.6 gives minVal +Infinity, maxVal −Infinity and locations at 0; so does this.
 * @example minMaxLoc({ data: Float32Array.of(3, 1, 4, 1, 5, 9), shape: [2, 3] })
 * // { minVal: 1, maxVal: 9, minLoc: [0, 1], maxLoc: [1, 2] }
 */
export function minMaxLoc(a: Input): { minVal: number; maxVal: number; minLoc: number[]; maxLoc: number[] } {
  const t = asTensor('minMaxLoc', 'a', a);
  const d = t.data;
  let minVal = Infinity;
  let maxVal = -Infinity;
  let mi = -1;
  let ma = -1;
  for (let i = 0; i < d.length; i++) {
    const v = d[i];
    if (v < minVal || (mi < 0 && v === Infinity)) {
      minVal = v;
      mi = i;
    }
    if (v > maxVal || (ma < 0 && v === -Infinity)) {
      maxVal = v;
      ma = i;
    }
  }
  const loc = (i: number) => {
    const idx = new Array<number>(t.shape.length).fill(0);
    for (let ax = t.shape.length - 1, r = Math.max(i, 0); ax >= 0; ax--) {
      idx[ax] = r % t.shape[ax];
      r = Math.floor(r / t.shape[ax]);
    }
    return idx;
  };
  return { minVal, maxVal, minLoc: loc(mi), maxLoc: loc(ma) };
}

// ---- 1-D: xcorr and findDelay ----

export type XcorrScale = 'none' | 'biased' | 'unbiased' | 'normalized' | 'coeff';
const SCALES = ['none', 'biased', 'unbiased', 'normalized', 'coeff'] as const;

export interface XcorrOptions {
  /** Lags −maxlag … maxlag; default max(length) − 1; larger values pad with zeros, as MATLAB. */
  maxlag?: number;
  scale?: XcorrScale;
  method?: Method;
  dtype?: DType;
  backend?: 'wasm' | 'js';
}

export interface FindDelayOptions {
  maxlag?: number;
  /** Refine the peak by a parabola through it and its two neighbours: a fractional delay. */
  subsample?: boolean;
  method?: Method;
  backend?: 'wasm' | 'js';
}

function vector(op: string, name: string, v: unknown): Tensor {
  const t = asTensor(op, name, v);
  if (t.shape.length !== 1) throw rangeError(op, `${name} must be a vector (rank 1), got shape [${t.shape.join(', ')}]`);
  return t;
}

const toFloat = (d: Float | number[], dtype: DType): Float =>
  (dtype === 'float32' ? d instanceof Float32Array : d instanceof Float64Array) ? d as Float : dtype === 'float32' ? Float32Array.from(d) : Float64Array.from(d);

/**
 * r[k] = Σ_n x[n + lag_k] · y[n] for lag_k = −maxlag … maxlag (y zero beyond its length, x likewise), in dtype,
 * by the direct kernels or the FFT engine. The real core of xcorr and findDelay (a complex path would call it four
 * times, or its complex twin, with the conjugate of y).
 */
function lagCorrelation(op: string, x: Float, y: Float, maxlag: number, method: Method, dtype: DType, backend: unknown): Float {
  const nx = x.length;
  const ny = y.length;
  const lo = Math.max(-maxlag, -(ny - 1));
  const hi = Math.min(maxlag, nx - 1);
  const out = new (dtype === 'float32' ? Float32Array : Float64Array)(2 * maxlag + 1);
  const plan = fullSlicePlan(dtype, [nx], [ny], [hi - lo + 1], [lo + ny - 1], false);
  const m = method === 'auto' ? autoMethod(plan, backend) : method;
  // 'auto' falls back to direct (NumPy's sums of overlapping samples) when an input holds NaN or ±Infinity.
  const r = m === 'fft' ? runFft(op, backend, plan, x, y, method === 'auto', runDirectOverlap) : runDirectOverlap(op, backend, plan, x, y);
  out.set(r, lo + maxlag);
  return out;
}

function readMaxlag(op: string, v: unknown, dflt: number): number {
  return v === undefined ? dflt : integer(op, 'maxlag', v, 0);
}

/**
 * Cross-correlation with MATLAB's / Octave's `xcorr` semantics: r[k] = Σ_n x[n + lags[k]] · y[n] for
 * lags = −maxlag … maxlag (default maxlag = max(length) − 1; beyond length − 1 the result is zero). The shorter
 * vector is zero-padded to the longer one's length N, as MATLAB (Octave refuses scales other than 'none' there).
 * `scale`: 'none', 'biased' (r/N), 'unbiased' (r/(N − |lag|), 0 where |lag| ≥ N), 'normalized' or 'coeff'
 * (r/√(Σx²·Σy²): 1 at lag 0 for an autocorrelation). `y` omitted: the autocorrelation of x.
 * @example xcorr([1, 2, 3], [4, 5, 6]) // { r: Float64Array [6, 17, 32, 23, 12], lags: Int32Array [-2, -1, 0, 1, 2] }
 */
export function xcorr(x: Float | number[], y?: Float | number[] | XcorrOptions, opts?: XcorrOptions): { r: Float; lags: Int32Array };
export function xcorr(x: NDArray, y?: NDArray | XcorrOptions, opts?: XcorrOptions): { r: NDArray; lags: Int32Array };
export function xcorr(x: Input, y?: Input | XcorrOptions, opts?: XcorrOptions): { r: Float | NDArray; lags: Int32Array };
export function xcorr(x: Input, y?: Input | XcorrOptions, opts?: XcorrOptions): { r: Float | NDArray; lags: Int32Array } {
  const op = 'xcorr';
  // xcorr(x, { maxlag }) as MATLAB's xcorr(x, maxlag): an options bag where y would be.
  const yIsOpts = y !== undefined && y !== null && typeof y === 'object' && !Array.isArray(y) && !ArrayBuffer.isView(y) && !('data' in y);
  if (yIsOpts && opts !== undefined) throw typeError(op, 'y', 'a vector when options follow it', y);
  const o = options<XcorrOptions>(op, yIsOpts ? y : opts, ['maxlag', 'scale', 'method', 'dtype', 'backend']);
  const yv = yIsOpts ? undefined : y;
  const scale = oneOf(op, 'scale', o.scale, SCALES, 'none');
  const method = oneOf(op, 'method', o.method, CONV_METHODS, 'auto');
  const xt = vector(op, 'x', x);
  const yt = yv === undefined ? xt : vector(op, 'y', yv);
  const N = Math.max(xt.shape[0], yt.shape[0]);
  const maxlag = readMaxlag(op, o.maxlag, N - 1);
  const dtype = resultDtype(op, o.dtype, xt, yt);
  const xf = toFloat(xt.data, dtype);
  const yf = yv === undefined ? xf : toFloat(yt.data, dtype);
  const r = lagCorrelation(op, xf, yf, maxlag, method, dtype, o.backend);
  if (scale === 'biased') for (let k = 0; k < r.length; k++) r[k] /= N;
  else if (scale === 'unbiased') {
    for (let k = 0; k < r.length; k++) {
      const lag = Math.abs(k - maxlag);
      r[k] = lag < N ? r[k] / (N - lag) : 0;
    }
  } else if (scale === 'normalized' || scale === 'coeff') {
    const d = Math.sqrt(sumSq(xf) * (yv === undefined ? sumSq(xf) : sumSq(yf)));
    for (let k = 0; k < r.length; k++) r[k] /= d;
  }
  const lags = Int32Array.from({ length: 2 * maxlag + 1 }, (_, k) => k - maxlag);
  return { r: wrap(r, [r.length], xt.nd || yt.nd), lags };
}

function sumSq(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

/**
 * The delay of `y` relative to `x`, in samples, as MATLAB's `finddelay`: if y[n] = x[n − d] then the result is d.
 * It is −(the lag of the largest |xcorr(x, y)| / √(Σx²·Σy²)) over lags −maxlag … maxlag (default max(length) − 1);
 * ties go to the smallest |lag|, then (as MATLAB) to the positive delay; a peak below 1e-8 gives 0 (MATLAB's guard
 * against FFT round-off). `subsample: true` moves the peak to the vertex of the parabola through it and its two
 * neighbours: a fractional delay, biased towards the integer for band-limited signals (the peak of a sampled
 * correlation is not a parabola; the error grows as the signal's bandwidth shrinks, up to a few tenths of a sample).
 * @example findDelay([1, 2, 3, 0, 0], [0, 0, 1, 2, 3]) // 2
 */
export function findDelay(x: Input, y: Input, opts?: FindDelayOptions): number {
  const op = 'findDelay';
  const o = options<FindDelayOptions>(op, opts, ['maxlag', 'subsample', 'method', 'backend']);
  const method = oneOf(op, 'method', o.method, CONV_METHODS, 'auto');
  if (o.subsample !== undefined && typeof o.subsample !== 'boolean') throw typeError(op, 'subsample', 'a boolean', o.subsample);
  const xt = vector(op, 'x', x);
  const yt = vector(op, 'y', y);
  const maxlag = readMaxlag(op, o.maxlag, Math.max(xt.shape[0], yt.shape[0]) - 1);
  const dtype = resultDtype(op, undefined, xt, yt);
  const xf = toFloat(xt.data, dtype);
  const yf = toFloat(yt.data, dtype);
  const r = lagCorrelation(op, xf, yf, maxlag, method, dtype, o.backend);
  const norm = 1 / Math.sqrt(sumSq(xf) * sumSq(yf));
  const c = (k: number) => Math.abs(r[k]) * norm;
  // MATLAB: the first maximum of lags 0 … maxlag and of lags −1 … −maxlag (by |lag|); the larger wins, a tie goes to
  // the smaller |lag|, an equal |lag| to the negative lag (a positive delay).
  let kp = maxlag;
  let cp = -Infinity;
  for (let k = maxlag; k < r.length; k++) if (c(k) > cp) { cp = c(k); kp = k; }
  let kn = -1;
  let cn = -Infinity;
  for (let k = maxlag - 1; k >= 0; k--) if (c(k) > cn) { cn = c(k); kn = k; }
  let k = kp;
  let best = cp;
  if (kn >= 0 && (cn > cp || (cn === cp && maxlag - kn < kp - maxlag + 1))) {
    k = kn;
    best = cn;
  }
  if (!(best >= 1e-8)) return 0;
  let lag = k - maxlag;
  if (o.subsample && k > 0 && k < r.length - 1) {
    const a = c(k - 1);
    const b = c(k);
    const d = c(k + 1);
    const den = a - 2 * b + d;
    if (den < 0) lag += (a - d) / (2 * den);
  }
  return lag === 0 ? 0 : -lag;
}
