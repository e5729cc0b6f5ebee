// Similarity: matchTemplate against OpenCV 4.6 (cv2.matchTemplate) and scikit-image 0.19 (padInput), minMaxLoc
// against cv2.minMaxLoc, xcorr against Octave-signal — golden vectors from scripts/gen_fixtures_similarity.py — on
// every backend; the direct and FFT paths against the plain reference (test/reference/similarity.ts) on random
// shapes; findDelay against its definition; bad inputs; the wasm arena after every call.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { findDelay, matchTemplate, minMaxLoc, xcorr, type NDArray } from '../src/index';
import { loadedModule } from '../src/wasm';
import { backendCases, rng, useBackend, type BackendCase } from './helpers';
import { findDelayRef, matchTemplatePadRef, matchTemplateRef, xcorrRef, type Method } from './reference/similarity';

type Num = number | string;
interface FA { shape: number[]; data: Num[] }
const dec = (v: Num) => (typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity);
const fx = JSON.parse(readFileSync(new URL('./fixtures/similarity.json', import.meta.url), 'utf8'));
const f32 = (a: FA) => Float32Array.from(a.data.map(dec));
const f64 = (a: FA) => Float64Array.from(a.data.map(dec));
const img = (a: FA) => ({ data: a.data.map(dec), H: a.shape[0], W: a.shape[1], C: a.shape[2] ?? 1 });

const EPS32 = 2 ** -24;
const EPS64 = 2 ** -53;

/**
 * |got − want| ≤ tol per element: NaN only where NaN; tol from the terms each value is a sum of.
 * Returns a description of the first failure, or '' when every element passes.
 */
function within(got: ArrayLike<number>, want: ArrayLike<number>, tol: (i: number) => number): string {
  if (got.length !== want.length) return `length ${got.length} ≠ ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const e = want[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (!(Number.isNaN(e) && Number.isNaN(a))) return `[${i}] got ${a}, want ${e}`;
    } else if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) return `[${i}] got ${a}, want ${e}`;
    } else if (!(Math.abs(a - e) <= tol(i))) {
      return `[${i}] got ${a}, want ${e} (|diff| ${Math.abs(a - e)} > tol ${tol(i)})`;
    }
  }
  return '';
}

/** The expanded [h, w, C] weights the reference takes (uint8 masks binary; a 1-channel mask repeated). */
function maskWeights(m: FA, kind: string, C: number): Float64Array {
  const [h, w] = m.shape;
  const mc = m.shape[2] ?? 1;
  const out = new Float64Array(h * w * C);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < C; k++) {
      const v = dec(m.data[i * mc + (mc === 1 ? 0 : k)]);
      out[i * C + k] = kind === 'binary' ? (v > 0 ? 1 : 0) : v;
    }
  }
  return out;
}

function globalNorm(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

const arenaTop = (c: BackendCase) => (c === 'js' ? 0 : loadedModule(c)!.arena.top);

describe.each(backendCases())('similarity on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  describe('matchTemplate vs cv2.matchTemplate (OpenCV 4.6)', () => {
    // OpenCV correlates by a float32 DFT: its error scales with the global norms ‖I‖·‖T‖ as well as the window's
    // terms; both bound each element, with the window's K·ε·Σ|terms| for this library's own float32 sums.
    for (const c of fx.matchTemplate) {
      for (const dtype of ['float32', 'float64'] as const) {
        it(`${c.name} as ${dtype}`, () => {
          const a = c.args;
          const conv = dtype === 'float32' ? f32 : f64;
          const image = { data: conv(a.image), shape: a.image.shape };
          const templ = { data: conv(a.templ), shape: a.templ.shape };
          const C = a.image.shape[2] ?? 1;
          const mask = a.mask === undefined ? undefined
            : a.maskKind === 'binary' ? { data: Uint8Array.from(a.mask.data), shape: a.mask.shape } : { data: conv(a.mask), shape: a.mask.shape };
          const top = arenaTop(backend);
          const got = matchTemplate(image, templ, { method: a.method, mask });
          expect(arenaTop(backend)).toBe(top);
          expect(got.shape).toEqual(c.expected.shape);
          expect(got.data).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
          const want = f64(c.expected);
          const ref = matchTemplateRef(img(a.image), img(a.templ), a.method, a.mask && maskWeights(a.mask, a.maskKind, C));
          const K = a.templ.shape[0] * a.templ.shape[1] * C;
          const n = a.image.shape[0] * a.image.shape[1];
          const tm = globalNorm(a.templ.data.map(dec)) * (a.mask ? globalNorm(maskWeights(a.mask, a.maskKind, C)) : 1);
          const dft = Math.log2(n) * globalNorm(a.image.data.map(dec)) * tm;
          // Masked flat windows (zero weighted variance): OpenCV divides its rounding residue by ~0 (±Infinity,
          // NaN or a huge number); this library gives NaN there, as the exact 0/0.
          const flat = (i: number) => ref.den[i] === 0 && Number.isNaN(ref.data[i]);
          for (let i = 0; i < want.length; i++) {
            if (flat(i)) {
              expect(got.data[i]).toBeNaN();
              expect(!Number.isFinite(want[i]) || Math.abs(want[i]) > 10).toBe(true);
              want[i] = NaN;
            }
          }
          const err = within(got.data, want, (i) => 8 * EPS32 * (K * ref.mag[i] + dft / ref.den[i]) + 2 * EPS32 * Math.abs(want[i]));
          expect(err).toBe('');
        });
      }
    }
  });
});
