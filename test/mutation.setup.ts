// The mutation run's fault injector (scripts/mutation.mjs; `npm run test:mutation`). With CONVCORR_MUTATE set to
// `<backend>:<kernel>[,<kernel>…]` (backend 'js' or 'wasm'), every named kernel of that backend scales each element
// it wrote by (1 + CONVCORR_MUTATE_REL) (default 1e-5) after it runs: the tests that cover it must then fail.
// Without CONVCORR_MUTATE this file does nothing.
//
// "Each element it wrote" is found by difference, so no per-kernel table of output arguments can drift from the
// kernels: the scratch memory the kernel can reach (the whole `mem` on 'js'; the arena's [base, top) on wasm, which
// holds every buffer of the running call and the prepared layers' packed weights) is copied before the call, and
// every element that differs after it is scaled. An element rewritten with its old value is missed, which only
// makes the fault smaller. Results in float32 memory are faulted; `narrow` (float64 workspace, float32 results at
// the same address) has its float32 results faulted; kernels run in float64 memory are left alone unless
// CONVCORR_MUTATE_DTYPES names float64 too, or CONVCORR_MUTATE_F64 names the kernel (those that compute float32
// ops' results in double scratch). corr2dHwcU8 writes bytes (a rounded uint8): not faulted.
// Each test file appends `<kernel> <calls faulted>` lines to CONVCORR_MUTATE_LOG, so a row that never ran says so.
import { appendFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { jsKernels, setKernelWrapper } from '../src/kernels';
import { loadedModule, type WasmVariant } from '../src/wasm';

const spec = process.env.CONVCORR_MUTATE;
if (spec) {
  const [backend, list] = spec.split(':');
  const names = new Set(list.split(','));
  const rel = Number(process.env.CONVCORR_MUTATE_REL ?? '1e-5');
  const dtypes = new Set((process.env.CONVCORR_MUTATE_DTYPES ?? 'float32').split(','));
  // Kernels that compute float32 ops' results in double scratch (corrTaps' kept-tap sums, widen's float32 rows):
  // their float64 results are faulted too.
  const wide = new Set((process.env.CONVCORR_MUTATE_F64 ?? '').split(','));
  if (backend !== 'js' && backend !== 'wasm') throw new Error(`CONVCORR_MUTATE: backend ${backend} is not js or wasm`);
  for (const n of names) if (!(n in jsKernels)) throw new Error(`CONVCORR_MUTATE: no kernel ${n} in the table`);
  const fired = new Map<string, number>();
  const scale = (a: Float32Array | Float64Array, lo: number, before: Float32Array | Float64Array) => {
    for (let i = 0; i < before.length; i++) {
      const v = a[lo + i];
      if (!Object.is(v, before[i])) a[lo + i] = v * (1 + rel);
    }
  };
  setKernelWrapper((name, kernel, be, binding) => {
    if (be !== backend || !names.has(name) || name === 'corr2dHwcU8') return kernel;
    // The binding key is `[threads-]<variant>:<dtype>`: without the module found, the whole memory is compared.
    const variant = binding.split(':')[0].replace(/^threads-/, '') as WasmVariant;
    const run = kernel as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => {
      const mem = args[0] as Float32Array | Float64Array;
      const f32 = mem instanceof Float32Array;
      if (name === 'narrow' && dtypes.has('float32')) {
        // mem[at … at + n) (float64) become n float32 at the same address: fault those.
        const [, at, n] = args as [unknown, number, number];
        const r = run(...args);
        const view = new Float32Array(mem.buffer, mem.byteOffset + at * mem.BYTES_PER_ELEMENT, n);
        for (let i = 0; i < n; i++) view[i] *= 1 + rel;
        fired.set(name, (fired.get(name) ?? 0) + 1);
        return r;
      }
      if (!dtypes.has(f32 ? 'float32' : 'float64') && !(!f32 && wide.has(name))) return run(...args);
      let lo = 0;
      let hi = mem.length;
      const m = be === 'wasm' ? loadedModule(variant) : undefined;
      if (m && m.exports.memory.buffer === mem.buffer) {
        lo = m.arena.base / mem.BYTES_PER_ELEMENT;
        hi = Math.ceil(m.arena.top / mem.BYTES_PER_ELEMENT);
      }
      const before = mem.slice(lo, hi);
      const r = run(...args);
      scale(mem, lo, before);
      fired.set(name, (fired.get(name) ?? 0) + 1);
      return r;
    }) as typeof kernel;
  });
  afterAll(() => {
    const log = process.env.CONVCORR_MUTATE_LOG;
    if (log) appendFileSync(log, [...names].map((n) => `${n} ${fired.get(n) ?? 0}\n`).join(''));
  });
}
