// FFT convolution: correlate() with method 'auto', 'direct' and 'fft' (wasm; 'fft' also on js) against two JS peers —
// ml-convolution's fftConvolution and a correlation written on fft.js (one power-of-two real FFT) — and, when a
// python3 with SciPy is on this machine, scipy.signal.correlate(method='auto') and scipy.signal.oaconvolve timed in
// a child process on the same data (median of several runs inside Python). Every peer's result is checked against
// ours before timing. Cases: 1-D float32 n = 1e6 with k = 1023 ('valid', 'full') and k = 127 ('valid'); 2-D
// float32 1024² with a 31×31 kernel ('same'). GFLOP/s count the multiply-adds of the direct method (2 per tap).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import FFT from 'fft.js';
import { fftConvolution } from 'ml-convolution';
import { checkSame, randomFloats, runCase } from './harness.mjs';

/** Full cross-correlation by one real FFT of the next power of two (fft.js), then the mode's slice. */
function fftjsCorrelate(x, h, mode) {
  const n = x.length;
  const k = h.length;
  const full = n + k - 1;
  let N = 2;
  while (N < full) N *= 2;
  const f = new FFT(N);
  const a = new Float64Array(N);
  a.set(x);
  const b = new Float64Array(N);
  for (let i = 0; i < k; i++) b[i] = h[k - 1 - i];
  const A = f.createComplexArray();
  const B = f.createComplexArray();
  f.realTransform(A, a);
  f.completeSpectrum(A);
  f.realTransform(B, b);
  f.completeSpectrum(B);
  for (let i = 0; i < A.length; i += 2) {
    const re = A[i] * B[i] - A[i + 1] * B[i + 1];
    A[i + 1] = A[i] * B[i + 1] + A[i + 1] * B[i];
    A[i] = re;
  }
  const out = f.createComplexArray();
  f.inverseTransform(out, A);
  const start = mode === 'full' ? 0 : mode === 'valid' ? k - 1 : (k - 1) >> 1;
  const len = mode === 'full' ? full : mode === 'valid' ? n - k + 1 : n;
  const res = new Float32Array(len);
  for (let i = 0; i < len; i++) res[i] = out[2 * (start + i)];
  return res;
}

const PY = '/usr/bin/python3';
const PY_SCRIPT = `
import json, sys, time
import numpy as np, scipy, scipy.signal as ss
spec = json.loads(sys.argv[1])
x = np.fromfile(spec['x'], dtype=np.float32).reshape(spec['xs'])
h = np.fromfile(spec['h'], dtype=np.float32).reshape(spec['hs'])
mode = spec['mode']
hr = h[(slice(None, None, -1),) * h.ndim].copy()
def med(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2] * 1e3
res = {'scipy': scipy.__version__, 'method': ss.choose_conv_method(x, h, mode=mode)}
res['correlate'] = med(lambda: ss.correlate(x, h, mode=mode, method='auto'), 7)
res['oaconvolve'] = med(lambda: ss.oaconvolve(x, hr, mode=mode), 7)
ss.oaconvolve(x, hr, mode=mode).astype(np.float32).tofile(spec['out'])
print(json.dumps(res))
`;

function hasScipy() {
  const r = spawnSync(PY, ['-c', 'import scipy'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Time SciPy on the same data in a child process; undefined when SciPy is not available. */
function timeScipy(c, x, h) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'convcorr-bench-'));
  try {
    const spec = { x: path.join(dir, 'x.f32'), h: path.join(dir, 'h.f32'), out: path.join(dir, 'out.f32'), xs: c.xs, hs: c.hs, mode: c.mode };
    writeFileSync(spec.x, Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    writeFileSync(spec.h, Buffer.from(h.buffer, h.byteOffset, h.byteLength));
    const r = spawnSync(PY, ['-c', PY_SCRIPT, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      console.log(`  (SciPy run failed: ${r.stderr.trim().split('\n').pop()})`);
      return undefined;
    }
    const res = JSON.parse(r.stdout);
    const buf = readFileSync(spec.out);
    res.result = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default function fftBench({ correlate, chooseConvMethod }) {
  const results = [];
  const scipy = hasScipy();
  if (!scipy) console.log('  (no python3 with SciPy: the SciPy columns are skipped)');
  const x1 = randomFloats(Float32Array, 1_000_000, 11);
  const img = randomFloats(Float32Array, 1024 * 1024, 12);
  const cases = [
    { id: 'correlate 1-D float32 n=1e6 k=1023 valid', x: x1, xs: [1_000_000], h: randomFloats(Float32Array, 1023, 13), hs: [1023], mode: 'valid', peers: true },
    { id: 'correlate 1-D float32 n=1e6 k=1023 full', x: x1, xs: [1_000_000], h: randomFloats(Float32Array, 1023, 13), hs: [1023], mode: 'full', peers: true },
    { id: 'correlate 1-D float32 n=1e6 k=127 valid', x: x1, xs: [1_000_000], h: randomFloats(Float32Array, 127, 14), hs: [127], mode: 'valid', peers: true },
    { id: 'correlate 2-D float32 1024² 31×31 same', x: img, xs: [1024, 1024], h: randomFloats(Float32Array, 31 * 31, 15), hs: [31, 31], mode: 'same', peers: false },
  ];
  const summary = [];
  for (const c of cases) {
    const nd = c.xs.length > 1;
    const in1 = nd ? { data: c.x, shape: c.xs } : c.x;
    const in2 = nd ? { data: c.h, shape: c.hs } : c.h;
    const data = (r) => (nd ? r.data : r);
    const ours = (method, backend) => () => correlate(in1, in2, { mode: c.mode, method, backend });
    const reference = data(ours('direct', 'wasm')());
    const outLen = reference.length;
    const macs = outLen * c.h.length;
    const variants = [
      { name: `wasm auto (→ ${chooseConvMethod(in1, in2, { mode: c.mode })})`, fn: ours('auto', 'wasm') },
      { name: 'wasm direct', fn: ours('direct', 'wasm') },
      { name: 'wasm fft', fn: ours('fft', 'wasm') },
      { name: 'js fft', fn: ours('fft', 'js') },
    ];
    if (c.peers) {
      variants.push({ name: 'fft.js correlation', fn: () => fftjsCorrelate(c.x, c.h, c.mode) });
      // ml-convolution: 'CUT' is the valid correlation (it reverses the kernel before its FFT convolution).
      if (c.mode === 'valid') variants.push({ name: 'ml-convolution fftConvolution', fn: () => fftConvolution(c.x, c.h, 'CUT') });
    }
    for (const v of variants) checkSame(`${c.id} ${v.name}`, data(v.fn()), reference, 2e-4);
    const res = runCase({ id: c.id, flops: 2 * macs, variants, rounds: 3 });
    // From the per-round ratios (time of auto / time of the variant, median over rounds): steadier than ms medians.
    const ratio = Object.fromEntries(res.rows.map((r) => [r.name.replace(/ \(→.*/, ''), r.ratio]));
    const line = { id: c.id, autoVsBest: Math.max(ratio['wasm direct'], ratio['wasm fft']) };
    if (ratio['ml-convolution fftConvolution']) line.mlOverAuto = 1 / ratio['ml-convolution fftConvolution'];
    if (scipy) {
      const py = timeScipy(c, c.x, c.h);
      if (py) {
        checkSame(`${c.id} scipy.signal.oaconvolve`, reference, py.result, 2e-4);
        const auto = res.rows[0].ms;
        res.rows.push({ name: `scipy ${py.scipy} correlate auto (→ ${py.method})`, ms: py.correlate, gflops: (2 * macs) / py.correlate / 1e6, ratio: auto / py.correlate });
        res.rows.push({ name: `scipy ${py.scipy} oaconvolve`, ms: py.oaconvolve, gflops: (2 * macs) / py.oaconvolve / 1e6, ratio: auto / py.oaconvolve });
        line.autoOverScipyBest = auto / Math.min(py.correlate, py.oaconvolve);
        console.log(`  scipy ${py.scipy}: correlate(method='auto' → ${py.method}) ${py.correlate.toFixed(3)} ms, oaconvolve ${py.oaconvolve.toFixed(3)} ms`);
      }
    }
    summary.push(line);
    results.push(res);
  }
  console.log('\nFFT targets: auto / best of (direct, fft) ≤ 1.5; ml-convolution / auto ≥ 20 (1-D k=1023 valid); auto / SciPy ≤ 2');
  for (const s of summary) {
    const parts = [`auto/best ${s.autoVsBest.toFixed(2)}`];
    if (s.mlOverAuto) parts.push(`ml-convolution/auto ${s.mlOverAuto.toFixed(1)}×`);
    if (s.autoOverScipyBest) parts.push(`auto/SciPy(best of correlate, oaconvolve) ${s.autoOverScipyBest.toFixed(2)}`);
    console.log(`  ${s.id}: ${parts.join(', ')}`);
  }
  return results;
}
