// Starting and stopping the thread pool (src/threads.ts runs it): the workers' program, where they come from (Node's
// worker_threads or a browser's Worker from a Blob URL), and whether this engine can run them at all. A module of its
// own, loaded by init({ threads }) only: a page that never asks for threads never downloads it.
import { CALLS_CAPACITY, DONE, EPOCH, exportIndex, slot, SPIN_MS, STOP, type Pool } from './threads';
import type { WasmModule } from './wasm';

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
  post('ready');
  for (;;) {
    // Spin a while before sleeping (d.spin ms, SPIN_MS): the next region of a chain of ops usually comes within that.
    const until = performance.now() + d.spin;
    while (Atomics.load(ctrl, 0) === seen && performance.now() < until);
    Atomics.wait(ctrl, 0, seen);
    const e = Atomics.load(ctrl, 0);
    if (e === seen) continue;
    seen = e;
    if (Atomics.load(ctrl, 1) !== 0) return;
    if (Atomics.compareExchange(ctrl, at, 0, 1) !== 0) continue;
    // Pieces from the front of [front, back) (the calling thread takes them from the back), each a list of calls.
    const table = ctrl[at + 1];
    try {
      for (;;) {
        const v = Atomics.load(ctrl, at + 3);
        const front = v >>> 16;
        if (front >= (v & 0xffff)) break;
        if (Atomics.compareExchange(ctrl, at + 3, v, v + 65536) !== v) continue;
        for (let i = calls[table + front], end = calls[table + front + 1]; i < end;) {
          const argc = calls[i + 1];
          fns[calls[i]].apply(null, calls.subarray(i + 2, i + 2 + argc));
          i += 2 + argc;
        }
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

/** A Node built-in module, without an import a bundler would follow (process.getBuiltinModule, Node ≥ 20.16). */
function builtin<M>(id: string): M | undefined {
  const p = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  return p?.versions?.node ? (p.getBuiltinModule?.(id) as M | undefined) : undefined;
}

const isNode = () => !!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;

type NodeWorkerThreads = {
  Worker: new (src: string, o: { eval: true; workerData: unknown }) => {
    unref(): void; terminate(): Promise<number>; once(ev: string, f: (v: unknown) => void): void; on(ev: string, f: (v: unknown) => void): void;
  };
};

/** Why this engine cannot run a pool, or undefined where it can (checked before any worker starts). */
export function threadsRefusal(): string | undefined {
  const isolation = 'the page is not cross-origin isolated: serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp';
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') {
    return `this engine has no SharedArrayBuffer${globalThis.crossOriginIsolated === false ? ` (${isolation})` : ''}`;
  }
  if (globalThis.crossOriginIsolated === false) return isolation;
  if (isNode()) {
    if (!builtin('node:worker_threads')) return 'node:worker_threads is not available (process.getBuiltinModule needs Node ≥ 20.16)';
  } else if (typeof Worker !== 'function') {
    return 'this context has no Worker';
  }
  return undefined;
}

/** The engine's hardware concurrency (init({ threads: 'auto' })). */
export function hardwareThreads(): number {
  const os = builtin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os) return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, n ?? 1);
}

/**
 * Start n − 1 workers over module `m` (a threads build), each given a pack buffer of `packBytes` from
 * `persist`. Resolves once every worker has instantiated; `onDeath` is told when one exits or fails.
 */
export function startPool(
  m: WasmModule, n: number, packBytes: number, persist: (bytes: number) => number, onDeath: (why: string) => void,
): { pool: Pool; ready: Promise<void> } {
  const names = [...exportIndex(m).keys()];
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * slot(n)));
  const calls = new Float64Array(new SharedArrayBuffer(8 * CALLS_CAPACITY));
  const pool: Pool = {
    size: n, workers: [], ctrl, calls, blocks: [],
  };
  for (let t = 1; t < n; t++) Atomics.store(ctrl, slot(t), DONE);
  const readies: Promise<void>[] = [];
  const wt = builtin<NodeWorkerThreads>('node:worker_threads');
  for (let t = 1; t < n; t++) {
    const pack = persist(packBytes);
    pool.blocks.push(pack);
    const data = { module: m.compiled, memory: m.exports.memory, ctrl: ctrl.buffer, calls: calls.buffer, names, id: t, pack, spin: SPIN_MS };
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
