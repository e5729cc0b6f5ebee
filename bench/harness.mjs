// Benchmark harness shared by every suite. Practice for a shared, noisy machine: inputs preallocated by the
// suite, every variant warmed first, several rounds with the variants in rotated order, and per case the median
// time and the median of per-round ratios (each variant against the case's first variant).
import Benchmark from 'benchmark';

/** Median of a non-empty array of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Mean seconds per call of fn, measured by benchmark.js. */
function measure(name, fn, maxTime) {
  const b = new Benchmark(name, fn, { minSamples: 5, maxTime, initCount: 1 });
  b.run();
  if (b.error) throw b.error;
  return b.stats.mean;
}

/**
 * Run one case: `variants` is [{ name, fn }], the first is the baseline of the ratios. `flops` is
 * 2 · multiply-adds of one call. Returns { id, flops, rows: [{ name, ms, gflops, ratio }] }.
 */
export function runCase({ id, flops, variants, rounds = 5, maxTime = 0.25 }) {
  for (const v of variants) v.fn(); // warm-up: compile, tier up, allocate scratch
  const times = variants.map(() => []);
  const ratios = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const t = new Array(variants.length);
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length; // rotated order
      t[i] = measure(`${id} ${variants[i].name}`, variants[i].fn, maxTime);
      times[i].push(t[i]);
    }
    for (let i = 0; i < variants.length; i++) ratios[i].push(t[0] / t[i]);
  }
  const rows = variants.map((v, i) => {
    const s = median(times[i]);
    return { name: v.name, ms: s * 1e3, gflops: flops / s / 1e9, ratio: median(ratios[i]) };
  });
  const res = { id, flops, rows };
  printCase(res);
  return res;
}

/**
 * runCase for async functions (peers whose calls return promises, e.g. onnxruntime's run), timed with
 * performance.now: per round each variant runs for at least `minMs` and `minCalls` calls, and the round's time is
 * the mean per call. A variant may carry `before` (untimed, awaited before its warm-up and before each of its
 * timings, e.g. to switch a peer's backend) and `once` (seconds per call: timed in the first round only and not
 * warmed here, its correctness check warms it). Ratios are medians over the rounds both variants ran in.
 * Returns { id, flops, rows: [{ name, ms, gflops, ratio }], perRound } with perRound[i][r] the ms of variant i in
 * round r (a hole where a `once` variant sat out), for the suites' own summaries.
 */
export async function runCaseAsync({ id, flops, variants, rounds = 5, minMs = 300, minCalls = 1, nameWidth = 34, ratioWidth = 8 }) {
  for (const v of variants) {
    if (v.once) continue;
    await v.before?.();
    await v.fn(); // warm-up: compile, tier up, allocate scratch
  }
  const times = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length; // rotated order
      if (variants[i].once && r > 0) continue;
      await variants[i].before?.();
      times[i][r] = await timeAsync(variants[i].fn, minMs, minCalls);
    }
  }
  const ran = (a) => a.filter((t) => t !== undefined);
  const rows = variants.map((v, i) => {
    const ms = median(ran(times[i]));
    const ratios = ran(times[i].map((t, r) => (t === undefined || times[0][r] === undefined ? undefined : times[0][r] / t)));
    return { name: v.name, ms, gflops: flops / ms / 1e6, ratio: median(ratios) };
  });
  const res = { id, flops, rows, perRound: times };
  printCase(res, nameWidth, ratioWidth);
  return res;
}

/** Mean ms per call of an async fn over at least minMs and minCalls calls (the slowest peers take seconds a call). */
async function timeAsync(fn, minMs, minCalls) {
  let n = 0;
  const t0 = performance.now();
  let t = 0;
  do {
    await fn();
    n++;
    t = performance.now() - t0;
  } while (t < minMs || n < minCalls);
  return t / n;
}

function printCase({ id, rows }, nameWidth = 34, ratioWidth = 8) {
  console.log(`\n${id}`);
  for (const r of rows) {
    console.log(`  ${r.name.padEnd(nameWidth)} ${r.ms.toFixed(3).padStart(10)} ms ${r.gflops.toFixed(2).padStart(8)} GFLOP/s ${r.ratio.toFixed(2).padStart(ratioWidth)}× vs ${rows[0].name}`);
  }
}

/** Largest |a − b| relative to max|b|: suites check that every variant computes the same result. */
export function relDiff(a, b) {
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  if (a.length !== b.length) return Infinity;
  return err / (scale || 1);
}

/** Throw unless `a` matches `b` (suites call this before timing, so a fast wrong answer never gets a row). */
export function checkSame(label, a, b, tol) {
  const d = relDiff(a, b);
  if (!(d <= tol)) throw new Error(`bench check failed: ${label} differs by ${d} (tolerance ${tol})`);
}

export function markdownTable(results) {
  const lines = ['| case | variant | ms | GFLOP/s | ratio |', '|---|---|---:|---:|---:|'];
  for (const c of results) {
    for (const r of c.rows) {
      lines.push(`| ${c.id} | ${r.name} | ${r.ms.toFixed(3)} | ${r.gflops.toFixed(2)} | ${r.ratio.toFixed(2)}× |`);
    }
  }
  return lines.join('\n');
}

/** Deterministic data for benchmarks. */
export function randomFloats(Ctor, n, seed = 1) {
  const a = new Ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2147483648 - 1;
  }
  return a;
}
