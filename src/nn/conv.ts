// conv1d / conv2d / conv3d with torch.nn.functional semantics (cross-correlation; `flip` for true convolution):
//   out[n, co, o] = bias[co] + Σ_{ci < C/groups} Σ_j xpad[n, g·C/groups + ci, o·s + j·d] · w[co, ci, j],  g = co / (Cout/groups)
// Every rank runs as 3-D (missing leading axes of size 1), channels-last inside: the input is copied once into a
// padded [N, D', H', W', C] buffer (transposed on the way in when channels-first, the border filled through
// paddingMode), the weights are packed, and one kernel runs (convPath): depthwise with channels in lanes, a plain
// GEMM for 1×1 kernels, Winograd F(2×2, 3×3) for 3×3 (and 1-D 9-tap) kernels at unit stride, a direct kernel for
// 3×3 on 3 input channels (first layers), or im2col + GEMM.
// Channels-first depthwise layers skip the layout change (per-channel 2-D correlations of padded planes), and so do
// channels-first 1×1 layers without padding (a GEMM of the weights with the input planes).
import { asTensor, product, resultDtype, uninitialized, type DType, type Float, type NDArray, type Numeric } from '../arrays';
import { options, rangeError } from '../errors';
import { panelWidth } from '../kernels/gemm';
import { delivered, outputOption, writable } from '../output';
import { EXTENSION_CODE, fillBorders, TORCH_PADDING } from '../boundary';
import type { Kernels } from '../kernels';
import { chunking, pieces } from '../threads';
import { copyOut, threadsFor, withWorkspace, type Workspace } from '../workspace';
import { planConv, type ConvPlan, type GeometryOptions } from './plan';

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

/**
 * Elements of the forward im2col tile (tileRows × K, one convGemm call): 64 KiB of float32 keeps the tile of A in L2
 * next to the packed weights the microkernel streams over it. Not the gradient's GRAD_CHUNK_BUDGET (src/nn/grad.ts),
 * which sizes a whole chunk of pixels whose im2col is made once and read by a GEMM per group.
 */
const IM2COL_TILE_BUDGET = 16384;
/** Tile rows are a multiple of both microkernel heights (4 and 6). */
const ROW_STEP = 12;

/** The plan padded to three spatial axes (leading axes of size 1), the form every kernel takes. */
export interface Geometry3 {
  inSize: number[];
  padded: number[];
  kernel: number[];
  stride: number[];
  dilation: number[];
  padBefore: number[];
  outSize: number[];
}

export function geometry3(plan: ConvPlan): Geometry3 {
  const lead = 3 - plan.rank;
  const ext = (a: readonly number[], v: number) => [...new Array<number>(lead).fill(v), ...a];
  const inSize = ext(plan.inSize, 1);
  const padBefore = ext(plan.padBefore, 0);
  const padAfter = ext(plan.padAfter, 0);
  return {
    inSize, padBefore, padded: inSize.map((n, a) => n + padBefore[a] + padAfter[a]),
    kernel: ext(plan.kernel, 1), stride: ext(plan.stride, 1), dilation: ext(plan.dilation, 1), outSize: ext(plan.outSize, 1),
  };
}

/** Validate, plan and run one forward convolution. */
export function convNd(op: string, rank: number, input: unknown, weight: unknown, opts: unknown): NDArray {
  const o = options<ConvOptions>(op, opts, CONV_OPTIONS);
  const x = asTensor(op, 'input', input);
  const w = asTensor(op, 'weight', weight);
  const plan = planConv(op, rank, x.shape, w.shape, o);
  let bias: Float | number[] | undefined;
  const tensors = [x, w];
  if (o.bias !== undefined) {
    const b = asTensor(op, 'bias', o.bias);
    if (b.shape.length !== 1) throw rangeError(op, `bias must be 1-D, got shape [${b.shape.join(', ')}]`);
    if (b.shape[0] !== plan.outChannels) {
      throw rangeError(op, `bias has ${b.shape[0]} entries, expected ${plan.outChannels} (one per output channel)`);
    }
    bias = b.data;
    tensors.push(b);
  }
  const out = outputOption(op, o.output, o.dtype, plan.outputShape, "the output's shape");
  const dtype = resultDtype(op, out.dtype, ...tensors);
  const data = runConv(plan, dtype, o.backend, x.data as Float, w.data as Float, bias, convPath(plan), writable(out, x.data, w.data, bias));
  return { data: delivered(out, data), shape: plan.outputShape.slice() };
}

export type ConvPath = 'planes' | 'depthwise' | 'pointwise' | 'winograd' | 'direct' | 'im2col';

/**
 * Which kernel runs a plan: channels-first depthwise at unit stride and dilation as per-channel 2-D correlations
 * of planes (no layout change), other depthwise channels-last with channels in lanes, 1×1 GEMM, Winograd
 * F(2×2, 3×3), a direct 3×3 kernel on 3-channel inputs, or im2col + GEMM.
 */
export function convPath(plan: ConvPlan): ConvPath {
  const g3 = geometry3(plan);
  const unit = (a: number[]) => a.every((v) => v === 1);
  if (plan.inPerGroup === 1 && plan.outPerGroup === 1) {
    return plan.layout === 'channels-first' && plan.rank <= 2 && unit(g3.stride) && unit(g3.dilation) ? 'planes' : 'depthwise';
  }
  if (product(g3.kernel) === 1 && unit(g3.stride)) return 'pointwise';
  const [kd, kh, kw] = g3.kernel;
  const wide = plan.inChannels >= WINOGRAD_MIN_CHANNELS && plan.outChannels >= WINOGRAD_MIN_CHANNELS;
  if (plan.groups === 1 && wide && unit(g3.stride) && g3.dilation[1] === 1 && g3.dilation[2] === 1) {
    if (kd === 1 && kh === 3 && kw === 3) return 'winograd';
    // 1-D with 9 taps: folded into 3×3 (see runConv).
    if (plan.rank === 1 && kw === 9) return 'winograd';
  }
  // A first layer (3×3 on 3 channels): 4 pixels × 8 output channels in registers over the 27 taps, no im2col
  // (assembly/direct3.ts).
  if (plan.groups === 1 && plan.inChannels === 3 && kd === 1 && kh === 3 && kw === 3 && unit(g3.dilation)) return 'direct';
  return 'im2col';
}

/**
 * Output elements per band of the direct path (64–128 KiB: the band is copied out while in L2). Channels-first
 * bands are 4× larger: each leaves as Cout copies, one per channel plane, and fewer, longer copies measured faster
 * (shape B channels-first: 0.34 → 0.23 ms of copies a call).
 */
const DIRECT_BAND = 16384;
const DIRECT_BAND_CF = 4 * DIRECT_BAND;
/**
 * Output elements per band of channels-first depthwise planes (one kernel call and one copy-out per band, 64 KiB of
 * float32): it was one call, one fill and one copy per plane, which cost more than the arithmetic on 7 × 7 maps.
 */
const PLANES_BAND = 16384;

/**
 * Winograd pays once both channel counts are this large (below, its transforms outweigh the saved multiplies); the
 * gradient's Winograd (src/nn/grad.ts) uses the same bound.
 */
export const WINOGRAD_MIN_CHANNELS = 8;
/** Elements of V and M per block of Winograd tiles (both in cache at once). */
const WINOGRAD_BUDGET = 98304;

/**
 * Execute a plan on one backend; returns the result in the plan's output layout, in `into` when given (an array of
 * the dtype's type that shares no memory with the inputs), else in a fresh array. `path` overrides the kernel choice
 * (tests and benchmarks; it must be one that convPath could pick for this geometry, or 'im2col', which runs any).
 */
export function runConv(
  plan: ConvPlan, dtype: DType, backend: unknown, x: Float, w: Float, bias?: Float | number[], path: ConvPath = convPath(plan), into?: Float,
): Float {
  // Winograd declines NaN and ±Infinity (see convOnce) before writing anything; im2col takes every input.
  return convOnce(plan, dtype, backend, x, w, bias, path, false, into)
    ?? (convOnce(plan, dtype, backend, x, w, bias, 'im2col', false, into) as Float);
}

/**
 * runConv, or undefined when the input or the weights hold NaN or ±Infinity (checked in wasm memory once they are
 * staged): for callers whose own fallback sums different products (the input gradient's col2im).
 */
export function runConvIfFinite(plan: ConvPlan, dtype: DType, backend: unknown, x: Float, w: Float): Float | undefined {
  return convOnce(plan, dtype, backend, x, w, undefined, convPath(plan), true);
}

/**
 * Weights packed once by a prepared layer (src/nn/prepared.ts), for the backend they were packed on: in wasm memory
 * at element `offset` (a persistent block: no call's arena release frees it), or on the js backend as `data`,
 * copied into each call's scratch. The block holds what packWeights writes for the plan's PackKind.
 */
export interface Prepacked {
  offset?: number;
  data?: Float;
}

/**
 * What a layer's packed weights are: the planes path's (flipped) kernels [C][taps]; the channels-first unpadded 1×1
 * path's A [Cout][cinG (+ 1 bias column)]; or the main paths' packed block (packedWeightSize) followed by the bias.
 */
export type PackKind = 'planes' | 'pointwise-planes' | 'main';

export function packKind(plan: ConvPlan, path: ConvPath): PackKind {
  if (path === 'planes') return 'planes';
  const unpadded = plan.padBefore.every((p) => p === 0) && plan.padAfter.every((p) => p === 0);
  return path === 'pointwise' && plan.layout === 'channels-first' && unpadded ? 'pointwise-planes' : 'main';
}

/** Elements of the main paths' packed weights (depthwise [bias C][taps × C], Winograd's 16 sets, or GEMM panels). */
function packedWeightSize(plan: ConvPlan, dtype: DType, path: ConvPath): number {
  const nr = panelWidth(dtype);
  const taps = product(plan.kernel);
  const { inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = plan;
  if (path === 'depthwise') return C + taps * C;
  if (path === 'winograd') return 16 * Math.ceil(Cout / nr) * (nr + C * nr);
  return G * Math.ceil(coutG / nr) * (nr + taps * cinG * nr);
}

/** Elements of a prepared layer's block (see PackKind). */
export function preparedSize(plan: ConvPlan, dtype: DType, path: ConvPath, hasBias: boolean): number {
  const kind = packKind(plan, path);
  if (kind === 'planes') return plan.inChannels * product(plan.kernel);
  if (kind === 'pointwise-planes') return plan.outChannels * (plan.inPerGroup + (hasBias ? 1 : 0));
  return packedWeightSize(plan, dtype, path) + plan.outChannels;
}

/** Elements packWeights stages the weights as given in (at `wraw`). */
export function stagingSize(plan: ConvPlan, path: ConvPath, wLength: number): number {
  return packKind(plan, path) !== 'main' || path === 'depthwise' ? 0 : wLength;
}

/**
 * Pack a layer's weights (w, bias: the caller's arrays) into mem at `dst`, as the plan's path reads them; the main
 * paths other than depthwise stage w at `wraw` (stagingSize elements) and the bias at `braw` (Cout) first, and with
 * `biasAfter` also copy the bias after the packed block (where a prepared Winograd layer reads it).
 */
export function packWeights(
  mem: Float, k: Kernels, plan: ConvPlan, dtype: DType, path: ConvPath, w: Float, bias: Float | number[] | undefined,
  wraw: number, braw: number, dst: number, biasAfter: boolean, ws?: Pick<Workspace, 'parallel' | 'threadsFor'>,
): void {
  const kind = packKind(plan, path);
  const taps = product(plan.kernel);
  const { inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = plan;
  if (kind === 'planes') {
    if (plan.flip) {
      for (let c = 0; c < C; c++) for (let t = 0; t < taps; t++) mem[dst + c * taps + t] = w[c * taps + taps - 1 - t];
    } else {
      mem.set(w, dst);
    }
    return;
  }
  if (kind === 'pointwise-planes') {
    if (bias) {
      const K = cinG + 1;
      for (let co = 0; co < Cout; co++) {
        mem.set(w.subarray(co * cinG, (co + 1) * cinG), dst + co * K);
        mem[dst + co * K + cinG] = bias[co];
      }
    } else {
      mem.set(w, dst);
    }
    return;
  }
  if (path === 'depthwise') {
    packDepthwise(mem, dst, plan, taps, w, bias);
    return;
  }
  const nr = panelWidth(dtype);
  const cf = plan.layout === 'channels-first';
  const [coS, ciS, tapS] = cf ? [cinG * taps, taps, 1] : [1, Cout, cinG * Cout];
  const flip = plan.flip ? 1 : 0;
  mem.set(w, wraw);
  if (bias) mem.set(bias, braw);
  if (path === 'winograd') {
    // Chunks of output-channel panels, each into its panels of the 16 planes.
    const uS = Math.ceil(Cout / nr) * (nr + C * nr);
    const work = 16 * w.length;
    const sp = chunking(Cout, work, nr);
    const transform = (c0: number, c1: number) => {
      for (let c = c0; c < c1; c++) {
        const a = sp.at(c);
        k.winogradWeights(mem, wraw + a * coS, coS, ciS, tapS, C, sp.at(c + 1) - a, flip, dst + (a / nr) * (nr + C * nr), uS, nr);
      }
    };
    if (ws) ws.parallel(ws.threadsFor(work), sp.chunks, transform);
    else transform(0, sp.chunks);
  } else {
    const groupStride = Math.ceil(coutG / nr) * (nr + taps * cinG * nr);
    // Chunks of weight panels per group (a copy: the same bits however split). Memory-bound: 8 "multiply-adds" a weight.
    const work = 8 * w.length;
    const sp = chunking(coutG, work / G, nr);
    const pack = (c0: number, c1: number) => {
      for (let c = c0; c < c1; c++) {
        const [g, a, b] = sp.of(c);
        k.packGemm(mem, wraw + (g * coutG + a) * coS, coS, ciS, tapS, cinG, taps, b - a, flip, braw + g * coutG + a, bias ? 1 : 0,
          dst + g * groupStride + (a / nr) * (nr + taps * cinG * nr), nr);
      }
    };
    if (ws) ws.parallel(ws.threadsFor(work), G * sp.chunks, pack);
    else pack(0, G * sp.chunks);
  }
  if (biasAfter && bias) mem.set(bias, dst + packedWeightSize(plan, dtype, path));
}

/** The prepared block's element offset in this call's `mem`: in place on wasm, else copied into `scratch`. */
function prepackedAt(mem: Float, pre: Prepacked, scratch: number): number {
  if (pre.offset !== undefined) return pre.offset;
  mem.set(pre.data!, scratch);
  return scratch;
}

/** Scratch elements a call needs for a prepared block: none on wasm (it is in place), a copy on js. */
function prepackedScratch(pre: Prepacked): number {
  return pre.offset !== undefined ? 0 : pre.data!.length;
}

export function convOnce(
  plan: ConvPlan, dtype: DType, backend: unknown, x: Float, w: Float, bias: Float | number[] | undefined, path: ConvPath, finiteOnly: boolean,
  into?: Float, pre?: Prepacked,
): Float | undefined {
  const g3 = geometry3(plan);
  const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = plan;
  if (path === 'planes') return runPlanes(plan, g3, dtype, backend, x, w, bias, finiteOnly, into, pre);
  const cf = plan.layout === 'channels-first';
  if (packKind(plan, path) === 'pointwise-planes') {
    return runPointwisePlanes(plan, g3, dtype, backend, x, w, bias, finiteOnly, into, pre);
  }
  const nr = panelWidth(dtype);
  const [od, oh, ow] = g3.outSize;
  // A 1-D correlation with 9 taps is a 3×3 one on the signal folded into rows of 3 (row i = x[3i … 3i + 4], the
  // rows overlapping in memory): y[3r + s] = Σ_{a,b<3} x[3(r + a) + s + b] · w[3a + b], so Winograd runs on an
  // oh1 × 3 output whose rows are consecutive in y (the last row may run up to two samples past the end).
  const fold = path === 'winograd' && plan.rank === 1;
  const wOh = fold ? Math.ceil(ow / 3) : oh;
  const wOw = fold ? 3 : ow;
  const th = Math.ceil(wOh / 2);
  const tw = Math.ceil(wOw / 2);
  if (fold) {
    // The tiles read up to sample 6·th + 8: the padded buffer reaches that far (extra samples only feed dropped outputs).
    g3.padded[2] = Math.max(g3.padded[2], 6 * th + 9);
  } else if (path === 'winograd') {
    // Whole 4×4 input tiles: one more padded row/column where the output size is odd (its outputs are dropped).
    g3.padded[1] += oh % 2;
    g3.padded[2] += ow % 2;
  }
  const inVol = product(g3.inSize);
  const padVol = product(g3.padded);
  const outVol = product(g3.outSize);
  const taps = product(g3.kernel);
  const K = taps * cinG;
  const panels = Math.ceil(coutG / nr);
  const groupStride = panels * (nr + K * nr);
  const tileRows = path !== 'im2col' ? 0 : Math.min(outVol, Math.max(ROW_STEP, Math.floor(IM2COL_TILE_BUDGET / K / ROW_STEP) * ROW_STEP));
  const tileBlock = path !== 'winograd' ? 0
    : Math.min(th * tw, Math.max(ROW_STEP, Math.floor(WINOGRAD_BUDGET / (16 * (C + Cout)) / ROW_STEP) * ROW_STEP));
  const nOut = N * outVol * Cout;
  const wSize = packedWeightSize(plan, dtype, path);
  // The direct path and channels-last depthwise compute bands of output rows (and copy each out while in cache):
  // buffers of one band.
  // With a pool (T > 1) they write one full-size output instead, in chunks of rows shared among the threads.
  const T = threadsFor(plan.op, backend, N * outVol * Cout * (path === 'depthwise' ? taps : K));
  const banded = T === 1 && (path === 'direct' || (path === 'depthwise' && !cf));
  // The channels-first transposes: memory-bound, split like the rest (8 "multiply-adds" an element).
  const transposeWork = cf ? 8 * N * C * inVol : 0;
  const Tt = cf ? threadsFor(plan.op, backend, transposeWork) : 1;
  const band = banded ? Math.min(oh, Math.max(1, Math.floor((cf ? DIRECT_BAND_CF : DIRECT_BAND) / (ow * Cout)))) : 0;
  const bandOut = band * ow * Cout;
  const sizes = [
    cf ? N * C * inVol : 0, // raw channels-first input, transposed from here
    N * padVol * C, // padded channels-last input (convGemm's over-read falls in the workspace's EXTRA pad)
    pre ? prepackedScratch(pre) : wSize, // packed weights (a prepared layer's: none on wasm, a copy of the block on js)
    bandOut || nOut + (fold ? 2 * Cout : 0), // channels-last output (a folded 1-D Winograd writes up to two rows past each image)
    cf ? bandOut || nOut : 0, // channels-first output
    T * (tileRows * K + 4 + 16 * tileBlock * C), // per thread: im2col tile (+ 16 bytes convGemm may write past it, inside the slot: the EXTRA pad follows only the last slot), or Winograd V
    T * 16 * tileBlock * Cout, // per thread: Winograd M
    pre ? 0 : stagingSize(plan, path, w.length), // weights as given, packed from here
    pre || path === 'depthwise' || !bias ? 0 : Cout, // bias
  ];
  return withWorkspace(plan.op, backend, dtype, sizes, (ws): Float | undefined => {
    const { mem, k } = ws;
    const [xin, xpad, scratchW, out, outT, col, wm, wraw, scratchB] = ws.off;
    // A prepared layer's block: the packed weights, then the bias (read by Winograd's output transform).
    const wk = pre ? prepackedAt(mem, pre, scratchW) : scratchW;
    const braw = pre ? wk + wSize : scratchB;
    const [D, H, W] = g3.inSize;
    const [, Ph, Pw] = g3.padded;
    const [pbD, pbH, pbW] = g3.padBefore;
    // 1. The input, channels-last, into the interior of the padded buffer.
    if (cf) {
      mem.set(x, xin);
      // With no padding on H and W a whole D-plane is one transpose (in chunks of pixels); otherwise one per image row
      // (in chunks of rows). Memory-bound, but a pool still shares it.
      const merge = Ph === H && Pw === W;
      const rowsIn = N * D * (merge ? 1 : H);
      const len = merge ? H * W : W;
      const sp = chunking(rowsIn * len, (transposeWork * rowsIn * len) / (N * C * inVol || 1), merge ? 64 : len);
      ws.parallel(Tt, sp.chunks, (c0, c1) => {
        pieces(sp.at(c0), sp.at(c1), len, (r, j, m) => {
          const n = Math.floor(r / (rowsIn / N));
          const z = Math.floor((r % (rowsIn / N)) / (merge ? 1 : H));
          const y = merge ? 0 : r % H;
          const src = xin + n * C * inVol + (z * H + y) * W + j;
          const dst = xpad + (n * padVol + ((z + pbD) * Ph + y + pbH) * Pw + pbW) * C + j * C;
          k.transpose(mem, src, C, m, inVol, dst, C);
        });
      });
    } else {
      for (let n = 0; n < N; n++) {
        for (let z = 0; z < D; z++) {
          for (let y = 0; y < H; y++) {
            const src = ((n * D + z) * H + y) * W * C;
            mem.set(x.subarray(src, src + W * C), xpad + (n * padVol + ((z + pbD) * Ph + y + pbH) * Pw + pbW) * C);
          }
        }
      }
    }
    fillBorders(mem, xpad, N, C, g3, TORCH_PADDING[plan.paddingMode]);
    // 2. Weights, packed from the caller's layout (strides of (co, ci, tap)), unless a prepared layer packed them.
    if (pre) {
      // A prepared Winograd layer's weights were checked finite when packed (else it packed for im2col).
      if (path === 'winograd' && k.nonFinite(mem, xpad, N * padVol * C)) return undefined;
    } else if (path === 'depthwise') {
      packDepthwise(mem, wk, plan, taps, w, bias);
      if (finiteOnly && (k.nonFinite(mem, xpad, N * padVol * C) || k.nonFinite(mem, wk + C, taps * C))) return undefined;
    } else {
      mem.set(w, wraw);
      if (bias) mem.set(bias, braw);
      // Winograd's transforms mix a tile's samples and a kernel's taps, so one NaN or ±Infinity would reach outputs
      // whose windows never hold it (0·∞ = NaN): such inputs take im2col, which sums the products PyTorch sums.
      if ((finiteOnly || path === 'winograd') && (k.nonFinite(mem, xpad, N * padVol * C) || k.nonFinite(mem, wraw, w.length))) return undefined;
      packWeights(mem, k, plan, dtype, path, w, bias, wraw, braw, wk, false, ws);
    }
    // 3. The convolution, channels-last.
    const [kd, kh, kw] = g3.kernel;
    const [sd, sh, sw] = g3.stride;
    const [dd, dh, dw] = g3.dilation;
    const colSlot = tileRows * K + 4 + 16 * tileBlock * C;
    const mSlot = 16 * tileBlock * Cout;
    const work = N * outVol * Cout * (path === 'depthwise' ? taps : K);
    if (banded && path === 'depthwise') {
      // Channels-last results leave in bands of rows while still in cache, as the direct path's (shape E:
      // 1.13× faster with `output` given, 1.08× with a fresh result, whose page faults stay).
      const res = into ?? uninitialized(dtype, nOut);
      for (let n = 0; n < N; n++) {
        for (let z = 0; z < od; z++) {
          for (let y = 0; y < oh; y += band) {
            const r = Math.min(band, oh - y);
            k.dwconv(mem, xpad + (n * padVol + (z * sd * Ph + y * sh) * Pw) * C, Ph, Pw, C, kd, kh, kw, sd, sh, sw, dd, dh, dw, 1, r, ow, wk, out);
            res.set(mem.subarray(out, out + r * ow * C), (n * outVol + (z * oh + y) * ow) * C);
          }
        }
      }
      return res;
    } else if (banded) {
      // kd = 1: output plane z reads padded plane z·sd. Results leave in bands of rows while they are still in
      // cache (a small band buffer instead of a cold full-size copy at the end); channels-first bands are
      // transposed first, then copied channel by channel.
      const res = into ?? uninitialized(dtype, nOut);
      for (let n = 0; n < N; n++) {
        for (let z = 0; z < od; z++) {
          for (let y = 0; y < oh; y += band) {
            const r = Math.min(band, oh - y);
            const px = r * ow;
            const p0 = (z * oh + y) * ow;
            k.direct3(mem, xpad + (n * padVol + (z * sd * Ph + y * sh) * Pw) * C, Pw, sh, sw, r, ow, wk, Cout, out, Cout, nr);
            if (!cf) {
              res.set(mem.subarray(out, out + px * Cout), (n * outVol + p0) * Cout);
              continue;
            }
            k.transpose(mem, out, px, Cout, Cout, outT, px);
            for (let co = 0; co < Cout; co++) res.set(mem.subarray(outT + co * px, outT + (co + 1) * px), (n * Cout + co) * outVol + p0);
          }
        }
      }
      return res;
    } else if (path === 'depthwise' || path === 'direct') {
      // Chunks of output rows of each plane (n, z); kd = 1 on the direct path.
      const sp = chunking(oh, work / (N * od), 1);
      ws.parallel(T, N * od * sp.chunks, (c0, c1) => {
        for (let c = c0; c < c1; c++) {
          const [nz, y, y1] = sp.of(c);
          const r = y1 - y;
          const n = Math.floor(nz / od);
          const z = nz % od;
          const xr = xpad + (n * padVol + (z * sd * Ph + y * sh) * Pw) * C;
          const o = out + (n * outVol + (z * oh + y) * ow) * Cout;
          if (path === 'depthwise') k.dwconv(mem, xr, Ph, Pw, C, kd, kh, kw, sd, sh, sw, dd, dh, dw, 1, r, ow, wk, o);
          else k.direct3(mem, xr, Pw, sh, sw, r, ow, wk, Cout, o, Cout, nr);
        }
      });
    } else if (path === 'pointwise') {
      // A 1×1 kernel at unit stride reads every padded pixel once: the padded input is the GEMM's A as it is. Chunks
      // of rows (pixels) where there are many, else of weight panels (columns), so no chunk re-reads all weights for
      // a few rows.
      const M = N * padVol;
      const byRows = M >= 128 && M >= coutG;
      const sp = byRows ? chunking(M, work / G, 24) : chunking(coutG, work / G, nr);
      ws.parallel(T, G * sp.chunks, (c0, c1) => {
        for (let c = c0; c < c1; c++) {
          const [g, a, b] = sp.of(c);
          const wg = wk + g * groupStride;
          if (byRows) k.gemm(mem, b - a, coutG, cinG, xpad + g * cinG + a * C, C, wg, out + g * coutG + a * Cout, Cout, nr);
          else k.gemm(mem, M, b - a, cinG, xpad + g * cinG, C, wg + (a / nr) * (nr + cinG * nr), out + g * coutG + a, Cout, nr);
        }
      });
    } else if (path === 'winograd') {
      // kd = 1 and unit stride: output plane z reads padded plane z. Chunks of tile rows (two output rows each);
      // folded 1-D images stay whole and go in order, so that the rows one writes past its end are overwritten by
      // the next image.
      const sp = chunking(th, fold ? 0 : work / (N * od), 1); // no work given: one chunk
      ws.parallel(fold ? 1 : T, N * od * sp.chunks, (c0, c1, t) => {
        for (let c = c0; c < c1; c++) {
          const [nz, r0, r1] = sp.of(c);
          const rows = r1 - r0;
          const n = Math.floor(nz / od);
          const z = nz % od;
          const pw = fold ? 3 : Pw;
          k.winograd(mem, xpad + (n * padVol + z * Ph * Pw) * C + 2 * r0 * pw * C, pw, C, rows, tw, Math.min(wOh - 2 * r0, 2 * rows), wOw, wk,
            Cout, braw, bias ? 1 : 0, out + (n * outVol + z * oh * ow) * Cout + 2 * r0 * wOw * Cout, col + t * colSlot, wm + t * mSlot, tileBlock, nr);
        }
      });
    } else {
      // Chunks of output rows (planes in 3-D) where there are enough, else of weight panels (every chunk then
      // builds the whole im2col tile stream, a few per cent of the work).
      const planes = od > 1;
      const byRows = planes || oh >= 16 || coutG < 4 * nr;
      const along = planes ? od : oh;
      const sp = byRows ? chunking(along, work / (N * G), 1) : chunking(coutG, work / (N * G), nr);
      ws.parallel(T, N * G * sp.chunks, (c0, c1, t) => {
        for (let c = c0; c < c1; c++) {
          const [ng, a, b] = sp.of(c);
          const n = Math.floor(ng / G);
          const g = ng % G;
          const x0 = xpad + n * padVol * C;
          const o0 = out + n * outVol * Cout + g * coutG;
          const wg = wk + g * groupStride;
          const colT = col + t * colSlot;
          if (!byRows) {
            k.convGemm(mem, x0, Ph, Pw, C, g * cinG, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, oh, ow,
              wg + (a / nr) * (nr + K * nr), b - a, o0 + a, Cout, colT, tileRows, nr);
          } else if (planes) {
            k.convGemm(mem, x0 + a * sd * Ph * Pw * C, Ph, Pw, C, g * cinG, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, b - a, oh, ow,
              wg, coutG, o0 + a * oh * ow * Cout, Cout, colT, tileRows, nr);
          } else {
            k.convGemm(mem, x0 + a * sh * Pw * C, Ph, Pw, C, g * cinG, cinG, kd, kh, kw, sd, sh, sw, dd, dh, dw, od, b - a, ow,
              wg, coutG, o0 + a * ow * Cout, Cout, colT, tileRows, nr);
          }
        }
      });
    }
    if (!cf) return copyOut(mem, out, nOut, into);
    const sp = chunking(N * outVol, transposeWork * (nOut / (N * C * inVol || 1)), 16);
    // Chunks of pixels, in pieces that never cross an image.
    ws.parallel(Tt, sp.chunks, (c0, c1) => {
      pieces(sp.at(c0), sp.at(c1), outVol, (n, q, m) =>
        k.transpose(mem, out + (n * outVol + q) * Cout, m, Cout, Cout, outT + n * outVol * Cout + q, outVol));
    });
    return copyOut(mem, outT, nOut, into);
  });
}

/**
 * Channels-first depthwise convolution at unit stride and dilation (ranks 1 and 2): each channel's padded plane is
 * correlated with its own kernel by the 2-D correlation kernel of scipy.signal, starting from the bias. No layout
 * change at all, which is what channels-first depthwise layers need. One kernel call per band of planes
 * (PLANES_BAND), not one per channel.
 */
function runPlanes(
  plan: ConvPlan, g3: Geometry3, dtype: DType, backend: unknown, x: Float, w: Float, bias: Float | number[] | undefined, finiteOnly: boolean,
  into?: Float, pre?: Prepacked,
): Float | undefined {
  const { batch: N, inChannels: C } = plan;
  const [, H, W] = g3.inSize;
  const [, Ph, Pw] = g3.padded;
  const [, kh, kw] = g3.kernel;
  const [, oh, ow] = g3.outSize;
  const taps = kh * kw;
  const nOut = N * C * oh * ow;
  // Planes in bands of about PLANES_BAND outputs, one kernel call each, copied out while in cache.
  const n = oh * ow;
  // With a pool: one full-size output, chunks of planes shared among the threads.
  const T = threadsFor(plan.op, backend, nOut * taps);
  const bandPlanes = T > 1 ? N * C : Math.min(N * C, Math.max(1, Math.floor(PLANES_BAND / n)));
  const sizes = [N * C * H * W, N * C * Ph * Pw, pre ? prepackedScratch(pre) : C * taps, bandPlanes * n, bias ? C : 0];
  return withWorkspace(plan.op, backend, dtype, sizes, (ws) => {
    const { mem, k } = ws;
    const [xin, xpad, hScratch, out, braw] = ws.off;
    mem.set(x, xin);
    k.padPlanes(mem, xin, N * C, H, W, xpad, Ph, Pw, g3.padBefore[1], g3.padBefore[2], EXTENSION_CODE[TORCH_PADDING[plan.paddingMode]]);
    const h = pre ? prepackedAt(mem, pre, hScratch) : hScratch;
    if (!pre) packWeights(mem, k, plan, dtype, 'planes', w, bias, 0, 0, h, false);
    if (finiteOnly && (k.nonFinite(mem, xin, N * C * H * W) || k.nonFinite(mem, h, C * taps))) return undefined;
    if (bias) mem.set(bias, braw);
    if (T > 1) {
      const sp = chunking(N * C, nOut * taps, 1);
      ws.parallel(T, sp.chunks, (c0, c1) => {
        for (let c = c0; c < c1; c++) {
          const p0 = sp.at(c);
          k.dwPlanes(mem, xpad + p0 * Ph * Pw, sp.at(c + 1) - p0, C, p0 % C, Ph * Pw, Pw, h, kh, kw, braw, bias ? 1 : 0, out + p0 * n, oh, ow);
        }
      });
      return copyOut(mem, out, nOut, into);
    }
    const res = into ?? uninitialized(dtype, nOut);
    for (let p0 = 0; p0 < N * C; p0 += bandPlanes) {
      const np = Math.min(bandPlanes, N * C - p0);
      k.dwPlanes(mem, xpad + p0 * Ph * Pw, np, C, p0 % C, Ph * Pw, Pw, h, kh, kw, braw, bias ? 1 : 0, out, oh, ow);
      res.set(mem.subarray(out, out + np * n), p0 * n);
    }
    return res;
  });
}

/**
 * Channels-first 1×1 convolution at unit stride without padding, in its own layout: per image and group,
 * out[co, p] = Σ_ci w[co, ci] · x[ci, p] is a GEMM whose A is the weights as given (rows co) and whose B is the
 * input planes, packed in panels of pixels; the result rows are output planes. No layout change and no weight
 * packing: shape D channels-first ran 1.06–1.09× faster than through channels-last (same-process A/B). The bias
 * rides as one more k, a column of A against a row of ones in B (B's panels carry a per-pixel bias, the wrong axis).
 */
function runPointwisePlanes(
  plan: ConvPlan, g3: Geometry3, dtype: DType, backend: unknown, x: Float, w: Float, bias: Float | number[] | undefined, finiteOnly: boolean,
  into?: Float, pre?: Prepacked,
): Float | undefined {
  const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = plan;
  const HW = product(g3.inSize);
  const nr = panelWidth(dtype);
  const K = cinG + (bias ? 1 : 0);
  const panels = Math.ceil(HW / nr);
  const nOut = N * Cout * HW;
  const T = threadsFor(plan.op, backend, N * Cout * HW * K);
  // x staged per image and group as K rows of HW (the last row ones when there is a bias); A as [Cout][K].
  return withWorkspace(plan.op, backend, dtype, [K * HW, pre ? prepackedScratch(pre) : Cout * K, panels * (nr + K * nr), nOut], (ws) => {
    const { mem, k } = ws;
    const [xs, aScratch, bp, out] = ws.off;
    const a = pre ? prepackedAt(mem, pre, aScratch) : aScratch;
    if (!pre) packWeights(mem, k, plan, dtype, 'pointwise', w, bias, 0, 0, a, false);
    if (bias) mem.fill(1, xs + cinG * HW, xs + K * HW);
    if (finiteOnly && k.nonFinite(mem, a, Cout * K)) return undefined;
    for (let n = 0; n < N; n++) {
      for (let g = 0; g < G; g++) {
        const src = (n * C + g * cinG) * HW;
        mem.set(x.subarray(src, src + cinG * HW), xs);
        if (finiteOnly && k.nonFinite(mem, xs, cinG * HW)) return undefined;
        // Panels of nr pixels: "output channel" p of the packer is pixel p, its "input channel" ci is row ci.
        k.packGemm(mem, xs, 1, HW, 0, K, 1, HW, 0, xs, 0, bp, nr);
        // Chunks of pixel panels (columns) where there are many, else of output channels (rows).
        const byCols = HW >= 16 * nr;
        const sp = byCols ? chunking(HW, coutG * HW * K, nr) : chunking(coutG, coutG * HW * K, 4);
        const ag = a + g * coutG * K;
        const og = out + (n * Cout + g * coutG) * HW;
        ws.parallel(T, sp.chunks, (c0, c1) => {
          for (let c = c0; c < c1; c++) {
            const lo = sp.at(c);
            const hi = sp.at(c + 1);
            if (byCols) k.gemm(mem, coutG, hi - lo, K, ag, K, bp + (lo / nr) * (nr + K * nr), og + lo, HW, nr);
            else k.gemm(mem, hi - lo, HW, K, ag + lo * K, K, bp, og + lo * HW, HW, nr);
          }
        });
      }
    }
    return copyOut(mem, out, nOut, into);
  });
}

/** Index of weight (co, ci, tap) in the caller's layout; tap is the C-order index over the kernel's spatial axes. */
function weightIndex(plan: ConvPlan, taps: number, co: number, ci: number, tap: number): number {
  return plan.layout === 'channels-last' ? (tap * plan.inPerGroup + ci) * plan.outChannels + co : (co * plan.inPerGroup + ci) * taps + tap;
}

/** Depthwise weights: [bias C][taps × C], channels innermost so that a tap's weights are one vector load. */
export function packDepthwise(mem: Float, off: number, plan: ConvPlan, taps: number, w: Float, bias?: Float | number[]): void {
  const C = plan.outChannels;
  for (let c = 0; c < C; c++) {
    mem[off + c] = bias ? bias[c] : 0;
    for (let tap = 0; tap < taps; tap++) {
      mem[off + C + tap * C + c] = w[weightIndex(plan, taps, c, 0, plan.flip ? taps - 1 - tap : tap)];
    }
  }
}
