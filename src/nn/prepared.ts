// Prepared layers: a convolution's weights packed once (GEMM panels, Winograd's transformed U, depthwise vectors) and
// run many times, as tfjs-backend-wasm (XNNPACK operator caching) and onnxruntime (prepacked initializers) keep theirs.
// Every run computes exactly what conv1d/2d/3d computes with the same arguments (same kernel path, same packed values,
// same bits): only the packing is skipped.
//
// Memory. On the wasm backend the packed block lives in the module memory *below* the per-call arena (Arena.persist
// in src/wasm.ts): a call's mark is never below it, so no release frees it under the layer. `dispose()` gives it back
// at once (Arena.unpersist; the hole it leaves is reused, and a hole at the top of the persistent region returns to
// the arena); a layer that is never disposed is given back by a FinalizationRegistry once it is garbage-collected.
// The layer keeps its module: switching the default backend or wasm build later does not move it. On the js backend
// the block is a plain typed array (collected with the layer), copied into each call's scratch.
import { asTensor, resultDtype, type DType, type Float, type NDArray, type Tensor } from '../arrays';
import { options, rangeError, typeError } from '../errors';
import { delivered, outputOption, writable } from '../output';
import type { Arena } from '../wasm';
import { planBackend, withBuffers, type Backend } from '../workspace';
import { CONV_OPTIONS, planForward, runForward, type ConvOptions } from './conv';
import { packKind, packWeights, preparedSize, stagingSize, type PackKind, type Prepacked } from './pack';
import { convPath, planConv, type ConvPath, type ConvPlan, type GeometryOptions } from './plan';

/** The options of prepareConv1d/2d/3d: those of conv1d/2d/3d but `output` (a per-call option: see run). */
export type PrepareOptions = Omit<ConvOptions, 'output'>;

/** Options of a prepared layer's `run`. */
export interface RunOptions {
  /** As conv2d's `output`: an array or NDArray of the output's size and the layer's dtype, filled and returned. */
  output?: Float | NDArray | DType;
}

const PREPARE_OPTIONS = CONV_OPTIONS.filter((k) => k !== 'output');
const RUN_OPTIONS: readonly (keyof RunOptions)[] = ['output'];
const GEOMETRY: readonly (keyof GeometryOptions)[] = ['stride', 'dilation', 'padding', 'groups', 'paddingMode', 'flip', 'layout'];

/** What the finalizer frees: the arena and the block (never the layer itself, which would then never be collected). */
interface Held {
  arena?: Arena;
  pointer: number;
  bytes: number;
}

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<Held>((h) => {
    if (h.arena && h.bytes) h.arena.unpersist(h.pointer, h.bytes);
  })
  : undefined;

/**
 * A convolution layer whose weights (and bias) are packed once: `run(input)` computes what conv1d/2d/3d computes
 * with the same weight and options, bit for bit, without the packing. Made by prepareConv1d/2d/3d.
 */
export class PreparedConv {
  /** The op name in messages ('prepareConv2d', …). */
  readonly op: string;
  readonly rank: number;
  readonly dtype: DType;
  readonly backend: 'js' | 'wasm';
  /** The weight's shape, in the layer's layout. */
  readonly weightShape: number[];
  #geometry: GeometryOptions;
  #dtypeOption: DType | undefined;
  #path!: ConvPath;
  #kind!: PackKind;
  #bias: Float | number[] | undefined;
  /** The weights as given, kept only where a run may fall back to unpacked weights (Winograd on NaN/±Infinity input). */
  #raw: Float;
  #pre: Prepacked = {};
  /** The backend the layer was prepared on (a wasm one names its module: the packed block lives in its memory). */
  #backend: Backend;
  #held: Held = { pointer: 0, bytes: 0 };
  #disposed = false;

  /** @internal use prepareConv1d/2d/3d. */
  constructor(op: string, rank: number, weight: unknown, opts: unknown) {
    this.op = op;
    this.rank = rank;
    const o = options<PrepareOptions>(op, opts, PREPARE_OPTIONS);
    const w = asTensor(op, 'weight', weight);
    // A copy: arrays the caller changes later (stride: [2, 2], …) do not change the layer.
    this.#geometry = Object.fromEntries(GEOMETRY.filter((k) => o[k] !== undefined)
      .map((k) => [k, Array.isArray(o[k]) ? (o[k] as readonly number[]).slice() : o[k]])) as GeometryOptions;
    const plan = this.#planFor(op, w.shape);
    const b = this.#biasTensor(op, o.bias, plan);
    this.#dtypeOption = o.dtype;
    this.dtype = resultDtype(op, o.dtype, ...(b ? [w, b] : [w]));
    this.weightShape = w.shape.slice();
    const be = planBackend(op, o.backend);
    this.backend = be.name;
    this.#backend = be;
    if (be.name === 'wasm') this.#held.arena = be.module.arena;
    this.#raw = new Float64Array(0);
    this.#pack(plan, w.data as Float, b?.data);
    registry?.register(this, this.#held, this);
  }

  /**
   * The layer on one input, as conv1d/2d/3d(input, weight, { ...the prepared options, output }) would compute it.
   * @example layer.run({ data: new Float32Array(1 * 3 * 32 * 32), shape: [1, 3, 32, 32] }).shape  // [1, 8, 32, 32]
   */
  run(input: NDArray, opts?: RunOptions): NDArray {
    const op = `${this.op}.run`;
    this.#alive(op);
    const o = options<RunOptions>(op, opts, RUN_OPTIONS);
    const x = asTensor(op, 'input', input);
    const plan = planConv(op, this.rank, x.shape, this.weightShape, this.#geometry);
    const path = this.#pathOf(plan);
    if (path !== this.#path || packKind(plan, path) !== this.#kind) {
      throw new Error(`${op}: internal error: the input's plan takes path ${path}, the layer was packed for ${this.#path}`);
    }
    const out = outputOption(op, o.output, this.#dtypeOption, plan.outputShape, "the output's shape");
    const stub: Tensor = { data: this.dtype === 'float32' ? new Float32Array(0) : new Float64Array(0), shape: [0], nd: false, kind: this.dtype };
    const dtype = resultDtype(op, out.dtype, x, stub);
    if (dtype !== this.dtype) {
      const why = out.dtype !== undefined ? `output is ${out.dtype}` : 'input is a Float64Array';
      throw typeError(op, out.dtype !== undefined ? 'output' : 'input', `of the layer's dtype ${this.dtype} (${why}; prepare the layer with dtype '${dtype}' for that)`,
        out.dtype !== undefined ? o.output : x.data);
    }
    const into = writable(out, x.data as Float);
    // Winograd declines a non-finite input: its plan's fallback runs im2col on the weights as given, as a plain call's.
    const run = planForward(plan, dtype, this.#backend, { path, bias: this.#bias !== undefined, prepared: true });
    const data = runForward(run, x.data as Float, this.#raw, this.#bias, into, this.#pre) as Float;
    return { data: delivered(out, data), shape: plan.outputShape.slice() };
  }

  /**
   * New weights of the same shape (training): packs them again. `bias` replaces the bias when given (omitted, the
   * layer keeps its bias). The dtype stays the layer's: weights or a bias of another float type are refused.
   * @example layer.update(newWeight)
   */
  update(weight: NDArray, bias?: Float | number[]): void {
    const op = `${this.op}.update`;
    this.#alive(op);
    const w = asTensor(op, 'weight', weight);
    if (w.shape.length !== this.weightShape.length || w.shape.some((n, a) => n !== this.weightShape[a])) {
      throw rangeError(op, `weight must have the prepared shape [${this.weightShape.join(', ')}], got [${w.shape.join(', ')}]`);
    }
    const plan = this.#planFor(op, w.shape);
    const b = bias === undefined ? undefined : this.#biasTensor(op, bias, plan);
    const keep: Tensor | undefined = bias === undefined && this.#bias ? asTensor(op, 'bias', this.#bias) : undefined;
    const dtype = resultDtype(op, this.#dtypeOption, w, ...[b ?? keep].filter((t): t is Tensor => t !== undefined));
    if (dtype !== this.dtype) {
      throw typeError(op, 'weight', `${this.dtype === 'float32' ? 'a Float32Array (with a Float32Array bias)' : 'of the layer\'s dtype'} for this ${this.dtype} layer`, w.data);
    }
    this.#pack(plan, w.data as Float, b ? b.data : this.#bias);
  }

  /** Give the packed weights back now (idempotent); the layer cannot run afterwards. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#free();
    registry?.unregister(this);
    this.#raw = new Float64Array(0);
    this.#pre = {};
  }

  /** The kernel the layer runs (docs/nn.md "How it runs"): 'winograd', 'im2col', 'pointwise', 'depthwise', … */
  get path(): ConvPath {
    return this.#path;
  }

  /** Whether dispose() was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  #alive(op: string): void {
    if (this.#disposed) throw new TypeError(`${op}: the layer was disposed; prepare a new one`);
  }

  /** The plan of a stand-in input large enough for any padding: the kernel path does not depend on spatial sizes. */
  #planFor(op: string, wShape: readonly number[]): ConvPlan {
    const r = this.rank;
    const g = this.#geometry;
    const cl = g.layout === 'channels-last';
    const at = (v: unknown, a: number, dflt: number) => {
      const n = Array.isArray(v) ? Number(v[a]) : typeof v === 'number' ? v : dflt;
      return Number.isFinite(n) && n >= 0 ? n : dflt;
    };
    const kernel = wShape.length === r + 2 ? (cl ? wShape.slice(0, r) : wShape.slice(2)) : new Array<number>(r).fill(1);
    const spatial = kernel.map((k, a) => at(g.dilation, a, 1) * (k - 1) + 1 + 2 * at(g.padding, a, 0) + 1);
    const groups = typeof g.groups === 'number' ? g.groups : 1;
    const C = (wShape.length === r + 2 ? (cl ? wShape[r] : wShape[1]) : 1) * groups;
    const inShape = cl ? [1, ...spatial, C] : [1, C, ...spatial];
    return planConv(op, r, inShape, wShape, g);
  }

  #biasTensor(op: string, bias: unknown, plan: ConvPlan): Tensor | undefined {
    if (bias === undefined) return undefined;
    const b = asTensor(op, 'bias', bias);
    if (b.shape.length !== 1) throw rangeError(op, `bias must be 1-D, got shape [${b.shape.join(', ')}]`);
    if (b.shape[0] !== plan.outChannels) {
      throw rangeError(op, `bias has ${b.shape[0]} entries, expected ${plan.outChannels} (one per output channel)`);
    }
    return b;
  }

  /** The kernel path of a plan: conv's, except that non-finite weights keep Winograd off (as plain calls fall back). */
  #pathOf(plan: ConvPlan): ConvPath {
    const p = convPath(plan);
    return p === 'winograd' && this.#path === 'im2col' ? 'im2col' : p;
  }

  #pack(plan: ConvPlan, w: Float, bias: Float | number[] | undefined): void {
    let path = convPath(plan);
    // Winograd declines non-finite weights (as staged in the layer's dtype): plain calls then take im2col, so do we.
    if (path === 'winograd' && this.#nonFinite(w)) path = 'im2col';
    const dtype = this.dtype;
    const size = preparedSize(plan, dtype, path, bias !== undefined);
    const bpe = dtype === 'float32' ? 4 : 8;
    const Cout = plan.outChannels;
    const biasCopy = bias === undefined ? undefined : Array.isArray(bias) ? bias.slice() : bias.slice();
    if (this.backend === 'js') {
      const data = withBuffers(this.op, this.#backend, dtype, { blk: size, wraw: stagingSize(plan, path, w.length), braw: Cout }, (ws, at) => {
        packWeights(ws.mem, ws.k, plan, dtype, path, w, biasCopy, at.wraw, at.braw, at.blk, true, ws);
        return ws.mem.slice(at.blk, at.blk + size);
      });
      this.#pre = { data };
    } else {
      const arena = this.#held.arena!;
      const bytes = size * bpe;
      if (bytes > arena.available()) {
        throw rangeError(this.op, `the packed weights need ${bytes} bytes of wasm memory, more than the 4 GiB a wasm32 module can address`);
      }
      // The new block first (the old one stays valid if this throws), then the old one goes.
      const pointer = arena.persist(bytes);
      try {
        withBuffers(this.op, this.#backend, dtype, { wraw: stagingSize(plan, path, w.length), braw: Cout }, (ws, at) => {
          packWeights(ws.mem, ws.k, plan, dtype, path, w, biasCopy, at.wraw, at.braw, pointer / bpe, true, ws);
        });
      } catch (e) {
        arena.unpersist(pointer, bytes);
        throw e;
      }
      this.#free();
      this.#held.pointer = pointer;
      this.#held.bytes = bytes;
      this.#pre = { offset: pointer / bpe };
    }
    this.#path = path;
    this.#kind = packKind(plan, path);
    this.#bias = biasCopy;
    // Winograd falls back to the unpacked weights on a non-finite input: only it keeps them (a private copy).
    this.#raw = path === 'winograd' ? w.slice() : new Float64Array(0);
  }

  /** Whether the weights hold NaN or ±Infinity once in the layer's dtype: the scan kernel, on the layer's backend. */
  #nonFinite(w: Float): boolean {
    return withBuffers(this.op, this.#backend, this.dtype, { w: w.length }, (ws, at) => {
      ws.mem.set(w, at.w);
      return ws.k.nonFinite(ws.mem, at.w, w.length) !== 0;
    });
  }

  #free(): void {
    const h = this.#held;
    if (h.arena && h.bytes) h.arena.unpersist(h.pointer, h.bytes);
    h.bytes = 0;
  }
}

/** prepareConv1d/2d/3d: validate once, pack once. */
export function prepareConvNd(op: string, rank: number, weight: unknown, opts: unknown): PreparedConv {
  return new PreparedConv(op, rank, weight, opts);
}
