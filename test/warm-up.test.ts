// An explicit init()/initSync() pays ahead what a first call would (backend.ts warmUp): it touches 4 MiB of wasm memory
// and runs each op module's small warm-up call. Checked on fresh copies of the package: the warm-up runs once per
// compiled build, leaves the arena at its base, is skipped by the first call's own instantiation and on 'js', and
// changes no result. What it saves is measured in bench/first-call.bench.mjs, not here.
import { describe, expect, it, vi } from 'vitest';
import { backendCases, randomArray } from './helpers';

const MiB = 1 << 20;

async function freshPackage() {
  vi.resetModules();
  const wasm = await import('../src/wasm');
  await wasm.loadBinaries(wasm.VARIANTS); // the fresh loader has no binary yet (the CJS build has all)
  const index = await import('../src/index');
  return { ...index, loadedModule: wasm.loadedModule };
}

const variants = backendCases().filter((c) => c !== 'js');

describe.each(variants)('warm-up on %s', (variant) => {
  it('init() touches 4 MiB, runs the warm-ups once, and leaves the arena at its base', async () => {
    const p = await freshPackage();
    await p.init({ variant });
    const m = p.loadedModule(variant)!;
    expect(m.arena.top).toBe(m.arena.base);
    expect(m.exports.memory.buffer.byteLength).toBeGreaterThanOrEqual(m.arena.base + 4 * MiB);
    expect(m.initialBytes).toBeLessThan(4 * MiB);
    const grown = m.exports.memory.buffer.byteLength;
    await p.init({ variant });
    p.initSync({ variant });
    expect(m.exports.memory.buffer.byteLength).toBe(grown);
  });

  it('initSync() warms up too; a first call without init does not', async () => {
    let p = await freshPackage();
    p.initSync({ variant });
    expect(p.loadedModule(variant)!.exports.memory.buffer.byteLength).toBeGreaterThanOrEqual(4 * MiB);
    p = await freshPackage();
    p.correlate(new Float32Array(8), new Float32Array(3), { backend: 'wasm' });
    const m = p.loadedModule(p.getBackend().variant!)!;
    expect(m.exports.memory.buffer.byteLength).toBe(m.initialBytes);
  });

  it("init({ backend: 'js' }) warms nothing", async () => {
    const p = await freshPackage();
    await p.init({ backend: 'js' });
    expect(p.loadedModule(variant)).toBeUndefined();
  });
});

it('results after a warmed init() are bitwise those of a cold first call (the best build)', async () => {
  const x = randomArray(5000, 3, 'float32') as Float32Array;
  const h = randomArray(31, 4, 'float32') as Float32Array;
  const img = { data: randomArray(40 * 40 * 4, 5, 'float32'), shape: [1, 4, 40, 40] };
  const w = { data: randomArray(4 * 4 * 9, 6, 'float32'), shape: [4, 4, 3, 3] };
  const run = (p: Awaited<ReturnType<typeof freshPackage>>) =>
    [p.correlate(x, h), p.conv2d(img, w, { padding: 1 }).data, p.ndimage.correlate(x, h)].map((r) => Array.from(r));
  let p = await freshPackage();
  await p.init();
  const warm = run(p);
  const warmVariant = p.getBackend().variant;
  p = await freshPackage();
  const cold = run(p); // the first call instantiates the build itself: no warm-up ran
  expect(p.getBackend().variant).toBe(warmVariant);
  expect(cold).toEqual(warm);
});
