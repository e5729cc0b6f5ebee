// The loader's fallback at instantiate time: where the engine validates a build but refuses to compile it (a
// Content-Security-Policy without 'wasm-unsafe-eval' does exactly that), the next build is tried, down to 'js'.
// A refusal is probed once, with an empty module: under a strict CSP the page gets one violation report, not three,
// getBackend().reason says why wasm is not running, and forcing 'wasm' names 'wasm-unsafe-eval'.
import { afterEach, describe, expect, it, vi } from 'vitest';

type Index = typeof import('../src/index');

// A fresh copy needs vi.resetModules to re-evaluate the loader; in vitest's browser mode the native ES modules stay
// cached (the copy shares the page's loader, whose refusal probe ran once already), so the tests that count compile
// attempts or need a loader that has not probed yet run in Node only.
const isNode = typeof process === 'object' && !!process.versions?.node;

/** Every compile attempt of the fresh copy (each one a CSP violation report in a browser). */
let attempts = 0;

/** A fresh copy of the package (empty module cache) with WebAssembly compilation refused for some builds. */
async function freshWithRefusal(refuse: (bytes: Uint8Array) => boolean): Promise<Index> {
  vi.resetModules();
  attempts = 0;
  const RealModule = WebAssembly.Module;
  const realInstantiate = WebAssembly.instantiate;
  const realCompile = WebAssembly.compile;
  const refused = () => new WebAssembly.CompileError("WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'unsafe-eval' is not an allowed source of script");
  vi.spyOn(WebAssembly, 'Module').mockImplementation(function (this: unknown, bytes: BufferSource) {
    attempts++;
    if (refuse(new Uint8Array(bytes as ArrayBuffer))) throw refused();
    return new RealModule(bytes);
  } as never);
  vi.spyOn(WebAssembly, 'instantiate').mockImplementation(((bytes: BufferSource, imports?: WebAssembly.Imports) => {
    attempts++;
    if (refuse(new Uint8Array(bytes as ArrayBuffer))) return Promise.reject(refused());
    return realInstantiate(bytes, imports);
  }) as never);
  vi.spyOn(WebAssembly, 'compile').mockImplementation(((bytes: BufferSource) => {
    attempts++;
    if (refuse(new Uint8Array(bytes as ArrayBuffer))) return Promise.reject(refused());
    return realCompile(bytes);
  }) as never);
  const cc = await import('../src/index');
  const wasm = await import('../src/wasm');
  await wasm.loadBinaries(wasm.VARIANTS); // the fresh loader has no binary yet: give it all, as the CJS build has
  return cc;
}

describe('fallback when the engine refuses to compile wasm', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });
  it('every compile refused: initSync and init fall back to js, and ops still work', async () => {
    const cc = await freshWithRefusal(() => true);
    expect(cc.initSync().name).toBe('js');
    expect((await cc.init()).name).toBe('js');
    expect(Array.from(cc.correlate([2, 1, 3, 5, 4], [1, -1], { mode: 'valid' }))).toEqual([1, -2, -2, 1]);
    expect(() => cc.initSync({ backend: 'wasm' })).toThrow(/could not be instantiated/);
  });
  it('ops called before init() work when compiling is refused', async () => {
    const cc = await freshWithRefusal(() => true);
    expect(Array.from(cc.convolve([2, 1, 3, 5, 4], [1, -1], { mode: 'valid' }))).toEqual([-1, 2, 2, -1]);
    expect(cc.getBackend().name).toBe('js');
  });
  it.skipIf(!isNode)('a strict CSP: one compile attempt in all, the reason in getBackend(), and forcing wasm names wasm-unsafe-eval', async () => {
    const cc = await freshWithRefusal(() => true);
    expect(cc.getBackend()).toMatchObject({ name: 'js', reason: expect.stringMatching(/'wasm-unsafe-eval'/) });
    expect(cc.getBackend().reason).toMatch(/Refused to compile/);
    expect((await cc.init()).reason).toMatch(/'wasm-unsafe-eval'/);
    expect(() => cc.initSync({ backend: 'wasm' })).toThrow(/'wasm-unsafe-eval'/);
    await expect(cc.init({ backend: 'wasm', variant: 'scalar' })).rejects.toThrow(/'wasm-unsafe-eval'/);
    expect(() => cc.setBackend('wasm')).toThrow(/'wasm-unsafe-eval'/);
    expect(() => cc.correlate([1, 2, 3], [1, 1], { backend: 'wasm' })).toThrow(/correlate: .*'wasm-unsafe-eval'/);
    expect(Array.from(cc.correlate([1, 2, 3], [1, 1]))).toEqual([1, 3, 5, 3]);
    expect(attempts).toBe(1);
    expect(cc.initSync({ backend: 'js' }).reason).toBeUndefined();
  });
  it.skipIf(!isNode)('where wasm compiles, the probe adds one tiny compile and no reason', async () => {
    const cc = await freshWithRefusal(() => false);
    const info = cc.initSync();
    expect(info.name).toBe('wasm');
    expect(info.reason).toBeUndefined();
    expect(attempts).toBe(2); // the empty probe module, then the best build
  });
  it.skipIf(!isNode)('only the scalar build compiles: init picks it', async () => {
    const { size } = await import('../src/wasm-binaries/scalar');
    const cc = await freshWithRefusal((bytes) => bytes.length > 8 && bytes.length !== size);
    const info = await cc.init();
    expect(info).toMatchObject({ name: 'wasm', variant: 'scalar', simd: false });
    expect(Array.from(cc.correlate([2, 1, 3, 5, 4], [1, -1], { mode: 'valid' }))).toEqual([1, -2, -2, 1]);
  });
});
