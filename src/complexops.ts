// The complex paths of the signal ops: correlate/convolve (scipy.signal), correlate2d/convolve2d, fftconvolve/
// oaconvolve and numpy.correlate/convolve, taken when any input is a `Complex` (src/complex.ts). A real input meets a
// complex one as complex with a zero imaginary part, as NumPy and SciPy upcast it. Correlation conjugates its second
// operand:
//   correlate(x, y)[k] = Σ_n x[n + k] · conj(y[n])
// and where NumPy or SciPy swap the inputs (y the larger) they correlate conj(y) with x and reverse the result; the
// direct plans here do the same, so the conjugate lands on the same operand and NaN/±Infinity land where theirs do.
// One exception, documented in the README: SciPy 1.10's correlate2d in mode 'valid' with in2 the larger returns the
// conjugate of that (it conjugates in2 before its swap); here correlate2d agrees with correlate in every mode.
import { product, type DType } from './arrays';
import {
  asCTensor, complexDtype, complexOutputOption, deliverC, pair, writableC, type ComplexArray, type CPair, type CTensor,
} from './complex';
import { runDirectComplex, runDirectOverlapComplex, type Conj } from './complexdirect';
import { complexFftGeometry, complexFftUnits, reverseConj, runComplexFft } from './complexfft';
import { fullSlicePlan } from './direct';
import { oneOf, options, rangeError, typeError } from './errors';
import { AUTO_TINY, costModel } from './auto';
import { fftWindow } from './fftconv';
import { signal2dPlan } from './signal2d';
import { NONFINITE, nonFiniteRule, scanNonFinite } from './nonfinite';
import { covers, frozenPlan, MODES, modeRanges, type Mode, type OpPlan } from './plan';
import type { Method } from './signal';
import { planBackend, type Backend } from './workspace';

const METHODS = ['auto', 'direct', 'fft'] as const;

function twoC(op: string, in1: unknown, in2: unknown, names: [string, string]): [CTensor, CTensor] {
  const t1 = asCTensor(op, names[0], in1);
  const t2 = asCTensor(op, names[1], in2);
  if (t1.shape.length !== t2.shape.length) {
    throw rangeError(op, `${names[0]} has rank ${t1.shape.length} but ${names[1]} has rank ${t2.shape.length}; both inputs must have the same rank`);
  }
  return [t1, t2];
}

/** What the complex problem costs each way, in the real cost model's units (ns), or 'direct' when it is tiny. */
function complexAuto(backend: Backend, dtype: DType, s1: number[], s2: number[], outShape: number[], swap: boolean): 'direct' | 'fft' {
  const hShape = swap ? s1 : s2;
  const nOut = product(outShape);
  // Four real multiply-adds per complex tap.
  const macs = 4 * nOut * product(hShape);
  const axes = s1.map((_, a) => a).filter((a) => s1[a] > 1 && s2[a] > 1);
  if (macs < AUTO_TINY || axes.length === 0) return 'direct';
  const c = costModel(backend, dtype);
  const padded = product(outShape.map((o, a) => o + hShape[a] - 1));
  const direct = c.mac * macs + 2 * c.elem * (padded + nOut);
  // A complex transform of F points costs about two real ones of F points (the real engine's unit is a real FFT of
  // F points, done as a complex one of F/2); each transform also moves its S points through a transpose.
  const { S } = complexFftGeometry(s1, s2, axes);
  const units = complexFftUnits(s1, s2, axes, outShape);
  const transforms = units / (S * Math.log2(Math.max(2, S)));
  const fft = 2 * c.fft * units + 2 * c.elem * (product(s1) + product(s2) + nOut + 2 * transforms * S);
  return fft < direct ? 'fft' : 'direct';
}

/** The plan of a complex correlate/convolve (see OpPlan in src/plan.ts): SciPy's swap, NumPy's path, the method. */
interface ComplexSignalPlan extends OpPlan {
  readonly flip: boolean;
  readonly outShape: number[];
  readonly start: number[];
  readonly dtype: DType;
  readonly swap: boolean;
  /** 1-D inputs take NumPy's direct path in SciPy (full and valid, and 'same' unless in2 is the longer). */
  readonly numpyPath: boolean;
}

/**
 * The frozen plan of a complex correlation of two validated inputs, scipy.signal's semantics. SciPy's direct method
 * slides the smaller array over the larger: swap in 'valid' when in1 does not cover in2, in 'full' when in2 has more
 * elements (src/signal.ts signalPlan). Swapped, a correlation runs as NumPy's does: conj(in2) correlated with in1
 * (in1 not conjugated), then reversed.
 */
function complexSignalPlan(op: string, flip: boolean, s1: number[], s2: number[], mode: Mode, method: Method, dtype: DType,
  backend: Backend): ComplexSignalPlan {
  const { outShape, start } = modeRanges(op, s1, s2, mode);
  const swap = mode === 'valid' ? !covers(s1, s2) : mode === 'full' && product(s2) > product(s1);
  const numpyPath = s1.length === 1 && (mode !== 'same' || s1[0] >= s2[0]);
  const m = method === 'auto' ? complexAuto(backend, dtype, s1, s2, outShape, swap) : method;
  return frozenPlan({
    op, backend, method: m, nonFinite: nonFiniteRule(m, method === 'auto', numpyPath), flip, outShape, start, dtype, swap, numpyPath,
  });
}

/**
 * Complex correlate/convolve of two validated inputs, scipy.signal's semantics: the internal entry of every complex
 * correlation (xcorr and findDelay can call it with op set to their name). `flip`: convolution. The backend is
 * planned here when the caller has not (a planned one passes as is).
 */
export function complexCorrelateCore(
  op: string, flip: boolean, t1: CTensor, t2: CTensor, mode: Mode, method: Method, dtype: DType, backend: unknown, into?: CPair,
): { data: CPair; shape: number[] } {
  const P = complexSignalPlan(op, flip, t1.shape, t2.shape, mode, method, dtype, planBackend(op, backend));
  return { data: runComplexSignal(P, t1, t2, into), shape: P.outShape };
}

/** Run a complex signal plan: its method, stepping aside to direct as its non-finite rule says. */
function runComplexSignal(P: ComplexSignalPlan, t1: CTensor, t2: CTensor, into?: CPair): CPair {
  const { op, flip, swap, backend, dtype, outShape, start } = P;
  const s1 = t1.shape;
  const s2 = t2.shape;
  const x = pair(t1);
  const y = pair(t2);
  const direct = (): CPair => {
    const [a, b, sa, sb] = swap ? [y, x, s2, s1] : [x, y, s1, s2];
    const plan = fullSlicePlan(dtype, sa, sb, outShape, start, flip);
    const conj: Conj = { x: !flip && swap, h: !flip && !swap };
    const res = (P.numpyPath ? runDirectOverlapComplex : runDirectComplex)(op, backend, plan, a, b, conj, into);
    if (swap && !flip) {
      res.re.reverse();
      res.im.reverse();
    }
    return res;
  };
  if (P.method === 'direct') return direct();
  const axes = s1.map((_, a) => a).filter((a) => s1[a] > 1 && s2[a] > 1);
  // SciPy: correlate(in1, in2) = convolve(in1, _reverse_and_conj(in2)).
  const h = flip ? y : reverseConj(y, dtype, true);
  return runComplexFft(op, backend, { dtype, x1: x, s1, x2: h, s2, axes, start, outShape, nonFinite: P.nonFinite }, into) ?? direct();
}

/** correlate / convolve with a complex input (src/signal.ts routes here). */
export function complexSignalOp(op: string, flip: boolean, in1: unknown, in2: unknown, opts: unknown): ComplexArray {
  const o = options<Record<string, unknown>>(op, opts, ['mode', 'method', 'dtype', 'backend', 'output']);
  const [t1, t2] = twoC(op, in1, in2, ['in1', 'in2']);
  const mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const method = oneOf(op, 'method', o.method, METHODS, 'auto');
  const { outShape } = modeRanges(op, t1.shape, t2.shape, mode);
  const out = complexOutputOption(op, o.output, o.dtype, outShape, `the result's shape for mode '${mode}'`);
  const dtype = out.dtype ?? complexDtype(op, o.dtype, t1, t2);
  const into = writableC(out, t1.re, t1.im, t2.re, t2.im);
  const P = complexSignalPlan(op, flip, t1.shape, t2.shape, mode, method, dtype, planBackend(op, o.backend));
  return deliverC(out, runComplexSignal(P, t1, t2, into), outShape, t1.nd || t2.nd);
}

/** chooseConvMethod with a complex input: what method 'auto' runs. */
export function complexChooseMethod(op: string, in1: unknown, in2: unknown, opts: unknown): 'direct' | 'fft' {
  const o = options<Record<string, unknown>>(op, opts, ['mode', 'dtype', 'backend']);
  const [t1, t2] = twoC(op, in1, in2, ['in1', 'in2']);
  const mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const dtype = complexDtype(op, o.dtype, t1, t2);
  const P = complexSignalPlan(op, false, t1.shape, t2.shape, mode, 'auto', dtype, planBackend(op, o.backend));
  if (P.method === 'direct') return 'direct';
  // The FFT steps aside to direct on NaN or ±Infinity (src/nonfinite.ts, 'fft-auto').
  return scanNonFinite(op, P.backend, t1.re, t1.im, t2.re, t2.im) ? 'direct' : 'fft';
}

/** correlate2d / convolve2d with a complex input (src/signal2d.ts routes here). */
export function complexSignal2dOp(op: string, flip: boolean, in1: unknown, in2: unknown, opts: unknown): ComplexArray {
  const o = options<Record<string, unknown>>(op, opts, ['mode', 'boundary', 'fillvalue', 'dtype', 'backend']);
  const t1 = asCTensor(op, 'in1', in1);
  const t2 = asCTensor(op, 'in2', in2);
  if (o.fillvalue !== undefined && typeof o.fillvalue !== 'number') {
    throw typeError(op, 'fillvalue', 'a number (the fill value is real)', o.fillvalue);
  }
  const { plan, swap, a, b, outShape } = signal2dPlan(op, flip, o, t1, t2, complexDtype(op, o.dtype, t1, t2));
  const P = frozenPlan({ op, backend: planBackend(op, o.backend), method: 'direct', nonFinite: NONFINITE.direct, direct: plan });
  // Swapped ('valid', in2 the larger): conj(in2) correlated with in1, reversed — correlate's result (see the top).
  const data = runDirectComplex(op, P.backend, P.direct, pair(a), pair(b), { x: !flip && swap, h: !flip && !swap });
  if (swap && !flip) {
    data.re.reverse();
    data.im.reverse();
  }
  return { re: data.re, im: data.im, shape: outShape };
}

/** numpy.correlate / numpy.convolve with a complex input (src/numpy.ts routes here). */
export function complexNumpyOp(op: string, flip: boolean, dfltMode: Mode, a: unknown, v: unknown, opts: unknown): ComplexArray {
  const o = options<Record<string, unknown>>(op, opts, ['mode', 'dtype', 'backend']);
  const ta = asCTensor(op, 'a', a);
  const tv = asCTensor(op, 'v', v);
  for (const [name, t] of [['a', ta], ['v', tv]] as const) {
    if (t.shape.length !== 1) throw rangeError(op, `${name} must be 1-D, got shape [${t.shape.join(', ')}]`);
  }
  const mode = oneOf(op, 'mode', o.mode, MODES, dfltMode);
  const dtype = complexDtype(op, o.dtype, ta, tv);
  // NumPy conjugates v (correlate), then slides the shorter over the longer: when v is the longer it correlates
  // conj(v) with a and reverses the result.
  const swap = tv.shape[0] > ta.shape[0];
  const [long, short] = swap ? [tv, ta] : [ta, tv];
  const M = long.shape[0];
  const N = short.shape[0];
  const [len, start] = mode === 'full' ? [M + N - 1, 0] : mode === 'valid' ? [M - N + 1, N - 1] : [M, Math.floor((N - 1) / 2)];
  const P = frozenPlan({
    op, backend: planBackend(op, o.backend), method: 'direct', nonFinite: NONFINITE.numpy, direct: fullSlicePlan(dtype, [M], [N], [len], [start], flip),
  });
  const data = runDirectOverlapComplex(op, P.backend, P.direct, pair(long), pair(short), { x: !flip && swap, h: !flip && !swap });
  if (swap && !flip) {
    data.re.reverse();
    data.im.reverse();
  }
  return ta.nd || tv.nd ? { re: data.re, im: data.im, shape: [len] } : { re: data.re, im: data.im };
}

/** fftconvolve / oaconvolve with a complex input (src/fftconv.ts routes here). Both run one complex transform per
 * axis (oaconvolve's blocks would give the same values within rounding). */
export function complexFftOp(op: string, in1: unknown, in2: unknown, opts: unknown): ComplexArray {
  const o = options<Record<string, unknown>>(op, opts, ['mode', 'axes', 'dtype', 'backend']);
  const [t1, t2] = twoC(op, in1, in2, ['in1', 'in2']);
  const mode = oneOf(op, 'mode', o.mode, MODES, 'full');
  const { axes, start, outShape } = fftWindow(op, mode, t1.shape, t2.shape, o.axes);
  const dtype = complexDtype(op, o.dtype, t1, t2);
  const P = frozenPlan({ op, backend: planBackend(op, o.backend), method: 'fft', nonFinite: NONFINITE.fft, axes, start, outShape, dtype });
  const data = runComplexFft(op, P.backend, { dtype, x1: pair(t1), s1: t1.shape, x2: pair(t2), s2: t2.shape, axes, start, outShape, nonFinite: P.nonFinite })!;
  return t1.nd || t2.nd ? { re: data.re, im: data.im, shape: outShape } : { re: data.re, im: data.im };
}
