// Shared by the nn suites: layout helpers (channels-first ↔ channels-last, TensorFlow's filter layout), a minimal
// ONNX writer for one-node Conv / ConvTranspose models, and loaders for the peers (tfjs-backend-wasm / -cpu,
// onnxruntime-web), each set to one thread.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

// --- Layout ---
export const prod = (a) => a.reduce((p, q) => p * q, 1);
export const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);

/** Axes taking [N, C, ...S] to [N, ...S, C] (`nd` = rank of the tensor). */
export const toLast = (nd) => [0, ...range(2, nd), 1];
/** Axes taking [N, ...S, C] back to [N, C, ...S]. */
export const toFirst = (nd) => [0, nd - 1, ...range(1, nd - 1)];
/** Axes taking a weight [Cout, Cin, ...k] to TensorFlow's filter layout [...k, Cin, Cout]. */
export const toTfFilter = (nd) => [...range(2, nd), 1, 0];
/** The shape of `permute(data, shape, axes)`. */
export const permuteShape = (shape, axes) => axes.map((a) => shape[a]);

/** Out axis a = in axis axes[a], C order (e.g. axes toLast(4): [N, C, H, W] → [N, H, W, C]). */
export function permute(data, shape, axes) {
  const out = new Float32Array(data.length);
  const st = shape.map((_, a) => prod(shape.slice(a + 1)));
  const oshape = permuteShape(shape, axes);
  const step = axes.map((a) => st[a]);
  const idx = new Array(shape.length).fill(0);
  for (let q = 0; q < out.length; q++) {
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += idx[k] * step[k];
    out[q] = data[s];
    for (let k = idx.length - 1; k >= 0; k--) {
      if (++idx[k] < oshape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

// The ONNX models of the peers: bench/onnx.mjs.
export { onnxConv, onnxConvTranspose } from './onnx.mjs';

// --- Peers ---
/** @tensorflow/tfjs-core on the wasm backend (SIMD, one thread); `cpu: true` also registers tfjs-backend-cpu. */
export async function loadTf({ cpu = false } = {}) {
  const tf = await import('@tensorflow/tfjs-core');
  if (cpu) await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  // A directory prefix (a file map made every op ~20× slower in Node); SIMD and single-thread are checked below.
  wasm.setWasmPaths(`${dir}/`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm did not initialise');
  await tf.ready();
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${tf.getBackend()}, expected wasm`);
  if (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) throw new Error('tfjs-backend-wasm: no SIMD support reported');
  return { tf, version: tf.version_core };
}

/** onnxruntime-web on its wasm provider, one thread, in this thread (no proxy worker). */
export async function loadOrt() {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = `${dirname(require.resolve('onnxruntime-web'))}/`;
  return { ort, version: ort.env.versions?.web ?? 'unknown' };
}

/** A one-node ONNX model's session on the wasm provider, one thread. */
export const ortSession = (ort, model) =>
  ort.InferenceSession.create(model, { executionProviders: ['wasm'], intraOpNumThreads: 1, interOpNumThreads: 1 });
