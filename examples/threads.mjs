// Run a ResNet-style layer on every core: init({ threads: 'auto' }) starts a pool of workers sharing the module's
// memory, every op splits its work across them, and the results keep their bits whatever the thread count.
// The process exits by itself when done (an idle pool keeps nothing alive). `node examples/threads.mjs` after
// `npm run build`.
import { conv2d, getBackend, init } from '../dist/index.js';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}
const r = rng(7);
const x = { data: Float32Array.from({ length: 64 * 56 * 56 }, r), shape: [1, 64, 56, 56] };
const w = { data: Float32Array.from({ length: 64 * 64 * 9 }, r), shape: [64, 64, 3, 3] };

function time(f) {
  f(); // warm
  const t = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[2];
}

await init({ threads: 1 });
const one = conv2d(x, w, { padding: 1 }).data;
const t1 = time(() => conv2d(x, w, { padding: 1 }));
const { threads, threadsReason } = await init({ threads: 'auto' });
const many = conv2d(x, w, { padding: 1 }).data;
const tn = time(() => conv2d(x, w, { padding: 1 }));
const same = one.every((v, i) => Object.is(v, many[i]));
console.log(`threads: ${threads}${threadsReason ? ` (${threadsReason})` : ''}; the same bits as one thread: ${same}`);
console.log(`conv2d 1×64×56² → 64, 3×3: ${t1.toFixed(1)} ms on one thread, ${tn.toFixed(1)} ms on ${getBackend().threads} (median of 5)`);
