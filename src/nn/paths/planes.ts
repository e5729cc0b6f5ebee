// The planes path (kernels `padPlanes`, `dwPlanes`): channels-first depthwise convolution at unit stride and dilation
// (ranks 1 and 2), and 3×3 at stride 2 (rank 2: MobileNet's downsampling layers, which went through two transposes).
// Each channel's padded plane is correlated with its own kernel by the 2-D correlation kernel of
// scipy.signal (at stride 2, by a stride-2 plane kernel), starting from the bias. No layout change at all, which is
// what channels-first depthwise layers need.
// One kernel call per band of planes (PLANES_BAND outputs), not one per channel.
import { uninitialized, type Float } from '../../arrays';
import { EXTENSION_CODE, TORCH_PADDING } from '../../boundary';
import { chunking } from '../../threads';
import { copyOut, threadsFor, withBuffers } from '../../workspace';
import { packWeights, prepackedAt, preparedScratch, type Prepacked } from '../pack';
import { freeze, geometry3, type Geometry3 } from '../plan';
import { stepsAside, type ForwardBase, type ForwardRequest } from './stage';

/**
 * Output elements per band of channels-first depthwise planes (one kernel call and one copy-out per band, 64 KiB of
 * float32): it was one call, one fill and one copy per plane, which cost more than the arithmetic on 7 × 7 maps.
 */
const PLANES_BAND = 16384;

/**
 * Padded planes larger than this (bytes) are padded one by one inside dwPlanes, just before they are read, instead of
 * all planes first in a pass of their own: 96 planes of 112² at stride 2 ran 1.07–1.09× faster, 32 of 512² 1.12× (1.36×
 * at stride 2), and the workspace holds one padded plane per thread instead of all of them. Planes that fit in the
 * first-level cache ran slower so (0.77–0.98× at 7²…56²), unless their padding is zeros (float32, SIMD builds): then
 * dwPlanes writes the zeros once and copies only each plane's rows in (MobileNetV2 at 7², 14², 28²: 1.13–1.14× faster
 * than padding every plane first, the same bits). It was kept to rows of at most 128 bytes at first; on longer rows
 * it ran 1.11–1.14× faster too (MobileNetV2's 144 planes of 56²), 1.05–1.17× on 36²–64² maps, and 0.99–1.05× on
 * planes past 32 KiB (112², 256², 512²), which padPlanes had padded one by one.
 */
const PAD_EACH_BYTES = 32768;

/** dwPlanes' scratch for one plane computed wide: oh rows of ow rounded up to 4 (the float32 lanes; float64 uses less). */
function wideSize(oh: number, ow: number): number {
  return oh * Math.ceil(ow / 4) * 4;
}

export interface PlanesPlan extends ForwardBase {
  readonly path: 'planes';
  readonly g3: Geometry3;
  readonly threads: number;
  /** Planes per kernel call (all of them with a pool: one full-size output shared among the threads). */
  readonly bandPlanes: number;
  readonly nOut: number;
  /** Each plane padded by dwPlanes just before it reads it (large planes), not all planes first by padPlanes. */
  readonly padEach: boolean;
  readonly buffers: Readonly<{ xin: number; xpad: number; h: number; out: number; braw: number; tmp: number; pad: number }>;
}

export function planPlanes(req: ForwardRequest): PlanesPlan {
  const { conv, dtype, backend } = req;
  const g3 = geometry3(conv);
  const { batch: N, inChannels: C } = conv;
  const [, H, W] = g3.inSize;
  const [, Ph, Pw] = g3.padded;
  const [, kh, kw] = g3.kernel;
  const [, oh, ow] = g3.outSize;
  const taps = kh * kw;
  const nOut = N * C * oh * ow;
  const n = oh * ow;
  const threads = threadsFor(conv.op, backend, nOut * taps);
  const bandPlanes = threads > 1 ? N * C : Math.min(N * C, Math.max(1, Math.floor(PLANES_BAND / n)));
  // dwPlanes reads 3×3 stride-2 planes with one row and column of zeros before them in place (even sizes; its SIMD
  // builds): they skip the padding pass too.
  const inPlace = conv.paddingMode === 'zeros' && g3.stride[1] === 2 && g3.stride[2] === 2 && kh === 3 && kw === 3 &&
    g3.padBefore[1] === 1 && g3.padBefore[2] === 1 && H % 2 === 0 && W % 2 === 0;
  const size = dtype === 'float32' ? 4 : 8;
  // Float32 zeros (SIMD builds, rows of at least a vector): one padded plane, its zeros written once (see
  // PAD_EACH_BYTES; dwPlanes' zeroRows).
  const zeroRows = dtype === 'float32' && backend.name === 'wasm' && backend.module.variant !== 'scalar' &&
    conv.paddingMode === 'zeros' && W >= 4;
  const padEach = inPlace || zeroRows || Ph * Pw * size > PAD_EACH_BYTES;
  return freeze({
    conv, dtype, backend, path: 'planes', bias: req.bias, prepared: req.prepared, stepsAside: stepsAside(req), fallback: req.fallback,
    g3, threads, bandPlanes, nOut, padEach,
    buffers: Object.freeze({
      xin: N * C * H * W,
      xpad: padEach ? 0 : N * C * Ph * Pw,
      h: req.prepared ? preparedScratch(conv, dtype, 'planes', req.bias, backend) : C * taps,
      out: bandPlanes * n,
      braw: req.bias ? C : 0,
      tmp: threads * wideSize(oh, ow),
      pad: padEach ? threads * Ph * Pw : 0,
    }),
  });
}

export function runPlanes(p: PlanesPlan, x: Float, w: Float, bias: Float | number[] | undefined, into?: Float, pre?: Prepacked): Float | undefined {
  const { batch: N, inChannels: C } = p.conv;
  const [, H, W] = p.g3.inSize;
  const [, Ph, Pw] = p.g3.padded;
  const [, kh, kw] = p.g3.kernel;
  const [, oh, ow] = p.g3.outSize;
  const taps = kh * kw;
  const n = oh * ow;
  return withBuffers(p.conv.op, p.backend, p.dtype, p.buffers, (ws, at) => {
    const { mem, k } = ws;
    const { xin, xpad, out, braw, tmp, pad } = at;
    const stride = p.g3.stride[1];
    const tmpSize = wideSize(oh, ow);
    const [pbH, pbW] = [p.g3.padBefore[1], p.g3.padBefore[2]];
    const code = EXTENSION_CODE[TORCH_PADDING[p.conv.paddingMode]];
    mem.set(x, xin);
    if (!p.padEach) k.padPlanes(mem, xin, N * C, H, W, xpad, Ph, Pw, pbH, pbW, code);
    // Planes p0 … at src(p0): the padded ones (mode −1), or the input's for dwPlanes to pad one by one.
    const [src, plane, mode] = p.padEach ? [xin, H * W, code] : [xpad, Ph * Pw, -1];
    const h = pre ? prepackedAt(mem, pre, at.h) : at.h;
    if (!pre) packWeights(mem, k, p.conv, p.dtype, 'planes', w, bias, 0, 0, h, false);
    if (p.stepsAside && (k.nonFinite(mem, xin, N * C * H * W) || k.nonFinite(mem, h, C * taps))) return undefined;
    if (bias) mem.set(bias, braw);
    if (p.threads > 1) {
      const sp = chunking(N * C, p.nOut * taps, 1);
      ws.parallel(p.threads, sp.chunks, (c0, c1, t) => {
        for (let c = c0; c < c1; c++) {
          const p0 = sp.at(c);
          k.dwPlanes(mem, src + p0 * plane, sp.at(c + 1) - p0, C, p0 % C, H, W, Ph, Pw, pbH, pbW, mode, h, kh, kw, braw, bias ? 1 : 0,
            out + p0 * n, oh, ow, tmp + t * tmpSize, pad + t * Ph * Pw, stride);
        }
      });
      return copyOut(mem, out, p.nOut, into);
    }
    const res = into ?? uninitialized(p.dtype, p.nOut);
    for (let p0 = 0; p0 < N * C; p0 += p.bandPlanes) {
      const np = Math.min(p.bandPlanes, N * C - p0);
      k.dwPlanes(mem, src + p0 * plane, np, C, p0 % C, H, W, Ph, Pw, pbH, pbW, mode, h, kh, kw, braw, bias ? 1 : 0, out, oh, ow, tmp, pad, stride);
      res.set(mem.subarray(out, out + np * n), p0 * n);
    }
    return res;
  });
}
