// convTranspose1d / 2d / 3d with torch.nn.functional.conv_transposeNd semantics, as the input gradient of the forward
// convolution with the same weight (weight [Cin, Cout/groups, ...k] is a forward weight [Cout_f, Cin_f/groups, ...k]):
//   out[n, co, i·s − p + j·d] += Σ_ci x[n, ci, i] · w[ci, co − g·Cout/groups, j]   (+ bias[co])
//   size per axis: (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1, outputPadding < max(s, d)
import type { Exact, NDResult } from '../types';
import { asTensor, resultDtype, type DType, type Float, type NDArray, type Numeric } from '../arrays';
import { integer, options, rangeError, typeError } from '../errors';
import { runGradInput } from './grad';
import { LAYOUTS, perAxis, planConv, type Layout } from './plan';

export interface ConvTransposeOptions {
  stride?: number | readonly number[];
  /** Implicit zero padding removed from each side of the output: a number or one per spatial axis. */
  padding?: number | readonly number[];
  /** Extra size added to one side of each output axis (must be < max(stride, dilation) on that axis). */
  outputPadding?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
  /** One value per output channel. */
  bias?: Numeric | number[];
  /** 'channels-last': input [N, ...spatial, Cin] and weight [...k, Cout/groups, Cin] (TensorFlow's conv2dTranspose). */
  layout?: Layout;
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
  const layout = o.layout ?? 'channels-first';
  if (!LAYOUTS.includes(layout)) throw typeError(op, 'layout', "'channels-first' or 'channels-last'", layout);
  const cl = layout === 'channels-last';
  if (x.shape.length !== rank + 2) {
    throw rangeError(op, `input must have rank ${rank + 2} (${cl ? '[N, ...spatial, Cin]' : '[N, Cin, ...spatial]'}), got shape [${x.shape.join(', ')}]`);
  }
  if (w.shape.length !== rank + 2) {
    throw rangeError(op, `weight must have rank ${rank + 2} (${cl ? '[...k, Cout/groups, Cin]' : '[Cin, Cout/groups, ...k]'}), got shape [${w.shape.join(', ')}]`);
  }
  const N = x.shape[0];
  const Cin = cl ? x.shape[rank + 1] : x.shape[1];
  const inSize = cl ? x.shape.slice(1, rank + 1) : x.shape.slice(2);
  const wIn = cl ? w.shape[rank + 1] : w.shape[0];
  const coutG = cl ? w.shape[rank] : w.shape[1];
  const kernel = cl ? w.shape.slice(0, rank) : w.shape.slice(2);
  const groups = o.groups === undefined ? 1 : integer(op, 'groups', o.groups, 1);
  if (wIn !== Cin) throw rangeError(op, `weight has ${wIn} input channels but input has ${Cin} channels`);
  if (Cin % groups !== 0) throw rangeError(op, `groups=${groups} does not divide the input's ${Cin} channels`);
  if (typeof o.padding === 'string') throw typeError(op, 'padding', 'a number or an array of numbers', o.padding);
  const stride = perAxis(op, 'stride', o.stride, rank, 1, 1);
  const dilation = perAxis(op, 'dilation', o.dilation, rank, 1, 1);
  const padding = perAxis(op, 'padding', o.padding, rank, 0, 0);
  const outPad = perAxis(op, 'outputPadding', o.outputPadding, rank, 0, 0);
  const outSize: number[] = [];
  for (let a = 0; a < rank; a++) {
    if (outPad[a] >= Math.max(stride[a], dilation[a])) {
      throw rangeError(op, `outputPadding ${outPad[a]} on spatial axis ${a} must be smaller than the stride ${stride[a]} or the dilation ${dilation[a]}`);
    }
    const n = (inSize[a] - 1) * stride[a] - 2 * padding[a] + dilation[a] * (kernel[a] - 1) + outPad[a] + 1;
    if (n < 1) throw rangeError(op, `output size on spatial axis ${a} would be ${n}: padding ${padding[a]} removes more than the output holds`);
    outSize.push(n);
  }
  const Cout = coutG * groups;
  const outShape = cl ? [N, ...outSize, Cout] : [N, Cout, ...outSize];
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
  // The forward convolution whose input gradient this is; its output is our input (outputPadding ≥ stride leaves
  // the forward one longer, so the size of dy is set to the input's).
  const plan = planConv(op, rank, outShape, w.shape, { stride, dilation, padding, groups, layout });
  plan.outSize = inSize.slice();
  plan.outputShape = x.shape.slice();
  const data = runGradInput(plan, dtype, o.backend, w.data as Float, x.data as Float);
  if (bias) {
    const vol = data.length / (N * Cout);
    for (let i = 0; i < data.length; i++) data[i] += bias[cl ? i % Cout : Math.floor(i / vol) % Cout];
  }
  return { data, shape: outShape };
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
