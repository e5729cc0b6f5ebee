// The convolution kernels and every fast path of conv1d/2d/3d against naive loops: the packed GEMM microkernel and
// the transpose on sizes either side of the SIMD tiles (1, 3, 4, 5, 7, 8, 9, 17) with guard values around the
// output, and seeded random convolutions (fast-check) per path — depthwise, 1×1 GEMM, direct 3-channel 3×3, im2col
// GEMM — against test/reference/conv.ts, in both layouts, with flip; plus the identity flip = correlation with the
// reversed kernel. Each random case also runs with the `output` option: the same values, written into the given array.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv1d, conv2d, conv3d, type NDArray } from '../src/index';
import { panelWidth } from '../src/kernels/gemm';
import { convPath, planForward, runConv, runForward, type ConvPath } from '../src/nn/conv';
import { planGradInput } from '../src/nn/grad-input';
import { planGradWeight } from '../src/nn/grad-weight';
import { planConv, planConvTranspose } from '../src/nn/plan';
import { planBackend, withWorkspace } from '../src/workspace';
import { backendCases, firstDiff, randomArray, rng, shared, useBackend } from './helpers';
import { convLayerTol, expectWithin, sumTol, winogradMag } from './tolerance';
import { flipSpatial, permute, refConv, toChannelsLast, weightToChannelsLast, type RefPaddingMode } from './reference/conv';

const EDGE = [1, 3, 4, 5, 7, 8, 9, 17];
const GUARD = 12345.5;
const ops = [conv1d, conv2d, conv3d];

/**
 * gemm on M × K times K × N (bias, lda/ldc wider than the data, guards after each output row) against a plain loop;
 * with `t`, gemmT: A stored as K rows of M (A[i, k] at k·lda + i·ia) and C as N rows of M, guards after each.
 */
function checkGemm(dtype: 'float32' | 'float64', M: number, N: number, K: number, t = false, ia = 1, ldcAs?: number): void {
  const nr = panelWidth(dtype);
  const lda = (t ? M * ia : K) + 3;
  const ldc = ldcAs ?? (t ? M : N) + 2;
  const aAt = (i: number, k: number) => (t ? k * lda + i * ia : i * lda + k);
  const cAt = (i: number, j: number) => (t ? j * ldc + i : i * ldc + j);
  const A = randomArray((t ? K : M) * lda, M * 100 + K, 'float64');
  const B = randomArray(K * N, N * 7 + K, 'float64');
  const bias = randomArray(N, N + 1, 'float64');
  const panels = Math.ceil(N / nr);
  const wSize = panels * (nr + K * nr);
  const cSize = (t ? N : M) * ldc;
  const got = withWorkspace('test', undefined, dtype, [A.length, wSize, cSize], (ws) => {
    const [a, w, c] = ws.off;
    ws.mem.set(A, a);
    for (let p = 0; p < panels; p++) {
      for (let r = 0; r < nr; r++) {
        const j = p * nr + r;
        const base = w + p * (nr + K * nr);
        ws.mem[base + r] = j < N ? bias[j] : 0;
        for (let k = 0; k < K; k++) ws.mem[base + nr + k * nr + r] = j < N ? B[k * N + j] : 0;
      }
    }
    ws.mem.fill(GUARD, c, c + cSize);
    if (t) ws.k.gemmT(ws.mem, M, N, K, a, lda, ia, w, c, ldc, nr);
    else ws.k.gemm(ws.mem, M, N, K, a, lda, w, c, ldc, nr);
    return ws.mem.slice(c, c + cSize);
  });
  // A K-term sum of products in the dtype, each factor first rounded to it: |error| ≤ (K + 3)·u·(|bias| + Σ|a·b|).
  // Checked in a loop and asserted once (an expect per element cost more than the kernel): the same conditions.
  const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  const bad: string[] = [];
  for (let i = 0; i < (t ? ldc : M); i++) {
    for (let j = 0; j < (t ? N : ldc); j++) {
      if (i >= M || j >= N) {
        if (!Object.is(got[cAt(i, j)], GUARD)) bad.push(`guard at row ${i} column ${j} is ${got[cAt(i, j)]}`);
        continue;
      }
      let s = bias[j];
      let mag = Math.abs(bias[j]);
      for (let k = 0; k < K; k++) {
        s += A[aAt(i, k)] * B[k * N + j];
        mag += Math.abs(A[aAt(i, k)] * B[k * N + j]);
      }
      if (!(Math.abs(got[cAt(i, j)] - s) <= (K + 3) * u * mag)) bad.push(`C[${i}, ${j}] = ${got[cAt(i, j)]}, reference ${s}`);
    }
  }
  expect(bad.slice(0, 4), `${t ? 'gemmT' : 'gemm'} M=${M} N=${N} K=${K} ia=${ia}: ${bad.length} wrong`).toEqual([]);
}

/** The transpose kernel on src (rows × cols, row stride lds) into n elements filled with GUARD first, row stride ldd. */
function transposed(
  dtype: 'float32' | 'float64', src: ArrayLike<number>, rows: number, cols: number, lds: number, ldd: number, n: number,
): Float32Array | Float64Array {
  return withWorkspace('test', undefined, dtype, [rows * lds, n], (ws) => {
    const [s, d] = ws.off;
    ws.mem.set(src, s);
    ws.mem.fill(GUARD, d, d + n);
    ws.k.transpose(ws.mem, s, rows, cols, lds, d, ldd);
    return ws.mem.slice(d, d + n);
  });
}

describe.each(backendCases())('conv kernels on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const dtype of ['float64', 'float32'] as const) {
    it(`gemm ${dtype}: every M, N, K in ${EDGE.join(', ')} with lda/ldc > width and guards`, () => {
      for (const M of EDGE) for (const N of EDGE) for (const K of [1, 4, 9, 17]) checkGemm(dtype, M, N, K);
    });

    it(`gemm ${dtype}: rows either side of the old 32 KiB packing limit, across several groups of weight panels`, () => {
      // The packing scratch held K ≤ 2048 float32 (1024 float64) until issue 16; both sides now take the packed tile,
      // and N = 120 at K = 4608 / 2304 spans two groups of panels (PANEL_GROUP_BYTES: 112 columns), the last ragged.
      const K = dtype === 'float32' ? 2048 : 1024;
      for (const k of [K - 1, K, K + 1]) for (const [M, N] of [[5, 17], [4, 9], [3, 8]]) checkGemm(dtype, M, N, k);
      checkGemm(dtype, 6, 120, dtype === 'float32' ? 4608 : 2304);
    });

    it(`gemm ${dtype}: rows too long for the packing scratch (256 KiB a 4-row block) take the unpacked tile`, () => {
      const K = dtype === 'float32' ? 16384 : 8192;
      checkGemm(dtype, 5, 17, K + 1);
      checkGemm(dtype, 5, 17, K); // the longest rows that still pack
    });

    it(`gemmT ${dtype}: every M, N, K in ${EDGE.join(', ')}, A and C transposed, lda/ldc > height and guards`, () => {
      for (const M of EDGE) for (const N of EDGE) for (const K of [1, 4, 9, 17]) checkGemm(dtype, M, N, K, true);
    });

    it(`gemmT ${dtype}: rows of A 2 and 3 apart (a row of output pixels at a stride), gathered, or too long to gather`, () => {
      for (const ia of [2, 3]) for (const M of EDGE) for (const N of [1, 9, 17]) for (const K of [1, 9]) checkGemm(dtype, M, N, K, true, ia);
      checkGemm(dtype, 5, 17, dtype === 'float32' ? 16385 : 8193, true, 2);
    });

    it(`gemmT ${dtype}: 4-row blocks gathered before the tile (64 panels or more, or K ≥ 256), two groups of panels`, () => {
      // N either side of 64 panels; K either side of 256; N = 120 at K = 4608 spans two groups of panels
      // (PANEL_GROUP_BYTES), the last ragged.
      const P = 64 * panelWidth(dtype);
      for (const N of [P - 1, P, P + 8]) for (const [M, K] of [[5, 17], [4, 9], [13, 40]]) checkGemm(dtype, M, N, K, true);
      for (const k of [255, 256, 300, 600]) for (const [M, N] of [[7, 17], [4, 8], [9, 3]]) checkGemm(dtype, M, N, k, true);
      checkGemm(dtype, 6, 120, dtype === 'float32' ? 4608 : 2304, true);
    });

    it(`gemmT ${dtype}: C's planes a multiple of 4 KiB apart (gathered in bands, run panel by panel), ragged blocks and panels`, () => {
      // ldc = 1024 elements: 4 KiB (float32) or 8 KiB (float64) between planes; M up to a band of 64 rows and past it.
      for (const M of [1, 5, 64, 67, 1021, 1024]) for (const [N, K] of [[17, 9], [8, 1], [3, 40], [9, 300]]) checkGemm(dtype, M, N, K, true, 1, 1024);
    });

    it(`gemmT ${dtype}: 8-row tiles (float32: rows in lanes, half panels) on 8–49 rows, ragged halves, in place and gathered`, () => {
      // M ≥ 8 at unit row step takes the 8-row tile (the last M mod 8 rows the 4-row one); N = 1…17 leaves 1–4 columns
      // in a half panel; K ≥ 256 or 64 panels gather each 8-row block first; lda = M + 3 leaves rows unaligned. N = 120
      // at K = 4608 spans two groups of panels, the last ragged.
      for (const M of [8, 15, 16, 24, 49]) {
        for (const [N, K] of [[1, 1], [4, 16], [5, 9], [12, 33], [17, 255], [9, 256], [64 * panelWidth(dtype), 3]]) checkGemm(dtype, M, N, K, true);
      }
      checkGemm(dtype, 9, 120, dtype === 'float32' ? 4608 : 2304, true);
    });

    it(`winogradWeights ${dtype}: U = G g Gᵀ of every (co, ci), both layouts, flip, channel tails, zero padding columns`, () => {
      // Against float64 sums of the staged weights, per value within the rounding of its few-term sums (≤ 4 roundings).
      const nr = panelWidth(dtype);
      const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
      const Gm = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]];
      const bad: string[] = []; // checked in a loop and asserted once: an expect per value cost more than the kernel
      for (const [C, Cout] of [[3, 5], [8, 8], [9, 13], [16, 21]]) {
        for (const cf of [true, false]) {
          for (const flip of [0, 1]) {
            const n = Cout * C * 9;
            const wsrc = randomArray(n, C * 100 + Cout + flip, dtype);
            const [coS, ciS, tapS] = cf ? [C * 9, 9, 1] : [1, Cout, C * Cout];
            const uS = Math.ceil(Cout / nr) * (nr + C * nr);
            const got = withWorkspace('test', undefined, dtype, [n, 16 * uS], (ws) => {
              const [src, dst] = ws.off;
              ws.mem.set(wsrc, src);
              ws.mem.fill(GUARD, dst, dst + 16 * uS);
              ws.k.winogradWeights(ws.mem, src, coS, ciS, tapS, C, Cout, flip, dst, 0, nr);
              return ws.mem.slice(dst, dst + 16 * uS);
            });
            for (let xi = 0; xi < 16; xi++) {
              const [i, j] = [xi >> 2, xi & 3];
              for (let co = 0; co < Math.ceil(Cout / nr) * nr; co++) {
                for (let ci = 0; ci < C; ci++) {
                  const at = xi * uS + Math.floor(co / nr) * (nr + C * nr) + nr + ci * nr + (co % nr);
                  if (co >= Cout) {
                    if (!Object.is(got[at], 0)) bad.push(`padding column ${co} is ${got[at]}`);
                    continue;
                  }
                  let ref = 0;
                  let mag = 0;
                  for (let a = 0; a < 3; a++) {
                    for (let b = 0; b < 3; b++) {
                      const tap = flip ? 8 - (3 * a + b) : 3 * a + b;
                      const t = Gm[i][a] * wsrc[co * coS + ci * ciS + tap * tapS] * Gm[j][b];
                      ref += t;
                      mag += Math.abs(t);
                    }
                  }
                  if (!(Math.abs(got[at] - ref) <= 4 * u * mag)) bad.push(`C=${C} Cout=${Cout} cf=${cf} flip=${flip} ξ=${xi} co=${co} ci=${ci}: ${got[at]}, reference ${ref}`);
                }
              }
            }
          }
        }
      }
      expect(bad.slice(0, 4), `${bad.length} wrong`).toEqual([]);
    });

    it(`transpose ${dtype}: every rows, cols in ${EDGE.join(', ')} (and cols across 32-column tiles), dense and strided, with guards`, () => {
      for (const rows of EDGE) {
        for (const cols of [...EDGE, 33, 70]) {
          // ldd = rows is the dense case (3 rows into 3 columns has its own path: an RGB image to channels-last)
          for (const ldd of [rows, rows + 1]) {
            const lds = cols + 2;
            const src = randomArray(rows * lds, rows * 31 + cols, dtype);
            const n = cols * ldd + 4;
            const got = transposed(dtype, src, rows, cols, lds, ldd, n);
            for (let j = 0; j < cols; j++) {
              for (let i = 0; i < ldd; i++) expect(got[j * ldd + i]).toBe(i < rows ? src[i * lds + j] : GUARD);
            }
            for (let t = cols * ldd; t < n; t++) expect(got[t]).toBe(GUARD);
          }
        }
      }
    });

    it(`transpose ${dtype}: destination rows 4 KiB apart (tiles of 8 columns there), ragged tiles, with guards`, () => {
      // ldd = 1024 elements: 4 KiB (float32) or 8 KiB (float64); checked in a loop and asserted once.
      const ldd = 1024;
      const bad: string[] = [];
      for (const rows of [1, 5, 8, 17]) {
        for (const cols of [1, 7, 8, 9, 33]) {
          const lds = cols + 2;
          const src = randomArray(rows * lds, rows * 37 + cols, dtype);
          const n = cols * ldd + 4;
          const got = transposed(dtype, src, rows, cols, lds, ldd, n);
          for (let t = 0; t < n; t++) {
            const [j, i] = [Math.floor(t / ldd), t % ldd];
            const want = j < cols && i < rows ? src[i * lds + j] : GUARD;
            if (!Object.is(got[t], want)) bad.push(`rows ${rows} cols ${cols}: [${j}, ${i}] = ${got[t]}, want ${want}`);
          }
        }
      }
      expect(bad.slice(0, 4)).toEqual([]);
    });
  }
});

type Path = ConvPath;

interface Case {
  rank: number;
  N: number;
  groups: number;
  cinG: number;
  coutG: number;
  size: number[];
  kernel: number[];
  stride: number[];
  dilation: number[];
  padding: number[] | 'same' | 'valid';
  paddingMode: RefPaddingMode;
  bias: boolean;
  layout: 'channels-first' | 'channels-last';
  seed: number;
}

/** Padding before/after per axis, recomputed here from the documented rules (TensorFlow SAME for 'same'). */
function pads(c: Case): { before: number[]; after: number[] } {
  if (c.padding === 'valid') return { before: c.size.map(() => 0), after: c.size.map(() => 0) };
  if (c.padding === 'same') {
    const total = c.size.map((n, a) => Math.max((Math.ceil(n / c.stride[a]) - 1) * c.stride[a] + c.dilation[a] * (c.kernel[a] - 1) + 1 - n, 0));
    return { before: total.map((t) => Math.floor(t / 2)), after: total.map((t) => t - Math.floor(t / 2)) };
  }
  return { before: c.padding, after: c.padding };
}

/** Cases the op accepts: positive output, torch's limits on reflect/circular padding, a bounded reference cost. */
function valid(c: Case): boolean {
  const { before, after } = pads(c);
  let outVol = 1;
  for (let a = 0; a < c.rank; a++) {
    const out = Math.floor((c.size[a] + before[a] + after[a] - c.dilation[a] * (c.kernel[a] - 1) - 1) / c.stride[a]) + 1;
    if (out < 1) return false;
    const p = Math.max(before[a], after[a]);
    if (c.paddingMode === 'reflect' && p >= c.size[a]) return false;
    if (c.paddingMode === 'circular' && p > c.size[a]) return false;
    outVol *= out;
  }
  const taps = c.kernel.reduce((x, y) => x * y, 1);
  return c.N * outVol * c.groups * c.coutG * c.cinG * taps <= 150_000;
}

/**
 * The fields of a 3×3 case (3-D: 1×3×3, kD = 1) at unit dilation, drawn alike for the Winograd and direct paths
 * (in the record's order; only the stride differs between them).
 */
function square3x3(rank: number, stride: fc.Arbitrary<number[]>) {
  return {
    kernel: fc.constant(rank === 2 ? [3, 3] : [1, 3, 3]).map((a) => [...a]),
    stride,
    dilation: fc.constant(rank === 2 ? [1, 1] : [1, 1, 1]).map((a) => [...a]),
    padding: fc.oneof(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })).map((t): Case['padding'] => (rank === 2 ? [...t] : [0, ...t])),
      fc.constant<Case['padding']>('same'), fc.constant<Case['padding']>('valid')),
    paddingMode: fc.constantFrom<RefPaddingMode>('zeros', 'zeros', 'reflect', 'replicate', 'circular'),
    bias: fc.boolean(),
    layout: fc.constantFrom('channels-first' as const, 'channels-last' as const),
    seed: fc.integer({ min: 1, max: 1 << 30 }),
  };
}

function arbCase(path: Path): fc.Arbitrary<Case> {
  if (path === 'winograd') {
    // 3×3, unit stride and dilation, one group, ≥ 8 channels each way (src/nn/plan.ts convPath); 3-D with kD = 1;
    // 1-D with 9 taps (folded into 3×3).
    const chans = fc.constantFrom(8, 9, 12, 17);
    const oneD = fc.record({
      rank: fc.constant(1),
      N: fc.integer({ min: 1, max: 3 }),
      groups: fc.constant(1),
      cinG: chans,
      coutG: chans,
      size: fc.integer({ min: 1, max: 40 }).map((n) => [n]),
      kernel: fc.constant([9]).map((a) => [...a]),
      stride: fc.constant([1]).map((a) => [...a]),
      dilation: fc.constant([1]).map((a) => [...a]),
      padding: fc.oneof(fc.integer({ min: 0, max: 6 }).map((p): Case['padding'] => [p]), fc.constant<Case['padding']>('same'), fc.constant<Case['padding']>('valid')),
      paddingMode: fc.constantFrom<RefPaddingMode>('zeros', 'zeros', 'reflect', 'replicate', 'circular'),
      bias: fc.boolean(),
      layout: fc.constantFrom('channels-first' as const, 'channels-last' as const),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    }).filter(valid);
    return fc.oneof(oneD, fc.integer({ min: 2, max: 3 }).chain((rank) => fc.record({
      rank: fc.constant(rank),
      N: fc.integer({ min: 1, max: 2 }),
      groups: fc.constant(1),
      cinG: chans,
      coutG: chans,
      size: rank === 2 ? fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).map((t) => [...t])
        : fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).map((t) => [...t]),
      ...square3x3(rank, fc.constant(rank === 2 ? [1, 1] : [1, 1, 1]).map((a) => [...a])),
    })).filter(valid));
  }
  if (path === 'direct') {
    // 3×3 on exactly 3 input channels, one group, unit dilation, any stride (3-D with kD = 1); output widths either
    // side of the 4-pixel block, output channels either side of the 8-column panel.
    return fc.integer({ min: 2, max: 3 }).chain((rank) => fc.record({
      rank: fc.constant(rank),
      N: fc.integer({ min: 1, max: 2 }),
      groups: fc.constant(1),
      cinG: fc.constant(3),
      coutG: fc.constantFrom(1, 3, 4, 7, 8, 9, 16, 17),
      size: rank === 2 ? fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 14 })).map((t) => [...t])
        : fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 9 })).map((t) => [...t]),
      ...square3x3(rank, rank === 2 ? fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map((t) => [...t])
        : fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map((t) => [...t])),
    })).filter(valid);
  }
  const dw = path === 'depthwise' || path === 'planes';
  // 'planes' (channels-first depthwise) needs unit stride and dilation: draw those more often for it.
  const unitish = <T>(a: fc.Arbitrary<T>, one: T) => (path === 'planes' ? fc.constant(one) : a);
  const edge = fc.constantFrom(...EDGE);
  const small = fc.constantFrom(1, 3, 4, 5);
  return fc.integer({ min: 1, max: 3 }).chain((rank) => {
    const axes = <T>(a: fc.Arbitrary<T>) => fc.array(a, { minLength: rank, maxLength: rank });
    const sizeArb = rank === 1 ? axes(edge) : rank === 2 ? axes(fc.constantFrom(1, 3, 4, 5, 7, 8, 9)) : axes(small);
    const kernelArb = path === 'pointwise' ? axes(fc.constant(1)) : axes(fc.integer({ min: 1, max: rank === 1 ? 5 : 3 }));
    const strideArb = axes(unitish(fc.integer({ min: 1, max: 3 }), 1));
    const chans = rank === 3 ? fc.constantFrom(1, 3, 4, 5) : edge;
    return fc.record({
      rank: fc.constant(rank),
      N: fc.integer({ min: 1, max: 2 }),
      groups: dw ? chans : fc.constantFrom(1, 1, 2, 3),
      cinG: dw ? fc.constant(1) : chans,
      coutG: dw ? fc.constant(1) : chans,
      size: sizeArb,
      kernel: kernelArb,
      stride: strideArb,
      dilation: path === 'pointwise' ? axes(fc.constant(1)) : axes(unitish(fc.integer({ min: 1, max: 2 }), 1)),
      padding: fc.oneof(axes(fc.integer({ min: 0, max: 2 })), fc.constant('same' as const), fc.constant('valid' as const)),
      paddingMode: fc.constantFrom<RefPaddingMode>('zeros', 'zeros', 'reflect', 'replicate', 'circular'),
      bias: fc.boolean(),
      layout: fc.constantFrom('channels-first' as const, 'channels-last' as const),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
  }).filter((c) => valid(c) && pathOf(c) === path);
}

/** The kernel the op will pick for this case (src/nn/plan.ts convPath). */
function pathOf(c: Case): Path {
  const cl = c.layout === 'channels-last';
  const x = cl ? [c.N, ...c.size, c.groups * c.cinG] : [c.N, c.groups * c.cinG, ...c.size];
  const w = cl ? [...c.kernel, c.cinG, c.groups * c.coutG] : [c.groups * c.coutG, c.cinG, ...c.kernel];
  return convPath(planConv('test', c.rank, x, w, { stride: c.stride, dilation: c.dilation, padding: c.padding, groups: c.groups, layout: c.layout }));
}

/** Small integers in [−4, 4]: every sum of products (and every Winograd-transformed value, a multiple of ¼) is exact. */
function ints(n: number, seed: number, dtype: 'float32' | 'float64'): Float32Array | Float64Array {
  const r = rng(seed);
  const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.floor(r() * 9) - 4;
  return a;
}

function check(c: Case, dtype: 'float32' | 'float64', layout: Case['layout'], flip: boolean, path?: Path, exact = false): void {
  const C = c.groups * c.cinG;
  const Cout = c.groups * c.coutG;
  const gen = exact ? ints : randomArray;
  const x0: NDArray = { data: gen(c.N * C * c.size.reduce((a, b) => a * b, 1), c.seed, dtype), shape: [c.N, C, ...c.size] };
  let x = x0;
  const w0: NDArray = { data: gen(Cout * c.cinG * c.kernel.reduce((a, b) => a * b, 1), c.seed + 1, dtype), shape: [Cout, c.cinG, ...c.kernel] };
  const bias = c.bias ? gen(Cout, c.seed + 2, dtype) : undefined;
  const { before, after } = pads(c);
  // The reference and its magnitudes depend on the case, not on the layout or backend: computed once per file.
  const key = JSON.stringify({ ...c, layout: undefined, dtype, flip, exact });
  const ref = shared(`ref ${key}`, () => refConv(x.data, x.shape as number[], w0.data, w0.shape as number[], {
    stride: c.stride, dilation: c.dilation, padBefore: before, padAfter: after, groups: c.groups, paddingMode: c.paddingMode, bias, flip,
  }));
  let w = w0;
  let expected: NDArray = ref;
  if (layout === 'channels-last') {
    x = permute(x, toChannelsLast(c.rank));
    w = permute(w0, weightToChannelsLast(c.rank));
    expected = permute(ref, toChannelsLast(c.rank));
  }
  const opts = { stride: c.stride, dilation: c.dilation, padding: c.padding, groups: c.groups, paddingMode: c.paddingMode, bias, flip, layout };
  if (path) expect(pathOf({ ...c, layout })).toBe(path);
  const out = ops[c.rank - 1](x, w, opts);
  expect(out.shape).toEqual(expected.shape);
  // Per element: a sum of cinG·|kernel| products and the bias, within sumTol of the reference (test/tolerance.ts).
  let mag: { data: ArrayLike<number> } = shared(`mag ${key}`, () => refConv(x0.data.map(Math.abs), x0.shape as number[], w0.data.map(Math.abs), w0.shape as number[], {
    stride: c.stride, dilation: c.dilation, padBefore: before, padAfter: after, groups: c.groups, paddingMode: c.paddingMode, bias: bias?.map(Math.abs), flip,
  }));
  if (layout === 'channels-last') mag = permute({ data: Float64Array.from(mag.data), shape: ref.shape }, toChannelsLast(c.rank));
  const K = c.cinG * c.kernel.reduce((a, b) => a * b, 1) + 1;
  let tol = sumTol(dtype, K, mag.data);
  if ((path ?? pathOf({ ...c, layout })) === 'winograd') {
    const wm = winogradMag(x0.data, w0.data, Cout, bias);
    const O = out.data.length / (c.N * Cout);
    const wt = sumTol(dtype, C + 13, Float64Array.from(out.data, (_, i) => wm[layout === 'channels-last' ? i % Cout : Math.floor(i / O) % Cout]));
    tol = Float64Array.from(tol, (v, i) => Math.max(v, wt[i]));
  }
  expectWithin(out.data, expected.data, exact ? 0 : tol);
  // The same path writing into the caller's array (the `output` option): the very same values, in that array,
  // written there by the path itself (runConv returns that array, not a fresh one copied in afterwards).
  const given = new (dtype === 'float32' ? Float32Array : Float64Array)(out.data.length).fill(NaN);
  expect(ops[c.rank - 1](x, w, { ...opts, output: given }).data).toBe(given);
  expect(firstDiff(given, out.data)).toBe(-1);
  const plan = planConv('test', c.rank, x.shape, w.shape, opts);
  const into = new (dtype === 'float32' ? Float32Array : Float64Array)(out.data.length).fill(NaN);
  expect(runConv(plan, dtype, planBackend('test', undefined), x.data, w.data, bias, convPath(plan), into)).toBe(into);
  expect(firstDiff(into, out.data)).toBe(-1);
}

describe.each(backendCases())('conv paths against the reference on %s', (be) => {
  beforeAll(() => useBackend(be));
  for (const path of ['planes', 'depthwise', 'pointwise', 'winograd', 'direct', 'im2col'] as const) {
    it(`${path}: random shapes, both layouts, float32 and float64, flip`, () => {
      fc.assert(
        fc.property(arbCase(path), fc.boolean(), fc.boolean(), (c, f32, flip) => {
          check(c, f32 ? 'float32' : 'float64', c.layout, flip, path);
        }),
        { numRuns: 40, seed: 20261123 },
      );
    });
  }

  for (const path of ['planes', 'depthwise', 'pointwise', 'winograd', 'direct', 'im2col'] as const) {
    it(`${path}: small integers, exact (float32 and float64)`, () => {
      fc.assert(
        fc.property(arbCase(path), fc.boolean(), fc.boolean(), (c, f32, flip) => {
          check(c, f32 ? 'float32' : 'float64', c.layout, flip, path, true);
        }),
        { numRuns: 12, seed: 20261202 },
      );
    });
  }

  it('planes: planes past 32 KiB padded, which dwPlanes pads one by one (every padding mode, stride 1 and 2, rank 1 and 2)', () => {
    const cases: Case[] = [];
    for (const paddingMode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
      for (const s of [1, 2]) {
        cases.push({
          rank: 2, N: 1, groups: 2, cinG: 1, coutG: 1, size: [96, 101], kernel: [3, 3], stride: [s, s], dilation: [1, 1],
          padding: [1, 1], paddingMode, bias: s === 1, layout: 'channels-first', seed: s,
        });
      }
      cases.push({
        rank: 1, N: 2, groups: 3, cinG: 1, coutG: 1, size: [9001], kernel: [5], stride: [1], dilation: [1],
        padding: [2], paddingMode, bias: true, layout: 'channels-first', seed: 3,
      });
    }
    for (const c of cases) for (const dtype of ['float32', 'float64'] as const) check(c, dtype, c.layout, false, 'planes', true);
  });

  it('planes: zero padding around rows of any length, each plane copied into one plane of zeros (float32 SIMD)', () => {
    // Rows of 33–90 elements in planes under 32 KiB (MobileNetV2's 56² maps), several planes through the same zeros.
    for (const [H, W] of [[56, 56], [40, 33], [5, 90]]) {
      for (const [kernel, padding] of [[[3, 3], [1, 1]], [[5, 3], [2, 1]]]) {
        const c: Case = {
          rank: 2, N: 2, groups: 3, cinG: 1, coutG: 1, size: [H, W], kernel, stride: [1, 1], dilation: [1, 1],
          padding, paddingMode: 'zeros', bias: true, layout: 'channels-first', seed: H + W,
        };
        for (const dtype of ['float32', 'float64'] as const) check(c, dtype, c.layout, false, 'planes', true);
      }
    }
  });

  it('planes: 3×3 stride 2, read in place (zeros one row above and one column left, even sizes) or padded first', () => {
    for (const [H, W] of [[2, 2], [2, 8], [4, 2], [6, 10], [14, 14], [8, 30], [7, 14], [14, 9]]) {
      for (const paddingMode of ['zeros', 'reflect'] as const) {
        for (const [N, C, bias] of [[1, 1, true], [2, 5, false]] as const) {
          const c: Case = {
            rank: 2, N, groups: C, cinG: 1, coutG: 1, size: [H, W], kernel: [3, 3], stride: [2, 2], dilation: [1, 1],
            padding: [1, 1], paddingMode, bias, layout: 'channels-first', seed: H * 31 + W,
          };
          for (const dtype of ['float32', 'float64'] as const) check(c, dtype, c.layout, false, 'planes', true);
        }
      }
    }
  });

  it('im2col: taps too long for the packing scratch (K > 16384) take the unpacked 4-row tile, on one panel and on two', () => {
    // Every other implicit GEMM packs its 4-pixel blocks; 2050 channels × 9 taps do not fit 256 KiB as a block.
    for (const coutG of [3, 9]) {
      for (const layout of ['channels-last', 'channels-first'] as const) {
        const c: Case = {
          rank: 2, N: 1, groups: 1, cinG: 2050, coutG, size: [5, 9], kernel: [3, 3], stride: [2, 2], dilation: [1, 1],
          padding: [0, 1], paddingMode: 'zeros', bias: true, layout, seed: coutG,
        };
        for (const dtype of ['float32', 'float64'] as const) check(c, dtype, layout, false, 'im2col');
      }
    }
  });

  it('channels-last staging: padding on one axis only (the unpadded rows copied an image at a time), every mode', () => {
    // Rank 3 padded on D only (the image lands pbD planes in), on H only, on W only, and rank 2 on H only; batch 2, so
    // a wrong image offset shows too. Exact: small integers.
    const shapes: [number[], number[], number[]][] = [
      [[3, 4, 5], [3, 1, 1], [1, 0, 0]], [[3, 4, 5], [3, 3, 1], [2, 0, 0]], [[3, 4, 5], [1, 3, 1], [0, 1, 0]],
      [[3, 4, 5], [1, 1, 3], [0, 0, 1]], [[6, 7], [3, 1], [1, 0]], [[6, 7], [1, 1], [0, 0]],
    ];
    for (const [size, kernel, padding] of shapes) {
      for (const paddingMode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
        const rank = size.length;
        const c: Case = {
          rank, N: 2, groups: 1, cinG: 5, coutG: 9, size, kernel, stride: size.map(() => 1), dilation: size.map(() => 1),
          padding, paddingMode, bias: true, layout: 'channels-last', seed: size.length * 7 + padding.indexOf(Math.max(...padding)),
        };
        for (const dtype of ['float32', 'float64'] as const) check(c, dtype, c.layout, false, pathOf(c), true);
      }
    }
  });

  it('im2col: channels-first float32 weights with taps, packed 4 rows × 4 samples at a time (flip; sample counts not a multiple of 4 the other way)', () => {
    // packGemm's transposing branch: full 8-channel panels (coutG 8, and 17: two and a partial third), cinG·taps
    // samples a row, a multiple of 4 (4 … 72) or not (the strided copies); exact, so a swapped or scaled sample shows.
    for (const [cinG, kernel] of [[1, [2, 2]], [2, [2, 2]], [4, [1, 3]], [4, [3, 3]], [8, [3, 3]], [3, [3, 3]], [5, [2, 3]], [7, [1, 2]]] as const) {
      for (const coutG of [8, 17]) {
        const c: Case = {
          rank: 2, N: 1, groups: cinG === 3 || cinG === 8 ? 2 : 1, cinG, coutG, size: [5, 9], kernel: [...kernel], stride: [2, 1], dilation: [1, 1],
          padding: [1, 1], paddingMode: 'zeros', bias: coutG === 17, layout: 'channels-first', seed: cinG * 10 + coutG,
        };
        for (const flip of [false, true]) check(c, 'float32', c.layout, flip, 'im2col', true);
      }
    }
  });

  it('identity: flip: true equals correlation with the kernel reversed on every spatial axis', () => {
    fc.assert(
      fc.property(arbCase('im2col'), (c) => {
        const C = c.groups * c.cinG;
        const Cout = c.groups * c.coutG;
        const x: NDArray = { data: randomArray(c.N * C * c.size.reduce((a, b) => a * b, 1), c.seed), shape: [c.N, C, ...c.size] };
        const w: NDArray = { data: randomArray(Cout * c.cinG * c.kernel.reduce((a, b) => a * b, 1), c.seed + 1), shape: [Cout, c.cinG, ...c.kernel] };
        const opts = { stride: c.stride, dilation: c.dilation, padding: c.padding, groups: c.groups, paddingMode: c.paddingMode };
        const a = ops[c.rank - 1](x, w, { ...opts, flip: true });
        const b = ops[c.rank - 1](x, flipSpatial(w), opts);
        const tol = convLayerTol('float64', x, w, { ...opts, flip: true }, undefined);
        expectWithin(a.data, b.data, Float64Array.from(tol, (v) => 2 * v));
      }),
      { numRuns: 25, seed: 7 },
    );
  });

  it('depthwise 3×3 at W stride 1 and 2 (the shared-column tiles): every channel count either side of the lanes', () => {
    // Stride 2: output widths 4, 5, 7 and 8 (a row of whole tiles, and rows ending in an overlapping tile).
    const rows = [[4, 1, 1, 1], [6, 2, 1, 1], [9, 1, 2, 1], [13, 1, 1, 1], [8, 1, 1, 2], [10, 2, 1, 2], [13, 1, 2, 2], [15, 1, 1, 2]];
    for (const C of [1, 3, 4, 5, 8, 9, 17]) {
      for (const [W, sh, dh, sw] of rows) {
        const c: Case = {
          rank: 2, N: 1, groups: C, cinG: 1, coutG: 1, size: [7, W], kernel: [3, 3], stride: [sh, sw], dilation: [dh, 1],
          padding: [1, 1], paddingMode: 'zeros', bias: true, layout: 'channels-last', seed: C * 100 + W,
        };
        for (const dtype of ['float32', 'float64'] as const) {
          check(c, dtype, 'channels-last', W === 9 || W === 10, 'depthwise');
          // Small integers: exact sums, so that one weight off by one ulp shows.
          check(c, dtype, 'channels-last', W === 9 || W === 10, 'depthwise', true);
        }
      }
    }
  });

  it('pointwise channels-first at a stride (a GEMM per row of output pixels): ranks 1–3, groups, batch, exact too', () => {
    const shapes: [number, number, number, number, number[], number[]][] = [
      [2, 2, 1, 5, [9, 11], [2, 2]], [2, 1, 2, 3, [7, 14], [1, 3]], [1, 1, 1, 4, [23], [2]], [3, 1, 1, 6, [5, 4, 9], [2, 1, 2]],
    ];
    for (const [rank, N, groups, cinG, size, stride] of shapes) {
      const c: Case = {
        rank, N, groups, cinG, coutG: 9 + groups * 4, size, kernel: size.map(() => 1), stride, dilation: size.map(() => 1),
        padding: 'valid', paddingMode: 'zeros', bias: true, layout: 'channels-first', seed: 7 * rank + N,
      };
      for (const dtype of ['float32', 'float64'] as const) {
        check(c, dtype, 'channels-first', rank === 3, 'pointwise');
        check(c, dtype, 'channels-first', false, 'pointwise', true);
      }
    }
  });

  it('direct (first layer, 3 channels): several bands of output rows, a ragged last band and pixel block', () => {
    // 37 output columns × 33 channels → bands of 13 rows; 29 rows: two full bands and a ragged one (stride 2 on H).
    const c: Case = {
      rank: 2, N: 1, groups: 1, cinG: 3, coutG: 33, size: [57, 37], kernel: [3, 3], stride: [2, 1], dilation: [1, 1],
      padding: [1, 1], paddingMode: 'zeros', bias: true, layout: 'channels-last', seed: 31,
    };
    for (const dtype of ['float32', 'float64'] as const) {
      for (const layout of ['channels-last', 'channels-first'] as const) check(c, dtype, layout, dtype === 'float64', 'direct');
    }
  });

  it('depthwise channels-last: several bands of output rows (a ragged last one), in 2-D and 3-D, stride 2 on H', () => {
    // ow·C = 100·17 = 1700 per row → bands of 9 rows (src/nn/paths/direct.ts DIRECT_BAND); 20 output rows: 9, 9, 2.
    const c: Case = {
      rank: 2, N: 2, groups: 17, cinG: 1, coutG: 1, size: [20, 100], kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
      padding: [1, 1], paddingMode: 'reflect', bias: true, layout: 'channels-last', seed: 41,
    };
    for (const dtype of ['float32', 'float64'] as const) check(c, dtype, 'channels-last', dtype === 'float32', 'depthwise');
    check({ ...c, size: [39, 100], stride: [2, 1] }, 'float32', 'channels-last', false, 'depthwise');
    check({ ...c, rank: 3, N: 1, size: [3, 12, 100], kernel: [2, 3, 3], stride: [1, 1, 1], dilation: [1, 1, 1], padding: [0, 1, 1] },
      'float64', 'channels-last', true, 'depthwise');
  });

  it('planes (channels-first depthwise): several bands of planes in one kernel call each, a ragged last band, batch > 1', () => {
    // 2 × 11 planes of 31 × 29 outputs: bands of 18 planes (16384 outputs), crossing the batch boundary mid-band.
    const c: Case = {
      rank: 2, N: 2, groups: 11, cinG: 1, coutG: 1, size: [31, 29], kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
      padding: [1, 1], paddingMode: 'reflect', bias: true, layout: 'channels-first', seed: 77,
    };
    for (const dtype of ['float32', 'float64'] as const) check(c, dtype, 'channels-first', false, 'planes');
  });

  it('3×3 stride 2 on 226, 228 and 512 channels (K either side of 2048, and 4608): several groups of weight panels', () => {
    // Each output against the reference within the float32 bound of its K-term sum (inputs exact in float32).
    for (const [C, Cout, size] of [[226, 72, 5], [228, 72, 5], [512, 120, 3]]) {
      const x: NDArray = { data: randomArray(C * size * size, C, 'float32'), shape: [1, C, size, size] };
      const w: NDArray = { data: randomArray(Cout * C * 9, C + 1, 'float32'), shape: [Cout, C, 3, 3] };
      const bias = randomArray(Cout, C + 2, 'float32');
      const opts = { stride: [2, 2], dilation: [1, 1], padBefore: [1, 1], padAfter: [1, 1], groups: 1, paddingMode: 'zeros' as const };
      // Once per file (both layouts, every backend): the reference is slow on purpose.
      const ref = shared(`ref C=${C}`, () => refConv(x.data, [...x.shape], w.data, [...w.shape], { ...opts, bias }));
      const mag = shared(`mag C=${C}`, () => refConv(x.data.map(Math.abs), [...x.shape], w.data.map(Math.abs), [...w.shape], { ...opts, bias: bias.map(Math.abs) }));
      for (const layout of ['channels-first', 'channels-last'] as const) {
        const cl = layout === 'channels-last';
        const got = conv2d(cl ? permute(x, toChannelsLast(2)) : x, cl ? permute(w, weightToChannelsLast(2)) : w,
          { stride: 2, padding: 1, bias, layout });
        expect(pathOf({ rank: 2, N: 1, groups: 1, cinG: C, coutG: Cout, size: [size, size], kernel: [3, 3], stride: [2, 2], dilation: [1, 1],
          padding: [1, 1], paddingMode: 'zeros', bias: true, layout, seed: 0 })).toBe('im2col');
        const want = cl ? permute(ref, toChannelsLast(2)) : ref;
        const bound = cl ? permute(mag, toChannelsLast(2)) : mag;
        for (let i = 0; i < want.data.length; i++) {
          expect(Math.abs(got.data[i] - want.data[i]), `C=${C} ${layout} output ${i}`).toBeLessThanOrEqual((9 * C + 2) * 2 ** -24 * bound.data[i]);
        }
      }
    }
  });

  it('large enough for several im2col tiles and every microkernel row remainder', () => {
    // K = 3·3·5 = 45 → tiles of 360 rows; 23·21 = 483 output pixels: one full tile and a ragged one.
    const c: Case = {
      rank: 2, N: 1, groups: 1, cinG: 5, coutG: 19, size: [25, 23], kernel: [3, 3], stride: [1, 1], dilation: [1, 1],
      padding: [0, 0], paddingMode: 'zeros', bias: true, layout: 'channels-first', seed: 99,
    };
    for (const dtype of ['float32', 'float64'] as const) check(c, dtype, 'channels-first', false);
  });
});

// The input gradient's forward convolution reads its layer's weights at swapped strides (one group): the same bits as
// that convolution run on the weights copied transposed, per path and layout, on every backend.
describe.each(backendCases())('input gradient: weights read at swapped strides on %s', (be) => {
  beforeAll(() => useBackend(be));
  /** W' of one group: [C, Cout, ...k] from [Cout, C, ...k] (channels-last [...k, Cout, C] from [...k, C, Cout]). */
  const swapped = (w: Float64Array | Float32Array, Cout: number, C: number, taps: number, cl: boolean) => {
    const t = w.slice();
    for (let co = 0; co < Cout; co++) {
      for (let ci = 0; ci < C; ci++) {
        for (let j = 0; j < taps; j++) {
          if (cl) t[j * Cout * C + co * C + ci] = w[j * C * Cout + ci * Cout + co];
          else t[(ci * Cout + co) * taps + j] = w[(co * C + ci) * taps + j];
        }
      }
    }
    return t;
  };
  const cases: [string, number[], number[], Record<string, unknown>][] = [
    ['winograd', [2, 9, 7, 6], [10, 9, 3, 3], { padding: 1 }],
    ['im2col 5×3', [1, 5, 8, 9], [7, 5, 5, 3], { padding: [2, 0] }],
    ['im2col dilated', [1, 3, 9, 9], [4, 3, 3, 3], { dilation: 2, padding: 1 }],
    ['direct (3 outputs: 3 channels of dX\'s input)', [1, 8, 10, 10], [3, 8, 3, 3], { padding: 1 }],
    ['1-D', [2, 6, 20], [5, 6, 4], { padding: 3 }],
  ];
  for (const layout of ['channels-first', 'channels-last'] as const) {
    for (const [name, xs, ws, opts] of cases) {
      for (const dtype of ['float32', 'float64'] as const) {
        it(`${name}, ${layout}, ${dtype}`, () => {
          const rank = xs.length - 2;
          const cl = layout === 'channels-last';
          const xShape = cl ? [xs[0], ...xs.slice(2), xs[1]] : xs;
          const wShape = cl ? [...ws.slice(2), ws[1], ws[0]] : ws;
          const conv = planConv('test', rank, xShape, wShape, { ...opts, layout });
          const backend = planBackend('test', be === 'js' ? 'js' : 'wasm');
          const p = planGradInput(conv, dtype, backend);
          expect(p.path).toBe('forward');
          if (p.path !== 'forward') return;
          expect(p.forward.weightStrides).toBeDefined();
          const taps = ws.slice(2).reduce((a, b) => a * b, 1);
          const w = randomArray(ws.reduce((a, b) => a * b, 1), 31 + taps, dtype);
          const dyLen = conv.outputShape.reduce((a, b) => a * b, 1);
          const dy = randomArray(dyLen, 37, dtype);
          const plain = planForward(p.forward.conv, dtype, backend, { path: p.forward.path, finiteOnly: true });
          expect(plain.weightStrides).toBeUndefined();
          const want = runForward(plain, dy, swapped(w, ws[0], ws[1], taps, cl))!;
          const got = runForward(p.forward, dy, w)!;
          expect(firstDiff(got, want)).toBe(-1);
        });
      }
    }
  }
});

describe('plans are frozen and complete', () => {
  const be = planBackend('test', 'js');
  it('planConv: the plan is frozen (its arrays readonly in the types); replacing a field throws', () => {
    const plan = planConv('test', 2, [1, 8, 9, 9], [8, 8, 3, 3], { padding: 1 });
    expect(Object.isFrozen(plan)).toBe(true);
    expect(() => { (plan as unknown as { outSize: number[] }).outSize = [1, 1]; }).toThrow(TypeError);
    expect(() => { (plan as unknown as { padBefore: number[] }).padBefore = [5, 5]; }).toThrow(TypeError);
  });
  it('planForward: backend, dtype, path, threads and named buffers; Winograd records that it steps aside, with its im2col fallback', () => {
    const conv = planConv('test', 2, [1, 8, 9, 9], [8, 8, 3, 3], { padding: 1 });
    const p = planForward(conv, 'float32', be, { bias: true });
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.buffers)).toBe(true);
    expect(p.backend).toBe(be);
    expect(p.path).toBe('winograd');
    expect(p.stepsAside).toBe(true);
    expect(p.fallback?.path).toBe('im2col');
    expect(p.fallback?.stepsAside).toBe(false);
    expect(Object.keys(p.buffers)).toEqual(['xin', 'xpad', 'wk', 'out', 'outT', 'v', 'm', 'wraw', 'braw']);
    expect((p.buffers as Record<string, number>).braw).toBe(8);
    const im = planForward(conv, 'float32', be, { path: 'im2col' });
    expect(im.stepsAside).toBe(false);
    expect(im.fallback).toBeUndefined();
    expect(planForward(conv, 'float32', be, { finiteOnly: true }).fallback).toBeUndefined();
  });
  it('the input gradient plans its forward convolution with explicit padding, leaving the layer\'s plan as it was', () => {
    const conv = planConv('test', 2, [1, 8, 9, 12], [6, 8, 3, 5], { padding: [1, 0], dilation: [1, 2] });
    const before = JSON.stringify(conv);
    const p = planGradInput(conv, 'float64', be);
    expect(p.path).toBe('forward');
    if (p.path !== 'forward') return;
    // dy [1, 6, 9, 12 − 8] padded by d·(k − 1) − p in front and up to the input's size after.
    expect(p.forward.conv.padBefore).toEqual([1, 8]);
    expect(p.forward.conv.padAfter).toEqual([1, 8]);
    expect(p.forward.conv.outputShape).toEqual(conv.inputShape);
    expect(p.forward.stepsAside).toBe(true);
    expect(p.fallback.path).toBe('col2im');
    expect(JSON.stringify(conv)).toBe(before);
    expect(planGradInput(conv, 'float64', be, true).path).toBe('col2im');
  });
  it('a transposed convolution plans the output size it is given (outputPadding ≥ stride with a larger dilation)', () => {
    // in 5, stride 1, dilation 3, k 2, outputPadding 2: out = 4·1 + 3 + 2 + 1 = 10; the forward output of 10 is 7.
    const plan = planConvTranspose('test', 1, [1, 2, 5], [2, 3, 2], { dilation: 3, outputPadding: 2 });
    expect(plan.inputShape).toEqual([1, 3, 10]);
    expect(plan.outSize).toEqual([5]);
    expect(plan.outputShape).toEqual([1, 2, 5]);
    expect(Object.isFrozen(plan)).toBe(true);
  });
  it('the weight gradient: Winograd with its im2col fallback, depthwise, im2col; buffers by name', () => {
    const w3 = planGradWeight(planConv('test', 2, [1, 8, 9, 9], [8, 8, 3, 3], { padding: 1 }), 'float32', be);
    expect(w3.path).toBe('winograd');
    expect(w3.stepsAside).toBe(true);
    if (w3.path === 'winograd') expect(w3.fallback.path).toBe('im2col');
    expect(planGradWeight(planConv('test', 2, [1, 4, 9, 9], [4, 1, 3, 3], { groups: 4 }), 'float32', be).path).toBe('depthwise');
    const im = planGradWeight(planConv('test', 2, [1, 4, 9, 9], [6, 4, 3, 3], { stride: 2 }), 'float32', be);
    expect(im.path).toBe('im2col');
    expect(Object.keys(im.buffers)).toEqual(['xRaw', 'xCf', 'xp', 'dyRaw', 'dyCf', 'bp', 'col', 'tmp', 'acc', 'out']);
    expect(Object.isFrozen(im.buffers)).toBe(true);
  });
});
