// Every kernel declared once, as data: its name (the JS twin's name in src/kernels/<family>.ts; the wasm export is
// the name in snake_case with the dtype's suffix, `corr2dHwcU8` → `corr2d_hwc_u8_f32`), its arguments after `mem`,
// the dtypes it is exported for, and how far past each buffer it may read or write. The wasm binders are generated
// from the argument lists (bindWasm; src/kernels/bind.ts holds one binder slot per kernel, written by
// scripts/gen-binders.mjs), and test/kernel-table.test.ts checks every twin and export against them and
// guards the over-write allowances.
//
// Argument grammar, one word per argument after `mem`:
//   x*    an element offset into mem (the binder passes x · bytesPerElement, a byte pointer)
//   out*! an element offset the kernel writes (or reads and writes)
//   b#    a byte offset or a count of bytes, passed as is (`b#!`: written)
//   n     a scalar (size, stride, flag, or a float such as a scale), passed as is
//   nr~   JS only: the packed panel width where the wasm build holds it as a constant; always last
import { SITES } from './bind';

export type DTypeSuffix = 'f32' | 'f64';

/** One argument after `mem`, parsed from its word. */
export interface KernelArg {
  name: string;
  kind: 'element' | 'byte' | 'scalar' | 'js';
  writes: boolean;
}

/** A declared kernel (see the grammar above); allowances are bytes past the end of the buffer an argument points at. */
export interface KernelDecl {
  name: string;
  args: readonly KernelArg[];
  dtypes: readonly DTypeSuffix[];
  /** Bytes past the buffer at this pointer argument that the kernel may read (they feed dropped lanes only). */
  reads: Readonly<Record<string, number>>;
  /** Bytes past the buffer at this pointer argument that the kernel may overwrite with garbage. */
  writes: Readonly<Record<string, number>>;
}

/**
 * The pad, in bytes, that the workspace leaves after every buffer (src/workspace.ts): the largest allowance below.
 * 32 bytes: two 16-byte vectors, which is also the packed GEMM panel width (nr = 8 float32 or 4 float64).
 */
export const EXTRA_BYTES = 32;

/** The workspace pad after every buffer in elements of a dtype of `bytesPerElement` bytes. */
export function extraElements(bytesPerElement: number): number {
  return EXTRA_BYTES / bytesPerElement;
}

const BOTH: readonly DTypeSuffix[] = ['f32', 'f64'];

function kernel(
  name: string, words: string,
  more: { dtypes?: readonly DTypeSuffix[]; reads?: Record<string, number>; writes?: Record<string, number> } = {},
): KernelDecl {
  const args = words.split(/\s+/).filter(Boolean).map((w): KernelArg => {
    const m = /^([A-Za-z][A-Za-z0-9]*)([*#~]?)(!?)$/.exec(w);
    if (!m) throw new Error(`kernel table: ${name}: bad argument word '${w}'`);
    const kind = m[2] === '*' ? 'element' : m[2] === '#' ? 'byte' : m[2] === '~' ? 'js' : 'scalar';
    return { name: m[1], kind, writes: m[3] === '!' };
  });
  return { name, args, dtypes: more.dtypes ?? BOTH, reads: more.reads ?? {}, writes: more.writes ?? {} };
}

/** The declarations, family by family (assembly/<file>.ts ↔ src/kernels/<family>.ts). */
export const KERNELS: readonly KernelDecl[] = [
  // corr: assembly/corr2d.ts, corr2d_hwc.ts, corr_taps.ts, narrow.ts
  kernel('corr2d', 'x* xStride h* kh kw out*! outH outW outStride accumulate'),
  kernel('corr2dHwcU8', 'x* xStride h* kh kw C outByte#! outH outW outStrideBytes'),
  kernel('u8Widen', 'srcByte# n dst*!'),
  kernel('corrTaps', 'x* xStride taps* n out*! outH outW outStride'),
  kernel('narrow', 'at*! n', { dtypes: ['f64'] }),
  kernel('widen', 'at*! n', { dtypes: ['f64'] }),
  // gemm: assembly/gemm.ts (+ gemm_core.ts), dwconv.ts, transpose.ts, boundary.ts (padPlanes), winograd.ts, direct3.ts
  kernel('gemm', 'M N K a* lda w* c*! ldc nr~'),
  // A and C transposed (A[i, k] at a + k·lda + i·ia): at ia = 1 the last 4-row block reads up to 3 elements past A's
  // rows; at ia = 2 in float32 a block's gather reads one element past its last row.
  kernel('gemmT', 'M N K a* lda ia w* c*! ldc nr~', { reads: { a: 24 } }),
  // Whole vectors spill up to one vector past a run (assembly/gemm.ts): past the input x and the im2col tile col.
  kernel('convGemm', 'x* hp wp C cOff cinG kd kh kw sd sh sw dd dh dw od oh ow w* coutG out*! ldo col*! tileRows nr~',
    { reads: { x: 16 }, writes: { col: 16 } }),
  kernel('dwconv', 'x* hp wp C kd kh kw sd sh sw dd dh dw od oh ow w* out*!'),
  kernel('transpose', 'src* rows cols lds dst*! ldd'),
  kernel('packGemm', 'src* coS ciS tapS cinG taps coutG flip bias* hasBias dst*! nr~'),
  kernel('padPlanes', 'src* P h w dst*! ph pw pbH pbW mode'),
  kernel('winogradWeights', 'src* coS ciS tapS C Cout flip dst*! planeStride nr~'),
  kernel('winograd', 'x* pw C th tw oh ow u* Cout bias* hasBias out*! v*! m*! tileBlock nr~'),
  kernel('direct3', 'x* wp sh sw oh ow w* Cout out*! ldo nr~'),
  // Rows of ow not a multiple of the lanes run wide into tmp (oh rows of ow rounded up to 4): past the last plane
  // they read fewer than the lanes at stride 1, 2·(lanes − 1) at stride 2 (3×3 only).
  kernel('dwPlanes', 'x* P C c0 H W ph pw pbH pbW mode h* kh kw bias* hasBias out*! oh ow tmp*! pad*! stride', { reads: { x: 24, pad: 24 } }),
  // fft: assembly/fft.ts
  kernel('fftCols', 're*! im*! n inner width count dist work*! tw* twStride'),
  kernel('rfftRows', 'x* xLen xStride rows re*! im*! specStride work*! tw* m'),
  kernel('irfftRows', 're*! im*! specStride rows out*! lo len outStride accumulate work*! tw* m'),
  kernel('cmul', 'ar*! ai*! br* bi* n scale'),
  kernel('fftColsMul', 're*! im*! n inner width count dist work*! tw* twStride br* bi* scale'),
  // nonfinite: assembly/nonfinite.ts (the scan of the non-finite policy, src/nonfinite.ts)
  kernel('nonFinite', 'x* n'),
  // grad: assembly/grad.ts
  kernel('gradIm2col', 'x* ph pw cs cinG kd kh kw sd sh sw dd dh dw oh ow p0 rows col*!'),
  kernel('gradCol2im', 'x*! ph pw cs cinG kd kh kw sd sh sw dd dh dw oh ow p0 rows col*'),
  kernel('gradPack', 'src* rs cs rows cols dst*! nr'),
  kernel('gradAdd', 'dst*! src* n'),
  kernel('gradWinoU', 'dy* oh ow cs C t0 nt tw u*! us'),
  // Each panel of nr channels is read whole: up to nr − 1 channels past the last pixel's C (src/nn/grad-weight.ts).
  kernel('gradWinoV', 'x* pw C t0 nt tw v*! nr', { reads: { x: 32 } }),
  kernel('gradWinoOut', 'm* ms n d*! ds flip'),
  kernel('gradDwWeight', 'x* ph pw dy* od oh ow kd kh kw dd dh dw out*!'),
  // bmul: assembly/bmul.ts
  kernel('bmul', 'a* aRow aCol b* bRow bCol out*! rows cols'),
  // complex: assembly/complex.ts
  kernel('ccorr2d', 'xr* xi* xStride hr* hi* kh kw or*! oi*! outH outW outStride accumulate'),
  kernel('transposePlane', 'src* dst*! rows cols'),
  // similarity: assembly/similarity.ts
  kernel('shiftPlane', 'p*! n g'),
  kernel('windowSums', 'p* W h w r sc*! S*! Q*!'),
  kernel('scoreRow', 'c* S* Q* n out*! mode K m0 g Kg2 tn usedSq eps'),
  kernel('matchRows', 'p* W h w r0 r1 sc*! S*! Q*! c* out*! mode K m0 g Kg2 tn usedSq eps'),
];

/** The wasm export stem of a kernel name: camelCase to snake_case (`gradWinoU` → `grad_wino_u`). */
export function exportStem(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The wasm export of a kernel for a dtype (`corr2d`, 'f32' → `corr2d_f32`). */
export function exportName(name: string, dtype: DTypeSuffix): string {
  return `${exportStem(name)}_${dtype}`;
}

/** Arguments the wasm export takes: all but the JS-only ones. */
export function wasmArity(d: KernelDecl): number {
  return d.args.filter((a) => a.kind !== 'js').length;
}

/**
 * Bind every declared kernel of one module for one dtype: element offsets × bytesPerElement, the rest as is, the
 * JS-only arguments dropped. `exp(stem)` looks an export up by its stem (src/kernels.ts). A kernel not exported for
 * the dtype throws when called. Kernel i of wasm arity n takes binder slot SITES[n][i] (src/kernels/bind.ts).
 */
export function bindWasm(exp: (stem: string) => (...args: number[]) => number | void, bpe: number): Record<string, unknown> {
  const suffix: DTypeSuffix = bpe === 4 ? 'f32' : 'f64';
  const k: Record<string, unknown> = {};
  const used = new Map<number, number>();
  for (const d of KERNELS) {
    const n = wasmArity(d);
    const slot = used.get(n) ?? 0;
    used.set(n, slot + 1);
    if (!d.dtypes.includes(suffix)) {
      k[d.name] = () => {
        throw new Error(`kernel ${d.name} has no ${suffix} wasm export (declared for ${d.dtypes.join(', ')})`);
      };
      continue;
    }
    const site = SITES[n]?.[slot];
    if (!site) throw new Error(`kernel table: no binder slot ${slot} for wasm arity ${n} (${d.name}): run node scripts/gen-binders.mjs`);
    k[d.name] = site(exp(exportStem(d.name)), d.args.filter((a) => a.kind !== 'js').map((a) => (a.kind === 'element' ? bpe : 1)));
  }
  return k;
}
