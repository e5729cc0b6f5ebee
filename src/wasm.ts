// The loader: the only file that touches `WebAssembly`. It detects what the engine supports, instantiates the
// best variant (relaxed SIMD → SIMD → scalar; a failure at compile time, e.g. under a strict CSP, falls through to
// the next), and owns the module memory through a bump arena. It knows nothing about individual ops.
import * as binaries from './wasm-binaries';

export type WasmVariant = 'relaxed' | 'simd' | 'scalar';
export const VARIANTS: readonly WasmVariant[] = ['relaxed', 'simd', 'scalar'];

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
}

const PAGE = 65536;
/** wasm32 addresses: 65,536 pages of 64 KiB. */
export const MAX_WASM_BYTES = 65536 * PAGE;

/**
 * A bump allocator over the module memory. `mark()` before a call, `release(mark)` in `finally`: whatever the
 * call allocated is given back whether it returned or threw. Memory only grows; views are never kept here.
 */
export class Arena {
  readonly base: number;
  top: number;
  constructor(private readonly memory: WebAssembly.Memory, base: number) {
    this.base = align16(base);
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

const bytesCache = new Map<WasmVariant, Uint8Array<ArrayBuffer>>();
function bytesOf(variant: WasmVariant): Uint8Array<ArrayBuffer> {
  let b = bytesCache.get(variant);
  if (!b) {
    b = decodeBase64(binaries[variant]);
    bytesCache.set(variant, b);
  }
  return b;
}

/** Whether WebAssembly exists at all in this engine. */
export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
}

/** The variants this engine validates, best first. Validation never throws and compiles nothing. */
export function supportedVariants(): WasmVariant[] {
  if (!hasWebAssembly()) return [];
  return VARIANTS.filter((v) => {
    try {
      return WebAssembly.validate(bytesOf(v));
    } catch {
      return false;
    }
  });
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

export function getMemoryLimit(): number {
  return memoryLimit;
}

/**
 * After a call returns (the arena back at its base): if the memory grew past the limit, give it back. wasm memory
 * cannot shrink, so the module gets a fresh instance of the same compiled code (its memory at the initial size) and
 * the old one, with its large buffer, is left to the garbage collector. If the engine refuses the instantiation, the
 * old instance stays (correct, only larger).
 */
export function releaseMemory(m: WasmModule): void {
  if (m.arena.top !== m.arena.base || m.exports.memory.buffer.byteLength <= memoryLimit) return;
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

const modules = new Map<WasmVariant, WasmModule>();

/** Instantiate one variant synchronously (cached). Throws where the engine refuses to compile it. */
export function instantiateSync(variant: WasmVariant): WasmModule {
  let m = modules.get(variant);
  if (!m) {
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
    const { module, instance } = await WebAssembly.instantiate(bytesOf(variant), {});
    m = modules.get(variant) ?? wrapInstance(variant, module, instance);
    modules.set(variant, m);
  }
  return m;
}

/**
 * The first variant, best first, that validates and instantiates; undefined when none does. Each refusal is pushed
 * to `failures` (so that a caller that needs wasm can say why there is none).
 */
export function loadBestSync(candidates: readonly WasmVariant[], failures: { variant: WasmVariant; error: unknown }[] = []): WasmModule | undefined {
  for (const v of candidates) {
    try {
      return instantiateSync(v);
    } catch (error) {
      // Compile refused (strict CSP, main-thread size limit): try the next variant.
      failures.push({ variant: v, error });
    }
  }
  return undefined;
}

export async function loadBest(candidates: readonly WasmVariant[], failures: { variant: WasmVariant; error: unknown }[] = []): Promise<WasmModule | undefined> {
  for (const v of candidates) {
    try {
      return await instantiate(v);
    } catch (error) {
      // As above: fall through to the next variant, then to JS.
      failures.push({ variant: v, error });
    }
  }
  return undefined;
}

/** The instantiated module of a variant, if any (tests use it to check the arena returns to its mark). */
export function loadedModule(variant: WasmVariant): WasmModule | undefined {
  return modules.get(variant);
}
