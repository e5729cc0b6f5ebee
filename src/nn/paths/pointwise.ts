// The pointwise path (kernel `gemm`): a 1×1 kernel is a GEMM. Channels-last (or padded) at unit stride, the padded
// input is the GEMM's A as it is; channels-first without padding, at any stride, it runs in the caller's layout
// (pointwisePlanes).
import { product, type Float } from '../../arrays';
import { panelWidth } from '../../kernels/gemm';
import { chunking } from '../../threads';
import { copyOut, threadsFor, withBuffers } from '../../workspace';
import { packedWeightSize, packWeights, prepackedAt, preparedScratch, type Prepacked } from '../pack';
import { freeze, geometry3, planesLayout } from '../plan';
import { finishOutput, runStaged, stagedBuffers, stagedPlan, stepsAside, type ForwardBase, type ForwardRequest, type StagedPlan } from './stage';

export interface PointwisePlan extends StagedPlan {
  readonly path: 'pointwise';
  readonly planes: false;
}

/** The channels-first unpadded variant: no layout change, no staging. */
export interface PointwisePlanesPlan extends ForwardBase {
  readonly path: 'pointwise';
  readonly planes: true;
  /** Output pixels per image (the GEMM's rows), output elements. */
  readonly HW: number;
  readonly nOut: number;
  readonly threads: number;
  readonly buffers: Readonly<{ xs: number; wk: number; out: number; wraw: number; braw: number }>;
}

export function planPointwise(req: ForwardRequest): PointwisePlan | PointwisePlanesPlan {
  const { conv, dtype, backend } = req;
  if (planesLayout(conv)) {
    const HW = product(conv.outSize);
    const nOut = conv.batch * conv.outChannels * HW;
    return freeze({
      conv, dtype, backend, path: 'pointwise', bias: req.bias, prepared: req.prepared, stepsAside: stepsAside(req), fallback: req.fallback,
      weightStrides: req.weightStrides, planes: true, HW, nOut, threads: threadsFor(conv.op, backend, nOut * conv.inPerGroup),
      // One image's input planes, the packed weight panels (as the channels-last path packs them), the output planes,
      // and the weights and bias as given, packed from there.
      buffers: Object.freeze({
        xs: conv.inChannels * product(conv.inSize),
        wk: req.prepared ? preparedScratch(conv, dtype, 'pointwise', req.bias, backend) : packedWeightSize(conv, dtype, 'pointwise'),
        out: nOut,
        wraw: req.prepared ? 0 : product(conv.weightShape),
        braw: req.prepared || !req.bias ? 0 : conv.outChannels,
      }),
    });
  }
  const g3 = geometry3(conv);
  const s = stagedPlan(req, g3, conv.batch * product(g3.outSize) * conv.outChannels * conv.inPerGroup);
  return Object.freeze(Object.assign(s, { path: 'pointwise' as const, planes: false as const, buffers: stagedBuffers(req, s, s.nOut, s.cf ? s.nOut : 0) }));
}

export function runPointwise(
  p: PointwisePlan | PointwisePlanesPlan, x: Float, w: Float, bias: Float | number[] | undefined, into?: Float, pre?: Prepacked,
): Float | undefined {
  if (p.planes) return runPointwisePlanes(p, x, w, bias, into, pre);
  return runStaged(p, x, w, bias, pre, (ws, at, wk) => {
    const { mem, k } = ws;
    const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = p.conv;
    const nr = panelWidth(p.dtype);
    const groupStride = Math.ceil(coutG / nr) * (nr + cinG * nr);
    const work = p.nOut * cinG;
    // A 1×1 kernel at unit stride reads every padded pixel once: the padded input is the GEMM's A as it is. Chunks
    // of rows (pixels) where there are many, else of weight panels (columns), so no chunk re-reads all weights for
    // a few rows; a thread's chunks of one group in one GEMM (sp.runs).
    const M = N * product(p.g3.padded);
    const byRows = M >= 128 && M >= coutG;
    const sp = byRows ? chunking(M, work / G, 24) : chunking(coutG, work / G, nr);
    const { xpad, out } = at;
    ws.parallel(p.threads, G * sp.chunks, (c0, c1) => sp.runs(c0, c1, (g, a, b) => {
      const wg = wk + g * groupStride;
      if (byRows) k.gemm(mem, b - a, coutG, cinG, xpad + g * cinG + a * C, C, wg, out + g * coutG + a * Cout, Cout, nr);
      else k.gemm(mem, M, b - a, cinG, xpad + g * cinG, C, wg + (a / nr) * (nr + cinG * nr), out + g * coutG + a, Cout, nr);
    }));
    return finishOutput(ws, p, at, into);
  });
}

/**
 * Channels-first 1×1 convolution without padding, in its own layout: per image and group,
 * out[co, p] = bias[co] + Σ_ci x[ci, p] · w[co, ci] is the GEMM of the channels-last path with its A (pixels × input
 * channels) and C (pixels × output channels) transposed, which the gemmT kernel reads and writes as planes: the
 * input is copied in as it is, the output copied out as it is, and the weights are packed as every GEMM's panels. At
 * a stride, one GEMM per row of output pixels, which reads every stride-th input pixel of its row.
 */
function runPointwisePlanes(
  p: PointwisePlanesPlan, x: Float, w: Float, bias: Float | number[] | undefined, into?: Float, pre?: Prepacked,
): Float | undefined {
  const { batch: N, inChannels: C, outChannels: Cout, groups: G, inPerGroup: cinG, outPerGroup: coutG } = p.conv;
  const { HW } = p;
  const nr = panelWidth(p.dtype);
  const groupStride = Math.ceil(coutG / nr) * (nr + cinG * nr);
  return withBuffers(p.conv.op, p.backend, p.dtype, p.buffers, (ws, at) => {
    const { mem, k } = ws;
    const { xs, out } = at;
    let wk = at.wk;
    if (pre) {
      wk = prepackedAt(mem, pre, at.wk);
    } else {
      mem.set(w, at.wraw);
      if (bias) mem.set(bias, at.braw);
      if (p.stepsAside && k.nonFinite(mem, at.wraw, w.length)) return undefined;
      packWeights(mem, k, p.conv, p.dtype, 'pointwise', w, bias, at.wraw, at.braw, wk, false, ws, p.weightStrides, true);
    }
    const g3 = geometry3(p.conv);
    const [, H, W] = g3.inSize;
    const [, oh, ow] = g3.outSize;
    const [sd, sh, sw] = g3.stride;
    const inVol = product(g3.inSize);
    // Unit stride: chunks of pixels (rows, in blocks of 4) where there are many, else of weight panels (columns); a
    // thread's chunks of one group in one GEMM (sp.runs). At a stride, chunks of panels, a GEMM per output row.
    const rows = sd * sh * sw > 1 ? HW / ow : 1;
    const byRows = rows === 1 && HW >= 16 * nr;
    const work = coutG * HW * cinG;
    const sp = byRows ? chunking(HW, work, 4) : chunking(coutG, work, nr);
    for (let n = 0; n < N; n++) {
      mem.set(x.subarray(n * C * inVol, (n + 1) * C * inVol), xs);
      if (p.stepsAside && k.nonFinite(mem, xs, C * inVol)) return undefined;
      ws.parallel(p.threads, G * sp.chunks, (c0, c1) => sp.runs(c0, c1, (g, lo, hi) => {
        const xg = xs + g * cinG * inVol;
        const wg = wk + g * groupStride;
        const og = out + (n * Cout + g * coutG) * HW;
        if (byRows) {
          k.gemmT(mem, hi - lo, coutG, cinG, xg + lo, inVol, 1, wg, og + lo, HW, nr);
          return;
        }
        for (let r = 0; r < rows; r++) {
          // Output row r = (z, y) reads input row (z·sd, y·sh); one row: the whole plane.
          const src = (Math.floor(r / oh) * sd * H + (r % oh) * sh) * W;
          k.gemmT(mem, HW / rows, hi - lo, cinG, xg + src, inVol, sw, wg + (lo / nr) * (nr + cinG * nr), og + lo * HW + r * ow, HW, nr);
        }
      }));
    }
    return copyOut(mem, out, p.nOut, into);
  });
}
