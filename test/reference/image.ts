// Per-channel 2-D correlation of an interleaved [H, W, C] image with a [kh, kw] kernel, scipy.ndimage's formula
// (weights centred at ⌊k/2⌋, no origin), summed in float64 over the taps in C order from 0 as SciPy does, in plain
// loops: fast enough for images of a few hundred thousand values.
import { extIndex, type Ext } from './nd';

export function correlateHwcRef(
  x: ArrayLike<number>, H: number, W: number, C: number, w: ArrayLike<number>, kh: number, kw: number, mode: Ext, cval: number,
): Float64Array {
  const out = new Float64Array(H * W * C);
  const rows = Array.from({ length: kh }, (_, i) => i);
  const cols = Array.from({ length: kw }, (_, j) => j);
  for (let y = 0; y < H; y++) {
    const ys = rows.map((i) => extIndex(y + i - (kh >> 1), H, mode));
    for (let xx = 0; xx < W; xx++) {
      const xs = cols.map((j) => extIndex(xx + j - (kw >> 1), W, mode));
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const v = ys[i] < 0 || xs[j] < 0 ? cval : x[(ys[i] * W + xs[j]) * C + c];
            s += v * w[i * kw + j];
          }
        }
        out[(y * W + xx) * C + c] = s;
      }
    }
  }
  return out;
}
