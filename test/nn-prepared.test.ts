// Prepared layers (prepareConv1d/2d/3d): every run equals the plain call with the same arguments bit for bit, on
// every kernel path, layout, rank and backend (the plain calls are checked against test/reference/conv.ts in
// nn.test.ts and nn-kernels.test.ts); update repacks; dispose frees the wasm block at once and forbids further use;
// many prepare/dispose cycles leave wasm memory where it was; bad arguments throw before any work, naming them.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv1d, conv2d, conv3d, prepareConv1d, prepareConv2d, prepareConv3d, type NDArray } from '../src/index';
import { loadedModule } from '../src/wasm';
import { backendCases, firstDiff, randomArray, useBackend } from './helpers';

type Layout = 'channels-first' | 'channels-last';
const OPS = { 1: [conv1d, prepareConv1d], 2: [conv2d, prepareConv2d], 3: [conv3d, prepareConv3d] } as const;
const prod = (a: number[]) => a.reduce((p, q) => p * q, 1);

interface Case {
  name: string;
  /** Channels-first shapes. */
  x: number[];
  w: number[];
  opts: Record<string, unknown>;
  /** The kernel path the layer must take (channels-first, channels-last). */
  path: [string, string];
}

const CASES: Case[] = [
  { name: '1×1, unpadded', x: [2, 16, 5, 7], w: [24, 16, 1, 1], opts: {}, path: ['pointwise', 'pointwise'] },
  { name: '1×1, padded', x: [1, 8, 5, 6], w: [12, 8, 1, 1], opts: { padding: 1 }, path: ['pointwise', 'pointwise'] },
  { name: '1×1, stride 2', x: [1, 16, 9, 9], w: [20, 16, 1, 1], opts: { stride: 2 }, path: ['pointwise', 'im2col'] },
  { name: 'Winograd 3×3', x: [2, 12, 9, 11], w: [10, 12, 3, 3], opts: { padding: 'same' }, path: ['winograd', 'winograd'] },
  { name: 'Winograd, flip, reflect', x: [1, 9, 8, 7], w: [17, 9, 3, 3], opts: { padding: 1, flip: true, paddingMode: 'reflect' }, path: ['winograd', 'winograd'] },
  { name: 'im2col 3×3 stride 2', x: [1, 10, 13, 12], w: [18, 10, 3, 3], opts: { stride: 2, padding: 1 }, path: ['im2col', 'im2col'] },
  { name: 'im2col 5×5 dilated', x: [1, 4, 14, 15], w: [9, 4, 5, 5], opts: { dilation: 2, padding: 3 }, path: ['im2col', 'im2col'] },
  { name: 'first layer 3×3 on 3 channels', x: [1, 3, 17, 19], w: [16, 3, 3, 3], opts: { stride: 2, padding: 1 }, path: ['direct', 'direct'] },
  { name: 'grouped', x: [2, 12, 8, 8], w: [18, 4, 3, 3], opts: { groups: 3, padding: 1 }, path: ['im2col', 'im2col'] },
  { name: 'depthwise', x: [1, 20, 9, 10], w: [20, 1, 3, 3], opts: { groups: 20, padding: 1 }, path: ['planes', 'depthwise'] },
  { name: 'depthwise stride 2, flip', x: [2, 12, 11, 9], w: [12, 1, 3, 3], opts: { groups: 12, padding: 1, stride: 2, flip: true }, path: ['planes', 'depthwise'] },
  { name: 'depthwise 5×5 stride 2', x: [1, 8, 12, 11], w: [8, 1, 5, 5], opts: { groups: 8, padding: 2, stride: 2 }, path: ['depthwise', 'depthwise'] },
  { name: '1-D 9 taps (folded Winograd)', x: [2, 8, 40], w: [12, 8, 9], opts: { padding: 4 }, path: ['winograd', 'winograd'] },
  { name: '1-D k = 3, stride 2', x: [1, 6, 33], w: [5, 6, 3], opts: { stride: 2, padding: 'same' }, path: ['im2col', 'im2col'] },
  { name: '1-D depthwise', x: [1, 6, 30], w: [6, 1, 5], opts: { groups: 6, padding: 2, paddingMode: 'circular' }, path: ['planes', 'depthwise'] },
  { name: '3-D', x: [1, 4, 5, 6, 7], w: [6, 2, 2, 3, 3], opts: { groups: 2, stride: [1, 2, 1], padding: [1, 0, 1] }, path: ['im2col', 'im2col'] },
  { name: '3-D 1×3×3 Winograd', x: [1, 8, 3, 6, 6], w: [8, 8, 1, 3, 3], opts: { padding: [0, 1, 1] }, path: ['winograd', 'winograd'] },
];

/** Shapes and data of a case in one layout (channels-last: input [N, ...S, C], weight [...k, C/groups, Cout]). */
function tensors(c: Case, layout: Layout, dtype: 'float32' | 'float64', seed: number) {
  const r = c.x.length - 2;
  const xShape = layout === 'channels-first' ? c.x : [c.x[0], ...c.x.slice(2), c.x[1]];
  const wShape = layout === 'channels-first' ? c.w : [...c.w.slice(2), c.w[1], c.w[0]];
  const x: NDArray = { data: randomArray(prod(xShape), seed, dtype), shape: xShape };
  const w: NDArray = { data: randomArray(prod(wShape), seed + 1, dtype), shape: wShape };
  const bias = randomArray(c.w[0], seed + 2, dtype);
  return { r: r as 1 | 2 | 3, x, w, bias };
}

describe.each(backendCases())('prepared conv layers on %s', (be) => {
  beforeAll(() => useBackend(be));
  const arena = () => (be === 'js' ? undefined : loadedModule(be)!.arena);

  it('run equals the plain call bit for bit on every path, layout and rank, with and without bias, fresh or into output', () => {
    for (const [i, c] of CASES.entries()) {
      for (const [li, layout] of (['channels-first', 'channels-last'] as const).entries()) {
        for (const dtype of ['float32', 'float64'] as const) {
          const { r, x, w, bias } = tensors(c, layout, dtype, 100 * i + 7 * li);
          const [plain, prepare] = OPS[r];
          for (const b of [bias, undefined]) {
            const opts = { ...c.opts, layout, ...(b ? { bias: b } : {}) };
            const layer = prepare(w, opts);
            expect(layer.path, `${c.name} ${layout}`).toBe(c.path[li]);
            const want = plain(x, w, opts);
            const got = layer.run(x);
            expect(got.shape).toEqual(want.shape);
            expect(got.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
            expect(firstDiff(got.data, want.data), `${c.name} ${layout} ${dtype} bias=${!!b}`).toBe(-1);
            // Twice (the packed block is read, never written) and into a given output.
            const out = new (dtype === 'float32' ? Float32Array : Float64Array)(want.data.length).fill(NaN);
            expect(layer.run(x, { output: out }).data).toBe(out);
            expect(firstDiff(out, want.data)).toBe(-1);
            layer.dispose();
          }
        }
      }
    }
  });

  it('runs on inputs of other sizes and batches (the packing depends on the weights and options only)', () => {
    const w: NDArray = { data: randomArray(16 * 8 * 9, 3, 'float32'), shape: [16, 8, 3, 3] };
    for (const stride of [1, 2]) {
      const layer = prepareConv2d(w, { padding: 'same', stride });
      for (const [n, h, wd] of [[1, 5, 5], [3, 12, 7], [2, 1, 1], [1, 30, 33]]) {
        const x: NDArray = { data: randomArray(n * 8 * h * wd, h * wd, 'float32'), shape: [n, 8, h, wd] };
        expect(firstDiff(layer.run(x).data, conv2d(x, w, { padding: 'same', stride }).data)).toBe(-1);
      }
      layer.dispose();
    }
  });

  it('random layers: prepared equals plain (fast-check)', () => {
    fc.assert(fc.property(
      fc.record({
        cinG: fc.integer({ min: 1, max: 10 }), coutG: fc.integer({ min: 1, max: 12 }), groups: fc.integer({ min: 1, max: 3 }),
        k: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 4, max: 12 }), w: fc.integer({ min: 4, max: 12 }),
        stride: fc.integer({ min: 1, max: 2 }), pad: fc.integer({ min: 0, max: 2 }), bias: fc.boolean(), cl: fc.boolean(), seed: fc.nat(),
        depthwise: fc.boolean(),
      }),
      (p) => {
        const groups = p.depthwise ? p.cinG : p.groups;
        const cinG = p.depthwise ? 1 : p.cinG;
        const coutG = p.depthwise ? 1 : p.coutG;
        const c: Case = { name: 'random', x: [1, cinG * groups, p.h, p.w], w: [coutG * groups, cinG, p.k, p.k], opts: { stride: p.stride, padding: p.pad, groups }, path: ['', ''] };
        const layout: Layout = p.cl ? 'channels-last' : 'channels-first';
        const { x, w, bias } = tensors(c, layout, 'float32', p.seed);
        const opts = { ...c.opts, layout, ...(p.bias ? { bias } : {}) };
        const layer = prepareConv2d(w, opts);
        const same = firstDiff(layer.run(x).data, conv2d(x, w, opts).data) === -1;
        layer.dispose();
        return same;
      },
    ), { numRuns: 60, seed: 16 });
  });

  it('update repacks: new weights, a new bias, and a bias where there was none', () => {
    for (const c of [CASES[0], CASES[3], CASES[9], CASES[5]]) {
      for (const layout of ['channels-first', 'channels-last'] as const) {
        const a = tensors(c, layout, 'float32', 1);
        const b = tensors(c, layout, 'float32', 50);
        const [plain, prepare] = OPS[a.r];
        const layer = prepare(a.w, { ...c.opts, layout });
        layer.update(b.w);
        expect(firstDiff(layer.run(a.x).data, plain(a.x, b.w, { ...c.opts, layout }).data)).toBe(-1);
        layer.update(a.w, b.bias);
        expect(firstDiff(layer.run(a.x).data, plain(a.x, a.w, { ...c.opts, layout, bias: b.bias }).data)).toBe(-1);
        // Omitted, the bias stays.
        layer.update(b.w);
        expect(firstDiff(layer.run(a.x).data, plain(a.x, b.w, { ...c.opts, layout, bias: b.bias }).data)).toBe(-1);
        layer.dispose();
      }
    }
  });

  it('non-finite values: Winograd weights with NaN take im2col as the plain call does; NaN inputs fall back alike', () => {
    const c = CASES[3];
    const t = tensors(c, 'channels-first', 'float32', 9);
    const layer = prepareConv2d(t.w, { ...c.opts, bias: t.bias });
    expect(layer.path).toBe('winograd');
    const xNaN: NDArray = { data: t.x.data.slice(), shape: t.x.shape };
    xNaN.data[5] = NaN;
    xNaN.data[200] = Infinity;
    expect(firstDiff(layer.run(xNaN).data, conv2d(xNaN, t.w, { ...c.opts, bias: t.bias }).data)).toBe(-1);
    const wInf: NDArray = { data: t.w.data.slice(), shape: t.w.shape };
    wInf.data[3] = -Infinity;
    layer.update(wInf);
    expect(layer.path).toBe('im2col');
    expect(firstDiff(layer.run(t.x).data, conv2d(t.x, wInf, { ...c.opts, bias: t.bias }).data)).toBe(-1);
    layer.update(t.w);
    expect(layer.path).toBe('winograd');
    expect(firstDiff(layer.run(t.x).data, conv2d(t.x, t.w, { ...c.opts, bias: t.bias }).data)).toBe(-1);
    layer.dispose();
  });

  it('Float64 weights finite in float64 but not in a float32 layer (1e300 → Infinity) take im2col, as the plain call does', () => {
    // The scan runs on the weights as staged in the layer's dtype (the nonFinite kernel), as the plain call's does.
    const c = CASES[3];
    const t = tensors(c, 'channels-first', 'float64', 10);
    t.w.data[7] = 1e300;
    const layer = prepareConv2d(t.w, { ...c.opts, dtype: 'float32' });
    expect(layer.path).toBe('im2col');
    const x32: NDArray = { data: Float32Array.from(t.x.data), shape: t.x.shape };
    expect(firstDiff(layer.run(x32).data, conv2d(x32, t.w, { ...c.opts, dtype: 'float32' }).data)).toBe(-1);
    layer.dispose();
  });

  it('the packed weights are a copy: changing the caller\'s arrays after prepare changes nothing until update', () => {
    const c = CASES[3];
    const t = tensors(c, 'channels-last', 'float64', 4);
    const opts = { ...c.opts, layout: 'channels-last' as const, bias: t.bias.slice() };
    const want = conv2d(t.x, t.w, opts).data;
    const layer = prepareConv2d(t.w, opts);
    t.w.data.fill(0);
    opts.bias.fill(0);
    expect(firstDiff(layer.run(t.x).data, want)).toBe(-1);
    layer.dispose();
    // Option arrays too.
    const t2 = tensors(CASES[3], 'channels-last', 'float64', 8);
    const stride = [2, 1];
    const s2 = conv2d(t2.x, t2.w, { stride: [2, 1], layout: 'channels-last' });
    const strided = prepareConv2d(t2.w, { stride, layout: 'channels-last' });
    stride[0] = 1;
    expect(firstDiff(strided.run(t2.x).data, s2.data)).toBe(-1);
    strided.dispose();
  });

  it('dispose: idempotent, and run or update afterwards throws a TypeError naming the layer', () => {
    const t = tensors(CASES[0], 'channels-first', 'float32', 2);
    const layer = prepareConv2d(t.w);
    expect(layer.disposed).toBe(false);
    layer.dispose();
    layer.dispose();
    expect(layer.disposed).toBe(true);
    expect(() => layer.run(t.x)).toThrow(TypeError);
    expect(() => layer.run(t.x)).toThrow(/prepareConv2d\.run: the layer was disposed/);
    expect(() => layer.update(t.w)).toThrow(/prepareConv2d\.update: the layer was disposed/);
  });

  it.skipIf(be === 'js')('wasm memory: persistent blocks survive calls, dispose gives them back, no growth over many cycles', () => {
    const a = arena()!;
    const held0 = a.persistent();
    const floor0 = a.floor;
    const t = tensors(CASES[3], 'channels-first', 'float32', 3);
    const layers = [0, 1, 2, 3].map(() => prepareConv2d(t.w, { padding: 1, bias: t.bias }));
    expect(a.persistent()).toBeGreaterThan(held0);
    const want = conv2d(t.x, t.w, { padding: 1, bias: t.bias }).data;
    // Plain calls in between use (and release) the arena above the blocks; the layers still read their own weights.
    for (const l of layers) {
      conv2d(t.x, t.w, { padding: 1 });
      expect(firstDiff(l.run(t.x).data, want)).toBe(-1);
      expect(a.top).toBe(a.floor);
    }
    // A hole in the middle is reused by the next layer of the same size.
    layers[1].dispose();
    const floorWithHole = a.floor;
    const again = prepareConv2d(t.w, { padding: 1, bias: t.bias });
    expect(a.floor).toBe(floorWithHole);
    expect(firstDiff(again.run(t.x).data, want)).toBe(-1);
    for (const l of [layers[0], again, layers[2], layers[3]]) l.dispose();
    expect(a.persistent()).toBe(held0);
    expect(a.floor).toBe(floor0);
    const bytes = loadedModule(be as 'scalar')!.exports.memory.buffer.byteLength;
    const tl = tensors(CASES[3], 'channels-last', 'float32', 3);
    for (let i = 0; i < 300; i++) {
      const u = i % 2 ? tl : t;
      const l = prepareConv2d(u.w, { padding: 1, bias: u.bias, layout: i % 2 ? 'channels-last' : 'channels-first' });
      if (i % 25 < 2) l.run(u.x);
      l.dispose();
    }
    expect(a.persistent()).toBe(held0);
    expect(a.floor).toBe(floor0);
    expect(a.top).toBe(floor0);
    expect(loadedModule(be as 'scalar')!.exports.memory.buffer.byteLength).toBe(bytes);
  });

  it('validation: unknown options, shapes, channels, dtype and bias are refused before any work, naming the argument', () => {
    const t = tensors(CASES[3], 'channels-first', 'float32', 5);
    const start = arena()?.top;
    expect(() => prepareConv2d(t.w, { padding: 1, outptu: 1 } as never)).toThrow(/prepareConv2d: unknown option 'outptu'/);
    expect(() => prepareConv2d(t.w, { output: new Float32Array(4) } as never)).toThrow(/unknown option 'output'/);
    expect(() => prepareConv2d({ data: t.w.data, shape: [10, 12, 9] })).toThrow(/prepareConv2d: weight must have rank 4/);
    expect(() => prepareConv2d(t.w, { bias: new Float32Array(3) })).toThrow(/prepareConv2d: bias has 3 entries, expected 10/);
    expect(() => prepareConv2d(t.w, { groups: 3 })).toThrow(/prepareConv2d: groups=3 does not divide the weight's 10 output channels/);
    expect(() => prepareConv2d(t.w, { backend: 'gpu' } as never)).toThrow(/backend/);
    const layer = prepareConv2d(t.w, { padding: 1 });
    expect(() => layer.run(t.x, { outptu: 1 } as never)).toThrow(/prepareConv2d\.run: unknown option 'outptu'/);
    expect(() => layer.run({ data: new Float32Array(2 * 7 * 25), shape: [2, 7, 5, 5] })).toThrow(/prepareConv2d\.run: weight has 12 input channels per group but input has 7 channels/);
    expect(() => layer.run({ data: new Float32Array(12 * 25), shape: [12, 5, 5] })).toThrow(/prepareConv2d\.run: input must have rank 4/);
    expect(() => layer.run({ data: Float64Array.from(t.x.data), shape: t.x.shape })).toThrow(TypeError);
    expect(() => layer.run({ data: Float64Array.from(t.x.data), shape: t.x.shape })).toThrow(/prepareConv2d\.run: input must be of the layer's dtype float32/);
    expect(() => layer.run(t.x, { output: new Float64Array(2 * 10 * 9 * 11) })).toThrow(/prepareConv2d\.run: output must be of the layer's dtype float32/);
    expect(() => layer.run(t.x, { output: new Float32Array(5) })).toThrow(/prepareConv2d\.run: output has length 5/);
    expect(() => layer.update({ data: new Float32Array(10 * 12 * 4), shape: [10, 12, 2, 2] })).toThrow(/prepareConv2d\.update: weight must have the prepared shape \[10, 12, 3, 3\]/);
    expect(() => layer.update({ data: Float64Array.from(t.w.data), shape: t.w.shape })).toThrow(TypeError);
    expect(() => layer.update(t.w, new Float32Array(2))).toThrow(/prepareConv2d\.update: bias has 2 entries/);
    // A float64 layer takes float32 inputs (the plain call computes in float64 too).
    const l64 = prepareConv2d({ data: Float64Array.from(t.w.data), shape: t.w.shape }, { padding: 1 });
    const x64 = conv2d(t.x, { data: Float64Array.from(t.w.data), shape: t.w.shape }, { padding: 1 });
    expect(firstDiff(l64.run(t.x).data, x64.data)).toBe(-1);
    // dtype 'float32' given at prepare: float64 inputs are computed in float32, as conv2d with that dtype.
    const l32 = prepareConv2d({ data: Float64Array.from(t.w.data), shape: t.w.shape }, { padding: 1, dtype: 'float32' });
    const xd: NDArray = { data: Float64Array.from(t.x.data), shape: t.x.shape };
    expect(firstDiff(l32.run(xd).data, conv2d(xd, { data: Float64Array.from(t.w.data), shape: t.w.shape }, { padding: 1, dtype: 'float32' }).data)).toBe(-1);
    for (const l of [layer, l64, l32]) l.dispose();
    if (start !== undefined) expect(arena()!.top).toBe(start);
  });
});

describe.runIf(backendCases().some((b) => b !== 'js'))('prepared layers keep their module', () => {
  const wasmCase = backendCases().find((b) => b !== 'js')!;
  afterAll(() => useBackend(wasmCase));
  it('a layer prepared on a wasm build runs there after the default backend changes', () => {
    useBackend(wasmCase);
    const t = tensors(CASES[3], 'channels-last', 'float32', 6);
    const opts = { padding: 1, layout: 'channels-last' as const, bias: t.bias };
    const layer = prepareConv2d(t.w, opts);
    const want = conv2d(t.x, t.w, opts).data;
    useBackend('js');
    expect(layer.backend).toBe('wasm');
    expect(firstDiff(layer.run(t.x).data, want)).toBe(-1);
    layer.dispose();
    expect(loadedModule(wasmCase as 'simd')!.arena.persistent()).toBe(0);
  });
});
