// The thread pool (init({ threads })): every op gives the same bits at 1, 2 and 3 threads (3: an odd split), on
// the golden fixtures and on random shapes, with the split forced on small inputs (tuning lowered) so that every
// parallel path runs; the pool's lifecycle; bad thread counts. Where the engine cannot share memory (a page without
// cross-origin isolation) init resolves with threads: 1 and a reason, and the same bits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conv1d, conv2d, conv3d, conv2dBackward, conv3dBackward, convTranspose2d, correlate, convolve, fftconvolve, oaconvolve,
  getBackend, init, matchTemplate, ndimage, terminate, correlate2d, type NDArray,
} from '../src/index';
import { tuning } from '../src/threads';
import { loadedThreadsModule } from '../src/wasm';
import nnFx from './fixtures/nn.json';
import { backendCases, firstDiff, fromFixture, relErr, splitEverything, TOL, useBackend, type FixtureArray } from './helpers';

const variant = backendCases().find((b) => b === 'relaxed' || b === 'simd');

/** A deterministic generator (fast-check's seeded samples) of random float data. */
function data(n: number, seed: number, dtype: 'float32' | 'float64'): Float32Array | Float64Array {
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

type Result = ArrayLike<number> | NDArray | { gradInput: NDArray; gradWeight: NDArray } | { re: ArrayLike<number>; im: ArrayLike<number> };
interface Case {
  name: string;
  run: () => Result;
  /** The reference's result (golden fixtures), checked on the split results too. */
  expected?: { data: ArrayLike<number>; tol: number };
}

function flat(r: Result): ArrayLike<number>[] {
  if ('gradInput' in r) return [r.gradInput.data, r.gradWeight.data];
  if ('re' in r) return [r.re, r.im];
  if ('data' in r && 'shape' in r) return [r.data];
  return [r as ArrayLike<number>];
}

const nnCases = (nnFx.cases as unknown as { name: string; fn: string; expected: FixtureArray; args: Record<string, unknown> & { input: FixtureArray; weight: FixtureArray; bias?: FixtureArray } }[])
  .filter((c) => c.fn === 'conv1d' || c.fn === 'conv2d' || c.fn === 'conv3d');

function cases(): Case[] {
  const list: Case[] = [];
  const ops = { conv1d, conv2d, conv3d } as Record<string, (x: NDArray, w: NDArray, o: object) => NDArray>;
  for (const dtype of ['float32', 'float64'] as const) {
    for (const c of nnCases) {
      const { input, weight, bias, ...rest } = c.args;
      const o = { ...rest, ...(bias ? { bias: fromFixture(bias, dtype).data } : {}) };
      list.push({ name: `${c.name} ${dtype}`, run: () => ops[c.fn](fromFixture(input, dtype), fromFixture(weight, dtype), o),
        expected: { data: c.expected.data, tol: TOL[dtype] } });
    }
  }
  // Random conv2d layers on every path: both layouts, groups, strides, paddings, 1×1, 3×3 (Winograd), depthwise.
  const layer = fc.record({
    N: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 20 }), H: fc.integer({ min: 1, max: 19 }), W: fc.integer({ min: 1, max: 19 }),
    Cout: fc.integer({ min: 1, max: 20 }), k: fc.constantFrom(1, 2, 3, 5), s: fc.constantFrom(1, 1, 2), p: fc.constantFrom(0, 1, 2),
    dw: fc.boolean(), cl: fc.boolean(), f64: fc.boolean(), mode: fc.constantFrom('zeros', 'reflect', 'replicate', 'circular'), seed: fc.integer(),
  });
  for (const [i, L] of fc.sample(layer, { seed: 13, numRuns: 60 }).entries()) {
    const dtype = L.f64 ? 'float64' : 'float32';
    const C = L.dw ? L.C : L.C;
    const Cout = L.dw ? L.C : L.Cout;
    const groups = L.dw ? L.C : 1;
    const H = Math.max(L.H, L.k);
    const W = Math.max(L.W, L.k);
    const p = L.mode === 'zeros' ? L.p : Math.min(L.p, H - 1, W - 1);
    const x = { data: data(L.N * C * H * W, L.seed, dtype), shape: L.cl ? [L.N, H, W, C] : [L.N, C, H, W] };
    const w = { data: data(Cout * (C / groups) * L.k * L.k, L.seed + 1, dtype), shape: L.cl ? [L.k, L.k, C / groups, Cout] : [Cout, C / groups, L.k, L.k] };
    const opts = { stride: L.s, padding: p, groups, layout: L.cl ? 'channels-last' : 'channels-first', paddingMode: L.mode } as const;
    list.push({ name: `random conv2d #${i}`, run: () => conv2d(x, w, opts) });
    const oh = Math.floor((H + 2 * p - L.k) / L.s) + 1;
    const ow = Math.floor((W + 2 * p - L.k) / L.s) + 1;
    const dy = { data: data(L.N * Cout * oh * ow, L.seed + 2, dtype), shape: L.cl ? [L.N, oh, ow, Cout] : [L.N, Cout, oh, ow] };
    list.push({ name: `random conv2dBackward #${i}`, run: () => conv2dBackward(x, w, dy, opts) });
  }
  // The Winograd weight gradient (3×3, stride 1, ≥ 8 channels) split by output channels, and a 3-D layer.
  for (const dtype of ['float32', 'float64'] as const) {
    const x = { data: data(2 * 16 * 12 * 10, 5, dtype), shape: [2, 16, 12, 10] };
    const w = { data: data(40 * 16 * 9, 6, dtype), shape: [40, 16, 3, 3] };
    const dy = { data: data(2 * 40 * 12 * 10, 7, dtype), shape: [2, 40, 12, 10] };
    list.push({ name: `winograd backward ${dtype}`, run: () => conv2dBackward(x, w, dy, { padding: 1 }) });
    const x3 = { data: data(3 * 6 * 7 * 8, 8, dtype), shape: [1, 3, 6, 7, 8] };
    const w3 = { data: data(5 * 3 * 27, 9, dtype), shape: [5, 3, 3, 3, 3] };
    list.push({ name: `conv3d ${dtype}`, run: () => conv3d(x3, w3, { padding: 1 }) });
    const dy3 = { data: data(5 * 6 * 7 * 8, 10, dtype), shape: [1, 5, 6, 7, 8] };
    list.push({ name: `conv3dBackward ${dtype}`, run: () => conv3dBackward(x3, w3, dy3, { padding: 1 }) });
    list.push({ name: `convTranspose2d ${dtype}`, run: () => convTranspose2d(x, { data: w.data, shape: [16, 40, 3, 3] }, { stride: 2, padding: 1 }) });
    const x1 = { data: data(2 * 4 * 300, 11, dtype), shape: [2, 4, 300] };
    list.push({ name: `conv1d 9 taps (folded Winograd) ${dtype}`, run: () => conv1d(x1, { data: data(6 * 4 * 9, 12, dtype), shape: [6, 4, 9] }, { padding: 4 }) });
  }
  // Signal ops, direct and FFT (1-D overlap-add blocks), ndimage filters on every boundary, template matching.
  const sig = fc.record({
    n: fc.integer({ min: 1, max: 3000 }), k: fc.integer({ min: 1, max: 300 }), mode: fc.constantFrom('full', 'same', 'valid'),
    method: fc.constantFrom('direct', 'fft'), f64: fc.boolean(), seed: fc.integer(),
  });
  for (const [i, S] of fc.sample(sig, { seed: 14, numRuns: 30 }).entries()) {
    const dtype = S.f64 ? 'float64' : 'float32';
    const a = data(S.n, S.seed, dtype);
    const b = data(S.k, S.seed + 1, dtype);
    list.push({ name: `random correlate 1-D #${i}`, run: () => correlate(a, b, { mode: S.mode, method: S.method }) });
    list.push({ name: `random oaconvolve 1-D #${i}`, run: () => oaconvolve(a, b, { mode: S.mode }) });
  }
  const img = fc.record({
    h: fc.integer({ min: 1, max: 70 }), w: fc.integer({ min: 1, max: 70 }), kh: fc.integer({ min: 1, max: 7 }), kw: fc.integer({ min: 1, max: 7 }),
    mode: fc.constantFrom('reflect', 'constant', 'nearest', 'mirror', 'wrap'), f64: fc.boolean(), seed: fc.integer(),
  });
  for (const [i, I] of fc.sample(img, { seed: 15, numRuns: 30 }).entries()) {
    const dtype = I.f64 ? 'float64' : 'float32';
    const x = { data: data(I.h * I.w, I.seed, dtype), shape: [I.h, I.w] };
    const h = { data: data(I.kh * I.kw, I.seed + 1, dtype), shape: [I.kh, I.kw] };
    list.push({ name: `random ndimage.correlate #${i}`, run: () => ndimage.correlate(x, h, { mode: I.mode }) });
    list.push({ name: `random ndimage.convolve float32 sums #${i}`, run: () => ndimage.convolve(x, h, { mode: I.mode, accumulate: 'float32' }) });
    list.push({ name: `random correlate2d #${i}`, run: () => correlate2d(x, h, { mode: 'same', boundary: 'symm' }) });
    list.push({ name: `random correlate N-D #${i}`, run: () => convolve(x, h, { mode: 'full', method: 'direct' }) });
    list.push({ name: `random fftconvolve 2-D #${i}`, run: () => fftconvolve(x, h, { mode: 'same' }) });
    if (I.h >= I.kh && I.w >= I.kw) list.push({ name: `random matchTemplate #${i}`, run: () => matchTemplate(x, h, { method: 'ccoeff-normed' }) });
  }
  const vol = { data: data(9 * 10 * 11, 3, 'float64'), shape: [9, 10, 11] };
  const ker = { data: data(27, 4, 'float64'), shape: [3, 3, 3] };
  list.push({ name: 'ndimage.correlate 3-D', run: () => ndimage.correlate(vol, ker, { mode: 'wrap' }) });
  list.push({ name: 'correlate 3-D direct', run: () => correlate(vol, ker, { method: 'direct' }) });
  list.push({ name: 'complex correlate', run: () => correlate({ re: data(500, 1, 'float64'), im: data(500, 2, 'float64') }, { re: data(40, 3, 'float64'), im: data(40, 4, 'float64') }) });
  return list;
}

describe.skipIf(!variant)(`thread pool (${variant ?? 'no SIMD build in this project'})`, () => {
  splitEverything(variant!);

  it('gives the same bits at 1, 2 and 3 threads on every op (fixtures and random shapes, split into small chunks)', async () => {
    const list = cases();
    const results: ArrayLike<number>[][][] = [];
    let threaded = false;
    for (const n of [1, 2, 3]) {
      const info = await init({ backend: 'wasm', variant, threads: n });
      expect(info.variant).toBe(variant);
      if (info.threads !== n) {
        // Only where shared memory is impossible (a page that is not cross-origin isolated).
        expect(info.threads).toBe(1);
        expect(info.threadsReason).toMatch(/cross-origin isolated|SharedArrayBuffer/);
      } else if (n > 1) {
        threaded = true;
      }
      const before = tuning.regions;
      results.push(list.map((c) => flat(c.run())));
      if (info.threads > 1) expect(tuning.regions - before).toBeGreaterThan(list.length / 2);
    }
    const bad: string[] = [];
    list.forEach((c, i) => {
      for (const t of [1, 2]) {
        results[t][i].forEach((arr, j) => {
          const d = firstDiff(arr, results[0][i][j]);
          if (d >= 0) bad.push(`${c.name} at ${t + 1} threads: result ${j} differs at ${d} (${arr[d]} vs ${results[0][i][j][d]})`);
        });
      }
    });
    // The split paths (chunks of 64 multiply-adds here) against PyTorch's results.
    list.forEach((c, i) => {
      if (c.expected && relErr(results[1][i][0], c.expected.data) > c.expected.tol) bad.push(`${c.name}: off PyTorch's result`);
    });
    expect(bad).toEqual([]);
    if (typeof process === 'object' && process.versions?.node) expect(threaded).toBe(true);
  });

  it('NaN and ±Infinity in the inputs: the same bits as one thread (the kernels that scan for them answer through the pool)', async () => {
    // Paths that step aside for non-finite data (Winograd, FFT) and matchTemplate's shifted-plane scan read a flag that
    // a kernel returns; the threads build's binders once dropped it, so every input looked finite with a pool.
    const x = { data: data(8 * 20 * 20, 31, 'float32'), shape: [1, 8, 20, 20] };
    const w = { data: data(8 * 8 * 9, 32, 'float32'), shape: [8, 8, 3, 3] };
    x.data[5 * 20 + 7] = NaN;
    x.data[400 + 3 * 20 + 11] = Infinity;
    const sig = data(3000, 33, 'float64');
    sig[1234] = NaN;
    const h = data(200, 34, 'float64');
    const img = { data: data(60 * 70, 35, 'float32'), shape: [60, 70] };
    img.data[30 * 70 + 33] = -Infinity;
    const tpl = { data: data(9 * 8, 36, 'float32'), shape: [9, 8] };
    const ops: [string, () => ArrayLike<number>][] = [
      ['conv2d (Winograd)', () => conv2d(x, w, { padding: 1 }).data],
      ['correlate (auto: FFT)', () => correlate(sig, h) as Float64Array],
      ['fftconvolve', () => fftconvolve(sig, h) as Float64Array],
      ['matchTemplate', () => matchTemplate(img, tpl, { convMethod: 'fft' }).data],
    ];
    useBackend(variant!);
    const one = ops.map(([, f]) => f());
    for (const n of [2, 3]) {
      const info = await init({ backend: 'wasm', variant, threads: n });
      if (info.threads === 1) continue;
      ops.forEach(([name, f], i) => expect(firstDiff(f(), one[i]), `${name} at ${n} threads`).toBe(-1));
    }
    terminate();
    useBackend(variant!);
  });

  it('init/terminate/init again; a count that changes grows or shrinks the pool', async () => {
    const info = await init({ backend: 'wasm', variant, threads: 2 });
    if (info.threads === 1) return; // no shared memory here: the first test checked the reason
    expect(getBackend().threads).toBe(2);
    expect((await init({ backend: 'wasm', variant, threads: 3 })).threads).toBe(3);
    expect((await init({ backend: 'wasm', variant, threads: 2 })).threads).toBe(2);
    terminate();
    expect(getBackend().threads).toBe(1);
    expect(getBackend().threadsReason).toBeUndefined();
    expect((await init({ backend: 'wasm', variant, threads: 2 })).threads).toBe(2);
    expect((await init({ backend: 'wasm', variant })).threads).toBe(1); // default: one thread, the pool ends
    expect((await init({ backend: 'js', threads: 2 })).threads).toBe(1);
    expect(getBackend().threadsReason).toMatch(/'js' backend/);
    useBackend(variant!);
  });

  it('a throwing call between threaded calls, many calls without memory growth, a call that grows memory', async () => {
    const info = await init({ backend: 'wasm', variant, threads: 2 });
    if (info.threads === 1) return;
    const x = { data: data(8 * 30 * 30, 1, 'float32'), shape: [1, 8, 30, 30] };
    const w = { data: data(8 * 8 * 9, 2, 'float32'), shape: [8, 8, 3, 3] };
    const first = conv2d(x, w, { padding: 1 }).data;
    expect(() => conv2d(x, { data: w.data, shape: [8, 7, 3, 3] }, { padding: 1 })).toThrow(RangeError);
    expect(() => conv2d(x, w, { padding: 1, stried: 2 } as object)).toThrow(TypeError);
    expect(firstDiff(conv2d(x, w, { padding: 1 }).data, first)).toBe(-1);
    const memory = () => loadedThreadsModule(variant as 'simd' | 'relaxed')!.exports.memory.buffer.byteLength;
    const grown = memory();
    for (let i = 0; i < 200; i++) conv2d(x, w, { padding: 1 });
    expect(memory()).toBe(grown);
    // 32 MiB of scratch: the shared memory grows while the workers hold it; results stay those of one thread.
    const big = { data: data(16 * 256 * 256, 3, 'float32'), shape: [1, 16, 256, 256] };
    const wb = { data: data(16 * 16 * 9, 4, 'float32'), shape: [16, 16, 3, 3] };
    const r2 = conv2d(big, wb, { padding: 1 }).data;
    expect(memory()).toBeGreaterThan(grown);
    terminate();
    useBackend(variant!);
    expect(firstDiff(conv2d(big, wb, { padding: 1 }).data, r2)).toBe(-1);
  });

  it('calls too small to split run on the one-thread build, outside the shared memory, with the same bits', async () => {
    const x = { data: data(8 * 30 * 30, 5, 'float32'), shape: [1, 8, 30, 30] };
    const w = { data: data(8 * 8 * 9, 6, 'float32'), shape: [8, 8, 3, 3] };
    const dw = { data: data(8 * 9, 7, 'float32'), shape: [8, 1, 3, 3] };
    const img = { data: data(64 * 64, 8, 'float64'), shape: [64, 64] };
    const h3 = { data: data(9, 9, 'float64'), shape: [3, 3] };
    const h5 = { data: data(25, 10, 'float64'), shape: [5, 5] };
    const calls = [
      () => conv2d(x, w, { padding: 1 }).data,
      () => conv2d(x, dw, { padding: 1, groups: 8, bias: data(8, 11, 'float32') }).data,
      () => ndimage.correlate(img, h3).data,
      () => (correlate(img, h5, { mode: 'same', method: 'direct' }) as NDArray).data,
      () => (correlate(img, h5, { method: 'fft' }) as NDArray).data, // 2-D transforms never split
      () => {
        const g = conv2dBackward(x, w, { data: data(8 * 30 * 30, 12, 'float32'), shape: [1, 8, 30, 30] }, { padding: 1 });
        return Float32Array.from([...g.gradInput.data, ...g.gradWeight.data]);
      },
      () => correlate(data(500, 13, 'float64'), Float64Array.of(1, NaN, 2)) as Float64Array, // NumPy's overlap sums
    ];
    const saved = tuning.minWork;
    tuning.minWork = 1 << 23; // the default: none of these calls splits
    try {
      await init({ backend: 'wasm', variant, threads: 1 });
      const ref = calls.map((c) => c().slice());
      const info = await init({ backend: 'wasm', variant, threads: 2 });
      if (info.threads === 1) return;
      const m = loadedThreadsModule(variant as 'simd' | 'relaxed')!;
      // Where a call's scratch would go in the shared memory: marked, and still marked after the calls.
      const marked = () => new Uint8Array(m.exports.memory.buffer, m.arena.top, Math.min(1 << 20, m.exports.memory.buffer.byteLength - m.arena.top));
      marked().fill(0xa5);
      const regions = tuning.regions;
      calls.forEach((c, i) => expect(firstDiff(c(), ref[i])).toBe(-1));
      expect(marked().every((b) => b === 0xa5)).toBe(true);
      expect(tuning.regions).toBe(regions);
      // The same calls split (threshold 0) do run in the shared memory: the mark can fail.
      tuning.minWork = 0;
      calls.forEach((c, i) => expect(firstDiff(c(), ref[i])).toBe(-1));
      expect(marked().every((b) => b === 0xa5)).toBe(false);
    } finally {
      tuning.minWork = saved;
    }
  });

  it('a worker that dies: the pool falls back to one thread, says why, and calls keep their results', async () => {
    const info = await init({ backend: 'wasm', variant, threads: 3 });
    if (info.threads === 1) return;
    const x = { data: data(8 * 30 * 30, 5, 'float32'), shape: [1, 8, 30, 30] };
    const w = { data: data(8 * 8 * 9, 6, 'float32'), shape: [8, 8, 3, 3] };
    const before = conv2d(x, w, { padding: 1 }).data;
    loadedThreadsModule(variant as 'simd' | 'relaxed')!.pool!.workers[1].terminate();
    // Right after the kill (its exit not yet seen) a call must not hang: the dead worker's share runs here.
    expect(firstDiff(conv2d(x, w, { padding: 1 }).data, before)).toBe(-1);
    for (let i = 0; i < 100 && getBackend().threads !== 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(getBackend().threads).toBe(1);
    expect(getBackend().threadsReason).toMatch(/worker 2 exited/);
    expect(firstDiff(conv2d(x, w, { padding: 1 }).data, before)).toBe(-1);
    expect((await init({ backend: 'wasm', variant, threads: 2 })).threads).toBe(2); // a new pool
    expect(firstDiff(conv2d(x, w, { padding: 1 }).data, before)).toBe(-1);
    useBackend(variant!);
  });

  it('refuses bad thread counts before doing anything', async () => {
    await expect(init({ threads: 0 })).rejects.toThrow(RangeError);
    await expect(init({ threads: 1.5 })).rejects.toThrow(/threads must be an integer/);
    await expect(init({ threads: '2' as unknown as number })).rejects.toThrow(TypeError);
    await expect(init({ thread: 2 } as object)).rejects.toThrow(/threads/);
    useBackend(variant!);
  });
});
