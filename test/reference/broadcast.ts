// Reference for FFT convolutions without a transformed axis: SciPy returns in1 * in2 (NumPy broadcasting), sliced by
// the mode per axis: 'full' and 'valid' keep all max(s1, s2), 'same' keeps s1 centred (from ⌊(B − s1)/2⌋).
import { ravel, size, unravel } from './nd';

export function broadcastRef(
  x1: ArrayLike<number>, s1: number[], x2: ArrayLike<number>, s2: number[], mode: 'full' | 'same' | 'valid',
): { data: Float64Array; shape: number[] } {
  const B = s1.map((m, a) => Math.max(m, s2[a]));
  const shape = mode === 'same' ? s1.slice() : B;
  const start = mode === 'same' ? B.map((b, a) => Math.floor((b - s1[a]) / 2)) : B.map(() => 0);
  const data = new Float64Array(size(shape));
  for (let o = 0; o < data.length; o++) {
    const g = unravel(o, shape).map((v, a) => v + start[a]);
    const i1 = ravel(g.map((v, a) => (s1[a] === 1 ? 0 : v)), s1);
    const i2 = ravel(g.map((v, a) => (s2[a] === 1 ? 0 : v)), s2);
    data[o] = x1[i1] * x2[i2];
  }
  return { data, shape };
}
