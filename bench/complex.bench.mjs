// Complex signals: correlate 1-D n = 1e6 with k = 127 by the direct method (complex64 and complex128), wasm against
// the JS backend; fftconvolve 1-D n = 1e6 with k = 4096 (complex64 and complex128) against scipy.signal.fftconvolve
// timed in a child process on the same data (median of several runs inside Python), when a python3 with SciPy is on
// this machine. Every result is checked against another before timing. GFLOP/s count the direct method's real
// multiply-adds (4 per complex tap, 2 flops each).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSame, randomFloats, runCase } from './harness.mjs';

const PY = '/usr/bin/python3';
const PY_SCRIPT = `
import json, sys, time
import numpy as np, scipy, scipy.signal as ss
spec = json.loads(sys.argv[1])
real = np.float32 if spec['dtype'] == 'float32' else np.float64
def load(p, n):
    v = np.fromfile(p, dtype=real)
    return (v[:n] + 1j * v[n:]).astype(np.complex64 if real == np.float32 else np.complex128)
x = load(spec['x'], spec['n'])
h = load(spec['h'], spec['k'])
def med(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2] * 1e3
res = {'scipy': scipy.__version__}
res['fftconvolve'] = med(lambda: ss.fftconvolve(x, h), 5)
y = ss.fftconvolve(x, h)
np.concatenate([y.real, y.imag]).astype(real).tofile(spec['out'])
print(json.dumps(res))
`;

function hasScipy() {
  return spawnSync(PY, ['-c', 'import scipy'], { stdio: 'ignore' }).status === 0;
}

/** Planes [re | im] in one file, as the Python side reads them. */
function writePlanes(file, c) {
  const n = c.re.length;
  const all = new c.re.constructor(2 * n);
  all.set(c.re);
  all.set(c.im, n);
  writeFileSync(file, Buffer.from(all.buffer, all.byteOffset, all.byteLength));
}

function timeScipy(x, h, dtype) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'convcorr-bench-'));
  try {
    const spec = { x: path.join(dir, 'x.bin'), h: path.join(dir, 'h.bin'), out: path.join(dir, 'out.bin'), n: x.re.length, k: h.re.length, dtype };
    writePlanes(spec.x, x);
    writePlanes(spec.h, h);
    const r = spawnSync(PY, ['-c', PY_SCRIPT, JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      console.log(`  (SciPy run failed: ${r.stderr.trim().split('\n').pop()})`);
      return undefined;
    }
    const res = JSON.parse(r.stdout);
    const buf = readFileSync(spec.out);
    const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
    const all = new Ctor(buf.buffer, buf.byteOffset, buf.byteLength / Ctor.BYTES_PER_ELEMENT);
    const n = all.length / 2;
    res.re = all.subarray(0, n);
    res.im = all.subarray(n);
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const complexOf = (Ctor, n, seed) => ({ re: randomFloats(Ctor, n, seed), im: randomFloats(Ctor, n, seed + 100) });

export default function complexBench({ correlate, fftconvolve }) {
  const results = [];
  const summary = [];
  for (const [Ctor, dt] of [[Float32Array, 'float32'], [Float64Array, 'float64']]) {
    const tol = dt === 'float32' ? 2e-4 : 1e-9;
    const x = complexOf(Ctor, 1_000_000, 1);
    // Direct correlation, wasm vs js.
    {
      const k = 127;
      const h = complexOf(Ctor, k, 2);
      const id = `complex correlate 1-D ${dt} n=1e6 k=${k} valid direct`;
      const run = (backend) => () => correlate(x, h, { mode: 'valid', method: 'direct', backend });
      const a = run('wasm')();
      const b = run('js')();
      checkSame(`${id} re`, a.re, b.re, tol);
      checkSame(`${id} im`, a.im, b.im, tol);
      const macs = 4 * (1e6 - k + 1) * k;
      const res = runCase({ id, flops: 2 * macs, rounds: 3, variants: [{ name: 'js', fn: run('js') }, { name: 'wasm', fn: run('wasm') }] });
      results.push(res);
      const wasm = res.rows.find((r) => r.name === 'wasm');
      summary.push(`${id}: wasm is ${wasm.ratio.toFixed(1)}× the js backend (median of per-round ratios; target ≥ 10×)`);
    }
    // FFT convolution, wasm vs SciPy.
    {
      const k = 4096;
      const h = complexOf(Ctor, k, 3);
      const id = `complex fftconvolve 1-D ${dt} n=1e6 k=${k} full`;
      const run = () => fftconvolve(x, h);
      const ours = run();
      const res = runCase({ id, flops: 2 * 4 * (1e6 + k - 1) * k, rounds: 3, variants: [{ name: 'wasm fftconvolve', fn: run }] });
      const py = hasScipy() ? timeScipy(x, h, dt) : undefined;
      if (py) {
        checkSame(`${id} scipy re`, ours.re, py.re, tol);
        checkSame(`${id} scipy im`, ours.im, py.im, tol);
        const mine = res.rows[0].ms;
        res.rows.push({ name: `scipy ${py.scipy} fftconvolve`, ms: py.fftconvolve, gflops: res.rows[0].gflops * mine / py.fftconvolve, ratio: mine / py.fftconvolve });
        summary.push(`${id}: convcorr ${mine.toFixed(1)} ms, SciPy ${py.fftconvolve.toFixed(1)} ms: convcorr/SciPy ${(mine / py.fftconvolve).toFixed(2)} (target ≤ 1.5)`);
      } else {
        console.log('  (no python3 with SciPy: the SciPy column is skipped)');
      }
      results.push(res);
    }
  }
  console.log('\nComplex targets:');
  for (const s of summary) console.log(`  ${s}`);
  return results;
}
