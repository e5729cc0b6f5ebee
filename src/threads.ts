// The thread pool: n − 1 workers, each with its own instance of the threads build over the one shared memory, and
// the calling thread as the n-th. An op splits its work into chunks fixed by the work alone (never by the thread
// count), and each thread runs a contiguous range of them: every output is computed by the same kernel calls
// whatever the count, so results are bit-identical for 1, 2 or n threads.
//
// A parallel region (`parallel`) runs the op's chunk body once per worker in *recording* mode: the wasm binders
// (src/kernels.ts) then append (export index, arguments) to a list instead of calling, and the lists go to the
// workers through a SharedArrayBuffer. The calling thread runs its own range directly, then takes (steals) every
// piece no worker has begun yet, then waits for the pieces workers are running. Each worker's range is recorded in up
// to PIECES pieces; a worker takes its pieces from the front, the calling thread from the back, running them with its
// own scratch slot. A worker that is slow to wake, slower on its cores, still starting, or dead therefore never
// stalls a call: its pieces run on the calling thread.
//
// Control words (Int32Array over a SharedArrayBuffer): [0] epoch, bumped once per region (workers wait on it);
// [1] stop; [2] a kernel failed in a worker; then per worker t (from 1) four words at 4·t + 4: claim (0 open,
// 1 running, 2 done), where its table of pieces starts in `calls`, its number of pieces, and the pieces not begun
// yet, [front, back) as front·2¹⁶ + back. The table holds the start of each piece's calls and the end of the last.
import type { WasmModule } from './wasm';

export const EPOCH = 0;
export const STOP = 1;
const FAILED = 2;
export const slot = (t: number) => 4 * t + 4;
const OPEN = 0;
const RUNNING = 1;
export const DONE = 2;
/**
 * Milliseconds a thread spins on a control word before it sleeps in Atomics.wait: the calling thread waiting for a
 * worker's share, a worker waiting for the next region (waking from Atomics.wait took 0.1–0.3 ms here).
 */
export const SPIN_MS = 2;
/** Milliseconds a worker may run one list before the call gives up on the pool (it then runs on one thread). */
const STALL_MS = 120_000;

/**
 * The split's two sizes. `chunkWork`: multiply-adds per chunk, at least (a chunk is one or a few kernel calls, ~50 µs
 * or more of work). `minWork`: below it a call stays on one thread. Measured (`THREADS_BENCH_SWEEP=1 npm run bench --
 * threads`, 2 threads against 1): conv2d 32→32 3×3 at 2.4 / 4.9 / 9.4 / 18.7 M multiply-adds 1.01 / 0.88 / 1.01 /
 * 1.16×, depthwise at 1.7 M 1.09×, 1-D direct at 4.2 M 0.89×: splitting pays from about 8 M here. Tests lower both to
 * split small random shapes; `regions` counts the regions handed to workers.
 */
export const tuning = { chunkWork: 1 << 20, minWork: 1 << 23, regions: 0 };

/** While a region records a worker's list: the binders append to it instead of calling the export. */
export const recording: { list: number[] | null } = { list: null };

/** Doubles of recorded calls one region may pass to the workers (512 KiB); a region needing more runs inline. */
export const CALLS_CAPACITY = 65536;

export interface WorkerHandle {
  terminate(): void;
}

export interface Pool {
  /** Threads, the calling one included. */
  size: number;
  workers: WorkerHandle[];
  ctrl: Int32Array;
  calls: Float64Array;
  /** Set when a worker died or stalled: the pool is no longer used, and why. */
  broken?: string;
  /** Pack-buffer blocks given to the workers (persistent arena blocks), released by `stopPool`. */
  blocks: number[];
}

const indexes = new WeakMap<object, Map<string, number>>();
/** The module's exported functions by name → index in sorted order: the same in every instance of one compiled module. */
export function exportIndex(m: WasmModule): Map<string, number> {
  let index = indexes.get(m.compiled);
  if (!index) {
    const ex = m.exports as unknown as Record<string, unknown>;
    const names = Object.keys(ex).filter((k) => typeof ex[k] === 'function').sort();
    index = new Map(names.map((k, i) => [k, i]));
    indexes.set(m.compiled, index);
  }
  return index;
}

let canWait: boolean | undefined;
/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function blockingWaitAllowed(): boolean {
  if (canWait === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      canWait = true;
    } catch {
      canWait = false;
    }
  }
  return canWait;
}

/**
 * Pieces a worker's range is recorded in, at most. The calling thread, done with its own range, takes the pieces a
 * worker has not begun from the back: shape A's forward on 2 threads waited 0.4 ms a call for a worker whose equal
 * share ran 25 % slower than the calling thread's. Fewer pieces keep more of a range in one kernel call (Chunks.runs).
 */
const PIECES = 8;

/**
 * Run `chunks` chunks of an op on up to `threads` threads: thread t (0 the calling one) runs chunks
 * [⌊t·chunks/n⌋, ⌊(t+1)·chunks/n⌋) through `body(c0, c1, t)`, which may only call kernels (no JS reads of results
 * inside: a worker's body is recorded, not run, on the calling thread) and uses scratch slot t.
 */
export function parallel(m: WasmModule | undefined, threads: number, chunks: number, body: (c0: number, c1: number, slot: number) => void): void {
  const pool = m?.pool;
  const n = Math.min(threads, chunks, pool?.size ?? 1);
  if (!pool || pool.broken || n <= 1) {
    body(0, chunks, 0);
    return;
  }
  const lo = (t: number) => Math.floor((t * chunks) / n);
  // Piece i of worker t's range, of k: chunks [piece(t, i, k), piece(t, i + 1, k)).
  const piece = (t: number, i: number, k: number) => lo(t) + Math.floor((i * (lo(t + 1) - lo(t))) / k);
  const lists: number[][][] = [];
  try {
    for (let t = 1; t < n; t++) {
      const k = Math.min(PIECES, lo(t + 1) - lo(t));
      const pieces: number[][] = [];
      for (let i = 0; i < k; i++) {
        recording.list = [];
        body(piece(t, i, k), piece(t, i + 1, k), t);
        pieces.push(recording.list);
      }
      lists.push(pieces);
    }
  } finally {
    recording.list = null;
  }
  const total = lists.reduce((s, l) => s + l.length + 1 + l.reduce((a, p) => a + p.length, 0), 0);
  if (total > CALLS_CAPACITY) {
    // Too many calls to pass: the same chunks, with the same scratch slots, one after the other.
    for (let t = 0; t < n; t++) body(lo(t), lo(t + 1), t);
    return;
  }
  const { ctrl, calls } = pool;
  let at = 0;
  for (let t = 1; t < n; t++) {
    const pieces = lists[t - 1];
    const k = pieces.length;
    const table = at;
    at += k + 1;
    for (let i = 0; i < k; i++) {
      calls[table + i] = at;
      calls.set(pieces[i], at);
      at += pieces[i].length;
    }
    calls[table + k] = at;
    ctrl[slot(t) + 1] = table;
    ctrl[slot(t) + 2] = k;
    ctrl[slot(t) + 3] = k; // pieces [0, k) not begun
    Atomics.store(ctrl, slot(t), OPEN); // after the pieces are written: a worker claims only an open slot
  }
  Atomics.add(ctrl, EPOCH, 1);
  Atomics.notify(ctrl, EPOCH);
  tuning.regions++;
  try {
    body(lo(0), lo(1), 0);
  } finally {
    // A piece taken from a worker runs here with this thread's scratch slot (0, free again).
    finish(pool, n, (t, i) => body(piece(t, i, ctrl[slot(t) + 2]), piece(t, i + 1, ctrl[slot(t) + 2]), 0));
  }
}

/**
 * Run the pieces no worker has begun (from the back of each worker's range), wait for the pieces workers are running,
 * and report a failed worker kernel.
 */
function finish(pool: Pool, n: number, run: (t: number, piece: number) => void): void {
  const { ctrl } = pool;
  let failure: unknown;
  for (let t = n - 1; t >= 1; t--) {
    const range = slot(t) + 3;
    for (;;) {
      const v = Atomics.load(ctrl, range);
      const front = v >>> 16;
      const back = v & 0xffff;
      if (front >= back) break;
      if (Atomics.compareExchange(ctrl, range, v, (front << 16) | (back - 1)) !== v) continue;
      try {
        run(t, back - 1);
      } catch (e) {
        failure ??= e;
      }
    }
    // A worker that has not woken yet finds its slot closed and skips this region.
    Atomics.compareExchange(ctrl, slot(t), OPEN, DONE);
  }
  // Every claimed list is waited for, even after a failure: the call's scratch memory is released only then.
  const block = blockingWaitAllowed();
  for (let t = 1; t < n; t++) {
    const started = Date.now();
    // Spin first (a worker's share usually ends within a millisecond of ours), then sleep where this thread may block.
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(ctrl, slot(t)) !== DONE && performance.now() < spinUntil);
    while (Atomics.load(ctrl, slot(t)) !== DONE) {
      if (block) Atomics.wait(ctrl, slot(t), RUNNING, 1000);
      if (Date.now() - started > STALL_MS) {
        pool.broken = `worker ${t} did not finish within ${STALL_MS / 1000} s`;
        throw new Error(`thread pool: ${pool.broken}; the pool is no longer used (init({ threads }) starts a new one)`);
      }
    }
  }
  if (failure !== undefined) throw failure;
  if (Atomics.load(ctrl, FAILED)) {
    Atomics.store(ctrl, FAILED, 0);
    throw new Error('thread pool: a kernel failed in a worker thread');
  }
}

/** Chunks per region, at most (enough to share among 64 threads evenly enough). */
const MAX_CHUNKS = 64;

/** A split of `total` items into `chunks` chunks (see chunking). */
export interface Chunks {
  chunks: number;
  /** Where chunk c starts (`at(chunks)` = total). */
  at(c: number): number;
  /**
   * For a region that repeats this split over several planes, groups or images (chunk c of `outer · chunks`): which
   * one, and the items [start, end) of its chunk.
   */
  of(c: number): [outer: number, start: number, end: number];
  /**
   * Chunks [c0, c1) of such a region merged into runs: one fn(outer, start, end) per outer index they touch, over
   * all of its chunks among them. For kernels that compute every output the same way wherever their range is cut
   * (a GEMM's rows or weight panels): a thread then makes one call where it made one per chunk, each re-reading the
   * packed weights (a 256-channel 1×1 layer ran 12 GEMMs of 16 columns on one thread, 8 % slower than one).
   */
  runs(c0: number, c1: number, fn: (outer: number, start: number, end: number) => void): void;
}

/**
 * Split `total` items (rows, planes, columns) of a call doing `work` multiply-adds into chunks of whole multiples of
 * `align` items: the count depends on the work alone, never on the threads, so the same calls run for every thread
 * count.
 */
export function chunking(total: number, work: number, align = 1): Chunks {
  const units = Math.ceil(total / align);
  const chunks = Math.max(1, Math.min(MAX_CHUNKS, units, Math.floor(work / tuning.chunkWork)));
  const at = (c: number) => Math.min(total, Math.round((c * units) / chunks) * align);
  const runs = (c0: number, c1: number, fn: (outer: number, start: number, end: number) => void) => {
    for (let c = c0; c < c1;) {
      const outer = Math.floor(c / chunks);
      const end = Math.min(c1, (outer + 1) * chunks);
      fn(outer, at(c - outer * chunks), at(end - outer * chunks));
      c = end;
    }
  };
  return { chunks, at, of: (c) => [Math.floor(c / chunks), at(c % chunks), at((c % chunks) + 1)], runs };
}

/** Items [from, to) of rows `len` items long, as pieces that never cross a row: fn(row, first item in it, count). */
export function pieces(from: number, to: number, len: number, fn: (row: number, j: number, m: number) => void): void {
  for (let i = from; i < to;) {
    const j = i % len;
    const m = Math.min(len - j, to - i);
    fn(Math.floor(i / len), j, m);
    i += m;
  }
}
