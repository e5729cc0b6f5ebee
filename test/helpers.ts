// Shared test helpers: which backends this project runs on, switching to one, and closeness checks.
import { afterAll, beforeAll, inject } from 'vitest';
import { initSync, terminate, type NDArray } from '../src/index';
import { tuning } from '../src/threads';

export type BackendCase = 'js' | 'scalar' | 'simd' | 'relaxed';

declare module 'vitest' {
  export interface ProvidedContext {
    variants: BackendCase[];
  }
}

/** The backends the current vitest project tests: 'js' and/or wasm builds (see vitest.config.ts). */
export function backendCases(): BackendCase[] {
  return inject('variants');
}

/** Make `c` the default backend of every op (tests then call ops without a `backend` option). */
export function useBackend(c: BackendCase): void {
  const info = initSync(c === 'js' ? { backend: 'js' } : { backend: 'wasm', variant: c });
  if (c !== 'js' && info.variant !== c) throw new Error(`expected the ${c} wasm build, got ${info.variant}`);
}

/**
 * For a describe block of thread tests on the `variant` build: split everything (a chunk of 64 multiply-adds, no
 * minimum), and after the block end the pool and restore the tuning.
 */
export function splitEverything(variant: BackendCase): void {
  const saved = { ...tuning };
  beforeAll(() => {
    useBackend(variant);
    tuning.chunkWork = 64;
    tuning.minWork = 0;
  });
  afterAll(() => {
    terminate();
    tuning.chunkWork = saved.chunkWork;
    tuning.minWork = saved.minWork;
  });
}

/**
 * `compute()` once per key in this test file, then the same value: for references and bounds that depend on a test's
 * inputs only, not on the backend under test, so a file that runs three backends computes each reference once
 * (test/reference/ is slow on purpose). The value is shared: callers must not modify it (copy before permuting).
 */
export function shared<T>(key: string, compute: () => T): T {
  if (!sharedValues.has(key)) sharedValues.set(key, compute());
  return sharedValues.get(key) as T;
}
const sharedValues = new Map<string, unknown>();

export const TOL = { float32: 1e-4, float64: 1e-9 } as const;

/** Largest |a − e| relative to max|e| (NaN in the same places counts as equal). */
export function relErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) scale = Math.max(scale, Math.abs(expected[i]));
  let err = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) return Infinity;
    } else if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) return Infinity;
    } else {
      err = Math.max(err, Math.abs(a - e));
    }
  }
  return err / (scale || 1);
}

/** A deterministic PRNG (mulberry32) for test data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(n: number, seed: number, dtype: 'float32' | 'float64' = 'float64'): Float32Array | Float64Array {
  const r = rng(seed);
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
  return a;
}

export function nd(data: Float32Array | Float64Array, shape: number[]): NDArray {
  return { data, shape };
}

export interface FixtureArray {
  shape: number[];
  data: number[];
}

/** A fixture array as an NDArray of the given dtype. */
export function fromFixture(a: FixtureArray, dtype: 'float32' | 'float64'): NDArray {
  return { data: dtype === 'float32' ? Float32Array.from(a.data) : Float64Array.from(a.data), shape: a.shape };
}

/** The first index where a and b differ (NaN equals NaN; 0 for different lengths), or -1: a fast exact comparison
 * for large arrays (vitest's deep equality is slow on 100k elements). */
export function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
