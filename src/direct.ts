// Direct N-D cross-correlation from a plan. Every direct op (scipy.signal, numpy, convolve2d, ndimage) lowers to:
//   xp[i] = x[i + lo]  (through the boundary mode),   out[o] = Σ_j xp[o + j] · h'[j],   h' = h or h reversed
// on every axis (convolution). Ranks ≥ 2 run as sums of 2-D valid correlations over the leading axes.
import { ctorOf, product, stridesOf, uninitialized, type DType, type Float } from './arrays';
import { rangeError } from './errors';
import { narrowed, tapTable, tapTableSize, widening } from './kernels/corr';
import { indexMap, padInto, sourceIndex, type Extension } from './boundary';
import { scanNonFinite } from './nonfinite';
import type { BackendOption } from './plan';
import { chunking } from './threads';
import { backendFor, copyOut, oneThread, planBackend, threadsFor, tooSmallToSplit, withWorkspace, type Backend, type Workspace } from './workspace';

export interface DirectPlan {
  dtype: DType;
  xShape: number[];
  hShape: number[];
  outShape: number[];
  /** Per axis, the input index that padded position 0 reads (negative: padding in front). */
  lo: number[];
  mode: Extension;
  cval: number;
  /** Convolution: the kernel reversed on every axis (for a C-order array, the flat data reversed). */
  flip: boolean;
  /**
   * The type of the scratch memory, and of the dense kernel's sums (default: dtype). With 'float64' for a float32
   * result, every sum runs in double and is rounded once, as it is stored.
   */
  sum?: DType;
  /**
   * Sum only these taps, in this order, in double whatever the dtype (the corrTaps kernel: scipy.ndimage's
   * arithmetic): flat C-order indices into the kernel as it is applied (reversed for convolution). Without it the
   * dense kernel sums every tap.
   */
  taps?: readonly number[];
}

/**
 * The plan of a slice of the full correlation: out[o] = full[o + start] per axis, where full index k reads the input
 * from k − (N − 1) (N the kernel length). Every mode of every op is such a slice; only `start` differs between them.
 */
export function fullSlicePlan(
  dtype: DType, xShape: number[], hShape: number[], outShape: number[], start: readonly number[], flip: boolean,
  mode: Extension = 'constant', cval = 0,
): DirectPlan {
  return { dtype, xShape, hShape, outShape, lo: start.map((s, a) => s - (hShape[a] - 1)), mode, cval, flip };
}

/**
 * Run a plan on one backend; returns the output in a fresh array (never a view of scratch memory), or in `into`
 * when given (an array of the plan's dtype and output size that shares no memory with x or h). `stripElements` is
 * the scratch budget of one strip of a rank-2 plan (tests shrink it to get many strips from small shapes).
 */
export function runDirect(op: string, backend: BackendOption, plan: DirectPlan, x: Float, h: Float, into?: Float, stripElements = STRIP_ELEMENTS): Float {
  return directOn(op, planBackend(op, backend), plan, x, h, into, stripElements);
}

function directOn(op: string, be: Backend, plan: DirectPlan, x: Float, h: Float, into?: Float, stripElements = STRIP_ELEMENTS): Float {
  // Outputs beyond 2^27 elements keep the whole-image path, whose workspace check refuses what cannot fit.
  if (plan.xShape.length === 2 && product(plan.outShape) <= STRIP_MAX_OUTPUT) return runStrips2d(op, be, plan, x, h, into, stripElements);
  const padShape = plan.outShape.map((o, a) => o + plan.hShape[a] - 1);
  const nx = product(padShape);
  const nh = product(plan.hShape);
  const nOut = product(plan.outShape);
  const { taps } = plan;
  const sum = plan.sum ?? plan.dtype;
  const kernelSize = taps ? tapTableSize(ctorOf(sum).BYTES_PER_ELEMENT, taps.length) : nh;
  // correlateTaps and correlateValid split outputs × taps multiply-adds (ws.threadsFor).
  const small = tooSmallToSplit(nOut * (taps ? taps.length : nh));
  return withWorkspace(op, small ? oneThread(be) : be, sum, [nx, kernelSize, nOut], (ws) => {
    const [xo, ho, oo] = ws.off;
    const { mem } = ws;
    padInto(mem, xo, x, plan.xShape, padShape, plan.lo, plan.mode, plan.cval);
    if (taps) {
      writeTaps(mem, ho, plan, h, stridesOf(padShape));
      correlateTaps(ws, xo, padShape, ho, taps.length, oo, plan.outShape);
    } else {
      writeKernel(mem, ho, plan, h);
      correlateValid(ws, xo, padShape, ho, plan.hShape, oo, plan.outShape);
    }
    return copyOut(...stored(ws, plan, oo, nOut), into ?? uninitialized(plan.dtype, nOut));
  });
}

/**
 * Where n results at mem[at …] can be copied out from as the plan's dtype: double sums for a float32 result are
 * first narrowed in place by a kernel ([array, start, n] for copyOut).
 */
function stored(ws: Workspace, plan: DirectPlan, at: number, n: number): [Float, number, number] {
  if ((plan.sum ?? plan.dtype) === plan.dtype) return [ws.mem, at, n];
  ws.k.narrow(ws.mem, at, n);
  return [narrowed(ws.mem, at, n), 0, n];
}

/** The kernel at mem[at …], reversed for convolution. */
function writeKernel(mem: Float, at: number, plan: DirectPlan, h: Float): void {
  const nh = h.length;
  if (plan.flip) {
    for (let i = 0; i < nh; i++) mem[at + i] = h[nh - 1 - i];
  } else {
    mem.set(h, at);
  }
}

/**
 * The float64 tap table of corrTaps at mem[at …]: the weights of plan.taps in order (as given: float64 weights stay
 * float64 for a float32 input), then each tap's element offset in a padded input whose axes are `xStrides` apart.
 */
function writeTaps(mem: Float, at: number, plan: DirectPlan, h: Float, xStrides: readonly number[]): void {
  const taps = plan.taps!;
  const n = taps.length;
  const table = tapTable(mem, at, n);
  const { hShape } = plan;
  const hs = stridesOf(hShape);
  const nh = h.length;
  for (let i = 0; i < n; i++) {
    const t = taps[i];
    table[i] = h[plan.flip ? nh - 1 - t : t];
    let d = 0;
    for (let a = 0; a < hs.length; a++) d += (Math.floor(t / hs[a]) % hShape[a]) * xStrides[a];
    table[n + i] = d;
  }
}

/**
 * A rank-1 plan with NumPy's sums (into `into` when given, as runDirect): only the products of overlapping samples,
 * never a kernel tap times the zeros around the input. The padded plan computes the same except where a tap is NaN or
 * ±Infinity (0·∞ is NaN): then, as the non-finite policy says (src/nonfinite.ts, path 'numpy'), every output sums
 * only the taps that overlap the input, by the corr2d kernel.
 */
export function runDirectOverlap(op: string, backend: BackendOption, plan: DirectPlan, x: Float, h: Float, into?: Float): Float {
  const be = planBackend(op, backend);
  return scanNonFinite(op, be, h) ? overlapSums(op, be, plan, x, h, into) : directOn(op, be, plan, x, h, into);
}

/**
 * NumPy's sums of a rank-1 plan, each output over its overlapping taps only: output o multiplies tap t of the
 * (reversed, for convolution) kernel with x[o + t + lo], for t in [max(0, −(o + lo)), min(N, M − o − lo)). The outputs
 * that overlap every tap run as one kernel call; each edge output (at most N − 1 a side) runs as a call of its own
 * taps. The input is staged unpadded.
 */
function overlapSums(op: string, be: Backend, plan: DirectPlan, x: Float, h: Float, into?: Float): Float {
  const n = plan.outShape[0];
  const m = x.length;
  const nh = h.length;
  const lo = plan.lo[0];
  // Never split: on the one-thread build while a pool runs.
  return withWorkspace(op, oneThread(be), plan.dtype, [m, nh, n], (ws) => {
    const [xo, ho, oo] = ws.off;
    const { mem, k } = ws;
    mem.set(x, xo);
    writeKernel(mem, ho, plan, h);
    // Outputs [a, b) see every tap: o + lo ≥ 0 and o + lo + N ≤ M.
    const a = Math.min(n, Math.max(0, -lo));
    const b = Math.max(a, Math.min(n, m - nh - lo + 1));
    if (b > a) k.corr2d(mem, xo + a + lo, m, ho, 1, nh, oo + a, 1, b - a, b - a, 0);
    for (let o = 0; o < n; o++) {
      if (o === a && b > a) o = b;
      if (o >= n) break;
      const t0 = Math.max(0, -(o + lo));
      const t1 = Math.min(nh, m - o - lo);
      if (t1 <= t0) mem[oo + o] = 0;
      else k.corr2d(mem, xo + o + t0 + lo, m, ho + t0, 1, t1 - t0, oo + o, 1, 1, 1, 0);
    }
    return copyOut(mem, oo, n, into ?? uninitialized(plan.dtype, n));
  });
}

/**
 * out = the listed taps' correlation of the padded x (tap table at `taps`, see writeTaps), all C-order buffers inside
 * ws.mem: one kernel call per 2-D slice of the output, each tap's offset reaching across every axis.
 */
function correlateTaps(ws: Workspace, x: number, xShape: number[], taps: number, n: number, out: number, outShape: number[]): void {
  const d = outShape.length;
  const { k, mem } = ws;
  if (d === 1) {
    k.corrTaps(mem, x, 0, taps, n, out, 1, outShape[0], outShape[0]);
    return;
  }
  const xs = stridesOf(xShape);
  const os = stridesOf(outShape);
  const lead = outShape.slice(0, d - 2);
  const ls = stridesOf(lead);
  // Chunks of rows of every 2-D slice (a row's sums do not depend on where its chunk starts).
  const rows = outShape[d - 2];
  const slices = product(lead);
  const work = slices * rows * outShape[d - 1] * n;
  const sp = chunking(rows, work / slices, 2);
  ws.parallel(ws.threadsFor(work), slices * sp.chunks, (c0, c1) => {
    for (let c = c0; c < c1; c++) {
      const [s, r0, r1] = sp.of(c);
      let xi = x;
      let oi = out;
      for (let a = 0; a < d - 2; a++) {
        const i = Math.floor(s / ls[a]) % lead[a];
        xi += i * xs[a];
        oi += i * os[a];
      }
      k.corrTaps(mem, xi + r0 * xs[d - 2], xs[d - 2], taps, n, oi + r0 * os[d - 2], r1 - r0, outShape[d - 1], os[d - 2]);
    }
  });
}

/** One 2-D slice of a valid correlation: input row stride, kernel rows × columns, output rows × columns. */
export interface SliceGeometry {
  xStride: number;
  kh: number;
  kw: number;
  oh: number;
  ow: number;
}

/**
 * The 2-D slices whose sums make an N-D valid correlation (rank 1 is one 1 × n slice): for each, the element offsets of
 * its input, kernel and output planes from the arrays' starts, and whether it adds to the sums of an earlier slice.
 */
export function eachValidSlice(xShape: number[], hShape: number[], outShape: number[],
  run: (g: SliceGeometry, xo: number, ho: number, oo: number, acc: number) => void): void {
  const d = xShape.length;
  if (d === 1) {
    run({ xStride: xShape[0], kh: 1, kw: hShape[0], oh: 1, ow: outShape[0] }, 0, 0, 0, 0);
    return;
  }
  const xs = stridesOf(xShape);
  const hs = stridesOf(hShape);
  const os = stridesOf(outShape);
  const g = { xStride: xShape[d - 1], kh: hShape[d - 2], kw: hShape[d - 1], oh: outShape[d - 2], ow: outShape[d - 1] };
  const rec = (a: number, xo: number, ho: number, oo: number, acc: number): void => {
    if (a === d - 2) {
      run(g, xo, ho, oo, acc);
      return;
    }
    for (let o = 0; o < outShape[a]; o++) {
      for (let j = 0; j < hShape[a]; j++) {
        rec(a + 1, xo + (o + j) * xs[a], ho + j * hs[a], oo + o * os[a], acc || j > 0 ? 1 : 0);
      }
    }
  };
  rec(0, 0, 0, 0, 0);
}

/**
 * eachValidSlice, with each slice's output rows (its columns in 1-D) in chunks shared among the pool's threads:
 * `run` gets the chunk's geometry and offsets. Every chunk runs all slices in their order, so each output sums the
 * same slices in the same order whatever the split.
 */
export function eachValidChunk(ws: Workspace, xShape: number[], hShape: number[], outShape: number[],
  run: (g: SliceGeometry, xo: number, ho: number, oo: number, acc: number) => void): void {
  const d = xShape.length;
  const work = product(outShape) * product(hShape);
  const oneD = d === 1;
  const sp = chunking(oneD ? outShape[0] : outShape[d - 2], work, oneD ? 64 : 2);
  ws.parallel(ws.threadsFor(work), sp.chunks, (c0, c1) => {
    for (let c = c0; c < c1; c++) {
      const a = sp.at(c);
      const n = sp.at(c + 1) - a;
      eachValidSlice(xShape, hShape, outShape, (g, xo, ho, oo, acc) => {
        if (oneD) run({ ...g, ow: n }, xo + a, ho, oo + a, acc);
        else run({ ...g, oh: n }, xo + a * g.xStride, ho, oo + a * g.ow, acc);
      });
    }
  });
}

/** out = valid correlation of the padded x with h, all C-order buffers inside ws.mem. */
export function correlateValid(ws: Workspace, x: number, xShape: number[], h: number, hShape: number[], out: number, outShape: number[]): void {
  const { k, mem } = ws;
  eachValidChunk(ws, xShape, hShape, outShape, (g, xo, ho, oo, acc) =>
    k.corr2d(mem, x + xo, g.xStride, h + ho, g.kh, g.kw, out + oo, g.oh, g.ow, g.ow, acc));
}

const STRIP_MAX_OUTPUT = 1 << 27;

/** Elements of scratch (input rows + output rows) one strip aims at: small enough to stay in a core's L2. */
const STRIP_ELEMENTS = 1 << 16;

/** With a thread pool, strips this many times larger (4 M elements): few regions, each with chunks enough to share out. */
const THREAD_STRIP_FACTOR = 64;

/**
 * Rank 2 in strips of output rows: each strip's input rows are copied into scratch, correlated, and the output rows
 * copied straight to the result, so neither scratch buffer leaves the cache (whole-image buffers would make three
 * extra trips through memory, which cost as much as the arithmetic of a 3×3 filter).
 *
 * Padding is split by columns. Output columns [cA, cB) read only columns inside the input, so for them the strip's
 * rows are copied unpadded, with one `set` per run of consecutive source rows; only the few edge columns either side
 * (the kernel's overhang) go through a small padded buffer gathered element by element. When no column is interior
 * (a kernel wider than the input), the left edge block is the whole width.
 */
function runStrips2d(
  op: string, backend: Backend, plan: DirectPlan, x: Float, h: Float, into: Float | undefined, stripElements: number,
): Float {
  const [oh, ow] = plan.outShape;
  const [kh, kw] = plan.hShape;
  const [xh, xw] = plan.xShape;
  const [lo0, lo1] = plan.lo;
  // Output column c reads input columns c + lo1 … c + lo1 + kw − 1.
  let cA = Math.min(ow, Math.max(0, -lo1));
  let cB = Math.min(ow, xw - kw + 1 - lo1);
  if (cB <= cA) cA = cB = ow;
  const leftW = cA + kw - 1; // padded widths of the two edge blocks
  const rightW = cB < ow ? ow - cB + kw - 1 : 0;
  const mainW = cA < ow ? xw : 0;
  const leftCols = indexMap(leftW, lo1, xw, plan.mode);
  const rightCols = indexMap(rightW, cB + lo1, xw, plan.mode);
  // An even number of rows (the kernel pairs output rows); never so few that re-reading the kh − 1 halo rows dominates.
  const perRow = mainW + leftW + rightW + ow;
  const { taps } = plan;
  const nt = taps ? taps.length : 0;
  // With a pool, strips THREAD_STRIP_FACTOR times larger (a whole 1024² image), each strip's rows computed in chunks by
  // the threads (the copies in and out stay on the calling thread: they read and write the caller's arrays). Cache-
  // sized strips made a region per strip, each with as few as two chunks, and the workers idle through every strip's
  // copies: 1024² 7×7 ran 1.24× on two threads. Only where the arithmetic outweighs the copies: at fewer than 16
  // products an output they bound the time, and splitting measured slower (1024² 3×3: 0.6–0.76× of one thread).
  const perOutput = taps ? nt : kh * kw;
  const work = oh * ow * perOutput;
  const T = perOutput >= 16 ? threadsFor(op, backend, work) : 1;
  let rows = Math.max(4, Math.floor((T > 1 ? THREAD_STRIP_FACTOR * stripElements : stripElements) / perRow / 4) * 4, 2 * (kh - 1));
  if (rows >= oh) rows = oh;
  const inRows = rows + kh - 1;
  const sum = plan.sum ?? plan.dtype;
  // The tap table is written once per block width (main, left, right): a tap's offset depends on the row length.
  const table = tapTableSize(ctorOf(sum).BYTES_PER_ELEMENT, nt);
  const be = backendFor(backend, T);
  return withWorkspace(op, be, sum, [inRows * mainW, inRows * leftW, inRows * rightW, taps ? 3 * table : kh * kw, rows * ow], (ws) => {
    const [mo, lo, ro, ho, oo] = ws.off;
    const { mem, k } = ws;
    let result: Float;
    try {
      result = into ?? uninitialized(plan.dtype, oh * ow);
    } catch {
      throw rangeError(op, `the output of ${oh * ow} elements is more than a typed array can hold`);
    }
    if (taps) {
      writeTaps(mem, ho, plan, h, [mainW, 1]);
      writeTaps(mem, ho + table, plan, h, [leftW, 1]);
      writeTaps(mem, ho + 2 * table, plan, h, [rightW, 1]);
    } else {
      writeKernel(mem, ho, plan, h);
    }
    // One block of n output rows and w columns from the padded rows at xp, `stride` apart (table t of the taps).
    const run = (xp: number, stride: number, t: number, op: number, n: number, w: number) => {
      if (taps) {
        k.corrTaps(mem, xp, stride, ho + table * t, nt, op, n, w, ow);
      } else {
        k.corr2d(mem, xp, stride, ho, kh, kw, op, n, w, ow, 0);
      }
    };
    // The constant rows go through float32 too: only when that keeps the constant's value (NaN stays NaN).
    const widen = x instanceof Float32Array && mem instanceof Float64Array && !(Math.fround(plan.cval) !== plan.cval && plan.cval === plan.cval);
    const rowMap = new Int32Array(inRows);
    // Output rows [a, b) of the strip: the interior columns, then the edge blocks.
    const block = (a: number, b: number) => {
      if (mainW > 0) run(mo + a * xw + cA + lo1, xw, 0, oo + a * ow + cA, b - a, cB - cA);
      if (cA > 0 || mainW === 0) run(lo + a * leftW, leftW, 1, oo + a * ow, b - a, cA);
      if (rightW > 0) run(ro + a * rightW, rightW, 2, oo + a * ow + cB, b - a, ow - cB);
    };
    for (let r0 = 0; r0 < oh; r0 += rows) {
      const n = Math.min(rows, oh - r0);
      const m = n + kh - 1;
      for (let i = 0; i < m; i++) rowMap[i] = sourceIndex(lo0 + r0 + i, xh, plan.mode);
      const rm = rowMap.subarray(0, m);
      if (mainW > 0) {
        if (widen) {
          // float32 rows into double scratch: copied as float32, then widened in place by a kernel.
          copyRows(widening(mem, mo, m * xw), 0, x, xw, rm, plan.cval);
          k.widen(mem, mo, m * xw);
        } else {
          copyRows(mem, mo, x, xw, rm, plan.cval);
        }
      }
      if (cA > 0 || mainW === 0) gather(mem, lo, x, xw, rm, leftCols, plan.cval);
      if (rightW > 0) gather(mem, ro, x, xw, rm, rightCols, plan.cval);
      if (T > 1) {
        const sp = chunking(n, n * ow * perOutput, 2);
        ws.parallel(T, sp.chunks, (c0, c1) => {
          for (let c = c0; c < c1; c++) block(sp.at(c), sp.at(c + 1));
        });
      } else {
        block(0, n);
      }
      const [src, start] = stored(ws, plan, oo, n * ow);
      result.set(src.subarray(start, start + n * ow), r0 * ow);
    }
    return result;
  });
}

/** dst rows = whole source rows rows[i] (the constant for −1), one `set` per run of consecutive source rows. */
function copyRows(dst: Float, off: number, src: Float, w: number, rows: Int32Array, cval: number): void {
  for (let i = 0; i < rows.length; ) {
    const s = rows[i];
    let j = i + 1;
    if (s < 0) {
      while (j < rows.length && rows[j] < 0) j++;
      dst.fill(cval, off + i * w, off + j * w);
    } else {
      while (j < rows.length && rows[j] === s + (j - i)) j++;
      dst.set(src.subarray(s * w, (s + j - i) * w), off + i * w);
    }
    i = j;
  }
}

/** dst[i, j] = src[rows[i], cols[j]] (the constant where either is −1): the narrow edge blocks. */
function gather(dst: Float, off: number, src: Float, w: number, rows: Int32Array, cols: Int32Array, cval: number): void {
  const cw = cols.length;
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * w;
    const d = off + i * cw;
    if (rows[i] < 0) {
      dst.fill(cval, d, d + cw);
      continue;
    }
    for (let j = 0; j < cw; j++) dst[d + j] = cols[j] < 0 ? cval : src[base + cols[j]];
  }
}
