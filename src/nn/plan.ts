// The convolution plan: validation and geometry of conv1d/2d/3d, done once at the facade (TF.js computeConv2DInfo
// style). Every backend, and the gradient and transposed ops built on top, consume the same plain object of integers.
// Per spatial axis a with input n, kernel k, stride s, dilation d, padding before/after pb/pa:
//   out = floor((n + pb + pa − d·(k − 1) − 1) / s) + 1
//   y[o] = Σ_j xpad[o·s + j·d] · w[j],   xpad[i] = x[i − pb] (or the boundary mode's value outside [0, n))
import { product } from '../arrays';
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

/** A frozen plan (its arrays readonly): planned once, read by every later step, edited by none. */
export interface ConvPlan {
  readonly op: string;
  /** Number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  readonly layout: Layout;
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  /** Input channels per group (the weight's channel axis). */
  readonly inPerGroup: number;
  readonly outPerGroup: number;
  /** Spatial sizes, per axis. */
  readonly inSize: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBefore: readonly number[];
  readonly padAfter: readonly number[];
  readonly outSize: readonly number[];
  readonly paddingMode: PaddingMode;
  /** True convolution: the kernel is reversed on every spatial axis. */
  readonly flip: boolean;
  /** Shapes in the caller's layout. */
  readonly inputShape: readonly number[];
  readonly weightShape: readonly number[];
  readonly outputShape: readonly number[];
}

/**
 * Geometry given explicitly, for plans derived from a validated one (the input gradient run as a forward
 * convolution, a transposed convolution): padding per side, and the output size when it is not the one the padding
 * gives (a transposed convolution's input may be shorter than its forward convolution's output).
 */
export interface ExplicitGeometry {
  stride: readonly number[];
  dilation: readonly number[];
  padBefore: readonly number[];
  padAfter: readonly number[];
  groups: number;
  layout: Layout;
  flip: boolean;
  paddingMode: PaddingMode;
  outSize?: readonly number[];
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
  for (let a = 0; a < rank; a++) {
    const o = outputLength(inSize[a], kernel[a], stride[a], dilation[a], before[a], after[a]);
    if (o < 1) {
      throw rangeError(op, `output size on axis ${names[a]} would be ${o}: input ${inSize[a]} + padding ${before[a]}+${after[a]} is smaller than the dilated kernel ${dilation[a] * (kernel[a] - 1) + 1}`);
    }
  }
  return planConvExplicit(op, rank, inputShape, weightShape, {
    stride, dilation, padBefore: before, padAfter: after, groups, layout, flip: opts.flip ?? false, paddingMode,
  });
}

/**
 * The plan of a convolution whose geometry was validated elsewhere (planConv, planConvTranspose, or a plan it is
 * derived from): shapes in `layout`, padding per side, and `outSize` when given (at most the size the padding gives).
 * Checks nothing a caller could get wrong; the result is frozen.
 */
export function planConvExplicit(
  op: string, rank: number, inputShape: readonly number[], weightShape: readonly number[], geo: ExplicitGeometry,
): ConvPlan {
  const cl = geo.layout === 'channels-last';
  const inSize = cl ? inputShape.slice(1, rank + 1) : inputShape.slice(2);
  const kernel = cl ? weightShape.slice(0, rank) : weightShape.slice(2);
  const outChannels = cl ? weightShape[rank + 1] : weightShape[0];
  const inChannels = cl ? inputShape[rank + 1] : inputShape[1];
  const outSize = inSize.map((n, a) => outputLength(n, kernel[a], geo.stride[a], geo.dilation[a], geo.padBefore[a], geo.padAfter[a]));
  if (geo.outSize) {
    geo.outSize.forEach((o, a) => {
      if (o < 1 || o > outSize[a]) throw new Error(`${op}: internal error: output size ${o} on axis ${a} outside [1, ${outSize[a]}]`);
      outSize[a] = o;
    });
  }
  const batch = inputShape[0];
  return freeze({
    op, rank, layout: geo.layout, batch, inChannels, outChannels, groups: geo.groups,
    inPerGroup: cl ? weightShape[rank] : weightShape[1], outPerGroup: outChannels / geo.groups,
    inSize, kernel, stride: geo.stride.slice(), dilation: geo.dilation.slice(), padBefore: geo.padBefore.slice(),
    padAfter: geo.padAfter.slice(), outSize, paddingMode: geo.paddingMode, flip: geo.flip,
    inputShape: inputShape.slice(), weightShape: weightShape.slice(),
    outputShape: cl ? [batch, ...outSize, outChannels] : [batch, outChannels, ...outSize],
  });
}

/**
 * Object.freeze on a plan: no field can be replaced after planning. Its arrays are `readonly` in the types but not
 * frozen at run time: Object.freeze measured 0.1 µs an array in Node 20 (against 0.1 µs for a whole object), and a
 * call plans about 25 arrays, which cost 2.5 µs on a 9 µs conv2d call.
 */
export function freeze<T extends object>(plan: T): Readonly<T> {
  return Object.freeze(plan);
}

/** The geometry options of convTranspose1d/2d/3d (padding is removed from the output; see src/nn/transposed.ts). */
export interface TransposeGeometryOptions {
  stride?: number | readonly number[];
  /** Implicit zero padding removed from each side of the output: a number or one per spatial axis. */
  padding?: number | readonly number[];
  /** Extra size added to one side of each output axis (must be < max(stride, dilation) on that axis). */
  outputPadding?: number | readonly number[];
  dilation?: number | readonly number[];
  groups?: number;
  /** 'channels-last': input [N, ...spatial, Cin] and weight [...k, Cout/groups, Cin] (TensorFlow's conv2dTranspose). */
  layout?: Layout;
}

/**
 * Validate a transposed convolution (input [N, Cin, ...] and weight [Cin, Cout/groups, ...k], channels-last
 * [N, ..., Cin] and [...k, Cout/groups, Cin]) and plan it as the forward convolution whose input gradient it is:
 * that plan's input is our output, its output our input (outputSize explicit: with outputPadding ≥ stride the
 * forward output would be longer), its weight ours as given.
 */
export function planConvTranspose(
  op: string, rank: number, inputShape: readonly number[], weightShape: readonly number[], opts: TransposeGeometryOptions,
): ConvPlan {
  const layout = opts.layout ?? 'channels-first';
  if (!LAYOUTS.includes(layout)) throw typeError(op, 'layout', "'channels-first' or 'channels-last'", layout);
  const cl = layout === 'channels-last';
  if (inputShape.length !== rank + 2) {
    throw rangeError(op, `input must have rank ${rank + 2} (${cl ? '[N, ...spatial, Cin]' : '[N, Cin, ...spatial]'}), got shape [${inputShape.join(', ')}]`);
  }
  if (weightShape.length !== rank + 2) {
    throw rangeError(op, `weight must have rank ${rank + 2} (${cl ? '[...k, Cout/groups, Cin]' : '[Cin, Cout/groups, ...k]'}), got shape [${weightShape.join(', ')}]`);
  }
  const N = inputShape[0];
  const Cin = cl ? inputShape[rank + 1] : inputShape[1];
  const inSize = cl ? inputShape.slice(1, rank + 1) : inputShape.slice(2);
  const wIn = cl ? weightShape[rank + 1] : weightShape[0];
  const coutG = cl ? weightShape[rank] : weightShape[1];
  const kernel = cl ? weightShape.slice(0, rank) : weightShape.slice(2);
  const groups = opts.groups === undefined ? 1 : integer(op, 'groups', opts.groups, 1);
  if (wIn !== Cin) throw rangeError(op, `weight has ${wIn} input channels but input has ${Cin} channels`);
  if (Cin % groups !== 0) throw rangeError(op, `groups=${groups} does not divide the input's ${Cin} channels`);
  if (typeof opts.padding === 'string') throw typeError(op, 'padding', 'a number or an array of numbers', opts.padding);
  const stride = perAxis(op, 'stride', opts.stride, rank, 1, 1);
  const dilation = perAxis(op, 'dilation', opts.dilation, rank, 1, 1);
  const padding = perAxis(op, 'padding', opts.padding, rank, 0, 0);
  const outPad = perAxis(op, 'outputPadding', opts.outputPadding, rank, 0, 0);
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
  return planConvExplicit(op, rank, outShape, weightShape, {
    stride, dilation, padBefore: padding, padAfter: padding, groups, layout, flip: false, paddingMode: 'zeros', outSize: inSize,
  });
}

/** A plan padded to three spatial axes (leading axes of size 1), the form every kernel takes; frozen. */
export interface Geometry3 {
  readonly inSize: readonly number[];
  /** Padded input size per axis (a path may pad further than the plan: Winograd's whole tiles). */
  readonly padded: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBefore: readonly number[];
  readonly outSize: readonly number[];
}

/** The plan's geometry on three axes; `extra` pads each axis further after the plan's padding (see Geometry3). */
export function geometry3(plan: ConvPlan, extra: readonly number[] = [0, 0, 0]): Geometry3 {
  const lead = 3 - plan.rank;
  const ext = (a: readonly number[], v: number) => {
    const r = [v, v, v];
    for (let i = 0; i < plan.rank; i++) r[lead + i] = a[i];
    return r;
  };
  const inSize = ext(plan.inSize, 1);
  const padBefore = ext(plan.padBefore, 0);
  const padAfter = ext(plan.padAfter, 0);
  return freeze({
    inSize, padBefore, padded: inSize.map((n, a) => n + padBefore[a] + padAfter[a] + extra[a]),
    kernel: ext(plan.kernel, 1), stride: ext(plan.stride, 1), dilation: ext(plan.dilation, 1), outSize: ext(plan.outSize, 1),
  });
}

export type ConvPath = 'planes' | 'depthwise' | 'pointwise' | 'winograd' | 'direct' | 'im2col';

/**
 * Whether a 1×1 layer runs in the channels-first layout as it is (channels-first, no padding: gemmT on the input
 * planes, or on every stride-th pixel of them copied in).
 */
export function planesLayout(plan: ConvPlan): boolean {
  return plan.layout === 'channels-first' && plan.padBefore.every((p) => p === 0) && plan.padAfter.every((p) => p === 0);
}

/**
 * Winograd pays once both channel counts are this large (below, its transforms outweigh the saved multiplies); the
 * gradient's Winograd (src/nn/grad-weight.ts) uses the same bound.
 */
export const WINOGRAD_MIN_CHANNELS = 8;

/**
 * Which kernel runs a plan: channels-first depthwise at unit stride and dilation (or 3×3 at stride 2 on 2-D maps) as
 * per-channel 2-D correlations of planes (no layout change), other depthwise channels-last with channels in lanes,
 * 1×1 GEMM (at unit stride, or channels-first unpadded at any stride), Winograd F(2×2, 3×3), a direct 3×3 kernel on
 * 3-channel inputs, or im2col + GEMM.
 */
export function convPath(plan: ConvPlan): ConvPath {
  const unit = (a: readonly number[]) => a.every((v) => v === 1);
  // Axis i of the three-axis form (geometry3): 1 on the leading axes a lower rank lacks.
  const at3 = (a: readonly number[], i: number) => (i < 3 - plan.rank ? 1 : a[i - 3 + plan.rank]);
  if (plan.inPerGroup === 1 && plan.outPerGroup === 1) {
    const s2x3 = plan.rank === 2 && plan.stride.every((v) => v === 2) && plan.kernel.every((v) => v === 3);
    return plan.layout === 'channels-first' && plan.rank <= 2 && (unit(plan.stride) || s2x3) && unit(plan.dilation) ? 'planes' : 'depthwise';
  }
  if (product(plan.kernel) === 1 && (unit(plan.stride) || planesLayout(plan))) return 'pointwise';
  const kd = at3(plan.kernel, 0);
  const kh = at3(plan.kernel, 1);
  const kw = at3(plan.kernel, 2);
  const wide = plan.inChannels >= WINOGRAD_MIN_CHANNELS && plan.outChannels >= WINOGRAD_MIN_CHANNELS;
  if (plan.groups === 1 && wide && unit(plan.stride) && at3(plan.dilation, 1) === 1 && at3(plan.dilation, 2) === 1) {
    if (kd === 1 && kh === 3 && kw === 3) return 'winograd';
    // 1-D with 9 taps: folded into 3×3 (src/nn/paths/winograd.ts).
    if (plan.rank === 1 && kw === 9) return 'winograd';
  }
  // A first layer (3×3 on 3 channels): 4 pixels × 8 output channels in registers over the 27 taps, no im2col
  // (assembly/direct3.ts).
  if (plan.groups === 1 && plan.inChannels === 3 && kd === 1 && kh === 3 && kw === 3 && unit(plan.dilation)) return 'direct';
  return 'im2col';
}
