// `node bench/gemm-in-cache.mjs` (after `npm run build`): how near MobileNetV2's 1×1 layers run to their GEMM
// kernel's own speed. Each distinct 1×1 shape of bench/nets/mobilenetv2.mjs is timed on the SIMD build's kernels
// (channels-last `gemm`, channels-first `gemmT`), alternating per round with the same kernel on a 64 × 64 × 128 GEMM
// whose blocks stay in cache; printed: GFLOP/s and the median of the per-round ratios, then their flop-weighted mean.
// The kernels are called as the library calls them (raw wasm exports, packed weights of random values): a tool for
// docs/performance.md, not a test and not part of `npm run bench`.
import { readFileSync } from 'node:fs';
import { layers } from './nets/mobilenetv2.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 11);
const wasm = readFileSync(new URL('../build/convcorr.simd.wasm', import.meta.url));
const { instance } = await WebAssembly.instantiate(wasm, { env: { abort() { throw new Error('abort'); } } });
const k = instance.exports;
k.memory.grow(800);
const mem = new Float32Array(k.memory.buffer);
const base = Math.ceil(Number(k.heapBase()) / 64) * 16; // in elements, 64-byte aligned
for (let i = base; i < mem.length; i++) mem[i] = ((i * 2654435761) >>> 0) / 2 ** 32 - 0.5;
const median = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];

/** GFLOP/s of one kernel on M × N × K (A at base, the packed panels and C after it), over ~2e7 multiply-adds. */
function rate(transposed, M, N, K) {
  const a = base;
  const w = a + M * K + 64;
  const c = w + Math.ceil(N / 8) * (8 + 8 * K) + 64;
  const reps = Math.max(2, Math.round(2e7 / (M * N * K)));
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    if (transposed) k.gemm_t_f32(M, N, K, a * 4, M, 1, w * 4, c * 4, M);
    else k.gemm_f32(M, N, K, a * 4, K, w * 4, c * 4, N);
  }
  return (reps * 2 * M * N * K) / (performance.now() - t0) / 1e6;
}

const shapes = new Map();
for (const l of layers.filter((q) => q.k === 1)) {
  const key = `${l.size * l.size}x${l.cout}x${l.cin}`;
  const s = shapes.get(key) ?? { name: l.name, M: l.size * l.size, N: l.cout, K: l.cin, count: 0 };
  s.count++;
  shapes.set(key, s);
}
let flops = 0;
const weighted = [0, 0];
const inCache = [[], []];
for (const [key, { name, M, N, K, count }] of shapes) {
  const ratio = [[], []];
  const gflops = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of [0, 1]) {
      const ref = rate(t, 64, 64, 128);
      const x = rate(t, M, N, K);
      inCache[t].push(ref);
      gflops[t].push(x);
      ratio[t].push(x / ref);
    }
  }
  const f = 2 * M * N * K * count;
  flops += f;
  for (const t of [0, 1]) weighted[t] += f * median(ratio[t]);
  console.log(`${name.padEnd(20)} ${key.padEnd(12)} gemm ${median(gflops[0]).toFixed(1)} GFLOP/s, ${median(ratio[0]).toFixed(2)} of in-cache; ` +
    `gemmT ${median(gflops[1]).toFixed(1)} GFLOP/s, ${median(ratio[1]).toFixed(2)}`);
}
console.log(`flop-weighted: gemm ${(weighted[0] / flops).toFixed(2)}, gemmT ${(weighted[1] / flops).toFixed(2)} of the in-cache rate ` +
  `(64 × 64 × 128: gemm ${median(inCache[0]).toFixed(1)}, gemmT ${median(inCache[1]).toFixed(1)} GFLOP/s, medians of every round)`);
