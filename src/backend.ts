// Backend choice: which engine runs the kernels. 'wasm' is the SIMD module (or its scalar build), 'js' the plain
// TypeScript kernels that double as the readable reference. Ops work before init(): the first call instantiates
// synchronously where the engine allows it, else runs on 'js'.
import { options, rangeError, typeError } from './errors';
import {
  hasWebAssembly, loadBest, loadBestSync, setMemoryLimit, supportedVariants,
  type WasmModule, type WasmVariant, VARIANTS,
} from './wasm';

/**
 * Thrown when the wasm backend is required (`init({ backend: 'wasm' })`, a `backend: 'wasm'` option) but no build can
 * be instantiated; the message says why (no WebAssembly, no build validates, or the engine refused to compile one:
 * a Content-Security-Policy without 'wasm-unsafe-eval' does that), and `cause` holds the engine's own error if any.
 * @example try { initSync({ backend: 'wasm' }); } catch (e) { if (e instanceof WasmUnavailableError) initSync({ backend: 'js' }); }
 */
export class WasmUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WasmUnavailableError';
  }
}

/** Why no wasm build could be instantiated, from the failures the loader collected. */
function unavailable(op: string, failures: { variant: WasmVariant; error: unknown }[], variant?: WasmVariant): WasmUnavailableError {
  const what = `${op}: WebAssembly${variant ? ` (${variant} build)` : ''} could not be instantiated in this engine`;
  if (!hasWebAssembly()) return new WasmUnavailableError(`${what}: WebAssembly is not available`);
  if (failures.length === 0) return new WasmUnavailableError(`${what}: no wasm build validates here`);
  const why = failures.map((f) => `${f.variant}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
  return new WasmUnavailableError(`${what} (compile or instantiate refused — ${why})`, { cause: failures[0].error });
}

export type BackendName = 'wasm' | 'js';

export interface BackendInfo {
  name: BackendName;
  simd: boolean;
  relaxedSimd: boolean;
  threads: boolean;
  /** Which wasm build runs ('relaxed', 'simd' or 'scalar'); undefined on 'js'. */
  variant?: WasmVariant;
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
}

let wasm: WasmModule | undefined;
let active: BackendName | undefined;
let syncTried = false;

function check(opts: unknown): { backend: 'auto' | BackendName; variant?: WasmVariant } {
  const o = options<InitOptions>('init', opts, ['backend', 'variant', 'memoryLimit']);
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
  return { backend, variant: o.variant };
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

type Failures = { variant: WasmVariant; error: unknown }[];

function settle(backend: 'auto' | BackendName, m: WasmModule | undefined, failures: Failures, variant?: WasmVariant): BackendInfo {
  if (m) wasm = m;
  if (backend === 'wasm' && !wasm) throw unavailable('init', failures, variant);
  active = backend === 'js' || !wasm ? 'js' : 'wasm';
  return getBackend();
}

/**
 * Load and instantiate the best wasm build this engine supports, falling back to 'js'. Idempotent.
 * @example await init(); getBackend().name // 'wasm'
 */
export async function init(opts?: InitOptions): Promise<BackendInfo> {
  const { backend, variant } = check(opts);
  const failures: Failures = [];
  const m = backend === 'js' || !hasWebAssembly() ? undefined : await loadBest(candidates(variant), failures);
  return settle(backend, m, failures, variant);
}

/** The same as init(), synchronously (Node, workers, and engines that compile small modules on the main thread). */
export function initSync(opts?: InitOptions): BackendInfo {
  const { backend, variant } = check(opts);
  const failures: Failures = [];
  const m = backend === 'js' || !hasWebAssembly() ? undefined : loadBestSync(candidates(variant), failures);
  return settle(backend, m, failures, variant);
}

/** Switch the default backend. 'wasm' instantiates synchronously if init() has not run. */
export function setBackend(name: 'auto' | BackendName): BackendInfo {
  if (name !== 'auto' && name !== 'wasm' && name !== 'js') throw typeError('setBackend', 'name', "'auto', 'wasm' or 'js'", name);
  if (name === 'js') {
    active = 'js';
    return getBackend();
  }
  return initSync({ backend: name, variant: wasm?.variant });
}

export function getBackend(): BackendInfo {
  if (active === undefined) ensureInit();
  const v = active === 'wasm' ? wasm?.variant : undefined;
  return { name: active!, simd: v === 'simd' || v === 'relaxed', relaxedSimd: v === 'relaxed', threads: false, variant: v };
}

function ensureInit(): void {
  if (active !== undefined) return;
  if (!syncTried) {
    syncTried = true;
    try {
      initSync();
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
    const failures: Failures = [];
    const m = loadBestSync(supportedVariants(), failures);
    if (!m) throw unavailable(op, failures);
    wasm = m;
  }
  return { name, module: wasm };
}
