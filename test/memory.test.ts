// Wasm memory: the arena returns to its mark after every call (returning or throwing), growth in the middle of a
// call is safe, inputs that start mid-buffer work, outputs never alias the heap, kernels never write past their output.
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve, correlate, initSync, numpy, prepareConv2d } from '../src/index';
import { jsKernels } from '../src/kernels';
import { DEFAULT_MEMORY_LIMIT, loadedModule } from '../src/wasm';
import { withWorkspace } from '../src/workspace';
import { backendCases, firstDiff, randomArray, shared, useBackend, type BackendCase } from './helpers';
import { absArray, expectWithin, mapF64, sumTol } from './tolerance';

/** Two float32 computations of correlate(x, h) (two backends) differ by at most twice the bound of each, per element. */
function twoSided(x: Float32Array | Float64Array, h: Float32Array | Float64Array): Float64Array {
  const mag = correlate(absArray(x), absArray(h), { mode: 'full', backend: 'js', method: 'direct' }); // js: no wasm memory growth (the memoryLimit test counts instances)
  return mapF64(sumTol('float32', h.length, mag), (v) => 2 * v);
}
import { scipyCorrelate } from './reference/correlate';

const wasmCases = backendCases().filter((c): c is Exclude<BackendCase, 'js'> => c !== 'js');

describe.each(wasmCases)('wasm memory on %s', (variant) => {
  beforeAll(() => useBackend(variant));
  const arena = () => loadedModule(variant)!.arena;

  it('the arena is back at its mark after 10,000 calls, a fifth of them throwing', () => {
    const x = randomArray(37, 1, 'float32');
    const h = randomArray(5, 2, 'float32');
    const start = arena().top;
    let thrown = 0;
    for (let i = 0; i < 10_000; i++) {
      try {
        switch (i % 5) {
          case 0: correlate(x, h, { mode: 'same' }); break;
          case 1: convolve({ data: x, shape: [37] }, { data: h, shape: [5] }); break;
          case 2: numpy.correlate(x, h, { mode: 'full' }); break;
          case 3: convolve(x, h, { mode: 'valid', dtype: 'float64' }); break;
          default: correlate(x, { data: h, shape: [5, 1] });
        }
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        thrown++;
      }
      if (arena().top !== start) throw new Error(`arena moved at call ${i}`);
    }
    expect(thrown).toBe(2_000);
    expect(arena().top).toBe(start);
  });

  it('a call that throws inside its workspace gives the memory back', () => {
    const start = arena().top;
    expect(() => withWorkspace('t', 'wasm', 'float64', [1000, 10], () => { throw new Error('boom'); })).toThrow('boom');
    expect(arena().top).toBe(start);
  });

  it('memory growth in the middle of a call (it detaches old views) gives correct results', () => {
    const before = loadedModule(variant)!.exports.memory.buffer.byteLength;
    const n = Math.max(before / 4, 1 << 20) + 12_345; // needs more than the current memory holds
    const x = randomArray(n, 3, 'float32');
    const h = randomArray(9, 4, 'float32');
    const got = correlate(x, h, { mode: 'full' });
    expect(loadedModule(variant)!.exports.memory.buffer.byteLength).toBeGreaterThan(before);
    // The js result and the bound depend on n only: once per file, shared by the builds.
    const [want, tol] = shared(`growth ${n}`, () => [correlate(x, h, { mode: 'full', backend: 'js' }), twoSided(x, h)]);
    expectWithin(got, want, tol);
  });

  it('memory grown past init({ memoryLimit }) is given back after the call (a fresh instance); results stay right', () => {
    initSync({ backend: 'wasm', variant, memoryLimit: 4 << 20 });
    try {
      const m = loadedModule(variant)!;
      const x = randomArray(3 << 20, 7, 'float32'); // 12 MiB in, more in scratch: past the 4 MiB limit
      const h = randomArray(9, 8, 'float32');
      const generation = m.generation;
      const got = correlate(x, h, { mode: 'full' });
      expect(m.generation).toBe(generation + 1);
      expect(m.exports.memory.buffer.byteLength).toBe(m.initialBytes);
      expect(m.initialBytes).toBeLessThan(4 << 20);
      expect(m.arena.top).toBe(m.arena.base);
      const [want, tol] = shared('limit', () => [correlate(x, h, { mode: 'full', backend: 'js' }), twoSided(x, h)]); // once per file
      expectWithin(got, want, tol);
      // The fresh instance serves the next calls (kernels bound to it), and calls within the limit keep it.
      expect(Array.from(correlate([1, 2, 3], [1, 1]))).toEqual([1, 3, 5, 3]);
      const y = randomArray(5000, 9, 'float32');
      expectWithin(correlate(y, h), correlate(y, h, { backend: 'js' }), twoSided(y, h));
      expect(m.generation).toBe(generation + 1);
      // A call that throws after growing the memory gives it back too.
      expect(() => withWorkspace('t', 'wasm', 'float64', [1 << 20], () => { throw new Error('boom'); })).toThrow('boom');
      expect(m.exports.memory.buffer.byteLength).toBe(m.initialBytes);
      expect(m.generation).toBe(generation + 2);
    } finally {
      initSync({ backend: 'wasm', variant, memoryLimit: DEFAULT_MEMORY_LIMIT });
    }
  });

  it('memory is kept past the limit while a prepared layer holds packed weights in it, and given back after dispose', () => {
    initSync({ backend: 'wasm', variant, memoryLimit: 4 << 20 });
    try {
      const m = loadedModule(variant)!;
      const w = { data: randomArray(8 * 4 * 3 * 3, 11, 'float32'), shape: [8, 4, 3, 3] };
      const x = { data: randomArray(4 * 8 * 8, 12, 'float32'), shape: [1, 4, 8, 8] };
      const layer = prepareConv2d(w, { padding: 1 });
      const before = layer.run(x).data.slice();
      const generation = m.generation;
      correlate(randomArray(3 << 20, 7, 'float32'), randomArray(9, 8, 'float32')); // grows past the limit
      expect(m.generation).toBe(generation); // a fresh instance would lose the packed weights
      expect(firstDiff(layer.run(x).data, before)).toBe(-1);
      layer.dispose();
      correlate(randomArray(3 << 20, 7, 'float32'), randomArray(9, 8, 'float32'));
      expect(m.generation).toBe(generation + 1);
      expect(m.exports.memory.buffer.byteLength).toBe(m.initialBytes);
    } finally {
      initSync({ backend: 'wasm', variant, memoryLimit: DEFAULT_MEMORY_LIMIT });
    }
  });

  it('outputs are fresh arrays: not views of the wasm heap, not changed by later calls', () => {
    const heap = loadedModule(variant)!.exports.memory.buffer;
    const a = correlate([1, 2, 3], [1, 1]);
    expect(a.buffer).not.toBe(heap);
    const copy = Array.from(a);
    correlate([9, 9, 9, 9], [5, 5]);
    expect(Array.from(a)).toEqual(copy);
  });

  it('the kernel writes nothing past its output (guard words)', () => {
    withWorkspace('guard', 'wasm', 'float32', [64 * 8, 9, 40 * 6 + 16], ({ mem, off, k }) => {
      const [x, h, out] = off;
      mem.set(randomArray(64 * 8, 5, 'float32'), x);
      mem.set(randomArray(9, 6, 'float32'), h);
      for (const w of [1, 3, 4, 5, 15, 16, 17, 33, 38]) {
        const outH = 6;
        mem.fill(123.5, out, out + 40 * 6 + 16);
        k.corr2d(mem, x, 64, h, 3, 3, out, outH, w, 40, 0);
        for (let r = 0; r < outH; r++) for (let c = w; c < 40; c++) expect(mem[out + r * 40 + c]).toBe(123.5);
        for (let g = 40 * 6; g < 40 * 6 + 16; g++) expect(mem[out + g]).toBe(123.5);
        // and the written part matches the plain JS kernel
        const ref = new Float32Array(64 * 8 + 9 + 40 * 6);
        ref.set(mem.subarray(x, x + 64 * 8), 0);
        ref.set(mem.subarray(h, h + 9), 64 * 8);
        jsKernels.corr2d(ref, 0, 64, 64 * 8, 3, 3, 64 * 8 + 9, outH, w, 40, 0);
        for (let r = 0; r < outH; r++) {
          for (let c = 0; c < w; c++) {
            // Both are 9-term float32 sums of the same inputs: each within sumTol of the exact value.
            let mag = 0;
            for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) mag += Math.abs(ref[(r + i) * 64 + c + j] * ref[64 * 8 + i * 3 + j]);
            expect(Math.abs(mem[out + r * 40 + c] - ref[64 * 8 + 9 + r * 40 + c])).toBeLessThanOrEqual(2 * sumTol('float32', 9, [mag])[0]);
          }
        }
      }
    });
  });
});

describe.each(backendCases())('inputs on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('typed arrays that start mid-buffer, and inputs are never modified', () => {
    const buf = new ArrayBuffer(8 * 64);
    const x = new Float64Array(buf, 8 * 3, 20);
    x.set(randomArray(20, 9));
    const h = new Float32Array(new ArrayBuffer(4 * 16), 4 * 5, 6);
    h.set(randomArray(6, 10, 'float32'));
    const xs = Array.from(x);
    const hs = Array.from(h);
    const got = correlate(x, h, { mode: 'same' });
    const want = scipyCorrelate({ data: xs, shape: [20] }, { data: hs, shape: [6] }, 'same');
    expectWithin(got, want.data, sumTol('float64', 6, scipyCorrelate({ data: absArray(xs), shape: [20] }, { data: absArray(hs), shape: [6] }, 'same').data));
    expect(Array.from(x)).toEqual(xs);
    expect(Array.from(h)).toEqual(hs);
  });
});
