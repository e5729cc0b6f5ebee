// The playground's computations, without the DOM: each takes the convcorr module as its first argument, so the page
// (which imports it from ./convcorr/) and the browser test (which imports it from the repo's dist/ in Node) run the
// very same code and compare what the page shows with what Node computes.

/** mulberry32: a tiny seeded generator, so every run draws the same noise, images and initial weights. */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller) from a uniform generator. */
export function gauss(rand) {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** "2, 1, 3" or "2 1 3" → [2, 1, 3]; throws a RangeError naming the field when a token is not a number. */
export function parseNumbers(text, what) {
  const tokens = text.split(/[\s,;]+/).filter((t) => t !== '');
  const out = tokens.map((t) => Number(t.replace('−', '-')));
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`${what}: '${tokens[bad]}' is not a number`);
  if (out.length === 0) throw new RangeError(`${what}: give at least one number`);
  return out;
}

/** Kernel rows, one per line → { data: Float32Array, shape: [rows, cols] }. */
export function parseKernel(text) {
  const rows = text.split('\n').filter((r) => r.trim() !== '').map((r, i) => parseNumbers(r, `kernel row ${i + 1}`));
  if (rows.length === 0) throw new RangeError('kernel: give at least one row');
  if (rows.some((r) => r.length !== rows[0].length)) throw new RangeError('kernel: every row needs the same number of values');
  return { data: Float32Array.from(rows.flat()), shape: [rows.length, rows[0].length] };
}

const gaussian5 = (() => {
  const g = [-2, -1, 0, 1, 2].map((x) => Math.exp(-(x * x) / 2));
  const s = g.reduce((a, b) => a + b, 0) ** 2;
  return g.flatMap((a) => g.map((b) => (a * b) / s));
})();

/** The picture panel's kernels (rows × columns, row-major). */
export const KERNELS = {
  'sobel-x': { rows: 3, data: [-1, 0, 1, -2, 0, 2, -1, 0, 1] },
  'sobel-y': { rows: 3, data: [-1, -2, -1, 0, 0, 0, 1, 2, 1] },
  emboss: { rows: 3, data: [-2, -1, 0, -1, 1, 1, 0, 1, 2] },
  // A trail on one side only: correlation smears the picture one way, convolution the other.
  motion: { rows: 1, data: [0, 0, 0, 0, 0, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6] },
  gaussian: { rows: 5, data: gaussian5 },
  laplacian: { rows: 3, data: [0, 1, 0, 1, -4, 1, 0, 1, 0] },
};

/** A named kernel as text rows (what the page shows in its editable box). */
export function kernelText(name) {
  const { rows, data } = KERNELS[name];
  const cols = data.length / rows;
  const fmt = (v) => (Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6))));
  return Array.from({ length: rows }, (_, r) => data.slice(r * cols, r * cols + cols).map(fmt).join(', ')).join('\n');
}

/**
 * One boundary rule, its name in each library: ndimage's mode (what the panel calls), scipy.signal's boundary,
 * numpy.pad's mode, OpenCV's border type, PyTorch's padding_mode. '—' where that library has no such rule.
 */
export const BOUNDARIES = [
  { ndimage: 'reflect', signal: "'symm'", numpy: "'symmetric'", opencv: 'BORDER_REFLECT', torch: '—', picture: 'd c b a | a b c d | d c b a' },
  { ndimage: 'mirror', signal: '—', numpy: "'reflect'", opencv: 'BORDER_REFLECT_101 (default)', torch: "'reflect'", picture: 'd c b | a b c d | c b a' },
  { ndimage: 'nearest', signal: '—', numpy: "'edge'", opencv: 'BORDER_REPLICATE', torch: "'replicate'", picture: 'a a a | a b c d | d d d' },
  { ndimage: 'wrap', signal: "'wrap'", numpy: "'wrap'", opencv: 'BORDER_WRAP (not in filter2D)', torch: "'circular'", picture: 'b c d | a b c d | a b c' },
  { ndimage: 'constant', signal: "'fill'", numpy: "'constant'", opencv: 'BORDER_CONSTANT', torch: "'zeros'", picture: '0 0 0 | a b c d | 0 0 0' },
];

/**
 * Filter an RGBA image (canvas ImageData bytes) with `ndimage.convolve` or `ndimage.correlate`, channel by channel,
 * and store the result as a canvas does (round half to even, clamp to 0…255); alpha is set opaque afterwards.
 * `direct`: the library takes the Uint8ClampedArray itself as input and output (API.md "Inputs of every numeric
 * type"). Without it the bytes go through a Float32Array copy first and back through Uint8ClampedArray.set, which
 * rounds and clamps exactly the same way (ECMAScript ToUint8Clamp): the only place the page converts pixels itself.
 * `out`: where to store the result, e.g. the `data` of the ImageData the page then puts on its canvas.
 */
export function filterRGBA(lib, op, rgba, W, H, kernel, mode, { direct = false, backend, out = new Uint8ClampedArray(W * H * 4) } = {}) {
  const [kh, kw] = kernel.shape;
  const weights = { data: Float32Array.from(kernel.data), shape: [kh, kw, 1] };
  const opts = backend ? { mode, backend } : { mode };
  if (direct) {
    lib.ndimage[op]({ data: rgba, shape: [H, W, 4] }, weights, { ...opts, output: out });
  } else {
    out.set(lib.ndimage[op]({ data: Float32Array.from(rgba), shape: [H, W, 4] }, weights, opts).data);
  }
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

/** Whether the library takes a Uint8ClampedArray as input and `output` (tried once on a 1×1 RGBA image). */
export function acceptsImageBytes(lib) {
  try {
    const px = new Uint8ClampedArray([10, 20, 30, 255]);
    const out = new Uint8ClampedArray(4);
    lib.ndimage.correlate({ data: px, shape: [1, 1, 4] }, { data: new Float32Array([1]), shape: [1, 1, 1] }, { output: out });
    return out[0] === 10 && out[1] === 20 && out[2] === 30 && out[3] === 255;
  } catch {
    return false;
  }
}

/** Per-pixel |a − b| over RGB: how many pixels differ at all and the largest difference. */
export function diffStats(a, b) {
  let pixels = 0;
  let max = 0;
  for (let i = 0; i < a.length; i += 4) {
    const d = Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2]));
    if (d > 0) pixels++;
    if (d > max) max = d;
  }
  return { pixels, max };
}

/** RGBA bytes → Float32Array [H, W, 3] (channels-last RGB), the layout matchTemplate takes. */
export function rgbPlanes(rgba, W, H, x0 = 0, y0 = 0, w = W, h = H) {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((y0 + y) * W + x0 + x) * 4;
      const d = (y * w + x) * 3;
      out[d] = rgba[s];
      out[d + 1] = rgba[s + 1];
      out[d + 2] = rgba[s + 2];
    }
  }
  return { data: out, shape: [h, w, 3] };
}

/** sqdiff methods: the best match is the minimum; the others: the maximum (OpenCV's convention). */
export const lowerIsBetter = (method) => method.startsWith('sqdiff');

/** Template matching on RGB, and the best position: the panel's whole computation. */
export function findTemplate(lib, rgba, W, H, box, method, backend) {
  const image = rgbPlanes(rgba, W, H);
  const templ = rgbPlanes(rgba, W, H, box.x, box.y, box.w, box.h);
  const scores = lib.matchTemplate(image, templ, backend ? { method, backend } : { method });
  const m = typeof lib.minMaxLoc === 'function' ? lib.minMaxLoc(scores) : minMaxLocJs(scores);
  const [by, bx] = lowerIsBetter(method) ? m.minLoc : m.maxLoc;
  return { scores, best: { x: bx, y: by, score: lowerIsBetter(method) ? m.minVal : m.maxVal }, minVal: m.minVal, maxVal: m.maxVal };
}

/** OpenCV's minMaxLoc on a 2-D NDArray (first occurrence in C order, NaN ignored), for builds without minMaxLoc. */
function minMaxLocJs({ data, shape }) {
  let minI = -1;
  let maxI = -1;
  for (let i = 0; i < data.length; i++) {
    if (Number.isNaN(data[i])) continue;
    if (minI < 0 || data[i] < data[minI]) minI = i;
    if (maxI < 0 || data[i] > data[maxI]) maxI = i;
  }
  const loc = (i) => [Math.floor(i / shape[1]), i % shape[1]];
  return { minVal: data[minI], maxVal: data[maxI], minLoc: loc(minI), maxLoc: loc(maxI) };
}

/** The delay panel's two signals: x = s + noise, y[n] = s[n − d] + noise, s band-limited random. */
export function delaySignals(seed, n, d, sigma) {
  const g = gauss(rng(seed));
  const pad = 128;
  const raw = Float64Array.from({ length: n + 2 * pad }, g);
  // A 17-tap moving average makes s smooth enough to see, still random enough for one clear xcorr peak.
  const s = new Float64Array(raw.length);
  for (let i = 8; i < raw.length - 8; i++) {
    let acc = 0;
    for (let j = -8; j <= 8; j++) acc += raw[i + j];
    s[i] = acc / Math.sqrt(17);
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = s[pad + i] + sigma * g();
    y[i] = s[pad + i - d] + sigma * g();
  }
  return { x, y };
}

/** The hidden kernel of the training panel (asymmetric: its 180° rotation differs). */
export const HIDDEN_K = [1.0, 2.0, 0.0, -1.0, 0.5, 3.0, 0.0, -2.0, -0.5];
export const TRAIN = { steps: 60, batch: 4, images: 16, size: 24, lr: 0.6 };

/** Random images and their targets: each filtered with K as a conv layer computes it ('same' zero padding). */
export function trainingSet(lib, backend) {
  const { images: count, size } = TRAIN;
  const rand = rng(2024);
  const kernel = { data: Float32Array.from(HIDDEN_K), shape: [1, 1, 3, 3] };
  const images = Array.from({ length: count }, () => ({ data: Float32Array.from({ length: size * size }, () => rand() * 2 - 1), shape: [1, 1, size, size] }));
  const targets = images.map((x) => lib.conv2d(x, kernel, backend ? { padding: 'same', backend } : { padding: 'same' }));
  return { images, targets };
}

/**
 * A trainer for one conv2d layer (1 → 1 channel, 3×3, with bias), mean squared error, plain SGD; `step()` runs one
 * mini-batch: forward with conv2d, weight gradient with conv2dGradWeight (a correlation of the input with the
 * output gradient), bias gradient the sum of the output gradient. Same recipe as examples/learn-kernel.
 */
export function trainer(lib, flip, set, backend) {
  const { batch, size, lr } = TRAIN;
  const r = rng(7);
  const w = { data: Float32Array.from({ length: 9 }, () => r() * 2 - 1), shape: [1, 1, 3, 3] };
  const bias = new Float32Array([r() - 0.5]);
  const opts = backend ? { padding: 'same', flip, backend } : { padding: 'same', flip };
  const losses = [];
  const x = { data: new Float32Array(batch * size * size), shape: [batch, 1, size, size] };
  const t = new Float32Array(batch * size * size);
  return {
    w, bias, losses,
    step() {
      const step = losses.length;
      for (let i = 0; i < batch; i++) {
        const j = (step * batch + i) % set.images.length;
        x.data.set(set.images[j].data, i * size * size);
        t.set(set.targets[j].data, i * size * size);
      }
      const y = lib.conv2d(x, w, { ...opts, bias });
      const dy = { data: new Float32Array(y.data.length), shape: y.shape };
      let loss = 0;
      let db = 0;
      for (let i = 0; i < y.data.length; i++) {
        const e = y.data[i] - t[i];
        loss += (e * e) / y.data.length;
        dy.data[i] = (2 * e) / y.data.length;
        db += dy.data[i];
      }
      losses.push(loss);
      const dw = lib.conv2dGradWeight(x, w.shape, dy, opts);
      for (let i = 0; i < 9; i++) w.data[i] -= lr * dw.data[i];
      bias[0] -= lr * db;
    },
  };
}

/** K rotated by 180° (flipped on both axes): what the flip: true layer must learn. */
export const rot180 = (k) => Array.from(k).reverse();
export const maxAbsDiff = (a, b) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
