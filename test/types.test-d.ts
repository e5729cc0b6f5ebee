// Type tests (vitest typecheck, run by `npm test`): the result type follows the inputs, `dtype` and `output`.
import { describe, expectTypeOf, it } from 'vitest';
import {
  conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, convTranspose2d, convolve, convolve2d, correlate,
  correlate2d, fftconvolve, ndimage, numpy, oaconvolve, type ConvOptions, type NDArray,
} from '../src/index';

const f32 = new Float32Array(4);
const f64 = new Float64Array(4);
const nd32 = { data: new Float32Array(4), shape: [2, 2] };
const nd64 = { data: new Float64Array(4), shape: [2, 2] };

describe('signal', () => {
  it('plain inputs give the plain typed array of the rule', () => {
    expectTypeOf(correlate(f32, f32)).toEqualTypeOf<Float32Array>();
    expectTypeOf(correlate(f32, f64)).toEqualTypeOf<Float64Array>();
    expectTypeOf(convolve([1, 2], [1, 2])).toEqualTypeOf<Float64Array>();
    expectTypeOf(correlate(f32, f32, { mode: 'same' })).toEqualTypeOf<Float32Array>();
    expectTypeOf(correlate(f32, f32, { dtype: 'float64' })).toEqualTypeOf<Float64Array>();
    expectTypeOf(correlate(f64, f64, { dtype: 'float32' })).toEqualTypeOf<Float32Array>();
    expectTypeOf(correlate(f64, f64, { output: new Float32Array(7) })).toEqualTypeOf<Float32Array>();
  });
  it('NDArray inputs give an NDArray with the precise data type', () => {
    expectTypeOf(correlate(nd32, nd32)).toEqualTypeOf<NDArray & { data: Float32Array }>();
    expectTypeOf(correlate(nd32, nd32).data).toEqualTypeOf<Float32Array>();
    expectTypeOf(convolve(nd32, nd64).data).toEqualTypeOf<Float64Array>();
  });
  it('where the types cannot tell, the union', () => {
    const x = f32 as Float32Array | Float64Array;
    expectTypeOf(correlate(x, f32)).toEqualTypeOf<Float32Array | Float64Array>();
    const dt = 'float32' as 'float32' | 'float64';
    expectTypeOf(correlate(f32, f32, { dtype: dt })).toEqualTypeOf<Float32Array | Float64Array>();
    const input = f32 as Float32Array | NDArray;
    type F = Float32Array | Float64Array;
    expectTypeOf(correlate(input, f32)).toEqualTypeOf<F | (NDArray & { data: F })>();
  });
  it('unknown option names are type errors', () => {
    // @ts-expect-error mdoe is not an option
    correlate(f32, f32, { mode: 'same', mdoe: 'same' });
  });
});

describe('the other ops', () => {
  it('fftconvolve, oaconvolve, numpy and ndimage follow the same rule', () => {
    expectTypeOf(fftconvolve(f32, f32)).toEqualTypeOf<Float32Array>();
    expectTypeOf(oaconvolve(nd64, nd64).data).toEqualTypeOf<Float64Array>();
    expectTypeOf(numpy.correlate(f32, f32, { mode: 'full' })).toEqualTypeOf<Float32Array>();
    expectTypeOf(numpy.convolve([1, 2, 3], [1, 1])).toEqualTypeOf<Float64Array>();
    expectTypeOf(ndimage.correlate(nd32, nd32, { mode: 'nearest' }).data).toEqualTypeOf<Float32Array>();
    expectTypeOf(ndimage.convolve(nd32, nd32, { output: 'float64' }).data).toEqualTypeOf<Float64Array>();
    expectTypeOf(ndimage.convolve(nd64, nd64, { output: { data: new Float32Array(4), shape: [2, 2] } }).data)
      .toEqualTypeOf<Float32Array>();
    expectTypeOf(correlate2d(nd32, nd32, { mode: 'same' }).data).toEqualTypeOf<Float32Array>();
    expectTypeOf(convolve2d(nd32, nd64).data).toEqualTypeOf<Float64Array>();
  });
  it('conv layers: input, weight and bias set the type', () => {
    const x = { data: new Float32Array(16), shape: [1, 1, 4, 4] };
    const w = { data: new Float32Array(9), shape: [1, 1, 3, 3] };
    expectTypeOf(conv2d(x, w, { padding: 1 }).data).toEqualTypeOf<Float32Array>();
    expectTypeOf(conv2d(x, w, { bias: new Float64Array(1) }).data).toEqualTypeOf<Float64Array>();
    expectTypeOf(conv2d(x, w, { bias: [0.5] }).data).toEqualTypeOf<Float32Array>();
    expectTypeOf(conv2d(x, w, { dtype: 'float64' }).data).toEqualTypeOf<Float64Array>();
    expectTypeOf(convTranspose2d(x, w, { stride: 2 }).data).toEqualTypeOf<Float32Array>();
    const dy = { data: new Float32Array(4), shape: [1, 1, 2, 2] };
    expectTypeOf(conv2dGradInput([1, 1, 4, 4], w, dy).data).toEqualTypeOf<Float32Array>();
    expectTypeOf(conv2dGradWeight(x, [1, 1, 3, 3], dy).data).toEqualTypeOf<Float32Array>();
    const g = conv2dBackward(x, w, dy, { bias: new Float32Array(1) });
    expectTypeOf(g.gradInput.data).toEqualTypeOf<Float32Array>();
    expectTypeOf(g.gradWeight.data).toEqualTypeOf<Float32Array>();
    expectTypeOf(g.gradBias).toEqualTypeOf<Float32Array | undefined>();
    expectTypeOf(conv2dBackward(x, w, { data: new Float64Array(4), shape: [1, 1, 2, 2] }).gradWeight.data)
      .toEqualTypeOf<Float64Array>();
  });
  it('options held in a variable of the options type give the union', () => {
    const o: ConvOptions = { padding: 1 };
    const x = { data: new Float32Array(16), shape: [1, 1, 4, 4] };
    expectTypeOf(conv2d(x, x, o).data).toEqualTypeOf<Float32Array | Float64Array>();
  });
});
