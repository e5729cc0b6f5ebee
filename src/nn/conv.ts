// conv1d / conv2d / conv3d with torch.nn.functional semantics (cross-correlation; `flip` for true convolution):
//   out[n, co, o] = bias[co] + Σ_{ci < C/groups} Σ_j xpad[n, g·C/groups + ci, o·s + j·d] · w[co, ci, j],  g = co / (Cout/groups)
// A call validates and plans once (planConv: geometry; planForward: dtype, backend, path, threads, named scratch
// buffers, all frozen), then runs the plan's path: one function per path in src/nn/paths/ (convPath picks it).
// Every rank runs as 3-D (missing leading axes of size 1). The channels-last paths copy the input once into a padded
// [N, D', H', W', C] buffer (transposed on the way in when channels-first, the border filled through paddingMode),
// pack the weights, and run one kernel: depthwise with channels in lanes, a plain GEMM for 1×1 kernels, Winograd
// F(2×2, 3×3) for 3×3 (and 1-D 9-tap) kernels at unit stride, a direct kernel for 3×3 on 3 input channels (first
// layers), or im2col + GEMM. Channels-first depthwise layers skip the layout change (the planes path: per-channel 2-D
// correlations of padded planes), and so do float32 channels-first 1×1 layers without padding (the GEMM with its
// input and output transposed, reading and writing planes: gemmT).
import { asTensor, product, resultDtype, type DType, type Float, type NDArray, type Numeric } from '../arrays';
import { options, rangeError } from '../errors';
import { delivered, outputOption, writable } from '../output';
import { oneThread, planBackend, tooSmallToSplit, type Backend } from '../workspace';
import { packsStrided, type Prepacked, type WeightStrides } from './pack';
import { convPath, planConv, type ConvPath, type ConvPlan, type GeometryOptions } from './plan';
import { planDepthwise, runDepthwise, type DepthwisePlan } from './paths/depthwise';
import { planDirect, runDirect, type DirectPlan } from './paths/direct';
import { planIm2col, runIm2col, type Im2colPlan } from './paths/im2col';
import { planPlanes, runPlanes, type PlanesPlan } from './paths/planes';
import { planPointwise, runPointwise, type PointwisePlan, type PointwisePlanesPlan } from './paths/pointwise';
import { stepsAside, type ForwardRequest } from './paths/stage';
import { planWinograd, runWinograd, type WinogradPlan } from './paths/winograd';

export { convPath, geometry3, WINOGRAD_MIN_CHANNELS, type ConvPath, type Geometry3 } from './plan';

export interface ConvOptions extends GeometryOptions {
  /** One value per output channel, added to every output. */
  bias?: Numeric | number[];
  dtype?: DType;
  backend?: 'wasm' | 'js';
  /**
   * Where the forward result goes (a convcorr addition; torch.nn.functional has no out=): a Float32Array or
   * Float64Array of the output's size, or an NDArray of the output's shape, filled and returned as the result's
   * data (its type sets the dtype); or a dtype. Repeated calls then reuse one array instead of a fresh one each.
   * An integer array receives the float64 result rounded half to even and saturated to its range; NaN stores 0.
   * The gradient ops take the same options and ignore this one: their results are always fresh.
   */
  output?: Numeric | NDArray<Numeric> | DType;
}

/** Every option the forward layers and their gradients take. */
export const CONV_OPTIONS: readonly (keyof ConvOptions)[] = [
  'stride', 'dilation', 'padding', 'groups', 'paddingMode', 'flip', 'layout', 'bias', 'dtype', 'backend', 'output',
];

/** Validate, plan and run one forward convolution. */
export function convNd(op: string, rank: number, input: unknown, weight: unknown, opts: unknown): NDArray {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const x = asTensor(op, 'input', input);
  const w = asTensor(op, 'weight', weight);
  const conv = planConv(op, rank, x.shape, w.shape, o);
  let bias: Float | number[] | undefined;
  const tensors = [x, w];
  if (o.bias !== undefined) {
    const b = asTensor(op, 'bias', o.bias);
    if (b.shape.length !== 1) throw rangeError(op, `bias must be 1-D, got shape [${b.shape.join(', ')}]`);
    if (b.shape[0] !== conv.outChannels) {
      throw rangeError(op, `bias has ${b.shape[0]} entries, expected ${conv.outChannels} (one per output channel)`);
    }
    bias = b.data;
    tensors.push(b);
  }
  const out = outputOption(op, o.output, o.dtype, conv.outputShape, "the output's shape");
  const dtype = resultDtype(op, out.dtype, ...tensors);
  const plan = planForward(conv, dtype, planBackend(op, o.backend), { bias: bias !== undefined });
  // Not finiteOnly: a path that steps aside has its fallback, so there is always a result.
  const data = runForward(plan, x.data as Float, w.data as Float, bias, writable(out, x.data, w.data, bias)) as Float;
  return { data: delivered(out, data), shape: conv.outputShape.slice() };
}

/**
 * A forward plan, frozen: one path's (src/nn/paths/*), holding where that path steps aside on NaN or ±Infinity
 * (stepsAside) the im2col plan run instead (fallback).
 */
export type ForwardPlan = PlanesPlan | DepthwisePlan | PointwisePlan | PointwisePlanesPlan | WinogradPlan | DirectPlan | Im2colPlan;

export interface ForwardOptions {
  /**
   * The kernel path (default: convPath's choice); tests and benchmarks may force one that convPath could pick for
   * this geometry, or 'im2col', which runs any.
   */
  path?: ConvPath;
  /** A bias will be passed to the run. */
  bias?: boolean;
  /** The weights come packed by a prepared layer (src/nn/prepared.ts). */
  prepared?: boolean;
  /**
   * Step aside on NaN or ±Infinity on every path, with no fallback: runForward then returns undefined (for callers
   * whose own fallback sums different products: the input gradient's col2im).
   */
  finiteOnly?: boolean;
  /**
   * Read the weights as given at these strides instead of the layout's (one group; a path that packs them through
   * packWeights' main branch: packsStrided). The input gradient's forward convolution reads its layer's weights so.
   */
  weightStrides?: WeightStrides;
}

const PLANNERS: { readonly [P in ConvPath]: (req: ForwardRequest) => ForwardPlan } = {
  planes: planPlanes, depthwise: planDepthwise, pointwise: planPointwise, winograd: planWinograd, direct: planDirect, im2col: planIm2col,
};

/** Plan a forward convolution on `backend` (see ForwardOptions). */
export function planForward(conv: ConvPlan, dtype: DType, backend: Backend, opts: ForwardOptions = {}): ForwardPlan {
  const path = opts.path ?? convPath(conv);
  const bias = opts.bias ?? false;
  const finiteOnly = opts.finiteOnly ?? false;
  const { weightStrides } = opts;
  if (weightStrides && (conv.groups !== 1 || opts.prepared || !packsStrided(conv, path))) {
    throw new Error(`planForward: weightStrides on a ${path} path (groups ${conv.groups}) the packing would not read them on`);
  }
  // A layer too small to split runs on the one-thread build when a pool runs (its weights, unless prepared, are
  // packed per call, so nothing of it lives in the pool's memory).
  const macs = conv.batch * conv.outChannels * product(conv.outSize) * conv.inPerGroup * product(conv.kernel);
  if (!opts.prepared && tooSmallToSplit(macs)) backend = oneThread(backend);
  const req: ForwardRequest = { conv, dtype, backend, path, bias, prepared: opts.prepared ?? false, finiteOnly, weightStrides };
  // Winograd declines NaN and ±Infinity before writing anything; im2col, on the weights as given, takes every input.
  if (stepsAside(req) && !finiteOnly) req.fallback = planIm2col({ conv, dtype, backend, path: 'im2col', bias, prepared: false, finiteOnly, weightStrides });
  return PLANNERS[path](req);
}

/** One path's run: the result, or undefined when the path stepped aside (see ForwardBase.stepsAside). */
function runPath(p: ForwardPlan, x: Float, w: Float, bias: Float | number[] | undefined, into?: Float, pre?: Prepacked): Float | undefined {
  switch (p.path) {
    case 'planes': return runPlanes(p, x, w, bias, into, pre);
    case 'depthwise': return runDepthwise(p, x, w, bias, into, pre);
    case 'pointwise': return runPointwise(p, x, w, bias, into, pre);
    case 'winograd': return runWinograd(p, x, w, bias, into, pre);
    case 'direct': return runDirect(p, x, w, bias, into, pre);
    case 'im2col': return runIm2col(p, x, w, bias, into, pre);
  }
}

/**
 * Run a forward plan; returns the result in the plan's output layout, in `into` when given (an array of the dtype's
 * type that shares no memory with the inputs), else in a fresh array. `w` is the weights as given (what a fallback
 * packs), `pre` a prepared layer's packed block. Undefined only for a finiteOnly plan that stepped aside.
 */
export function runForward(plan: ForwardPlan, x: Float, w: Float, bias?: Float | number[], into?: Float, pre?: Prepacked): Float | undefined {
  const res = runPath(plan, x, w, bias, into, pre);
  return res === undefined && plan.fallback ? runPath(plan.fallback, x, w, bias, into) : res;
}

/** Plan and run on one backend (tests and benchmarks: `path` forces a kernel, as ForwardOptions.path). */
export function runConv(
  conv: ConvPlan, dtype: DType, backend: Backend, x: Float, w: Float, bias?: Float | number[], path: ConvPath = convPath(conv), into?: Float,
): Float {
  return runForward(planForward(conv, dtype, backend, { path, bias: bias !== undefined }), x, w, bias, into) as Float;
}
