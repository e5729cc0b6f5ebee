// The one table of kernels. Each family file (src/kernels/*.ts) holds the JS twins (`mem` is one typed array — the
// wasm heap view or a plain array on 'js' — and every other argument an element offset, size or flag); each kernel
// is declared once in src/kernels/table.ts, from which its wasm export is bound. Dispatch, tests and benchmarks go
// through this table; adding a kernel is its wasm export, its JS twin and one declaration.
import type { DType } from './arrays';
import * as bmul from './kernels/bmul';
import * as complex from './kernels/complex';
import * as corr from './kernels/corr';
import * as fft from './kernels/fft';
import * as nonfinite from './kernels/nonfinite';
import * as gemm from './kernels/gemm';
import * as grad from './kernels/grad';
import * as similarity from './kernels/similarity';
import { bindWasm } from './kernels/table';
import { exportIndex, recording } from './threads';
import type { WasmModule } from './wasm';

/** One row per family: add a family by importing it and adding it here and to `Kernels`. */
const families = [corr, gemm, fft, nonfinite, grad, bmul, complex, similarity] as const;

export type Kernels = corr.Family & gemm.Family & fft.Family & nonfinite.Family & grad.Family & bmul.Family & complex.Family & similarity.Family;

export const jsKernels: Kernels = Object.assign({}, ...families.map((f) => f.js));

const bound = new Map<string, Kernels>();
const boundGeneration = new Map<string, number>();

/** Bind the wasm exports of one module for one dtype (cached), from the declarations of src/kernels/table.ts. */
export function wasmKernels(m: WasmModule, dtype: DType): Kernels {
  // Per instance: a fresh instance (memory given back, src/wasm.ts releaseMemory) has its own exports.
  const key = `${m.threaded ? 'threads-' : ''}${m.variant}:${dtype}`;
  let k = bound.get(key);
  if (!k || boundGeneration.get(key) !== m.generation) {
    const bpe = dtype === 'float32' ? 4 : 8;
    const sfx = dtype === 'float32' ? 'f32' : 'f64';
    const exp = (name: string) => {
      const f = m.exports[`${name}_${sfx}`] as (...args: number[]) => number | undefined;
      if (!m.threaded) return f;
      const i = exportIndex(m).get(`${name}_${sfx}`)!;
      // A threads build: inside a parallel region's recording (src/threads.ts), a call becomes an entry of a
      // worker's list: export index, argument count, arguments. Outside one it is the export, result included
      // (nonFinite's and shiftPlane's flags: dropped, a pool made every input look finite to the non-finite policy).
      return (...args: number[]): number | undefined => {
        const list = recording.list;
        if (!list) return f(...args);
        list.push(i, args.length, ...args);
        return undefined;
      };
    };
    k = bindWasm(exp, bpe) as unknown as Kernels;
    bound.set(key, k);
    boundGeneration.set(key, m.generation);
  }
  return k;
}

/** A replacement for one kernel: given its name, its function and the backend, return the function to call. */
export type KernelWrapper = (name: string, kernel: (...args: never[]) => unknown, backend: 'js' | 'wasm', binding: string) => (...args: never[]) => unknown;

const jsOriginal: Kernels = { ...jsKernels };
let wrapper: KernelWrapper | undefined;

function wrapInPlace(k: Kernels, backend: 'js' | 'wasm', binding: string, from: Kernels): void {
  const table = k as unknown as Record<string, (...args: never[]) => unknown>;
  const src = from as unknown as Record<string, (...args: never[]) => unknown>;
  for (const name of Object.keys(src)) table[name] = wrapper ? wrapper(name, src[name], backend, binding) : src[name];
}

// wasm bindings are wrapped where they enter wasmKernels' cache (the same object wasmKernels returns), so that
// function stays as it is; with no wrapper set this costs nothing per call.
const setBound = bound.set.bind(bound);
bound.set = (key: string, k: Kernels) => {
  if (wrapper) wrapInPlace(k, 'wasm', key, { ...k });
  return setBound(key, k);
};

/**
 * Test hook (the mutation run, `scripts/mutation.mjs` with `test/mutation.setup.ts`): route every kernel of the js
 * table and of every wasm binding made from now on through `fn`; `setKernelWrapper(undefined)` restores them.
 * @example setKernelWrapper((name, kernel) => (...args) => kernel(...args)); // a no-op wrapper
 */
export function setKernelWrapper(fn: KernelWrapper | undefined): void {
  wrapper = fn;
  wrapInPlace(jsKernels, 'js', 'js', jsOriginal);
  bound.clear(); // bindings made before are rebound (and wrapped) on their next use
}
