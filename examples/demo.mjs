// The main job: the seed example (convolution vs cross-correlation), then a 1-D correlation of 1,000,000 samples
// timed on every backend this engine runs. Run with `npm run demo`.
import { convolve, correlate, getBackend, init, initSync, supportedVariants } from '../dist/index.js';

const fmt = (a) => `[${Array.from(a).join(', ')}]`;
const f = [2, 1, 3, 5, 4];
const h = [1, -1];
const h2 = [-1, 2, -1];
console.log('Does a CNN compute a convolution or a cross-correlation?');
console.log(`  f = ${fmt(f)}, h = ${fmt(h)}, mode 'valid'`);
console.log(`  convolve(f, h)   = ${fmt(convolve(f, h, { mode: 'valid' }))}   (kernel flipped)`);
console.log(`  correlate(f, h)  = ${fmt(correlate(f, h, { mode: 'valid' }))}   (no flip: what conv layers compute)`);
console.log(`  symmetric h2 = ${fmt(h2)}: convolve = ${fmt(convolve(f, h2, { mode: 'valid' }))}, correlate = ${fmt(correlate(f, h2, { mode: 'valid' }))}`);
console.log('  They differ unless the kernel is symmetric; a learned kernel simply absorbs the flip.\n');

const n = 1_000_000;
const k = 63;
const x = new Float32Array(n).map((_, i) => Math.sin(i * 0.01) + 0.1 * Math.cos(i * 0.37));
const w = new Float32Array(k).map((_, i) => Math.exp(-((i - k / 2) ** 2) / 50));
const flops = 2 * (n - k + 1) * k;

function time(fn, reps) {
  fn();
  const ts = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1];
}

const rows = [];
initSync({ backend: 'js' });
const ref = correlate(x, w, { mode: 'valid' });
rows.push({ backend: 'js', ms: time(() => correlate(x, w, { mode: 'valid' }), 3) });
for (const variant of supportedVariants().reverse()) {
  await init({ backend: 'wasm', variant }); // async: the ESM build loads a build's chunk on demand
  const out = correlate(x, w, { mode: 'valid' });
  let err = 0;
  for (let i = 0; i < out.length; i++) err = Math.max(err, Math.abs(out[i] - ref[i]));
  if (err > 1e-3) throw new Error(`wasm ${variant} differs from js by ${err}`);
  rows.push({ backend: `wasm ${variant}`, ms: time(() => correlate(x, w, { mode: 'valid' }), 9) });
}
initSync();
console.log(`correlate(x, h, { mode: 'valid' }): x = ${n.toLocaleString('en')} float32 samples, h = ${k} taps (median time)`);
console.log('  backend        ms      GFLOP/s   vs js');
for (const r of rows) {
  console.log(`  ${r.backend.padEnd(13)} ${r.ms.toFixed(2).padStart(7)} ${(flops / r.ms / 1e6).toFixed(2).padStart(9)} ${(rows[0].ms / r.ms).toFixed(1).padStart(6)}×`);
}
console.log(`\ndefault backend now: ${JSON.stringify(getBackend())}`);
