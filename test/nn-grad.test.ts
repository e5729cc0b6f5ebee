// Gradients of conv1d/2d/3d: torch autograd fixtures on every backend (both layouts for a subset), the slow
// reference for options the fixtures lack (flip), finite differences of the forward op, and the identities of
// "correlation forward, convolution backward".
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv1d, conv1dBackward, conv1dGradInput, conv1dGradWeight, conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight,
  conv3d, conv3dBackward, conv3dGradInput, conv3dGradWeight, convolve, correlate, type ConvOptions, type NDArray,
} from '../src/index';
import fx from './fixtures/nn_grad.json';
import { backendCases, firstDiff, fromFixture, randomArray, rng, shared, useBackend, type FixtureArray } from './helpers';
import { convGradTol, expectWithin, maybeWinograd } from './tolerance';
import { planGradInput, runGradInput, runGradInputPath } from '../src/nn/grad-input';
import { planGradWeight, runGradWeight, winogradWeight } from '../src/nn/grad-weight';
import { planConv, type ConvPlan } from '../src/nn/plan';
import { planBackend } from '../src/workspace';
import { loadedModule } from '../src/wasm';
import { permute, refConvBackward, type RefConvOptions } from './reference/conv-grad';

type Dtype = 'float32' | 'float64';
/** The input gradient through the forward layer (undefined where that path does not apply or steps aside). */
function viaForward(plan: ConvPlan, dtype: Dtype, w: Float32Array | Float64Array, dy: Float32Array | Float64Array) {
  const p = planGradInput(plan, dtype, planBackend('test', undefined));
  return p.path === 'forward' ? runGradInputPath(p, w, dy) : undefined;
}
/** The input gradient through col2im. */
function viaCol2im(plan: ConvPlan, dtype: Dtype, w: Float32Array | Float64Array, dy: Float32Array | Float64Array) {
  return runGradInput(planGradInput(plan, dtype, planBackend('test', undefined), true), w, dy);
}
/** The weight gradient, Winograd or not. */
function gradWeightVia(plan: ConvPlan, dtype: Dtype, x: Float32Array | Float64Array, dy: Float32Array | Float64Array, winograd: boolean) {
  return runGradWeight(planGradWeight(plan, dtype, planBackend('test', undefined), winograd), x, dy);
}

interface GradCase {
  name: string;
  fn: 'conv1dBackward' | 'conv2dBackward' | 'conv3dBackward';
  args: {
    input: FixtureArray; weight: FixtureArray; gradOutput: FixtureArray; bias?: FixtureArray;
    stride: number | number[]; padding: number | number[] | 'same' | 'valid'; dilation: number | number[];
    groups: number; paddingMode: 'zeros' | 'reflect' | 'replicate' | 'circular';
  };
  expected: { gradInput: FixtureArray; gradWeight: FixtureArray; gradBias?: FixtureArray };
}

const cases = fx.cases as GradCase[];
const backward = { conv1dBackward, conv2dBackward, conv3dBackward };
const gradInput = [conv1dGradInput, conv2dGradInput, conv3dGradInput];
const gradWeight = [conv1dGradWeight, conv2dGradWeight, conv3dGradWeight];
const forward = [conv1d, conv2d, conv3d];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** [N, C, ...s] ↔ [N, ...s, C] and weight [Co, Ci, ...k] ↔ [...k, Ci, Co]. */
const toLast = (r: number) => [0, ...range(r).map((i) => i + 2), 1];
const fromLast = (r: number) => [0, r + 1, ...range(r).map((i) => i + 1)];
const wToLast = (r: number) => [...range(r).map((i) => i + 2), 1, 0];
const wFromLast = (r: number) => [r + 1, r, ...range(r)];

const rand = (shape: readonly number[], seed: number, dtype: 'float32' | 'float64' = 'float64'): NDArray =>
  ({ data: randomArray(shape.reduce((a, b) => a * b, 1), seed, dtype), shape: shape.slice() });

function optsOf(c: GradCase): ConvOptions {
  const { stride, padding, dilation, groups, paddingMode } = c.args;
  return { stride, padding, dilation, groups, paddingMode };
}

describe.each(backendCases())('conv backward fixtures (torch autograd) on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float64', 'float32'] as const) {
    for (const c of cases) {
      it(`${c.name} ${dtype}`, () => {
        const x = fromFixture(c.args.input, dtype);
        const w = fromFixture(c.args.weight, dtype);
        const dy = fromFixture(c.args.gradOutput, dtype);
        const opts: ConvOptions = optsOf(c);
        if (c.args.bias) opts.bias = fromFixture(c.args.bias, dtype).data;
        const g = backward[c.fn](x, w, dy, opts);
        expect(g.gradInput.shape).toEqual(c.expected.gradInput.shape);
        expect(g.gradWeight.shape).toEqual(c.expected.gradWeight.shape);
        expect(g.gradInput.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        const tol = shared(`${c.name} ${dtype}`, () => convGradTol(dtype, x, w, dy, opts as RefConvOptions, maybeWinograd(w.shape))); // once per file: the same on every backend
        expectWithin(g.gradInput.data, c.expected.gradInput.data, tol.gradInput, 'gradInput');
        expectWithin(g.gradWeight.data, c.expected.gradWeight.data, tol.gradWeight, 'gradWeight');
        if (c.expected.gradBias) {
          expect(g.gradBias).toBeDefined();
          expectWithin(g.gradBias!, c.expected.gradBias.data, tol.gradBias, 'gradBias');
        } else {
          expect(g.gradBias).toBeUndefined();
        }
      });
    }
  }

  // Channels-last: the same cases with every array's axes moved, every third case.
  for (const c of cases.filter((_, i) => i % 3 === 0)) {
    it(`${c.name} channels-last`, () => {
      const r = c.args.input.shape.length - 2;
      const x = permute(fromFixture(c.args.input, 'float64'), toLast(r));
      const w = permute(fromFixture(c.args.weight, 'float64'), wToLast(r));
      const dy = permute(fromFixture(c.args.gradOutput, 'float64'), toLast(r));
      const opts: ConvOptions = { ...optsOf(c), layout: 'channels-last' };
      const g = backward[c.fn](x, w, dy, opts);
      const tol = convGradTol('float64', fromFixture(c.args.input, 'float64'), fromFixture(c.args.weight, 'float64'),
        fromFixture(c.args.gradOutput, 'float64'), optsOf(c) as RefConvOptions, maybeWinograd(c.args.weight.shape));
      expectWithin(permute(g.gradInput, fromLast(r)).data, c.expected.gradInput.data, tol.gradInput, 'gradInput');
      expectWithin(permute(g.gradWeight, wFromLast(r)).data, c.expected.gradWeight.data, tol.gradWeight, 'gradWeight');
      // The split ops give the same as Backward: the same paths, the same bits.
      expect(firstDiff(gradInput[r - 1](x.shape, w, dy, opts).data, g.gradInput.data)).toBe(-1);
      expect(firstDiff(gradWeight[r - 1](x, w.shape, dy, opts).data, g.gradWeight.data)).toBe(-1);
    });
  }

  // Options the fixtures do not cover (flip), and more combinations, against the slow reference.
  const extra: [number[], number[], RefConvOptions][] = [
    [[2, 3, 9], [4, 3, 3], { flip: true, padding: 1, stride: 2 }],
    [[1, 4, 7, 8], [6, 2, 3, 2], { flip: true, groups: 2, padding: 'same', paddingMode: 'reflect' }],
    [[1, 2, 6, 7], [3, 2, 2, 3], { flip: true, padding: [2, 1], dilation: [2, 1], paddingMode: 'circular' }],
    [[2, 2, 4, 5, 4], [2, 2, 2, 3, 2], { flip: true, stride: [1, 2, 1], padding: 1, paddingMode: 'replicate' }],
    [[1, 3, 20, 21], [5, 3, 3, 3], { stride: 3, padding: 2, dilation: 2 }],
    [[1, 16, 9, 9], [24, 16, 3, 3], { padding: 1 }],
    [[1, 6, 5, 5], [6, 1, 3, 3], { groups: 6, padding: 4, paddingMode: 'reflect' }],
    [[2, 5, 6, 23], [5, 1, 3, 3], { groups: 5, padding: 1, dilation: [1, 2], flip: true }],
    [[1, 3, 4, 5, 19], [3, 1, 2, 3, 3], { groups: 3, padding: [1, 1, 0], paddingMode: 'replicate' }],
  ];
  for (const [xs, ws, o] of extra) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`x=[${xs}] w=[${ws}] ${JSON.stringify(o)} ${dtype} matches the reference`, () => {
        const r = xs.length - 2;
        const x = rand(xs, 1, dtype);
        const w = rand(ws, 2, dtype);
        const y = forward[r - 1](x, w, o as ConvOptions);
        const dy = rand([...y.shape], 3, dtype);
        const ref = refConvBackward(x, w, dy, o);
        const g = backward[`conv${r}dBackward` as keyof typeof backward](x, w, dy, { ...(o as ConvOptions), bias: new Array(ws[0]).fill(0) });
        const tol = convGradTol(dtype, x, w, dy, o, maybeWinograd(ws));
        expectWithin(g.gradInput.data, ref.gradInput, tol.gradInput, 'gradInput');
        expectWithin(g.gradWeight.data, ref.gradWeight, tol.gradWeight, 'gradWeight');
        expectWithin(g.gradBias!, ref.gradBias, tol.gradBias, 'gradBias');
      });
    }
  }
});

describe('finite differences of the forward op (float64)', () => {
  // L = Σ conv(x, w) · R, so ∂L/∂x[i] ≈ (L(x + h·eᵢ) − L(x − h·eᵢ)) / 2h, exact up to rounding as L is bilinear.
  const fdCases: [number[], number[], ConvOptions][] = [
    [[2, 3, 7], [4, 3, 3], { stride: 2, padding: 2, paddingMode: 'reflect', flip: true }],
    [[1, 4, 6, 5], [4, 2, 3, 2], { groups: 2, padding: 'same', dilation: [1, 2], paddingMode: 'circular' }],
    [[1, 5, 6, 2], [3, 3, 2, 3], { stride: [2, 1], padding: 1, paddingMode: 'replicate', layout: 'channels-last' }],
    [[1, 2, 4, 4, 3], [2, 2, 2, 2, 2], { padding: 1, stride: 2, flip: true }],
  ];
  for (const [xs, ws, o] of fdCases) {
    it(`x=[${xs}] w=[${ws}] ${JSON.stringify(o)}`, () => {
      const r = xs.length - 2;
      const x = rand(xs, 11);
      const w = rand(ws, 12);
      const bias = Array.from(randomArray(o.layout === 'channels-last' ? ws[ws.length - 1] : ws[0], 13));
      const y = forward[r - 1](x, w, { ...o, bias });
      const R = rand([...y.shape], 14);
      const loss = (xx: NDArray, ww: NDArray, b: number[]) => {
        const out = forward[r - 1](xx, ww, { ...o, bias: b }).data;
        let s = 0;
        for (let i = 0; i < out.length; i++) s += out[i] * R.data[i];
        return s;
      };
      const g = backward[`conv${r}dBackward` as keyof typeof backward](x, w, R, { ...o, bias });
      const h = 1e-3;
      const probe = (a: NDArray, i: number, f: (v: NDArray) => number) => {
        const p = { data: a.data.slice(), shape: a.shape };
        p.data[i] += h;
        const up = f(p);
        p.data[i] -= 2 * h;
        return (up - f(p)) / (2 * h);
      };
      for (const i of [0, 3, 7, x.data.length - 1, Math.floor(x.data.length / 2)]) {
        expect(g.gradInput.data[i]).toBeCloseTo(probe(x, i, (v) => loss(v, w, bias)), 8);
      }
      for (const i of [0, 1, w.data.length - 1, Math.floor(w.data.length / 3)]) {
        expect(g.gradWeight.data[i]).toBeCloseTo(probe(w, i, (v) => loss(x, v, bias)), 8);
      }
      const b1 = bias.slice();
      b1[0] += h;
      const b2 = bias.slice();
      b2[0] -= h;
      expect(g.gradBias![0]).toBeCloseTo((loss(x, w, b1) - loss(x, w, b2)) / (2 * h), 8);
    });
  }
});

describe.each(backendCases())('correlation forward, convolution backward on %s', (be) => {
  beforeAll(() => useBackend(be));
  // Stride 1, zero padding p: dx[ci] = Σ_co convolve(dy[co], w[co, ci], 'full') cropped by p on each side;
  // dw[co, ci] = correlate(xpad[ci], dy[co], 'valid').
  const N = 1, C = 2, Co = 3, H = 7, W = 8, kh = 3, kw = 2, p = 1;
  const x = rand([N, C, H, W], 21);
  const w = rand([Co, C, kh, kw], 22);
  const oh = H + 2 * p - kh + 1, ow = W + 2 * p - kw + 1;
  const dy = rand([N, Co, oh, ow], 23);
  const plane = (a: NDArray, i: number, h: number, wd: number): NDArray => ({ data: a.data.slice(i * h * wd, (i + 1) * h * wd), shape: [h, wd] });
  // Both sides are float64 sums of the same products: each within its bound of the exact value (test/tolerance.ts).
  const tols = convGradTol('float64', x, w, dy, { padding: p });

  it('gradInput is the full convolution of gradOutput with the kernel', () => {
    const gi = conv2dGradInput([N, C, H, W], w, dy, { padding: p });
    for (let ci = 0; ci < C; ci++) {
      const full = new Float64Array((oh + kh - 1) * (ow + kw - 1));
      for (let co = 0; co < Co; co++) {
        const f = convolve(plane(dy, co, oh, ow), plane(w, co * C + ci, kh, kw), { mode: 'full' }).data;
        for (let i = 0; i < full.length; i++) full[i] += f[i];
      }
      const fw = ow + kw - 1;
      const crop = Float64Array.from({ length: H * W }, (_, i) => full[(Math.floor(i / W) + p) * fw + (i % W) + p]);
      expectWithin(plane(gi, ci, H, W).data, crop, plane({ data: tols.gradInput.map((v) => 2 * v), shape: gi.shape }, ci, H, W).data);
    }
  });

  it('gradWeight is the valid correlation of the padded input with gradOutput', () => {
    const gw = conv2dGradWeight(x, [Co, C, kh, kw], dy, { padding: p });
    for (let ci = 0; ci < C; ci++) {
      const xp = new Float64Array((H + 2 * p) * (W + 2 * p));
      for (let i = 0; i < H * W; i++) xp[(Math.floor(i / W) + p) * (W + 2 * p) + (i % W) + p] = x.data[ci * H * W + i];
      for (let co = 0; co < Co; co++) {
        const v = correlate({ data: xp, shape: [H + 2 * p, W + 2 * p] }, plane(dy, co, oh, ow), { mode: 'valid' }).data;
        expectWithin(plane(gw, co * C + ci, kh, kw).data, v, plane({ data: tols.gradWeight.map((t) => 2 * t), shape: gw.shape }, co * C + ci, kh, kw).data);
      }
    }
  });

  it('flip: the gradients of a true convolution are those of the correlation with the reversed kernel, reversed', () => {
    const rev = (a: NDArray): NDArray => {
      const d = a.data.slice();
      for (let i = 0; i < a.shape[0] * a.shape[1]; i++) d.subarray(i * kh * kw, (i + 1) * kh * kw).reverse();
      return { data: d, shape: a.shape };
    };
    const a = conv2dBackward(x, w, dy, { padding: p, flip: true });
    const b = conv2dBackward(x, rev(w), dy, { padding: p });
    const t = convGradTol('float64', x, w, dy, { padding: p, flip: true });
    expectWithin(a.gradInput.data, b.gradInput.data, t.gradInput.map((v) => 2 * v));
    expectWithin(a.gradWeight.data, rev(b.gradWeight).data, t.gradWeight.map((v) => 2 * v));
  });

  it('adjointness: <conv(x, w), dy> = <x, gradInput(dy)> = <w, gradWeight(dy)>', () => {
    const o: ConvOptions = { stride: 2, padding: 'same', dilation: 2, groups: 1 };
    const y = conv2d(x, w, o);
    const r = rand([...y.shape], 24);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);
    const lhs = dot(y.data, r.data);
    expect(dot(x.data, conv2dGradInput(x.shape, w, r, o).data)).toBeCloseTo(lhs, 10);
    expect(dot(w.data, conv2dGradWeight(x, w.shape, r, o).data)).toBeCloseTo(lhs, 10);
  });
});

describe('gradient argument errors', () => {
  const x = rand([1, 2, 5, 5], 31);
  const w = rand([3, 2, 3, 3], 32);
  it('gradOutput must have the forward output shape', () => {
    expect(() => conv2dBackward(x, w, rand([1, 3, 4, 4], 33))).toThrow(RangeError);
    expect(() => conv2dBackward(x, w, rand([1, 3, 4, 4], 33))).toThrow(/gradOutput has shape \[1, 3, 4, 4\] but the forward output has shape \[1, 3, 3, 3\]/);
    expect(() => conv2dGradInput([1, 2, 5, 5], w, rand([1, 3, 5, 5], 33), { padding: 2 })).toThrow(/conv2dGradInput: gradOutput/);
  });
  it('shapes are validated with the forward plan', () => {
    expect(() => conv2dGradInput([1, 4, 5, 5], w, rand([1, 3, 3, 3], 34))).toThrow(/conv2dGradInput: weight has 2 input channels per group but input has 4 channels/);
    expect(() => conv2dGradWeight(x, [3, 2, 3], rand([1, 3, 3, 3], 34))).toThrow(RangeError);
    expect(() => conv2dGradInput('1,2,5,5' as never, w, rand([1, 3, 3, 3], 34))).toThrow(TypeError);
    expect(() => conv2dGradWeight(x, [3, 2, 0, 3], rand([1, 3, 3, 3], 34))).toThrow(/weightShape\[2\]/);
    expect(() => conv2dBackward(x, w, rand([1, 3, 3, 3], 34), { bias: [1, 2] })).toThrow(/bias has 2 entries, expected 3/);
    expect(() => conv2dBackward(x, w, rand([1, 3, 3, 3], 34), { paddingMode: 'wrap' as never })).toThrow(TypeError);
  });
});

describe.each(backendCases())('documented examples and memory on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('the JSDoc examples give what they say', () => {
    const f64 = (a: number[], shape: number[]): NDArray => ({ data: Float64Array.from(a), shape });
    expect(Array.from(conv1dGradInput([1, 1, 4], f64([1, -1], [1, 1, 2]), f64([1, 0, 0], [1, 1, 3])).data)).toEqual([1, -1, 0, 0]);
    expect(Array.from(conv1dGradWeight(f64([1, 2, 3, 4], [1, 1, 4]), [1, 1, 2], f64([1, 0, 0], [1, 1, 3])).data)).toEqual([1, 2]);
  });
  it.skipIf(be === 'js')('the wasm arena is back at its mark after gradient calls, returning or throwing', () => {
    const arena = loadedModule(be as Exclude<typeof be, 'js'>)!.arena;
    const x = rand([2, 4, 6, 5], 51, 'float32');
    const w = rand([6, 2, 3, 3], 52, 'float32');
    const dy = rand([2, 6, 6, 5], 53, 'float32');
    const start = arena.top;
    for (let i = 0; i < 50; i++) {
      conv2dBackward(x, w, dy, { padding: 1, groups: 2, paddingMode: i % 2 ? 'reflect' : 'zeros', bias: [0, 0, 0, 0, 0, 0] });
      expect(() => conv2dBackward(x, w, rand([2, 6, 5, 5], 54, 'float32'), { padding: 1, groups: 2 })).toThrow(RangeError);
      expect(arena.top).toBe(start);
    }
  });
});

describe.each(backendCases())('the two input-gradient paths agree on %s', (be) => {
  beforeAll(() => useBackend(be));
  // Stride 1 with zero padding runs through the forward layer (Winograd, depthwise, GEMM); everything else, and
  // these same cases when forced, through GEMM + col2im.
  const shapes: [number[], number[], ConvOptions][] = [
    [[2, 8, 7, 9], [12, 8, 3, 3], { padding: 1 }],
    [[1, 6, 6, 5], [6, 1, 3, 3], { padding: 1, groups: 6, flip: true }],
    [[1, 4, 9, 8], [6, 2, 2, 3], { padding: 'same', groups: 2, dilation: [2, 1] }],
    [[1, 7, 6, 8, 3], [3, 2, 3, 3, 1], { padding: [1, 0, 0], layout: 'channels-last', flip: true }],
    [[1, 3, 11], [5, 3, 4], { padding: 2, dilation: 3 }],
    [[2, 5, 6, 6], [3, 3, 2, 6], { padding: 1, groups: 3, layout: 'channels-last' }],
    [[1, 10, 12], [3, 6, 4], { padding: 'same', groups: 2, dilation: 2, layout: 'channels-last', flip: true }],
  ];
  for (const [xs, ws, o] of shapes) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`x=[${xs}] w=[${ws}] ${JSON.stringify(o)} ${dtype}`, () => {
        const r = xs.length - 2;
        const w = rand(ws, 61, dtype);
        const plan = planConv('test', r, xs, ws, o);
        const dy = rand(plan.outputShape, 62, dtype);
        const a = viaForward(plan, dtype, w.data, dy.data);
        expect(a).toBeDefined();
        // Both within their bound of the exact gradient (channels-first for the bound: permuted when channels-last).
        const cl = o.layout === 'channels-last';
        const wf = cl ? permute(w, wFromLast(r)) : w;
        const dyf = cl ? permute(dy, fromLast(r)) : dy;
        const xsF = cl ? [xs[0], xs[xs.length - 1], ...xs.slice(1, -1)] : xs;
        const ro = { ...o, layout: undefined } as RefConvOptions;
        let t = convGradTol(dtype, { data: new Float64Array(xsF.reduce((p, q) => p * q, 1)), shape: xsF }, wf, dyf, ro, maybeWinograd(wf.shape)).gradInput;
        if (cl) t = permute({ data: t, shape: xsF }, toLast(r)).data;
        expectWithin(a!, viaCol2im(plan, dtype, w.data, dy.data), Float64Array.from(t, (v) => 2 * v));
      });
    }
  }
  it('strided or non-zero padding modes are left to col2im', () => {
    const w = rand([2, 2, 3, 3], 63);
    const strided = planConv('test', 2, [1, 2, 6, 6], [2, 2, 3, 3], { stride: 2 });
    const reflect = planConv('test', 2, [1, 2, 6, 6], [2, 2, 3, 3], { padding: 1, paddingMode: 'reflect' });
    const wide = planConv('test', 2, [1, 2, 6, 6], [2, 2, 3, 3], { padding: 3 });
    for (const p of [strided, reflect, wide]) expect(viaForward(p, 'float64', w.data, rand(p.outputShape, 64).data)).toBeUndefined();
  });
});

describe.each(backendCases())('random geometries against the reference on %s (fast-check)', (be) => {
  beforeAll(() => useBackend(be));
  const caseArb = fc.record({
    rank: fc.integer({ min: 1, max: 2 }),
    n: fc.integer({ min: 1, max: 2 }),
    g: fc.integer({ min: 1, max: 3 }),
    cin: fc.integer({ min: 1, max: 3 }),
    cout: fc.integer({ min: 1, max: 3 }),
    size: fc.integer({ min: 1, max: 9 }),
    k: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 3 }),
    padding: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom<'same' | 'valid'>('same', 'valid')),
    paddingMode: fc.constantFrom<'zeros' | 'reflect' | 'replicate' | 'circular'>('zeros', 'reflect', 'replicate', 'circular'),
    flip: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1e6 }),
  });
  it('conv{1,2}dBackward equals the slow reference for every option', () => {
    let checked = 0;
    fc.assert(fc.property(caseArb, (c) => {
      const spatial = new Array<number>(c.rank).fill(c.size);
      const xs = [c.n, c.g * c.cin, ...spatial];
      const ws = [c.g * c.cout, c.cin, ...new Array<number>(c.rank).fill(c.k)];
      const o: ConvOptions = { stride: c.stride, dilation: c.dilation, padding: c.padding, groups: c.g, paddingMode: c.paddingMode, flip: c.flip };
      let plan;
      try {
        plan = planConv('prop', c.rank, xs, ws, o);
      } catch {
        return; // a geometry the forward op refuses (output < 1, reflect padding ≥ the size, …)
      }
      checked++;
      const x = rand(xs, c.seed);
      const w = rand(ws, c.seed + 1);
      const dy = rand(plan.outputShape, c.seed + 2);
      const g = backward[`conv${c.rank}dBackward` as 'conv1dBackward'](x, w, dy, o);
      const [ref, tol] = shared(JSON.stringify(c), () => [refConvBackward(x, w, dy, o as RefConvOptions), // once per file
        convGradTol('float64', x, w, dy, o as RefConvOptions, maybeWinograd(ws))] as const);
      expectWithin(g.gradInput.data, ref.gradInput, tol.gradInput, 'gradInput');
      expectWithin(g.gradWeight.data, ref.gradWeight, tol.gradWeight, 'gradWeight');
    }), { numRuns: 150, seed: 4242 });
    expect(checked).toBeGreaterThan(75);
  });
});

describe.each(backendCases())('Winograd and im2col weight gradients agree on %s', (be) => {
  beforeAll(() => useBackend(be));
  // Odd and even output sizes (partial 2×2 tiles), channel counts off the panel width, every padding mode, flip,
  // channels-last, a 1-deep 3-D kernel, batches, and more tiles than one chunk holds.
  const shapes: [number[], number[], ConvOptions][] = [
    [[1, 8, 7, 9], [8, 8, 3, 3], { padding: 1 }],
    [[2, 9, 6, 5], [12, 9, 3, 3], { padding: 'same', paddingMode: 'reflect', flip: true }],
    [[1, 10, 8, 11], [8, 10, 3, 3], { padding: [2, 0], paddingMode: 'circular' }],
    [[1, 6, 7, 12], [3, 3, 12, 16], { padding: 1, paddingMode: 'replicate', layout: 'channels-last' }],
    [[2, 8, 3, 6, 5], [9, 8, 1, 3, 3], { padding: [0, 1, 1] }],
    [[1, 8, 81, 79], [8, 8, 3, 3], { padding: 1 }],
  ];
  for (const [xs, ws, o] of shapes) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`x=[${xs}] w=[${ws}] ${JSON.stringify(o)} ${dtype}`, () => {
        const r = xs.length - 2;
        const x = rand(xs, 71, dtype);
        const plan = planConv('test', r, xs, ws, o);
        expect(winogradWeight(plan)).toBe(true);
        const dy = rand(plan.outputShape, 72, dtype);
        const a = gradWeightVia(plan, dtype, x.data, dy.data, true);
        const cl = o.layout === 'channels-last';
        const xf = cl ? permute(x, fromLast(r)) : x;
        const dyf = cl ? permute(dy, fromLast(r)) : dy;
        const wsF = cl ? [ws[ws.length - 1], ws[ws.length - 2], ...ws.slice(0, -2)] : ws;
        const ro = { ...o, layout: undefined } as RefConvOptions;
        let t = shared(`winograd x=[${xs}] w=[${ws}] ${JSON.stringify(o)} ${dtype}`, () => convGradTol(dtype, xf, { data: new Float64Array(wsF.reduce((p, q) => p * q, 1)), shape: wsF }, dyf, ro, true).gradWeight);
        if (cl) t = permute({ data: t, shape: wsF }, wToLast(r)).data;
        expectWithin(a, gradWeightVia(plan, dtype, x.data, dy.data, false), Float64Array.from(t, (v) => 2 * v));
      });
    }
  }
  it('on small integers the Winograd weight gradient, the input gradient through the forward layer and im2col are exact', () => {
    // Every transformed value is a multiple of ¼ far below 2²⁴: any fault in a kernel shows as a difference.
    const ints = (shape: readonly number[], seed: number, dtype: 'float32' | 'float64'): NDArray => {
      const r = rng(seed);
      const a = dtype === 'float32' ? new Float32Array(shape.reduce((p, q) => p * q, 1)) : new Float64Array(shape.reduce((p, q) => p * q, 1));
      for (let i = 0; i < a.length; i++) a[i] = Math.floor(r() * 9) - 4;
      return { data: a, shape: shape.slice() };
    };
    for (const [xs, ws, o] of shapes.slice(0, 5)) {
      for (const dtype of ['float32', 'float64'] as const) {
        const r = xs.length - 2;
        const x = ints(xs, 73, dtype);
        const w = ints(ws, 74, dtype);
        const plan = planConv('test', r, xs, ws, o);
        const dy = ints(plan.outputShape, 75, dtype);
        const g = backward[`conv${r}dBackward` as 'conv2dBackward'](x, w, dy, o);
        const cl = o.layout === 'channels-last';
        const ref = refConvBackward(cl ? permute(x, fromLast(r)) : x, cl ? permute(w, wFromLast(r)) : w, cl ? permute(dy, fromLast(r)) : dy,
          { ...o, layout: undefined } as RefConvOptions);
        expectWithin(cl ? permute(g.gradInput, fromLast(r)).data : g.gradInput.data, ref.gradInput, 0, `gradInput [${xs}] ${dtype}`);
        expectWithin(cl ? permute(g.gradWeight, wFromLast(r)).data : g.gradWeight.data, ref.gradWeight, 0, `gradWeight [${xs}] ${dtype}`);
        expectWithin(gradWeightVia(plan, dtype, x.data, dy.data, true), g.gradWeight.data, 0, `Winograd gradWeight [${xs}] ${dtype}`);
        expectWithin(gradWeightVia(plan, dtype, x.data, dy.data, false), g.gradWeight.data, 0, `im2col gradWeight [${xs}] ${dtype}`);
        expectWithin(viaCol2im(plan, dtype, w.data, dy.data), g.gradInput.data, 0, `col2im gradInput [${xs}] ${dtype}`);
      }
    }
  });
  it('is not used where it does not apply', () => {
    expect(winogradWeight(planConv('t', 2, [1, 8, 6, 6], [8, 8, 3, 3], { stride: 2 }))).toBe(false);
    expect(winogradWeight(planConv('t', 2, [1, 8, 6, 6], [8, 4, 3, 3], { groups: 2 }))).toBe(false);
    expect(winogradWeight(planConv('t', 2, [1, 8, 6, 6], [8, 8, 3, 3], { dilation: 2 }))).toBe(false);
    expect(winogradWeight(planConv('t', 2, [1, 4, 6, 6], [8, 4, 3, 3], {}))).toBe(false);
    expect(winogradWeight(planConv('t', 2, [1, 8, 6, 6], [8, 8, 3, 2], {}))).toBe(false);
  });
});
