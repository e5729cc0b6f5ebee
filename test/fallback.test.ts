// The loader's fallback at instantiate time: where the engine validates a build but refuses to compile it (a
// Content-Security-Policy without 'wasm-unsafe-eval' does exactly that), the next build is tried, down to 'js'.
import { afterEach, describe, expect, it, vi } from 'vitest';

type Index = typeof import('../src/index');

/** A fresh copy of the package (empty module cache) with WebAssembly compilation refused for some builds. */
async function freshWithRefusal(refuse: (bytes: Uint8Array) => boolean): Promise<Index> {
  vi.resetModules();
  const RealModule = WebAssembly.Module;
  const realInstantiate = WebAssembly.instantiate;
  vi.spyOn(WebAssembly, 'Module').mockImplementation(function (this: unknown, bytes: BufferSource) {
    if (refuse(new Uint8Array(bytes as ArrayBuffer))) throw new WebAssembly.CompileError('refused by Content-Security-Policy');
    return new RealModule(bytes);
  } as never);
  vi.spyOn(WebAssembly, 'instantiate').mockImplementation(((bytes: BufferSource, imports?: WebAssembly.Imports) => {
    if (refuse(new Uint8Array(bytes as ArrayBuffer))) return Promise.reject(new WebAssembly.CompileError('refused by Content-Security-Policy'));
    return realInstantiate(bytes, imports);
  }) as never);
  return import('../src/index');
}

/** Byte length of a base64 string (the builds are told apart by their size). */
function atobLength(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length * 3) / 4 - pad;
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
  it('only the scalar build compiles: init picks it', async () => {
    const { scalar } = await import('../src/wasm-binaries');
    const n = atobLength(scalar);
    const cc = await freshWithRefusal((bytes) => bytes.length !== n);
    const info = await cc.init();
    expect(info).toMatchObject({ name: 'wasm', variant: 'scalar', simd: false });
    expect(Array.from(cc.correlate([2, 1, 3, 5, 4], [1, -1], { mode: 'valid' }))).toEqual([1, -2, -2, 1]);
  });
});
