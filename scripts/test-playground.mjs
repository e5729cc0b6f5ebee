// Browser test of examples/playground: builds the static page, serves it on 127.0.0.1, loads it in headless Chromium
// three times (COOP/COEP on, off, and under a strict CSP without 'wasm-unsafe-eval'), drives every panel and checks
// the numbers it shows against convcorr's own results computed here in Node; no console errors allowed.
// Screenshots go to test-results/playground/; with --screenshots the panel shots also refresh the committed PNGs in
// examples/playground/screenshots/. Skips (exit 0, reason printed) where no Chromium binary exists.
//   npm run test:playground          (after npm run build: node scripts/test-playground.mjs)
//   npm run playground:screenshots
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

const root = new URL('../', import.meta.url);
const path = (p) => fileURLToPath(new URL(p, root));
const REFRESH = process.argv.includes('--screenshots');
const started = Date.now();

function findChromium() {
  const named = process.env.CHROMIUM_PATH;
  if (named) return existsSync(named) ? named : undefined;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    try {
      const p = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (p) return p;
    } catch {
      // not on PATH: try the next name
    }
  }
  return undefined;
}

const exe = findChromium();
if (!exe) {
  console.log(process.env.CHROMIUM_PATH
    ? `playground test skipped: CHROMIUM_PATH names no file (${process.env.CHROMIUM_PATH})`
    : 'playground test skipped: no Chromium binary on PATH (install chromium, or set CHROMIUM_PATH)');
  process.exit(0);
}
if (!existsSync(path('dist/index.js'))) {
  console.error('playground test: dist/index.js is missing; run `npm run build` first');
  process.exit(1);
}

const { chromium } = await import('playwright');
const lib = await import('../dist/index.js');
const C = await import('../examples/playground/compute.js');
const { buildPlayground } = await import('../examples/playground/build.mjs');
const { serve } = await import('../examples/playground/serve.mjs');
lib.initSync();

let passed = 0;
const failures = [];
function check(what, ok, detail = '') {
  if (ok) passed++;
  else failures.push(`${what}${detail ? `: ${detail}` : ''}`);
}
const skipped = [];

/** PNG decoder for the shipped pictures: 8-bit RGB or RGBA, not interlaced, filters 0–4 (W3C PNG §9). */
function decodePng(file) {
  const buf = readFileSync(file);
  let pos = 8;
  let W = 0, H = 0, type = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      W = data.readUInt32BE(0); H = data.readUInt32BE(4); type = data[9];
      if (data[8] !== 8 || (type !== 2 && type !== 6) || data[12] !== 0) throw new Error(`${file}: only 8-bit RGB/RGBA, non-interlaced`);
    }
    if (kind === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const bpp = type === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = W * bpp;
  const px = new Uint8Array(H * stride);
  for (let y = 0; y < H; y++) {
    const f = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= bpp ? px[y * stride + i - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? px[(y - 1) * stride + i - bpp] : 0;
      const p = a + b - c;
      const pred = [0, a, b, Math.floor((a + b) / 2),
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c][f];
      px[y * stride + i] = (x + pred) & 255;
    }
  }
  const rgba = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    rgba.set(px.subarray(i * bpp, i * bpp + 3), 4 * i);
    rgba[4 * i + 3] = 255;
  }
  return { rgba, W, H };
}

/** filterRGBA (the page's and this test's code) against referenceFilter, on a shipped picture. */
function checkFilterRGBA() {
  for (const name of ['sobel-x', 'motion', 'emboss']) {
    const kernel = C.parseKernel(C.kernelText(name));
    const bound = kernel.data.length * 2 ** -24 * kernel.data.reduce((s, v) => s + Math.abs(v), 0) * 255 * 2;
    for (const op of ['convolve', 'correlate']) {
      const got = C.filterRGBA(lib, op, pictures.shapes.rgba, 240, 160, kernel, 'reflect');
      const ref = referenceFilter(op, pictures.shapes, kernel);
      let bad = 0;
      for (let i = 0; i < ref.length; i++) {
        if ((i & 3) === 3) { if (got[i] !== 255) bad++; continue; }
        const want = Math.min(255, Math.max(0, Math.round(ref[i])));
        const near = Math.abs(ref[i] - Math.floor(ref[i]) - 0.5) <= bound;
        if (Math.abs(got[i] - want) > (near ? 1 : 0)) bad++;
      }
      check(`filterRGBA ${op} ${name} = the formula`, bad === 0, `${bad} values differ`);
    }
  }
}

const pictures = {
  shapes: decodePng(path('examples/playground/pictures/shapes.png')),
  landscape: decodePng(path('examples/playground/pictures/landscape.png')),
};

/** Numbers in a text as the page prints them (a real minus sign, 'e' exponents). */
const numbers = (text) => (text.replace(/−/g, '-').match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);

/**
 * What the picture panel must show, computed here: both filters stored as a canvas stores them, the probe pixel, the
 * difference counts, and how many pixels sit so close to a rounding boundary (x.5) that another wasm build's float32
 * rounding may store them one level apart: |error| ≤ K·2⁻²⁴·Σ|w|·255 for a K-term sum (the page may run relaxed SIMD).
 */
function pictureExpect(img, kernel, mode) {
  const K = kernel.data.length;
  const bound = K * 2 ** -24 * kernel.data.reduce((s, v) => s + Math.abs(v), 0) * 255 * 2;
  const out = {};
  const near = new Uint8Array(img.W * img.H);
  for (const op of ['convolve', 'correlate']) {
    out[op] = C.filterRGBA(lib, op, img.rgba, img.W, img.H, kernel, mode);
    const f = lib.ndimage[op]({ data: Float32Array.from(img.rgba), shape: [img.H, img.W, 4] }, { data: Float32Array.from(kernel.data), shape: [...kernel.shape, 1] }, { mode }).data;
    for (let i = 0; i < f.length; i++) {
      if ((i & 3) !== 3 && f[i] > -0.5 && f[i] < 255.5 && Math.abs(f[i] - Math.floor(f[i]) - 0.5) <= bound) near[i >> 2] = 1;
    }
  }
  return { ...out, diff: C.diffStats(out.convolve, out.correlate), near, nearCount: near.reduce((a, b) => a + b, 0) };
}

/**
 * scipy.ndimage.correlate / convolve on [H, W, 4] with a [kh, kw, 1] kernel in 'reflect' mode (d c b a | a b c d),
 * straight from the formula in float64, stored as a canvas stores it: an independent check of filterRGBA itself.
 * The origin of a kernel of size k is at floor(k / 2); convolve flips the kernel and, for even sizes, that origin.
 */
function referenceFilter(op, { rgba, W, H }, { data, shape: [kh, kw] }) {
  const refl = (i, n) => { while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1; return i; };
  const w = op === 'convolve' ? Array.from(data).reverse() : Array.from(data);
  const oy = op === 'convolve' ? kh - 1 - Math.floor(kh / 2) : Math.floor(kh / 2);
  const ox = op === 'convolve' ? kw - 1 - Math.floor(kw / 2) : Math.floor(kw / 2);
  const out = new Float64Array(W * H * 4);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) {
    let s = 0;
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) s += w[i * kw + j] * rgba[(refl(y + i - oy, H) * W + refl(x + j - ox, W)) * 4 + c];
    out[(y * W + x) * 4 + c] = s;
  }
  return out;
}

async function checkPicture(page, run, label, img, kernelName, mode) {
  const text = await page.locator('[data-check="pic-probe"]').textContent();
  const diffText = await page.locator('[data-check="pic-diff"]').textContent();
  const kernel = C.parseKernel(await page.locator('#pic-kernel-text').inputValue());
  const e = pictureExpect(img, kernel, mode);
  const [px, py, ...rgb] = numbers(text);
  const i = 4 * (py * img.W + px);
  const want = [...e.convolve.subarray(i, i + 3), ...e.correlate.subarray(i, i + 3)];
  const slack = e.near[i / 4] ? 1 : 0;
  check(`${run}: picture ${label} ${kernelName}/${mode} probe (${px}, ${py})`, rgb.length === 6 && rgb.every((v, k) => Math.abs(v - want[k]) <= slack),
    `page ${rgb} vs node ${want}`);
  if (e.diff.pixels === 0) {
    check(`${run}: picture ${label} ${kernelName}/${mode}: no difference`, /agree on every pixel/.test(diffText) || e.nearCount > 0, diffText);
  } else {
    const [count, , max] = /agree on every pixel/.test(diffText) ? [0, 0, 0] : numbers(diffText);
    check(`${run}: picture ${label} ${kernelName}/${mode} differing pixels`, Math.abs(count - e.diff.pixels) <= e.nearCount && Math.abs(max - e.diff.max) <= (e.nearCount ? 1 : 0),
      `page ${count} (max ${max}) vs node ${e.diff.pixels} (max ${e.diff.max}), ${e.nearCount} near a rounding boundary`);
  }
}

async function drive(page, run, light) {
  // 1 · seed
  // light: the runs after the first repeat a few cases of each panel (the page is the same; the backend or headers differ).
  const seedCases = [['1, -1', 'full'], ['-1, 2, -1', 'full'], ['1, -1', 'same'], ['-1, 2, -1', 'valid']];
  for (const [h, mode] of light ? seedCases.slice(0, 2) : seedCases) {
    await page.fill('#seed-h', h);
    await page.selectOption('#seed-mode', mode);
    const f = C.parseNumbers(await page.inputValue('#seed-f'), 'f');
    const hv = C.parseNumbers(h, 'h');
    for (const op of ['correlate', 'convolve']) {
      const shown = numbers(await page.locator(`[data-check="seed-${op === 'correlate' ? 'corr' : 'conv'}"]`).textContent());
      const want = Array.from(lib[op](f, hv, { mode }));
      check(`${run}: seed ${op}(f, [${h}], '${mode}')`, shown.length === want.length && shown.every((v, k) => Math.abs(v - want[k]) <= 5e-5), `page ${shown} vs node ${want}`);
    }
  }
  const slideSum = numbers((await page.locator('#seed-conv-slide .sum').textContent()).split('=').at(-1))[0];
  const k = Number(await page.inputValue('#seed-k'));
  const convShown = numbers(await page.locator('[data-check="seed-conv"]').textContent());
  check(`${run}: seed slide sum equals output ${k}`, slideSum === convShown[k], `${slideSum} vs ${convShown[k]}`);
  await page.fill('#seed-h', '1, x');
  check(`${run}: seed bad h shows an error`, /'x' is not a number/.test(await page.locator('#seed-error').textContent()));
  await page.click('#seed button[data-h="1, -1"]');
  await page.selectOption('#seed-mode', 'full');

  // 2 · picture (the shipped shapes.png is loaded at start)
  const pictureCases = [['sobel-x', 'reflect'], ['emboss', 'constant'], ['motion', 'wrap'], ['gaussian', 'mirror'], ['laplacian', 'nearest']];
  for (const [kernelName, mode] of light ? pictureCases.slice(3) : pictureCases) {
    await page.selectOption('#pic-kernel', kernelName);
    await page.selectOption('#pic-mode', mode);
    await checkPicture(page, run, 'shapes.png', pictures.shapes, kernelName, mode);
  }
  // Positions are inside the canvas's 1px CSS border: the page must map them to pixels without it.
  const box = await page.locator('#pic-corr').boundingBox();
  await page.locator('#pic-corr').click({ position: { x: 1 + (150.5 / 240) * (box.width - 2), y: 1 + (100.5 / 160) * (box.height - 2) } });
  // A canvas pixel is about one CSS pixel here and mouse events land on whole CSS pixels: ±1 is where a click can land.
  const probeText = await page.locator('[data-check="pic-probe"]').textContent();
  const [cx, cy] = numbers(probeText);
  check(`${run}: picture click moves the probe`, Math.abs(cx - 150) <= 1 && Math.abs(cy - 100) <= 1, probeText);
  await checkPicture(page, run, 'shapes.png', pictures.shapes, 'laplacian', 'nearest');
  await page.fill('#pic-kernel-text', '1 2\n-3 4');
  check(`${run}: picture typed kernel selects 'typed'`, (await page.inputValue('#pic-kernel')) === 'typed');
  await checkPicture(page, run, 'shapes.png', pictures.shapes, 'typed 2×2', 'nearest');
  const shown = Number(await page.getAttribute('body', 'data-pictures'));
  await page.setInputFiles('#pic-file', path('examples/playground/pictures/landscape.png'));
  await page.waitForFunction((n) => Number(document.body.dataset.pictures) > n, shown, { timeout: 10000 });
  await page.selectOption('#pic-kernel', 'sobel-y');
  await checkPicture(page, run, 'landscape.png (file input)', pictures.landscape, 'sobel-y', 'nearest');
  // A picture dropped on the input canvas (a DataTransfer built in the page, as a drag from the desktop delivers it).
  const shown2 = Number(await page.getAttribute('body', 'data-pictures'));
  await page.evaluate(async () => {
    const blob = await (await fetch('pictures/shapes.png')).blob();
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'dropped.png', { type: 'image/png' }));
    document.querySelector('#pic-src').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction((n) => Number(document.body.dataset.pictures) > n, shown2, { timeout: 10000 });
  await checkPicture(page, run, 'shapes.png (dropped)', pictures.shapes, 'sobel-y', 'nearest');
  await page.selectOption('#pic-kernel', 'sobel-x');
  await page.selectOption('#pic-mode', 'reflect');
  await page.locator('#pic-conv').click({ position: { x: 1 + (82.5 / 240) * (box.width - 2), y: 1 + (52.5 / 160) * (box.height - 2) } });
  await checkPicture(page, run, 'shapes.png', pictures.shapes, 'sobel-x', 'reflect');

  // 3 · find it
  if (typeof lib.matchTemplate === 'function') {
    for (const method of ['ccoeff-normed', 'sqdiff']) {
      await page.selectOption('#find-method', method);
      await page.locator('#find-img').scrollIntoViewIfNeeded();
      const c = await page.locator('#find-img').boundingBox();
      const at = (x, y) => [c.x + 1 + ((x + 0.5) / 240) * (c.width - 2), c.y + 1 + ((y + 0.5) / 160) * (c.height - 2)];
      await page.mouse.move(...at(22, 22));
      await page.mouse.down();
      await page.mouse.move(...at(50, 50), { steps: 3 });
      await page.mouse.move(...at(82, 82), { steps: 3 });
      await page.mouse.up();
      const text = await page.locator('[data-check="find-result"]').textContent();
      const [w, h, x0, y0, bx, by, score] = numbers(text);
      const r = C.findTemplate(lib, pictures.shapes.rgba, 240, 160, { x: x0, y: y0, w, h }, method);
      // Page (relaxed SIMD, maybe) and Node (SIMD) may round a K-term float32 sum differently by about K·2⁻²⁴·Σ|terms|:
      // Σ|terms| ≤ 2 for the normed scores, about 2·ΣT² at the match for the others; plus the 6 decimals shown.
      let tt = 0;
      for (const v of C.rgbPlanes(pictures.shapes.rgba, 240, 160, x0, y0, w, h).data) tt += v * v;
      const tol = 4 * w * h * 3 * 2 ** -24 * (method.includes('normed') ? 2 : 2 * tt) + 5e-7 * Math.max(1, Math.abs(score));
      check(`${run}: find ${method} box`, x0 === 22 && y0 === 22 && w === 61 && h === 61, text);
      check(`${run}: find ${method} best match`, bx === r.best.x && by === r.best.y && Math.abs(score - r.best.score) <= tol,
        `page (${bx}, ${by}) ${score} vs node (${r.best.x}, ${r.best.y}) ${r.best.score}`);
    }
  } else {
    check(`${run}: find says what it needs`, (await page.locator('#find-missing').textContent()) === "needs convcorr's matchTemplate (not in this build)");
    if (!light) skipped.push('panel 3 numbers (this build has no matchTemplate)');
  }

  // 4 · delay
  if (typeof lib.xcorr === 'function' && typeof lib.findDelay === 'function') {
    for (const d of light ? [-23] : [17, -23]) {
      await page.$eval('#delay-d', (n, v) => { n.value = String(v); n.dispatchEvent(new Event('input')); }, d);
      const [est, truth, sub, peak, lag] = numbers(await page.locator('[data-check="delay-result"]').textContent());
      const { x, y } = C.delaySignals(1, 600, d, 0.5);
      const want = lib.findDelay(x, y, { maxlag: 80 });
      const wantSub = lib.findDelay(x, y, { maxlag: 80, subsample: true });
      const { r, lags } = lib.xcorr(x, y, { maxlag: 80, scale: 'normalized' });
      let p = 0;
      for (let i = 1; i < r.length; i++) if (r[i] > r[p]) p = i;
      check(`${run}: delay d=${d}`, truth === d && est === want && Math.abs(sub - wantSub) <= 5e-4 + 1e-9 && lag === lags[p] && Math.abs(peak - r[p]) <= 5e-5 + 1e-9,
        `page ${[est, truth, sub, peak, lag]} vs node ${[want, d, wantSub, r[p], lags[p]]}`);
      check(`${run}: delay d=${d} found (σ = 0.5)`, est === d, `findDelay gave ${est}`);
    }
  } else {
    check(`${run}: delay says what it needs`, (await page.locator('#delay-missing').textContent()).includes("needs convcorr's xcorr (not in this build)"));
    if (!light) skipped.push('panel 4 numbers (this build has no xcorr/findDelay)');
  }

  // 5 · train
  await page.waitForSelector('body[data-train="done"]', { timeout: 20000 });
  const set = C.trainingSet(lib);
  for (const flip of [false, true]) {
    const t = C.trainer(lib, flip, set);
    for (let s = 0; s < C.TRAIN.steps; s++) t.step();
    const shown = await page.$$eval(`#train-${flip ? 'conv' : 'corr'} span`, (ns) => ns.map((n) => n.textContent));
    const v = shown.map((s) => numbers(s)[0]);
    const target = flip ? C.rot180(C.HIDDEN_K) : C.HIDDEN_K;
    // Shown with 3 decimals: within 5e-4 of Node's run, and the run itself within 1e-2 of its target.
    check(`${run}: train flip: ${flip} kernel`, v.length === 9 && v.every((a, i) => Math.abs(a - t.w.data[i]) <= 5e-4 + 1e-6),
      `page ${v} vs node ${Array.from(t.w.data, (a) => a.toFixed(3))}`);
    check(`${run}: train flip: ${flip} learned ${flip ? 'K rotated 180°' : 'K'}`, v.every((a, i) => Math.abs(a - target[i]) <= 1e-2), `${v}`);
  }

  // 6 · race
  await page.click('#race-run');
  await page.waitForSelector('body[data-race="done"]', { timeout: 30000 });
  const rows = await page.$$eval('#race-rows tr', (trs) => trs.map((tr) => Array.from(tr.cells, (c) => c.textContent)));
  const expectRows = 3 + (typeof lib.matchTemplate === 'function') + (typeof lib.xcorr === 'function' && typeof lib.findDelay === 'function');
  check(`${run}: race rows`, rows.length === expectRows, `${rows.length} rows`);
  const backend = await page.getAttribute('body', 'data-backend');
  for (const r of rows) {
    const timed = (s) => /^\d+(\.\d+)? (ms|µs)$/.test(s);
    check(`${run}: race ${r[0]} timed`, timed(r[3]) && (backend === 'wasm' ? timed(r[2]) && /×$/.test(r[4]) : /^unavailable: .*'wasm-unsafe-eval'/.test(r[2])), r.join(' | '));
  }
  const status = await page.locator('#race-status').textContent();
  check(`${run}: race names the backend`, status.includes(`"name":"${backend}"`), status);
}

/** Run in the page: results at its own thread count and at one thread, and a hash of their bits. */
async function THREADS_PROBE() {
  const c = globalThis.convcorr;
  const r = (n, seed) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
  const x = { data: r(32 * 40 * 40, 1), shape: [1, 32, 40, 40] };
  const w = { data: r(32 * 32 * 9, 2), shape: [32, 32, 3, 3] };
  const img = { data: r(300 * 300, 3), shape: [300, 300] };
  const h = { data: r(49, 4), shape: [7, 7] };
  const sig = r(200000, 5);
  const ker = r(511, 6);
  const work = () => [c.conv2d(x, w, { padding: 1 }).data, c.ndimage.correlate(img, h).data, c.correlate(sig, ker)];
  const threads = c.getBackend().threads;
  const many = work();
  await c.init({ threads: 1 });
  const one = work();
  await c.init({ threads: 'auto' });
  const same = many.every((a, i) => a.length === one[i].length && a.every((v, j) => Object.is(v, one[i][j])));
  let hash = 0;
  for (const a of one) for (const u of new Uint32Array(a.buffer, a.byteOffset, a.length)) hash = (Math.imul(hash, 31) + u) | 0;
  return { threads, cores: navigator.hardwareConcurrency, same, hash, reason: c.getBackend().threadsReason };
}
const threadHashes = [];

const ALL_RUNS = [
  { name: 'coop-coep', server: { isolation: true, static: true }, isolated: true, backend: 'wasm' },
  { name: 'no-isolation', server: { isolation: false }, isolated: false, backend: 'wasm' },
  { name: 'strict-csp', server: { isolation: true, csp: true, static: true }, isolated: true, backend: 'js' },
];
// PLAYGROUND_RUNS=coop-coep,strict-csp runs only those (while working on one).
const RUNS = ALL_RUNS.filter((r) => !process.env.PLAYGROUND_RUNS || process.env.PLAYGROUND_RUNS.split(',').includes(r.name));
const PANELS = ['seed', 'picture', 'find', 'delay', 'train', 'race'];

checkFilterRGBA();
// The delay panel's signals: noise-free, y must be x delayed by d (y[n] = x[n − d]), the definition findDelay inverts.
for (const d of [17, -23]) {
  const { x, y } = C.delaySignals(1, 600, d, 0);
  let bad = 0;
  for (let n = Math.max(0, d); n < Math.min(600, 600 + d); n++) if (y[n] !== x[n - d]) bad++;
  check(`delaySignals d=${d}: y[n] = x[n − d]`, bad === 0, `${bad} samples differ`);
}
buildPlayground();
console.log(`set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const shots = path('test-results/playground/');
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: exe,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  for (const run of RUNS) {
    const { server, url } = await serve({ port: 0, ...run.server });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
    const errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    try {
      const t0 = Date.now();
      await page.goto(`${url}?quick`);
      await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
      const banner = await page.locator('#backend').textContent();
      check(`${run.name}: backend ${run.backend}`, (await page.getAttribute('body', 'data-backend')) === run.backend, banner);
      check(`${run.name}: cross-origin isolated ${run.isolated ? 'yes' : 'no'}`, banner.includes(`cross-origin isolated: ${run.isolated ? 'yes' : 'no'}`), banner);
      // Without isolation (or without wasm) one thread, and the page says why.
      if (!run.isolated || run.backend === 'js') check(`${run.name}: one thread, with the reason`, /threads: 1 \(.+\)/.test(banner), banner);
      if (run.backend === 'js') check(`${run.name}: the reason is shown`, /WebAssembly unavailable: this page's Content-Security-Policy refuses to compile wasm \(its script-src has no 'wasm-unsafe-eval'\)/.test(banner), banner);
      else check(`${run.name}: the wasm build is named`, /backend: wasm — (relaxed|simd|scalar) build/.test(banner), banner);
      // Threads: a pool where the page is isolated and the machine has cores to spare; the same bits on every page and
      // thread count (a layer, a filter and a long correlation, at the page's threads and at one, hashed by bits).
      const t = await page.evaluate(THREADS_PROBE);
      if (run.isolated && run.backend === 'wasm' && t.cores > 1) check(`${run.name}: a pool of ${t.cores} threads`, t.threads === t.cores, JSON.stringify(t));
      check(`${run.name}: the same bits at ${t.threads} threads and at 1`, t.same, JSON.stringify(t));
      if (run.backend === 'wasm') {
        threadHashes.push(t.hash);
        check(`${run.name}: the same bits as the other pages`, threadHashes.every((h) => h === threadHashes[0]), threadHashes.join(', '));
      }
      // The page filters ImageData bytes directly exactly when this build takes them (API.md "Inputs of every numeric type").
      const direct = C.acceptsImageBytes(lib);
      check(`${run.name}: picture path ${direct ? 'direct' : 'Float32Array copy'}`, (await page.locator('#pic-path').textContent()).startsWith(direct ? 'The canvas ImageData bytes went straight in' : 'This build takes Float32Array'));
      await drive(page, run.name, run !== RUNS[0]);
      console.log(`${run.name}: driven in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      // The first run: the whole page and every panel (the committed screenshots); every run: the header and the race.
      if (run === RUNS[0]) {
        await page.screenshot({ path: `${shots}${run.name}.png`, fullPage: true });
        for (const p of PANELS) await page.locator(`#${p}`).screenshot({ path: `${shots}${run.name}-${p}.png` });
      } else {
        await page.locator('#race').screenshot({ path: `${shots}${run.name}-race.png` });
      }
      await page.locator('header').screenshot({ path: `${shots}${run.name}-header.png` });
      check(`${run.name}: no console errors`, errors.length === 0, errors.join(' / '));
    } catch (e) {
      failures.push(`${run.name}: ${e.message.split('\n')[0]}`);
      await page.screenshot({ path: `${shots}${run.name}-failed.png`, fullPage: true }).catch(() => {});
    } finally {
      await page.close();
      server.close();
    }
  }
} finally {
  await browser.close();
}

if (REFRESH && failures.length === 0 && RUNS.length === ALL_RUNS.length) {
  const dest = path('examples/playground/screenshots/');
  mkdirSync(dest, { recursive: true });
  for (const p of PANELS) copyFileSync(`${shots}coop-coep-${p}.png`, `${dest}${p}.png`);
  copyFileSync(`${shots}strict-csp-header.png`, `${dest}strict-csp-header.png`);
  console.log('refreshed examples/playground/screenshots/');
}
for (const s of skipped) console.log(`skipped: ${s}`);
for (const f of failures) console.log(`FAILED ${f}`);
console.log(`playground: ${passed} checks passed, ${failures.length} failed (${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in test-results/playground/)`);
process.exit(failures.length ? 1 : 0);
