// Gradients of conv1d/2d/3d with torch autograd semantics: correlation forward, convolution backward.
// Forward (per axis, group g, ci < C/groups, co in group g):  y[n, co, o] = Σ_ci Σ_j xpad[n, ci, o·s + j·d] · w[co, ci, j]
//   gradInput:   dxpad[n, ci, o·s + j·d] += Σ_co dy[n, co, o] · w[co, ci, j]   then the padding folded back into x
//   gradWeight:  dw[co, ci, j] = Σ_n Σ_o dy[n, co, o] · xpad[n, ci, o·s + j·d]
//   gradBias:    db[co] = Σ_n Σ_o dy[n, co, o]
// (`flip` reads w[co, ci, k − 1 − j] instead.) The public ops validate and plan once (planConv, then
// planGradInput / planGradWeight: dtype, backend, path, threads, named buffers, frozen) and run the plans; the paths
// are in src/nn/grad-input.ts ('forward', 'col2im') and src/nn/grad-weight.ts ('winograd', 'depthwise', 'im2col').
import type { ConvGradientsOf, DataOf, Exact, NDResult } from '../types';
import { asTensor, product, resultDtype, type DType, type Float, type NDArray, type Numeric } from '../arrays';
import { options, rangeError, typeError } from '../errors';
import { planBackend } from '../workspace';
import { CONV_OPTIONS, type ConvOptions } from './conv';
import { planGradInput, runGradInput } from './grad-input';
import { planGradWeight, runGradWeight } from './grad-weight';
import { planConv, type ConvPlan } from './plan';

/** The result of conv{1,2,3}dBackward. */
export interface ConvGradients {
  /** dL/dinput, shaped as the input. */
  gradInput: NDArray;
  /** dL/dweight, shaped as the weight. */
  gradWeight: NDArray;
  /** dL/dbias (one entry per output channel), present when `opts.bias` was given. */
  gradBias?: Float;
}

function checkGradOutput(plan: ConvPlan, shape: readonly number[]): void {
  const want = plan.outputShape;
  if (shape.length !== want.length || shape.some((s, a) => s !== want[a])) {
    throw rangeError(plan.op, `gradOutput has shape [${shape.join(', ')}] but the forward output has shape [${want.join(', ')}]`);
  }
}

function shapeArg(op: string, name: string, v: unknown): number[] {
  if (!Array.isArray(v)) throw typeError(op, name, 'an array of integers', v);
  v.forEach((s, a) => {
    if (typeof s !== 'number') throw typeError(op, `${name}[${a}]`, 'a number', s);
    if (!Number.isInteger(s) || s < 1) throw rangeError(op, `${name}[${a}] must be an integer ≥ 1, got ${s}`);
  });
  return v.slice() as number[];
}

function biasLength(op: string, plan: ConvPlan, bias: unknown): void {
  const b = asTensor(op, 'bias', bias);
  if (b.shape.length !== 1) throw rangeError(op, `bias must be 1-D, got shape [${b.shape.join(', ')}]`);
  if (b.shape[0] !== plan.outChannels) {
    throw rangeError(op, `bias has ${b.shape[0]} entries, expected ${plan.outChannels} (one per output channel)`);
  }
}

/** Σ of dy over batch and spatial axes, per output channel (readable loops: one pass over dy). */
export function gradBiasOf(plan: ConvPlan, dtype: DType, dy: Float): Float {
  const Cout = plan.outChannels;
  const P = product(plan.outSize);
  const out = new Float64Array(Cout);
  const cl = plan.layout === 'channels-last';
  for (let n = 0; n < plan.batch; n++) {
    for (let co = 0; co < Cout; co++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += dy[cl ? (n * P + p) * Cout + co : (n * Cout + co) * P + p];
      out[co] += s;
    }
  }
  return dtype === 'float32' ? Float32Array.from(out) : out;
}

/** conv{1,2,3}dGradInput. */
export function convGradInput(op: string, rank: number, inputShape: unknown, weight: unknown, gradOutput: unknown, opts: unknown): NDArray {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const shape = shapeArg(op, 'inputShape', inputShape);
  const w = asTensor(op, 'weight', weight);
  const dy = asTensor(op, 'gradOutput', gradOutput);
  const plan = planConv(op, rank, shape, w.shape, o);
  checkGradOutput(plan, dy.shape);
  const dtype = resultDtype(op, o.dtype, w, dy);
  const be = planBackend(op, o.backend);
  return { data: runGradInput(planGradInput(plan, dtype, be), w.data as Float, dy.data as Float), shape: plan.inputShape.slice() };
}

/** conv{1,2,3}dGradWeight. */
export function convGradWeight(op: string, rank: number, input: unknown, weightShape: unknown, gradOutput: unknown, opts: unknown): NDArray {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const x = asTensor(op, 'input', input);
  const shape = shapeArg(op, 'weightShape', weightShape);
  const dy = asTensor(op, 'gradOutput', gradOutput);
  const plan = planConv(op, rank, x.shape, shape, o);
  checkGradOutput(plan, dy.shape);
  const dtype = resultDtype(op, o.dtype, x, dy);
  const be = planBackend(op, o.backend);
  return { data: runGradWeight(planGradWeight(plan, dtype, be), x.data as Float, dy.data as Float), shape: plan.weightShape.slice() };
}

/** conv{1,2,3}dBackward. */
export function convBackward(op: string, rank: number, input: unknown, weight: unknown, gradOutput: unknown, opts: unknown): ConvGradients {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const x = asTensor(op, 'input', input);
  const w = asTensor(op, 'weight', weight);
  const dy = asTensor(op, 'gradOutput', gradOutput);
  const plan = planConv(op, rank, x.shape, w.shape, o);
  checkGradOutput(plan, dy.shape);
  const tensors = [x, w, dy];
  if (o.bias !== undefined) {
    biasLength(op, plan, o.bias);
    tensors.push(asTensor(op, 'bias', o.bias));
  }
  const dtype = resultDtype(op, o.dtype, ...tensors);
  const be = planBackend(op, o.backend);
  const dxPlan = planGradInput(plan, dtype, be);
  const dwPlan = planGradWeight(plan, dtype, be);
  const dyd = dy.data as Float;
  const res: ConvGradients = {
    gradInput: { data: runGradInput(dxPlan, w.data as Float, dyd), shape: plan.inputShape.slice() },
    gradWeight: { data: runGradWeight(dwPlan, x.data as Float, dyd), shape: plan.weightShape.slice() },
  };
  if (o.bias !== undefined) res.gradBias = gradBiasOf(plan, dtype, dyd);
  return res;
}

/**
 * Gradient of conv1d with respect to its input (torch autograd): the full convolution of gradOutput with the weight.
 * @example conv1dGradInput([1, 1, 4], { data: new Float64Array([1, -1]), shape: [1, 1, 2] }, { data: new Float64Array([1, 0, 0]), shape: [1, 1, 3] })
 * // → { data: Float64Array [1, -1, 0, 0], shape: [1, 1, 4] }
 */
export function conv1dGradInput<B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(inputShape: readonly number[], weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<B, C, O>;
export function conv1dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv1dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradInput('conv1dGradInput', 1, inputShape, weight, gradOutput, opts);
}

/** Gradient of conv2d with respect to its input. @example conv2dGradInput([1, 3, 32, 32], w, dy, { padding: 1 }) */
export function conv2dGradInput<B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(inputShape: readonly number[], weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<B, C, O>;
export function conv2dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv2dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradInput('conv2dGradInput', 2, inputShape, weight, gradOutput, opts);
}

/** Gradient of conv3d with respect to its input. @example conv3dGradInput([1, 2, 8, 8, 8], w, dy, { stride: 2 }) */
export function conv3dGradInput<B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(inputShape: readonly number[], weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<B, C, O>;
export function conv3dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv3dGradInput(inputShape: readonly number[], weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradInput('conv3dGradInput', 3, inputShape, weight, gradOutput, opts);
}

/**
 * Gradient of conv1d with respect to its weight: the valid correlation of the (padded) input with gradOutput.
 * @example conv1dGradWeight({ data: new Float64Array([1, 2, 3, 4]), shape: [1, 1, 4] }, [1, 1, 2], { data: new Float64Array([1, 0, 0]), shape: [1, 1, 3] })
 * // → { data: Float64Array [1, 2], shape: [1, 1, 2] }
 */
export function conv1dGradWeight<A extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weightShape: readonly number[], gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<A, C, O>;
export function conv1dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv1dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradWeight('conv1dGradWeight', 1, input, weightShape, gradOutput, opts);
}

/** Gradient of conv2d with respect to its weight. @example conv2dGradWeight(x, [8, 3, 3, 3], dy, { padding: 'same' }) */
export function conv2dGradWeight<A extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weightShape: readonly number[], gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<A, C, O>;
export function conv2dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv2dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradWeight('conv2dGradWeight', 2, input, weightShape, gradOutput, opts);
}

/** Gradient of conv3d with respect to its weight. @example conv3dGradWeight(x, [4, 2, 3, 3, 3], dy) */
export function conv3dGradWeight<A extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weightShape: readonly number[], gradOutput: C, opts?: Exact<O, ConvOptions>): NDResult<A, C, O>;
export function conv3dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray;
export function conv3dGradWeight(input: NDArray<Numeric>, weightShape: readonly number[], gradOutput: NDArray<Numeric>, opts?: ConvOptions): NDArray {
  return convGradWeight('conv3dGradWeight', 3, input, weightShape, gradOutput, opts);
}

/**
 * Every gradient of conv1d at once: { gradInput, gradWeight, gradBias? } (gradBias when `opts.bias` is given).
 * @example const { gradInput, gradWeight } = conv1dBackward(x, w, dy, { padding: 1 })
 */
export function conv1dBackward<A extends NDArray<Numeric>, B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): ConvGradientsOf<DataOf<A, B, O, C>>;
export function conv1dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients;
export function conv1dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients {
  return convBackward('conv1dBackward', 1, input, weight, gradOutput, opts);
}

/**
 * Every gradient of conv2d at once, for a training step.
 * @example const { gradWeight, gradBias } = conv2dBackward(x, w, dy, { padding: 1, bias: b })
 */
export function conv2dBackward<A extends NDArray<Numeric>, B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): ConvGradientsOf<DataOf<A, B, O, C>>;
export function conv2dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients;
export function conv2dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients {
  return convBackward('conv2dBackward', 2, input, weight, gradOutput, opts);
}

/** Every gradient of conv3d at once. @example conv3dBackward(x, w, dy, { stride: 2, padding: 1 }) */
export function conv3dBackward<A extends NDArray<Numeric>, B extends NDArray<Numeric>, C extends NDArray<Numeric>, O extends ConvOptions = {}>(input: A, weight: B, gradOutput: C, opts?: Exact<O, ConvOptions>): ConvGradientsOf<DataOf<A, B, O, C>>;
export function conv3dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients;
export function conv3dBackward(input: NDArray<Numeric>, weight: NDArray<Numeric>, gradOutput: NDArray<Numeric>, opts?: ConvOptions): ConvGradients {
  return convBackward('conv3dBackward', 3, input, weight, gradOutput, opts);
}
