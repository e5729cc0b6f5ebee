// Whole networks, forward float32 with bias, batch 1, 224 × 224, one thread: every convolution of ResNet-18 and of
// MobileNetV2 (bench/nets/*.mjs: the layer lists as data), run layer by layer and chained (each layer's output
// feeding the next, as the net's graph reads them; ReLU, batch norm, max-pool and the residual adds are skipped:
// see the data files), against @tensorflow/tfjs-backend-wasm (XNNPACK, NHWC, `tf.fused.conv2d` /
// `tf.fused.depthwiseConv2d` with bias) and onnxruntime-web (wasm, NCHW, one session per layer and one session for the
// whole chained graph, weights and biases as initializers). convcorr runs channels-first (compared with onnxruntime
// and tfjs) and channels-last (compared with tfjs), each into fresh results, as plain `conv2d` calls (weights packed on
// every call) and through `prepareConv2d` layers (packed once). tfjs keeps its inputs, weights and intermediate
// results resident in its heap and reads back the final result; onnxruntime copies the input in and the graph's
// outputs out. Every variant's result is checked against ours before timing. Ratios are medians of per-round ratios.
// Environment: NETS_BENCH_ROUNDS (default 3), NETS_BENCH_MS (per layer variant and round, default 80),
// NETS_BENCH_CHAIN_MS (default 600), NETS_BENCH_NETS (e.g. "ResNet"), NETS_BENCH_LAYERS=0 to run the chains only,
// NETS_BENCH_TRAIN=0 to skip the training step (forward, input gradient and weight gradient of every layer, fresh
// results, channels-first; the first layer's input gradient is left out, as training never needs the image's).
import { checkSame, median, randomFloats, runCaseAsync } from './harness.mjs';
import { convGraph } from './onnx.mjs';
import * as mobilenetv2 from './nets/mobilenetv2.mjs';
import * as resnet18 from './nets/resnet18.mjs';
import { loadOrt, loadTf, ortSession, permute, prod, toLast, toTfFilter } from './peers.mjs';

const NETS = [resnet18, mobilenetv2];

/** Output size of one axis (square maps). */
export const outSize = (l) => Math.floor((l.size + 2 * l.pad - l.k) / l.stride) + 1;

/** Weights, bias and shapes of every layer (deterministic; weights scaled by 1/√fan-in so the chain stays bounded). */
export function setup(net) {
  const byName = new Map();
  return net.layers.map((l, i) => {
    const cinG = l.cin / l.groups;
    const wShape = [l.cout, cinG, l.k, l.k];
    const scale = 1 / Math.sqrt(cinG * l.k * l.k);
    const wCF = randomFloats(Float32Array, prod(wShape), 10 + i).map((v) => v * scale);
    const b = randomFloats(Float32Array, l.cout, 500 + i).map((v) => v * 0.1);
    const o = outSize(l);
    const src = l.from === undefined ? (i === 0 ? null : i - 1) : l.from === null ? null : byName.get(l.from);
    if (src === undefined) throw new Error(`${net.name}: layer ${l.name} reads unknown layer ${l.from}`);
    const xShape = [1, l.cin, l.size, l.size];
    const xCF = randomFloats(Float32Array, prod(xShape), 1000 + i);
    const layer = {
      ...l, index: i, src, wShape, wCF, wCL: permute(wCF, wShape, toTfFilter(4)), wShapeCL: [l.k, l.k, cinG, l.cout], b,
      xShape, xCF, xCL: permute(xCF, xShape, toLast(4)), xShapeCL: [1, l.size, l.size, l.cin],
      yShape: [1, l.cout, o, o], macs: l.cout * o * o * cinG * l.k * l.k,
    };
    byName.set(l.name, i);
    return layer;
  });
}

export default async function nets(convcorr) {
  const { conv2d, prepareConv2d } = convcorr;
  const rounds = Number(process.env.NETS_BENCH_ROUNDS ?? 3);
  const layerMs = Number(process.env.NETS_BENCH_MS ?? 80);
  const chainMs = Number(process.env.NETS_BENCH_CHAIN_MS ?? 600);
  const only = process.env.NETS_BENCH_NETS;
  const byLayer = process.env.NETS_BENCH_LAYERS !== '0';
  const { tf, version: tfVersion } = await loadTf();
  const { ort, version: ortVersion } = await loadOrt();
  console.log(`peers: @tensorflow/tfjs-backend-wasm ${tfVersion} (SIMD, 1 thread, NHWC), onnxruntime-web ${ortVersion} (wasm, 1 thread, NCHW)`);
  if (!prepareConv2d) console.log('(this build has no prepareConv2d: prepared variants skipped)');
  const results = [];
  const report = [];
  for (const net of NETS) {
    if (only && !net.name.includes(only)) continue;
    const L = setup(net);
    const tfW = L.map((l) => (l.groups > 1 ? tf.tensor(l.wCL, [l.k, l.k, l.cin, 1]) : tf.tensor(l.wCL, l.wShapeCL)));
    const tfB = L.map((l) => tf.tensor(l.b, [l.cout]));
    const tfX = L.map((l) => (l.src === null ? tf.tensor(l.xCL, l.xShapeCL) : null));
    const tfX1 = L.map((l) => tf.tensor(l.xCL, l.xShapeCL)); // every layer's own input, for the layer-by-layer runs
    const tfConv = (l, x) => (l.groups > 1
      ? tf.fused.depthwiseConv2d({ x, filter: tfW[l.index], strides: l.stride, pad: l.pad, bias: tfB[l.index] })
      : tf.fused.conv2d({ x, filter: tfW[l.index], strides: l.stride, pad: l.pad, bias: tfB[l.index] }));
    const opts = (l, layout) => ({ stride: l.stride, padding: l.pad, groups: l.groups, layout });
    const plain = (l, x, layout) => conv2d(x, layout === 'channels-first' ? { data: l.wCF, shape: l.wShape } : { data: l.wCL, shape: l.wShapeCL },
      { ...opts(l, layout), bias: l.b });
    const prepared = { 'channels-first': [], 'channels-last': [] };
    if (prepareConv2d) {
      for (const layout of ['channels-first', 'channels-last']) {
        for (const l of L) {
          const w = layout === 'channels-first' ? { data: l.wCF, shape: l.wShape } : { data: l.wCL, shape: l.wShapeCL };
          prepared[layout].push(prepareConv2d(w, { ...opts(l, layout), bias: l.b }));
        }
      }
    }
    const own = (l, layout) => (layout === 'channels-first' ? { data: l.xCF, shape: l.xShape } : { data: l.xCL, shape: l.xShapeCL });

    // --- Chained: each layer reads its source's output (or a fresh input). ---
    const oursChain = (layout, prep) => () => {
      const outs = [];
      for (const l of L) {
        const x = l.src === null ? own(l, layout) : outs[l.src];
        outs.push(prep ? prepared[layout][l.index].run(x) : plain(l, x, layout));
      }
      return outs[outs.length - 1].data;
    };
    // Prepared layers writing into one output array per layer, reused across passes (what fresh results cost).
    const outBufs = { 'channels-first': L.map((l) => new Float32Array(prod(l.yShape))), 'channels-last': L.map((l) => new Float32Array(prod(l.yShape))) };
    const oursChainOut = (layout) => () => {
      const outs = [];
      for (const l of L) {
        const x = l.src === null ? own(l, layout) : outs[l.src];
        outs.push(prepared[layout][l.index].run(x, { output: outBufs[layout][l.index] }));
      }
      return outs[outs.length - 1].data;
    };
    const tfChain = () => {
      const outs = [];
      for (const l of L) outs.push(tfConv(l, l.src === null ? tfX[l.index] : outs[l.src]));
      const data = outs[outs.length - 1].dataSync();
      for (const t of outs) t.dispose();
      return data;
    };
    const consumed = new Set(L.map((l) => l.src).filter((s) => s !== null));
    const leaves = L.filter((l) => !consumed.has(l.index));
    const graph = convGraph({
      inputs: L.filter((l) => l.src === null).map((l) => ({ name: `X${l.index}`, shape: l.xShape })),
      convs: L.map((l) => ({ x: l.src === null ? `X${l.index}` : `Y${l.src}`, y: `Y${l.index}`, w: l.wCF, wShape: l.wShape, b: l.b,
        stride: l.stride, pad: l.pad, groups: l.groups })),
      outputs: leaves.map((l) => ({ name: `Y${l.index}`, shape: l.yShape })),
    });
    const chainSession = await ortSession(ort, graph);
    const last = L[L.length - 1];
    const ortChain = async () => {
      const feeds = {};
      for (const l of L) if (l.src === null) feeds[`X${l.index}`] = new ort.Tensor('float32', l.xCF, l.xShape);
      return (await chainSession.run(feeds))[`Y${last.index}`].data;
    };
    const refCF = oursChain('channels-first', false)();
    const refCL = oursChain('channels-last', false)();
    const toCF = (d) => permute(d, [1, ...last.yShape.slice(2), last.cout], [0, 3, 1, 2]);
    checkSame(`${net.name} chain: channels-last vs channels-first`, toCF(refCL), refCF, 1e-4);
    checkSame(`${net.name} chain: tfjs`, toCF(tfChain()), refCF, 1e-3);
    checkSame(`${net.name} chain: onnxruntime-web`, await ortChain(), refCF, 1e-3);
    const variants = [
      { name: 'tfjs-backend-wasm (NHWC)', fn: tfChain },
      { name: 'onnxruntime-web (NCHW)', fn: ortChain },
      { name: 'convcorr channels-first', fn: oursChain('channels-first', false) },
      { name: 'convcorr channels-last', fn: oursChain('channels-last', false) },
    ];
    if (prepareConv2d) {
      checkSame(`${net.name} chain: prepared channels-first`, oursChain('channels-first', true)(), refCF, 0);
      checkSame(`${net.name} chain: prepared channels-last`, oursChain('channels-last', true)(), refCL, 0);
      checkSame(`${net.name} chain: prepared channels-first into outputs`, oursChainOut('channels-first')(), refCF, 0);
      variants.push({ name: 'convcorr prepared channels-first', fn: oursChain('channels-first', true) },
        { name: 'convcorr prepared channels-last', fn: oursChain('channels-last', true) },
        { name: 'convcorr prepared CF, outputs reused', fn: oursChainOut('channels-first') });
    }
    const macs = L.reduce((s, l) => s + l.macs, 0);
    const chain = await runCaseAsync({ id: `nets ${net.name}: ${L.length} convolutions chained (float32, bias, fresh results)`,
      flops: 2 * macs, rounds, minMs: chainMs, minCalls: 3, nameWidth: 36, variants });
    results.push(chain);
    await chainSession.release();
    const ratio = (res, a, b) => median(res.perRound[a].map((t, i) => t / res.perRound[b][i]));
    const netReport = { name: net.name, layers: L.length, chain: { ms: chain.rows.map((r) => [r.name, r.ms]),
      cfVsTf: ratio(chain, 0, 2), cfVsOrt: ratio(chain, 1, 2), clVsTf: ratio(chain, 0, 3), clVsOrt: ratio(chain, 1, 3),
      ...(prepareConv2d ? { pcfVsTf: ratio(chain, 0, 4), pcfVsOrt: ratio(chain, 1, 4), pclVsTf: ratio(chain, 0, 5),
        pcfOutVsTf: ratio(chain, 0, 6), freshCost: ratio(chain, 4, 6) } : {}) }, rows: [] };

    // --- Layer by layer: every layer on its own input. ---
    if (byLayer) {
      for (const l of L) {
        const session = await ortSession(ort, convGraph({ inputs: [{ name: 'X', shape: l.xShape }],
          convs: [{ x: 'X', y: 'Y', w: l.wCF, wShape: l.wShape, b: l.b, stride: l.stride, pad: l.pad, groups: l.groups }],
          outputs: [{ name: 'Y', shape: l.yShape }] }));
        const ortRun = async () => (await session.run({ X: new ort.Tensor('float32', l.xCF, l.xShape) })).Y.data;
        const tfRun = () => {
          const y = tfConv(l, tfX1[l.index]);
          const data = y.dataSync();
          y.dispose();
          return data;
        };
        const cf = () => plain(l, own(l, 'channels-first'), 'channels-first');
        const cl = () => plain(l, own(l, 'channels-last'), 'channels-last');
        const yCF = cf();
        const yCL = cl();
        const o = outSize(l);
        const back = (d) => permute(d, [1, o, o, l.cout], [0, 3, 1, 2]);
        checkSame(`${l.name} channels-last`, back(yCL.data), yCF.data, 1e-4);
        checkSame(`${l.name} tfjs`, back(tfRun()), yCF.data, 1e-4);
        checkSame(`${l.name} onnxruntime-web`, await ortRun(), yCF.data, 1e-4);
        const lv = [
          { name: 'tfjs-backend-wasm (NHWC)', fn: tfRun },
          { name: 'onnxruntime-web (NCHW)', fn: ortRun },
          { name: 'convcorr channels-first', fn: cf },
          { name: 'convcorr channels-last', fn: cl },
        ];
        if (prepareConv2d) {
          const pcf = () => prepared['channels-first'][l.index].run(own(l, 'channels-first'));
          const pcl = () => prepared['channels-last'][l.index].run(own(l, 'channels-last'));
          checkSame(`${l.name} prepared channels-first`, pcf().data, yCF.data, 0);
          checkSame(`${l.name} prepared channels-last`, pcl().data, yCL.data, 0);
          lv.push({ name: 'convcorr prepared channels-first', fn: pcf }, { name: 'convcorr prepared channels-last', fn: pcl });
        }
        const desc = `${l.cin}→${l.cout} ${l.k}×${l.k}${l.stride > 1 ? ` s${l.stride}` : ''}${l.groups > 1 ? ' dw' : ''} @${l.size}`;
        const res = await runCaseAsync({ id: `nets ${net.name} ${l.name}: ${desc}`, flops: 2 * l.macs, rounds, minMs: layerMs, minCalls: 3,
          nameWidth: 36, variants: lv });
        results.push(res);
        await session.release();
        netReport.rows.push({ name: l.name, desc, ms: res.rows.map((r) => r.ms), gflopsCF: res.rows[2].gflops,
          cfVsTf: ratio(res, 0, 2), cfVsOrt: ratio(res, 1, 2), clVsTf: ratio(res, 0, 3),
          ...(prepareConv2d ? { pcfVsTf: ratio(res, 0, 4), pclVsTf: ratio(res, 0, 5) } : {}) });
      }
    }
    // --- A training step's convolutions: forward, dX and dW of every layer on the layer's own input. ---
    if (process.env.NETS_BENCH_TRAIN !== '0' && convcorr.conv2dGradInput) {
      const { conv2dGradInput, conv2dGradWeight } = convcorr;
      const dy = L.map((l) => ({ data: randomFloats(Float32Array, prod(l.yShape), 2000 + l.index), shape: l.yShape }));
      const w = (l) => ({ data: l.wCF, shape: l.wShape });
      const o = (l) => ({ stride: l.stride, padding: l.pad, groups: l.groups });
      const needsDx = L.filter((l) => l.index > 0);
      const fwd = () => L.map((l) => plain(l, own(l, 'channels-first'), 'channels-first'));
      const dX = () => needsDx.map((l) => conv2dGradInput(l.xShape, w(l), dy[l.index], o(l)));
      const dW = () => L.map((l) => conv2dGradWeight(own(l, 'channels-first'), l.wShape, dy[l.index], o(l)));
      const fwdX = () => needsDx.map((l) => plain(l, own(l, 'channels-first'), 'channels-first'));
      const train = await runCaseAsync({ id: `nets ${net.name}: training step, every layer (channels-first, fresh results)`,
        flops: 2 * macs, rounds, minMs: chainMs, minCalls: 2, nameWidth: 36, variants: [
          { name: 'forward, every layer', fn: fwd },
          { name: 'forward, layers that need dX', fn: fwdX },
          { name: 'dX (input gradient)', fn: dX },
          { name: 'dW (weight gradient)', fn: dW },
        ] });
      results.push(train);
      netReport.train = { ms: train.rows.map((r) => [r.name, r.ms]), dxOverFwd: ratio(train, 2, 1), dwOverFwd: ratio(train, 3, 0) };
    }
    report.push(netReport);
    for (const t of [...tfW, ...tfB, ...tfX1, ...tfX.filter(Boolean)]) t.dispose();
    for (const p of [...prepared['channels-first'], ...prepared['channels-last']]) p.dispose();
  }
  const f = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
  console.log('\nsummary: chained graphs (median of per-round speed-ups of convcorr; > 1 = convcorr faster)');
  console.log('| net | tfjs ms | ort ms | CF ms | CL ms | prepared CF ms | prepared CL ms | prepared CF, outputs reused ms | CF vs tfjs | CF vs ort | CL vs tfjs | prepared CF vs tfjs | prepared CF vs ort | prepared CL vs tfjs | prepared CF reused vs tfjs | fresh ÷ reused (prepared CF) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of report) {
    const ms = r.chain.ms.map(([, m]) => m.toFixed(2));
    while (ms.length < 7) ms.push('—');
    console.log(`| ${r.name} (${r.layers} convs) | ${ms.join(' | ')} | ${f(r.chain.cfVsTf)} | ${f(r.chain.cfVsOrt)} | ${f(r.chain.clVsTf)} | ${f(r.chain.pcfVsTf)} | ${f(r.chain.pcfVsOrt)} | ${f(r.chain.pclVsTf)} | ${f(r.chain.pcfOutVsTf)} | ${f(r.chain.freshCost)} |`);
  }
  for (const r of report) {
    if (!r.train) continue;
    console.log(`\n${r.name} training step: ${r.train.ms.map(([n, m]) => `${n} ${m.toFixed(1)} ms`).join('; ')}; ` +
      `dX ÷ forward (same layers) ${r.train.dxOverFwd.toFixed(2)}, dW ÷ forward ${r.train.dwOverFwd.toFixed(2)} (medians of per-round ratios)`);
  }
  for (const r of report) {
    if (!r.rows.length) continue;
    console.log(`\n${r.name} layer by layer (ms: tfjs, ort, CF, CL[, prepared CF, prepared CL]; ratios > 1 = convcorr faster)`);
    console.log('| layer | shape | tfjs ms | ort ms | CF ms | CL ms | CF GFLOP/s | CF vs tfjs | CF vs ort | CL vs tfjs | prepared CF vs tfjs | prepared CL vs tfjs |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const x of r.rows) {
      console.log(`| ${x.name} | ${x.desc} | ${x.ms.slice(0, 4).map((m) => m.toFixed(3)).join(' | ')} | ${x.gflopsCF.toFixed(1)} | ${f(x.cfVsTf)} | ${f(x.cfVsOrt)} | ${f(x.clVsTf)} | ${f(x.pcfVsTf)} | ${f(x.pclVsTf)} |`);
    }
    const worst = (key) => [...r.rows].sort((a, b) => a[key] - b[key]).slice(0, 5).map((x) => `${x.name} ${x.desc} ${f(x[key])}`).join('; ');
    console.log(`worst five, CF vs tfjs: ${worst('cfVsTf')}`);
    console.log(`worst five, CL vs tfjs: ${worst('clVsTf')}`);
  }
  return results;
}
