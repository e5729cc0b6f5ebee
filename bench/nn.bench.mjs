// Convolution layers, forward float32, single thread: convcorr (wasm, both layouts; js on the smaller shapes)
// against @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD build, NHWC) and onnxruntime-web (wasm, NCHW), in one run.
// Shapes A–E from ResNet/MobileNet-style layers, F a 1-D audio-style layer; no bias anywhere (tf.conv2d has none, so
// every variant does the same work). Every peer's output is checked against ours before timing. Peers get their best
// case: tfjs keeps input and filter resident as tensors (its timing is the op + readback; a second row uploads the
// input in the call, as the others do), onnxruntime keeps the weights in its session (prepacked) and copies the input
// in; convcorr's timing is the whole call (copy in, weight packing, padding, layout transposes for channels-first,
// copy out).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { checkSame, randomFloats } from './harness.mjs';

const require = createRequire(import.meta.url);

const SHAPES = [
  { id: 'A', desc: 'conv2d 1×64×56×56 → 64, 3×3, pad 1', rank: 2, x: [1, 64, 56, 56], w: [64, 64, 3, 3], stride: 1, pad: 1, groups: 1 },
  { id: 'B', desc: 'conv2d 1×3×224×224 → 32, 3×3, stride 2, pad 1', rank: 2, x: [1, 3, 224, 224], w: [32, 3, 3, 3], stride: 2, pad: 1, groups: 1 },
  { id: 'C', desc: 'conv2d 8×128×28×28 → 128, 3×3, pad 1', rank: 2, x: [8, 128, 28, 28], w: [128, 128, 3, 3], stride: 1, pad: 1, groups: 1 },
  { id: 'D', desc: 'conv2d 1×256×14×14 → 256, 1×1', rank: 2, x: [1, 256, 14, 14], w: [256, 256, 1, 1], stride: 1, pad: 0, groups: 1 },
  { id: 'E', desc: 'depthwise conv2d 1×128×56×56, 3×3, pad 1, groups 128', rank: 2, x: [1, 128, 56, 56], w: [128, 1, 3, 3], stride: 1, pad: 1, groups: 128 },
  { id: 'F', desc: 'conv1d 1×64×4096 → 64, k = 9', rank: 1, x: [1, 64, 4096], w: [64, 64, 9], stride: 1, pad: 0, groups: 1 },
];

const prod = (a) => a.reduce((p, q) => p * q, 1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** [N, C, ...S] → [N, ...S, C] (or, for a weight [Cout, Cin, ...k] → [...k, Cin, Cout]). */
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
const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);

// --- A minimal ONNX (protobuf) encoder: one Conv node, the weights as an initializer. ---
function varint(n) {
  const out = [];
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const tag = (field, wire) => varint((field << 3) | wire);
const fInt = (field, n) => [...tag(field, 0), ...varint(n)];
const fBytes = (field, bytes) => [...tag(field, 2), ...varint(bytes.length), ...bytes];
const fStr = (field, s) => fBytes(field, [...Buffer.from(s, 'utf8')]);
const fMsg = fBytes;

function tensorProto(name, dims, data) {
  return [...dims.flatMap((d) => fInt(1, d)), ...fInt(2, 1 /* FLOAT */), ...fStr(8, name),
    ...fBytes(9, [...new Uint8Array(data.buffer, data.byteOffset, data.byteLength)])];
}
function valueInfo(name, dims) {
  const shape = dims.flatMap((d) => fMsg(1, fInt(1, d)));
  const tensorType = [...fInt(1, 1 /* FLOAT */), ...fMsg(2, shape)];
  return [...fStr(1, name), ...fMsg(2, fMsg(1, tensorType))];
}
const attrInts = (name, ints) => [...fStr(1, name), ...ints.flatMap((i) => fInt(8, i)), ...fInt(20, 7 /* INTS */)];
const attrInt = (name, i) => [...fStr(1, name), ...fInt(3, i), ...fInt(20, 2 /* INT */)];

function convModel(s, w, outShape) {
  const k = s.w.slice(2);
  const node = [...fStr(1, 'X'), ...fStr(1, 'W'), ...fStr(2, 'Y'), ...fStr(3, 'conv'), ...fStr(4, 'Conv'),
    ...fMsg(5, attrInts('kernel_shape', k)), ...fMsg(5, attrInts('strides', k.map(() => s.stride))),
    ...fMsg(5, attrInts('pads', [...k.map(() => s.pad), ...k.map(() => s.pad)])),
    ...fMsg(5, attrInts('dilations', k.map(() => 1))), ...fMsg(5, attrInt('group', s.groups))];
  const graph = [...fMsg(1, node), ...fStr(2, 'g'), ...fMsg(5, tensorProto('W', s.w, w)),
    ...fMsg(11, valueInfo('X', s.x)), ...fMsg(12, valueInfo('Y', outShape))];
  const opset = [...fStr(1, ''), ...fInt(2, 13)];
  return new Uint8Array([...fInt(1, 8 /* IR version */), ...fStr(2, 'convcorr-bench'), ...fMsg(8, opset), ...fMsg(7, graph)]);
}

// --- Peers ---
async function loadTf() {
  const tf = await import('@tensorflow/tfjs-core');
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

async function loadOrt() {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = `${dirname(require.resolve('onnxruntime-web'))}/`;
  return { ort, version: ort.env.versions?.web ?? 'unknown' };
}

/** Median ms per call over `rounds` rounds of at least `minMs` each (async-capable: ORT's run returns a promise). */
async function time(fn, minMs) {
  let n = 0;
  const t0 = performance.now();
  let t = 0;
  do {
    await fn();
    n++;
    t = performance.now() - t0;
  } while (t < minMs || n < 3);
  return t / n;
}

async function runVariants(id, flops, variants, rounds, minMs) {
  for (const v of variants) await v.fn();
  const times = variants.map(() => []);
  const ratios = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const t = new Array(variants.length);
    for (let k = 0; k < variants.length; k++) {
      const i = (k + r) % variants.length;
      t[i] = await time(variants[i].fn, minMs);
      times[i].push(t[i]);
    }
    for (let i = 0; i < variants.length; i++) ratios[i].push(t[0] / t[i]);
  }
  const rows = variants.map((v, i) => {
    const ms = median(times[i]);
    return { name: v.name, ms, gflops: flops / ms / 1e6, ratio: median(ratios[i]) };
  });
  console.log(`\n${id}`);
  for (const row of rows) {
    console.log(`  ${row.name.padEnd(34)} ${row.ms.toFixed(3).padStart(10)} ms ${row.gflops.toFixed(2).padStart(8)} GFLOP/s ${row.ratio.toFixed(2).padStart(8)}× vs ${rows[0].name}`);
  }
  return { id, flops, rows, perRound: times };
}

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
    const xCL = permute(xCF, s.x, [0, ...range(2, r + 2), 1]);
    const wCL = permute(wCF, s.w, [...range(2, r + 2), 1, 0]);
    const xShapeCL = [s.x[0], ...s.x.slice(2), s.x[1]];
    const wShapeCL = [...s.w.slice(2), s.w[1], s.w[0]];
    const opts = { stride: s.stride, padding: s.pad, groups: s.groups };
    const cf = { x: { data: xCF, shape: s.x }, w: { data: wCF, shape: s.w } };
    const cl = { x: { data: xCL, shape: xShapeCL }, w: { data: wCL, shape: wShapeCL } };
    const ours = (layout, backend) => () => {
      const io = layout === 'channels-first' ? cf : cl;
      return op(io.x, io.w, { ...opts, layout, backend });
    };
    const refCF = ours('channels-first', 'wasm')();
    const outCF = refCF.shape;
    const macs = prod(outCF) * prod(s.w.slice(1));
    const outCL = ours('channels-last', 'wasm')();
    checkSame(`${s.id} channels-last vs channels-first`, permute(outCL.data, outCL.shape, [0, r + 1, ...range(1, r + 1)]), refCF.data, 1e-5);

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

    const session = await ort.InferenceSession.create(convModel(s, wCF, outCF), { executionProviders: ['wasm'], intraOpNumThreads: 1, interOpNumThreads: 1 });
    const ortRun = async () => (await session.run({ X: new ort.Tensor('float32', xCF, s.x) })).Y.data;
    checkSame(`${s.id} onnxruntime-web`, await ortRun(), refCF.data, 1e-4);

    const id = `nn ${s.id}: ${s.desc} (float32)`;
    const res = await runVariants(id, 2 * macs, [
      { name: 'tfjs-backend-wasm (NHWC)', fn: tfRun },
      { name: 'onnxruntime-web (NCHW)', fn: ortRun },
      { name: 'convcorr wasm channels-last', fn: ours('channels-last', 'wasm') },
      { name: 'convcorr wasm channels-first', fn: ours('channels-first', 'wasm') },
      { name: 'tfjs-backend-wasm, input uploaded', fn: tfRunUpload },
    ], rounds, minMs);
    results.push(res);
    const [tfRow, ortRow, clRow, cfRow, tfUpRow] = res.rows;
    // Like with like: our channels-last call against tfjs (NHWC), our channels-first call against onnxruntime (NCHW).
    const perRound = (a, b) => median(res.perRound[a].map((t, i) => t / res.perRound[b][i]));
    const best = (i) => Math.min(...res.perRound[i]);
    summary.push({ id: s.id, gflopsCL: clRow.gflops, gflopsCF: cfRow.gflops, vsTf: perRound(0, 2), vsOrt: perRound(1, 3), vsOrtCL: perRound(1, 2),
      tfMs: tfRow.ms, ortMs: ortRow.ms, clMs: clRow.ms, cfMs: cfRow.ms,
      bestVsTf: best(0) / best(2), bestVsOrt: best(1) / best(3), vsTfUp: perRound(4, 2), tfUpMs: tfUpRow.ms });
    tx.dispose();
    tw.dispose();
    await session.release();
    if (macs < 3e8) {
      // The JS backend, on the smaller shapes: one round (it is tens of times slower).
      results.push(await runVariants(`${id} — js backend`, 2 * macs, [
        { name: 'convcorr wasm channels-first', fn: ours('channels-first', 'wasm') },
        { name: 'convcorr js channels-first', fn: ours('channels-first', 'js') },
      ], 1, minMs));
    }
  }
  console.log('\nsummary (per-round median speed-ups; targets: A–D ≥ 1.15× tfjs, E ≥ 1.5× tfjs, all ≥ 1.3× onnxruntime, A ≥ 45 GFLOP/s)');
  console.log('| shape | ours CL ms | ours CF ms | tfjs ms | tfjs+upload ms | ort ms | ours CL GFLOP/s | ours CF GFLOP/s | CL vs tfjs | CL vs tfjs+upload | CF vs ort | CL vs ort | best-of-rounds CL vs tfjs | best-of-rounds CF vs ort |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const m of summary) {
    console.log(`| ${m.id} | ${m.clMs.toFixed(3)} | ${m.cfMs.toFixed(3)} | ${m.tfMs.toFixed(3)} | ${m.tfUpMs.toFixed(3)} | ${m.ortMs.toFixed(3)} | ${m.gflopsCL.toFixed(1)} | ${m.gflopsCF.toFixed(1)} | ${m.vsTf.toFixed(2)}× | ${m.vsTfUp.toFixed(2)}× | ${m.vsOrt.toFixed(2)}× | ${m.vsOrtCL.toFixed(2)}× | ${m.bestVsTf.toFixed(2)}× | ${m.bestVsOrt.toFixed(2)}× |`);
  }
  return results;
}
