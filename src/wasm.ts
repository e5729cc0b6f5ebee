// The loader: the only file that touches `WebAssembly`. It detects what the engine supports (tiny probe modules, as
// wasm-feature-detect does), loads the embedded binary of a build (each in a module of its own: the ESM build imports
// only the build it runs, see src/esm.ts), instantiates the best build (relaxed SIMD → SIMD → scalar; a failure at
// compile time falls through to the next), and owns the module memory through a bump arena. It knows nothing about
// individual ops.
import { inflateRaw } from './inflate';
import type { Pool } from './threads';

export type WasmVariant = 'relaxed' | 'simd' | 'scalar';
export const VARIANTS: readonly WasmVariant[] = ['relaxed', 'simd', 'scalar'];
/** The shared-memory builds of the thread pool, one per SIMD variant (no scalar one). */
export type ThreadsBuild = 'threads-relaxed' | 'threads-simd';
/** Every embedded binary. */
export type BuildName = WasmVariant | ThreadsBuild;
const BUILDS: readonly BuildName[] = [...VARIANTS, 'threads-relaxed', 'threads-simd'];

/** Every export takes and returns numbers only: byte pointers into `memory`, sizes, flags. */
export interface WasmExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  [kernel: string]: unknown;
}

export interface WasmModule {
  variant: WasmVariant;
  /** The current instance's exports and arena: replaced by a fresh instance when the memory is given back. */
  exports: WasmExports;
  arena: Arena;
  /** The compiled module, kept so that a fresh instance costs an instantiation only. */
  compiled: WebAssembly.Module;
  /** Bytes of memory a fresh instance starts with. */
  initialBytes: number;
  /** Counts fresh instances (kernel bindings are cached per instance). */
  generation: number;
  /** A threads build (shared memory): its pool, while one runs (src/threads.ts). */
  threaded?: boolean;
  pool?: Pool;
  /**
   * While its pool runs: the one-thread build of the same variant, where calls too small to split run (their copies
   * in and out of shared memory cost about four times those of plain memory).
   */
  solo?: WasmModule;
}

const PAGE = 65536;
/** wasm32 addresses: 65,536 pages of 64 KiB. */
export const MAX_WASM_BYTES = 65536 * PAGE;

/**
 * A bump allocator over the module memory. `mark()` before a call, `release(mark)` in `finally`: whatever the
 * call allocated is given back whether it returned or threw. Memory only grows; views are never kept here.
 *
 * Below the bump region sit the persistent blocks of prepared layers (`persist`/`unpersist`): [base, floor) holds
 * them and the holes freed ones left, [floor, top) is the per-call arena. A call's mark is at or above `floor`, so
 * no release can reach a persistent block. Blocks are made and freed only between calls (ops are synchronous and
 * finalizers run between tasks): a new block takes the first hole that fits, else the arena's floor moves up; a
 * freed block becomes a hole, merged with its neighbours, and a hole ending at the floor moves the floor back down.
 */
export class Arena {
  readonly base: number;
  /** Start of the per-call region: persistent blocks and holes lie below. */
  floor: number;
  top: number;
  /** Holes below the floor, sorted by address, never adjacent (merged on free). */
  private readonly holes: { start: number; bytes: number }[] = [];
  constructor(private readonly memory: WebAssembly.Memory, base: number) {
    this.base = align16(base);
    this.floor = this.base;
    this.top = this.base;
  }
  mark(): number {
    return this.top;
  }
  release(mark: number): void {
    this.top = mark;
  }
  /** Bytes still addressable above the current top (wasm32 limit), growing or not. */
  available(): number {
    return MAX_WASM_BYTES - this.top;
  }
  /** Reserve `bytes` (16-byte aligned); grows the memory when needed, which detaches every existing view. */
  alloc(bytes: number): number {
    const p = align16(this.top);
    const end = p + bytes;
    if (end > MAX_WASM_BYTES) throw new RangeError(`wasm memory: ${end} bytes needed, more than the 4 GiB a wasm32 module can address`);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      } catch {
        throw new RangeError(`wasm memory: cannot grow to ${end} bytes`);
      }
    }
    this.top = end;
    return p;
  }
  /**
   * A block of `bytes` (16-byte aligned) that no `release` frees, until `unpersist(pointer, bytes)`. Only between
   * calls (the arena empty): throws otherwise, and a RangeError when memory cannot hold it.
   */
  persist(bytes: number): number {
    if (this.top !== this.floor) throw new Error('wasm memory: a persistent block can only be made between calls');
    const n = align16(Math.max(bytes, 16));
    const i = this.holes.findIndex((h) => h.bytes >= n);
    if (i >= 0) {
      const h = this.holes[i];
      const p = h.start;
      h.start += n;
      h.bytes -= n;
      if (h.bytes === 0) this.holes.splice(i, 1);
      return p;
    }
    const p = this.alloc(n);
    this.floor = this.top;
    return p;
  }
  /** Give back a block from `persist` (same pointer and size). */
  unpersist(pointer: number, bytes: number): void {
    const n = align16(Math.max(bytes, 16));
    const hs = this.holes;
    let i = hs.findIndex((h) => h.start > pointer);
    if (i < 0) i = hs.length;
    hs.splice(i, 0, { start: pointer, bytes: n });
    if (i + 1 < hs.length && hs[i].start + hs[i].bytes === hs[i + 1].start) {
      hs[i].bytes += hs[i + 1].bytes;
      hs.splice(i + 1, 1);
    }
    if (i > 0 && hs[i - 1].start + hs[i - 1].bytes === hs[i].start) {
      hs[i - 1].bytes += hs[i].bytes;
      hs.splice(i, 1);
      i--;
    }
    const last = hs[hs.length - 1];
    // The last hole ending at the floor gives its bytes back to the per-call arena (only when no call is running).
    if (last.start + last.bytes === this.floor && this.top === this.floor) {
      hs.pop();
      this.floor = last.start;
      this.top = last.start;
    }
  }
  /** Bytes held by persistent blocks (holes excluded): tests check that disposing returns them. */
  persistent(): number {
    return this.floor - this.base - this.holes.reduce((s, h) => s + h.bytes, 0);
  }
}

function align16(n: number): number {
  return Math.ceil(n / 16) * 16; // plain arithmetic: bit operations would wrap above 2 GiB
}

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return new Uint8Array(B.from(b64, 'base64'));
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** An embedded build: raw DEFLATE in base64 (scripts/embed-wasm.mjs), and its inflated length. */
export interface EmbeddedBinary {
  deflated: string;
  size: number;
}

/** The embedded binaries loaded so far, by build. */
const binaries = new Map<BuildName, EmbeddedBinary>();

/** One literal dynamic import per build, so bundlers emit each binary as a lazily loaded chunk of its own. */
function importBinary(variant: BuildName): Promise<EmbeddedBinary> {
  switch (variant) {
    case 'threads-relaxed':
      return import('./wasm-binaries/threads-relaxed');
    case 'threads-simd':
      return import('./wasm-binaries/threads-simd');
    case 'relaxed':
      return import('./wasm-binaries/relaxed');
    case 'simd':
      return import('./wasm-binaries/simd');
    default:
      return import('./wasm-binaries/scalar');
  }
}

/** Make builds' binaries available to the synchronous paths (the CJS entry gives all three up front). */
export function provideBinaries(given: Partial<Record<BuildName, EmbeddedBinary>>): void {
  for (const v of BUILDS) if (given[v] !== undefined) binaries.set(v, given[v]);
}

/** Load the binaries of these builds (their chunks, in the ESM build); resolves when all are available. */
export async function loadBinaries(variants: readonly BuildName[]): Promise<void> {
  await Promise.all(variants.filter((v) => !binaries.has(v))
    .map(async (v) => {
      const { deflated, size } = await importBinary(v);
      binaries.set(v, { deflated, size });
    }));
}

/** The builds whose binaries are loaded (tests check that the ESM entry loads only one). */
export function loadedBinaries(): WasmVariant[] {
  return VARIANTS.filter((v) => binaries.has(v));
}

const bytesCache = new Map<BuildName, Uint8Array<ArrayBuffer>>();
function bytesOf(variant: BuildName): Uint8Array<ArrayBuffer> {
  let b = bytesCache.get(variant);
  if (!b) {
    const e = binaries.get(variant);
    if (e === undefined) {
      const how = variant.startsWith('threads') ? 'await init({ threads })' : `await init({ variant: '${variant}' })`;
      throw new Error(`the ${variant} wasm build is not loaded (the ESM build loads only the build it runs): ${how} loads it`);
    }
    b = inflateRaw(decodeBase64(e.deflated), e.size);
    bytesCache.set(variant, b);
  }
  return b;
}

/** Whether WebAssembly exists at all in this engine. */
export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
}

// Feature probes of wasm-feature-detect (GoogleChromeLabs): one function using `i8x16.splat` and `i8x16.popcnt`,
// one using `i8x16.relaxed_swizzle`. `validate` compiles nothing: no CSP report, and no binary needs loading.
const SIMD_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253,
  98, 11];
const RELAXED_PROBE = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65,
  2, 253, 15, 253, 128, 2, 11];

function validates(bytes: number[]): boolean {
  try {
    return WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

let supported: WasmVariant[] | undefined;
/**
 * The builds this engine supports, best first: probed once with tiny modules (nothing compiled, no binary loaded).
 * @example supportedVariants() // ['simd', 'scalar'] in Node 20
 */
export function supportedVariants(): WasmVariant[] {
  if (!hasWebAssembly()) return [];
  if (!supported) {
    const simd = validates(SIMD_PROBE);
    const relaxed = simd && validates(RELAXED_PROBE);
    supported = VARIANTS.filter((v) => v === 'scalar' || (v === 'simd' && simd) || (v === 'relaxed' && relaxed));
  }
  return [...supported];
}

let refusal: string | null | undefined;
/**
 * Why this context refuses to compile WebAssembly, or undefined where it compiles. Probed once, by compiling an
 * empty module: under a Content-Security-Policy without 'wasm-unsafe-eval' every compile throws and sends a
 * violation report, so after one refusal no build is tried.
 */
export function compileRefusal(): string | undefined {
  if (refusal === undefined) {
    if (!hasWebAssembly()) {
      refusal = 'this engine has no WebAssembly';
    } else {
      try {
        new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
        refusal = null;
      } catch (e) {
        refusal = `WebAssembly compilation is refused here (${(e as Error).message}): a Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src`;
      }
    }
  }
  return refusal ?? undefined;
}

function checkCompiles(): void {
  const why = compileRefusal();
  if (why) throw new Error(why);
}

function wrapInstance(variant: WasmVariant, compiled: WebAssembly.Module, instance: WebAssembly.Instance): WasmModule {
  const exports = instance.exports as unknown as WasmExports;
  return {
    variant, exports, arena: new Arena(exports.memory, exports.heapBase() >>> 0), compiled,
    initialBytes: exports.memory.buffer.byteLength, generation: 0,
  };
}

/** Default of `init({ memoryLimit })`: memory past 256 MiB is given back after the call that grew it. */
export const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;
let memoryLimit = DEFAULT_MEMORY_LIMIT;

export function setMemoryLimit(bytes: number): void {
  memoryLimit = bytes;
}

/**
 * After a call returns (the arena back at its base): if the memory grew past the limit, give it back. wasm memory
 * cannot shrink, so the module gets a fresh instance of the same compiled code (its memory at the initial size) and
 * the old one, with its large buffer, is left to the garbage collector. If the engine refuses the instantiation, the
 * old instance stays (correct, only larger). While prepared layers keep packed weights below the arena's floor
 * (`persist`), the top never returns to the base and the memory is kept: a fresh instance would lose them.
 */
export function releaseMemory(m: WasmModule): void {
  // A threads build's memory is shared with the pool's instances: it is kept (terminate() lets it go).
  if (m.threaded || m.arena.top !== m.arena.base || m.exports.memory.buffer.byteLength <= memoryLimit) return;
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(m.compiled, {});
  } catch {
    return;
  }
  const exports = instance.exports as unknown as WasmExports;
  m.exports = exports;
  m.arena = new Arena(exports.memory, exports.heapBase() >>> 0);
  m.generation++;
}

/**
 * Touch `bytes` of the module's memory above the arena (growing it if needed) and give them back: fresh wasm memory
 * faults its pages in on first write, which a first call would otherwise pay inside its timing.
 */
export function prefault(m: WasmModule, bytes: number): void {
  const mark = m.arena.mark();
  try {
    const p = m.arena.alloc(bytes);
    new Uint8Array(m.exports.memory.buffer, p, bytes).fill(0);
  } catch {
    // Memory refused to grow: nothing to prefault, the calls will say so themselves.
  } finally {
    m.arena.release(mark);
  }
}

const modules = new Map<WasmVariant, WasmModule>();

/** Instantiate one variant synchronously (cached). Throws where the engine refuses to compile it. */
export function instantiateSync(variant: WasmVariant): WasmModule {
  let m = modules.get(variant);
  if (!m) {
    checkCompiles();
    const module = new WebAssembly.Module(bytesOf(variant));
    m = wrapInstance(variant, module, new WebAssembly.Instance(module, {}));
    modules.set(variant, m);
  }
  return m;
}

/** Instantiate one variant asynchronously (cached). */
export async function instantiate(variant: WasmVariant): Promise<WasmModule> {
  let m = modules.get(variant);
  if (!m) {
    checkCompiles();
    await loadBinaries([variant]);
    const { module, instance } = await WebAssembly.instantiate(bytesOf(variant), {});
    m = modules.get(variant) ?? wrapInstance(variant, module, instance);
    modules.set(variant, m);
  }
  return m;
}

/** The best build that instantiates, or why none does. */
export type LoadResult = { module: WasmModule; reason?: undefined } | { module?: undefined; reason: string };

function noneLoaded(candidates: readonly WasmVariant[], errors: string[]): LoadResult {
  return { reason: compileRefusal() ?? (candidates.length === 0 ? 'this engine supports no wasm build' : errors.join('; ')) };
}

/** The first of `candidates` (best first) that instantiates synchronously. */
export function loadBestSync(candidates: readonly WasmVariant[]): LoadResult {
  const errors: string[] = [];
  for (const v of candidates) {
    if (compileRefusal()) break;
    try {
      return { module: instantiateSync(v) };
    } catch (e) {
      // Not loaded, or refused (main-thread size limit of some engines): try the next build.
      errors.push(`${v}: ${(e as Error).message}`);
    }
  }
  return noneLoaded(candidates, errors);
}

/** The first of `candidates` (best first) that instantiates, loading its binary where needed. */
export async function loadBest(candidates: readonly WasmVariant[]): Promise<LoadResult> {
  const errors: string[] = [];
  for (const v of candidates) {
    if (compileRefusal()) break;
    try {
      return { module: await instantiate(v) };
    } catch (e) {
      errors.push(`${v}: ${(e as Error).message}`);
    }
  }
  return noneLoaded(candidates, errors);
}

/** The instantiated module of a variant, if any (tests use it to check the arena returns to its mark). */
export function loadedModule(variant: WasmVariant): WasmModule | undefined {
  return modules.get(variant);
}

/** Bytes of the GEMM's packing block (assembly/gemm_core.ts PACK_BYTES): one per thread in a threads build. */
export const PACK_BYTES = 262144;
/** Pages a threads build declares (asconfig.json: initialMemory, maximumMemory). */
const THREADS_INITIAL_PAGES = 16;
const THREADS_MAXIMUM_PAGES = 65536;

function wrapThreaded(variant: WasmVariant, compiled: WebAssembly.Module, instance: WebAssembly.Instance, memory: WebAssembly.Memory): WasmModule {
  const exports: WasmExports = { ...(instance.exports as unknown as WasmExports), memory };
  const m: WasmModule = {
    variant, exports, arena: new Arena(memory, exports.heapBase() >>> 0), compiled, initialBytes: memory.buffer.byteLength,
    generation: 0, threaded: true,
  };
  // A threads build has no static pack block: the calling thread's comes from the arena, as the workers' do.
  (exports.setPackBuffer as (p: number) => void)(m.arena.persist(PACK_BYTES));
  return m;
}

const threadedModules = new Map<WasmVariant, WasmModule>();

function sharedMemory(): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: THREADS_INITIAL_PAGES, maximum: THREADS_MAXIMUM_PAGES, shared: true });
}

/** Instantiate the threads build of a SIMD variant over a new shared memory (cached), synchronously. */
export function instantiateThreadsSync(variant: 'simd' | 'relaxed'): WasmModule {
  let m = threadedModules.get(variant);
  if (!m) {
    checkCompiles();
    const module = new WebAssembly.Module(bytesOf(`threads-${variant}`));
    const memory = sharedMemory();
    m = wrapThreaded(variant, module, new WebAssembly.Instance(module, { env: { memory } }), memory);
    threadedModules.set(variant, m);
  }
  return m;
}

/** The same, loading the build's chunk first. */
export async function instantiateThreads(variant: 'simd' | 'relaxed'): Promise<WasmModule> {
  let m = threadedModules.get(variant);
  if (!m) {
    checkCompiles();
    await loadBinaries([`threads-${variant}`]);
    const memory = sharedMemory();
    const { module, instance } = await WebAssembly.instantiate(bytesOf(`threads-${variant}`), { env: { memory } });
    m = threadedModules.get(variant) ?? wrapThreaded(variant, module, instance, memory);
    threadedModules.set(variant, m);
  }
  return m;
}

/** The instantiated threads build of a variant, if any (tests watch its shared memory). */
export function loadedThreadsModule(variant: 'simd' | 'relaxed'): WasmModule | undefined {
  return threadedModules.get(variant);
}
