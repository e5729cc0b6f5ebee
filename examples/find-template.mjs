// Locate a patch in an image: matchTemplate 'ccoeff-normed' (OpenCV's TM_CCOEFF_NORMED), then the best score with
// minMaxLoc. The image is a smooth random texture with noise; the template is a 24×32 patch cut out of it.
// Run with `node examples/find-template.mjs` after `npm run build`.
import { matchTemplate, minMaxLoc } from '../dist/index.js';

// A deterministic PRNG (mulberry32), so that every run prints the same.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const H = 200;
const W = 300;
const r = rng(7);
const image = { data: new Float32Array(H * W), shape: [H, W] };
for (let i = 0; i < H; i++) {
  for (let j = 0; j < W; j++) {
    image.data[i * W + j] = Math.sin(i * 0.11 + 2 * Math.sin(j * 0.05)) + Math.cos(j * 0.13 - i * 0.02) + 0.3 * r();
  }
}

const [top, left, h, w] = [37, 81, 24, 32];
const templ = { data: new Float32Array(h * w), shape: [h, w] };
for (let i = 0; i < h; i++) templ.data.set(image.data.subarray((top + i) * W + left, (top + i) * W + left + w), i * w);

const scores = matchTemplate(image, templ); // [H − h + 1, W − w + 1], method 'ccoeff-normed'
const { maxVal, maxLoc } = minMaxLoc(scores);
const [row, col] = maxLoc;
console.log(`scores: ${scores.shape.join('×')} (one per placement of the ${h}×${w} template)`);
console.log(`found at row ${row}, col ${col} (box rows ${row}–${row + h - 1}, cols ${col}–${col + w - 1}), score ${maxVal.toFixed(3)}`);
console.log(`hidden at row ${top}, col ${left}`);
