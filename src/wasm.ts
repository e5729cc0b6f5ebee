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
  exports: WasmExports;
  arena: Arena;
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

function wrapInstance(variant: WasmVariant, instance: WebAssembly.Instance): WasmModule {
  const exports = instance.exports as unknown as WasmExports;
  return { variant, exports, arena: new Arena(exports.memory, exports.heapBase() >>> 0) };
}

const modules = new Map<WasmVariant, WasmModule>();

/** Instantiate one variant synchronously (cached). Throws where the engine refuses to compile it. */
export function instantiateSync(variant: WasmVariant): WasmModule {
  let m = modules.get(variant);
  if (!m) {
    const module = new WebAssembly.Module(bytesOf(variant));
    m = wrapInstance(variant, new WebAssembly.Instance(module, {}));
    modules.set(variant, m);
  }
  return m;
}

/** Instantiate one variant asynchronously (cached). */
export async function instantiate(variant: WasmVariant): Promise<WasmModule> {
  let m = modules.get(variant);
  if (!m) {
    const { instance } = await WebAssembly.instantiate(bytesOf(variant), {});
    m = modules.get(variant) ?? wrapInstance(variant, instance);
    modules.set(variant, m);
  }
  return m;
}

/** The first variant, best first, that validates and instantiates; undefined when none does. */
export function loadBestSync(candidates: readonly WasmVariant[]): WasmModule | undefined {
  for (const v of candidates) {
    try {
      return instantiateSync(v);
    } catch {
      // Compile refused (strict CSP, main-thread size limit): try the next variant.
    }
  }
  return undefined;
}

export async function loadBest(candidates: readonly WasmVariant[]): Promise<WasmModule | undefined> {
  for (const v of candidates) {
    try {
      return await instantiate(v);
    } catch {
      // As above: fall through to the next variant, then to JS.
    }
  }
  return undefined;
}

/** The instantiated module of a variant, if any (tests use it to check the arena returns to its mark). */
export function loadedModule(variant: WasmVariant): WasmModule | undefined {
  return modules.get(variant);
}
