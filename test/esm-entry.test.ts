// The ESM entry (src/esm.ts, the package's `import` build): importing it loads the binary of the one build this
// engine runs, and nothing else, yet initSync() and a first call before init() run on wasm synchronously.
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.resetModules();
});

// Node only: a fresh ESM entry needs vi.resetModules, which vitest's browser mode cannot apply to native ES modules.
const isNode = typeof process === 'object' && !!process.versions?.node;

it.skipIf(!isNode)('loads only the best build, and the synchronous paths run on it', async () => {
  vi.resetModules(); // a fresh loader: test/setup-binaries.ts loaded every build into the shared one
  const cc = await import('../src/esm');
  const wasm = await import('../src/wasm');
  const best = wasm.supportedVariants()[0];
  expect(wasm.loadedBinaries()).toEqual([best]);
  expect(Array.from(cc.correlate([2, 1, 3, 5, 4], [1, -1], { mode: 'valid' }))).toEqual([1, -2, -2, 1]);
  expect(cc.getBackend()).toMatchObject({ name: 'wasm', variant: best });
  expect(cc.initSync()).toMatchObject({ name: 'wasm', variant: best });
  expect(wasm.loadedBinaries()).toEqual([best]);
  // Another build is one await away, and then synchronous too.
  const other = wasm.supportedVariants().find((v) => v !== best)!;
  expect(() => cc.initSync({ backend: 'wasm', variant: other })).toThrow(/not loaded.*await init\(\{ variant/);
  expect((await cc.init({ backend: 'wasm', variant: other })).variant).toBe(other);
  expect(cc.initSync({ backend: 'wasm', variant: other }).variant).toBe(other);
});
