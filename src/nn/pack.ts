// Weight packing of the forward conv paths, shared by plain calls (src/nn/paths/*) and prepared layers
// (src/nn/prepared.ts): what each path reads its weights as, and how large a packed block is.
import { product, type DType, type Float } from '../arrays';
import { panelWidth } from '../kernels/gemm';
import type { Kernels } from '../kernels';
import { chunking } from '../threads';
import type { Backend, Workspace } from '../workspace';
import type { ConvPath, ConvPlan } from './plan';

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
 * What a layer's packed weights are: the planes path's (flipped) kernels [C][taps], or the main paths' packed block
 * (packedWeightSize) followed by the bias.
 */
export type PackKind = 'planes' | 'main';

export function packKind(_plan: ConvPlan, path: ConvPath): PackKind {
  return path === 'planes' ? 'planes' : 'main';
}

/** Elements of the main paths' packed weights (depthwise [bias C][taps × C], Winograd's 16 sets, or GEMM panels). */
export function packedWeightSize(plan: ConvPlan, dtype: DType, path: ConvPath): number {
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
  return packedWeightSize(plan, dtype, path) + plan.outChannels;
}

/** Elements packWeights stages the weights as given in (at `wraw`). */
export function stagingSize(plan: ConvPlan, path: ConvPath, wLength: number): number {
  const kind = packKind(plan, path);
  return kind === 'planes' || path === 'depthwise' ? 0 : wLength;
}

/**
 * Element strides (output channel, input channel, tap) at which the main paths' packing reads the weights as given,
 * in place of the layout's: the input gradient passes its layer's weights with the channel axes swapped this way
 * instead of copying them transposed (src/nn/grad-input.ts). One group only (a group's block is not a stride apart).
 */
export type WeightStrides = readonly [coS: number, ciS: number, tapS: number];

/** Whether the path packs the weights as given through packWeights' main branch (which reads WeightStrides). */
export function packsStrided(plan: ConvPlan, path: ConvPath): boolean {
  return path !== 'depthwise' && packKind(plan, path) === 'main';
}

/**
 * Pack a layer's weights (w, bias: the caller's arrays) into mem at `dst`, as the plan's path reads them; the main
 * paths other than depthwise stage w at `wraw` (stagingSize elements) and the bias at `braw` (Cout) first (unless
 * `staged`: the caller has), read w there at `strides` (default: the layout's), and with `biasAfter` also copy the
 * bias after the packed block (where a prepared Winograd layer reads it).
 */
export function packWeights(
  mem: Float, k: Kernels, plan: ConvPlan, dtype: DType, path: ConvPath, w: Float, bias: Float | number[] | undefined,
  wraw: number, braw: number, dst: number, biasAfter: boolean, ws?: Pick<Workspace, 'parallel' | 'threadsFor'>,
  strides?: WeightStrides, staged = false,
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
  if (path === 'depthwise') {
    packDepthwise(mem, dst, plan, taps, w, bias);
    return;
  }
  const nr = panelWidth(dtype);
  const cf = plan.layout === 'channels-first';
  const [coS, ciS, tapS] = strides ?? (cf ? [cinG * taps, taps, 1] : [1, Cout, cinG * Cout]);
  const flip = plan.flip ? 1 : 0;
  if (!staged) {
    mem.set(w, wraw);
    if (bias) mem.set(bias, braw);
  }
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
export function prepackedAt(mem: Float, pre: Prepacked, scratch: number): number {
  if (pre.offset !== undefined) return pre.offset;
  mem.set(pre.data!, scratch);
  return scratch;
}

/** Scratch elements a call needs for a prepared block: none on wasm (it is in place), a copy of it on js. */
export function preparedScratch(plan: ConvPlan, dtype: DType, path: ConvPath, hasBias: boolean, backend: Backend): number {
  return backend.name === 'wasm' ? 0 : preparedSize(plan, dtype, path, hasBias);
}

/** Index of weight (co, ci, tap) in the caller's layout; tap is the C-order index over the kernel's spatial axes. */
function weightIndex(plan: ConvPlan, taps: number, co: number, ci: number, tap: number): number {
  return plan.layout === 'channels-last' ? (tap * plan.inPerGroup + ci) * plan.outChannels + co : (co * plan.inPerGroup + ci) * taps + tap;
}

/** Depthwise weights: [bias C][taps × C], channels innermost so that a tap's weights are one vector load. */
export function packDepthwise(mem: Float, off: number, plan: ConvPlan, taps: number, w: Float, bias?: Float | number[]): void {
  const C = plan.outChannels;
  if (bias) mem.set(bias, off);
  else mem.fill(0, off, off + C);
  if (plan.layout === 'channels-last') {
    // [...k, 1, C] is already taps × C: one copy, or one per tap when flipped (an element loop cost a 960-channel
    // 3×3 layer at 7² a fifth of its time, measured).
    if (!plan.flip) mem.set(w, off + C);
    else for (let tap = 0; tap < taps; tap++) mem.set(w.subarray((taps - 1 - tap) * C, (taps - tap) * C), off + C + tap * C);
    return;
  }
  for (let c = 0; c < C; c++) {
    for (let tap = 0; tap < taps; tap++) {
      mem[off + C + tap * C + c] = w[weightIndex(plan, taps, c, 0, plan.flip ? taps - 1 - tap : tap)];
    }
  }
}
