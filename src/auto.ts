// Method 'auto' of convolve/correlate/chooseConvMethod: an operation-count model with constants measured per build,
// stored in src/auto-model.ts (the FFT engine it prices is src/fft.ts):
//   direct ≈ mac · (outputs · kernel size) + elem · (padded input + output elements) + call
//   fft    ≈ fft · Σ F·log2 F over the transforms (fftUnits) + fftElem · (inputs + output elements) + fftCall
// The constants (ns) are fitted per build (js, scalar, simd, relaxed), dtype and rank class (1-D, N-D) by
// scripts/calibrate-auto.mjs from timings of the public ops, and committed, as SciPy commits the constants of
// choose_conv_method: the choice depends only on the shapes, dtype, mode and build, never on timing at run time, so
// every process makes the same choice and the first call pays no calibration. Below AUTO_TINY multiply-adds the
// direct method always wins (fixed costs dominate).
import { product, type DType } from './arrays';
import { AUTO_MODEL } from './auto-model';
import type { DirectPlan } from './direct';
import { chooseBlocks, fftUnits, swapPays } from './fft';
import type { BackendOption } from './plan';
import { planBackend } from './workspace';

/** ns per unit of each feature of the two methods, for one build, dtype and rank class. */
export interface CostModel {
  /** ns per multiply-add of the direct method. */
  mac: number;
  /** ns per element the direct method copies (padded input and output). */
  elem: number;
  /** ns per F·log2 F unit of the FFT method. */
  fft: number;
  /** ns per element the FFT method copies (inputs and output). */
  fftElem: number;
  /** ns per call of the direct method, beside the above. */
  call: number;
  /** ns per call of the FFT method, beside the above (twiddle tables, spectra set-up). */
  fftCall: number;
}

export const AUTO_TINY = 1 << 17;

/** The committed cost model of one backend build and dtype, for 1-D problems (rank 1) or N-D ones (rank ≥ 2). */
export function costModel(backend: BackendOption, dtype: DType, rank = 1): CostModel {
  const be = planBackend('chooseConvMethod', backend);
  const build = be.name === 'js' ? 'js' : be.module.variant;
  return AUTO_MODEL[build][dtype][rank === 1 ? 'rank1' : 'rankN'];
}

/** The model's features of a plan: what the direct and the FFT method each do, in the units of CostModel. */
export function autoFeatures(plan: DirectPlan): { macs: number; directElems: number; fftUnits: number; fftElems: number } {
  const s1 = plan.xShape;
  const s2 = plan.hShape;
  const axes = s1.map((_, a) => a).filter((a) => s1[a] > 1 && s2[a] > 1);
  const nOut = product(plan.outShape);
  const padded = product(plan.outShape.map((o, a) => o + s2[a] - 1));
  const [a1, a2] = swapPays(s1, s2, axes) ? [s2, s1] : [s1, s2];
  return {
    macs: nOut * product(s2),
    directElems: padded + nOut,
    fftUnits: fftUnits(a1, a2, axes, chooseBlocks(a1, a2, axes)),
    fftElems: product(s1) + product(s2) + nOut,
  };
}

/** Predicted ns of both methods for a plan, from the committed model of the backend's build. */
export function predictCosts(plan: DirectPlan, backend: BackendOption): { direct: number; fft: number } {
  const c = costModel(backend, plan.dtype, plan.xShape.length);
  const f = autoFeatures(plan);
  return { direct: c.mac * f.macs + c.elem * f.directElems + c.call, fft: c.fft * f.fftUnits + c.fftElem * f.fftElems + c.fftCall };
}

/**
 * What method 'auto' runs for finite inputs: direct for tiny problems (and when no axis needs a transform), else the
 * cheaper by the committed model.
 */
export function autoMethod(plan: DirectPlan, backend: BackendOption): 'direct' | 'fft' {
  const macs = product(plan.outShape) * product(plan.hShape);
  if (macs < AUTO_TINY || plan.xShape.every((v, a) => v === 1 || plan.hShape[a] === 1)) return 'direct';
  const { direct, fft } = predictCosts(plan, backend);
  return fft < direct ? 'fft' : 'direct';
}
