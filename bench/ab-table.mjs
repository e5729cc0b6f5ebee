// Old build against new, in one process (`node bench/ab-table.mjs <old dist folder>`): the kernel table's generated
// binders and the workspace pad must cost nothing measurable. Cases that make many small kernel calls (where a
// binder's cost would show) and the layers of bench/nn.bench.mjs; results checked bit-equal before timing.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { checkSame, randomFloats, runCase } from './harness.mjs';

const oldDir = process.argv[2];
if (!oldDir) throw new Error('usage: node bench/ab-table.mjs <old dist folder>');
const A = await import(pathToFileURL(resolve(oldDir, 'index.js')).href);
const B = await import('../dist/index.js');
// AB_CONTROL=<a copy of the old dist folder>: a third variant, old against itself, shows the noise floor.
const C = process.env.AB_CONTROL ? await import(pathToFileURL(resolve(process.env.AB_CONTROL, 'index.js')).href) : undefined;
for (const m of C ? [A, B, C] : [A, B]) {
  const info = await m.init();
  if (info.name !== 'wasm' || !info.simd) throw new Error(`expected the wasm SIMD build, got ${JSON.stringify(info)}`);
}
const prod = (s) => s.reduce((a, b) => a * b, 1);
const cases = [];
const conv = (id, rank, x, w, opts) => {
  const xs = { data: randomFloats(Float32Array, prod(x), 1), shape: x };
  const ws = { data: randomFloats(Float32Array, prod(w), 2).map((v) => v * 0.1), shape: w };
  cases.push({ id, flops: 0, run: (m) => () => (rank === 1 ? m.conv1d : m.conv2d)(xs, ws, opts) });
};
conv('conv2d 1×64×56×56 → 64 3×3 pad 1', 2, [1, 64, 56, 56], [64, 64, 3, 3], { padding: 1 });
conv('conv2d 1×3×224×224 → 32 3×3 s2', 2, [1, 3, 224, 224], [32, 3, 3, 3], { stride: 2, padding: 1 });
conv('conv2d 1×256×14×14 → 256 1×1', 2, [1, 256, 14, 14], [256, 256, 1, 1], {});
conv('depthwise 1×128×56×56 3×3', 2, [1, 128, 56, 56], [128, 1, 3, 3], { padding: 1, groups: 128 });
conv('conv1d 1×64×4096 → 64 k9', 1, [1, 64, 4096], [64, 64, 9], {});
conv('conv2d tiny 1×4×8×8 → 4 3×3 (call overhead)', 2, [1, 4, 8, 8], [4, 4, 3, 3], { padding: 1 });
const x1 = randomFloats(Float32Array, 64, 3);
const h1 = randomFloats(Float32Array, 5, 4);
cases.push({ id: 'correlate 64 ⋆ 5 same (call overhead)', flops: 0, run: (m) => () => m.correlate(x1, h1, { mode: 'same' }) });
const x2 = { data: randomFloats(Float64Array, 1024 * 1024, 5), shape: [1024, 1024] };
const h2 = { data: randomFloats(Float64Array, 49, 6), shape: [7, 7] };
cases.push({ id: 'correlate 2-D f64 1024² 7×7 same', flops: 0, run: (m) => () => m.correlate(x2, h2, { mode: 'same' }) });
const x3 = randomFloats(Float32Array, 1 << 16, 7);
const h3 = randomFloats(Float32Array, 4096, 8);
cases.push({ id: 'fftconvolve 65536 ∗ 4096 full', flops: 0, run: (m) => () => m.convolve(x3, h3, { method: 'fft' }) });

// `AB_ONLY=text` runs the cases whose name contains it; AB_ROUNDS rounds (default 7).
const only = process.env.AB_ONLY;
const rounds = Number(process.env.AB_ROUNDS ?? 7);
for (const c of cases) {
  if (only && !c.id.includes(only)) continue;
  const a = c.run(A);
  const b = c.run(B);
  const ra = a();
  const rb = b();
  checkSame(`${c.id}: new equals old`, rb.data ?? rb, ra.data ?? ra, 0);
  const variants = [{ name: 'old', fn: a }, { name: 'new (kernel table)', fn: b }];
  if (C) variants.push({ name: 'old again (control)', fn: c.run(C) });
  runCase({ id: c.id, flops: 1, variants, rounds, maxTime: 0.2 });
}
