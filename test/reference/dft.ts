// The slow reference for the FFT, straight from the definition and never optimised (no code from src/):
//   X[k] = Σ_{j<n} x[j] · e^{−2πi·jk/n}   (forward, unnormalised; the inverse uses e^{+2πi·jk/n})
// in float64, O(n²), on split re/im arrays.

export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

export function dft(re: ArrayLike<number>, im: ArrayLike<number>, inverse = false): Complex {
  const n = re.length;
  const out = { re: new Float64Array(n), im: new Float64Array(n) };
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      // (j·k) mod n keeps the angle small, so the reference stays accurate for large n.
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      sr += re[j] * c - im[j] * s;
      si += re[j] * s + im[j] * c;
    }
    out.re[k] = sr;
    out.im[k] = si;
  }
  return out;
}

/** The spectrum of a real signal: bins 0 … ⌊n/2⌋ of its DFT. */
export function rdft(x: ArrayLike<number>): Complex {
  const full = dft(x, new Float64Array(x.length));
  const h = Math.floor(x.length / 2) + 1;
  return { re: full.re.slice(0, h), im: full.im.slice(0, h) };
}
