// Convolution backward, float32, single thread, shape A (1×64×56×56 → 64, 3×3, pad 1): the input gradient dX, the
// weight gradient dW, and both together, for convcorr (wasm, both layouts; the js backend in one round) against
// @tensorflow/tfjs-backend-wasm (dX through conv2dTranspose; it has no Conv2DBackpropFilter kernel, so no dW),
// @tensorflow/tfjs-backend-cpu (dX through conv2dTranspose, dW through the Conv2DBackpropFilter kernel) and
// onnxruntime-web (dX through a ConvTranspose node; ONNX has no weight-gradient op for inference sessions).
// Every peer's result is checked against ours before timing. Peers keep their inputs resident (tfjs tensors, the
// ONNX weights in the session); convcorr's timing is the whole call (copy in, packing, layout, copy out).
import { checkSame, median, randomFloats, runCaseAsync } from './harness.mjs';
import { loadOrt, loadTf, onnxConvTranspose, ortSession, permute, permuteShape, prod, toLast, toTfFilter } from './peers.mjs';

const X = [1, 64, 56, 56];
const Wt = [64, 64, 3, 3];
const PAD = 1;

export default async function nnGrad(convcorr) {
  const { conv2dGradInput, conv2dGradWeight, conv2dBackward } = convcorr;
  const rounds = Number(process.env.NN_BENCH_ROUNDS ?? 5);
  const minMs = Number(process.env.NN_BENCH_MS ?? 300);
  const { tf, version: tfVersion } = await loadTf({ cpu: true });
  const { ort, version: ortVersion } = await loadOrt();
  console.log(`peers: @tensorflow/tfjs-backend-wasm and -cpu ${tfVersion} (1 thread, NHWC), onnxruntime-web ${ortVersion} (wasm, 1 thread, NCHW)`);
  const wasmHasDw = !!tf.getKernel('Conv2DBackpropFilter', 'wasm');
  console.log(`tfjs-backend-wasm Conv2DBackpropFilter kernel: ${wasmHasDw ? 'present' : 'missing (no dW there)'}`);

  const x = randomFloats(Float32Array, prod(X), 1);
  const w = randomFloats(Float32Array, prod(Wt), 2).map((v) => v * 0.1);
  const dy = randomFloats(Float32Array, prod(X), 3); // 3×3, pad 1, stride 1: the output has the input's shape
  const Y = [X[0], Wt[0], X[2], X[3]];
  const cl4 = toLast(4);
  const tf4 = toTfFilter(4); // [kh, kw, Cin, Cout]: TensorFlow's filter layout
  const xCL = permute(x, X, cl4);
  const dyCL = permute(dy, Y, cl4);
  const wCL = permute(w, Wt, tf4);
  const XL = permuteShape(X, cl4);
  const YL = permuteShape(Y, cl4);
  const WL = permuteShape(Wt, tf4);
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
  const dxRefCL = permute(dxRef, X, cl4);
  const dwRefCL = permute(dwRef, Wt, tf4);
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
  const session = await ortSession(ort, onnxConvTranspose({ w, wShape: Wt, xShape: Y, yShape: X, pad: PAD }));
  const ortDx = async () => (await session.run({ X: new ort.Tensor('float32', dy, Y) })).Y.data;
  checkSame('onnxruntime-web ConvTranspose', await ortDx(), dxRef, 1e-4);

  const flops = 2 * prod(Y) * prod(Wt.slice(1)); // one gradient: as many multiply-adds as the forward
  const desc = 'conv2d 1×64×56×56 → 64, 3×3, pad 1 (float32)';
  const results = [];
  // One call per timing at least (tfjs-backend-cpu takes seconds); wider name column for the long variant names.
  const opt = { rounds, minMs, minCalls: 1, nameWidth: 44, ratioWidth: 9 };
  results.push(await runCaseAsync({ id: `nn-grad A dX: ${desc}`, flops, ...opt, variants: [
    { name: 'convcorr wasm channels-first', fn: ours.dx(cf, 'channels-first') },
    { name: 'convcorr wasm channels-last', fn: ours.dx(cl, 'channels-last') },
    { name: 'tfjs-backend-wasm conv2dTranspose (NHWC)', fn: tfDx(tfw), before: on('wasm') },
    { name: 'tfjs-backend-cpu conv2dTranspose (NHWC)', fn: tfDx(tfc), before: on('cpu'), once: true },
    { name: 'onnxruntime-web ConvTranspose (NCHW)', fn: ortDx },
  ] }));
  results.push(await runCaseAsync({ id: `nn-grad A dW: ${desc}`, flops, ...opt, variants: [
    { name: 'convcorr wasm channels-first', fn: ours.dw(cf, 'channels-first') },
    { name: 'convcorr wasm channels-last', fn: ours.dw(cl, 'channels-last') },
    { name: 'tfjs-backend-cpu Conv2DBackpropFilter (NHWC)', fn: tfDw(tfc), before: on('cpu'), once: true },
  ] }));
  results.push(await runCaseAsync({ id: `nn-grad A dX + dW: ${desc}`, flops: 2 * flops, ...opt, variants: [
    { name: 'convcorr wasm conv2dBackward channels-first', fn: ours.both(cf, 'channels-first') },
    { name: 'convcorr wasm conv2dBackward channels-last', fn: ours.both(cl, 'channels-last') },
  ] })); // tfjs-backend-cpu's dX + dW is the sum of its two rows above (~20 s a call: not run twice)
  // The other backends, one round: the scalar wasm build (no SIMD) and the js backend.
  const best = convcorr.getBackend().variant;
  const build = (variant) => () => {
    convcorr.initSync({ backend: 'wasm', variant });
  };
  // The ESM build loads only the build it runs: the scalar one is loaded once here, so the rounds can switch sync.
  await convcorr.init({ backend: 'wasm', variant: 'scalar' });
  await convcorr.init({ backend: 'wasm', variant: best });
  results.push(await runCaseAsync({ id: `nn-grad A dX, dW: ${desc} — scalar wasm and js backends`, flops, ...opt, rounds: 1, variants: [
    { name: `convcorr wasm ${best} dX channels-first`, fn: ours.dx(cf, 'channels-first'), before: build(best) },
    { name: `convcorr wasm ${best} dW channels-first`, fn: ours.dw(cf, 'channels-first'), before: build(best) },
    { name: 'convcorr wasm scalar dX channels-first', fn: ours.dx(cf, 'channels-first'), before: build('scalar') },
    { name: 'convcorr wasm scalar dW channels-first', fn: ours.dw(cf, 'channels-first'), before: build('scalar') },
    { name: 'convcorr js dX channels-first', fn: ours.dx(cf, 'channels-first', 'js') },
    { name: 'convcorr js dW channels-first', fn: ours.dw(cf, 'channels-first', 'js') },
  ] }));
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
