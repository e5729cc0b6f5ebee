// Estimate the delay between two noisy recordings of one signal with findDelay (MATLAB's finddelay sign: if
// y[n] = x[n − d] then findDelay(x, y) === d), first to the sample, then refined by a parabola through the peak.
// Run with `node examples/find-delay.mjs` after `npm run build`.
import { findDelay } from '../dist/index.js';

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A band-limited source: white noise through a one-pole low-pass filter.
const n = 20_000;
const r = rng(3);
const source = new Float64Array(n + 400);
for (let i = 1, s = 0; i < source.length; i++) source[i] = s = 0.8 * s + (r() - 0.5);

// Two microphones: x hears the source directly, y 123.4 samples later (linear interpolation), each with noise.
const delay = 123.4;
const at = (t) => {
  const k = Math.floor(t);
  return source[k] + (t - k) * (source[k + 1] - source[k]);
};
const x = Float32Array.from({ length: n }, (_, i) => at(i + 200) + 0.05 * (r() - 0.5));
const y = Float32Array.from({ length: n }, (_, i) => at(i + 200 - delay) + 0.05 * (r() - 0.5));

const d = findDelay(x, y);
const ds = findDelay(x, y, { subsample: true });
console.log(`true delay ${delay} samples, estimated ${d} (integer), ${ds.toFixed(2)} (subsample)`);
