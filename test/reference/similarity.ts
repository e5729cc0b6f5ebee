// The slow reference for template matching, xcorr and finddelay, straight from the formulas, one window (or lag) at
// a time in float64, never optimised. Owned by the tests: no code from src/.
//   OpenCV 4.6 matchTemplate, unmasked (common_matchTemplate) and masked (matchTemplateMask), channels summed;
//   scikit-image 0.19 match_template (pad_input=True); MATLAB xcorr (r[k] = Σ_n x[n + lag] y[n]) and finddelay.
// Besides each value it returns `mag`: the sum of |terms| the value is computed from divided by its denominator, so
// that tests can bound rounding per element (a K-term sum in precision ε errs by about K·ε·Σ|terms|).

export type Method = 'sqdiff' | 'sqdiff-normed' | 'ccorr' | 'ccorr-normed' | 'ccoeff' | 'ccoeff-normed';

export interface Img {
  data: ArrayLike<number>;
  H: number;
  W: number;
  C: number;
}

const FLT_EPSILON = 2 ** -23;
const DBL_EPSILON = 2 ** -52;

/** OpenCV's matchTemplate. `mask`: weights [h, w, C] (already binary for a uint8 mask, repeated for a 1-channel one). */
export function matchTemplateRef(img: Img, tpl: Img, method: Method, mask?: ArrayLike<number>): { data: Float64Array; mag: Float64Array; den: Float64Array } {
  const { H, W, C } = img;
  const h = tpl.H;
  const w = tpl.W;
  const K = h * w;
  const oh = H - h + 1;
  const ow = W - w + 1;
  const I = (r: number, c: number, k: number) => img.data[(r * W + c) * C + k];
  const T = (i: number, j: number, k: number) => tpl.data[(i * w + j) * C + k];
  const data = new Float64Array(oh * ow);
  const mag = new Float64Array(oh * ow);
  const den = new Float64Array(oh * ow).fill(1);
  const normed = method.endsWith('-normed');
  if (mask) {
    const M = (i: number, j: number, k: number) => mask[(i * w + j) * C + k];
    const mu: number[] = [];
    const sM: number[] = [];
    const sM2: number[] = [];
    let tNorm2 = 0;
    let tm2 = 0;
    const sTx: number[] = [];
    for (let k = 0; k < C; k++) {
      let a = 0;
      let b = 0;
      let q = 0;
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
        a += M(i, j, k) * T(i, j, k);
        b += M(i, j, k);
        q += M(i, j, k) ** 2;
        tm2 += (T(i, j, k) * M(i, j, k)) ** 2;
      }
      mu.push(a / b);
      sM.push(b);
      sM2.push(q);
      let s = 0;
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
        tNorm2 += (M(i, j, k) * (T(i, j, k) - mu[k])) ** 2;
        s += M(i, j, k) ** 2 * (T(i, j, k) - mu[k]);
      }
      sTx.push(s);
    }
    for (let r = 0; r < oh; r++) for (let c = 0; c < ow; c++) {
      let num = 0;
      let den2 = 0;
      let m = 0;
      let dm = 0;
      for (let k = 0; k < C; k++) {
        let cIM = 0;
        let cIM2 = 0;
        let cI2M2 = 0;
        let cx = 0;
        let cxAbs = 0;
        for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
          const v = I(r + i, c + j, k);
          const mm = M(i, j, k);
          cIM += v * mm;
          cIM2 += v * mm * mm;
          cI2M2 += v * v * mm * mm;
          if (method.startsWith('ccoeff')) {
            cx += v * mm * mm * (T(i, j, k) - mu[k]);
            cxAbs += Math.abs(v * mm * mm * (T(i, j, k) - mu[k])) + Math.abs((sTx[k] / sM[k]) * v * mm);
          } else if (method.startsWith('ccorr')) {
            cx += v * T(i, j, k) * mm * mm;
            cxAbs += Math.abs(v * T(i, j, k) * mm * mm);
          } else {
            cx += mm * mm * (v - T(i, j, k)) ** 2;
            cxAbs += mm * mm * (v * v + 2 * Math.abs(v * T(i, j, k)) + T(i, j, k) ** 2);
          }
        }
        if (method.startsWith('ccoeff')) {
          num += cx - (sTx[k] / sM[k]) * cIM;
          den2 += cI2M2 + (cIM / sM[k]) * ((sM2[k] / sM[k]) * cIM - 2 * cIM2);
        } else {
          num += cx;
          den2 += cI2M2;
        }
        m += cxAbs;
        dm += cI2M2 + Math.abs(cIM / sM[k]) * ((sM2[k] / sM[k]) * Math.abs(cIM) + 2 * Math.abs(cIM2));
      }
      let val = num;
      let d = 1;
      if (normed) {
        // A flat window under the mask: its energy is a difference of sums of magnitude dm that cancel (to zero in
        // exact arithmetic). The documented result is then NaN (0/0); OpenCV's is whatever its rounding left.
        if (method.startsWith('ccoeff') && den2 <= 1e-12 * dm) {
          data[r * ow + c] = NaN;
          den[r * ow + c] = 0;
          continue;
        }
        d = method.startsWith('ccoeff') ? Math.sqrt(den2) * Math.sqrt(tNorm2) : Math.sqrt(tm2 * den2);
        val = num / d;
        // The denominator's own rounding (a difference of sums of magnitude dm) moves the quotient by ~|val|·δ/den².
        m += (Math.abs(val) * dm) / Math.max(den2, 1e-300) * (method.startsWith('ccoeff') ? Math.sqrt(tNorm2) : Math.sqrt(tm2)) * Math.sqrt(Math.max(den2, 0));
      }
      data[r * ow + c] = val;
      mag[r * ow + c] = m / Math.abs(d);
      den[r * ow + c] = Math.abs(d);
    }
    return { data, mag, den };
  }
  const tMean: number[] = [];
  for (let k = 0; k < C; k++) {
    let s = 0;
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) s += T(i, j, k);
    tMean.push(s / K);
  }
  let tVar = 0;
  let tSum2 = 0;
  for (let k = 0; k < C; k++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
    tVar += (T(i, j, k) - tMean[k]) ** 2;
    tSum2 += T(i, j, k) ** 2;
  }
  const coeff = method.startsWith('ccoeff');
  const sqd = method.startsWith('sqdiff');
  for (let r = 0; r < oh; r++) for (let c = 0; c < ow; c++) {
    let cross = 0;
    let crossAbs = 0;
    let wndSum2 = 0;
    let diff2 = 0;
    let sq = 0;
    let sqAbs = 0;
    for (let k = 0; k < C; k++) {
      let s = 0;
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) s += I(r + i, c + j, k);
      const mean = s / K;
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
        const v = I(r + i, c + j, k);
        const t = T(i, j, k);
        wndSum2 += v * v;
        diff2 += (v - mean) ** 2;
        if (coeff) {
          cross += (v - mean) * (t - tMean[k]);
          crossAbs += Math.abs(v * (t - tMean[k])) + Math.abs(v * tMean[k]) + Math.abs(t * mean);
        } else {
          cross += v * t;
          crossAbs += Math.abs(v * t);
        }
        sq += (v - t) ** 2;
        sqAbs += v * v + 2 * Math.abs(v * t) + t * t;
      }
    }
    let num = sqd ? sq : cross;
    const m = sqd ? sqAbs : crossAbs;
    const o = r * ow + c;
    if (!normed) {
      data[o] = num;
      mag[o] = m;
      continue;
    }
    if (method === 'ccoeff-normed' && tVar / K < DBL_EPSILON) {
      data[o] = 1;
      den[o] = Infinity;
      continue;
    }
    const d2 = coeff ? diff2 : wndSum2;
    const templNorm = Math.sqrt(coeff ? tVar : tSum2);
    const t = d2 <= Math.min(0.5, 10 * FLT_EPSILON * wndSum2) ? 0 : Math.sqrt(d2) * templNorm;
    if (Math.abs(num) < t) num /= t;
    else if (Math.abs(num) < t * 1.125) num = num > 0 ? 1 : -1;
    else num = method !== 'sqdiff-normed' ? 0 : 1;
    data[o] = num;
    mag[o] = t > 0 ? m / t + Math.abs(num) * (wndSum2 / Math.max(d2, 1e-300)) : 0;
    den[o] = t > 0 ? t : Infinity;
  }
  return { data, mag, den };
}

/** scikit-image's match_template(image, templ, pad_input=True) for a 2-D image, in float64 (eps: the dtype's). */
export function matchTemplatePadRef(img: Img, tpl: Img, eps: number): { data: Float64Array; mag: Float64Array } {
  const { H, W } = img;
  const h = tpl.H;
  const w = tpl.W;
  const K = h * w;
  const top = h - 1 - Math.floor((h - 1) / 2);
  const left = w - 1 - Math.floor((w - 1) / 2);
  const I = (r: number, c: number) => (r >= 0 && r < H && c >= 0 && c < W ? img.data[r * W + c] : 0);
  let tm = 0;
  for (let i = 0; i < K; i++) tm += tpl.data[i];
  tm /= K;
  let tssd = 0;
  for (let i = 0; i < K; i++) tssd += (tpl.data[i] - tm) ** 2;
  const data = new Float64Array(H * W);
  const mag = new Float64Array(H * W);
  for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) {
    let s = 0;
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) s += I(r - top + i, c - left + j);
    const mean = s / K;
    let num = 0;
    let v2 = 0;
    let m = 0;
    let e = 0;
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) {
      const v = I(r - top + i, c - left + j);
      num += (v - mean) * (tpl.data[i * w + j] - tm);
      v2 += (v - mean) ** 2;
      m += Math.abs(v * (tpl.data[i * w + j] - tm)) + Math.abs(v * tm);
      e += v * v;
    }
    const den = Math.sqrt(Math.max(v2 * tssd, 0));
    data[r * W + c] = den > eps ? num / den : 0;
    mag[r * W + c] = den > eps ? m / den + (Math.abs(num / den) * e) / Math.max(v2, 1e-300) : 0;
  }
  return { data, mag };
}

/** MATLAB xcorr: lags −maxlag … maxlag, the shorter vector zero-padded to N = max(length). */
export function xcorrRef(x: ArrayLike<number>, y: ArrayLike<number>, maxlag: number, scale: string): { r: Float64Array; mag: Float64Array } {
  const N = Math.max(x.length, y.length);
  const at = (a: ArrayLike<number>, i: number) => (i >= 0 && i < a.length ? a[i] : 0);
  const r = new Float64Array(2 * maxlag + 1);
  const mag = new Float64Array(2 * maxlag + 1);
  let ex = 0;
  let ey = 0;
  for (let n = 0; n < N; n++) {
    ex += at(x, n) ** 2;
    ey += at(y, n) ** 2;
  }
  for (let k = 0; k < r.length; k++) {
    const lag = k - maxlag;
    let s = 0;
    let m = 0;
    for (let n = 0; n < N; n++) {
      s += at(x, n + lag) * at(y, n);
      m += Math.abs(at(x, n + lag) * at(y, n));
    }
    let d = 1;
    if (scale === 'biased') d = N;
    else if (scale === 'unbiased') d = Math.abs(lag) < N ? N - Math.abs(lag) : Infinity;
    else if (scale === 'normalized' || scale === 'coeff') d = Math.sqrt(ex * ey);
    r[k] = d === Infinity ? 0 : s / d;
    mag[k] = d === Infinity ? 0 : m / d;
  }
  return { r, mag };
}

/** MATLAB finddelay for two vectors, from its definition (peak of |normalized xcorr|, MATLAB's tie rules). */
export function findDelayRef(x: ArrayLike<number>, y: ArrayLike<number>, maxlag?: number): number {
  const N = Math.max(x.length, y.length);
  const L = maxlag ?? N - 1;
  const { r } = xcorrRef(x, y, L, 'normalized');
  const c = Array.from(r, Math.abs);
  // max over lags 0 … L (first index), and over lags −1 … −L (first in that order).
  let ip = 0;
  for (let i = 1; i <= L; i++) if (c[L + i] > c[L + ip]) ip = i;
  let iN = 1;
  for (let i = 2; i <= L; i++) if (c[L - i] > c[L - iN]) iN = i;
  let lag = ip;
  let best = c[L + ip];
  if (L >= 1) {
    const cn = c[L - iN];
    if (cn > best || (cn === best && iN < ip + 1)) {
      lag = -iN;
      best = cn;
    }
  }
  if (!(best >= 1e-8)) return 0;
  return lag === 0 ? 0 : -lag;
}
