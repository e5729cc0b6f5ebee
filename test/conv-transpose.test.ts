// convTranspose1d/2d/3d: torch fixtures on every backend, the slow reference, channels-last, the identity with the
// input gradient of the forward convolution, and argument errors.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  conv1dGradInput, conv2dGradInput, conv3dGradInput, convTranspose1d, convTranspose2d, convTranspose3d,
  type ConvTransposeOptions, type NDArray,
} from '../src/index';
import fx from './fixtures/nn.json';
import { backendCases, firstDiff, fromFixture, randomArray, useBackend, type FixtureArray } from './helpers';
import { expectWithin, maybeWinograd, transposeTol } from './tolerance';
import { permute, refConvTranspose, type RefTransposeOptions } from './reference/conv-grad';

interface TransposeCase {
  name: string;
  fn: 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d';
  args: {
    input: FixtureArray; weight: FixtureArray; bias?: FixtureArray;
    stride: number | number[]; padding: number | number[]; outputPadding: number | number[]; dilation: number | number[]; groups: number;
  };
  expected: FixtureArray;
}

const cases = (fx.cases as { fn: string }[]).filter((c) => c.fn.startsWith('convTranspose')) as TransposeCase[];
const ops = { convTranspose1d, convTranspose2d, convTranspose3d };
const gradInput = [conv1dGradInput, conv2dGradInput, conv3dGradInput];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const rand = (shape: number[], seed: number): NDArray => ({ data: randomArray(shape.reduce((a, b) => a * b, 1), seed), shape });

function optsOf(c: TransposeCase, dtype: 'float32' | 'float64'): ConvTransposeOptions {
  const { stride, padding, outputPadding, dilation, groups, bias } = c.args;
  return { stride, padding, outputPadding, dilation, groups, bias: bias ? fromFixture(bias, dtype).data : undefined };
}

describe.each(backendCases())('convTranspose fixtures (torch) on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('the fixtures hold transposed cases of every rank', () => {
    expect(new Set(cases.map((c) => c.fn)).size).toBe(3);
  });
  for (const dtype of ['float64', 'float32'] as const) {
    for (const c of cases) {
      it(`${c.name} ${dtype}`, () => {
        const [x, w, o] = [fromFixture(c.args.input, dtype), fromFixture(c.args.weight, dtype), optsOf(c, dtype)];
        const out = ops[c.fn](x, w, o);
        expect(out.shape).toEqual(c.expected.shape);
        expect(out.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        expectWithin(out.data, c.expected.data, transposeTol(dtype, x, w, o as RefTransposeOptions, maybeWinograd(w.shape)));
      });
    }
  }
  for (const c of cases.filter((_, i) => i % 2 === 0)) {
    it(`${c.name} channels-last`, () => {
      const r = c.args.input.shape.length - 2;
      const x = permute(fromFixture(c.args.input, 'float64'), [0, ...range(r).map((i) => i + 2), 1]);
      // [Cin, Cout/g, ...k] → [...k, Cout/g, Cin], TensorFlow's conv2dTranspose filter layout.
      const w = permute(fromFixture(c.args.weight, 'float64'), [...range(r).map((i) => i + 2), 1, 0]);
      const out = ops[c.fn](x, w, { ...optsOf(c, 'float64'), layout: 'channels-last' });
      const back = permute(out, [0, r + 1, ...range(r).map((i) => i + 1)]);
      expect(back.shape).toEqual(c.expected.shape);
      const w0 = fromFixture(c.args.weight, 'float64');
      expectWithin(back.data, c.expected.data, transposeTol('float64', fromFixture(c.args.input, 'float64'), w0, optsOf(c, 'float64') as RefTransposeOptions, maybeWinograd(w0.shape)));
    });
  }

  const extra: [number[], number[], RefTransposeOptions][] = [
    [[2, 6, 5, 4], [6, 2, 3, 3], { stride: [2, 3], padding: [1, 2], outputPadding: [1, 0], groups: 3, dilation: [1, 2] }],
    [[1, 16, 7, 7], [16, 12, 4, 4], { stride: 2, padding: 1 }],
    [[1, 3, 9], [3, 2, 5], { stride: 1, padding: 3, dilation: 4, outputPadding: 3 }],
  ];
  for (const [xs, ws, o] of extra) {
    it(`x=[${xs}] w=[${ws}] ${JSON.stringify(o)} matches the reference and equals GradInput with the same weight`, () => {
      const r = xs.length - 2;
      const x = rand(xs, 1);
      const w = rand(ws, 2);
      const bias = Array.from(randomArray(ws[1] * (o.groups ?? 1), 3));
      const out = ops[`convTranspose${r}d` as keyof typeof ops](x, w, { ...(o as ConvTransposeOptions), bias });
      const ref = refConvTranspose(x, w, { ...o, bias });
      expect(out.shape).toEqual(ref.shape);
      expectWithin(out.data, ref.data, transposeTol('float64', x, w, { ...o, bias }, maybeWinograd(ws)));
      // convTranspose(x, w) is the input gradient of conv(·, w) at gradOutput x (when outputPadding < stride).
      if ((o.outputPadding ?? 0) === 0) {
        const noBias = ops[`convTranspose${r}d` as keyof typeof ops](x, w, o as ConvTransposeOptions);
        const gi = gradInput[r - 1](noBias.shape, w, x, { stride: o.stride, padding: o.padding, dilation: o.dilation, groups: o.groups });
        expect(firstDiff(noBias.data, gi.data)).toBe(-1); // the same path: the same bits
      }
    });
  }
});

describe('convTranspose argument errors', () => {
  const x = rand([1, 4, 5, 5], 41);
  const w = rand([4, 2, 3, 3], 42);
  it('outputPadding must be < max(stride, dilation)', () => {
    expect(() => convTranspose2d(x, w, { stride: 2, outputPadding: 2 })).toThrow(RangeError);
    expect(() => convTranspose2d(x, w, { stride: 2, outputPadding: 2 })).toThrow(/convTranspose2d: outputPadding 2/);
    expect(() => convTranspose2d(x, w, { stride: 1, dilation: 3, outputPadding: 2 })).not.toThrow();
  });
  it('channels and groups are checked', () => {
    expect(() => convTranspose2d(rand([1, 3, 5, 5], 43), w)).toThrow(/weight has 4 input channels but input has 3 channels/);
    expect(() => convTranspose2d(x, w, { groups: 3 })).toThrow(/groups=3 does not divide/);
    expect(() => convTranspose2d(x, w, { padding: 'same' as never })).toThrow(TypeError);
    expect(() => convTranspose2d(x, w, { padding: 4 })).toThrow(/output size/);
    expect(() => convTranspose2d(x, w, { bias: [1, 2, 3] })).toThrow(/bias has 3 entries, expected 2/);
    expect(() => convTranspose1d(x, w)).toThrow(/input must have rank 3/);
    expect(() => convTranspose3d(x, w)).toThrow(RangeError);
  });
});
