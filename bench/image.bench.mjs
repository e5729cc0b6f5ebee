// Images as a canvas gives them: a 1024×1024 RGBA ImageData (Uint8ClampedArray, [H, W, 4]) filtered per channel by
// 3×3 and 5×5 Gaussians (OpenCV's fixed binomial tables, getGaussianKernel(k, 0)) into itself, border
// BORDER_REFLECT_101 = ndimage 'mirror'. OpenCV.js filter2D runs on a CV_8UC4 Mat; timed with the copies a JS caller
// needs (ImageData into the Mat's heap, the result back into the ImageData) and alone on preallocated Mats.
// convcorr is timed as ndimage.correlate(img, weights [k, k, 1], { output: img.data }) on both backends, and as
// the call a user had to make before integer inputs existed: the same image as Float32Array data into a Float32Array
// output (alone, and with the conversions from and back to the ImageData).
import { checkSame, runCase } from './harness.mjs';

async function loadOpenCV() {
  const m = (await import('@techstark/opencv-js')).default;
  // The module is a thenable that resolves to itself: drop `then` so awaiting it cannot loop forever.
  return new Promise((resolve) => m.then((cv) => { delete cv.then; resolve(cv); }));
}

/** Deterministic bytes (a linear congruential generator): the same image in every run. */
function randomBytes(n, seed) {
  const a = new Uint8ClampedArray(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s >>> 24;
  }
  return a;
}

/** The outer product of a binomial row with itself, normalised: OpenCV's 3- and 5-tap Gaussians. */
function gaussian(row) {
  const sum = row.reduce((s, v) => s + v, 0);
  const k = row.length;
  const w = new Float32Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) w[i * k + j] = (row[i] * row[j]) / (sum * sum);
  return w;
}

export default async function image({ ndimage }) {
  const cv = await loadOpenCV();
  const n = 1024;
  const C = 4;
  const original = randomBytes(n * n * C, 7);
  const img = original.slice(); // the ImageData's data, filtered into itself call after call
  const src = new cv.Mat(n, n, cv.CV_8UC4);
  const dst = new cv.Mat(n, n, cv.CV_8UC4);
  const anchor = new cv.Point(-1, -1);
  const f32in = Float32Array.from(original);
  const f32out = new Float32Array(n * n * C);
  const results = [];
  try {
    for (const row of [[1, 2, 1], [1, 4, 6, 4, 1]]) {
      const k = row.length;
      const w = gaussian(row);
      const weights = { data: w, shape: [k, k, 1] };
      const kernel = cv.matFromArray(k, k, cv.CV_32F, w);
      const ocvCopies = () => {
        src.data.set(img);
        cv.filter2D(src, dst, -1, kernel, anchor, 0, cv.BORDER_REFLECT_101);
        img.set(dst.data);
      };
      const ocvCore = () => cv.filter2D(src, dst, -1, kernel, anchor, 0, cv.BORDER_REFLECT_101);
      const ours = (backend) => () => ndimage.correlate({ data: img, shape: [n, n, C] }, weights, { mode: 'mirror', output: img, backend });
      const before = () => ndimage.correlate({ data: f32in, shape: [n, n, C] }, weights, { mode: 'mirror', output: f32out, backend: 'wasm' });
      const beforeCopies = () => {
        f32in.set(img);
        before();
        img.set(f32out);
      };
      // Every variant from the same image must give the same bytes (binomial weights: every sum is exact).
      const results0 = [];
      for (const fn of [ocvCopies, ours('wasm'), ours('js'), beforeCopies]) {
        img.set(original);
        fn();
        results0.push(img.slice());
      }
      const id = `ImageData 1024² RGBA Gaussian ${k}×${k} → ImageData (in place)`;
      for (const [i, name] of ['convcorr wasm', 'convcorr js', 'Float32Array call + copies'].entries()) {
        checkSame(`${id} ${name} vs OpenCV.js`, results0[i + 1], results0[0], 0);
      }
      img.set(original);
      const flops = 2 * n * n * C * k * k;
      results.push(runCase({
        id, flops, rounds: 5,
        variants: [
          { name: 'OpenCV.js filter2D CV_8UC4 + copies', fn: ocvCopies },
          { name: 'OpenCV.js filter2D (Mats preallocated)', fn: ocvCore },
          { name: 'convcorr wasm, output: img.data', fn: ours('wasm') },
          { name: 'convcorr js, output: img.data', fn: ours('js') },
        ],
      }));
      results.push(runCase({
        id: `${id}: vs the Float32Array [H, W, 4] call`, flops, rounds: 5,
        variants: [
          { name: 'Float32Array [H, W, 4] call', fn: before },
          { name: 'Float32Array call + copies', fn: beforeCopies },
          { name: 'convcorr wasm, output: img.data', fn: ours('wasm') },
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
