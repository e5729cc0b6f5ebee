// correlationLags against scipy.signal.correlation_lags 1.10 (scripts/gen_fixtures_lags.py): every small length pair
// whole, large lengths by their ends (SciPy's lags are consecutive, so length, head and tail fix the array).
import { describe, expect, it } from 'vitest';
import { correlationLags, type Mode } from '../src/index';
import fx from './fixtures/lags.json';

interface Small { in1Len: number; in2Len: number; mode: Mode; lags: number[] }
interface Large { in1Len: number; in2Len: number; mode: Mode; length: number; head: number[]; tail: number[] }

describe('correlationLags: SciPy 1.10 values', () => {
  it(`${fx.small.length} small (in1Len, in2Len, mode) triples, whole`, () => {
    for (const c of fx.small as Small[]) {
      const got = correlationLags(c.in1Len, c.in2Len, c.mode);
      expect(got).toBeInstanceOf(Int32Array);
      expect([c.in1Len, c.in2Len, c.mode, Array.from(got)]).toEqual([c.in1Len, c.in2Len, c.mode, c.lags]);
    }
  });
  // Lengths up to 2e7 are built here (≤ 80 MB); the 2³¹-long ones are fixtures for the ends only.
  for (const c of (fx.large as Large[]).filter((l) => l.length <= 2e7)) {
    it(`(${c.in1Len}, ${c.in2Len}, '${c.mode}'): ${c.length} lags, ${c.head[0]} … ${c.tail[c.tail.length - 1]}`, () => {
      const got = correlationLags(c.in1Len, c.in2Len, c.mode);
      expect(got.length).toBe(c.length);
      expect(Array.from(got.subarray(0, c.head.length))).toEqual(c.head);
      expect(Array.from(got.subarray(got.length - c.tail.length))).toEqual(c.tail);
      let consecutive = true;
      for (let i = 1; i < got.length; i++) if (got[i] !== got[i - 1] + 1) consecutive = false;
      expect(consecutive).toBe(true);
    });
  }
});
