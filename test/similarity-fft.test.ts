// matchTemplate's overlap-save FFT (src/similarity-fft.ts) against a plain valid correlation written here, on random
// shapes and block limits (several blocks per axis, partial last blocks, one-row images), on every backend.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchTemplate } from '../src/index';
import { correlateValidFft, validFftPlan } from '../src/similarity-fft';
import { withWorkspace } from '../src/workspace';
import { backendCases, rng, useBackend } from './helpers';

/** Σ_{i,j} x[r + i, c + j]·t[i, j] over the valid windows, in float64. */
function validRef(x: ArrayLike<number>, H: number, W: number, t: ArrayLike<number>, h: number, w: number): Float64Array {
  const ow = W - w + 1;
  const out = new Float64Array((H - h + 1) * ow);
  for (let r = 0; r <= H - h; r++) {
    for (let c = 0; c < ow; c++) {
      let s = 0;
      for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) s += x[(r + i) * W + c + j] * t[i * w + j];
      out[r * ow + c] = s;
    }
  }
  return out;
}

const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));

describe('validFftPlan', () => {
  it('blocks cover every output, hold the template, and stay within maxLen when it allows', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 2, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 8, max: 400 }), (H, W, fh, fw, maxLen) => {
        const h = 1 + Math.floor(fh * (H - 1));
        const w = 1 + Math.floor(fw * (W - 1));
        const p = validFftPlan(H, W, h, w, maxLen);
        expect(p.L0).toBeGreaterThanOrEqual(h);
        expect(p.L1).toBeGreaterThanOrEqual(w);
        expect(p.L1 % 2).toBe(0);
        expect(p.step0).toBe(p.L0 - h + 1);
        expect(p.step1).toBe(p.L1 - w + 1);
        expect(p.tiles0 * p.step0).toBeGreaterThanOrEqual(H - h + 1);
        expect((p.tiles0 - 1) * p.step0).toBeLessThan(H - h + 1);
        expect(p.tiles1 * p.step1).toBeGreaterThanOrEqual(W - w + 1);
        expect((p.tiles1 - 1) * p.step1).toBeLessThan(W - w + 1);
      }), { numRuns: 300 });
  });

  it('a 1024² image with a 64² template is one 1024² block (no padding)', () => {
    expect(validFftPlan(1024, 1024, 64, 64)).toMatchObject({ L0: 1024, L1: 1024, tiles0: 1, tiles1: 1 });
  });
});

describe.each(backendCases())('correlateValidFft (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: the valid correlation on random shapes and block limits`, () => {
      const e = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
      fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 8, max: 48 }), fc.integer(), (H, W, fh, fw, maxLen, seed) => {
          const h = 1 + Math.floor(fh * (H - 1));
          const w = 1 + Math.floor(fw * (W - 1));
          const r = rng(seed);
          const make = (n: number) => {
            const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
            for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
            return a;
          };
          const x = make(H * W);
          const t = make(h * w);
          const plan = validFftPlan(H, W, h, w, maxLen);
          const oh = H - h + 1;
          const ow = W - w + 1;
          const got = withWorkspace('test', undefined, dtype, [H * W, h * w, oh * ow, ...plan.sizes], (ws) => {
            const [xo, to, out, ...buf] = ws.off;
            ws.mem.set(x, xo);
            for (let i = 0; i < h * w; i++) ws.mem[to + i] = t[h * w - 1 - i];
            correlateValidFft(ws, plan, xo, H, W, to, h, w, out, buf);
            return Array.from(ws.mem.subarray(out, out + oh * ow));
          });
          const want = validRef(x, H, W, t, h, w);
          // An FFT's error: a few log2(F)·ε·‖block‖·‖template‖ per output (F the block's size).
          const tol = 4 * e * Math.log2(2 * plan.L0 * plan.L1) * norm(x) * norm(t) + 4 * e * h * w;
          for (let i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= tol)) throw new Error(`${JSON.stringify({ H, W, h, w, maxLen, plan })} [${i}] got ${got[i]}, want ${want[i]}, tol ${tol}`);
          }
        }), { numRuns: 120 });
    });
  }

  it('matchTemplate through several blocks agrees with the direct path', () => {
    // 200 × 150 with a 9 × 7 template: the cost model cuts it into blocks on both axes.
    const H = 200;
    const W = 150;
    const plan = validFftPlan(H, W, 9, 7);
    expect(plan.tiles0 * plan.tiles1).toBeGreaterThan(1);
    const r = rng(11);
    const image = { data: Float64Array.from({ length: H * W }, () => r()), shape: [H, W] };
    const templ = { data: Float64Array.from({ length: 63 }, () => r()), shape: [9, 7] };
    const a = matchTemplate(image, templ, { convMethod: 'fft', method: 'ccorr' }).data;
    const b = matchTemplate(image, templ, { convMethod: 'direct', method: 'ccorr' }).data;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-12);
  });
});
