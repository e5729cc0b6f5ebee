// Bad input: a TypeError or RangeError naming the argument, thrown before any work. One shared table.
import { describe, expect, it } from 'vitest';
import {
  chooseConvMethod, conv1d, conv2d, conv2dBackward, conv2dGradInput, conv2dGradWeight, convolve, convolve2d, convTranspose1d,
  correlate, correlate2d, correlationLags, fftconvolve, init, initSync, ndimage, numpy, oaconvolve, setBackend, supportedVariants,
} from '../src/index';

const x = new Float64Array([1, 2, 3, 4]);
const cases: [string, () => unknown, ErrorConstructor, RegExp][] = [
  ['in1 of the wrong kind', () => correlate('abc' as never, x), TypeError, /correlate: in1 must be/],
  ['in2 missing', () => convolve(x, undefined as never), TypeError, /convolve: in2 must be/],
  ['a non-number element', () => correlate([1, 'a' as never], x), TypeError, /in1\[1\] must be a number/],
  ['a BigInt64Array', () => correlate(new BigInt64Array(3) as never, x), TypeError, /in1 must be a typed array of numbers/],
  ['a DataView', () => correlate(x, new DataView(new ArrayBuffer(8)) as never), TypeError, /in2 must be a typed array of numbers/],
  ['NDArray data of the wrong kind', () => correlate({ data: [1, 2] as never, shape: [2] }, x), TypeError, /in1\.data must be/],
  ['NDArray data/shape mismatch', () => correlate({ data: new Float64Array(5), shape: [2, 2] }, { data: x, shape: [2, 2] }), RangeError, /in1\.data has length 5 but in1\.shape \[2, 2\] holds 4/],
  ['negative size', () => correlate({ data: new Float64Array(0), shape: [-1] }, x), RangeError, /in1\.shape\[0\] must be ≥ 0/],
  ['non-integer size', () => correlate({ data: new Float64Array(2), shape: [1.5] }, x), RangeError, /in1\.shape\[0\] must be an integer/],
  ['empty input', () => correlate(new Float64Array(0), x), RangeError, /in1 is empty/],
  ['empty number[]', () => numpy.convolve([], [1]), RangeError, /numpy.convolve: a is empty/],
  ['rank mismatch', () => correlate({ data: x, shape: [2, 2] }, x), RangeError, /in1 has rank 2 but in2 has rank 1/],
  ['unknown mode', () => correlate(x, x, { mode: 'middle' as never }), TypeError, /mode must be one of 'full', 'same', 'valid'/],
  ['unknown method', () => convolve(x, x, { method: 'magic' as never }), TypeError, /method must be one of/],
  ['unknown dtype', () => convolve(x, x, { dtype: 'int8' as never }), TypeError, /dtype must be 'float32' or 'float64'/],
  ['unknown backend', () => convolve(x, x, { backend: 'gpu' as never }), TypeError, /backend must be 'wasm' or 'js'/],
  ['options not an object', () => convolve(x, x, 5 as never), TypeError, /options must be an object/],
  ["'valid' with neither input larger", () => correlate({ data: new Float64Array(6), shape: [2, 3] }, { data: new Float64Array(6), shape: [3, 2] }, { mode: 'valid' }), RangeError, /mode 'valid' needs one input at least as large as the other on every axis/],
  ['numpy: 2-D input', () => numpy.correlate({ data: x, shape: [2, 2] }, x), RangeError, /numpy.correlate: a must be 1-D/],
  ['lags: zero length', () => correlationLags(0, 3), RangeError, /in1Len must be ≥ 1/],
  ['lags: fractional length', () => correlationLags(3, 2.5), RangeError, /in2Len must be an integer/],
  ['lags: in1Len past Int32 lags', () => correlationLags(1e12, 3), RangeError, /correlationLags: in1Len = 1000000000000 gives lags up to/],
  ['lags: in1Len one past 2³¹', () => correlationLags(2 ** 31 + 1, 1), RangeError, /correlationLags: in1Len = 2147483649 gives lags up to 2147483648/],
  ['lags: in2Len below −2³¹', () => correlationLags(3, 2 ** 31 + 2), RangeError, /correlationLags: in2Len = 2147483650 gives lags down to -2147483649/],
  ['lags: unknown mode', () => correlationLags(3, 2, 'x' as never), TypeError, /mode must be one of/],
  ['chooseConvMethod: measure not a boolean', () => chooseConvMethod(x, x, { measure: 'yes' as never }), TypeError, /chooseConvMethod: measure must be a boolean/],
  ['ndimage: unknown accumulate', () => ndimage.correlate(x, x, { accumulate: 'double' as never }), TypeError, /ndimage.correlate: accumulate must be 'float64' or 'float32'/],
  ['chooseConvMethod: bad mode', () => chooseConvMethod(x, x, { mode: 'x' as never }), TypeError, /chooseConvMethod: mode/],
  ['initSync: unknown backend', () => initSync({ backend: 'gpu' as never }), TypeError, /init: backend must be/],
  ['initSync: unknown variant', () => initSync({ backend: 'wasm', variant: 'avx' as never }), TypeError, /init: variant must be/],
  ['initSync: memoryLimit not a number', () => initSync({ memoryLimit: '1GB' as never }), TypeError, /init: memoryLimit must be a number of bytes/],
  ['initSync: negative memoryLimit', () => initSync({ memoryLimit: -1 }), RangeError, /init: memoryLimit must be a finite number of bytes ≥ 0, got -1/],
  ['setBackend: unknown name', () => setBackend('gpu' as never), TypeError, /setBackend: name must be/],
];
// A build the engine cannot run is a wrong value of `variant` (only where the engine lacks relaxed SIMD: Node without
// its flag; the node-relaxed project has it).
if (!supportedVariants().includes('relaxed')) {
  cases.push(['initSync: relaxed build without relaxed SIMD', () => initSync({ backend: 'wasm', variant: 'relaxed' }), RangeError, /init: variant 'relaxed' needs relaxed SIMD, which this engine does not support/]);
}

// Unknown option names are refused as NumPy, SciPy and PyTorch refuse an unknown keyword, with the name to use.
const img = { data: new Float64Array(16), shape: [4, 4] };
const k2 = { data: new Float64Array(4), shape: [2, 2] };
const xin = { data: new Float64Array(16), shape: [1, 1, 16] };
const w1 = { data: new Float64Array(3), shape: [1, 1, 3] };
const x4 = { data: new Float64Array(16), shape: [1, 1, 4, 4] };
const w4 = { data: new Float64Array(9), shape: [1, 1, 3, 3] };
const dy4 = { data: new Float64Array(4), shape: [1, 1, 2, 2] };
const unknownKeys: [string, () => unknown, RegExp][] = [
  ['correlate: axis', () => correlate(x, x, { axis: 0 } as never), /correlate: unknown option 'axis'/],
  ['convolve: boundry', () => convolve(x, x, { boundry: 'fill' } as never), /convolve: unknown option 'boundry'; the options are 'mode'/],
  ['chooseConvMethod: measure', () => chooseConvMethod(x, x, { mesure: true } as never), /chooseConvMethod: unknown option 'mesure'/],
  ['numpy.correlate: method', () => numpy.correlate(x, x, { method: 'fft' } as never), /numpy.correlate: unknown option 'method'/],
  ['fftconvolve: axis → axes', () => fftconvolve(x, x, { axis: 0 } as never), /fftconvolve: unknown option 'axis' \(did you mean 'axes'\?\)/],
  ['oaconvolve: method', () => oaconvolve(x, x, { method: 'direct' } as never), /oaconvolve: unknown option 'method'/],
  ['correlate2d: boundry → boundary', () => correlate2d(img, k2, { boundry: 'wrap' } as never), /correlate2d: unknown option 'boundry' \(did you mean 'boundary'\?\)/],
  ['convolve2d: fill_value → fillvalue', () => convolve2d(img, k2, { fill_value: 1 } as never), /did you mean 'fillvalue'\?/],
  ['ndimage.correlate: origins → origin', () => ndimage.correlate(img, k2, { origins: 1 } as never), /ndimage.correlate: unknown option 'origins' \(did you mean 'origin'\?\)/],
  ['ndimage.convolve: axes', () => ndimage.convolve(img, k2, { axes: [0] } as never), /ndimage.convolve: unknown option 'axes'/],
  ['conv2d: padding_mode → paddingMode', () => conv2d(x4, w4, { padding: 1, padding_mode: 'reflect' } as never), /conv2d: unknown option 'padding_mode' \(did you mean 'paddingMode'\?\)/],
  ['conv1d: strides → stride', () => conv1d(xin, w1, { strides: 2 } as never), /did you mean 'stride'\?/],
  ['convTranspose1d: output_padding → outputPadding', () => convTranspose1d(xin, w1, { stride: 2, output_padding: 1 } as never), /convTranspose1d: unknown option 'output_padding' \(did you mean 'outputPadding'\?\)/],
  ['conv2dGradInput: dilations → dilation', () => conv2dGradInput([1, 1, 4, 4], w4, dy4, { dilations: 1 } as never), /did you mean 'dilation'\?/],
  ['conv2dGradWeight: group → groups', () => conv2dGradWeight(x4, [1, 1, 3, 3], dy4, { group: 1 } as never), /did you mean 'groups'\?/],
  ['conv2dBackward: out → output', () => conv2dBackward(x4, w4, dy4, { out: 1 } as never), /did you mean 'output'\?/],
  ['initSync: threds', () => initSync({ backend: 'js', threds: 2 } as never), /init: unknown option 'threds'/],
];

describe('unknown option names are refused with a TypeError naming the key', () => {
  for (const [what, fn, msg] of unknownKeys) {
    it(what, () => {
      expect(fn).toThrow(TypeError);
      expect(fn).toThrow(msg);
    });
  }
});

describe('bad input throws a clear error naming the argument', () => {
  for (const [what, fn, Err, msg] of cases) {
    it(what, () => {
      expect(fn).toThrow(Err);
      expect(fn).toThrow(msg);
    });
  }
  it('init() rejects bad options asynchronously', async () => {
    await expect(init({ backend: 'gpu' as never })).rejects.toThrow(TypeError);
  });
  it('sizes that cannot fit in memory are refused before any work, on both backends', () => {
    // in1 [65536, 1] with in2 [1, 65536] in 'full' mode: a 65536 × 65536 output (34 GB in float64) from small inputs.
    const a = { data: new Float64Array(1 << 16), shape: [1 << 16, 1] };
    const b = { data: new Float64Array(1 << 16), shape: [1, 1 << 16] };
    expect(() => correlate(a, b, { backend: 'wasm' })).toThrow(/correlate: the call needs \d+ bytes of wasm memory, more than the 4 GiB/);
    expect(() => correlate(a, b, { backend: 'js' })).toThrow(RangeError);
    expect(() => correlate(a, b, { backend: 'js' })).toThrow(/correlate: the call needs \d+ bytes of scratch memory, more than the 4 GiB/);
  });
  it('broadcast-only FFT calls have the same size guard: [40000, 1] * [1, 40000] refused at once, on both backends', () => {
    // No transformed axis: a 40000 × 40000 product (6.4 GB in float32), which a typed array could hold on js.
    for (const Ctor of [Float32Array, Float64Array]) {
      const a = { data: new Ctor(40000), shape: [40000, 1] };
      const b = { data: new Ctor(40000), shape: [1, 40000] };
      for (const op of [fftconvolve, oaconvolve]) {
        expect(() => op(a, b, { backend: 'wasm' })).toThrow(/convolve: the call needs \d+ bytes of wasm memory, more than the 4 GiB/);
        expect(() => op(a, b, { backend: 'js' })).toThrow(RangeError);
        expect(() => op(a, b, { backend: 'js' })).toThrow(/convolve: the call needs \d+ bytes of scratch memory, more than the 4 GiB/);
      }
    }
  });
});
