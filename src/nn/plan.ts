// The convolution plan: validation and geometry of conv1d/2d/3d, done once at the facade (TF.js computeConv2DInfo
// style). Every backend, and the gradient and transposed ops built on top, consume the same plain object of integers.
// Per spatial axis a with input n, kernel k, stride s, dilation d, padding before/after pb/pa:
//   out = floor((n + pb + pa − d·(k − 1) − 1) / s) + 1
//   y[o] = Σ_j xpad[o·s + j·d] · w[j],   xpad[i] = x[i − pb] (or the boundary mode's value outside [0, n))
import { integer, rangeError, typeError } from '../errors';

export type Layout = 'channels-first' | 'channels-last';
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';
export type Padding = number | readonly number[] | 'valid' | 'same';

export const LAYOUTS: readonly Layout[] = ['channels-first', 'channels-last'];
export const PADDING_MODES: readonly PaddingMode[] = ['zeros', 'reflect', 'replicate', 'circular'];

/** The geometry options shared by the forward op, its gradients and (with other meanings of padding) transposed ops. */
export interface GeometryOptions {
  stride?: number | readonly number[];
  dilation?: number | readonly number[];
  padding?: Padding;
  groups?: number;
  paddingMode?: PaddingMode;
  flip?: boolean;
  layout?: Layout;
}

export interface ConvPlan {
  op: string;
  /** Number of spatial axes (1, 2 or 3). */
  rank: number;
  layout: Layout;
  batch: number;
  inChannels: number;
  outChannels: number;
  groups: number;
  /** Input channels per group (the weight's channel axis). */
  inPerGroup: number;
  outPerGroup: number;
  /** Spatial sizes, per axis. */
  inSize: number[];
  kernel: number[];
  stride: number[];
  dilation: number[];
  padBefore: number[];
  padAfter: number[];
  outSize: number[];
  paddingMode: PaddingMode;
  /** True convolution: the kernel is reversed on every spatial axis. */
  flip: boolean;
  /** Shapes in the caller's layout. */
  inputShape: number[];
  weightShape: number[];
  outputShape: number[];
}

const AXES = ['L', 'H', 'W'];

/** Spatial axis names for messages: [L] for 1-D, [H, W] for 2-D, [D, H, W] for 3-D. */
function axisNames(rank: number): string[] {
  return rank === 1 ? ['L'] : rank === 2 ? AXES.slice(1) : ['D', ...AXES.slice(1)];
}

/** A number for every axis, or one entry per spatial axis; each an integer ≥ min. */
export function perAxis(op: string, name: string, value: unknown, rank: number, dflt: number, min: number): number[] {
  if (value === undefined) return new Array<number>(rank).fill(dflt);
  if (typeof value === 'number') {
    integer(op, name, value, min);
    return new Array<number>(rank).fill(value);
  }
  if (!Array.isArray(value)) throw typeError(op, name, `a number or an array of ${rank} integers`, value);
  if (value.length !== rank) {
    throw rangeError(op, `${name} [${value.join(', ')}] has ${value.length} entries, expected ${rank} (one per spatial axis)`);
  }
  value.forEach((v, a) => integer(op, `${name}[${a}]`, v, min));
  return value.slice() as number[];
}

/** Output length of one axis (may be ≤ 0: the caller reports it). */
export function outputLength(n: number, k: number, s: number, d: number, pb: number, pa: number): number {
  return Math.floor((n + pb + pa - d * (k - 1) - 1) / s) + 1;
}

/**
 * Padding before/after each axis. 'same' follows TensorFlow's SAME, which for stride 1 is PyTorch's 'same':
 * out = ceil(n / s), total = max((out − 1)·s + d·(k − 1) + 1 − n, 0), before = floor(total / 2), the rest after.
 */
export function resolvePadding(
  op: string, padding: unknown, rank: number, inSize: readonly number[], kernel: readonly number[],
  stride: readonly number[], dilation: readonly number[],
): { before: number[]; after: number[] } {
  if (padding === 'valid') return { before: new Array<number>(rank).fill(0), after: new Array<number>(rank).fill(0) };
  if (padding === 'same') {
    const before: number[] = [];
    const after: number[] = [];
    for (let a = 0; a < rank; a++) {
      const out = Math.ceil(inSize[a] / stride[a]);
      const total = Math.max((out - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + 1 - inSize[a], 0);
      before.push(Math.floor(total / 2));
      after.push(total - Math.floor(total / 2));
    }
    return { before, after };
  }
  if (typeof padding === 'string') throw typeError(op, 'padding', "a number, an array of numbers, 'valid' or 'same'", padding);
  const p = perAxis(op, 'padding', padding, rank, 0, 0);
  return { before: p, after: p.slice() };
}

/**
 * Validate shapes and options of a forward convolution and compute its plan. `inputShape` and `weightShape` are in
 * the caller's layout: channels-first input [N, C, ...spatial] and weight [Cout, C/groups, ...kernel]; channels-last
 * input [N, ...spatial, C] and weight [...kernel, C/groups, Cout].
 */
export function planConv(
  op: string, rank: number, inputShape: readonly number[], weightShape: readonly number[], opts: GeometryOptions,
): ConvPlan {
  const layout = opts.layout ?? 'channels-first';
  if (!LAYOUTS.includes(layout)) throw typeError(op, 'layout', "'channels-first' or 'channels-last'", layout);
  const paddingMode = opts.paddingMode ?? 'zeros';
  if (!PADDING_MODES.includes(paddingMode)) {
    throw typeError(op, 'paddingMode', "'zeros', 'reflect', 'replicate' or 'circular'", paddingMode);
  }
  if (opts.flip !== undefined && typeof opts.flip !== 'boolean') throw typeError(op, 'flip', 'a boolean', opts.flip);
  const cl = layout === 'channels-last';
  const names = axisNames(rank);
  const inDesc = cl ? `[N, ${names.join(', ')}, C]` : `[N, C, ${names.join(', ')}]`;
  const wDesc = cl ? `[${names.map((n) => `k${n}`).join(', ')}, C/groups, Cout]` : `[Cout, C/groups, ${names.map((n) => `k${n}`).join(', ')}]`;
  if (inputShape.length !== rank + 2) {
    throw rangeError(op, `input must have rank ${rank + 2} ${inDesc} (${layout}), got shape [${inputShape.join(', ')}]`);
  }
  if (weightShape.length !== rank + 2) {
    throw rangeError(op, `weight must have rank ${rank + 2} ${wDesc} (${layout}), got shape [${weightShape.join(', ')}]`);
  }
  const batch = inputShape[0];
  const inChannels = cl ? inputShape[rank + 1] : inputShape[1];
  const inSize = cl ? inputShape.slice(1, rank + 1) : inputShape.slice(2);
  const outChannels = cl ? weightShape[rank + 1] : weightShape[0];
  const inPerGroup = cl ? weightShape[rank] : weightShape[1];
  const kernel = cl ? weightShape.slice(0, rank) : weightShape.slice(2);

  const groups = opts.groups === undefined ? 1 : integer(op, 'groups', opts.groups, 1);
  if (inChannels % groups !== 0) {
    throw rangeError(op, `groups=${groups} does not divide the input's ${inChannels} channels`);
  }
  if (outChannels % groups !== 0) {
    throw rangeError(op, `groups=${groups} does not divide the weight's ${outChannels} output channels`);
  }
  if (inPerGroup * groups !== inChannels) {
    throw rangeError(op, `weight has ${inPerGroup} input channels per group but input has ${inChannels} channels (groups=${groups})`);
  }
  const stride = perAxis(op, 'stride', opts.stride, rank, 1, 1);
  const dilation = perAxis(op, 'dilation', opts.dilation, rank, 1, 1);
  const { before, after } = resolvePadding(op, opts.padding, rank, inSize, kernel, stride, dilation);
  for (let a = 0; a < rank; a++) {
    const p = Math.max(before[a], after[a]);
    // PyTorch's F.pad limits: reflection cannot reach past the far edge, circular cannot wrap more than once.
    if (paddingMode === 'reflect' && p >= inSize[a]) {
      throw rangeError(op, `padding ${p} on axis ${names[a]} must be < the input size ${inSize[a]} with paddingMode 'reflect'`);
    }
    if (paddingMode === 'circular' && p > inSize[a]) {
      throw rangeError(op, `padding ${p} on axis ${names[a]} must be ≤ the input size ${inSize[a]} with paddingMode 'circular'`);
    }
  }
  const outSize: number[] = [];
  for (let a = 0; a < rank; a++) {
    const o = outputLength(inSize[a], kernel[a], stride[a], dilation[a], before[a], after[a]);
    if (o < 1) {
      throw rangeError(op, `output size on axis ${names[a]} would be ${o}: input ${inSize[a]} + padding ${before[a]}+${after[a]} is smaller than the dilated kernel ${dilation[a] * (kernel[a] - 1) + 1}`);
    }
    outSize.push(o);
  }
  const outputShape = cl ? [batch, ...outSize, outChannels] : [batch, outChannels, ...outSize];
  return {
    op, rank, layout, batch, inChannels, outChannels, groups, inPerGroup, outPerGroup: outChannels / groups,
    inSize, kernel, stride, dilation, padBefore: before, padAfter: after, outSize, paddingMode, flip: opts.flip ?? false,
    inputShape: inputShape.slice(), weightShape: weightShape.slice(), outputShape,
  };
}
