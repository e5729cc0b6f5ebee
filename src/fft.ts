// FFT convolution engine, shared by fftconvolve, oaconvolve and method 'fft' of convolve/correlate:
//   out = IFFT(FFT(in1, f) · FFT(in2, f))  over the transformed axes, with f ≥ s1 + s2 − 1 per axis (no wrap-around),
// optionally tiled (overlap-add): in1 is cut into blocks of b samples per axis, each block is convolved with in2 at a
// smaller FFT size f ≥ b + s2 − 1, and the pieces are added at their offsets. Axes that are not transformed broadcast
// (sizes equal or 1). Everything is computed in one dtype inside one workspace: staging copies of both inputs, the
// spectrum of in2 (once), the spectrum of the current in1 tile, twiddle tables and the output window.
// The last transformed axis is real (half-length complex FFT + split), the others complex; see src/kernels/fft.ts.
import { ctorOf, product, stridesOf, uninitialized, type DType, type Float } from './arrays';
import { runDirect, type DirectPlan } from './direct';
import { colWork, rowWork } from './kernels/fft';
import { NONFINITE, stagedNonFinite, type NonFiniteRule } from './nonfinite';
import type { BackendOption } from './plan';
import { chunking } from './threads';
import { backendFor, copyOut, planBackend, threadsFor, withWorkspace, type Backend, type Workspace } from './workspace';

/**
 * The smallest n' ≥ n of the form 2^a·3^b·5^c that is a multiple of `multiple` (a power of two).
 * @example nextFastLen(1001) // 1024; nextFastLen(1001, 8) // 1024; nextFastLen(121) // 125
 */
export function nextFastLen(n: number, multiple = 1): number {
  if (n <= multiple) return multiple;
  let best = Infinity;
  for (let p5 = 1; p5 < 2 * n; p5 *= 5) {
    for (let p35 = p5; p35 < 2 * n; p35 *= 3) {
      let v = p35 * multiple;
      while (v < n) v *= 2;
      if (v < best) best = v;
    }
  }
  return best;
}

/** FFT length of the real (last transformed) axis: even, and a multiple of 8 once large so that m = f/2 starts with radix 4. */
export function realFastLen(n: number): number {
  return nextFastLen(n, n >= 64 ? 8 : 2);
}

const twiddles = new Map<string, Float>();

/**
 * Table of w_T^j = e^{−2πij/T}, j < T, as (cos, −sin) pairs, computed once per (T, dtype) in float64 and kept on the
 * JS side; each call copies it into its workspace (O(T), small beside the O(T log T) transform). Keeping it in wasm
 * memory instead would need a region outside the per-call arena, which the loader does not have.
 */
export function twiddleTable(T: number, dtype: DType): Float {
  const key = `${T}:${dtype}`;
  let t = twiddles.get(key);
  if (!t) {
    t = new (ctorOf(dtype))(2 * T);
    for (let j = 0; j < T; j++) {
      const a = (-2 * Math.PI * j) / T;
      t[2 * j] = Math.cos(a);
      t[2 * j + 1] = Math.sin(a);
    }
    if (twiddles.size > 64) twiddles.clear();
    twiddles.set(key, t);
  }
  return t;
}

/**
 * scipy.fft.next_fast_len(n) (pocketfft's good_size for complex transforms): the smallest n' ≥ n whose prime factors
 * are 2, 3, 5, 7 and 11. SciPy's overlap-add picks its blocks with it; convcorr transforms at its own fast length
 * (factors 2, 3, 5) ≥ that block, with zero padding, so the blocks — and where a NaN spreads — are SciPy's.
 * @example scipyFastLen(13) // 14; scipyFastLen(100) // 100; scipyFastLen(97) // 98
 */
export function scipyFastLen(n: number): number {
  if (n <= 6) return Math.max(1, n);
  let best = 2 ** Math.ceil(Math.log2(n));
  for (let f11 = 1; f11 < best; f11 *= 11) {
    for (let f7 = f11; f7 < best; f7 *= 7) {
      for (let f5 = f7; f5 < best; f5 *= 5) {
        let x = f5;
        while (x < n) x *= 2;
        for (;;) {
          if (x < n) {
            x *= 3;
            continue;
          }
          if (x < best) best = x;
          if (x % 2 !== 0) break;
          x /= 2;
        }
      }
    }
  }
  return best;
}

/**
 * scipy.signal._signaltools._calc_oa_lens for one axis (in1 the larger): SciPy's block length — the span of in1 one
 * block's result covers, step + s2 − 1 — or 0 when SciPy does not split this axis.
 */
export function scipyOaBlock(s1: number, s2: number): number {
  if (s1 === s2 || s1 === 1 || s2 === 1 || s2 > s1 || s2 >= s1 / 2) return 0;
  // opt = −K·W₋₁(−1/(2eK)), K = s2 − 1: the larger root of N = K·(ln(2N) + 1), by fixed-point iteration.
  const K = s2 - 1;
  let N = K * (Math.log(2 * K) + 1) + 1;
  for (let i = 0; i < 100; i++) N = K * (Math.log(2 * N) + 1);
  const block = scipyFastLen(Math.ceil(N - 1e-9 * N));
  return block >= s1 ? 0 : block;
}

/** Overlap-add block for one axis by scipy.signal's _calc_oa_lens rule at convcorr's fast lengths: the FFT length, or 0 for no split. */
export function oaFftLen(s1: number, s2: number, real: boolean, minOverlap = 0): number {
  if (s1 === s2 || s1 === 1 || s2 === 1 || s2 > s1 || s2 >= s1 / 2) return 0;
  // Minimum of N/(N−K)·log2(2N) with K = s2 − 1: N = K·(ln(2N) + 1), solved by fixed-point iteration (scipy uses
  // the Lambert W function; both give the same root). minOverlap > K gives larger blocks (fewer per-block costs).
  const K = Math.max(s2 - 1, minOverlap);
  let N = K * (Math.log(2 * K) + 1) + 1;
  for (let i = 0; i < 50; i++) N = K * (Math.log(2 * N) + 1);
  const f = real ? realFastLen(Math.ceil(N)) : nextFastLen(Math.ceil(N));
  return f >= s1 ? 0 : f;
}

export interface FftProblem {
  dtype: DType;
  x1: Float | number[];
  s1: number[];
  x2: Float | number[];
  s2: number[];
  /** Correlation: in2 reversed on every axis. */
  reverse2: boolean;
  /** Axes transformed (ascending); the others broadcast. Each has s1 > 1 and s2 > 1. */
  axes: number[];
  /** Per axis, the full-output index where the output window starts, and the window's length. */
  start: number[];
  outShape: number[];
  /** 'none': one transform per axis; 'oa': overlap-add blocks by scipy's rule (oaconvolve); 'auto': the cheaper. */
  tiling: 'none' | 'oa' | 'auto';
  /**
   * What this FFT does on NaN or ±Infinity (src/nonfinite.ts; default NONFINITE.fft, SciPy's spread): 'step-aside'
   * (method 'auto') returns undefined when a staged input holds one, and the caller runs the rule's fallback.
   */
  nonFinite?: NonFiniteRule;
  /** An array of the output's size and dtype (sharing no memory with the inputs) that receives the result. */
  into?: Float;
  /**
   * Stage in1 (x1.length elements, only its length is read) into the workspace at element offset `off` yourself,
   * e.g. to transform it there. Used only when in1 keeps its role (see swapPays) and its axes their order.
   */
  stage1?: (ws: Workspace, off: number) => void;
  /**
   * Work on the result while it is still in the workspace, instead of copying it out: `sizes` are extra buffers of
   * the workspace, `run` gets the offsets of staged in1, of the result (C order) and of the extra buffers, and what
   * it returns is returned. Used only when the axes keep their order (as stage1).
   */
  then?: { sizes: number[]; run: (ws: Workspace, x1: number, out: number, extra: number[]) => Float };
}

/**
 * Per transformed axis: in1 tile step, FFT length; shared by the engine and the cost model. blocks[t] > 0 is the span
 * of one tile's result (step + s2 − 1), transformed at the fast length ≥ it.
 */
export function fftGeometry(s1: number[], s2: number[], axes: number[], blocks: number[]) {
  const T = axes.length;
  return axes.map((a, t) => {
    const real = t === T - 1;
    const full = s1[a] + s2[a] - 1;
    // A block (the span of one tile's result) is transformed at the next fast length ≥ it, zero-padded.
    const span = blocks[t] > 0 ? blocks[t] : full;
    const f0 = real ? realFastLen(span) : nextFastLen(span);
    const step = blocks[t] > 0 ? blocks[t] - s2[a] + 1 : s1[a];
    return { step, f: f0, tiles: Math.ceil(s1[a] / step) };
  });
}

/** Whether in2 is at least as large as in1 on every transformed axis and larger on one (then the inputs swap roles). */
export function swapPays(s1: number[], s2: number[], axes: number[]): boolean {
  return axes.every((a) => s2[a] >= s1[a]) && axes.some((a) => s2[a] > s1[a]);
}

/** Block FFT lengths per transformed axis (0: no split) for a tiling policy, in1 being the larger input. */
export function blocksFor(tiling: FftProblem['tiling'], s1: number[], s2: number[], axes: number[]): number[] {
  if (tiling === 'oa') return axes.map((a) => scipyOaBlock(s1[a], s2[a]));
  if (tiling === 'auto') return chooseBlocks(s1, s2, axes);
  return axes.map(() => 0);
}

/** Visit every index in the box [lo_t, hi_t) (t < lo.length), last axis fastest. */
function box(lo: number[], hi: number[], fn: (idx: number[]) => void): void {
  const d = lo.length;
  if (lo.some((l, t) => l >= hi[t])) return;
  const idx = lo.slice();
  for (;;) {
    fn(idx);
    let t = d - 1;
    while (t >= 0) {
      idx[t]++;
      if (idx[t] < hi[t]) break;
      idx[t] = lo[t];
      t--;
    }
    if (t < 0) return;
  }
}

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

/** Copy x (shape s) into mem at off with its axes in `perm` order, optionally reversed on every axis. */
function stage(mem: Float, off: number, x: Float | number[], s: number[], perm: number[], reverse: boolean): void {
  const n = x.length;
  const identity = perm.every((p, i) => p === i);
  if (identity && !reverse) {
    mem.set(x, off);
    return;
  }
  if (identity) {
    for (let i = 0; i < n; i++) mem[off + i] = x[n - 1 - i];
    return;
  }
  const ps = perm.map((p) => s[p]);
  const srcStrides = stridesOf(s);
  const pst = perm.map((p) => srcStrides[p]);
  let o = off;
  box(ps.map(() => 0), ps, (idx) => {
    const src = dot(idx, pst);
    mem[o++] = x[reverse ? n - 1 - src : src];
  });
}

/** Run an FFT convolution problem; returns the output window, C-order in the original axis order. */
export function runFftProblem(op: string, backend: BackendOption, P: FftProblem & { nonFinite?: undefined }): Float;
export function runFftProblem(op: string, backend: BackendOption, P: FftProblem): Float | undefined;
export function runFftProblem(op: string, backend: BackendOption, P: FftProblem): Float | undefined {
  return fftOn(op, planBackend(op, backend), P);
}

function fftOn(op: string, backend: Backend, P: FftProblem): Float | undefined {
  const d = P.s1.length;
  const { axes } = P;
  const T = axes.length;
  const rule = P.nonFinite ?? NONFINITE.fft;
  if (T === 0) return broadcastProduct(op, backend, P);
  // Convolution commutes: when in2 is the larger input on every transformed axis, it is the one cut into blocks.
  const swap = swapPays(P.s1, P.s2, axes);
  const [x1, x2] = swap ? [P.x2, P.x1] : [P.x1, P.x2];
  const [s1, s2] = swap ? [P.s2, P.s1] : [P.s1, P.s2];
  const blocks = blocksFor(P.tiling, s1, s2, axes);
  const batch = [...Array(d).keys()].filter((a) => !axes.includes(a));
  const perm = [...batch, ...axes];
  const geo = fftGeometry(s1, s2, axes, blocks);
  const f = geo.map((g) => g.f);
  const m = f[T - 1] / 2;
  // Spectrum layout of one batch element: [f_0, …, f_{T−2}, m + 1] complex, split planes.
  const specShape = [...f.slice(0, T - 1), m + 1];
  const S = product(specShape);
  const specStrides = stridesOf(specShape);
  const B1 = batch.map((a) => s1[a]);
  const B2 = batch.map((a) => s2[a]);
  const T1 = axes.map((a) => s1[a]);
  const T2 = axes.map((a) => s2[a]);
  const n1 = product(T1);
  const n2 = product(T2);
  const outP = perm.map((a) => P.outShape[a]);
  const startP = perm.map((a) => P.start[a]);
  const outStrides = stridesOf(outP);
  const nOut = product(outP);
  const nb2 = product(B2);
  const workSize = Math.max(rowWork(m), ...f.slice(0, T - 1).map((n) => colWork(n)));
  const twSize = f.map((n) => 2 * n);
  const tiled = geo.some((g) => g.tiles > 1);
  // 1-D blocks are batched as rows of one kernel call, G at a time (their spectra stay in cache).
  const G = T === 1 && tiled ? Math.max(1, Math.min(32, Math.floor(65536 / S))) : 1;
  const own = !swap && perm.every((p, i) => p === i);
  // 1-D blocks with a pool: chunks of G-row calls, each thread with its own spectrum rows and work buffer.
  const TT = G > 1 ? threadsFor(op, backend, 5 * (x1.length + nOut) * Math.log2(2 * m)) : 1;
  const sizes = [x1.length, x2.length, 2 * S * nb2, TT * 2 * S * G, TT * workSize, ...twSize, nOut, ...(own && P.then ? P.then.sizes : [])];
  const scale = 1 / (m * product(f.slice(0, T - 1)));

  // Only the 1-D blocks split: every other transform runs on the one-thread build (outside a pool's shared memory).
  return withWorkspace(op, backendFor(backend, TT), P.dtype, sizes, (ws): Float | undefined => {
    const { mem, k } = ws;
    const [st1, st2, spec2, spec1, work, ...rest] = ws.off;
    const tw = rest.slice(0, T);
    const out = rest[T];
    if (own && P.stage1) P.stage1(ws, st1);
    else stage(mem, st1, x1, s1, perm, swap && P.reverse2);
    stage(mem, st2, x2, s2, perm, !swap && P.reverse2);
    // Checked on the staged copies, in wasm SIMD where available: ~20× faster than a JS loop over the inputs.
    const staged = [[st1, x1.length], [st2, x2.length]] as const;
    if (rule.onNonFinite === 'step-aside' && stagedNonFinite(ws, ...staged)) return undefined;
    f.forEach((n, t) => mem.set(twiddleTable(n, P.dtype), tw[t]));

    // Forward transform of the block of `src` (shape srcShape over the transformed axes) at `origin`, `len` samples
    // per axis, into the spectrum at re (im = re + S). Rows and column blocks that only hold padding are skipped.
    const forward = (re: number, src: number, srcShape: number[], origin: number[], len: number[]) => {
      const im = re + S;
      const srcStrides = stridesOf(srcShape);
      const base = src + dot(origin, srcStrides);
      // Zero the rows that hold only padding; real rows are all written by rfftRows.
      const zero = (t: number, off: number): void => {
        if (t === T - 1) return;
        const sub = specStrides[t];
        for (let i = 0; i < len[t]; i++) zero(t + 1, off + i * sub);
        mem.fill(0, re + off + len[t] * sub, re + off + f[t] * sub);
        mem.fill(0, im + off + len[t] * sub, im + off + f[t] * sub);
      };
      zero(0, 0);
      const xStride = T >= 2 ? srcStrides[T - 2] : 0;
      const rows = T >= 2 ? len[T - 2] : 1;
      box(len.slice(0, Math.max(0, T - 2)).map(() => 0), len.slice(0, Math.max(0, T - 2)), (idx) => {
        const so = dot(idx, srcStrides);
        const sp = dot(idx, specStrides);
        k.rfftRows(mem, base + so, len[T - 1], xStride, rows, re + sp, im + sp, m + 1, work, tw[T - 1], m);
      });
      for (let t = T - 2; t >= 0; t--) {
        const inner = specStrides[t];
        const pre = len.slice(0, Math.max(0, t - 1));
        box(pre.map(() => 0), pre, (idx) => {
          const sp = dot(idx, specStrides);
          const count = t >= 1 ? len[t - 1] : 1;
          k.fftCols(mem, re + sp, im + sp, f[t], inner, inner, count, f[t] * inner, work, tw[t], 1);
        });
      }
    };

    // Inverse transform of the spectrum at re, keeping local samples [jlo, jhi) per axis, written (or added) to out.
    const inverse = (re: number, jlo: number[], jhi: number[], outBase: number, accumulate: number) => {
      const im = re + S;
      for (let t = 0; t <= T - 2; t++) {
        const inner = specStrides[t];
        const preLo = jlo.slice(0, Math.max(0, t - 1));
        const preHi = jhi.slice(0, Math.max(0, t - 1));
        box(preLo, preHi, (idx) => {
          const count = t >= 1 ? jhi[t - 1] - jlo[t - 1] : 1;
          const sp = dot(idx, specStrides) + (t >= 1 ? jlo[t - 1] * specStrides[t - 1] : 0);
          // Planes swapped: the forward transform of swap(X) is swap(IDFT(X)).
          k.fftCols(mem, im + sp, re + sp, f[t], inner, inner, count, f[t] * inner, work, tw[t], 1);
        });
      }
      const preLo = jlo.slice(0, Math.max(0, T - 2));
      const preHi = jhi.slice(0, Math.max(0, T - 2));
      const oS = outStrides.slice(batch.length);
      box(preLo, preHi, (idx) => {
        const rows = T >= 2 ? jhi[T - 2] - jlo[T - 2] : 1;
        const rowLo = T >= 2 ? jlo[T - 2] : 0;
        const sp = dot(idx, specStrides) + rowLo * (m + 1);
        const op = outBase + dot(idx, oS) + (T >= 2 ? rowLo * oS[T - 2] : 0) + jlo[T - 1];
        k.irfftRows(mem, re + sp, im + sp, m + 1, rows, op, jlo[T - 1], jhi[T - 1] - jlo[T - 1], T >= 2 ? oS[T - 2] : 0,
          accumulate, work, tw[T - 1], m);
      });
    };

    // NaN and ±Infinity land where SciPy puts them. An FFT spreads a non-finite sample over its whole transform (a NaN
    // through every sum; an infinity through ∞ − ∞), so SciPy's outputs are NaN over every transform unit that read
    // one: the whole batch element for fftconvolve and method 'fft' (one transform there, however convcorr tiles it),
    // one overlap-add block for oaconvolve (its blocks are SciPy's, see scipyOaBlock). Only for transforms of ≤ 8
    // points does SciPy's own arithmetic leave some ±Infinity instead; convcorr gives NaN there too.
    function spreadNonFinite(mem: Float, k: Workspace['k'], units: { step: number; tiles: number }[]): void {
      const oB = outStrides.slice(0, batch.length);
      const oT = outStrides.slice(batch.length);
      const t1s = stridesOf(T1);
      const lead = (v: number[]) => v.slice(0, T - 1);
      box(outB.map(() => 0), outB, (ob) => {
        const b = ob.map((v, i) => v + startB[i]);
        const b1 = dot(b.map((v, i) => (B1[i] === 1 ? 0 : v)), B1s);
        const b2 = dot(b.map((v, i) => (B2[i] === 1 ? 0 : v)), B2s);
        const bad2 = k.nonFinite(mem, st2 + n2 * b2, n2) !== 0;
        const base = out + dot(ob, oB) - dot(startT, oT);
        box(units.map(() => 0), units.map((u) => u.tiles), (tile) => {
          const origin = tile.map((i, t) => i * units[t].step);
          const len = origin.map((o, t) => Math.min(units[t].step, T1[t] - o));
          const jlo = origin.map((o, t) => Math.max(0, startT[t] - o));
          const jhi = origin.map((o, t) => Math.min(len[t] + T2[t] - 1, startT[t] + outT[t] - o));
          if (jlo.some((l, t) => l >= jhi[t])) return;
          let bad = bad2;
          if (!bad) {
            const src = st1 + n1 * b1 + dot(origin, t1s);
            box(lead(len).map(() => 0), lead(len), (i) => {
              if (!bad && k.nonFinite(mem, src + dot(i, lead(t1s)), len[T - 1])) bad = true;
            });
          }
          if (!bad) return;
          const T_ = T - 1;
          box(lead(jlo), lead(jhi), (j) => {
            const row = base + dot(lead(origin).map((o, t) => o + j[t]), lead(oT)) + origin[T_] + jlo[T_];
            mem.fill(NaN, row, row + jhi[T_] - jlo[T_]);
          });
        });
      });
    }

    // Spectra of in2, one per batch element.
    const zeros = T2.map(() => 0);
    box(B2.map(() => 0), B2, (b) => {
      const bi = dot(b, stridesOf(B2));
      forward(spec2 + 2 * S * bi, st2 + n2 * bi, T2, zeros, T2);
    });

    if (tiled) mem.fill(0, out, out + nOut);
    const outB = outP.slice(0, batch.length);
    const startB = startP.slice(0, batch.length);
    const startT = startP.slice(batch.length);
    const outT = outP.slice(batch.length);
    const B1s = stridesOf(B1);
    const B2s = stridesOf(B2);
    box(outB.map(() => 0), outB, (ob) => {
      const b = ob.map((v, i) => v + startB[i]);
      const b1 = dot(b.map((v, i) => (B1[i] === 1 ? 0 : v)), B1s);
      const b2 = dot(b.map((v, i) => (B2[i] === 1 ? 0 : v)), B2s);
      const outBase = out + dot(ob, outStrides.slice(0, batch.length)) - dot(startT, outStrides.slice(batch.length));
      if (G > 1) {
        // Blocks whose whole result lies inside the window run G rows per call; the edge blocks run one by one below.
        const { step } = geo[0];
        const k2 = T2[0];
        const lenOf = (r: number) => Math.min(step, T1[0] - r * step);
        const inside = (r: number) => lenOf(r) === step && r * step >= startT[0] && r * step + step + k2 - 1 <= startT[0] + outT[0];
        const nt = geo[0].tiles;
        let firstTile = 0;
        while (firstTile < nt && !inside(firstTile)) firstTile++;
        let end = firstTile;
        while (end < nt && inside(end)) end++;
        const x = st1 + n1 * b1;
        const sp2 = spec2 + 2 * S * b2;
        // Calls of G blocks each, in chunks. A block's result overlaps the next block's by k2 − 1 samples, which both
        // add onto zeros: with step ≥ k2 − 1 no sample gets more than two terms, and a + b = b + a, so the order
        // of blocks does not change a bit. Even chunks run together, then odd ones: no two threads add to one sample.
        const calls = Math.ceil((end - firstTile) / G);
        const sp = step >= k2 - 1 ? chunking(calls, 5 * calls * G * 2 * S * Math.log2(2 * m), 1) : chunking(calls, 0);
        const specSlot = 2 * S * G;
        for (const phase of [0, 1]) {
          ws.parallel(TT, Math.ceil((sp.chunks - phase) / 2), (c0, c1, t) => {
            const s1 = spec1 + t * specSlot;
            const s1i = s1 + S * G;
            const wk = work + t * workSize;
            for (let c = 2 * c0 + phase; c < 2 * c1 + phase && c < sp.chunks; c += 2) {
              for (let call = sp.at(c); call < sp.at(c + 1); call++) {
                const r0 = firstTile + call * G;
                const rows = Math.min(G, end - r0);
                k.rfftRows(mem, x + r0 * step, step, step, rows, s1, s1i, S, wk, tw[0], m);
                for (let r = 0; r < rows; r++) k.cmul(mem, s1 + r * S, s1i + r * S, sp2, sp2 + S, S, scale);
                k.irfftRows(mem, s1, s1i, S, rows, outBase + r0 * step, 0, step + k2 - 1, step, 1, wk, tw[0], m);
              }
            }
          });
        }
        if (end > firstTile) {
          for (let r = 0; r < firstTile; r++) edge([r]);
          for (let r = end; r < nt; r++) edge([r]);
          return;
        }
      }
      box(geo.map(() => 0), geo.map((g) => g.tiles), edge);
      function edge(tile: number[]) {
        const origin = tile.map((i, t) => i * geo[t].step);
        const len = origin.map((o, t) => Math.min(geo[t].step, T1[t] - o));
        // Local samples of this tile's result that fall inside the output window.
        const jlo = origin.map((o, t) => Math.max(0, startT[t] - o));
        const jhi = origin.map((o, t) => Math.min(len[t] + T2[t] - 1, startT[t] + outT[t] - o));
        if (jlo.some((l, t) => l >= jhi[t])) return;
        forward(spec1, st1 + n1 * b1, T1, origin, len);
        k.cmul(mem, spec1, spec1 + S, spec2 + 2 * S * b2, spec2 + 2 * S * b2 + S, S, scale);
        inverse(spec1, jlo, jhi, outBase + dot(origin, outStrides.slice(batch.length)), tiled ? 1 : 0);
      }
    });
    if (rule.onNonFinite === 'spread' && stagedNonFinite(ws, ...staged)) {
      spreadNonFinite(mem, k, P.tiling === 'oa' ? geo : T1.map((n) => ({ step: n, tiles: 1 })));
    }
    if (own && P.then) return P.then.run(ws, st1, out, rest.slice(T + 1));
    if (perm.every((p, i) => p === i)) return copyOut(mem, out, nOut, P.into);
    // Every element is written below.
    const res = P.into ?? uninitialized(P.dtype, nOut);
    const origStrides = stridesOf(P.outShape);
    const ps = perm.map((a) => origStrides[a]);
    let o = out;
    box(outP.map(() => 0), outP, (idx) => {
      res[dot(idx, ps)] = mem[o++];
    });
    return res;
  });
}

/**
 * No transformed axis: the result is the broadcast product in1 · in2 over the window (SciPy returns in1 * in2). Both
 * inputs are staged in one workspace, so the size guard is every op's; the last two axes run in the bmul kernel
 * (a broadcast axis has stride 0), the leading ones loop here.
 */
function broadcastProduct(op: string, backend: Backend, P: FftProblem): Float {
  const d = P.outShape.length;
  const nOut = product(P.outShape);
  return withWorkspace(op, backend, P.dtype, [P.x1.length, P.x2.length, nOut], (ws) => {
    const { mem, k } = ws;
    const [a, b, out] = ws.off;
    mem.set(P.x1, a);
    if (P.reverse2) {
      const n2 = P.x2.length;
      for (let i = 0; i < n2; i++) mem[b + i] = P.x2[n2 - 1 - i];
    } else {
      mem.set(P.x2, b);
    }
    // Per axis: the element stride of each input (0 where it broadcasts) and the offset of the window's start.
    const st1 = stridesOf(P.s1).map((v, ax) => (P.s1[ax] > 1 ? v : 0));
    const st2 = stridesOf(P.s2).map((v, ax) => (P.s2[ax] > 1 ? v : 0));
    const a0 = a + dot(P.start, st1);
    const b0 = b + dot(P.start, st2);
    const rows = d >= 2 ? P.outShape[d - 2] : 1;
    const cols = P.outShape[d - 1];
    const lead = P.outShape.slice(0, Math.max(0, d - 2));
    const r1 = d >= 2 ? st1[d - 2] : 0;
    const r2 = d >= 2 ? st2[d - 2] : 0;
    let o = out;
    box(lead.map(() => 0), lead, (idx) => {
      k.bmul(mem, a0 + dot(idx, st1), r1, st1[d - 1], b0 + dot(idx, st2), r2, st2[d - 1], o, rows, cols);
      o += rows * cols;
    });
    return copyOut(mem, out, nOut);
  });
}

/**
 * Method 'fft' of convolve/correlate: the direct plan's window, computed by FFT (tiled when that is cheaper).
 * `auto`: method 'auto' chose the FFT by cost; if a staged input turns out to hold NaN or ±Infinity, the FFT steps
 * aside to `direct` (src/nonfinite.ts, path 'fft-auto'). `into`: the caller's `output` (of the plan's dtype, sharing no
 * memory with the inputs), written in place; without it the result was made fresh and then copied into `output`,
 * which cost a 4 MB result's page faults on every call.
 */
export function runFft(
  op: string, backend: BackendOption, plan: DirectPlan, x: Float, h: Float, auto = false,
  direct: (op: string, backend: Backend, plan: DirectPlan, x: Float, h: Float) => Float = runDirect, into?: Float,
): Float {
  const be = planBackend(op, backend);
  const s1 = plan.xShape;
  const s2 = plan.hShape;
  const axes = s1.map((_, a) => a).filter((a) => s1[a] > 1 && s2[a] > 1);
  const res = fftOn(op, be, {
    dtype: plan.dtype, x1: x, s1, x2: h, s2, reverse2: !plan.flip, axes,
    start: plan.lo.map((l, a) => l + s2[a] - 1), outShape: plan.outShape, tiling: 'auto', nonFinite: NONFINITE[auto ? 'fft-auto' : 'fft'],
    into,
  });
  return res ?? direct(op, be, plan, x, h);
}

/**
 * Block FFT lengths for method 'fft': overlap-add (scipy's block rule) on the axes where it finds a useful block, or
 * one transform, whichever the operation count says is less work.
 */
export function chooseBlocks(s1: number[], s2: number[], axes: number[]): number[] {
  const none = axes.map(() => 0);
  // Blocks of a few dozen samples per axis cost more in per-block work than the operation count says (measured: a
  // 1024² image with a 7×7 kernel runs 5× slower in 36×40 blocks than the count predicts), so blocks are kept larger.
  const minOverlap = axes.length === 1 ? 16 : 32;
  const oa = axes.map((a, t) => oaFftLen(s1[a], s2[a], t === axes.length - 1, minOverlap));
  if (oa.every((b) => b === 0)) return none;
  return fftUnits(s1, s2, axes, oa) < fftUnits(s1, s2, axes, none) ? oa : none;
}

/** Σ F·log2 F over every transform of a problem (F = the real FFT size of one block), batch included. */
export function fftUnits(s1: number[], s2: number[], axes: number[], blocks: number[]): number {
  const geo = fftGeometry(s1, s2, axes, blocks);
  const F = product(geo.map((g) => g.f));
  const tiles = product(geo.map((g) => g.tiles));
  let b1 = 1;
  let b2 = 1;
  s1.forEach((v, a) => {
    if (!axes.includes(a)) {
      b1 = Math.max(b1, v, s2[a]);
      b2 *= s2[a];
    }
  });
  return (2 * b1 * tiles + b2) * F * Math.log2(Math.max(2, F));
}
