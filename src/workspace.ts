// Scratch memory for one call. On 'wasm' the buffers live in the module memory between an arena mark and its
// release (in `finally`, so throwing calls give everything back); on 'js' they are one plain typed array. Either
// way a kernel sees one `mem` array and element offsets, so the drivers are written once for both backends.
import { ctorOf, uninitialized, type DType, type Float } from './arrays';
import { resolveBackend } from './backend';
import { rangeError } from './errors';
import { jsKernels, wasmKernels, type Kernels } from './kernels';
import { extraElements } from './kernels/table';
import { parallel as runParallel, tuning } from './threads';
import { MAX_WASM_BYTES, releaseMemory } from './wasm';
import type { WasmModule } from './wasm';

export interface Workspace {
  mem: Float;
  /**
   * Element offset of each requested buffer, in request order (each 16-byte aligned and followed by the EXTRA pad of
   * src/kernels/table.ts, which covers every kernel's declared over-read and over-write).
   */
  off: number[];
  k: Kernels;
  backend: 'js' | 'wasm';
  /**
   * Run chunks [0, chunks) of independent kernel calls on up to `threads` threads (src/threads.ts `parallel`): thread
   * t runs a contiguous range through `body(c0, c1, t)` with scratch slot t. Inline on 'js' and without a pool.
   */
  parallel(threads: number, chunks: number, body: (c0: number, c1: number, slot: number) => void): void;
  /** Threads a call of `work` multiply-adds may use here (see threadsFor): for drivers with no per-thread scratch. */
  threadsFor(work: number): number;
}


/**
 * Threads a call of `work` multiply-adds (or comparable operations) on this backend may use: the pool's size where
 * the work is worth splitting, else 1. Drivers size per-thread scratch from it and pass it to `parallel`.
 */
export function threadsFor(op: string, backend: unknown, work: number): number {
  if (tooSmallToSplit(work)) return 1;
  const be = resolved(op, backend);
  const pool = be.name === 'wasm' ? be.module.pool : undefined;
  return pool && !pool.broken ? pool.size : 1;
}

/** A backend resolved once, when a call is planned: the js kernels, or one instantiated wasm module. */
export type Backend = Readonly<{ name: 'js' } | { name: 'wasm'; module: WasmModule }>;

const pinned = new WeakSet<object>();

/**
 * A `backend` value for withWorkspace naming one instantiated wasm module, whatever the default backend is now:
 * for data that lives in that module's memory (prepared layers' packed weights).
 */
export function pinnedBackend(module: WasmModule): Backend {
  const b = Object.freeze({ name: 'wasm' as const, module });
  pinned.add(b);
  return b;
}

/**
 * The backend a call runs on, resolved from its `backend` option (or the default) when the call is planned, so the
 * plan holds it and later steps never re-check the option. Throws the option's TypeError naming `op`.
 */
export function planBackend(op: string, requested: unknown): Backend {
  if (pinned.has(requested as object)) return requested as Backend;
  return frozenBackend(resolveBackend(op, requested));
}

/** One frozen Backend per module (and one for js), made once: adding a fresh one to the WeakSet on every call
 * measured ~1 µs a call, a third of a small correlation's time. */
function frozenBackend(r: { name: 'js' } | { name: 'wasm'; module: WasmModule }): Backend {
  const key: object = r.name === 'js' ? JS_KEY : r.module;
  let b = planned.get(key);
  if (!b) {
    b = Object.freeze(r);
    pinned.add(b);
    planned.set(key, b);
  }
  return b;
}

/**
 * The backend for a call that will not split its work (a planned backend, as planBackend gives): with a thread pool,
 * the one-thread build of the same variant, whose memory is not shared; else `backend` itself. `TypedArray.set` into
 * and out of shared memory ran at ~25 GB/s against ~100 GB/s for plain memory in cache here, so such calls ran
 * 0.86–0.99× as fast in a pool's module as without a pool. The same kernels on the same data: the same bits. Not for
 * data kept in a module's memory (prepared layers' weights).
 */
export function oneThread(backend: Backend): Backend {
  const solo = backend.name === 'wasm' && backend.module.pool && !backend.module.pool.broken ? backend.module.solo : undefined;
  return solo ? frozenBackend({ name: 'wasm', module: solo }) : backend;
}

/** The backend for a call planned to run on `threads` threads: `backend` when it splits, else oneThread(backend). */
export function backendFor(backend: Backend, threads: number): Backend {
  return threads > 1 ? backend : oneThread(backend);
}

/** Whether a call of `work` multiply-adds stays on one thread whatever the pool (below the split threshold). */
export function tooSmallToSplit(work: number): boolean {
  return work < tuning.minWork;
}

const JS_KEY = {};
const planned = new WeakMap<object, Backend>();

/** A planned backend as is; a raw `backend` option resolved now (callers not yet planning theirs). */
function resolved(op: string, backend: unknown): Backend {
  return pinned.has(backend as object) ? (backend as Backend) : resolveBackend(op, backend);
}

function inline(_threads: number, chunks: number, body: (c0: number, c1: number, slot: number) => void): void {
  body(0, chunks, 0);
}

/** Offsets of the buffers: each rounded up to 16 bytes, then the EXTRA pad that kernels may run into. */
function layout(sizes: readonly number[], bpe: number): { off: number[]; total: number } {
  const per = 16 / bpe;
  const extra = extraElements(bpe);
  const off: number[] = [];
  let total = 0;
  for (const n of sizes) {
    off.push(total);
    total += Math.ceil(n / per) * per + extra;
  }
  return { off, total };
}

/**
 * Run `fn` with buffers of the given element counts. Sizes that cannot fit throw a RangeError before anything is
 * allocated. Results must be copied out of `mem` inside `fn` (never return a view of it).
 */
export function withWorkspace<R>(op: string, backend: unknown, dtype: DType, sizes: readonly number[], fn: (ws: Workspace) => R): R {
  const be = resolved(op, backend);
  const Ctor = ctorOf(dtype);
  const bpe = Ctor.BYTES_PER_ELEMENT;
  const { off, total } = layout(sizes, bpe);
  if (be.name === 'js') {
    // The js backend refuses what the wasm backend refuses (a wasm32 module addresses 4 GiB): the same sizes fail on
    // both, at once, instead of a multi-gigabyte allocation that runs for minutes.
    if (total * bpe > MAX_WASM_BYTES) {
      throw rangeError(op, `the call needs ${total * bpe} bytes of scratch memory, more than the 4 GiB a wasm32 module can address (the js backend keeps the same bound)`);
    }
    let mem: Float;
    try {
      mem = new Ctor(total);
    } catch {
      throw rangeError(op, `the call needs ${total} ${dtype} elements of scratch memory, more than a typed array can hold`);
    }
    return fn({ mem, off, k: jsKernels, backend: 'js', parallel: inline, threadsFor: () => 1 });
  }
  const { arena } = be.module;
  const bytes = total * bpe;
  if (bytes > arena.available()) {
    throw rangeError(op, `the call needs ${bytes} bytes of wasm memory, more than the 4 GiB a wasm32 module can address`);
  }
  const mark = arena.mark();
  try {
    const base = arena.alloc(bytes);
    // The view is made after the allocation (which may grow and so detach the memory) and is used only inside fn.
    const mem = new Ctor(be.module.exports.memory.buffer);
    const m = be.module;
    const parallel = (threads: number, chunks: number, body: (c0: number, c1: number, slot: number) => void) => runParallel(m, threads, chunks, body);
    const size = m.pool && !m.pool.broken ? m.pool.size : 1;
    const threadsFor = (work: number) => (tooSmallToSplit(work) ? 1 : size);
    return fn({ mem, off: off.map((o) => o + base / bpe), k: wasmKernels(m, dtype), backend: 'wasm', parallel, threadsFor });
  } finally {
    arena.release(mark);
    // Outermost call done: memory grown past init({ memoryLimit }) is given back (a fresh instance).
    releaseMemory(be.module);
  }
}

/**
 * A fresh array holding mem[start, start + n): how results leave scratch memory. Unlike `mem.slice` it skips the
 * zero fill of the new array (and V8's slice of a view on wasm memory measured ~4× slower: 2 ms against 0.5 ms for
 * 4 MB), and it is never a view of scratch. With `into` (the caller's array of mem's type), the values go there.
 */
export function copyOut(mem: Float, start: number, n: number, into?: Float): Float {
  const res = into ?? uninitialized(mem instanceof Float32Array ? 'float32' : 'float64', n);
  res.set(mem.subarray(start, start + n));
  return res;
}

/** Element offsets of named buffers, as withBuffers hands them out. */
export type Offsets<B> = { readonly [K in keyof B]: number };

/**
 * withWorkspace over buffers named by a plan (`{ xpad: n, col: n, … }`, laid out in key order): `fn` gets each
 * buffer's offset by its name, so no driver sizes buffers by position and unpacks them by index.
 */
export function withBuffers<B extends Readonly<Record<string, number>>, R>(
  op: string, backend: Backend, dtype: DType, buffers: B, fn: (ws: Workspace, at: Offsets<B>) => R,
): R {
  const names = Object.keys(buffers);
  return withWorkspace(op, backend, dtype, names.map((n) => buffers[n]), (ws) => {
    const at: Record<string, number> = {};
    for (let i = 0; i < names.length; i++) at[names[i]] = ws.off[i];
    return fn(ws, at as Offsets<B>);
  });
}
