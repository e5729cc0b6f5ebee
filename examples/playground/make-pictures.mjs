// Draws the playground's two test pictures from code and writes them as PNGs (8-bit RGB, no colour chunks, so a
// browser canvas reads back exactly these bytes). Public domain: nothing here is taken from anywhere.
// Run: node examples/playground/make-pictures.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/** A picture W×H as RGB floats; `paint(x, y)` returns [r, g, b] in 0…255 or undefined (keep what is there). */
function picture(W, H, layers) {
  const px = new Float32Array(W * H * 3);
  for (const paint of layers) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        // 4×4 supersampling: smooth edges make the filters' output easier to read.
        let r = 0, g = 0, b = 0, hit = 0;
        for (let s = 0; s < 16; s++) {
          const c = paint(x + ((s & 3) + 0.5) / 4, y + ((s >> 2) + 0.5) / 4);
          if (c) { r += c[0]; g += c[1]; b += c[2]; hit++; }
        }
        if (!hit) continue;
        const i = (y * W + x) * 3;
        const a = hit / 16;
        px[i] = px[i] * (1 - a) + (r / hit) * a;
        px[i + 1] = px[i + 1] * (1 - a) + (g / hit) * a;
        px[i + 2] = px[i + 2] * (1 - a) + (b / hit) * a;
      }
    }
  }
  return { W, H, px };
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
/** PNG encoder: colour type 2 (RGB), bit depth 8, filter 0 on every row (https://www.w3.org/TR/png/). */
function png({ W, H, px }) {
  const raw = Buffer.alloc(H * (1 + 3 * W));
  for (let y = 0; y < H; y++) {
    for (let i = 0; i < 3 * W; i++) raw[y * (1 + 3 * W) + 1 + i] = Math.max(0, Math.min(255, Math.round(px[y * 3 * W + i])));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(W, 0);
  ihdr.writeUInt32BE(H, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inCircle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const inBox = (x0, y0, x1, y1) => (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1;
/** Inside a convex polygon (either orientation): the point is on the same side of every edge. */
const inPoly = (pts) => (x, y) => {
  const side = pts.map(([ax, ay], i) => {
    const [bx, by] = pts[(i + 1) % pts.length];
    return Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax));
  });
  return side.every((s) => s >= 0) || side.every((s) => s <= 0);
};
const fill = (test, rgb) => (x, y) => (test(x, y) ? rgb : undefined);

// 1. Shapes: flat regions with straight, curved and diagonal edges (Sobel and emboss show their direction), a few
//    distinct objects to find with "Find it", and a stripe pattern for the blur.
const shapes = picture(240, 160, [
  (x, y) => [40 + 0.5 * y, 60 + 0.3 * x, 120 + 0.3 * y],
  fill(inCircle(52, 52, 30), [240, 200, 40]),
  fill(inBox(110, 20, 160, 70), [220, 60, 50]),
  fill(inPoly([[190, 20], [228, 80], [170, 80]]), [60, 200, 90]),
  fill(inBox(20, 100, 100, 140), [250, 250, 250]),
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => fill(inBox(24 + 10 * k, 104, 29 + 10 * k, 136), [20, 20, 30])),
  fill(inCircle(150, 120, 22), [30, 30, 40]),
  fill(inCircle(150, 120, 12), [100, 220, 240]),
  fill(inPoly([[190, 100], [226, 100], [226, 148]]), [250, 140, 20]),
]);

// 2. Landscape: smooth gradients and soft shapes, where a Gaussian barely changes anything and a Laplacian finds
//    only the outlines.
const landscape = picture(240, 160, [
  (x, y) => [90 + 0.9 * y, 150 + 0.5 * y, 235 - 0.2 * y],
  fill(inCircle(190, 38, 18), [255, 230, 120]),
  (x, y) => (y > 95 + 14 * Math.sin(x / 23) ? [70 + 0.2 * x, 130 - 0.1 * y, 60] : undefined),
  (x, y) => (y > 120 + 6 * Math.sin(x / 11 + 1) ? [40, 95 + 0.2 * (y - 120), 45] : undefined),
  fill(inBox(58, 92, 92, 122), [230, 220, 200]),
  fill(inPoly([[54, 92], [96, 92], [75, 70]]), [160, 50, 40]),
  fill(inBox(70, 105, 80, 122), [90, 60, 40]),
  fill(inBox(62, 97, 68, 103), [80, 140, 200]),
]);

for (const [name, pic] of [['shapes', shapes], ['landscape', landscape]]) {
  writeFileSync(new URL(`./pictures/${name}.png`, import.meta.url), png(pic));
  console.log(`wrote examples/playground/pictures/${name}.png (${pic.W}×${pic.H})`);
}
