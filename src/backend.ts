// Backend choice: which engine runs the kernels. 'wasm' is the SIMD module (or its scalar build), 'js' the plain
// TypeScript kernels that double as the readable reference. Ops work before init(): the first call instantiates
// synchronously where the engine allows it, else runs on 'js'.
import { options, rangeError, typeError } from './errors';
import type * as PoolCode from './pool';
import {
  instantiate, instantiateSync, instantiateThreads, instantiateThreadsSync, loadBest, loadBestSync, PACK_BYTES, prefault,
  setMemoryLimit, supportedVariants, type LoadResult, type WasmModule, type WasmVariant, VARIANTS,
} from './wasm';

/**
 * Thrown when the wasm backend is required (`init({ backend: 'wasm' })`, a `backend: 'wasm'` option) but no build can
 * be instantiated; the message says why (no WebAssembly, no build validates, or the engine refused to compile one:
 * a Content-Security-Policy without 'wasm-unsafe-eval' does that).
 * @example try { initSync({ backend: 'wasm' }); } catch (e) { if (e instanceof WasmUnavailableError) initSync({ backend: 'js' }); }
 */
export class WasmUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WasmUnavailableError';
  }
}

export type BackendName = 'wasm' | 'js';

export interface BackendInfo {
  name: BackendName;
  simd: boolean;
  relaxedSimd: boolean;
  /** Threads every op splits its work across (the calling one included): 1 unless `init({ threads })` started a pool. */
  threads: number;
  /** Why `threads` is 1 although more were asked for (no cross-origin isolation, no workers, a worker died…). */
  threadsReason?: string;
  /** Which wasm build runs ('relaxed', 'simd' or 'scalar'); undefined on 'js'. */
  variant?: WasmVariant;
  /**
   * Why the backend is 'js' although wasm was wanted ('auto'): e.g. a Content-Security-Policy without
   * 'wasm-unsafe-eval', or an engine without WebAssembly. Undefined on 'wasm' and when 'js' was chosen.
   */
  reason?: string;
}

export interface InitOptions {
  backend?: 'auto' | BackendName;
  /** Force one wasm build (tests and benchmarks); default: the best the engine supports. */
  variant?: WasmVariant;
  /**
   * Bytes of wasm memory kept between calls (default 256 MiB): after a call that grew the memory past it, the module
   * gets a fresh instance, so one large call does not pin its peak for the life of the page or process.
   */
  memoryLimit?: number;
  /**
   * Threads for every op (default 1): n − 1 workers share the module memory with the calling thread; 'auto' is the
   * engine's hardware concurrency. Results are bit-identical for every count. Where threads are impossible the
   * count stays 1 and `getBackend().threadsReason` says why. Calling init again changes or ends the pool.
   */
  threads?: number | 'auto';
}

let wasm: WasmModule | undefined;
let active: BackendName | undefined;
let syncTried = false;
/** Why wasm is not running although it was wanted (see BackendInfo.reason). */
let reason: string | undefined;
/** Why the pool asked for is not running (BackendInfo.threadsReason). */
let threadsReason: string | undefined;

function check(opts: unknown): { backend: 'auto' | BackendName; variant?: WasmVariant; threads: number | 'auto' } {
  const o = options<InitOptions>('init', opts, ['backend', 'variant', 'memoryLimit', 'threads']);
  const t = o.threads;
  if (t !== undefined && t !== 'auto' && typeof t !== 'number') throw typeError('init', 'threads', "a count ≥ 1 or 'auto'", t);
  if (typeof t === 'number' && !(Number.isInteger(t) && t >= 1 && t <= 256)) {
    throw rangeError('init', `threads must be an integer from 1 to 256 or 'auto', got ${t}`);
  }
  if (o.memoryLimit !== undefined) {
    if (typeof o.memoryLimit !== 'number') throw typeError('init', 'memoryLimit', 'a number of bytes', o.memoryLimit);
    if (!(o.memoryLimit >= 0) || !Number.isFinite(o.memoryLimit)) {
      throw rangeError('init', `memoryLimit must be a finite number of bytes ≥ 0, got ${o.memoryLimit}`);
    }
  }
  const backend = o.backend ?? 'auto';
  if (!['auto', 'wasm', 'js'].includes(backend)) throw typeError('init', 'backend', "'auto', 'wasm' or 'js'", backend);
  if (o.variant !== undefined && !VARIANTS.includes(o.variant)) {
    throw typeError('init', 'variant', "'relaxed', 'simd' or 'scalar'", o.variant);
  }
  // Applied after every check passed (a refused call changes nothing).
  if (o.memoryLimit !== undefined) setMemoryLimit(o.memoryLimit);
  return { backend, variant: o.variant, threads: t ?? 1 };
}

function candidates(variant?: WasmVariant): WasmVariant[] {
  const ok = supportedVariants();
  if (variant === undefined) return ok;
  if (!ok.includes(variant)) {
    const features = variant === 'relaxed' ? 'relaxed SIMD' : variant === 'simd' ? 'SIMD' : 'WebAssembly';
    throw rangeError('init', `variant '${variant}' needs ${features}, which this engine does not support` +
      ` (supported builds: ${ok.length ? ok.map((v) => `'${v}'`).join(', ') : 'none'})`);
  }
  return [variant];
}

const JS_CHOSEN: LoadResult = { reason: "'js' was chosen" };

function settle(backend: 'auto' | BackendName, r: LoadResult, variant?: WasmVariant): BackendInfo {
  // A forced backend or build that fails throws; 'auto' without a build named falls back to 'js'.
  if (backend !== 'js' && (backend === 'wasm' || variant !== undefined) && !r.module) {
    throw new WasmUnavailableError(`init: WebAssembly${variant ? ` (${variant} build)` : ''} could not be instantiated in this engine: ${r.reason}`);
  }
  if (r.module) wasm = r.module;
  active = backend === 'js' || !wasm ? 'js' : 'wasm';
  reason = active === 'js' && backend !== 'js' ? r.reason : undefined;
  return getBackend();
}

/** Small calls of the ops this bundle holds, registered by their modules (so only imported ops are warmed). */
const warmUps: (() => void)[] = [];
/** The modules already warmed (a fresh instance after releaseMemory keeps the compiled code: still warm). */
const warmed = new WeakSet<WebAssembly.Module>();
/** Bytes of wasm memory touched ahead by an explicit init(): a first call up to this size grows nothing. */
const PREFAULT_BYTES = 4 << 20;

/**
 * `run` (an op module's shared entry) with a warm-up registered: a tiny call of the op, run by an explicit
 * init()/initSync() once the wasm build is ready. Call sites mark the call pure (`/* @__PURE__ *\/ withWarmUp(…)`), so an
 * app's bundler keeps it, and the module the warm-up reaches, only where one of the module's ops is imported: a
 * top-level registration would hold every op module in every bundle (3–13 kB gzip of the one-op budget).
 */
export function withWarmUp<F>(run: F, warmUp: () => void): F {
  warmUps.push(warmUp);
  return run;
}

/**
 * After an explicit init(), pay ahead what a first call would: V8 compiles each wasm function lazily at its first
 * call (Node 20 and Chromium: --wasm-lazy-compilation is on), the JS of each op runs cold once, and fresh wasm memory
 * faults its pages in on first touch. So run each registered warm-up once and touch a few MiB of memory: the first
 * real call then costs about what a later one does (bench/first-call.bench.mjs measures it). Results are discarded.
 */
function warmUp(): void {
  const m = current();
  if (active !== 'wasm' || !m || warmed.has(m.compiled)) return;
  warmed.add(m.compiled);
  prefault(m, PREFAULT_BYTES);
  for (const fn of warmUps) fn();
}

function one(load: () => WasmModule): LoadResult {
  try {
    return { module: load() };
  } catch (e) {
    return { reason: (e as Error).message };
  }
}

/**
 * Load and instantiate the best wasm build this engine supports, falling back to 'js'. Idempotent.
 * @example await init(); getBackend().name // 'wasm'
 */
export async function init(opts?: InitOptions): Promise<BackendInfo> {
  const { backend, variant, threads } = check(opts);
  let r = JS_CHOSEN;
  if (backend !== 'js') {
    const c = candidates(variant);
    r = variant ? await instantiate(c[0]).then((module) => ({ module }), (e: Error) => ({ reason: e.message })) : await loadBest(c);
  }
  settle(backend, r, variant);
  // The pool's code is a chunk of its own in the ESM build, loaded the first time threads are asked for.
  if (threads !== 1) poolCode ??= await import('./pool');
  const n = threads === 'auto' ? poolCode!.hardwareThreads() : threads;
  const load = planPool(n);
  if (load) {
    let m: WasmModule | undefined;
    try {
      m = await instantiateThreads(load);
    } catch (e) {
      threadsReason = `the threads build could not be instantiated: ${(e as Error).message}`;
    }
    if (m) {
      const ready = attachPool(m, n);
      try {
        await ready;
      } catch (e) {
        endPool(`a worker could not start: ${(e as Error).message}`);
      }
    }
  }
  warmUp();
  return getBackend();
}

/** The threads build running the pool, while one runs: ops then use it instead of `wasm`. */
let threaded: WasmModule | undefined;
/** The pool's code (src/pool.ts), once loaded. */
let poolCode: typeof PoolCode | undefined;

/** Give the pool's code to the synchronous path (the CJS entry bundles it). */
export function providePool(code: typeof PoolCode): void {
  poolCode = code;
}

/**
 * After the backend is settled: end a pool that no longer fits, and say which threads build to load for `threads`
 * (undefined when none is needed: one thread, the running pool already fits, or threads are impossible, with
 * `threadsReason` set).
 */
function planPool(threads: number): 'simd' | 'relaxed' | undefined {
  threadsReason = undefined;
  const v = active === 'wasm' ? wasm?.variant : undefined;
  const pool = threaded?.pool;
  if (pool && !pool.broken && pool.size === threads && threaded!.variant === v) return undefined;
  if (threaded) endPool();
  if (threads <= 1) return undefined;
  const why = v === undefined ? "the 'js' backend runs on one thread"
    : v === 'scalar' ? 'the scalar build has no threads version (threads need SIMD)' : poolCode!.threadsRefusal();
  if (why) {
    threadsReason = why;
    return undefined;
  }
  return v as 'simd' | 'relaxed';
}

/** Start a pool of `threads` over threads module `m`; resolves when every worker has instantiated. */
function attachPool(m: WasmModule, threads: number): Promise<void> {
  const { pool, ready } = poolCode!.startPool(m, threads, PACK_BYTES, (bytes) => m.arena.persist(bytes), (why) => {
    pool.broken ??= why;
  });
  ready.catch(() => undefined); // awaited by init; initSync lets the workers start on their own
  m.pool = pool;
  // Calls too small to split run on the one-thread build of the same variant (src/workspace.ts oneThread).
  m.solo = wasm?.variant === m.variant ? wasm : undefined;
  threaded = m;
  return ready;
}

/** Stop the pool (the workers end) and go back to the one-thread module. */
function endPool(why?: string): void {
  const m = threaded;
  if (m?.pool) {
    poolCode!.stopPool(m.pool);
    for (const b of m.pool.blocks) m.arena.unpersist(b, PACK_BYTES);
    m.pool = undefined;
    m.solo = undefined;
  }
  threaded = undefined;
  if (why) threadsReason = why;
}

/** The module ops run on: the threads build while its pool is up, else the one-thread build. */
function current(): WasmModule | undefined {
  return threaded?.pool && !threaded.pool.broken ? threaded : wasm;
}

/**
 * End the thread pool started by `init({ threads })` and return to one thread (the workers are terminated; ops keep
 * working, on the calling thread). Does nothing without a pool.
 * @example await init({ threads: 2 }); terminate(); getBackend().threads // 1
 */
export function terminate(): void {
  endPool();
  threadsReason = undefined;
}

/** The same as init(), synchronously (Node, workers, and engines that compile small modules on the main thread). */
export function initSync(opts?: InitOptions): BackendInfo {
  const info = initSyncQuiet(opts);
  warmUp();
  return info;
}

/** initSync without the warm-up: for the first call's own instantiation, where warming would only add to it. */
function initSyncQuiet(opts?: InitOptions): BackendInfo {
  const { backend, variant, threads } = check(opts);
  let r = JS_CHOSEN;
  if (backend !== 'js') {
    const c = candidates(variant);
    r = variant ? one(() => instantiateSync(c[0])) : loadBestSync(c);
  }
  settle(backend, r, variant);
  if (threads !== 1 && !poolCode) {
    planPool(1);
    threadsReason = "this build loads the pool's code on demand: `await init({ threads })` once (initSync can change the count after that)";
    return getBackend();
  }
  const n = threads === 'auto' ? poolCode!.hardwareThreads() : threads;
  const load = planPool(n);
  if (load) {
    try {
      // The workers start on their own threads; until each is ready, its share runs on the calling thread.
      attachPool(instantiateThreadsSync(load), n);
    } catch (e) {
      threadsReason = `the threads build could not be instantiated: ${(e as Error).message}`;
    }
  }
  return getBackend();
}

/** Switch the default backend. 'wasm' instantiates synchronously if init() has not run. */
export function setBackend(name: 'auto' | BackendName): BackendInfo {
  if (name !== 'auto' && name !== 'wasm' && name !== 'js') throw typeError('setBackend', 'name', "'auto', 'wasm' or 'js'", name);
  if (name === 'js') {
    active = 'js';
    reason = undefined;
    return getBackend();
  }
  return initSyncQuiet({ backend: name, variant: wasm?.variant, threads: threaded?.pool?.size ?? 1 });
}

export function getBackend(): BackendInfo {
  if (active === undefined) ensureInit();
  const v = active === 'wasm' ? wasm?.variant : undefined;
  const pool = active === 'wasm' ? threaded?.pool : undefined;
  const threads = pool && !pool.broken ? pool.size : 1;
  const info: BackendInfo = { name: active!, simd: v === 'simd' || v === 'relaxed', relaxedSimd: v === 'relaxed', threads, variant: v };
  if (reason !== undefined) info.reason = reason;
  const why = pool?.broken ?? threadsReason;
  if (why !== undefined) info.threadsReason = why;
  return info;
}

function ensureInit(): void {
  if (active !== undefined) return;
  if (!syncTried) {
    syncTried = true;
    try {
      initSyncQuiet();
      return;
    } catch {
      // fall through to js
    }
  }
  active = 'js';
}

/** The backend one call runs on: its `backend` option, else the default. */
export function resolveBackend(op: string, requested: unknown): { name: 'js' } | { name: 'wasm'; module: WasmModule } {
  if (requested !== undefined && requested !== 'wasm' && requested !== 'js') {
    throw typeError(op, 'backend', "'wasm' or 'js'", requested);
  }
  ensureInit();
  const name = (requested as BackendName | undefined) ?? active!;
  if (name === 'js') return { name };
  if (!wasm) {
    const r = loadBestSync(supportedVariants());
    if (!r.module) throw new WasmUnavailableError(`${op}: the wasm backend is not available: ${r.reason}`);
    wasm = r.module;
  }
  return { name, module: current()! };
}
