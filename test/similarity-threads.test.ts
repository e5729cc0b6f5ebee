// matchTemplate on the thread pool: the window sums and scores split by blocks of output rows (src/similarity.ts,
// matchRows) give the same bits at 1, 2 and 3 threads (3: an odd split), with the split forced on small images
// (tuning lowered), for every method, both dtypes and both correlation paths; and the split results still match
// the plain reference.
import { describe, expect, it } from 'vitest';
import { init, matchTemplate } from '../src/index';
import { tuning } from '../src/threads';
import { backendCases, firstDiff, rng, splitEverything } from './helpers';
import { matchTemplateRef, type Method } from './reference/similarity';

const variant = backendCases().find((b) => b === 'relaxed' || b === 'simd');
const METHODS: Method[] = ['sqdiff', 'sqdiff-normed', 'ccorr', 'ccorr-normed', 'ccoeff', 'ccoeff-normed'];

interface Case { name: string; run: () => ArrayLike<number>; ref: () => { data: Float64Array; mag: Float64Array } }

function cases(): Case[] {
  const list: Case[] = [];
  // 200 × 150 with 9 × 7: the FFT in several blocks (split by blocks); the others in one (split by rows).
  // [64, 60, 33, 30]: templates over half the image take one FFT block, whose column transforms are split by columns.
  const shapes: [number, number, number, number][] = [[40, 37, 5, 4], [33, 50, 12, 11], [64, 29, 3, 7], [25, 25, 25, 3], [200, 150, 9, 7], [64, 60, 33, 30]];
  for (const [H, W, h, w] of shapes) {
    for (const dtype of ['float32', 'float64'] as const) {
      const r = rng(H * W + h * w + (dtype === 'float32' ? 1 : 0));
      const make = (n: number) => {
        const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
        for (let i = 0; i < n; i++) a[i] = 3 + r() * 2 - 1;
        return a;
      };
      const image = make(H * W);
      const templ = make(h * w);
      for (const method of METHODS) {
        for (const convMethod of ['direct', 'fft'] as const) {
          list.push({
            name: `${H}×${W} templ ${h}×${w} ${dtype} ${method} ${convMethod}`,
            run: () => matchTemplate({ data: image, shape: [H, W] }, { data: templ, shape: [h, w] }, { method, convMethod }).data,
            ref: () => matchTemplateRef({ data: image, H, W, C: 1 }, { data: templ, H: h, W: w, C: 1 }, method),
          });
        }
      }
    }
  }
  return list;
}

describe.skipIf(!variant)(`matchTemplate on the thread pool (${variant ?? 'no SIMD build in this project'})`, () => {
  splitEverything(variant!);

  it('the same bits at 1, 2 and 3 threads, every method, dtype and path; the split results match the reference', async () => {
    const list = cases();
    const results: ArrayLike<number>[][] = [];
    let threaded = false;
    for (const n of [1, 2, 3]) {
      const info = await init({ backend: 'wasm', variant, threads: n });
      if (info.threads !== n) expect(info.threads).toBe(1);
      else if (n > 1) threaded = true;
      const before = tuning.regions;
      results.push(list.map((c) => c.run()));
      // Every case but 'ccorr' (no window sums) splits its rows.
      if (info.threads > 1) expect(tuning.regions - before).toBeGreaterThanOrEqual(list.filter((c) => !c.name.includes(' ccorr ')).length);
    }
    const bad: string[] = [];
    list.forEach((c, i) => {
      for (const t of [1, 2]) {
        const d = firstDiff(results[t][i], results[0][i]);
        if (d >= 0) bad.push(`${c.name} at ${t + 1} threads differs at ${d} (${results[t][i][d]} vs ${results[0][i][d]})`);
      }
      // Loose (the fixtures and fast-check sweeps hold the tight bounds): a misplaced row block is off by O(1).
      const ref = c.ref();
      const e = c.name.includes('float32') ? 2 ** -24 : 2 ** -53;
      for (let j = 0; j < ref.data.length; j++) {
        if (!(Math.abs(results[1][i][j] - ref.data[j]) <= 1e4 * e * (1 + ref.mag[j]))) {
          bad.push(`${c.name} at 2 threads: [${j}] ${results[1][i][j]} vs reference ${ref.data[j]}`);
          break;
        }
      }
    });
    expect(bad).toEqual([]);
    if (typeof process === 'object' && process.versions?.node) expect(threaded).toBe(true);
  });
});
