// convTranspose1d / 2d / 3d with torch.nn.functional.conv_transposeNd semantics, as the input gradient of the forward
// convolution with the same weight (weight [Cin, Cout/groups, ...k] is a forward weight [Cout_f, Cin_f/groups, ...k]):
//   out[n, co, i·s − p + j·d] += Σ_ci x[n, ci, i] · w[ci, co − g·Cout/groups, j]   (+ bias[co])
//   size per axis: (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1, outputPadding < max(s, d)
import type { Exact, NDResult } from '../types';
import { asTensor, resultDtype, type DType, type Float, type NDArray, type Numeric } from '../arrays';
import { options, rangeError } from '../errors';
import { planBackend } from '../workspace';
import { planGradInput, runGradInput } from './grad-input';
import { planConvTranspose, type TransposeGeometryOptions } from './plan';

export interface ConvTransposeOptions extends TransposeGeometryOptions {
  /** One value per output channel. */
  bias?: Numeric | number[];
  dtype?: DType;
  backend?: 'wasm' | 'js';
}

/** Validate, plan and run one transposed convolution. */
export function convTransposeNd(op: string, rank: number, input: unknown, weight: unknown, opts: unknown): NDArray {
  const o = options<ConvTransposeOptions>(op, opts, [
    'stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias', 'layout', 'dtype', 'backend',
  ]);
  const x = asTensor(op, 'input', input);
  const w = asTensor(op, 'weight', weight);
  // The forward convolution whose input gradient this is: its input is our output, its output our input.
  const plan = planConvTranspose(op, rank, x.shape, w.shape, o);
  const cl = plan.layout === 'channels-last';
  const N = plan.batch;
  const Cout = plan.inChannels;
  let bias: Float | number[] | undefined;
  const tensors = [x, w];
  if (o.bias !== undefined) {
    const b = asTensor(op, 'bias', o.bias);
    if (b.shape.length !== 1) throw rangeError(op, `bias must be 1-D, got shape [${b.shape.join(', ')}]`);
    if (b.shape[0] !== Cout) throw rangeError(op, `bias has ${b.shape[0]} entries, expected ${Cout} (one per output channel)`);
    bias = b.data;
    tensors.push(b);
  }
  const dtype = resultDtype(op, o.dtype, ...tensors);
  const data = runGradInput(planGradInput(plan, dtype, planBackend(op, o.backend)), w.data as Float, x.data as Float);
  if (bias) {
    const vol = data.length / (N * Cout);
    for (let i = 0; i < data.length; i++) data[i] += bias[cl ? i % Cout : Math.floor(i / vol) % Cout];
  }
  return { data, shape: plan.inputShape.slice() };
}

/**
 * 1-D transposed convolution as torch.nn.functional.conv_transpose1d (the input gradient of conv1d).
 * Input [N, Cin, L], weight [Cin, Cout/groups, k].
 * @example convTranspose1d({ data: new Float64Array([1, 2]), shape: [1, 1, 2] }, { data: new Float64Array([1, 1, 1]), shape: [1, 1, 3] }, { stride: 2 })
 * // → { data: Float64Array [1, 1, 3, 2, 2], shape: [1, 1, 5] }
 */
export function convTranspose1d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends ConvTransposeOptions = {}>(input: A, weight: B, opts?: Exact<O, ConvTransposeOptions>): NDResult<A, B, O>;
export function convTranspose1d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvTransposeOptions): NDArray;
export function convTranspose1d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvTransposeOptions): NDArray {
  return convTransposeNd('convTranspose1d', 1, input, weight, opts);
}

/**
 * 2-D transposed convolution as torch.nn.functional.conv_transpose2d. Input [N, Cin, H, W], weight [Cin, Cout/groups, kH, kW].
 * @example convTranspose2d(x, w, { stride: 2, padding: 1, outputPadding: 1 })  // x [1, 8, 16, 16] → [1, Cout, 32, 32] for k = 3
 */
export function convTranspose2d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends ConvTransposeOptions = {}>(input: A, weight: B, opts?: Exact<O, ConvTransposeOptions>): NDResult<A, B, O>;
export function convTranspose2d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvTransposeOptions): NDArray;
export function convTranspose2d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvTransposeOptions): NDArray {
  return convTransposeNd('convTranspose2d', 2, input, weight, opts);
}

/** 3-D transposed convolution as torch.nn.functional.conv_transpose3d. @example convTranspose3d(x, w, { stride: 2 }) */
export function convTranspose3d<A extends NDArray<Numeric>, B extends NDArray<Numeric>, O extends ConvTransposeOptions = {}>(input: A, weight: B, opts?: Exact<O, ConvTransposeOptions>): NDResult<A, B, O>;
export function convTranspose3d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvTransposeOptions): NDArray;
export function convTranspose3d(input: NDArray<Numeric>, weight: NDArray<Numeric>, opts?: ConvTransposeOptions): NDArray {
  return convTransposeNd('convTranspose3d', 3, input, weight, opts);
}
