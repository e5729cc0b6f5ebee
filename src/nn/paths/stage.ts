// What every forward path's plan holds, and the staging the channels-last paths share (depthwise, pointwise,
// winograd, direct, im2col): the input copied once into a padded [N, D', H', W', C] buffer (transposed on the way in
// when channels-first, the border filled through paddingMode), the weights packed, and at the end the
// channels-first result transposed back.
import { product, type DType, type Float } from '../../arrays';
import { fillBorders, TORCH_PADDING } from '../../boundary';
import { chunking, pieces } from '../../threads';
import { copyOut, threadsFor, withBuffers, type Backend, type Offsets, type Workspace } from '../../workspace';
import { packDepthwise, packedWeightSize, packWeights, prepackedAt, preparedScratch, stagingSize, type Prepacked, type WeightStrides } from '../pack';
import type { ConvPath, ConvPlan, Geometry3 } from '../plan';
import type { Im2colPlan } from './im2col';

/** The fields every forward path's plan has (each path adds its own: threads, bands, tiles, buffers). */
export interface ForwardBase {
  /** The convolution's geometry. */
  readonly conv: ConvPlan;
  readonly dtype: DType;
  readonly backend: Backend;
  readonly path: ConvPath;
  /** A bias is added (the caller passes it to run). */
  readonly bias: boolean;
  /** The weights come packed by a prepared layer (src/nn/prepared.ts), in place on wasm, copied in on js. */
  readonly prepared: boolean;
  /**
   * The path steps aside on NaN or ±Infinity (returns undefined before writing anything): Winograd, whose transforms
   * mix a tile's samples (0·∞ = NaN), and any call asked to (the input gradient run as a forward convolution).
   */
  readonly stepsAside: boolean;
  /** Where the path steps aside and a result is wanted anyway: the im2col plan run instead. */
  readonly fallback?: Im2colPlan;
  /** The main paths' packing reads the weights as given at these strides, not the layout's (pack.ts WeightStrides). */
  readonly weightStrides?: WeightStrides;
  /** Scratch buffers by name: element counts, laid out in this order (withBuffers). */
  readonly buffers: Readonly<Record<string, number>>;
}

/** What the forward planners take besides the geometry. */
export interface ForwardRequest {
  conv: ConvPlan;
  dtype: DType;
  backend: Backend;
  path: ConvPath;
  bias: boolean;
  prepared: boolean;
  /** Step aside on NaN or ±Infinity whatever the path (see ForwardBase.stepsAside). */
  finiteOnly: boolean;
  /** The plan run when this one steps aside (planForward makes it). */
  fallback?: Im2colPlan;
  /** The weights as given are read at these strides (ForwardOptions.weightStrides). */
  weightStrides?: WeightStrides;
}

/** The plan of a channels-last path. */
export interface StagedPlan extends ForwardBase {
  /** Geometry on three axes, padded as this path reads it. */
  readonly g3: Geometry3;
  /** The caller's layout is channels-first: transposed in and out. */
  readonly cf: boolean;
  /** Threads of the convolution and of the channels-first transposes (threadsFor). */
  readonly threads: number;
  readonly transposeThreads: number;
  /** Elements of the result, and of the packed weights (a prepared block holds the bias after them). */
  readonly nOut: number;
  readonly wSize: number;
  readonly buffers: Readonly<StagedBuffers>;
}

/** The buffers every channels-last path has (zero-sized where unused), in this order, with its own after outT. */
export interface StagedBuffers {
  /** Raw channels-first input, transposed from here. */
  xin: number;
  /** Padded channels-last input (convGemm's over-read falls in the workspace's EXTRA pad). */
  xpad: number;
  /** Packed weights (a prepared layer's: none on wasm, a copy of the block on js). */
  wk: number;
  /** Channels-last output (a whole one, or one band). */
  out: number;
  /** Channels-first output. */
  outT: number;
  [name: string]: number;
}

/** Whether a request's path steps aside on NaN or ±Infinity (ForwardBase.stepsAside). */
export function stepsAside(req: ForwardRequest): boolean {
  return req.finiteOnly || req.path === 'winograd';
}

/**
 * The common part of a channels-last plan, for `work` multiply-adds: the path completes it with Object.assign (its
 * own fields and stagedBuffers) and freezes it. (Object literals and assign, not spread: spreading a plan-sized
 * object measured 10 µs a call in Node 20, assign 0.3 µs.)
 */
export function stagedPlan(req: ForwardRequest, g3: Geometry3, work: number): Omit<StagedPlan, 'buffers'> {
  const { conv, dtype, backend, path, prepared } = req;
  const cf = conv.layout === 'channels-first';
  const inVol = product(g3.inSize);
  const transposeWork = cf ? 8 * conv.batch * conv.inChannels * inVol : 0;
  return {
    conv, dtype, backend, path, bias: req.bias, prepared, stepsAside: stepsAside(req), fallback: req.fallback,
    weightStrides: req.weightStrides,
    g3, cf,
    threads: threadsFor(conv.op, backend, work),
    transposeThreads: cf ? threadsFor(conv.op, backend, transposeWork) : 1,
    nOut: conv.batch * product(g3.outSize) * conv.outChannels,
    wSize: packedWeightSize(conv, dtype, path),
  };
}

/**
 * A channels-last path's buffers, frozen: the shared ones (xin, xpad, wk), the outputs (out, outT), the path's own
 * (`own`, in its key order), then the weights as given (packed from there) and the bias.
 */
export function stagedBuffers(
  req: ForwardRequest, s: Omit<StagedPlan, 'buffers'>, out: number, outT: number, own?: Readonly<Record<string, number>>,
): Readonly<StagedBuffers> {
  const { conv, dtype, backend, path, prepared } = req;
  const b: StagedBuffers = {
    xin: s.cf ? conv.batch * conv.inChannels * product(s.g3.inSize) : 0,
    xpad: conv.batch * product(s.g3.padded) * conv.inChannels,
    wk: prepared ? preparedScratch(conv, dtype, path, req.bias, backend) : s.wSize,
    out,
    outT,
  };
  if (own) for (const name of Object.keys(own)) b[name] = own[name];
  b.wraw = prepared ? 0 : stagingSize(conv, path, product(conv.weightShape));
  b.braw = prepared || path === 'depthwise' || !req.bias ? 0 : conv.outChannels;
  return Object.freeze(b);
}

/** Step 1: the input, channels-last, into the interior of the padded buffer, then the border. */
export function stageInput(ws: Workspace, p: StagedPlan, at: Offsets<StagedBuffers>, x: Float): void {
  const { mem, k } = ws;
  const { g3 } = p;
  const { batch: N, inChannels: C } = p.conv;
  const { xin, xpad } = at;
  const [D, H, W] = g3.inSize;
  const [, Ph, Pw] = g3.padded;
  const [pbD, pbH, pbW] = g3.padBefore;
  const inVol = product(g3.inSize);
  const padVol = product(g3.padded);
  if (p.cf) {
    const transposeWork = 8 * N * C * inVol;
    mem.set(x, xin);
    // With no padding on H and W a whole D-plane is one transpose (in chunks of pixels); otherwise one per image row
    // (in chunks of rows). Memory-bound, but a pool still shares it.
    const merge = Ph === H && Pw === W;
    const rowsIn = N * D * (merge ? 1 : H);
    const len = merge ? H * W : W;
    const sp = chunking(rowsIn * len, (transposeWork * rowsIn * len) / (N * C * inVol || 1), merge ? 64 : len);
    ws.parallel(p.transposeThreads, sp.chunks, (c0, c1) => {
      pieces(sp.at(c0), sp.at(c1), len, (r, j, m) => {
        const n = Math.floor(r / (rowsIn / N));
        const z = Math.floor((r % (rowsIn / N)) / (merge ? 1 : H));
        const y = merge ? 0 : r % H;
        const src = xin + n * C * inVol + (z * H + y) * W + j;
        const dst = xpad + (n * padVol + ((z + pbD) * Ph + y + pbH) * Pw + pbW) * C + j * C;
        k.transpose(mem, src, C, m, inVol, dst, C);
      });
    });
  } else if (Ph === H && Pw === W) {
    // Rows contiguous in the padded buffer too: one copy per image (a call per row cost 1.4× the copy on 56² maps).
    for (let n = 0; n < N; n++) mem.set(x.subarray(n * inVol * C, (n + 1) * inVol * C), xpad + (n * padVol + pbD * H * W) * C);
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
  fillBorders(mem, xpad, N, C, g3, TORCH_PADDING[p.conv.paddingMode]);
}

/**
 * Step 2: the weights, packed from the caller's layout (strides of (co, ci, tap)), unless a prepared layer packed
 * them. Returns where the packed weights and the bias are, or undefined when the plan steps aside on a NaN or
 * ±Infinity in the input or the weights (nothing written to the result).
 */
/**
 * Run a channels-last path: its buffers laid out by name (withBuffers), the input staged (stageInput), the weights
 * staged and packed (stageWeights), then `body` with the packed weights at `wk` and the bias at `braw`; undefined where
 * the path stepped aside on NaN or ±Infinity.
 */
/**
 * A pool region over the output rows of every plane (n, z) of a kernel that runs row by row (direct, depthwise):
 * chunks of rows fixed by `work` alone, fn(n, z, y0, y1) for each.
 */
export function eachRowChunk(
  ws: Workspace, threads: number, N: number, od: number, oh: number, work: number, fn: (n: number, z: number, y0: number, y1: number) => void,
): void {
  const sp = chunking(oh, work / (N * od), 1);
  ws.parallel(threads, N * od * sp.chunks, (c0, c1) => {
    for (let c = c0; c < c1; c++) {
      const [nz, y0, y1] = sp.of(c);
      fn(Math.floor(nz / od), nz % od, y0, y1);
    }
  });
}

export function runStaged<P extends StagedPlan>(
  p: P, x: Float, w: Float, bias: Float | number[] | undefined, pre: Prepacked | undefined,
  body: (ws: Workspace, at: Offsets<P['buffers']>, wk: number, braw: number) => Float,
): Float | undefined {
  return withBuffers(p.conv.op, p.backend, p.dtype, p.buffers as P['buffers'], (ws, at): Float | undefined => {
    stageInput(ws, p, at as Offsets<StagedBuffers>, x);
    const weights = stageWeights(ws, p, at as Offsets<StagedBuffers>, w, bias, pre);
    return weights && body(ws, at, weights.wk, weights.braw);
  });
}

export function stageWeights(
  ws: Workspace, p: StagedPlan, at: Offsets<StagedBuffers>, w: Float, bias: Float | number[] | undefined, pre?: Prepacked,
): { wk: number; braw: number } | undefined {
  const { mem, k } = ws;
  const { conv, path } = p;
  const C = conv.inChannels;
  const xpadLength = conv.batch * product(p.g3.padded) * C;
  if (pre) {
    // A prepared layer's block: the packed weights, then the bias (read by Winograd's output transform). A prepared
    // Winograd layer's weights were checked finite when packed (else it packed for im2col).
    const wk = prepackedAt(mem, pre, at.wk);
    if (p.stepsAside && k.nonFinite(mem, at.xpad, xpadLength)) return undefined;
    return { wk, braw: wk + p.wSize };
  }
  if (path === 'depthwise') {
    packDepthwise(mem, at.wk, conv, product(conv.kernel), w, bias);
    if (p.stepsAside && (k.nonFinite(mem, at.xpad, xpadLength) || k.nonFinite(mem, at.wk + C, product(conv.kernel) * C))) return undefined;
    return { wk: at.wk, braw: at.braw };
  }
  mem.set(w, at.wraw);
  if (bias) mem.set(bias, at.braw);
  if (p.stepsAside && (k.nonFinite(mem, at.xpad, xpadLength) || k.nonFinite(mem, at.wraw, w.length))) return undefined;
  packWeights(mem, k, conv, p.dtype, path, w, bias, at.wraw, at.braw, at.wk, false, ws, p.weightStrides, true);
  return { wk: at.wk, braw: at.braw };
}

/** Step 4: the channels-last result out, or transposed to channels-first first (in chunks of pixels). */
export function finishOutput(ws: Workspace, p: StagedPlan, at: Offsets<StagedBuffers>, into?: Float): Float {
  const { mem, k } = ws;
  const { out, outT } = at;
  if (!p.cf) return copyOut(mem, out, p.nOut, into);
  const { batch: N, inChannels: C, outChannels: Cout } = p.conv;
  const inVol = product(p.g3.inSize);
  const outVol = product(p.g3.outSize);
  const transposeWork = 8 * N * C * inVol;
  const sp = chunking(N * outVol, transposeWork * (p.nOut / (N * C * inVol || 1)), 16);
  // Chunks of pixels, in pieces that never cross an image.
  ws.parallel(p.transposeThreads, sp.chunks, (c0, c1) => {
    pieces(sp.at(c0), sp.at(c1), outVol, (n, q, m) =>
      k.transpose(mem, out + (n * outVol + q) * Cout, m, Cout, Cout, outT + n * outVol * Cout + q, outVol));
  });
  return copyOut(mem, outT, p.nOut, into);
}
