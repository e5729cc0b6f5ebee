// Convolution backward, float32, single thread, shape A (1×64×56×56 → 64, 3×3, pad 1): the input gradient dX, the
// weight gradient dW, and both together, for convcorr (wasm, both layouts; the js backend in one round) against
// @tensorflow/tfjs-backend-wasm (dX through conv2dTranspose; it has no Conv2DBackpropFilter kernel, so no dW),
// @tensorflow/tfjs-backend-cpu (dX through conv2dTranspose, dW through the Conv2DBackpropFilter kernel) and
// onnxruntime-web (dX through a ConvTranspose node; ONNX has no weight-gradient op for inference sessions).
// Every peer's result is checked against ours before timing. Peers keep their inputs resident (tfjs tensors, the
// ONNX weights in the session); convcorr's timing is the whole call (copy in, packing, layout, copy out).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { checkSame, randomFloats } from './harness.mjs';

const require = createRequire(import.meta.url);
const X = [1, 64, 56, 56];
const Wt = [64, 64, 3, 3];
const PAD = 1;

const prod = (a) => a.reduce((p, q) => p * q, 1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** out axis a = in axis axes[a], C order. */
function permute(data, shape, axes) {
  const out = new Float32Array(data.length);
  const st = shape.map((_, a) => prod(shape.slice(a + 1)));
  const oshape = axes.map((a) => shape[a]);
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

// --- ONNX: a protobuf writer just big enough for a one-node ConvTranspose model with its weight as an initializer.
const varint = (n) => {
  const b = [];
  for (let v = n; ; v = Math.floor(v / 128)) {
    if (v < 128) {
      b.push(v);
      return b;
    }
    b.push((v % 128) | 128);
  }
};
const key = (field, wire) => varint(field * 8 + wire);
const int = (field, n) => [...key(field, 0), ...varint(n)];
const bytes = (field, b) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field, s) => bytes(field, [...new TextEncoder().encode(s)]);
const ints = (name, vs) => [...str(1, name), ...vs.flatMap((v) => int(8, v)), ...int(20, 7)]; // AttributeProto INTS

function convTransposeModel(w, wShape, xShape, yShape, pad) {
  const k = wShape.slice(2);
  const tensor = [...wShape.flatMap((d) => int(1, d)), ...int(2, 1), ...str(8, 'W'), ...bytes(9, [...new Uint8Array(w.buffer, w.byteOffset, w.byteLength)])];
  const info = (name, dims) => [...str(1, name), ...bytes(2, bytes(1, [...int(1, 1), ...bytes(2, dims.flatMap((d) => bytes(1, int(1, d))))]))];
  const node = [...str(1, 'X'), ...str(1, 'W'), ...str(2, 'Y'), ...str(4, 'ConvTranspose'),
    ...bytes(5, ints('kernel_shape', k)), ...bytes(5, ints('strides', k.map(() => 1))), ...bytes(5, ints('pads', [...k.map(() => pad), ...k.map(() => pad)]))];
  const graph = [...bytes(1, node), ...str(2, 'g'), ...bytes(5, tensor), ...bytes(11, info('X', xShape)), ...bytes(12, info('Y', yShape))];
  return new Uint8Array([...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)]);
}

/** Mean ms per call over at least minMs (and at least one call: the slow peers take seconds). */
async function time(fn, minMs) {
  let n = 0;
  const t0 = performance.now();
  let t = 0;
  do {
    await fn();
    n++;
    t = performance.now() - t0;
  } while (t < minMs);
  return t / n;
}

/**
 * Variants in rotated order per round; `before` (untimed) switches a peer's backend; `once` variants (seconds per
 * call) run in the first round only. Ratios are medians over the rounds both variants ran in.
 */
async function runVariants(id, flops, variants, rounds, minMs) {
  for (const v of variants) {
    if (v.once) continue; // warmed by its correctness check
    await v.before?.();
    await v.fn();
  }
  const times = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length;
      if (variants[i].once && r > 0) continue;
      await variants[i].before?.();
      times[i][r] = await time(variants[i].fn, minMs);
    }
  }
  const ok = (a) => a.filter((t) => t !== undefined);
  const rows = variants.map((v, i) => ({
    name: v.name, ms: median(ok(times[i])), gflops: flops / median(ok(times[i])) / 1e6,
    ratio: median(ok(times[i].map((t, r) => (t === undefined ? undefined : times[0][r] / t)))),
  }));
  console.log(`\n${id}`);
  for (const row of rows) {
    console.log(`  ${row.name.padEnd(44)} ${row.ms.toFixed(3).padStart(10)} ms ${row.gflops.toFixed(2).padStart(8)} GFLOP/s ${row.ratio.toFixed(2).padStart(9)}× vs ${rows[0].name}`);
  }
  return { id, flops, rows, perRound: times };
}

export default async function nnGrad(convcorr) {
  const { conv2dGradInput, conv2dGradWeight, conv2dBackward } = convcorr;
  const rounds = Number(process.env.NN_BENCH_ROUNDS ?? 5);
  const minMs = Number(process.env.NN_BENCH_MS ?? 300);
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const tfWasm = await import('@tensorflow/tfjs-backend-wasm');
  tfWasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm did not initialise');
  if (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) throw new Error('tfjs-backend-wasm: no SIMD support reported');
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = `${dirname(require.resolve('onnxruntime-web'))}/`;
  console.log(`peers: @tensorflow/tfjs-backend-wasm and -cpu ${tf.version_core} (1 thread, NHWC), onnxruntime-web ${ort.env.versions?.web ?? ''} (wasm, 1 thread, NCHW)`);
  const wasmHasDw = !!tf.getKernel('Conv2DBackpropFilter', 'wasm');
  console.log(`tfjs-backend-wasm Conv2DBackpropFilter kernel: ${wasmHasDw ? 'present' : 'missing (no dW there)'}`);

  const x = randomFloats(Float32Array, prod(X), 1);
  const w = randomFloats(Float32Array, prod(Wt), 2).map((v) => v * 0.1);
  const dy = randomFloats(Float32Array, prod(X), 3); // 3×3, pad 1, stride 1: the output has the input's shape
  const Y = [X[0], Wt[0], X[2], X[3]];
  const toLast = [0, 2, 3, 1];
  const xCL = permute(x, X, toLast);
  const dyCL = permute(dy, Y, toLast);
  const wCL = permute(w, Wt, [2, 3, 1, 0]); // [kh, kw, Cin, Cout]: TensorFlow's filter layout
  const XL = [X[0], X[2], X[3], X[1]];
  const YL = [Y[0], Y[2], Y[3], Y[1]];
  const WL = [Wt[2], Wt[3], Wt[1], Wt[0]];
  const cf = { x: { data: x, shape: X }, w: { data: w, shape: Wt }, dy: { data: dy, shape: Y } };
  const cl = { x: { data: xCL, shape: XL }, w: { data: wCL, shape: WL }, dy: { data: dyCL, shape: YL } };
  const opts = (layout, backend) => ({ padding: PAD, layout, backend });
  const ours = {
    dx: (io, layout, backend = 'wasm') => () => conv2dGradInput(io.x.shape, io.w, io.dy, opts(layout, backend)).data,
    dw: (io, layout, backend = 'wasm') => () => conv2dGradWeight(io.x, io.w.shape, io.dy, opts(layout, backend)).data,
    both: (io, layout, backend = 'wasm') => () => conv2dBackward(io.x, io.w, io.dy, opts(layout, backend)),
  };
  const dxRef = ours.dx(cf, 'channels-first')();
  const dwRef = ours.dw(cf, 'channels-first')();
  const dxRefCL = permute(dxRef, X, toLast);
  const dwRefCL = permute(dwRef, Wt, [2, 3, 1, 0]);
  checkSame('dX channels-last', ours.dx(cl, 'channels-last')(), dxRefCL, 1e-5);
  checkSame('dW channels-last', ours.dw(cl, 'channels-last')(), dwRefCL, 1e-5);
  checkSame('dX js backend', ours.dx(cf, 'channels-first', 'js')(), dxRef, 1e-4);
  checkSame('dW js backend', ours.dw(cf, 'channels-first', 'js')(), dwRef, 1e-4);

  // tfjs, per backend, tensors created on that backend (so no timed call moves data between backends).
  const tfOn = async (name) => {
    await tf.setBackend(name);
    return { name, dy: tf.tensor(dyCL, YL), x: tf.tensor(xCL, XL), w: tf.tensor(wCL, WL) };
  };
  const tfw = await tfOn('wasm');
  const tfc = await tfOn('cpu');
  const tfDx = (t) => () => {
    const r = tf.conv2dTranspose(t.dy, t.w, XL, 1, 'same');
    const d = r.dataSync();
    r.dispose();
    return d;
  };
  const tfDw = (t) => () => {
    const r = tf.engine().runKernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: WL });
    const d = r.dataSync();
    r.dispose();
    return d;
  };
  const on = (name) => async () => {
    await tf.setBackend(name);
  };
  await on('wasm')();
  checkSame('tfjs-backend-wasm conv2dTranspose', tfDx(tfw)(), dxRefCL, 1e-4);
  await on('cpu')();
  checkSame('tfjs-backend-cpu conv2dTranspose', tfDx(tfc)(), dxRefCL, 1e-4);
  checkSame('tfjs-backend-cpu Conv2DBackpropFilter', tfDw(tfc)(), dwRefCL, 1e-4);

  // onnxruntime: ConvTranspose with weight [Cin_T, Cout_T, k] = the forward weight [Cout, Cin, k].
  const session = await ort.InferenceSession.create(convTransposeModel(w, Wt, Y, X, PAD), { executionProviders: ['wasm'], intraOpNumThreads: 1, interOpNumThreads: 1 });
  const ortDx = async () => (await session.run({ X: new ort.Tensor('float32', dy, Y) })).Y.data;
  checkSame('onnxruntime-web ConvTranspose', await ortDx(), dxRef, 1e-4);

  const flops = 2 * prod(Y) * prod(Wt.slice(1)); // one gradient: as many multiply-adds as the forward
  const desc = 'conv2d 1×64×56×56 → 64, 3×3, pad 1 (float32)';
  const results = [];
  results.push(await runVariants(`nn-grad A dX: ${desc}`, flops, [
    { name: 'convcorr wasm channels-first', fn: ours.dx(cf, 'channels-first') },
    { name: 'convcorr wasm channels-last', fn: ours.dx(cl, 'channels-last') },
    { name: 'tfjs-backend-wasm conv2dTranspose (NHWC)', fn: tfDx(tfw), before: on('wasm') },
    { name: 'tfjs-backend-cpu conv2dTranspose (NHWC)', fn: tfDx(tfc), before: on('cpu'), once: true },
    { name: 'onnxruntime-web ConvTranspose (NCHW)', fn: ortDx },
  ], rounds, minMs));
  results.push(await runVariants(`nn-grad A dW: ${desc}`, flops, [
    { name: 'convcorr wasm channels-first', fn: ours.dw(cf, 'channels-first') },
    { name: 'convcorr wasm channels-last', fn: ours.dw(cl, 'channels-last') },
    { name: 'tfjs-backend-cpu Conv2DBackpropFilter (NHWC)', fn: tfDw(tfc), before: on('cpu'), once: true },
  ], rounds, minMs));
  results.push(await runVariants(`nn-grad A dX + dW: ${desc}`, 2 * flops, [
    { name: 'convcorr wasm conv2dBackward channels-first', fn: ours.both(cf, 'channels-first') },
    { name: 'convcorr wasm conv2dBackward channels-last', fn: ours.both(cl, 'channels-last') },
  ], rounds, minMs)); // tfjs-backend-cpu's dX + dW is the sum of its two rows above (~20 s a call: not run twice)
  // The other backends, one round: the scalar wasm build (no SIMD) and the js backend.
  const best = convcorr.getBackend().variant;
  const build = (variant) => () => {
    convcorr.initSync({ backend: 'wasm', variant });
  };
  results.push(await runVariants(`nn-grad A dX, dW: ${desc} — scalar wasm and js backends`, flops, [
    { name: `convcorr wasm ${best} dX channels-first`, fn: ours.dx(cf, 'channels-first'), before: build(best) },
    { name: `convcorr wasm ${best} dW channels-first`, fn: ours.dw(cf, 'channels-first'), before: build(best) },
    { name: 'convcorr wasm scalar dX channels-first', fn: ours.dx(cf, 'channels-first'), before: build('scalar') },
    { name: 'convcorr wasm scalar dW channels-first', fn: ours.dw(cf, 'channels-first'), before: build('scalar') },
    { name: 'convcorr js dX channels-first', fn: ours.dx(cf, 'channels-first', 'js') },
    { name: 'convcorr js dW channels-first', fn: ours.dw(cf, 'channels-first', 'js') },
  ], 1, minMs));
  build(best)();
  for (const t of [tfw, tfc]) {
    await tf.setBackend(t.name);
    t.x.dispose();
    t.dy.dispose();
    t.w.dispose();
  }
  await session.release();

  const [dxRes, dwRes] = results;
  const perRound = (res, a, b) => median(res.perRound[a].flatMap((t, i) => (t === undefined ? [] : [t / res.perRound[b][i]])));
  console.log('\nsummary (targets: dX and dW ≥ 30 GFLOP/s, dX ≥ 8× tfjs-backend-wasm, dW ≥ 100× tfjs-backend-cpu)');
  console.log(`  dX: ${dxRes.rows[0].gflops.toFixed(1)} GFLOP/s channels-first, ${dxRes.rows[1].gflops.toFixed(1)} channels-last; ` +
    `channels-last vs tfjs-backend-wasm ${perRound(dxRes, 2, 1).toFixed(1)}×, vs tfjs-backend-cpu ${perRound(dxRes, 3, 1).toFixed(1)}×; ` +
    `channels-first vs onnxruntime-web ${perRound(dxRes, 4, 0).toFixed(2)}×`);
  console.log(`  dW: ${dwRes.rows[0].gflops.toFixed(1)} GFLOP/s channels-first, ${dwRes.rows[1].gflops.toFixed(1)} channels-last; ` +
    `channels-last vs tfjs-backend-cpu ${perRound(dwRes, 2, 1).toFixed(0)}× (tfjs-backend-wasm: no Conv2DBackpropFilter kernel)`);
  return results.map(({ perRound: _, ...r }) => r);
}
