// One fresh start of convcorr, timed step by step: the first-call suite (first-call.bench.mjs) runs this in fresh Node
// processes (`node bench/first-call-child.mjs <path> <entry>`, JSON on stdout) and in fresh Chromium pages (imported
// by a page, result in `globalThis.firstCall`). Nothing of convcorr is loaded before `measure` runs.
//   path 'sync':  import, then the first call (which instantiates synchronously), then later calls;
//   path 'async': import, `await init()`, then the first call, then later calls;
//   path 'ahead': import, `init()` started and other work done (a 'busy' loop of `busyMs`) before awaiting it, as a
//                 page that starts loading early would; then the first call.
// Each case: the op, its inputs (made before the import), and later = the median of calls 3…(2 + LATER).

const LATER = 15;

function floats(n, seed) {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2147483648 - 1;
  }
  return a;
}

/** The cases: a 1-D correlation of an audio-sized signal and a small conv layer (what a first call usually is). */
export const CASES = {
  correlate: {
    label: 'correlate f32 n = 65536, k = 63, valid',
    inputs: () => ({ f: floats(65536, 1), g: floats(63, 2) }),
    call: (cc, { f, g }) => cc.correlate(f, g, { mode: 'valid', method: 'direct' }),
  },
  conv2d: {
    label: 'conv2d 1×16×64² → 16, 3×3, padding 1',
    inputs: () => ({
      x: { data: floats(16 * 64 * 64, 3), shape: [1, 16, 64, 64] },
      w: { data: floats(16 * 16 * 9, 4), shape: [16, 16, 3, 3] },
    }),
    call: (cc, { x, w }) => cc.conv2d(x, w, { padding: 1 }),
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Milliseconds of each step of one fresh start; `load` imports convcorr's ESM entry. */
export async function measure(load, path, caseName, busyMs = 50) {
  const c = CASES[caseName];
  const inputs = c.inputs();
  const now = () => performance.now();
  let t = now();
  const cc = await load();
  const ms = { import: now() - t };
  if (path === 'async') {
    t = now();
    await cc.init();
    ms.init = now() - t;
  } else if (path === 'ahead') {
    t = now();
    const ready = cc.init();
    // The page's own work meanwhile: compiling may proceed off the main thread.
    const until = now() + busyMs;
    let x = 0;
    while (now() < until) x += Math.sqrt(x + 1);
    ms.busy = now() - t;
    t = now();
    await ready;
    ms.init = now() - t;
    if (x < 0) throw new Error('unreachable');
  }
  t = now();
  let r = c.call(cc, inputs);
  ms.first = now() - t;
  t = now();
  r = c.call(cc, inputs);
  ms.second = now() - t;
  const later = [];
  for (let i = 0; i < LATER; i++) {
    t = now();
    r = c.call(cc, inputs);
    later.push(now() - t);
  }
  ms.later = median(later);
  const data = r.data ?? r;
  return { ms, backend: cc.getBackend(), checksum: data.reduce((s, v) => s + v, 0) };
}

const isNodeMain = typeof process !== 'undefined' && process.argv?.[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isNodeMain) {
  const [path, caseName] = process.argv.slice(2);
  const out = await measure(() => import('../dist/index.js'), path, caseName);
  process.stdout.write(JSON.stringify(out));
}
