#!/usr/bin/env node
// Measure the constants of method 'auto' (src/auto.ts) for every build and write src/auto-model.ts.
//
//   node scripts/calibrate-auto.mjs            (after `npm run build:wasm`; spawns itself once more with
//                                               --experimental-wasm-relaxed-simd for the relaxed build)
//
// For each build (js, scalar, simd, relaxed), dtype (float32, float64) and rank class (1-D, 2-D standing for N-D),
// the public correlate() is timed with method 'direct' and method 'fft' on a fixed set of shapes (the minimum of
// several calls, so that a busy machine shows less), and each method's three constants are fitted by least squares on
// the relative error:  direct ≈ mac·macs + elem·elements + call,  fft ≈ fft·Σ F·log2 F + fftElem·elements + fftCall
// (the features
// are src/auto.ts's autoFeatures, so the model sees exactly what it is fitted on). The constants are committed: the
// choice 'auto' makes is then fixed per build, as SciPy's choose_conv_method constants are.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The package's source bundled with the internals the fit needs (autoFeatures, autoPlan). */
async function loadSource() {
  const out = await build({
    stdin: {
      contents: "export * from './src/index'; export { autoFeatures } from './src/auto'; export { autoPlan } from './src/signal'; export { loadBinaries, VARIANTS } from './src/wasm';",
      resolveDir: root, loader: 'ts',
    },
    bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'error',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}
const make = (Ctor, n, seed) => {
  const r = lcg(seed);
  const a = new Ctor(n);
  for (let i = 0; i < n; i++) a[i] = r();
  return a;
};

/** ms per call: the minimum over calls, repeated for at least `budget` ms (at least 3 calls, at most 100). */
function timeMin(fn, budget = 150) {
  fn();
  let best = Infinity;
  const t0 = performance.now();
  for (let calls = 0; calls < 100 && (calls < 3 || performance.now() - t0 < budget); calls++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

// Shapes: [in1 shape, in2 shape, mode]. Chosen so each feature varies independently and no call takes long on js.
const SHAPES = {
  rank1: {
    direct: [[[20000], [3], 'valid'], [[20000], [17], 'full'], [[20000], [65], 'valid'], [[20000], [257], 'full'],
      [[200000], [3], 'full'], [[200000], [33], 'valid'], [[200000], [129], 'full'], [[50000], [1000], 'valid']],
    fft: [[[4096], [64], 'full'], [[4096], [1500], 'valid'], [[50000], [64], 'full'], [[50000], [3000], 'valid'],
      [[400000], [100], 'full'], [[400000], [5000], 'valid'], [[1000000], [4000], 'full'], [[20000], [20000], 'full']],
  },
  rankN: {
    direct: [[[128, 128], [3, 3], 'same'], [[128, 128], [9, 9], 'full'], [[512, 512], [3, 3], 'valid'],
      [[512, 512], [7, 7], 'same'], [[256, 256], [17, 17], 'same'], [[1024, 1024], [3, 3], 'same'], [[64, 4096], [5, 5], 'same']],
    fft: [[[128, 128], [9, 9], 'same'], [[128, 128], [33, 33], 'full'], [[512, 512], [9, 9], 'same'],
      [[512, 512], [33, 33], 'valid'], [[1024, 1024], [15, 15], 'same'], [[1024, 1024], [63, 63], 'same'], [[64, 4096], [17, 17], 'same']],
  },
};

/**
 * Least squares of t ≈ Σ c_j·f_j on the relative error (weights 1/t²) with every c_j ≥ 0: solve, pin the most
 * negative coefficient at 0, solve the rest again (an active-set loop; at most one pass per coefficient).
 */
function fit(points) {
  const m = points[0].f.length;
  const free = new Set([...Array(m).keys()]);
  for (;;) {
    const idx = [...free];
    const A = idx.map(() => idx.map(() => 0));
    const r = idx.map(() => 0);
    for (const { f, t } of points) {
      const w = 1 / (t * t);
      idx.forEach((i, a) => {
        r[a] += w * f[i] * t;
        idx.forEach((j, b) => { A[a][b] += w * f[i] * f[j]; });
      });
    }
    // Gaussian elimination with partial pivoting (a 3×3 system at most).
    const n = idx.length;
    for (let c = 0; c < n; c++) {
      let p = c;
      for (let q = c + 1; q < n; q++) if (Math.abs(A[q][c]) > Math.abs(A[p][c])) p = q;
      [A[c], A[p]] = [A[p], A[c]];
      [r[c], r[p]] = [r[p], r[c]];
      for (let q = c + 1; q < n; q++) {
        const g = A[q][c] / A[c][c];
        for (let k = c; k < n; k++) A[q][k] -= g * A[c][k];
        r[q] -= g * r[c];
      }
    }
    const x = new Array(n).fill(0);
    for (let c = n - 1; c >= 0; c--) {
      let v = r[c];
      for (let k = c + 1; k < n; k++) v -= A[c][k] * x[k];
      x[c] = v / A[c][c];
    }
    const worst = x.reduce((w, v, a) => (v < (w < 0 ? 0 : x[w]) ? a : w), -1);
    if (worst < 0) {
      const c = new Array(m).fill(0);
      idx.forEach((i, a) => { c[i] = x[a]; });
      return c;
    }
    free.delete(idx[worst]);
  }
}

const sig3 = (v) => Number(v.toPrecision(3));

async function calibrate(builds) {
  const cc = await loadSource();
  await cc.loadBinaries(cc.VARIANTS); // the source's loader holds no build until asked (as the ESM build)
  const model = {};
  for (const b of builds) {
    cc.initSync(b === 'js' ? { backend: 'js' } : { backend: 'wasm', variant: b });
    model[b] = {};
    for (const dtype of ['float32', 'float64']) {
      const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
      model[b][dtype] = {};
      for (const cls of ['rank1', 'rankN']) {
        const pts = { direct: [], fft: [] };
        for (const method of ['direct', 'fft']) {
          SHAPES[cls][method].forEach(([s1, s2, mode], i) => {
            const n1 = s1.reduce((p, v) => p * v, 1);
            const n2 = s2.reduce((p, v) => p * v, 1);
            const x = { data: make(Ctor, n1, 1 + i), shape: s1 };
            const h = { data: make(Ctor, n2, 100 + i), shape: s2 };
            const f = cc.autoFeatures(cc.autoPlan(x, h, { mode, dtype }));
            const t = timeMin(() => cc.correlate(x, h, { mode, method })) * 1e6; // ns
            pts[method].push({ f: method === 'direct' ? [f.macs, f.directElems, 1] : [f.fftUnits, f.fftElems, 1], t });
          });
        }
        const d = fit(pts.direct);
        const F = fit(pts.fft);
        const worst = (p, c) => Math.max(...p.map(({ f, t }) => Math.abs(f.reduce((s, v, j) => s + v * c[j], 0) - t) / t));
        console.error(`${b} ${dtype} ${cls}: direct ${d.map(sig3).join(' ')} (worst fit error ${(100 * worst(pts.direct, d)).toFixed(0)}%),` +
          ` fft ${F.map(sig3).join(' ')} (${(100 * worst(pts.fft, F)).toFixed(0)}%)`);
        model[b][dtype][cls] = { mac: sig3(d[0]), elem: sig3(d[1]), call: sig3(d[2]), fft: sig3(F[0]), fftElem: sig3(F[1]), fftCall: sig3(F[2]) };
      }
    }
  }
  return model;
}

if (process.argv[2] === '--child') {
  // The relaxed build needs the engine flag: the parent runs this branch in a child process.
  process.stdout.write(JSON.stringify(await calibrate(['relaxed'])));
  process.exit(0);
}

const model = await calibrate(['js', 'scalar', 'simd']);
const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', fileURLToPath(import.meta.url), '--child'],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
if (child.status !== 0) throw new Error(`the relaxed-SIMD child failed (exit ${child.status})`);
Object.assign(model, JSON.parse(child.stdout));

const row = (m) => `{ mac: ${m.mac}, elem: ${m.elem}, call: ${m.call}, fft: ${m.fft}, fftElem: ${m.fftElem}, fftCall: ${m.fftCall} }`;
const lines = Object.entries(model).map(([b, d]) => `  ${b}: {\n${Object.entries(d).map(([dt, c]) =>
  `    ${dt}: { rank1: ${row(c.rank1)}, rankN: ${row(c.rankN)} },`).join('\n')}\n  },`);
const text = `// Generated by scripts/calibrate-auto.mjs: do not edit by hand. The constants of method 'auto' (src/auto.ts), in ns per
// unit, fitted per build (the js backend and each wasm build), dtype and rank class from timings of correlate().
// Measured on: ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
export const AUTO_MODEL = {
${lines.join('\n')}
} as const;
`;
writeFileSync(new URL('../src/auto-model.ts', import.meta.url), text);
console.error('wrote src/auto-model.ts');
