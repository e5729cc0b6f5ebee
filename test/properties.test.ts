// Seeded random comparison of every backend with the slow reference: random ranks, shapes (sizes either side of
// the SIMD tiles), modes and dtypes, for scipy.signal and numpy ops.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve, correlate, numpy } from '../src/index';
import { backendCases, randomArray, useBackend } from './helpers';
import { absArray, absOf, expectWithin, sumTol } from './tolerance';
import { scipyCorrelate } from './reference/correlate';

type Mode = 'full' | 'same' | 'valid';
const modeArb = fc.constantFrom<Mode>('full', 'same', 'valid');
const dtypeArb = fc.constantFrom<'float32' | 'float64'>('float32', 'float64');

/** Two shapes of equal rank; for 'valid', one is at least as large as the other on every axis. */
const shapesArb = fc.integer({ min: 1, max: 3 }).chain((rank) => {
  const maxLast = rank === 1 ? 40 : rank === 2 ? 21 : 9;
  const dims = (max: number) => fc.tuple(...Array.from({ length: rank }, (_, a) => fc.integer({ min: 1, max: a === rank - 1 ? max : 6 })));
  return fc.tuple(dims(maxLast), dims(maxLast), modeArb, fc.boolean()).map(([s1, s2, mode, swap]) => {
    if (mode === 'valid') {
      const big = s1.map((v, a) => Math.max(v, s2[a]));
      const small = s1.map((v, a) => Math.min(v, s2[a]));
      return swap ? { s1: small, s2: big, mode } : { s1: big, s2: small, mode };
    }
    return { s1, s2, mode };
  });
});

describe.each(backendCases())('random shapes against the reference on %s', (be) => {
  beforeAll(() => useBackend(be));
  it('correlate and convolve, any rank, every mode', () => {
    fc.assert(fc.property(shapesArb, dtypeArb, fc.boolean(), fc.integer(), ({ s1, s2, mode }, dtype, flip, seed) => {
      const n1 = s1.reduce((a, b) => a * b, 1);
      const n2 = s2.reduce((a, b) => a * b, 1);
      const x = { data: randomArray(n1, seed, dtype), shape: s1 };
      const h = { data: randomArray(n2, seed + 1, dtype), shape: s2 };
      const got = (flip ? convolve : correlate)(x, h, { mode, method: 'direct' });
      const want = scipyCorrelate(x, h, mode, flip);
      expect(got.shape).toEqual(want.shape);
      expectWithin(got.data, want.data, sumTol(dtype, Math.min(n1, n2), scipyCorrelate(absOf(x), absOf(h), mode, flip).data));
    }), { numRuns: 60, seed: 42 });
  });
  it('numpy.convolve and numpy.correlate, lengths 1..40', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), modeArb, fc.integer(), (m, n, mode, seed) => {
      const a = randomArray(m, seed);
      const v = randomArray(n, seed + 7);
      // numpy.convolve is commutative: it equals scipy's convolve of the longer with the shorter, 'same' as long as the longer.
      const [l, s] = m >= n ? [a, v] : [v, a];
      const conv = scipyCorrelate({ data: l, shape: [l.length] }, { data: s, shape: [s.length] }, mode, true);
      const K = Math.min(m, n);
      const conv1 = (p: ArrayLike<number>, q: ArrayLike<number>, flip: boolean) =>
        scipyCorrelate({ data: p, shape: [p.length] }, { data: q, shape: [q.length] }, mode, flip).data;
      expectWithin(numpy.convolve(a, v, { mode }), conv.data, sumTol('float64', K, conv1(absArray(l), absArray(s), true)));
      if (m >= n) {
        const corr = scipyCorrelate({ data: a, shape: [m] }, { data: v, shape: [n] }, mode);
        expectWithin(numpy.correlate(a, v, { mode }), corr.data, sumTol('float64', K, conv1(absArray(a), absArray(v), false)));
      } else {
        // NumPy correlates v with a and reverses the result.
        const back = scipyCorrelate({ data: v, shape: [n] }, { data: a, shape: [m] }, mode).data.reverse();
        expectWithin(numpy.correlate(a, v, { mode }), back, sumTol('float64', K, conv1(absArray(v), absArray(a), false).reverse()));
      }
    }), { numRuns: 80, seed: 7 });
  });
});
