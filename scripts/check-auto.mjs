#!/usr/bin/env node
// Check method 'auto' against measurements (not part of npm test: it takes minutes).
//
//   node scripts/check-auto.mjs [build] [dtype]      (build: simd (default), scalar, relaxed, js; dtype: float32, float64)
//
// Over the sweep 1-D n = 1e3 … 1e7 with k = 3 … 8191 and 2-D 256² … 4096² with 3×3 … 63×63 ('full' 1-D, 'same' 2-D),
// correlate() is timed with method 'direct' and 'fft' (the minimum of a few calls) and compared with what 'auto' picks
// (chooseConvMethod). A method the committed model predicts to be over 30× slower than the other is not timed (it
// would take minutes); such rows say so. Prints every row and the ones where 'auto' is more than 1.3× slower than the
// better method.
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const [variant = 'simd', dtype = 'float32'] = process.argv.slice(2);
const out = await build({
  stdin: { contents: "export * from './src/index'; export { predictCosts } from './src/auto'; export { autoPlan } from './src/signal'; export { loadBinaries, VARIANTS } from './src/wasm';", resolveDir: root, loader: 'ts' },
  bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'error',
});
const cc = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
await cc.loadBinaries(cc.VARIANTS); // the source's loader holds no build until asked (as the ESM build)
cc.initSync(variant === 'js' ? { backend: 'js' } : { backend: 'wasm', variant });
const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
const make = (n, seed) => {
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(i * 0.7 + seed) * Math.cos(i * 0.013 * seed);
  return a;
};
function timeMin(fn, predictedMs) {
  const reps = predictedMs > 1000 ? 1 : predictedMs > 100 ? 2 : 5;
  let best = Infinity;
  if (predictedMs < 100) fn();
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

const cases = [];
for (const n of [1e3, 1e4, 1e5, 1e6, 1e7]) for (const k of [3, 31, 255, 1023, 8191]) if (k <= n) cases.push([[n], [k], 'full']);
for (const n of [256, 1024, 4096]) for (const k of [3, 7, 15, 31, 63]) cases.push([[n, n], [k, k], 'same']);
console.log(`'auto' check: ${variant} ${dtype}, ${os.cpus()[0]?.model}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
const slow = [];
for (const [s1, s2, mode] of cases) {
  const n1 = s1.reduce((p, v) => p * v, 1);
  const n2 = s2.reduce((p, v) => p * v, 1);
  const x = { data: make(n1, 1), shape: s1 };
  const h = { data: make(n2, 2), shape: s2 };
  const auto = cc.chooseConvMethod(x, h, { mode });
  const pred = cc.predictCosts(cc.autoPlan(x, h, { mode }), undefined);
  const t = {};
  for (const m of ['direct', 'fft']) {
    const other = m === 'direct' ? pred.fft : pred.direct;
    t[m] = pred[m] > 30 * other && pred[m] > 2e8 ? NaN : timeMin(() => cc.correlate(x, h, { mode, method: m }), pred[m] / 1e6);
  }
  const best = Math.min(...[t.direct, t.fft].filter((v) => !Number.isNaN(v)));
  const ratio = Number.isNaN(t[auto]) ? NaN : t[auto] / best;
  const f = (v) => (Number.isNaN(v) ? 'not timed' : `${v.toFixed(2)} ms`);
  const line = `${JSON.stringify(s1)} * ${JSON.stringify(s2)} ${mode}: auto → ${auto}; direct ${f(t.direct)} (model ${(pred.direct / 1e6).toFixed(2)}), fft ${f(t.fft)} (model ${(pred.fft / 1e6).toFixed(2)}); auto/best ${Number.isNaN(ratio) ? '?' : ratio.toFixed(2)}`;
  console.log(line);
  if (ratio > 1.3) slow.push(line);
}
console.log(`\n${slow.length} of ${cases.length} cases where 'auto' is more than 1.3× slower than the better method:`);
for (const l of slow) console.log(`  ${l}`);
