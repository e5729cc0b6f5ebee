// The thread pool: n − 1 workers, each with its own instance of the threads build over the one shared memory, and
// the calling thread as the n-th. An op splits its work into chunks fixed by the work alone (never by the thread
// count), and each thread runs a contiguous range of them: every output is computed by the same kernel calls
// whatever the count, so results are bit-identical for 1, 2 or n threads.
//
// A parallel region (`parallel`) runs the op's chunk body once per worker in *recording* mode: the wasm binders
// (src/kernels.ts) then append (export index, arguments) to a list instead of calling, and the lists go to the
// workers through a SharedArrayBuffer. The calling thread runs its own range directly, then takes (steals) every
// list no worker has claimed yet, then waits for the lists workers are running. A worker that is slow to wake, still
// starting, or dead therefore never stalls a call: its list runs on the calling thread.
//
// Control words (Int32Array over a SharedArrayBuffer): [0] epoch, bumped once per region (workers wait on it);
// [1] stop; [2] a kernel failed in a worker; then per worker t (from 1) four words at 4·t + 4: claim (0 open,
// 1 running, 2 done), first and end index of its list in `calls`, ready.
import type { WasmModule } from './wasm';

const EPOCH = 0;
const STOP = 1;
const FAILED = 2;
const slot = (t: number) => 4 * t + 4;
const OPEN = 0;
const RUNNING = 1;
const DONE = 2;
/** Doubles of recorded calls one region may pass to the workers (512 KiB); a region needing more runs inline. */
const CALLS_CAPACITY = 65536;
/** Milliseconds a worker may run one list before the call gives up on the pool (it then runs on one thread). */
const STALL_MS = 120_000;

/**
 * The split's two sizes. `chunkWork`: multiply-adds per chunk, at least (a chunk is one or a few kernel calls, ~50 µs
 * or more of work). `minWork`: below it a call stays on one thread (a dispatch costs ~40–80 µs, about what 2 M
 * multiply-adds take on one core). Tests lower both to split small random shapes; `regions` counts the regions
 * handed to workers.
 */
export const tuning = { chunkWork: 1 << 20, minWork: 1 << 21, regions: 0 };

/** While a region records a worker's list: the binders append to it instead of calling the export. */
export const recording: { list: number[] | null } = { list: null };

interface WorkerHandle {
  terminate(): void;
}

export interface Pool {
  /** Threads, the calling one included. */
  size: number;
  workers: WorkerHandle[];
  ctrl: Int32Array;
  calls: Float64Array;
  /** Export names by index, the same in every instance (one compiled module). */
  names: string[];
  index: Map<string, number>;
  /** The calling thread's functions, by index (to run lists no worker claimed). */
  fns: ((...args: number[]) => unknown)[];
  /** Set when a worker died or stalled: the pool is no longer used, and why. */
  broken?: string;
  /** Pack-buffer blocks given to the workers (persistent arena blocks), released by `stopPool`. */
  blocks: number[];
}

// The worker's whole program, as a string: it runs from a Blob URL in browsers and from `eval` in Node, so no bundler
// needs to find a worker file. It instantiates the module over the shared memory, then waits for epochs.
const WORKER_SOURCE = `'use strict';
function start(d, post) {
  const ex = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
  ex.setPackBuffer(d.pack);
  const fns = d.names.map((n) => ex[n]);
  const ctrl = new Int32Array(d.ctrl);
  const calls = new Float64Array(d.calls);
  const at = 4 * d.id + 4;
  let seen = Atomics.load(ctrl, 0);
  Atomics.store(ctrl, at + 3, 1);
  post('ready');
  for (;;) {
    Atomics.wait(ctrl, 0, seen);
    const e = Atomics.load(ctrl, 0);
    if (e === seen) continue;
    seen = e;
    if (Atomics.load(ctrl, 1) !== 0) return;
    if (Atomics.compareExchange(ctrl, at, 0, 1) !== 0) continue;
    try {
      for (let i = ctrl[at + 1], end = ctrl[at + 2]; i < end;) {
        const argc = calls[i + 1];
        fns[calls[i]].apply(null, calls.subarray(i + 2, i + 2 + argc));
        i += 2 + argc;
      }
    } catch (err) {
      Atomics.store(ctrl, 2, 1);
    }
    Atomics.store(ctrl, at, 2);
    Atomics.notify(ctrl, at);
  }
}
if (typeof require === 'function') {
  const wt = require('node:worker_threads');
  start(wt.workerData, (m) => wt.parentPort.postMessage(m));
} else {
  self.onmessage = (e) => { start(e.data, (m) => self.postMessage(m)); self.close(); };
}
`;

type NodeWorkerThreads = {
  Worker: new (src: string, o: { eval: true; workerData: unknown }) => {
    unref(): void; terminate(): Promise<number>; once(ev: string, f: (v: unknown) => void): void; on(ev: string, f: (v: unknown) => void): void;
  };
};

function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const p = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (!p?.versions?.node) return undefined;
  return p.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
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

/** Why this engine cannot run a pool, or undefined where it can (checked before any worker starts). */
export function threadsRefusal(): string | undefined {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return 'this engine has no SharedArrayBuffer' + (globalThis.crossOriginIsolated === false
      ? ': the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
      : '');
  }
  if (globalThis.crossOriginIsolated === false) {
    return 'the page is not cross-origin isolated: serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';
  }
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (p?.versions?.node) {
    if (!nodeWorkerThreads()) return 'node:worker_threads is not available (process.getBuiltinModule needs Node ≥ 20.16)';
  } else if (typeof Worker !== 'function') {
    return 'this context has no Worker';
  }
  return undefined;
}

/** The engine's hardware concurrency (init({ threads: 'auto' })). */
export function hardwareThreads(): number {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (p?.versions?.node) {
    const os = (p as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:os') as
      { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
    if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, n ?? 1);
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
 * Start n − 1 workers over module `m` (a threads build), each given a pack buffer of `packBytes` from
 * `persist`. Resolves once every worker has instantiated; `onDeath` is told when one exits or fails.
 */
export function startPool(
  m: WasmModule, n: number, packBytes: number, persist: (bytes: number) => number, onDeath: (why: string) => void,
): { pool: Pool; ready: Promise<void> } {
  const ex = m.exports as unknown as Record<string, unknown>;
  const index = exportIndex(m);
  const names = [...index.keys()];
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * slot(n)));
  const calls = new Float64Array(new SharedArrayBuffer(8 * CALLS_CAPACITY));
  const pool: Pool = {
    size: n, workers: [], ctrl, calls, names, index, fns: names.map((k) => ex[k] as (...a: number[]) => unknown), blocks: [],
  };
  for (let t = 1; t < n; t++) Atomics.store(ctrl, slot(t), DONE);
  const readies: Promise<void>[] = [];
  const wt = nodeWorkerThreads();
  for (let t = 1; t < n; t++) {
    const pack = persist(packBytes);
    pool.blocks.push(pack);
    const data = { module: m.compiled, memory: m.exports.memory, ctrl: ctrl.buffer, calls: calls.buffer, names, id: t, pack };
    if (wt) {
      const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: data });
      w.unref(); // an idle pool never keeps the process alive
      readies.push(new Promise((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', (e) => reject(e as Error));
      }));
      w.on('error', (e) => onDeath(`worker ${t} failed: ${(e as Error).message}`));
      w.on('exit', (code) => {
        if (!Atomics.load(ctrl, STOP)) onDeath(`worker ${t} exited (code ${String(code)})`);
      });
      pool.workers.push({ terminate: () => void w.terminate() });
    } else {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
      const w = new Worker(url);
      URL.revokeObjectURL(url);
      readies.push(new Promise((resolve, reject) => {
        w.onmessage = () => resolve();
        w.onerror = (e) => {
          reject(new Error(e.message || 'the worker could not start (a Content-Security-Policy may refuse blob: workers)'));
          onDeath(`worker ${t} failed: ${e.message || 'could not start'}`);
        };
      }));
      w.postMessage(data);
      pool.workers.push({ terminate: () => w.terminate() });
    }
  }
  return { pool, ready: Promise.all(readies).then(() => undefined) };
}

/** End the workers (they leave their wait loop, then are terminated). */
export function stopPool(pool: Pool): void {
  Atomics.store(pool.ctrl, STOP, 1);
  Atomics.add(pool.ctrl, EPOCH, 1);
  Atomics.notify(pool.ctrl, EPOCH);
  for (const w of pool.workers) w.terminate();
  pool.workers = [];
}

/** Whether worker t has instantiated (tests). */
export function workerReady(pool: Pool, t: number): boolean {
  return Atomics.load(pool.ctrl, slot(t) + 3) === 1;
}

function runList(pool: Pool, from: number, end: number): void {
  const { calls, fns } = pool;
  for (let i = from; i < end;) {
    const argc = calls[i + 1];
    fns[calls[i]].apply(null, calls.subarray(i + 2, i + 2 + argc) as unknown as number[]);
    i += 2 + argc;
  }
}

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
  const lists: number[][] = [];
  try {
    for (let t = 1; t < n; t++) {
      recording.list = [];
      body(lo(t), lo(t + 1), t);
      lists.push(recording.list);
    }
  } finally {
    recording.list = null;
  }
  const total = lists.reduce((s, l) => s + l.length, 0);
  if (total > CALLS_CAPACITY) {
    // Too many calls to pass: the same chunks, with the same scratch slots, one after the other.
    for (let t = 0; t < n; t++) body(lo(t), lo(t + 1), t);
    return;
  }
  const { ctrl, calls } = pool;
  let at = 0;
  for (let t = 1; t < n; t++) {
    const l = lists[t - 1];
    calls.set(l, at);
    ctrl[slot(t) + 1] = at;
    ctrl[slot(t) + 2] = at + l.length;
    at += l.length;
    Atomics.store(ctrl, slot(t), OPEN); // after the list is written: a worker claims only an open list
  }
  Atomics.add(ctrl, EPOCH, 1);
  Atomics.notify(ctrl, EPOCH);
  tuning.regions++;
  try {
    body(lo(0), lo(1), 0);
  } finally {
    finish(pool, n);
  }
}

/** Run the lists no worker claimed, wait for the claimed ones, and report a failed worker kernel. */
function finish(pool: Pool, n: number): void {
  const { ctrl } = pool;
  let failure: unknown;
  for (let t = n - 1; t >= 1; t--) {
    if (Atomics.compareExchange(ctrl, slot(t), OPEN, RUNNING) === OPEN) {
      try {
        runList(pool, ctrl[slot(t) + 1], ctrl[slot(t) + 2]);
      } catch (e) {
        failure ??= e;
      }
      Atomics.store(ctrl, slot(t), DONE);
    }
  }
  // Every claimed list is waited for, even after a failure: the call's scratch memory is released only then.
  const block = blockingWaitAllowed();
  for (let t = 1; t < n; t++) {
    const started = Date.now();
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

/**
 * Split `total` items (rows, planes, columns) of a call doing `work` multiply-adds into chunks of whole multiples of
 * `align` items: the count depends on the work alone, never on the threads, so the same calls run for every thread
 * count. `at(c)` is where chunk c starts (`at(chunks)` = total).
 */
export function chunking(total: number, work: number, align = 1): { chunks: number; at: (c: number) => number } {
  const units = Math.ceil(total / align);
  const chunks = Math.max(1, Math.min(MAX_CHUNKS, units, Math.floor(work / tuning.chunkWork)));
  return { chunks, at: (c) => Math.min(total, Math.round((c * units) / chunks) * align) };
}
