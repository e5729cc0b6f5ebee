// Old build against new, in one process (`node bench/ab-table.mjs <old dist folder>`): a redesign (plans, kernel
// table, boundary module, non-finite policy) must cost nothing measurable. One or more cases of every op family —
// cases that make many small kernel calls (where a binder's or a plan's cost would show), the layers of
// bench/nn.bench.mjs, their gradients, the signal, ndimage, FFT, complex and similarity ops; results checked
// bit-equal before timing.
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

const gradA = (() => {
  const x = { data: randomFloats(Float32Array, 64 * 56 * 56, 9), shape: [1, 64, 56, 56] };
  const w = { data: randomFloats(Float32Array, 64 * 64 * 9, 10).map((v) => v * 0.1), shape: [64, 64, 3, 3] };
  const dy = { data: randomFloats(Float32Array, 64 * 56 * 56, 11), shape: [1, 64, 56, 56] };
  return { x, w, dy };
})();
cases.push({ id: 'conv2dGradInput shape A', flops: 0, run: (m) => () => m.conv2dGradInput(gradA.x.shape, gradA.w, gradA.dy, { padding: 1 }) });
cases.push({ id: 'conv2dGradWeight shape A', flops: 0, run: (m) => () => m.conv2dGradWeight(gradA.x, gradA.w.shape, gradA.dy, { padding: 1 }) });
const xt = { data: randomFloats(Float32Array, 64 * 28 * 28, 12), shape: [1, 64, 28, 28] };
const wt = { data: randomFloats(Float32Array, 64 * 32 * 16, 13).map((v) => v * 0.1), shape: [64, 32, 4, 4] };
cases.push({ id: 'convTranspose2d 1×64×28² → 32 4×4 s2', flops: 0, run: (m) => () => m.convTranspose2d(xt, wt, { stride: 2, padding: 1 }) });
const img = { data: randomFloats(Float32Array, 1024 * 1024, 14), shape: [1024, 1024] };
const k3 = { data: randomFloats(Float32Array, 9, 15), shape: [3, 3] };
const k7 = { data: randomFloats(Float32Array, 49, 16), shape: [7, 7] };
const out = new Float32Array(1024 * 1024);
cases.push({ id: 'ndimage.correlate 1024² 3×3 f32 output', flops: 0, run: (m) => () => m.ndimage.correlate(img, k3, { output: out }) });
cases.push({ id: 'ndimage.correlate 1024² 7×7 f32 reflect', flops: 0, run: (m) => () => m.ndimage.correlate(img, k7, { mode: 'reflect' }) });
const x1m = randomFloats(Float32Array, 1e6, 17);
const k1k = randomFloats(Float32Array, 1023, 18);
cases.push({ id: 'correlate 1-D 1e6 ⋆ 1023 auto', flops: 0, run: (m) => () => m.correlate(x1m, k1k, { mode: 'same' }) });
const k31 = randomFloats(Float32Array, 31, 19);
cases.push({ id: 'correlate 1-D 1e5 ⋆ 31 direct', flops: 0, run: (m) => () => m.correlate(x1m.subarray(0, 1e5), k31, { method: 'direct' }) });
cases.push({ id: 'numpy.correlate 1e5 ⋆ 31 valid', flops: 0, run: (m) => () => m.numpy.correlate(x1m.subarray(0, 1e5), k31) });
const im512 = { data: randomFloats(Float64Array, 512 * 512, 20), shape: [512, 512] };
const k31x31 = { data: randomFloats(Float64Array, 31 * 31, 21), shape: [31, 31] };
cases.push({ id: 'fftconvolve 2-D f64 512² ∗ 31² same', flops: 0, run: (m) => () => m.fftconvolve(im512, k31x31, { mode: 'same' }) });
cases.push({ id: 'correlate2d f64 512² ⋆ 5² symm', flops: 0, run: (m) => () => m.correlate2d(im512, { data: k31x31.data.subarray(0, 25), shape: [5, 5] }, { boundary: 'symm', mode: 'same' }) });
const cx = { re: randomFloats(Float32Array, 1 << 16, 22), im: randomFloats(Float32Array, 1 << 16, 23) };
const ch = { re: randomFloats(Float32Array, 63, 24), im: randomFloats(Float32Array, 63, 25) };
cases.push({ id: 'correlate complex64 65536 ⋆ 63 direct', flops: 0, run: (m) => () => m.correlate(cx, ch, { method: 'direct' }) });
const tpl = { data: img.data.slice(0, 64 * 64), shape: [64, 64] };
// Not bit-equal across the change of issue 17: normed float32 scores now finish in float32 (within 3 float32 ulps).
cases.push({ id: 'matchTemplate 1024² 64² ccoeff-normed', flops: 0, tol: 1e-6, run: (m) => () => m.matchTemplate(img, tpl, { method: 'ccoeff-normed' }) });

// `AB_ONLY=text` runs the cases whose name contains it; AB_ROUNDS rounds (default 7).
const only = process.env.AB_ONLY;
const rounds = Number(process.env.AB_ROUNDS ?? 7);
for (const c of cases) {
  if (only && !c.id.includes(only)) continue;
  const a = c.run(A);
  const b = c.run(B);
  const ra = a();
  const rb = b();
  checkSame(`${c.id}: new equals old`, rb.data ?? rb.re ?? rb, ra.data ?? ra.re ?? ra, c.tol ?? 0);
  const variants = [{ name: 'old', fn: a }, { name: 'new', fn: b }];
  if (C) variants.push({ name: 'old again (control)', fn: c.run(C) });
  runCase({ id: c.id, flops: 1, variants, rounds, maxTime: 0.2 });
}
