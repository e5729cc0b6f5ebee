// Image filtering: a 1024×1024 float32 image with 3×3, 5×5, 7×7 and 15×15 kernels, 'same' size, zero border
// (correlate2d boundary 'fill'), on every backend, against OpenCV.js filter2D (BORDER_CONSTANT) in the same run.
// OpenCV.js is timed twice: filter2D alone on preallocated Mats (the baseline of the ratios), and with the copy of
// the image into its heap and of the result out to a fresh array, which is the work a convcorr call includes.
// convcorr is timed as correlate2d (a fresh result each call) and as ndimage.correlate with mode 'constant' and
// `output` preallocated, which is filter2D's own contract (its dst Mat is preallocated).
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
      const ref = ocvCopies();
      const id = `filter2d float32 1024² ${k}×${k} same`;
      checkSame(`${id} wasm vs OpenCV.js`, ours('wasm')().data, ref, 1e-5);
      checkSame(`${id} js vs OpenCV.js`, ours('js')().data, ref, 1e-5);
      checkSame(`${id} wasm ndimage output vs OpenCV.js`, oursInto().data, ref, 1e-5);
      results.push(runCase({
        id, flops: 2 * n * n * k * k, rounds: 3,
        variants: [
          { name: 'OpenCV.js filter2D (Mats preallocated)', fn: ocvCore },
          { name: 'OpenCV.js filter2D + copy in/out', fn: ocvCopies },
          { name: 'convcorr js', fn: ours('js') },
          { name: 'convcorr wasm', fn: ours('wasm') },
          { name: 'convcorr wasm ndimage, output given', fn: oursInto },
        ],
      }));
      kernel.delete();
    }
  } finally {
    src.delete();
    dst.delete();
  }
  return results;
}
