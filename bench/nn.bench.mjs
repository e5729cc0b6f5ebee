// Convolution layers, forward float32, single thread: convcorr (wasm, both layouts; js on the smaller shapes)
// against @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD build, NHWC) and onnxruntime-web (wasm, NCHW), in one run.
// Shapes A–E from ResNet/MobileNet-style layers, F a 1-D audio-style layer; no bias anywhere (tf.conv2d has none, so
// every variant does the same work). Every peer's output is checked against ours before timing. Peers get their best
// case: tfjs keeps input and filter resident as tensors (its timing is the op + readback; a second row uploads the
// input in the call, as the others do), onnxruntime keeps the weights in its session (prepacked) and copies the input
// in; convcorr's timing is the whole call (copy in, weight packing, padding, layout transposes for channels-first,
// copy out), once into a fresh result and once into an `output` array given by the caller (reused across calls, as
// a layer in a loop would: the fresh result's page faults cost up to half of a cheap layer's time).
import { checkSame, median, randomFloats, runCaseAsync } from './harness.mjs';
import { loadOrt, loadTf, onnxConv, ortSession, permute, permuteShape, prod, toFirst, toLast, toTfFilter } from './peers.mjs';

const SHAPES = [
  { id: 'A', desc: 'conv2d 1×64×56×56 → 64, 3×3, pad 1', rank: 2, x: [1, 64, 56, 56], w: [64, 64, 3, 3], stride: 1, pad: 1, groups: 1 },
  { id: 'B', desc: 'conv2d 1×3×224×224 → 32, 3×3, stride 2, pad 1', rank: 2, x: [1, 3, 224, 224], w: [32, 3, 3, 3], stride: 2, pad: 1, groups: 1 },
  { id: 'C', desc: 'conv2d 8×128×28×28 → 128, 3×3, pad 1', rank: 2, x: [8, 128, 28, 28], w: [128, 128, 3, 3], stride: 1, pad: 1, groups: 1 },
  { id: 'D', desc: 'conv2d 1×256×14×14 → 256, 1×1', rank: 2, x: [1, 256, 14, 14], w: [256, 256, 1, 1], stride: 1, pad: 0, groups: 1 },
  { id: 'E', desc: 'depthwise conv2d 1×128×56×56, 3×3, pad 1, groups 128', rank: 2, x: [1, 128, 56, 56], w: [128, 1, 3, 3], stride: 1, pad: 1, groups: 128 },
  { id: 'F', desc: 'conv1d 1×64×4096 → 64, k = 9', rank: 1, x: [1, 64, 4096], w: [64, 64, 9], stride: 1, pad: 0, groups: 1 },
];

export default async function nn(convcorr) {
  const { conv1d, conv2d } = convcorr;
  const rounds = Number(process.env.NN_BENCH_ROUNDS ?? 5);
  const minMs = Number(process.env.NN_BENCH_MS ?? 300);
  const only = process.env.NN_BENCH_SHAPES;
  const { tf, version: tfVersion } = await loadTf();
  const { ort, version: ortVersion } = await loadOrt();
  console.log(`peers: @tensorflow/tfjs-backend-wasm ${tfVersion} (SIMD, 1 thread, NHWC), onnxruntime-web ${ortVersion} (wasm, 1 thread, NCHW)`);
  const results = [];
  const summary = [];
  for (const s of SHAPES) {
    if (only && !only.includes(s.id)) continue;
    const r = s.rank;
    const op = r === 1 ? conv1d : conv2d;
    const xCF = randomFloats(Float32Array, prod(s.x), 1);
    const wCF = randomFloats(Float32Array, prod(s.w), 2).map((v) => v * 0.1);
    const xCL = permute(xCF, s.x, toLast(r + 2));
    const wCL = permute(wCF, s.w, toTfFilter(r + 2));
    const xShapeCL = permuteShape(s.x, toLast(r + 2));
    const wShapeCL = permuteShape(s.w, toTfFilter(r + 2));
    const opts = { stride: s.stride, padding: s.pad, groups: s.groups };
    const cf = { x: { data: xCF, shape: s.x }, w: { data: wCF, shape: s.w } };
    const cl = { x: { data: xCL, shape: xShapeCL }, w: { data: wCL, shape: wShapeCL } };
    const ours = (layout, backend, output) => () => {
      const io = layout === 'channels-first' ? cf : cl;
      return op(io.x, io.w, { ...opts, layout, backend, output });
    };
    const refCF = ours('channels-first', 'wasm')();
    const outCF = refCF.shape;
    const macs = prod(outCF) * prod(s.w.slice(1));
    const outCL = ours('channels-last', 'wasm')();
    checkSame(`${s.id} channels-last vs channels-first`, permute(outCL.data, outCL.shape, toFirst(r + 2)), refCF.data, 1e-5);
    const givenCL = new Float32Array(outCL.data.length);
    const givenCF = new Float32Array(refCF.data.length);
    checkSame(`${s.id} channels-last, output given`, ours('channels-last', 'wasm', givenCL)().data, outCL.data, 0);
    checkSame(`${s.id} channels-first, output given`, ours('channels-first', 'wasm', givenCF)().data, refCF.data, 0);

    // tfjs: NHWC (NWC for conv1d), filter [...k, Cin, Cout]; depthwise filter [kh, kw, C, 1].
    const depthwise = s.groups > 1;
    const tx = tf.tensor(xCL, xShapeCL);
    const tw = depthwise ? tf.tensor(wCL, [...s.w.slice(2), s.x[1], 1]) : tf.tensor(wCL, wShapeCL);
    const tfPad = s.pad === 0 ? 'valid' : r === 1 ? 'same' : [[0, 0], [s.pad, s.pad], [s.pad, s.pad], [0, 0]];
    // tf.tidy is avoided: it walks the returned typed array element by element looking for tensors.
    const tfRun = () => {
      const y = r === 1 ? tf.conv1d(tx, tw, s.stride, tfPad) : depthwise ? tf.depthwiseConv2d(tx, tw, s.stride, tfPad) : tf.conv2d(tx, tw, s.stride, tfPad);
      const data = y.dataSync();
      y.dispose();
      return data;
    };
    checkSame(`${s.id} tfjs-backend-wasm`, tfRun(), outCL.data, 1e-4);
    // The same with the input uploaded in the call, as onnxruntime and convcorr take it (the filter stays resident).
    const tfRunUpload = () => {
      const xi = tf.tensor(xCL, xShapeCL);
      const y = r === 1 ? tf.conv1d(xi, tw, s.stride, tfPad) : depthwise ? tf.depthwiseConv2d(xi, tw, s.stride, tfPad) : tf.conv2d(xi, tw, s.stride, tfPad);
      const data = y.dataSync();
      y.dispose();
      xi.dispose();
      return data;
    };
    checkSame(`${s.id} tfjs-backend-wasm (input uploaded)`, tfRunUpload(), outCL.data, 1e-4);

    const session = await ortSession(ort, onnxConv({ w: wCF, wShape: s.w, xShape: s.x, yShape: outCF, stride: s.stride, pad: s.pad, groups: s.groups }));
    const ortRun = async () => (await session.run({ X: new ort.Tensor('float32', xCF, s.x) })).Y.data;
    checkSame(`${s.id} onnxruntime-web`, await ortRun(), refCF.data, 1e-4);

    const id = `nn ${s.id}: ${s.desc} (float32)`;
    const res = await runCaseAsync({ id, flops: 2 * macs, rounds, minMs, minCalls: 3, variants: [
      { name: 'tfjs-backend-wasm (NHWC)', fn: tfRun },
      { name: 'onnxruntime-web (NCHW)', fn: ortRun },
      { name: 'convcorr wasm channels-last', fn: ours('channels-last', 'wasm') },
      { name: 'convcorr wasm channels-first', fn: ours('channels-first', 'wasm') },
      { name: 'tfjs-backend-wasm, input uploaded', fn: tfRunUpload },
      { name: 'convcorr wasm channels-last, output given', fn: ours('channels-last', 'wasm', givenCL) },
      { name: 'convcorr wasm channels-first, output given', fn: ours('channels-first', 'wasm', givenCF) },
    ] });
    results.push(res);
    const [tfRow, ortRow, clRow, cfRow, tfUpRow, clOutRow, cfOutRow] = res.rows;
    // Like with like: our channels-last call against tfjs (NHWC), our channels-first call against onnxruntime (NCHW).
    const perRound = (a, b) => median(res.perRound[a].map((t, i) => t / res.perRound[b][i]));
    const best = (i) => Math.min(...res.perRound[i]);
    summary.push({ id: s.id, gflopsCL: clRow.gflops, gflopsCF: cfRow.gflops, vsTf: perRound(0, 2), vsOrt: perRound(1, 3), vsOrtCL: perRound(1, 2),
      tfMs: tfRow.ms, ortMs: ortRow.ms, clMs: clRow.ms, cfMs: cfRow.ms,
      bestVsTf: best(0) / best(2), bestVsOrt: best(1) / best(3), vsTfUp: perRound(4, 2), tfUpMs: tfUpRow.ms,
      clOutMs: clOutRow.ms, cfOutMs: cfOutRow.ms, gflopsCLOut: clOutRow.gflops, vsTfOut: perRound(0, 5), vsOrtOut: perRound(1, 6) });
    tx.dispose();
    tw.dispose();
    await session.release();
    if (macs < 3e8) {
      // The JS backend, on the smaller shapes: one round (it is tens of times slower).
      results.push(await runCaseAsync({ id: `${id} — js backend`, flops: 2 * macs, rounds: 1, minMs, minCalls: 3, variants: [
        { name: 'convcorr wasm channels-first', fn: ours('channels-first', 'wasm') },
        { name: 'convcorr js channels-first', fn: ours('channels-first', 'js') },
      ] }));
    }
  }
  console.log('\nsummary (per-round median speed-ups; targets: A–D ≥ 1.15× tfjs, E ≥ 1.5× tfjs, all ≥ 1.3× onnxruntime, A ≥ 45 GFLOP/s)');
  console.log('| shape | ours CL ms | ours CF ms | tfjs ms | tfjs+upload ms | ort ms | ours CL GFLOP/s | ours CF GFLOP/s | CL vs tfjs | CL vs tfjs+upload | CF vs ort | CL vs ort | best-of-rounds CL vs tfjs | best-of-rounds CF vs ort |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const m of summary) {
    console.log(`| ${m.id} | ${m.clMs.toFixed(3)} | ${m.cfMs.toFixed(3)} | ${m.tfMs.toFixed(3)} | ${m.tfUpMs.toFixed(3)} | ${m.ortMs.toFixed(3)} | ${m.gflopsCL.toFixed(1)} | ${m.gflopsCF.toFixed(1)} | ${m.vsTf.toFixed(2)}× | ${m.vsTfUp.toFixed(2)}× | ${m.vsOrt.toFixed(2)}× | ${m.vsOrtCL.toFixed(2)}× | ${m.bestVsTf.toFixed(2)}× | ${m.bestVsOrt.toFixed(2)}× |`);
  }
  console.log('\nthe same with `output` given (our result written into one array reused across calls; the peers as above)');
  console.log('| shape | ours CL ms | ours CF ms | ours CL GFLOP/s | CL vs tfjs | CF vs ort |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const m of summary) {
    console.log(`| ${m.id} | ${m.clOutMs.toFixed(3)} | ${m.cfOutMs.toFixed(3)} | ${m.gflopsCLOut.toFixed(1)} | ${m.vsTfOut.toFixed(2)}× | ${m.vsOrtOut.toFixed(2)}× |`);
  }
  return results;
}
