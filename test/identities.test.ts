// Identities from the theory: correlation is convolution with the kernel reversed; the two agree for symmetric
// kernels; convolution is commutative and associative, correlation is neither.
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve, correlate, type NDArray } from '../src/index';
import { backendCases, randomArray, relErr, useBackend } from './helpers';

const rev = (a: NDArray): NDArray => ({ data: a.data.slice().reverse(), shape: a.shape });
const arr = (shape: number[], seed: number): NDArray => ({ data: randomArray(shape.reduce((a, b) => a * b, 1), seed), shape });
const shapes = [[[23], [5]], [[17], [6]], [[9, 11], [3, 4]], [[5, 6, 7], [2, 3, 2]]] as const;

describe.each(backendCases())('identities on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const [s1, s2] of shapes) {
    const f = arr([...s1], 1);
    const h = arr([...s2], 2);
    for (const mode of ['full', 'same', 'valid'] as const) {
      it(`correlate(f, h) = convolve(f, reversed h), f=[${s1}] h=[${s2}] ${mode}`, () => {
        expect(relErr(correlate(f, h, { mode }).data, convolve(f, rev(h), { mode }).data)).toBeLessThanOrEqual(1e-12);
      });
    }
    it(`convolution is commutative, correlation is not, f=[${s1}] h=[${s2}]`, () => {
      expect(relErr(convolve(f, h).data, convolve(h, f).data)).toBeLessThanOrEqual(1e-12);
      expect(relErr(correlate(f, h).data, correlate(h, f).data)).toBeGreaterThan(1e-3);
      // What holds instead: swapping the inputs of a correlation reverses the full output.
      expect(relErr(correlate(f, h).data, correlate(h, f).data.reverse())).toBeLessThanOrEqual(1e-12);
    });
  }
  it('convolution is associative, correlation is not', () => {
    const [f, g, h] = [arr([19], 3), arr([7], 4), arr([4], 5)];
    expect(relErr(convolve(convolve(f, g), h).data, convolve(f, convolve(g, h)).data)).toBeLessThanOrEqual(1e-12);
    expect(relErr(correlate(correlate(f, g), h).data, correlate(f, correlate(g, h)).data)).toBeGreaterThan(1e-3);
  });
  it('a symmetric kernel gives the same convolution and correlation', () => {
    const f = arr([8, 9], 6);
    const sym = { data: new Float64Array([1, 2, 1, 2, 4, 2, 1, 2, 1]), shape: [3, 3] };
    for (const mode of ['full', 'same', 'valid'] as const) {
      expect(relErr(convolve(f, sym, { mode }).data, correlate(f, sym, { mode }).data)).toBeLessThanOrEqual(1e-12);
    }
  });
  it('the seed example: f = [2, 1, 3, 5, 4] with h = [1, -1] and the symmetric h2 = [-1, 2, -1]', () => {
    const f = [2, 1, 3, 5, 4];
    expect(Array.from(convolve(f, [1, -1], { mode: 'valid' }))).toEqual([-1, 2, 2, -1]);
    expect(Array.from(correlate(f, [1, -1], { mode: 'valid' }))).toEqual([1, -2, -2, 1]);
    expect(Array.from(convolve(f, [-1, 2, -1], { mode: 'valid' }))).toEqual([-3, 0, 3]);
    expect(Array.from(correlate(f, [-1, 2, -1], { mode: 'valid' }))).toEqual([-3, 0, 3]);
  });
});
