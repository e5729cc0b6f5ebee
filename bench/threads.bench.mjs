// Threads (issue: every op on every core): each case runs convcorr on one thread and on two (init({ threads }) and
// three warm-up calls in a `before` hook, outside the timed calls), and, for the conv layers, onnxruntime-web with
// numThreads = 2 (its wasm build's own pool), all in one process, rounds in rotated order; ratios are medians of per-round ratios against the
// one-thread convcorr (> 1 = faster). The networks are the layer lists of bench/nets/*.mjs (every convolution of
// ResNet-18 and MobileNetV2 at 224², batch 1, float32 with bias, chained), channels-first as onnxruntime runs them.
// Every variant's result is checked against the one-thread result before timing (two threads: the same bits).
// Environment: THREADS_BENCH_ROUNDS (default 5), THREADS_BENCH_MS (per variant and round, default 300),
// THREADS_BENCH_N (threads of the pool and of onnxruntime-web, default 2), THREADS_BENCH_SWEEP=1 (sizes around the
// threshold below which calls stay on one thread).
import { checkSame, randomFloats, runCaseAsync } from './harness.mjs';
import { convGraph } from './onnx.mjs';
import { setup } from './nets.bench.mjs';
import * as mobilenetv2 from './nets/mobilenetv2.mjs';
import * as resnet18 from './nets/resnet18.mjs';
import { loadOrt, ortSession } from './peers.mjs';

export default async function threads(convcorr) {
  const { init, conv2d, conv2dGradInput, conv2dGradWeight, correlate, ndimage, getBackend } = convcorr;
  const rounds = Number(process.env.THREADS_BENCH_ROUNDS ?? 5);
  const minMs = Number(process.env.THREADS_BENCH_MS ?? 300);
  const n = Number(process.env.THREADS_BENCH_N ?? 2);
  const { ort, version } = await loadOrt();
  ort.env.wasm.numThreads = n; // before the first session: its pool is made once
  const ortN = (model) => ort.InferenceSession.create(model, { executionProviders: ['wasm'], intraOpNumThreads: n });
  const one = async () => void (await init({ threads: 1 }));
  const many = async () => {
    const info = await init({ threads: n });
    if (info.threads !== n) throw new Error(`expected ${n} threads, got ${info.threads} (${info.threadsReason})`);
  };
  console.log(`threads: convcorr 1 vs ${n} (wasm build ${getBackend().variant}); onnxruntime-web ${version}, numThreads = ${n}`);
  const results = [];
  /**
   * One case: convcorr on 1 and n threads (same bits checked), and optionally a peer. `copy` makes the checked copy of
   * a result written into a given output (outside the timed calls: a fresh 4 MB copy's page faults in every call
   * were a serial millisecond or more on each side).
   */
  const run = async (id, flops, fn, peer, copy = (r) => r) => {
    await one();
    const ref = copy(await fn());
    await many();
    checkSame(`${id}: ${n} threads`, copy(await fn()), ref, 0);
    if (peer) checkSame(`${id}: ${peer.name}`, await peer.fn(), ref, 1e-3);
    // A pool is started anew in each round's `before`: its workers are warmed by a few calls there (a fresh worker's
    // first calls are slower), as an application's long-lived pool is.
    const warm = async (start) => {
      await start();
      for (let i = 0; i < 3; i++) await fn();
    };
    const variants = [
      { name: 'convcorr, 1 thread', fn, before: () => warm(one) },
      { name: `convcorr, ${n} threads`, fn, before: () => warm(many) },
      ...(peer ? [peer] : []),
    ];
    results.push(await runCaseAsync({ id, flops, rounds, minMs, minCalls: 3, nameWidth: 36, variants }));
  };

  for (const net of [resnet18, mobilenetv2]) {
    const L = setup(net);
    const chain = () => {
      const outs = [];
      for (const l of L) {
        const x = l.src === null ? { data: l.xCF, shape: l.xShape } : outs[l.src];
        outs.push(conv2d(x, { data: l.wCF, shape: l.wShape }, { stride: l.stride, padding: l.pad, groups: l.groups, bias: l.b }));
      }
      return outs[outs.length - 1].data;
    };
    const consumed = new Set(L.map((l) => l.src).filter((s) => s !== null));
    const last = L[L.length - 1];
    const session = await ortN(convGraph({
      inputs: L.filter((l) => l.src === null).map((l) => ({ name: `X${l.index}`, shape: l.xShape })),
      convs: L.map((l) => ({ x: l.src === null ? `X${l.index}` : `Y${l.src}`, y: `Y${l.index}`, w: l.wCF, wShape: l.wShape, b: l.b,
        stride: l.stride, pad: l.pad, groups: l.groups })),
      outputs: L.filter((l) => !consumed.has(l.index)).map((l) => ({ name: `Y${l.index}`, shape: l.yShape })),
    }));
    const ortChain = async () => {
      const feeds = {};
      for (const l of L) if (l.src === null) feeds[`X${l.index}`] = new ort.Tensor('float32', l.xCF, l.xShape);
      return (await session.run(feeds))[`Y${last.index}`].data;
    };
    const macs = L.reduce((s, l) => s + l.macs, 0);
    await run(`threads ${net.name}: ${L.length} convolutions chained, channels-first`, 2 * macs, chain,
      { name: `onnxruntime-web, ${n} threads`, fn: ortChain });
    // As a long-running application runs a net: prepared layers (weights packed once, made while the pool runs, so
    // they live in the threads build's memory and run on one thread once the pool ends) into reused outputs: the
    // work left is the arithmetic, without a fresh result's page faults (on this machine ~3 ms per MiB).
    await many();
    const prepared = L.map((l) => convcorr.prepareConv2d({ data: l.wCF, shape: l.wShape }, { stride: l.stride, padding: l.pad, groups: l.groups, bias: l.b }));
    const outBufs = L.map((l) => new Float32Array(l.yShape.reduce((a, b) => a * b, 1)));
    const preparedChain = () => {
      const outs = [];
      for (const l of L) outs.push(prepared[l.index].run(l.src === null ? { data: l.xCF, shape: l.xShape } : outs[l.src], { output: outBufs[l.index] }));
      return outs[outs.length - 1].data.slice();
    };
    await run(`threads ${net.name}: ${L.length} convolutions chained, prepared layers, outputs reused`, 2 * macs, preparedChain,
      { name: `onnxruntime-web, ${n} threads`, fn: ortChain });
    for (const p of prepared) p.dispose();
    await session.release();
  }

  // Shape A: 1×64×56² → 64, 3×3, padding 1: forward, input gradient, weight gradient.
  const x = { data: randomFloats(Float32Array, 64 * 56 * 56, 1), shape: [1, 64, 56, 56] };
  const w = { data: randomFloats(Float32Array, 64 * 64 * 9, 2), shape: [64, 64, 3, 3] };
  const dy = { data: randomFloats(Float32Array, 64 * 56 * 56, 3), shape: [1, 64, 56, 56] };
  const macsA = 64 * 56 * 56 * 64 * 9;
  const sA = await ortN(convGraph({ inputs: [{ name: 'X', shape: x.shape }], convs: [{ x: 'X', y: 'Y', w: w.data, wShape: w.shape,
    stride: 1, pad: 1, groups: 1 }], outputs: [{ name: 'Y', shape: [1, 64, 56, 56] }] }));
  await run('threads conv2d shape A forward (1×64×56² → 64, 3×3)', 2 * macsA, () => conv2d(x, w, { padding: 1 }).data,
    { name: `onnxruntime-web, ${n} threads`, fn: async () => (await sA.run({ X: new ort.Tensor('float32', x.data, x.shape) })).Y.data });
  const outA = new Float32Array(64 * 56 * 56);
  await run('threads conv2d shape A forward, output given', 2 * macsA, () => conv2d(x, w, { padding: 1, output: outA }).data,
    { name: `onnxruntime-web, ${n} threads`, fn: async () => (await sA.run({ X: new ort.Tensor('float32', x.data, x.shape) })).Y.data },
    (r) => r.slice());
  await sA.release();
  await run('threads conv2d shape A input gradient', 2 * macsA, () => conv2dGradInput(x.shape, w, dy, { padding: 1 }).data);
  await run('threads conv2d shape A weight gradient', 2 * macsA, () => conv2dGradWeight(x, w.shape, dy, { padding: 1 }).data);

  // Filters into a given output, and a long 1-D correlation ('auto' takes the FFT).
  const img = { data: randomFloats(Float32Array, 1024 * 1024, 4), shape: [1024, 1024] };
  const out = new Float32Array(1024 * 1024);
  for (const k of [3, 7]) {
    const h = { data: randomFloats(Float32Array, k * k, 5), shape: [k, k] };
    await run(`threads ndimage.correlate 1024² ${k}×${k}, output given`, 2 * 1024 * 1024 * k * k,
      () => ndimage.correlate(img, h, { output: out }).data, undefined, (r) => r.slice());
  }
  const sig = randomFloats(Float32Array, 1_000_000, 6);
  const ker = randomFloats(Float32Array, 1023, 7);
  await run("threads correlate 1-D n = 1e6, k = 1023, 'auto' (FFT)", 2 * 1e6 * 1023, () => correlate(sig, ker));
  // THREADS_BENCH_SWEEP=1: where splitting starts to pay, per path (the threshold is tuning.minWork multiply-adds,
  // src/threads.ts): each case at growing sizes, 1 vs n threads. Splitting is off below the threshold, so the sizes
  // here start at it; a ratio < 1 at the smallest means the threshold is too low for that path.
  if (process.env.THREADS_BENCH_SWEEP === '1') {
    const sweep = [];
    for (const s of [16, 23, 32, 45]) {
      const xs = { data: randomFloats(Float32Array, 32 * s * s, 8), shape: [1, 32, s, s] };
      const ws = { data: randomFloats(Float32Array, 32 * 32 * 9, 9), shape: [32, 32, 3, 3] };
      sweep.push([`conv2d 32→32 3×3 @${s}²`, 32 * 32 * 9 * s * s, () => conv2d(xs, ws, { padding: 1 }).data]);
      const dwx = { data: randomFloats(Float32Array, 96 * s * s, 10), shape: [1, 96, s, s] };
      const dww = { data: randomFloats(Float32Array, 96 * 9, 11), shape: [96, 1, 3, 3] };
      sweep.push([`depthwise 96 3×3 @${s}²`, 96 * 9 * s * s, () => conv2d(dwx, dww, { padding: 1, groups: 96 }).data]);
    }
    for (const s of [256, 362, 512, 724]) {
      const im = { data: randomFloats(Float32Array, s * s, 12), shape: [s, s] };
      const h3 = { data: randomFloats(Float32Array, 9, 13), shape: [3, 3] };
      sweep.push([`ndimage 3×3 @${s}²`, 9 * s * s, () => ndimage.correlate(im, h3).data]);
    }
    for (const nn of [4096, 16384, 65536]) {
      const a = randomFloats(Float32Array, nn, 14);
      const b = randomFloats(Float32Array, 64, 15);
      sweep.push([`correlate 1-D direct n = ${nn}, k = 64`, nn * 64, () => correlate(a, b, { method: 'direct' })]);
    }
    for (const [id, macs, fn] of sweep) await run(`threads sweep: ${id} (${(macs / 1e6).toFixed(1)} M multiply-adds)`, 2 * macs, fn);
  }
  await one();
  return results;
}
