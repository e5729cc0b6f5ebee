// Does a CNN learn a convolution or a cross-correlation? Filter random images with a known asymmetric 3×3 kernel K,
// then train one conv2d layer (1 → 1 channel, 3×3, with bias) by plain SGD from random weights to reproduce them:
// once as conv layers compute (cross-correlation) and once with `flip: true` (true convolution). The first learns K,
// the second K flipped on both axes: the layer absorbs the flip. Run with `npm run demo:train`.
// Writes examples/learn-kernel/learned-kernels.svg (the kernels and both loss curves).
import { writeFileSync } from 'node:fs';
import { conv2d, conv2dBackward, getBackend, initSync } from '../../dist/index.js';

const K = [
  [1.0, 2.0, 0.0],
  [-1.0, 0.5, 3.0],
  [0.0, -2.0, -0.5],
];
const STEPS = 60;
const BATCH = 4;
const IMAGES = 16;
const SIZE = 24;
const LR = 0.6;

/** mulberry32: the same images and initial weights on every run. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

initSync();
const rand = rng(2024);
const images = Array.from({ length: IMAGES }, () => ({ data: Float32Array.from({ length: SIZE * SIZE }, () => rand() * 2 - 1), shape: [1, 1, SIZE, SIZE] }));
const kernel = { data: Float32Array.from(K.flat()), shape: [1, 1, 3, 3] };
// The targets: each image filtered with K, as conv2d computes it (cross-correlation, 'same' zero padding).
const targets = images.map((x) => conv2d(x, kernel, { padding: 'same' }));

function train(flip) {
  const r = rng(7);
  const w = { data: Float32Array.from({ length: 9 }, () => r() * 2 - 1), shape: [1, 1, 3, 3] };
  const bias = new Float32Array([r() - 0.5]);
  const opts = { padding: 'same', flip };
  const losses = [];
  for (let step = 0; step < STEPS; step++) {
    // A mini-batch of images stacked along N, the mean squared error over its pixels and its gradient.
    const pick = Array.from({ length: BATCH }, (_, i) => (step * BATCH + i) % IMAGES);
    const x = { data: new Float32Array(BATCH * SIZE * SIZE), shape: [BATCH, 1, SIZE, SIZE] };
    const t = new Float32Array(BATCH * SIZE * SIZE);
    pick.forEach((j, i) => {
      x.data.set(images[j].data, i * SIZE * SIZE);
      t.set(targets[j].data, i * SIZE * SIZE);
    });
    const y = conv2d(x, w, { ...opts, bias });
    const dy = { data: new Float32Array(y.data.length), shape: y.shape };
    let loss = 0;
    for (let i = 0; i < y.data.length; i++) {
      const e = y.data[i] - t[i];
      loss += (e * e) / y.data.length;
      dy.data[i] = (2 * e) / y.data.length;
    }
    losses.push(loss);
    const g = conv2dBackward(x, w, dy, { ...opts, bias });
    for (let i = 0; i < 9; i++) w.data[i] -= LR * g.gradWeight.data[i];
    bias[0] -= LR * g.gradBias[0];
  }
  return { w: Array.from(w.data), bias: bias[0], losses };
}

/** Fixed decimals without a '-0.00' for values that round to zero. */
const fix = (v, d) => (Math.abs(v) < 0.5 * 10 ** -d ? 0 : v).toFixed(d);
const grid = (a) => [0, 1, 2].map((i) => a.slice(3 * i, 3 * i + 3).map((v) => fix(v, 3).padStart(7)).join(' '));
const maxDiff = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
const flipped = K.flat().slice().reverse();

console.log(`backend: ${getBackend().name}${getBackend().variant ? ` (${getBackend().variant})` : ''}`);
console.log(`${IMAGES} random ${SIZE}×${SIZE} images filtered with K; SGD, batch ${BATCH}, learning rate ${LR}, ${STEPS} steps\n`);
const corr = train(false);
const conv = train(true);
const rows = [
  ['K (target)', grid(K.flat())],
  ['learned, flip: false', grid(corr.w)],
  ['learned, flip: true', grid(conv.w)],
];
console.log(rows.map(([t]) => t.padEnd(26)).join(''));
for (let i = 0; i < 3; i++) console.log(rows.map(([, g]) => g[i].padEnd(26)).join(''));
console.log(`\nlearned biases: ${corr.bias.toExponential(1)} and ${conv.bias.toExponential(1)} (the targets have none)`);
console.log('\nloss (mean squared error) by step:');
console.log('  step   flip: false    flip: true');
for (const s of [0, 1, 2, 5, 10, 20, 40, STEPS - 1]) {
  console.log(`  ${String(s).padStart(4)}   ${corr.losses[s].toExponential(3).padStart(11)}   ${conv.losses[s].toExponential(3).padStart(11)}`);
}
const e1 = maxDiff(corr.w, K.flat());
const e2 = maxDiff(conv.w, flipped);
console.log(`\nmax |learned − K|             (flip: false) = ${e1.toExponential(2)}`);
console.log(`max |learned − K flipped 2×|  (flip: true)  = ${e2.toExponential(2)}`);
console.log('The correlation layer learns K itself; the convolution layer learns K rotated by 180°: the flip is absorbed.');

writeFileSync(new URL('./learned-kernels.svg', import.meta.url), svg(K.flat(), corr, conv));
console.log('wrote examples/learn-kernel/learned-kernels.svg');
if (!(e1 < 1e-2 && e2 < 1e-2)) {
  console.error('FAILED: a learned kernel is not within 1e-2 of its expected value');
  process.exit(1);
}

/** The three kernels as heat maps and both loss curves on a log scale, hand-written SVG. */
function svg(k, a, b) {
  const W = 900;
  const H = 500;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`];
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="30" font-size="20" text-anchor="middle" fill="#222">One conv2d layer trained by SGD to reproduce images filtered with K</text>`);
  const scale = Math.max(...k.map(Math.abs));
  const color = (v) => {
    const t = Math.max(-1, Math.min(1, v / scale));
    const mix = (c) => Math.round(255 + (c - 255) * Math.abs(t));
    return t >= 0 ? `rgb(${mix(202)},${mix(0)},${mix(32)})` : `rgb(${mix(5)},${mix(113)},${mix(176)})`;
  };
  const heat = (x0, title, sub, v) => {
    const cell = 44;
    const y0 = 78;
    out.push(`<text x="${x0 + 1.5 * cell}" y="${y0 - 16}" font-size="15" text-anchor="middle" fill="#222">${title}</text>`);
    for (let i = 0; i < 9; i++) {
      const x = x0 + (i % 3) * cell;
      const y = y0 + Math.floor(i / 3) * cell;
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${color(v[i])}" stroke="#555" stroke-width="1"/>`);
      out.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 5}" font-size="13" text-anchor="middle" fill="${Math.abs(v[i]) / scale > 0.6 ? '#fff' : '#111'}">${fix(v[i], 2)}</text>`);
    }
    out.push(`<text x="${x0 + 1.5 * cell}" y="${y0 + 3 * cell + 20}" font-size="13" text-anchor="middle" fill="#555">${sub}</text>`);
  };
  heat(90, 'target K', 'filters the images (correlation)', k);
  heat(384, 'learned, flip: false', `= K (max error ${maxDiff(a.w, k).toExponential(0)})`, a.w);
  heat(678, 'learned, flip: true', `= K rotated 180° (max error ${maxDiff(b.w, k.slice().reverse()).toExponential(0)})`, b.w);
  // Loss curves, log10 scale.
  const px = 90, py = 290, pw = 740, ph = 160;
  const all = [...a.losses, ...b.losses].filter((v) => v > 0);
  const top = Math.ceil(Math.log10(Math.max(...all)));
  const bottom = Math.floor(Math.log10(Math.min(...all)));
  const X = (i) => px + (i / (STEPS - 1)) * pw;
  const Y = (v) => py + ((top - Math.log10(Math.max(v, 10 ** bottom))) / (top - bottom)) * ph;
  out.push(`<text x="${px + pw / 2}" y="${py - 14}" font-size="15" text-anchor="middle" fill="#222">training loss (mean squared error, log scale)</text>`);
  for (let e = bottom; e <= top; e += Math.max(1, Math.round((top - bottom) / 6))) {
    out.push(`<line x1="${px}" y1="${Y(10 ** e)}" x2="${px + pw}" y2="${Y(10 ** e)}" stroke="#ddd"/>`);
    out.push(`<text x="${px - 8}" y="${Y(10 ** e) + 4}" font-size="12" text-anchor="end" fill="#555">1e${e}</text>`);
  }
  for (let s = 0; s < STEPS; s += 10) out.push(`<text x="${X(s)}" y="${py + ph + 18}" font-size="12" text-anchor="middle" fill="#555">${s}</text>`);
  out.push(`<text x="${px + pw / 2}" y="${py + ph + 36}" font-size="13" text-anchor="middle" fill="#555">SGD step</text>`);
  out.push(`<rect x="${px}" y="${py}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  const line = (ls, c, dash) => `<polyline fill="none" stroke="${c}" stroke-width="2.5"${dash ? ' stroke-dasharray="7 5"' : ''} points="${ls.map((v, i) => `${X(i).toFixed(1)},${Y(v).toFixed(1)}`).join(' ')}"/>`;
  out.push(line(a.losses, '#0571b0', false));
  out.push(line(b.losses, '#ca0020', true));
  out.push(`<line x1="${px + pw - 200}" y1="${py + 20}" x2="${px + pw - 170}" y2="${py + 20}" stroke="#0571b0" stroke-width="2.5"/>`);
  out.push(`<text x="${px + pw - 162}" y="${py + 24}" font-size="13" fill="#222">flip: false (correlation)</text>`);
  out.push(`<line x1="${px + pw - 200}" y1="${py + 42}" x2="${px + pw - 170}" y2="${py + 42}" stroke="#ca0020" stroke-width="2.5" stroke-dasharray="7 5"/>`);
  out.push(`<text x="${px + pw - 162}" y="${py + 46}" font-size="13" fill="#222">flip: true (convolution)</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
