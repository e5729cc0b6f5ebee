// The `output` option of conv1d/2d/3d (a convcorr addition): the forward result lands in the caller's array, which
// the call returns as its data. Every kernel path writes the same values into it as into a fresh result (checked per
// random case in nn-kernels.test.ts); here: NDArray outputs, the dtype it sets, an output sharing memory with the
// input, Winograd's fallback on NaN, the gradient ops (which ignore it), and errors before any work.
import { beforeAll, describe, expect, it } from 'vitest';
import { conv1d, conv2d, conv2dBackward, conv3d, type NDArray } from '../src/index';
import { loadedModule } from '../src/wasm';
import { backendCases, firstDiff, randomArray, useBackend } from './helpers';

describe.each(backendCases())('conv output on %s', (be) => {
  beforeAll(() => useBackend(be));

  it('into an NDArray of the output shape, in both layouts and every rank', () => {
    const cases = [
      { op: conv1d, x: [2, 5, 30], w: [4, 5, 3], opts: { padding: 1 } },
      { op: conv2d, x: [1, 8, 9, 11], w: [8, 8, 3, 3], opts: { padding: 'same' as const } }, // Winograd
      { op: conv2d, x: [1, 3, 13, 10], w: [6, 3, 3, 3], opts: { stride: 2, padding: 1 } }, // first layer, direct
      { op: conv2d, x: [2, 6, 7, 7], w: [6, 1, 3, 3], opts: { groups: 6, padding: 1 } }, // depthwise
      { op: conv3d, x: [1, 4, 3, 5, 6], w: [6, 2, 2, 1, 3], opts: { groups: 2, stride: [1, 2, 1] } },
    ];
    for (const [i, c] of cases.entries()) {
      for (const layout of ['channels-first', 'channels-last'] as const) {
        const r = c.x.length - 2;
        const xShape = layout === 'channels-first' ? c.x : [c.x[0], ...c.x.slice(2), c.x[1]];
        const wShape = layout === 'channels-first' ? c.w : [...c.w.slice(2), c.w[1], c.w[0]];
        const x: NDArray = { data: randomArray(xShape.reduce((a, b) => a * b, 1), 10 + i, 'float32'), shape: xShape };
        const w: NDArray = { data: randomArray(wShape.reduce((a, b) => a * b, 1), 20 + i, 'float32'), shape: wShape };
        const fresh = c.op(x, w, { ...c.opts, layout, bias: randomArray(c.w[0], 30 + i, 'float32') });
        const out: NDArray = { data: new Float32Array(fresh.data.length).fill(NaN), shape: fresh.shape.slice() };
        const got = c.op(x, w, { ...c.opts, layout, bias: randomArray(c.w[0], 30 + i, 'float32'), output: out });
        expect(got.data).toBe(out.data);
        expect(got.shape).toEqual(fresh.shape);
        expect(got.shape.length).toBe(r + 2);
        expect(firstDiff(out.data, fresh.data)).toBe(-1);
      }
    }
  });

  it("sets the dtype: a Float32Array output of float64 inputs gives float32 sums, and 'float64' names the dtype", () => {
    const x: NDArray = { data: randomArray(2 * 4 * 20, 1, 'float64'), shape: [2, 4, 20] };
    const w: NDArray = { data: randomArray(3 * 4 * 5, 2, 'float64'), shape: [3, 4, 5] };
    const f32 = conv1d(x, w, { dtype: 'float32' });
    expect(f32.data).toBeInstanceOf(Float32Array);
    const out = new Float32Array(f32.data.length);
    expect(conv1d(x, w, { output: out }).data).toBe(out);
    expect(out).toEqual(f32.data);
    expect(conv1d(x, w, { output: 'float32' }).data).toEqual(f32.data);
    const x32: NDArray = { data: Float32Array.from(x.data), shape: x.shape };
    const w32: NDArray = { data: Float32Array.from(w.data), shape: w.shape };
    expect(conv1d(x32, w32, { output: 'float64' }).data).toEqual(conv1d(x32, w32, { dtype: 'float64' }).data);
  });

  it('may share memory with the input: the result is computed aside first, then copied in', () => {
    // Same padding and as many output channels as input channels: the output has the input's shape.
    for (const [i, opts] of [{ padding: 1 }, { padding: 1, groups: 6 }].entries()) {
      const x = randomArray(6 * 12 * 12, 40 + i, 'float64');
      const w: NDArray = { data: randomArray(6 * (opts.groups ? 1 : 6) * 9, 50 + i, 'float64'), shape: [6, opts.groups ? 1 : 6, 3, 3] };
      const expected = conv2d({ data: x, shape: [1, 6, 12, 12] }, w, opts).data;
      const inPlace = x.slice();
      expect(conv2d({ data: inPlace, shape: [1, 6, 12, 12] }, w, { ...opts, output: inPlace }).data).toBe(inPlace);
      expect(firstDiff(inPlace, expected)).toBe(-1);
    }
    // The output in the weight's buffer (one element along).
    const buf = randomArray(1 + 2 * 2 * 8, 60, 'float64');
    const w: NDArray = { data: buf.subarray(0, 8), shape: [2, 2, 2] };
    const x: NDArray = { data: randomArray(2 * 9, 61, 'float64'), shape: [1, 2, 9] };
    const expected = conv1d(x, { data: w.data.slice(), shape: [2, 2, 2] }).data;
    const out = buf.subarray(1, 1 + 16);
    expect(conv1d(x, w, { output: out }).data).toBe(out);
    expect(firstDiff(out, expected)).toBe(-1);
  });

  it('Winograd declines NaN and falls back to im2col, still into the given array', () => {
    const x: NDArray = { data: randomArray(16 * 10 * 10, 70, 'float32'), shape: [1, 16, 10, 10] };
    x.data[123] = NaN;
    const w: NDArray = { data: randomArray(16 * 16 * 9, 71, 'float32'), shape: [16, 16, 3, 3] };
    const fresh = conv2d(x, w, { padding: 1 });
    const out = new Float32Array(fresh.data.length);
    expect(conv2d(x, w, { padding: 1, output: out }).data).toBe(out);
    expect(firstDiff(out, fresh.data)).toBe(-1);
    const nans = out.reduce((n, v) => n + (Number.isNaN(v) ? 1 : 0), 0);
    expect(nans).toBe(16 * 9); // every output channel, over the 3×3 window around the NaN (channel 1, row 2, column 3)
  });

  it('the gradient ops take the same options object and ignore output: their results are fresh', () => {
    const x: NDArray = { data: randomArray(2 * 3 * 6 * 6, 80, 'float64'), shape: [2, 3, 6, 6] };
    const w: NDArray = { data: randomArray(4 * 3 * 9, 81, 'float64'), shape: [4, 3, 3, 3] };
    const out = new Float64Array(2 * 4 * 6 * 6).fill(7);
    const opts = { padding: 1, output: out };
    const y = conv2d(x, w, opts);
    expect(y.data).toBe(out);
    const g = conv2dBackward(x, w, y, opts);
    expect(g.gradInput.data).not.toBe(out);
    expect(g.gradWeight.data).not.toBe(out);
    expect(firstDiff(out, y.data)).toBe(-1);
    expect(g.gradInput.data).toEqual(conv2dBackward(x, w, { data: y.data.slice(), shape: y.shape }, { padding: 1 }).gradInput.data);
  });

  it('refuses a bad output before any work, leaving the array untouched and the arena at its mark', () => {
    const m = be === 'js' ? undefined : loadedModule(be as 'scalar' | 'simd' | 'relaxed');
    const start = m?.arena.top;
    const x: NDArray = { data: randomArray(2 * 8 * 8, 90, 'float64'), shape: [1, 2, 8, 8] };
    const w: NDArray = { data: randomArray(3 * 2 * 9, 91, 'float64'), shape: [3, 2, 3, 3] };
    const out = new Float64Array(3 * 36 - 1).fill(7);
    expect(() => conv2d(x, w, { output: out })).toThrow(/conv2d: output has length 107 but the output's shape \[1, 3, 6, 6\] holds 108/);
    expect(out.every((v) => v === 7)).toBe(true);
    expect(() => conv2d(x, w, { output: { data: new Float64Array(108), shape: [1, 3, 36] } })).toThrow(RangeError);
    expect(() => conv2d(x, w, { output: { data: new Float64Array(108), shape: [1, 6, 6, 3] } })).toThrow(/output must have the output's shape \[1, 3, 6, 6\]/);
    expect(() => conv2d(x, w, { output: { data: new BigInt64Array(108), shape: [1, 3, 6, 6] } as never })).toThrow(/output.data must be a typed array of numbers/);
    expect(() => conv2d(x, w, { output: new Uint8Array(107) })).toThrow(RangeError);
    expect(() => conv2d(x, w, { output: 'int8' as never })).toThrow(/conv2d: output must be/);
    expect(() => conv2d(x, w, { output: new Float32Array(108), dtype: 'float64' })).toThrow(/conv2d: output is float32 but dtype is 'float64'/);
    // Channels-last: the output's shape is [N, ...spatial, Cout].
    const xl: NDArray = { data: x.data, shape: [1, 8, 8, 2] };
    const wl: NDArray = { data: w.data, shape: [3, 3, 2, 3] };
    expect(() => conv2d(xl, wl, { layout: 'channels-last', output: { data: new Float64Array(108), shape: [1, 3, 6, 6] } })).toThrow(/\[1, 6, 6, 3\]/);
    if (m) expect(m.arena.top).toBe(start);
  });
});
