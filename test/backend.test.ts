// Backend selection: init/initSync/setBackend/getBackend, the per-call option, and the variants this engine runs.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { correlate, getBackend, init, initSync, setBackend, supportedVariants } from '../src/index';
import { backendCases } from './helpers';
import { expectWithin, sumTol } from './tolerance';

describe('backends', () => {
  afterAll(() => {
    initSync();
  });
  it('every variant this project tests is supported by the engine', () => {
    for (const c of backendCases()) if (c !== 'js') expect(supportedVariants()).toContain(c);
  });
  it('init() picks the best supported build and is idempotent', async () => {
    const a = await init();
    const b = await init();
    expect(a).toEqual(b);
    expect(a.name).toBe('wasm');
    expect(a.variant).toBe(supportedVariants()[0]);
    expect(a.simd).toBe(a.variant !== 'scalar');
    expect(a.relaxedSimd).toBe(a.variant === 'relaxed');
    expect(a.threads).toBe(1);
  });
  it("init({ backend: 'js' }) and setBackend switch the default", async () => {
    expect((await init({ backend: 'js' })).name).toBe('js');
    expect(getBackend()).toEqual({ name: 'js', simd: false, relaxedSimd: false, threads: 1, variant: undefined });
    expect(setBackend('wasm').name).toBe('wasm');
    expect(setBackend('js').name).toBe('js');
    expect(setBackend('auto').name).toBe('wasm');
  });
  it('initSync with a variant loads that build', () => {
    for (const v of supportedVariants()) expect(initSync({ backend: 'wasm', variant: v }).variant).toBe(v);
  });
  it('the per-call backend option overrides the default and both agree', () => {
    setBackend('js');
    const x = new Float32Array(100).map((_, i) => Math.sin(i));
    const h = new Float32Array([0.5, -1, 2, 0.25]);
    const a = correlate(x, h, { backend: 'wasm' });
    const b = correlate(x, h, { backend: 'js' });
    expect(a.length).toBe(103);
    // Two float32 computations of 4-term sums: each within sumTol of the exact value (test/tolerance.ts).
    const mag = correlate(Float64Array.from(x, Math.abs), Float64Array.from(h, Math.abs), { backend: 'js' });
    expectWithin(a, b, Float64Array.from(sumTol('float32', 4, mag), (v) => 2 * v));
    expect(getBackend().name).toBe('js');
  });
});

// init's errors follow the contract: a RangeError for a build the engine cannot run, and an Error subclass saying
// why when wasm is required but cannot be instantiated. A fresh copy of the package sees a patched WebAssembly; in a
// browser vi.resetModules gives no fresh copy (native ES modules stay cached), so these run in Node.
const isNode = typeof process === 'object' && !!process.versions?.node;
describe.runIf(isNode)('init errors', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });
  /** A fresh package whose engine validates no relaxed-SIMD build (as Node 20 without its flag, or Safari). */
  async function withoutRelaxed(): Promise<typeof import('../src/index')> {
    vi.resetModules();
    const realValidate = WebAssembly.validate;
    // The relaxed-SIMD probe is the one module holding i8x16.relaxed_swizzle (0xfd 0x80 0x02).
    const relaxedOp = (b: Uint8Array) => b.some((x, i) => x === 0xfd && b[i + 1] === 0x80 && b[i + 2] === 0x02);
    vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes: BufferSource) =>
      !relaxedOp(new Uint8Array(bytes as ArrayBuffer)) && realValidate(bytes));
    const wasm = await import('../src/wasm');
    await wasm.loadBinaries(['simd', 'scalar']); // the fresh loader has no binary yet (the CJS build has all)
    return import('../src/index');
  }
  it("init({ variant: 'relaxed' }) without relaxed SIMD: a RangeError naming variant", async () => {
    const cc = await withoutRelaxed();
    await expect(cc.init({ variant: 'relaxed' })).rejects.toThrow(RangeError);
    await expect(cc.init({ variant: 'relaxed' })).rejects.toThrow(/init: variant 'relaxed' needs relaxed SIMD, which this engine does not support \(supported builds: 'simd', 'scalar'\)/);
    expect(() => cc.initSync({ backend: 'wasm', variant: 'relaxed' })).toThrow(RangeError);
    expect(cc.initSync({ variant: 'simd' }).variant).toBe('simd');
  });
  it("backend 'wasm' when no build compiles: a WasmUnavailableError saying why, naming 'wasm-unsafe-eval'", async () => {
    vi.resetModules();
    vi.spyOn(WebAssembly, 'Module').mockImplementation(function () {
      throw new WebAssembly.CompileError('refused by Content-Security-Policy');
    } as never);
    vi.spyOn(WebAssembly, 'instantiate').mockImplementation((() => Promise.reject(new WebAssembly.CompileError('refused by Content-Security-Policy'))) as never);
    const cc = await import('../src/index');
    let err: unknown;
    try {
      cc.initSync({ backend: 'wasm' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(cc.WasmUnavailableError);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('WasmUnavailableError');
    expect((err as Error).message).toMatch(/^init: WebAssembly could not be instantiated in this engine: .*refused by Content-Security-Policy.*'wasm-unsafe-eval'/);
    await expect(cc.init({ backend: 'wasm', variant: 'scalar' })).rejects.toThrow(/init: WebAssembly \(scalar build\) could not be instantiated.*refused by Content-Security-Policy/);
    expect(() => cc.correlate([1, 2], [1], { backend: 'wasm' })).toThrow(cc.WasmUnavailableError);
    expect(cc.initSync().name).toBe('js');
  });
  it('no WebAssembly at all: the error says so', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    try {
      const cc = await import('../src/index');
      expect(() => cc.initSync({ backend: 'wasm' })).toThrow(/init: WebAssembly could not be instantiated in this engine: this engine has no WebAssembly/);
      expect(cc.initSync().name).toBe('js');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
