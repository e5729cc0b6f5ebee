// Image filtering: a 1024×1024 float32 image with 3×3, 5×5, 7×7 and 15×15 kernels, 'same' size, zero border
// (correlate2d boundary 'fill'), on every backend, against OpenCV.js filter2D (BORDER_CONSTANT) in the same run.
// OpenCV.js is timed twice: filter2D alone on preallocated Mats (the baseline of the ratios), and with the copy of
// the image into its heap and of the result out to a fresh array, which is the work a convcorr call includes.
// convcorr is timed as correlate2d (a fresh result each call) and as ndimage.correlate with mode 'constant' and
// `output` preallocated, which is filter2D's own contract (its dst Mat is preallocated); ndimage sums in double as
// SciPy does, and once more with `accumulate: 'float32'` (float32 sums, as filter2D and correlate2d).
// Last, a 2048² float32 Laplacian over an image with one NaN pixel: its zero weights are dropped (scipy.ndimage's
// rule), so the kept-taps kernel runs on the chosen backend, against the same call on the finite image.
import { checkSame, randomFloats, runCase } from './harness.mjs';

/** OpenCV.js compiles its wasm asynchronously: wait for the runtime before touching cv. */
async function loadOpenCV() {
  const m = (await import('@techstark/opencv-js')).default;
  // The module is a thenable that resolves to itself: drop `then` so awaiting it cannot loop forever.
  return new Promise((resolve) => m.then((cv) => { delete cv.then; resolve(cv); }));
}

export default async function filter2d({ correlate2d, ndimage }) {
  const cv = await loadOpenCV();
  const n = 1024;
  const img = { data: randomFloats(Float32Array, n * n, 11), shape: [n, n] };
  const src = cv.matFromArray(n, n, cv.CV_32F, img.data);
  const dst = new cv.Mat(n, n, cv.CV_32F);
  const anchor = new cv.Point(-1, -1);
  const results = [];
  try {
    for (const k of [3, 5, 7, 15]) {
      const h = { data: randomFloats(Float32Array, k * k, 100 + k), shape: [k, k] };
      const kernel = cv.matFromArray(k, k, cv.CV_32F, h.data);
      const ocvCore = () => cv.filter2D(src, dst, cv.CV_32F, kernel, anchor, 0, cv.BORDER_CONSTANT);
      const ocvCopies = () => {
        src.data32F.set(img.data);
        cv.filter2D(src, dst, cv.CV_32F, kernel, anchor, 0, cv.BORDER_CONSTANT);
        return dst.data32F.slice();
      };
      const ours = (backend) => () => correlate2d(img, h, { mode: 'same', boundary: 'fill', backend });
      const out = new Float32Array(n * n);
      const oursInto = () => ndimage.correlate(img, h, { mode: 'constant', output: out, backend: 'wasm' });
      const out32 = new Float32Array(n * n);
      const oursInto32 = () => ndimage.correlate(img, h, { mode: 'constant', output: out32, backend: 'wasm', accumulate: 'float32' });
      const ref = ocvCopies();
      const id = `filter2d float32 1024² ${k}×${k} same`;
      checkSame(`${id} wasm vs OpenCV.js`, ours('wasm')().data, ref, 1e-5);
      checkSame(`${id} js vs OpenCV.js`, ours('js')().data, ref, 1e-5);
      checkSame(`${id} wasm ndimage output vs OpenCV.js`, oursInto().data, ref, 1e-5);
      checkSame(`${id} wasm ndimage output float32 sums vs OpenCV.js`, oursInto32().data, ref, 1e-5);
      results.push(runCase({
        id, flops: 2 * n * n * k * k, rounds: 3,
        variants: [
          { name: 'OpenCV.js filter2D (Mats preallocated)', fn: ocvCore },
          { name: 'OpenCV.js filter2D + copy in/out', fn: ocvCopies },
          { name: 'convcorr js', fn: ours('js') },
          { name: 'convcorr wasm', fn: ours('wasm') },
          { name: 'convcorr wasm ndimage, output given', fn: oursInto },
          { name: "convcorr wasm ndimage, output given, accumulate 'float32'", fn: oursInto32 },
        ],
      }));
      kernel.delete();
    }
    results.push(nanLaplacian(ndimage));
  } finally {
    src.delete();
    dst.delete();
  }
  return results;
}

/** 2048² float32 Laplacian, mode 'reflect', output given: one NaN pixel (wasm and js) against the finite image (wasm). */
function nanLaplacian(ndimage) {
  const n = 2048;
  const finite = { data: randomFloats(Float32Array, n * n, 12), shape: [n, n] };
  const withNaN = { data: finite.data.slice(), shape: [n, n] };
  withNaN.data[1000 * n + 1000] = NaN;
  const lap = { data: new Float32Array([0, 1, 0, 1, -4, 1, 0, 1, 0]), shape: [3, 3] };
  const outs = [0, 1, 2].map(() => new Float32Array(n * n));
  const run = (img, backend, out) => () => ndimage.correlate(img, lap, { output: out, backend });
  const id = 'ndimage float32 2048² Laplacian, one NaN pixel';
  const wasm = run(withNaN, 'wasm', outs[1])().data;
  const js = run(withNaN, 'js', outs[2])().data;
  // The same sums in the same order on both backends: equal bit for bit, NaN exactly where a kept weight meets it.
  for (let i = 0; i < wasm.length; i++) {
    if (!(wasm[i] === js[i] || (Number.isNaN(wasm[i]) && Number.isNaN(js[i])))) throw new Error(`bench check failed: ${id} wasm and js differ at ${i}`);
  }
  const nans = wasm.reduce((c, v) => c + (Number.isNaN(v) ? 1 : 0), 0);
  if (nans !== 5) throw new Error(`bench check failed: ${id} has ${nans} NaN outputs, expected 5 (the pixel and its 4 neighbours)`);
  checkSame(`${id} finite neighbourhood`, run(finite, 'wasm', outs[0])().data.subarray(0, 999 * n), wasm.subarray(0, 999 * n), 1e-6);
  return runCase({
    id, flops: 2 * n * n * 5, rounds: 3,
    variants: [
      { name: 'convcorr wasm, finite image', fn: run(finite, 'wasm', outs[0]) },
      { name: 'convcorr wasm, one NaN pixel', fn: run(withNaN, 'wasm', outs[1]) },
      { name: 'convcorr js, one NaN pixel', fn: run(withNaN, 'js', outs[2]) },
    ],
  });
}
