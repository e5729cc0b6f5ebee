// Method 'auto' is deterministic: a committed cost model (src/auto-model.ts, fitted by scripts/calibrate-auto.mjs),
// nothing timed at run time, the same choice in a fresh copy of the package; chooseConvMethod({ measure: true }) times
// both methods as SciPy's measure=True. On every backend of this vitest project.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chooseConvMethod, correlate, type NDArray } from '../src/index';
import { AUTO_MODEL } from '../src/auto-model';
import { backendCases, randomArray, useBackend } from './helpers';

type Shape = [number[], number[], 'full' | 'same' | 'valid', 'float32' | 'float64'];
const SHAPES: Shape[] = [
  [[1_000_000], [3], 'full', 'float64'], [[1_000_000], [3], 'full', 'float32'], [[100_000], [4000], 'valid', 'float32'],
  [[50_000], [300], 'same', 'float64'], [[20_000], [31], 'full', 'float32'], [[512, 512], [3, 3], 'same', 'float32'],
  [[512, 512], [31, 31], 'same', 'float64'], [[256, 256], [9, 9], 'full', 'float32'], [[64, 64, 64], [5, 5, 5], 'same', 'float32'],
];
const inputs = (s1: number[], s2: number[], dtype: 'float32' | 'float64'): [NDArray, NDArray] => [
  { data: randomArray(s1.reduce((p, v) => p * v, 1), 1, dtype), shape: s1 },
  { data: randomArray(s2.reduce((p, v) => p * v, 1), 2, dtype), shape: s2 },
];

describe('the committed model', () => {
  it('has finite, non-negative constants for every build, dtype and rank class', () => {
    for (const build of ['js', 'scalar', 'simd', 'relaxed'] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        for (const cls of ['rank1', 'rankN'] as const) {
          const c = AUTO_MODEL[build][dtype][cls];
          for (const v of Object.values(c)) expect(Number.isFinite(v) && v >= 0, `${build} ${dtype} ${cls}`).toBe(true);
          // Each method has a cost that grows with its work.
          expect(c.mac).toBeGreaterThan(0);
          expect(c.fft).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe.each(backendCases())("'auto' on %s", (be) => {
  beforeAll(() => useBackend(be));
  afterEach(() => {
    vi.restoreAllMocks();
  });
  it('nothing is timed: no clock is read by chooseConvMethod or by a correlate that the model decides', () => {
    const now = vi.spyOn(performance, 'now');
    const dateNow = vi.spyOn(Date, 'now');
    for (const [s1, s2, mode, dtype] of SHAPES) {
      const [x, h] = inputs(s1, s2, dtype);
      chooseConvMethod(x, h, { mode });
    }
    const [x, h] = inputs([20_000], [200], 'float32');
    correlate(x, h, { mode: 'valid' });
    expect(now).not.toHaveBeenCalled();
    expect(dateNow).not.toHaveBeenCalled();
  });
  it('a fresh copy of the package (a new process, as far as module state goes) makes the same choices', async () => {
    const first = SHAPES.map(([s1, s2, mode, dtype]) => chooseConvMethod(...inputs(s1, s2, dtype), { mode }));
    vi.resetModules();
    const wasm = await import('../src/wasm');
    await wasm.loadBinaries(wasm.VARIANTS); // the fresh loader has no binary yet (the CJS build has all)
    const fresh = await import('../src/index');
    fresh.initSync(be === 'js' ? { backend: 'js' } : { backend: 'wasm', variant: be });
    const again = SHAPES.map(([s1, s2, mode, dtype]) => fresh.chooseConvMethod(...inputs(s1, s2, dtype), { mode }));
    expect(again).toEqual(first);
  });
  it("float64 n = 1e6 with 3 taps runs direct; 1e5 with 4000 taps runs the FFT (issue 14's cases)", () => {
    expect(chooseConvMethod(...inputs([1_000_000], [3], 'float64'))).toBe('direct');
    expect(chooseConvMethod(...inputs([100_000], [4000], 'float32'), { mode: 'valid' })).toBe('fft');
    expect(chooseConvMethod(...inputs([512, 512], [31, 31], 'float32'), { mode: 'same' })).toBe('fft');
  });
  it('measure: true times both methods (SciPy measure=True): { method, times } with the faster method', () => {
    const [x, h] = inputs([3000], [40], 'float64');
    const r = chooseConvMethod(x, h, { mode: 'same', measure: true });
    expect(Object.keys(r).sort()).toEqual(['method', 'times']);
    expect(r.times.direct).toBeGreaterThan(0);
    expect(r.times.fft).toBeGreaterThan(0);
    expect(r.method).toBe(r.times.fft < r.times.direct ? 'fft' : 'direct');
    expect(chooseConvMethod(x, h, { mode: 'same', measure: false })).toMatch(/^(direct|fft)$/);
  });
});
