// Similarity: matchTemplate 'ccoeff-normed' on a 1024² float32 image with 16², 64² and 128² templates against
// OpenCV.js matchTemplate(TM_CCOEFF_NORMED) in this process — timed with the copies of the image into its Mat and of
// the result out (the work a convcorr call includes), and on preallocated Mats — and against native OpenCV
// (cv2, one thread) in a persistent Python child; findDelay of two 1e6-sample float32 signals (maxlag unbounded)
// against SciPy correlate(method='auto') + argmax + correlation_lags in the same child. Each round times convcorr
// and then asks the child for its median of 5 calls on the same data: the ratios are medians of per-round ratios.
// Results are checked equal (scores within float32 rounding; the same delay) before timing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { checkSame, median, randomFloats, runCase } from './harness.mjs';

async function loadOpenCV() {
  const m = (await import('@techstark/opencv-js')).default;
  // The module is a thenable that resolves to itself: drop `then` so awaiting it cannot loop forever.
  return new Promise((resolve) => m.then((cv) => { delete cv.then; resolve(cv); }));
}

const PY = '/usr/bin/python3';
// A persistent child: one JSON request per line, one JSON answer per line.
const PY_SERVER = `
import json, sys, time
import numpy as np
have = {}
try:
    import cv2; cv2.setNumThreads(1); have['cv2'] = cv2.__version__
except Exception as e:
    pass
try:
    import scipy, scipy.signal as ss; have['scipy'] = scipy.__version__
except Exception:
    pass
print(json.dumps(have), flush=True)
data = {}
def med(f, reps=5):
    f()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2] * 1e3
for line in sys.stdin:
    q = json.loads(line)
    if q['op'] == 'load':
        data[q['name']] = np.fromfile(q['file'], dtype=np.float32).reshape(q['shape'])
        print('{}', flush=True)
    elif q['op'] == 'match':
        img, tpl = data[q['image']], data[q['templ']]
        f = lambda: cv2.matchTemplate(img, tpl, cv2.TM_CCOEFF_NORMED)
        r = f()
        print(json.dumps({'ms': med(f), 'max': float(r.max()), 'loc': [int(v) for v in np.unravel_index(int(r.argmax()), r.shape)], 'r00': float(r[0, 0])}), flush=True)
    elif q['op'] == 'delay':
        x, y = data[q['x']], data[q['y']]
        def f():
            c = ss.correlate(x, y, mode='full', method='auto')
            lags = ss.correlation_lags(len(x), len(y), mode='full')
            return -int(lags[np.argmax(c)])
        print(json.dumps({'ms': med(f), 'delay': f(), 'method': ss.choose_conv_method(x, y, mode='full')}), flush=True)
`;

function startPython() {
  const child = spawn(PY, ['-c', PY_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l)));
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const ask = (q) => {
    const p = next();
    child.stdin.write(`${JSON.stringify(q)}\n`);
    return p;
  };
  child.on('error', () => waiting.splice(0).forEach((f) => f(undefined)));
  return { ready: next(), ask, end: () => child.stdin.end() };
}

/** ms per call of fn: the median of `reps` timings after one warm call (the same statistic the child reports). */
function timeMs(fn, reps = 5) {
  fn();
  const ts = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

/** Rounds of (convcorr, then the child), each giving one ratio; prints and returns the medians. */
async function versusChild(id, ours, theirs, rounds) {
  const ratios = [];
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    const t = timeMs(ours);
    const c = (await theirs()).ms;
    a.push(t);
    b.push(c);
    ratios.push(t / c);
  }
  const row = { ours: median(a), theirs: median(b), ratio: median(ratios) };
  console.log(`  ${id}: convcorr ${row.ours.toFixed(2)} ms, peer ${row.theirs.toFixed(2)} ms, median of per-round (convcorr / peer) ${row.ratio.toFixed(2)}×`);
  return row;
}

export default async function similarity({ matchTemplate, findDelay, minMaxLoc, init }) {
  const cv = await loadOpenCV();
  const py = startPython();
  const have = (await py.ready) ?? {};
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'convcorr-bench-'));
  const load = async (name, a, shape) => {
    const file = path.join(tmp, `${name}.f32`);
    writeFileSync(file, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    await py.ask({ op: 'load', name, file, shape });
  };
  const n = 1024;
  const img = { data: randomFloats(Float32Array, n * n, 21), shape: [n, n] };
  const results = [];
  const summary = [];
  const src = cv.matFromArray(n, n, cv.CV_32F, img.data);
  const dst = new cv.Mat();
  try {
    if (have.cv2) await load('img', img.data, [n, n]);
    for (const k of [16, 64, 128]) {
      // The template is a patch of the image, so the best match is known: (300, 500).
      const t = new Float32Array(k * k);
      for (let i = 0; i < k; i++) t.set(img.data.subarray((300 + i) * n + 500, (300 + i) * n + 500 + k), i * k);
      const templ = { data: t, shape: [k, k] };
      const tm = cv.matFromArray(k, k, cv.CV_32F, t);
      const ocvCore = () => cv.matchTemplate(src, tm, dst, cv.TM_CCOEFF_NORMED);
      const ocvCopies = () => {
        src.data32F.set(img.data);
        tm.data32F.set(t);
        cv.matchTemplate(src, tm, dst, cv.TM_CCOEFF_NORMED);
        return dst.data32F.slice();
      };
      const ours = (backend, convMethod) => () => matchTemplate(img, templ, { backend, convMethod });
      const id = `matchTemplate ccoeff-normed float32 1024² templ ${k}²`;
      const ref = ocvCopies();
      const got = ours('wasm', 'auto')();
      // OpenCV's float32 DFT errs by ~1e-4 on these scores; both must find the patch with a score of 1.
      checkSame(`${id} wasm vs OpenCV.js`, got.data, ref, 2e-3);
      const best = minMaxLoc(got);
      if (best.maxLoc[0] !== 300 || best.maxLoc[1] !== 500 || Math.abs(best.maxVal - 1) > 1e-4) throw new Error(`${id}: best match ${JSON.stringify(best)}`);
      const variants = [
        { name: 'OpenCV.js matchTemplate + copy in/out', fn: ocvCopies },
        { name: 'OpenCV.js matchTemplate (Mats preallocated)', fn: ocvCore },
        { name: 'convcorr wasm auto', fn: ours('wasm', 'auto') },
        { name: 'convcorr wasm fft', fn: ours('wasm', 'fft') },
      ];
      if (k <= 16) variants.push({ name: 'convcorr wasm direct', fn: ours('wasm', 'direct') });
      // A loop over frames reusing one result (output): no fresh result's allocation and page faults.
      const reused = new Float32Array(got.data.length);
      variants.push({ name: 'convcorr wasm auto, output given', fn: () => matchTemplate(img, templ, { output: reused }) });
      const macs = (n - k + 1) ** 2 * k * k;
      const res = runCase({ id, flops: 2 * macs, variants, rounds: 3, maxTime: 0.5 });
      results.push(res);
      const line = { id, vsOpenCVjs: res.rows[2].ratio };
      if (have.cv2) {
        await load(`t${k}`, t, [k, k]);
        const check = await py.ask({ op: 'match', image: 'img', templ: `t${k}` });
        if (Math.abs(check.r00 - got.data[0]) > 1e-3 || check.loc[0] !== 300 || check.loc[1] !== 500) throw new Error(`${id}: cv2 disagrees: ${JSON.stringify(check)}`);
        const v = await versusChild(`${id} vs cv2 ${have.cv2} (1 thread)`, ours('wasm', 'auto'), () => py.ask({ op: 'match', image: 'img', templ: `t${k}` }), 5);
        res.rows.push({ name: `cv2 ${have.cv2} native, 1 thread (child process)`, ms: v.theirs, gflops: (2 * macs) / v.theirs / 1e6, ratio: res.rows[0].ms / v.theirs });
        line.overCv2 = v.ratio;
      }
      summary.push(line);
      tm.delete();
    }

    // The same three cases on a pool of two threads (init({ threads: 2 })), against OpenCV.js with its copies again
    // (OpenCV.js has no threads); then back to one thread for findDelay.
    const pooled = await init({ threads: 2 });
    if (pooled.threads === 2) {
      for (const k of [16, 64, 128]) {
        const t = new Float32Array(k * k);
        for (let i = 0; i < k; i++) t.set(img.data.subarray((300 + i) * n + 500, (300 + i) * n + 500 + k), i * k);
        const templ = { data: t, shape: [k, k] };
        const tm = cv.matFromArray(k, k, cv.CV_32F, t);
        const ocvCopies = () => {
          src.data32F.set(img.data);
          tm.data32F.set(t);
          cv.matchTemplate(src, tm, dst, cv.TM_CCOEFF_NORMED);
          return dst.data32F.slice();
        };
        const id = `matchTemplate ccoeff-normed float32 1024² templ ${k}², 2 threads`;
        checkSame(`${id} vs OpenCV.js`, matchTemplate(img, templ).data, ocvCopies(), 2e-3);
        const macs = (n - k + 1) ** 2 * k * k;
        const res = runCase({ id, flops: 2 * macs, rounds: 3, maxTime: 0.5, variants: [
          { name: 'OpenCV.js matchTemplate + copy in/out', fn: ocvCopies },
          { name: 'convcorr wasm auto, 2 threads', fn: () => matchTemplate(img, templ) },
        ] });
        results.push(res);
        summary.push({ id, vsOpenCVjs: res.rows[1].ratio });
        tm.delete();
      }
    }
    await init();

    // findDelay: y is x delayed by 12,345 samples, plus noise.
    const N = 1_000_000;
    const d = 12_345;
    const x = randomFloats(Float32Array, N, 31);
    const noise = randomFloats(Float32Array, N, 32);
    const y = Float32Array.from({ length: N }, (_, i) => (i >= d ? x[i - d] : 0) + 0.1 * noise[i]);
    const est = findDelay(x, y);
    if (est !== d) throw new Error(`findDelay found ${est}, not ${d}`);
    if (have.scipy) {
      await load('x', x, [N]);
      await load('y', y, [N]);
      const check = await py.ask({ op: 'delay', x: 'x', y: 'y' });
      if (check.delay !== d) throw new Error(`SciPy found ${check.delay}, not ${d}`);
      const id = `findDelay float32 n=1e6 (maxlag unbounded) vs SciPy ${have.scipy} correlate(auto → ${check.method}) + argmax + correlation_lags`;
      const v = await versusChild(id, () => findDelay(x, y), () => py.ask({ op: 'delay', x: 'x', y: 'y' }), 5);
      results.push({ id: 'findDelay float32 n=1e6', flops: 0, rows: [
        { name: 'convcorr wasm findDelay', ms: v.ours, gflops: 0, ratio: 1 },
        { name: `scipy ${have.scipy} correlate auto + argmax + correlation_lags (child process)`, ms: v.theirs, gflops: 0, ratio: v.ours / v.theirs },
      ] });
      summary.push({ id: 'findDelay', overScipy: v.ratio });
    }
  } finally {
    src.delete();
    dst.delete();
    py.end();
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log('\nsummary (medians of per-round ratios; vsOpenCVjs = OpenCV.js with copies / convcorr, over* = convcorr / peer):');
  for (const s of summary) console.log(`  ${JSON.stringify(s)}`);
  return results;
}
