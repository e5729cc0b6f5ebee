// conv1d / conv2d / conv3d against the torch.nn.functional golden fixtures (scripts/gen_fixtures.py), on every
// backend of this project, float64 and float32, in both layouts and with `flip`; then validation messages.
import { beforeAll, describe, expect, it } from 'vitest';
import { conv1d, conv2d, conv3d, type NDArray } from '../src/index';
import nnFx from './fixtures/nn.json';
import { backendCases, fromFixture, useBackend, type FixtureArray } from './helpers';
import { convLayerTol, expectWithin, maybeWinograd } from './tolerance';
import { flipSpatial, permute, toChannelsLast, weightToChannelsLast } from './reference/conv';

interface ConvCase {
  name: string;
  fn: 'conv1d' | 'conv2d' | 'conv3d';
  args: {
    input: FixtureArray; weight: FixtureArray; bias?: FixtureArray; stride: number | number[];
    padding: number | number[] | 'valid' | 'same'; dilation: number | number[]; groups: number;
    paddingMode: 'zeros' | 'reflect' | 'replicate' | 'circular';
  };
  expected: FixtureArray;
}

const ops = { conv1d, conv2d, conv3d };
const cases = (nnFx.cases as unknown as ConvCase[]).filter((c) => c.fn in ops);

describe.each(backendCases())('conv fixtures on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float64', 'float32'] as const) {
    for (const layout of ['channels-first', 'channels-last'] as const) {
      for (const c of cases) {
        it(`${c.name} ${dtype} ${layout}`, () => {
          const r = c.args.input.shape.length - 2;
          const cl = layout === 'channels-last';
          let x = fromFixture(c.args.input, dtype);
          let w = fromFixture(c.args.weight, dtype);
          let expected = fromFixture(c.expected, 'float64');
          const wFlipped = flipSpatial(w);
          let wf = wFlipped;
          if (cl) {
            x = permute(x, toChannelsLast(r));
            w = permute(w, weightToChannelsLast(r));
            wf = permute(wFlipped, weightToChannelsLast(r));
            expected = permute(expected, toChannelsLast(r));
          }
          const { stride, padding, dilation, groups, paddingMode } = c.args;
          const bias = c.args.bias ? fromFixture(c.args.bias, dtype).data : undefined;
          const opts = { stride, padding, dilation, groups, paddingMode, bias, layout };
          const out = ops[c.fn](x, w, opts);
          expect(out.shape).toEqual(expected.shape);
          expect(out.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
          const x0 = fromFixture(c.args.input, dtype);
          const w0 = fromFixture(c.args.weight, dtype);
          let tol: ArrayLike<number> = convLayerTol(dtype, x0, w0, { stride, padding, dilation, groups, paddingMode }, bias, maybeWinograd(w0.shape));
          if (cl) tol = permute({ data: Float64Array.from(tol), shape: expected.shape.slice(0, 1).concat(expected.shape.slice(-1), expected.shape.slice(1, -1)) }, toChannelsLast(r)).data;
          expectWithin(out.data, expected.data, tol, 'output');
          const flipped = ops[c.fn](x, wf, { ...opts, flip: true });
          expectWithin(flipped.data, expected.data, tol, 'flip: true with the flipped kernel');
        });
      }
    }
  }
});

describe('conv semantics', () => {
  const x = { data: new Float64Array(2 * 4 * 10 * 9).map((_, i) => Math.sin(i)), shape: [2, 4, 10, 9] };
  const w = { data: new Float64Array(6 * 2 * 3 * 3).map((_, i) => Math.cos(i)), shape: [6, 2, 3, 3] };

  it("'same' with stride > 1 is TensorFlow's SAME: out = ceil(in / stride), extra padding at the end", () => {
    const out = conv2d(x, w, { padding: 'same', stride: 2, groups: 2 });
    expect(out.shape).toEqual([2, 6, 5, 5]);
    // H: in 10, out 5, total pad max(4·2 + 3 − 10, 0) = 1 → [0, 1]; W: in 9, out 5, total 2 → [1, 1]
    const explicit = conv2d(
      { data: padHW(x, [0, 1], [1, 1]), shape: [2, 4, 11, 11] }, w, { stride: 2, groups: 2 },
    );
    const tol = convLayerTol('float64', { data: padHW(x, [0, 1], [1, 1]), shape: [2, 4, 11, 11] }, w, { stride: 2, groups: 2 }, undefined);
    expectWithin(out.data, explicit.data, Float64Array.from(tol, (v) => 2 * v));
  });

  it('dtype: float32 only when every typed input counts as float32 (a number[] bias takes theirs); the option overrides', () => {
    const x32 = { data: Float32Array.from(x.data), shape: x.shape };
    const w32 = { data: Float32Array.from(w.data), shape: w.shape };
    expect(conv2d(x32, w32, { groups: 2 }).data).toBeInstanceOf(Float32Array);
    expect(conv2d(x32, w, { groups: 2 }).data).toBeInstanceOf(Float64Array);
    expect(conv2d(x32, w32, { groups: 2, bias: [1, 2, 3, 4, 5, 6] }).data).toBeInstanceOf(Float32Array);
    expect(conv2d(x32, w32, { groups: 2, bias: new Float64Array(6) }).data).toBeInstanceOf(Float64Array);
    expect(conv2d(x32, w32, { groups: 2, bias: new Float32Array(6) }).data).toBeInstanceOf(Float32Array);
    expect(conv2d(x, w, { groups: 2, dtype: 'float32' }).data).toBeInstanceOf(Float32Array);
  });

  it('inputs are not modified and the output does not alias them', () => {
    const xc = x.data.slice();
    const wc = w.data.slice();
    const out = conv2d(x, w, { groups: 2, padding: 1, paddingMode: 'reflect', backend: 'wasm' });
    expect(x.data).toEqual(xc);
    expect(w.data).toEqual(wc);
    expect(out.data.buffer).not.toBe(x.data.buffer);
  });
});

/** Zero-pad the last two axes of a [N, C, H, W] array by [before, after] each. */
function padHW(a: NDArray, ph: [number, number], pw: [number, number]): Float64Array {
  const [N, C, H, W] = a.shape;
  const H2 = H + ph[0] + ph[1];
  const W2 = W + pw[0] + pw[1];
  const out = new Float64Array(N * C * H2 * W2);
  for (let nc = 0; nc < N * C; nc++) {
    for (let y = 0; y < H; y++) {
      for (let xx = 0; xx < W; xx++) out[(nc * H2 + y + ph[0]) * W2 + xx + pw[0]] = a.data[(nc * H + y) * W + xx];
    }
  }
  return out;
}

describe('conv validation', () => {
  const x = { data: new Float32Array(1 * 4 * 6 * 6), shape: [1, 4, 6, 6] };
  const w = { data: new Float32Array(2 * 4 * 3 * 3), shape: [2, 4, 3, 3] };
  const bad: [string, () => unknown, RegExp, ErrorConstructor][] = [
    ['channel mismatch', () => conv2d(x, { data: new Float32Array(2 * 3 * 9), shape: [2, 3, 3, 3] }),
      /^conv2d: weight has 3 input channels per group but input has 4 channels \(groups=1\)$/, RangeError],
    ['groups not dividing input channels', () => conv2d(x, w, { groups: 3 }), /conv2d: groups=3 does not divide the input's 4 channels/, RangeError],
    ['groups not dividing output channels', () => conv2d(x, { data: new Float32Array(3 * 1 * 9), shape: [3, 1, 3, 3] }, { groups: 4 }),
      /conv2d: groups=4 does not divide the weight's 3 output channels/, RangeError],
    ['groups not an integer', () => conv2d(x, w, { groups: 1.5 }), /conv2d: groups must be an integer/, RangeError],
    ['bias length', () => conv2d(x, w, { bias: [1, 2, 3] }), /conv2d: bias has 3 entries, expected 2 \(one per output channel\)/, RangeError],
    ['bias kind', () => conv2d(x, w, { bias: 'no' as never }), /conv2d: bias must be/, TypeError],
    ['padding entries', () => conv2d(x, w, { padding: [1, 2, 3] }),
      /conv2d: padding \[1, 2, 3\] has 3 entries, expected 2 \(one per spatial axis\)/, RangeError],
    ['padding negative', () => conv2d(x, w, { padding: -1 }), /conv2d: padding must be ≥ 0, got -1/, RangeError],
    ['padding string', () => conv2d(x, w, { padding: 'full' as never }), /conv2d: padding must be a number, an array of numbers, 'valid' or 'same'/, TypeError],
    ['stride zero', () => conv2d(x, w, { stride: 0 }), /conv2d: stride must be ≥ 1, got 0/, RangeError],
    ['dilation entries', () => conv2d(x, w, { dilation: [1] }), /conv2d: dilation \[1\] has 1 entries, expected 2/, RangeError],
    ['output too small', () => conv2d(x, w, { dilation: 4 }), /conv2d: output size on axis H would be -2/, RangeError],
    ['input rank', () => conv2d({ data: new Float32Array(24), shape: [4, 6] }, w), /conv2d: input must have rank 4 \[N, C, H, W\]/, RangeError],
    ['weight rank', () => conv3d({ data: new Float32Array(8), shape: [1, 1, 2, 2, 2] }, w), /conv3d: weight must have rank 5/, RangeError],
    ['plain array input', () => conv1d(new Float32Array(4) as never, w), /conv1d: input must have rank 3 \[N, C, L\]/, RangeError],
    ['layout', () => conv2d(x, w, { layout: 'NHWC' as never }), /conv2d: layout must be 'channels-first' or 'channels-last'/, TypeError],
    ['paddingMode', () => conv2d(x, w, { paddingMode: 'mirror' as never }), /conv2d: paddingMode must be/, TypeError],
    ['reflect too wide', () => conv2d(x, w, { padding: 6, paddingMode: 'reflect' }), /conv2d: padding 6 on axis H must be < the input size 6/, RangeError],
    ['circular too wide', () => conv2d(x, w, { padding: 7, paddingMode: 'circular' }), /conv2d: padding 7 on axis H must be ≤ the input size 6/, RangeError],
    ['flip kind', () => conv2d(x, w, { flip: 1 as never }), /conv2d: flip must be a boolean/, TypeError],
    ['dtype', () => conv2d(x, w, { dtype: 'float16' as never }), /conv2d: dtype must be/, TypeError],
    ['backend', () => conv2d(x, w, { backend: 'gpu' as never }), /conv2d: backend must be/, TypeError],
    ['options kind', () => conv2d(x, w, 3 as never), /conv2d: options must be an object/, TypeError],
    ['shape/data mismatch', () => conv2d({ data: new Float32Array(5), shape: [1, 4, 6, 6] }, w), /conv2d: input.data has length 5/, RangeError],
    ['channels-last mismatch', () => conv2d({ data: new Float32Array(144), shape: [1, 6, 6, 4] }, { data: new Float32Array(54), shape: [3, 3, 3, 2] }, { layout: 'channels-last' }),
      /conv2d: weight has 3 input channels per group but input has 4 channels/, RangeError],
  ];
  for (const [name, f, msg, Err] of bad) {
    it(name, () => {
      expect(f).toThrow(Err);
      expect(f).toThrow(msg);
    });
  }
});
