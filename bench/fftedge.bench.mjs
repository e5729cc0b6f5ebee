// Edges of the FFT family (issue 14): correlationLags in O(output) against the closure-per-element build it replaces;
// broadcast-only fftconvolve ([N, 1] · [1, M]) in the bmul kernel (wasm, js) against a plain JS loop and the former
// per-element path; and 'auto' on
// float64 n = 1e6 with 3 taps (the case that used to flip to the FFT on a busy machine) against method 'direct'.
// Every variant's result is checked equal before timing.
import { checkSame, randomFloats, runCase } from './harness.mjs';

/** The former correlationLags: one closure call per lag, then a slice (kept here as the baseline). */
function lagsByClosure(in1Len, in2Len) {
  const full = Int32Array.from({ length: in1Len + in2Len - 1 }, (_, i) => -in2Len + 1 + i);
  const mid = full.length >> 1;
  const half = in1Len >> 1;
  return full.slice(mid - half, mid + half + (in1Len % 2));
}

/** The former broadcast path of fftconvolve: one index-array visit per output element (kept here as the baseline). */
function outerPerElement(x1, s1, x2, s2, outShape) {
  const res = new Float32Array(outShape.reduce((p, v) => p * v, 1));
  const st = (s) => s.map((_, a) => s.slice(a + 1).reduce((p, v) => p * v, 1));
  const st1 = st(s1);
  const st2 = st(s2);
  const idx = outShape.map(() => 0);
  for (let o = 0; o < res.length; o++) {
    let i1 = 0;
    let i2 = 0;
    idx.forEach((v, a) => {
      if (s1[a] > 1) i1 += v * st1[a];
      if (s2[a] > 1) i2 += v * st2[a];
    });
    res[o] = x1[i1] * x2[i2];
    for (let t = idx.length - 1; t >= 0; t--) {
      if (++idx[t] < outShape[t]) break;
      idx[t] = 0;
    }
  }
  return res;
}

/** [N, 1] · [1, M] as a JS double loop (what the per-element path amounted to, without its index bookkeeping). */
function outerJs(a, b) {
  const out = new Float32Array(a.length * b.length);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i * b.length + j] = a[i] * b[j];
  return out;
}

export default function fftEdgeBench({ correlationLags, fftconvolve, correlate, chooseConvMethod }) {
  const results = [];
  const eq = (label, a, b) => checkSame(label, a, b, 0);

  // 'same' with in1Len = 1e6, in2Len = 3e6: the closure version builds 4e6 lags to keep 1e6.
  const lagsNew = () => correlationLags(1_000_000, 3_000_000, 'same');
  eq('correlationLags', Float64Array.from(lagsNew()), Float64Array.from(lagsByClosure(1_000_000, 3_000_000)));
  results.push(runCase({
    id: 'correlationLags(1e6, 3e6, same)', flops: 0, rounds: 3,
    variants: [{ name: 'typed-array fill', fn: lagsNew }, { name: 'closure per element (before)', fn: () => lagsByClosure(1_000_000, 3_000_000) }],
  }));

  const a = randomFloats(Float32Array, 2048, 31);
  const b = randomFloats(Float32Array, 2048, 32);
  const A = { data: a, shape: [2048, 1] };
  const B = { data: b, shape: [1, 2048] };
  const want = outerJs(a, b);
  for (const be of ['wasm', 'js']) eq(`fftconvolve broadcast ${be}`, fftconvolve(A, B, { backend: be }).data, want);
  eq('per-element baseline', outerPerElement(a, [2048, 1], b, [1, 2048], [2048, 2048]), want);
  results.push(runCase({
    id: 'fftconvolve [2048, 1] * [1, 2048] float32', flops: 2048 * 2048, rounds: 3,
    variants: [
      { name: 'wasm bmul', fn: () => fftconvolve(A, B, { backend: 'wasm' }) },
      { name: 'js bmul', fn: () => fftconvolve(A, B, { backend: 'js' }) },
      { name: 'plain JS double loop', fn: () => outerJs(a, b) },
      { name: 'per-element index visit (before)', fn: () => outerPerElement(a, [2048, 1], b, [1, 2048], [2048, 2048]) },
    ],
  }));

  const x = randomFloats(Float64Array, 1_000_000, 33);
  const h = randomFloats(Float64Array, 3, 34);
  console.log(`  'auto' picks ${chooseConvMethod(x, h)} for float64 n = 1e6, k = 3 (every process: the model is committed)`);
  checkSame('auto vs direct', correlate(x, h), correlate(x, h, { method: 'direct' }), 1e-9);
  results.push(runCase({
    id: 'correlate float64 n=1e6 k=3 full', flops: 2 * 3 * 1_000_002, rounds: 3,
    variants: [
      { name: 'wasm auto', fn: () => correlate(x, h) },
      { name: 'wasm direct', fn: () => correlate(x, h, { method: 'direct' }) },
      { name: 'wasm fft', fn: () => correlate(x, h, { method: 'fft' }) },
    ],
  }));
  return results;
}
