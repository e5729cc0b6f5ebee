// Bundle budgets, checked by `npm test` (scripts/test.mjs runs size-limit). The budget is what importing the
// package and calling one op loads: "initial JS" is an app's bundle of `import { op } from 'convcorr'` made by esbuild
// (minified, tree-shaken, gzip), with the lazily loaded wasm builds left out (each is a chunk of its own, loaded
// by a dynamic import, and only the one the engine runs); each wasm build's chunk has a budget of its own.

// An esbuild plugin that leaves the lazily loaded chunks out of the bundle: the wasm builds (dist/relaxed-*.js, simd-*.js,
// scalar-*.js, and the threads builds threads-*.js) and the thread pool's code (pool-*.js), loaded by init({ threads })
// only. They stay dynamic imports, as a bundler emits them, and the builds are measured below one by one.
const lazyBuilds = {
  name: 'lazy-wasm-builds',
  setup(build) {
    build.onResolve({ filter: /^\.\/(threads-relaxed|threads-simd|relaxed|simd|scalar|pool)-[\w-]+\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};
const esm = (config) => ({ ...config, format: 'esm', plugins: [...(config.plugins ?? []), lazyBuilds] });

const initial = (imports, limit = '40 kB') => ({
  name: `initial JS: import ${imports} from 'convcorr'`,
  path: 'dist/index.js',
  import: imports,
  gzip: true,
  limit,
  modifyEsbuildConfig: esm,
});
const chunk = (build, limit = '35 kB') => ({
  name: `wasm chunk: ${build} build`,
  path: `dist/${build}-*.js`,
  gzip: true,
  disablePlugins: ['@size-limit/esbuild'],
  limit,
});

export default [
  initial('{ correlate }'),
  initial('{ conv2d }'),
  initial('{ ndimage }'),
  initial('{ fftconvolve }'),
  initial('{ matchTemplate }'),
  // Every op at once: not the budget (one op), a guard against growth of the whole API (49.1 kB with the
  // thread pool's dispatch in every op's driver, its worker code a lazy chunk, and the kernel table's binders).
  // 53.6 kB since the conv layers' frozen plans and one function per path, the non-finite policy module and
  // matchTemplate's overlap-save FFT (issues 12 and 17); the one-op bundles above went down 6–16 kB at the same time,
  // once the warm-ups stopped holding every op module in every bundle (backend.ts `withWarmUp`). 56 kB since issue 16's
  // channels-first 1×1 layers at a stride in their own layout (55.1 kB).
  initial('*', '56 kB'),
  // The relaxed targets build with shrinkLevel 1 (asconfig.json): 35.5 → 34.9 kB, at no measured cost in speed (old
  // and new relaxed builds in one process, bench/ab-table.mjs: 0.99–1.43× on nine cases, none slower beyond noise).
  // matchTemplate's row kernel (window sums and scores in one pass, a float32x4 finish) added 1.0 kB to each build:
  // the relaxed ones are 36.0 kB, over the 35 kB of the issue by 3 % (shrinkLevel 2 saved 19 bytes; leaving out the
  // float32x4 finish, 0.5 kB). Issue 16's channels-first depthwise kernels (wide rows, stride 2: +0.4 kB, short-row
  // padding: +0.2 kB) and issue 17's fused FFT columns (+0.4 kB) and window sums (+0.3 kB) made them 37.3 kB, for a
  // MobileNetV2 chain of channels-first calls 1.29× faster (fresh results) and matchTemplate 1.1× faster; the SIMD
  // builds (33.3 kB) stay inside the 35 kB. Then (+0.6 kB, 37.9 kB): depthwise planes padded one by one inside the
  // kernel past 32 KiB and stride-2 planes read in place (1.36–1.53× on MobileNetV2's stride-2 layers), and the
  // Winograd weight transform a panel at a time (plain 512-channel layers 1.4× faster); budgeted at 39 kB. Then
  // (+0.6 kB, 39.45 kB) issue 16's channels-first depthwise planes straight into the output, rows ending in an
  // overlapping vector (3×3 float32 at unit stride 1.2–1.6× faster on every MobileNetV2 map size, stride 2 1.1–1.25× on
  // 28² and 14²): budgeted at 40 kB. Relaxed multiply-adds are one instruction where the SIMD build has two, so
  // kernels of multiply-adds grow more here; the SIMD builds stay inside the 35 kB. Then back inside the
  // issue's 35 kB (39.45 → 34.0 kB; SIMD 34.95 → 32.0 kB): conv_gemm and the float64 Winograd call the exported GEMM
  // instead of each inlining a copy of it (the float32 Winograd keeps its copy: called, its 64-channel layers ran 3–4 %
  // slower).
  chunk('relaxed'),
  // The SIMD builds too with shrinkLevel 1 since issue 16's packing and padding kernels (35.0 → 34.4 kB): the old and
  // new builds in one process gave the same times on MobileNetV2's and ResNet-18's chains (0.996–1.007×, prepared and
  // plain) and on bench/ab-table.mjs's cases (inside the 0.94–1.07× of the old build against itself), the same bits.
  chunk('simd'),
  chunk('scalar'),
  chunk('threads-relaxed'),
  chunk('threads-simd'),
];
