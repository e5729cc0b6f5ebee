// The kernel table (src/kernels/table.ts) against what it describes: every JS twin and every wasm export of every
// build matches its declaration (names, arities, dtypes, nothing undeclared), and every declared kernel, on every
// backend, writes nothing past its buffers beyond its declared allowance: each buffer's tail (the 16-byte rounding
// and the workspace's EXTRA pad) is filled with a guard byte before the call and checked after it.
// The value sweeps against naive references live in the family's own test file, named in COVERED below.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Float } from '../src/arrays';
import { jsKernels, type Kernels } from '../src/kernels';
import { colWork, rowWork } from '../src/kernels/fft';
import { panelWidth } from '../src/kernels/gemm';
import { windowSumsScratch } from '../src/kernels/similarity';
import { EXTRA_BYTES, KERNELS, bindWasm, exportName, exportStem, extraElements, wasmArity, type DTypeSuffix, type KernelDecl } from '../src/kernels/table';
import { tapTableSize, tapTable } from '../src/kernels/corr';
import { loadedModule } from '../src/wasm';
import { withWorkspace } from '../src/workspace';
import { backendCases, rng, useBackend, type BackendCase } from './helpers';

/** The guard byte of buffer i: a different one per buffer, so that a copy from one tail into another shows. */
const guard = (i: number) => 0xa1 + 2 * i;

/** One call of a kernel: pointer buffers by argument name (elements; bytes for `#` arguments), scalars by name. */
interface Case {
  sizes: Record<string, number>;
  args: Record<string, number>;
  /** Data the kernel needs well-formed (tables, offsets); everything else is random in [−1, 1). */
  init?: (mem: Float, at: Record<string, number>) => void;
}

type Maker = (bpe: number, nr: number, v: number) => Case;

const twiddles = (mem: Float, at: number, T: number) => {
  for (let j = 0; j < T; j++) {
    mem[at + 2 * j] = Math.cos((2 * Math.PI * j) / T);
    mem[at + 2 * j + 1] = -Math.sin((2 * Math.PI * j) / T);
  }
};
const panelsOf = (n: number, nr: number) => Math.ceil(n / nr);

/** Three cases per kernel (v = 0, 1, 2): sizes either side of the SIMD widths and tiles. */
const CASES: Record<keyof Kernels, Maker> = {
  corr2d: (_b, _nr, v) => {
    const [outH, outW, kh, kw] = [[1, 1, 1, 1], [3, 9, 3, 3], [5, 17, 2, 7]][v];
    const xStride = outW + kw - 1 + v;
    const outStride = outW + v;
    return { sizes: { x: (outH + kh - 1) * xStride, h: kh * kw, out: (outH - 1) * outStride + outW }, args: { xStride, kh, kw, outH, outW, outStride, accumulate: v % 2 } };
  },
  corr2dHwcU8: (bpe, _nr, v) => {
    const [outH, W, C, kh, kw] = [[1, 3, 1, 1, 1], [3, 9, 3, 3, 3], [4, 17, 4, 2, 5]][v];
    const outW = W * C;
    const xStride = (W + kw - 1) * C;
    const outStrideBytes = outW + v;
    return {
      sizes: { x: (outH + kh - 1) * xStride, h: kh * kw, outByte: (outH - 1) * outStrideBytes + outW },
      args: { xStride, kh, kw, C, outH, outW, outStrideBytes },
      // Small integers: the float32 sums are exact, as the caller guarantees.
      init: (mem, at) => {
        for (let i = 0; i < (outH + kh - 1) * xStride; i++) mem[at.x + i] = (i * 7) % 256;
        for (let i = 0; i < kh * kw; i++) mem[at.h + i] = (i % 3) - 1;
        void bpe;
      },
    };
  },
  u8Widen: (_b, _nr, v) => {
    const n = [1, 15, 67][v];
    return { sizes: { srcByte: n, dst: n }, args: { n } };
  },
  corrTaps: (bpe, _nr, v) => {
    const [outH, outW, kh, kw] = [[1, 1, 1, 1], [3, 9, 3, 3], [2, 21, 2, 5]][v];
    const xStride = outW + kw - 1;
    const n = kh * kw - (v === 2 ? 3 : 0);
    return {
      sizes: { x: (outH + kh - 1) * xStride, taps: tapTableSize(bpe, n), out: (outH - 1) * (outW + v) + outW },
      args: { xStride, n, outH, outW, outStride: outW + v },
      init: (mem, at) => {
        const t = tapTable(mem, at.taps, n);
        for (let i = 0; i < n; i++) {
          t[i] = 0.25 * (i + 1);
          t[n + i] = Math.floor(i / kw) * xStride + (i % kw);
        }
      },
    };
  },
  narrow: (_b, _nr, v) => ({ sizes: { at: [1, 3, 33][v] }, args: { n: [1, 3, 33][v] } }),
  widen: (_b, _nr, v) => ({ sizes: { at: [1, 3, 33][v] }, args: { n: [1, 3, 33][v] } }),
  gemm: (_b, nr, v) => {
    const [M, N, K] = [[1, 1, 1], [5, 9, 4], [7, 17, 9]][v];
    const lda = K + v;
    const ldc = N + v;
    return { sizes: { a: M * lda, w: panelsOf(N, nr) * (nr + K * nr), c: (M - 1) * ldc + N }, args: { M, N, K, lda, ldc } };
  },
  gemmT: (_b, nr, v) => {
    // v = 1: rows of A 2 apart (gathered); v = 2: enough panels that gemmT gathers its blocks first, one 8-row block
    // and a ragged 4-row one.
    const [M, N, K] = [[1, 1, 1], [5, 9, 4], [11, 520, 9]][v];
    const ia = v === 1 ? 2 : 1;
    const lda = M * ia + v;
    const ldc = M + 2 * v;
    return { sizes: { a: (K - 1) * lda + (M - 1) * ia + 1, w: panelsOf(N, nr) * (nr + K * nr), c: (N - 1) * ldc + M }, args: { M, N, K, lda, ia, ldc } };
  },
  convGemm: (_b, nr, v) => {
    // v = 1: a 1 × k kernel (the wasm kernel reads A in place); v = 2: stride 2, dilation 2, a channel offset.
    const [hp, wp, C, cinG, cOff, kh, kw, s, d, coutG, tileRows] = [
      [3, 5, 3, 3, 0, 3, 3, 1, 1, 5, 12], [1, 23, 5, 5, 0, 1, 9, 1, 1, 9, 12], [9, 11, 6, 3, 3, 3, 3, 2, 2, 17, 12]][v]; // v = 2: one full tile (the im2col copy's last vector may spill)
    const oh = Math.floor((hp - d * (kh - 1) - 1) / s) + 1;
    const ow = Math.floor((wp - d * (kw - 1) - 1) / s) + 1;
    const K = kh * kw * cinG;
    const ldo = coutG + v;
    return {
      sizes: { x: hp * wp * C, w: panelsOf(coutG, nr) * (nr + K * nr), out: (oh * ow - 1) * ldo + coutG, col: tileRows * K },
      args: { hp, wp, C, cOff, cinG, kd: 1, kh, kw, sd: 1, sh: s, sw: s, dd: 1, dh: d, dw: d, od: 1, oh, ow, coutG, ldo, tileRows },
    };
  },
  dwconv: (_b, _nr, v) => {
    const [hp, wp, C, k, s] = [[3, 3, 1, 3, 1], [6, 9, 5, 3, 1], [7, 12, 9, 3, 2]][v];
    const oh = Math.floor((hp - k) / s) + 1;
    const ow = Math.floor((wp - k) / s) + 1;
    return {
      sizes: { x: hp * wp * C, w: (1 + k * k) * C, out: oh * ow * C },
      args: { hp, wp, C, kd: 1, kh: k, kw: k, sd: 1, sh: s, sw: s, dd: 1, dh: 1, dw: 1, od: 1, oh, ow },
    };
  },
  transpose: (_b, _nr, v) => {
    const [rows, cols] = [[1, 1], [5, 9], [17, 33]][v];
    const lds = cols + v;
    const ldd = rows + v;
    return { sizes: { src: rows * lds, dst: (cols - 1) * ldd + rows }, args: { rows, cols, lds, ldd } };
  },
  packGemm: (_b, nr, v) => {
    const [cinG, taps, coutG] = [[1, 1, 1], [3, 9, 5], [4, 3, 17]][v];
    return {
      sizes: { src: coutG * cinG * taps, bias: coutG, dst: panelsOf(coutG, nr) * (nr + taps * cinG * nr) },
      args: { coS: cinG * taps, ciS: taps, tapS: 1, cinG, taps, coutG, flip: v % 2, hasBias: v === 2 ? 0 : 1 },
    };
  },
  padPlanes: (_b, _nr, v) => {
    const [P, h, w] = [[1, 1, 1], [2, 4, 5], [3, 6, 11]][v];
    return {
      sizes: { src: P * h * w, dst: P * (h + 2) * (w + 3) },
      args: { P, h, w, ph: h + 2, pw: w + 3, pbH: 1, pbW: v === 0 ? 0 : 2, mode: v === 0 ? 2 : v },
    };
  },
  winogradWeights: (_b, nr, v) => {
    const [C, Cout] = [[1, 1], [3, 5], [9, 13]][v];
    return {
      sizes: { src: Cout * C * 9, dst: 16 * panelsOf(Cout, nr) * (nr + C * nr) },
      args: { coS: C * 9, ciS: 9, tapS: 1, C, Cout, flip: v % 2, planeStride: 0 },
    };
  },
  winograd: (_b, nr, v) => {
    const [oh, ow, C, Cout, tileBlock] = [[1, 1, 1, 1, 1], [3, 5, 3, 5, 4], [6, 9, 9, 13, 12]][v];
    const th = Math.ceil(oh / 2);
    const tw = Math.ceil(ow / 2);
    const pw = 2 * tw + 2;
    return {
      sizes: {
        x: (2 * th + 2) * pw * C, u: 16 * panelsOf(Cout, nr) * (nr + C * nr), bias: Cout, out: oh * ow * Cout,
        v: 16 * tileBlock * C, m: 16 * tileBlock * Cout,
      },
      args: { pw, C, th, tw, oh, ow, Cout, hasBias: v % 2, tileBlock },
    };
  },
  direct3: (_b, nr, v) => {
    const [oh, ow, s, Cout] = [[1, 1, 1, 1], [3, 7, 1, 9], [4, 9, 2, 17]][v];
    const wp = (ow - 1) * s + 3;
    const ldo = Cout + v;
    return {
      sizes: { x: ((oh - 1) * s + 3) * wp * 3, w: panelsOf(Cout, nr) * (nr + 27 * nr), out: (oh * ow - 1) * ldo + Cout },
      args: { wp, sh: s, sw: s, oh, ow, Cout, ldo },
    };
  },
  dwPlanes: (_b, _nr, v) => {
    // v = 1: stride 2 (3×3 only), an odd width whose last vector reads past its row.
    // Padded planes [ph, pw]. v = 0: x holds them (mode −1); v = 1: [8, 14] planes with zeros one row above and one
    // column left, which the stride-2 kernel reads in place (no padded copy); v = 2: [H, W] planes that dwPlanes pads
    // one by one (reflected, pbH = 1 row above, pbW = 2 columns left).
    const [P, C, c0, oh, ow, kh, kw, stride] = [[1, 1, 0, 1, 1, 1, 1, 1], [3, 2, 1, 4, 7, 3, 3, 2], [5, 3, 2, 5, 13, 3, 5, 1]][v];
    const pw = (ow - 1) * stride + kw + v;
    const ph = (oh - 1) * stride + kh;
    const [H, W, pbH, pbW, mode] = [[ph, pw, 0, 0, -1], [ph - 1, pw - 2, 1, 1, 0], [ph - 2, pw - 3, 1, 2, 2]][v];
    return {
      sizes: { x: P * H * W, h: C * kh * kw, bias: C, out: P * oh * ow, tmp: oh * Math.ceil(ow / 4) * 4, pad: v === 0 ? 1 : ph * pw },
      args: { P, C, c0, H, W, ph, pw, pbH, pbW, mode, kh, kw, hasBias: v % 2, oh, ow, stride },
    };
  },
  fftCols: (_b, _nr, v) => {
    const [n, inner, count] = [[4, 1, 1], [12, 3, 2], [30, 5, 3]][v];
    const dist = n * inner + v;
    const ext = (count - 1) * dist + n * inner;
    return {
      sizes: { re: ext, im: ext, work: colWork(n), tw: 2 * n },
      // The last variant transforms the first inner − 2 sequences of each block only (a thread's share).
      args: { n, inner, width: v === 2 ? inner - 2 : inner, count, dist, twStride: 1 },
      init: (mem, at) => twiddles(mem, at.tw, n),
    };
  },
  rfftRows: (_b, _nr, v) => {
    const [m, rows, xLen] = [[2, 1, 3], [6, 3, 12], [10, 5, 17]][v];
    const specStride = m + 1 + v;
    const ext = (rows - 1) * specStride + m + 1;
    return {
      sizes: { x: rows * (xLen + v), re: ext, im: ext, work: rowWork(m), tw: 4 * m },
      args: { xLen, xStride: xLen + v, rows, specStride, m },
      init: (mem, at) => twiddles(mem, at.tw, 2 * m),
    };
  },
  irfftRows: (_b, _nr, v) => {
    const [m, rows, lo, len] = [[2, 1, 0, 4], [6, 3, 1, 9], [10, 5, 3, 17]][v];
    const specStride = m + 1 + v;
    const ext = (rows - 1) * specStride + m + 1;
    const outStride = len + v;
    return {
      sizes: { re: ext, im: ext, out: (rows - 1) * outStride + len, work: rowWork(m), tw: 4 * m },
      args: { specStride, rows, lo, len, outStride, accumulate: v % 2, m },
      init: (mem, at) => twiddles(mem, at.tw, 2 * m),
    };
  },
  fftColsMul: (_b, _nr, v) => {
    const [n, inner, count] = [[4, 1, 1], [12, 3, 2], [30, 5, 3]][v];
    const dist = n * inner + v;
    const ext = (count - 1) * dist + n * inner;
    return {
      sizes: { re: ext, im: ext, work: colWork(n), tw: 2 * n, br: ext, bi: ext },
      args: { n, inner, width: v === 2 ? inner - 2 : inner, count, dist, twStride: 1, scale: 0.25 },
      init: (mem, at) => twiddles(mem, at.tw, n),
    };
  },
  cmul: (_b, _nr, v) => {
    const n = [1, 7, 37][v];
    return { sizes: { ar: n, ai: n, br: n, bi: n }, args: { n, scale: 0.5 } };
  },
  nonFinite: (_b, _nr, v) => ({ sizes: { x: [1, 7, 37][v] }, args: { n: [1, 7, 37][v] } }),
  gradIm2col: (_b, _nr, v) => gradWalk(v),
  gradCol2im: (_b, _nr, v) => gradWalk(v),
  gradPack: (_b, nr, v) => {
    const [rows, cols] = [[1, 1], [5, 9], [13, 17]][v];
    return { sizes: { src: rows * cols, dst: panelsOf(cols, nr) * (nr + rows * nr) }, args: { rs: cols, cs: 1, rows, cols, nr } };
  },
  gradAdd: (_b, _nr, v) => ({ sizes: { dst: [1, 7, 37][v], src: [1, 7, 37][v] }, args: { n: [1, 7, 37][v] } }),
  gradWinoU: (_b, _nr, v) => {
    const [oh, ow, C, t0, nt] = [[1, 1, 1, 0, 1], [4, 5, 3, 1, 5], [7, 9, 5, 4, 9]][v];
    const tw = Math.ceil(ow / 2);
    const us = C * nt + v;
    return { sizes: { dy: C * oh * ow, u: 15 * us + C * nt }, args: { oh, ow, cs: oh * ow, C, t0, nt, tw, us } };
  },
  gradWinoV: (_b, nr, v) => {
    const [th, tw, C, t0, nt] = [[1, 1, 1, 0, 1], [2, 3, 3, 1, 5], [4, 5, 9, 3, 13]][v];
    const pw = 2 * tw + 2;
    return { sizes: { x: (2 * th + 2) * pw * C, v: 16 * panelsOf(C, nr) * (nr + nt * nr) }, args: { pw, C, t0, nt, tw, nr } };
  },
  gradWinoOut: (_b, _nr, v) => {
    const n = [1, 7, 37][v];
    const ds = n + v;
    return { sizes: { m: 16 * (n + v), d: 8 * ds + n }, args: { ms: n + v, n, ds, flip: v % 2 } };
  },
  gradDwWeight: (_b, _nr, v) => {
    const [oh, ow, k, d] = [[1, 1, 1, 1], [4, 7, 3, 1], [5, 9, 3, 2]][v];
    const ph = oh + d * (k - 1);
    const pw = ow + d * (k - 1);
    return { sizes: { x: ph * pw, dy: oh * ow, out: k * k }, args: { ph, pw, od: 1, oh, ow, kd: 1, kh: k, kw: k, dd: 1, dh: d, dw: d } };
  },
  bmul: (_b, _nr, v) => {
    const [rows, cols] = [[1, 1], [3, 7], [5, 17]][v];
    return {
      sizes: { a: rows * cols, b: cols, out: rows * cols },
      args: { aRow: cols, aCol: 1, bRow: 0, bCol: 1, rows, cols },
    };
  },
  ccorr2d: (_b, _nr, v) => {
    const [outH, outW, kh, kw] = [[1, 1, 1, 1], [3, 7, 2, 3], [4, 13, 3, 5]][v];
    const xStride = outW + kw - 1 + v;
    const outStride = outW + v;
    const xs = (outH + kh - 1) * xStride;
    const os = (outH - 1) * outStride + outW;
    return {
      sizes: { xr: xs, xi: xs, hr: kh * kw, hi: kh * kw, or: os, oi: os },
      args: { xStride, kh, kw, outH, outW, outStride, accumulate: v % 2 },
    };
  },
  transposePlane: (_b, _nr, v) => {
    const [rows, cols] = [[1, 1], [5, 9], [17, 33]][v];
    return { sizes: { src: rows * cols, dst: rows * cols }, args: { rows, cols } };
  },
  shiftPlane: (_b, _nr, v) => ({ sizes: { p: [1, 7, 37][v] }, args: { n: [1, 7, 37][v], g: 0.25 } }),
  windowSums: (bpe, _nr, v) => {
    const [W, H, h, w] = [[1, 1, 1, 1], [9, 5, 3, 3], [21, 8, 4, 5]][v];
    const f = 8 / bpe; // S, Q and the scratch hold float64
    return {
      sizes: { p: W * H, sc: windowSumsScratch(W, h) * f, S: (W - w + 1) * f, Q: (W - w + 1) * f },
      args: { W, h, w, r: 0 },
    };
  },
  scoreRow: (bpe, _nr, v) => {
    const n = [1, 7, 37][v];
    const f = 8 / bpe;
    return {
      sizes: { c: n, S: n * f, Q: n * f, out: n },
      args: { n, mode: [0, 3, 5][v], K: 9, m0: 0.1, g: 0.2, Kg2: 0.3, tn: 1.5, usedSq: 2, eps: 1e-6 },
      init: (mem, at) => {
        // Plausible sums: S in [0, 9), Q ≥ S²/K (a non-negative variance).
        const d = new Float64Array(mem.buffer, mem.byteOffset, mem.byteLength >> 3);
        const [s0, q0] = [(at.S * bpe) >> 3, (at.Q * bpe) >> 3];
        for (let i = 0; i < n; i++) {
          d[s0 + i] = 9 * ((i * 0.37) % 1);
          d[q0 + i] = (d[s0 + i] * d[s0 + i]) / 9 + i;
        }
      },
    };
  },
  matchRows: (bpe, _nr, v) => {
    const [W, H, h, w, mode] = [[1, 1, 1, 1, 5], [9, 5, 3, 3, 1], [21, 8, 4, 5, 5]][v];
    const f = 8 / bpe;
    const n = (H - h + 1) * (W - w + 1);
    return {
      sizes: { p: W * H, sc: windowSumsScratch(W, h) * f, S: (W - w + 1) * f, Q: (W - w + 1) * f, c: n, out: n },
      args: { W, h, w, r0: 0, r1: H - h + 1, mode, K: h * w, m0: 0.1, g: 0.2, Kg2: 0.04 * h * w, tn: 1.5, usedSq: 2, eps: 1e-6 },
    };
  },
};

/** gradIm2col / gradCol2im: a 2-D walk over output pixels p0 … P − 1 (so every written extent is exact). */
function gradWalk(v: number): Case {
  const [ph, pw, cinG, k, s, d, p0] = [[1, 1, 1, 1, 1, 1, 0], [5, 6, 3, 3, 1, 1, 2], [9, 11, 2, 3, 2, 2, 5]][v];
  const oh = Math.floor((ph - d * (k - 1) - 1) / s) + 1;
  const ow = Math.floor((pw - d * (k - 1) - 1) / s) + 1;
  const rows = oh * ow - p0;
  const cs = ph * pw;
  // The last pixel's last tap: the extent of x.
  const xExt = (cinG - 1) * cs + ((oh - 1) * s + (k - 1) * d) * pw + (ow - 1) * s + (k - 1) * d + 1;
  return {
    sizes: { x: xExt, col: cinG * k * k * rows },
    args: { ph, pw, cs, cinG, kd: 1, kh: k, kw: k, sd: 1, sh: s, sw: s, dd: 1, dh: d, dw: d, oh, ow, p0, rows },
  };
}

/**
 * The test file whose sweeps against naive references (test/reference/, or a plain loop in the file) reach each kernel:
 * kernel-level sweeps where the family has them, else the op-level sweeps of the op that drives the kernel.
 */
const COVERED: Record<keyof Kernels, string> = {
  corr2d: 'corr2d', corr2dHwcU8: 'numeric', u8Widen: 'numeric', corrTaps: 'ndimage-sum', narrow: 'ndimage-sum', widen: 'ndimage-sum',
  gemm: 'nn-kernels', gemmT: 'nn-kernels', convGemm: 'nn-kernels', dwconv: 'nn-kernels', transpose: 'nn-kernels', packGemm: 'nn-kernels',
  padPlanes: 'nn-kernels', winogradWeights: 'nn-kernels', winograd: 'nn-kernels', direct3: 'nn-kernels', dwPlanes: 'nn-kernels',
  fftCols: 'fft', rfftRows: 'fft', irfftRows: 'fft', cmul: 'fft', fftColsMul: 'similarity-fft', nonFinite: 'nonfinite-policy',
  gradIm2col: 'nn-grad', gradCol2im: 'nn-grad', gradPack: 'nn-grad', gradAdd: 'nn-grad', gradWinoU: 'nn-grad', gradWinoV: 'nn-grad',
  gradWinoOut: 'nn-grad', gradDwWeight: 'nn-grad',
  bmul: 'broadcast', ccorr2d: 'complex', transposePlane: 'complex',
  shiftPlane: 'similarity-kernels', windowSums: 'similarity-kernels', scoreRow: 'similarity-kernels', matchRows: 'similarity-kernels',
};

const pointers = (d: KernelDecl) => d.args.filter((a) => a.kind === 'element' || a.kind === 'byte');

describe('the kernel table', () => {
  it('declares every JS twin once, with the twin\'s arity (1 + its arguments), JS-only arguments last', () => {
    const names = KERNELS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(jsKernels).sort());
    for (const d of KERNELS) {
      const f = (jsKernels as unknown as Record<string, (...a: unknown[]) => unknown>)[d.name];
      expect(f.length, `${d.name}: JS twin arity`).toBe(1 + d.args.length);
      const firstJs = d.args.findIndex((a) => a.kind === 'js');
      if (firstJs >= 0) expect(d.args.slice(firstJs).every((a) => a.kind === 'js'), `${d.name}: JS-only arguments last`).toBe(true);
      expect(new Set(d.args.map((a) => a.name)).size, `${d.name}: argument names`).toBe(d.args.length);
    }
  });

  it('binds every kernel through a slot of its own (scripts/gen-binders.mjs is up to date), scaling exactly the pointers', () => {
    for (const bpe of [4, 8]) {
      const seen: { stem: string; args: number[] }[] = [];
      const exp = (stem: string) => (...args: number[]) => {
        seen.push({ stem, args });
      };
      const k = bindWasm(exp, bpe) as Record<string, (...a: number[]) => unknown>;
      for (const d of KERNELS) {
        if (!d.dtypes.includes(bpe === 4 ? 'f32' : 'f64')) continue;
        seen.length = 0;
        // Argument i is 10 + i: a pointer must arrive as (10 + i)·bpe, anything else as is, JS-only ones dropped.
        k[d.name](0, ...d.args.map((_, i) => 10 + i));
        const want = d.args.flatMap((a, i) => (a.kind === 'js' ? [] : [a.kind === 'element' ? (10 + i) * bpe : 10 + i]));
        expect(seen, `${d.name} bound for ${bpe}-byte elements`).toEqual([{ stem: exportStem(d.name), args: want }]);
      }
    }
  });

  it('declares allowances only on pointer arguments, each covered by the EXTRA pad', () => {
    for (const d of KERNELS) {
      for (const [which, allow] of [['reads', d.reads], ['writes', d.writes]] as const) {
        for (const [name, bytes] of Object.entries(allow)) {
          const a = d.args.find((x) => x.name === name);
          expect(a && (a.kind === 'element' || a.kind === 'byte'), `${d.name}.${which}.${name} names a pointer`).toBe(true);
          if (which === 'writes') expect(a!.writes, `${d.name}.${name} is declared written`).toBe(true);
          expect(bytes, `${d.name}.${which}.${name}`).toBeGreaterThan(0);
          expect(bytes, `${d.name}.${which}.${name} ≤ EXTRA_BYTES`).toBeLessThanOrEqual(EXTRA_BYTES);
        }
      }
    }
  });

  it('names, for every kernel, an existing test file that sweeps it against a naive reference', () => {
    for (const d of KERNELS) {
      const file = COVERED[d.name as keyof Kernels];
      expect(file && existsSync(new URL(`./${file}.test.ts`, import.meta.url)), `${d.name}: ${file}.test.ts`).toBe(true);
    }
  });
});

const wasmCases = backendCases().filter((c): c is Exclude<BackendCase, 'js'> => c !== 'js');

describe.each(wasmCases)('the %s build against the kernel table', (variant) => {
  beforeAll(() => useBackend(variant));
  it('exports each declared kernel for each declared dtype with the declared arity, and nothing undeclared', () => {
    const exports = loadedModule(variant)!.exports as unknown as Record<string, unknown>;
    const expected = new Map<string, number>();
    for (const d of KERNELS) for (const t of d.dtypes) expected.set(exportName(d.name, t), wasmArity(d));
    for (const [name, arity] of expected) {
      expect(typeof exports[name], `export ${name}`).toBe('function');
      expect((exports[name] as (...a: unknown[]) => unknown).length, `export ${name} arity`).toBe(arity);
    }
    // The module's plumbing, not kernels: its memory, where the caller's arena starts, each instance's GEMM pack block.
    const plumbing = ['memory', 'heapBase', 'setPackBuffer'];
    const extra = Object.keys(exports).filter((n) => !expected.has(n) && !plumbing.includes(n));
    expect(extra, 'exports no declaration names').toEqual([]);
  });
});

describe.each(backendCases())('declared over-write allowances on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float32', 'float64'] as const) {
    const sfx: DTypeSuffix = dtype === 'float32' ? 'f32' : 'f64';
    it(`${dtype}: every kernel leaves the tail of each buffer past its allowance untouched`, () => {
      for (const d of KERNELS) {
        if (!d.dtypes.includes(sfx)) continue;
        for (let v = 0; v < 3; v++) guardCheck(d, dtype, v);
      }
    });
  }
});

function guardCheck(d: KernelDecl, dtype: 'float32' | 'float64', v: number): void {
  const bpe = dtype === 'float32' ? 4 : 8;
  const nr = panelWidth(dtype);
  const c = CASES[d.name as keyof Kernels](bpe, nr, v);
  const ptrs = pointers(d);
  const elems = ptrs.map((a) => (a.kind === 'byte' ? Math.ceil(c.sizes[a.name] / bpe) : c.sizes[a.name]));
  const per = 16 / bpe;
  const id = `${d.name} ${dtype} case ${v}`;
  const bad = withWorkspace('kernel table test', undefined, dtype, elems, ({ mem, off, k }) => {
    const bytes = new Uint8Array(mem.buffer, mem.byteOffset, mem.byteLength);
    const r = rng(v * 1000 + d.name.length);
    const at: Record<string, number> = {};
    const slots: { name: string; start: number; extent: number; end: number; allow: number; g: number }[] = [];
    ptrs.forEach((a, i) => {
      at[a.name] = off[i];
      const start = off[i] * bpe;
      const extent = a.kind === 'byte' ? c.sizes[a.name] : c.sizes[a.name] * bpe;
      const end = (off[i] + Math.ceil(elems[i] / per) * per + extraElements(bpe)) * bpe;
      for (let e = off[i]; e < off[i] + elems[i]; e++) mem[e] = 2 * r() - 1;
      slots.push({ name: a.name, start, extent, end, allow: d.writes[a.name] ?? 0, g: guard(i) });
    });
    c.init?.(mem, at);
    // The tails are filled last: a well-formed table or plane above may not spill into them.
    for (const s of slots) bytes.fill(s.g, s.start + s.extent, s.end);
    const args = d.args.map((a) => (a.kind === 'element' ? at[a.name] : a.kind === 'byte' ? at[a.name] * bpe : a.kind === 'js' ? nr : c.args[a.name]));
    for (const a of d.args) if (a.kind === 'scalar' && c.args[a.name] === undefined) throw new Error(`${id}: no value for ${a.name}`);
    (k as unknown as Record<string, (...x: unknown[]) => unknown>)[d.name](mem, ...args);
    const found: string[] = [];
    for (const s of slots) {
      for (let b = s.start + s.extent + s.allow; b < s.end; b++) {
        if (bytes[b] !== s.g) {
          found.push(`${s.name}: byte ${b - s.start - s.extent} past its ${s.extent}-byte extent (allowance ${s.allow})`);
          break;
        }
      }
    }
    return found;
  });
  expect(bad, id).toEqual([]);
}
