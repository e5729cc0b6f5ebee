import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

// What runs where (CONTRIBUTING.md, "What runs where"):
// - node: every suite on js + the scalar and SIMD wasm builds, and the type tests;
// - node-relaxed: every suite on the relaxed-SIMD build (Node needs a flag for it);
// - chromium: every suite that can run in a page on Chromium's default build, relaxed SIMD: what only a browser shows
//   (its engine running the kernels, loading the builds as a page does, workers) without repeating the Node runs;
// - chromium-builds: js, scalar and SIMD in Chromium on a fixed sample (BUILDS_SAMPLE): loading and selecting every
//   build, wasm memory growth, the thread pool on the SIMD build, and one kernel sweep per family;
// - the CSP fallback and cross-origin isolation (threads on and off) in a real page: scripts/test-playground.mjs.
// The browser projects run where a chromium binary is on PATH (or CHROMIUM_PATH names one): test tools cannot
// download one.
function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

type BackendCase = 'js' | 'scalar' | 'simd' | 'relaxed';
const include = ['test/**/*.test.ts'];
// Every project loads the binaries up front; the node project also has the mutation run's fault injector (Node only).
const setupFiles = ['test/setup-binaries.ts'];
const chromium = process.env.CONVCORR_NO_BROWSER ? undefined : findChromium();

const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      // CONVCORR_VARIANTS narrows the backends (the mutation run, scripts/mutation.mjs, tests one side at a time).
      // Not isolated: the files of a worker share one import of src/ and the binaries (CONTRIBUTING, "What runs
      // where": each file must restore what it changes).
      name: 'node', include, isolate: false, setupFiles: [...setupFiles, 'test/mutation.setup.ts'], provide: { variants: (process.env.CONVCORR_VARIANTS?.split(',') ?? ['js', 'scalar', 'simd']) as ('js' | 'scalar' | 'simd')[] },
      // Type tests (test/*.test-d.ts: the result types of the overloads), once, in this project; scripts/test.mjs runs
      // them in a vitest of their own (CONVCORR_NO_TYPECHECK in the other), beside the rest instead of after it.
      typecheck: { enabled: !process.env.CONVCORR_NO_TYPECHECK, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
    },
  },
  {
    extends: true,
    test: {
      name: 'node-relaxed', include, isolate: false, setupFiles, execArgv: ['--experimental-wasm-relaxed-simd'],
      provide: { variants: ['relaxed'] },
    },
  },
];
if (!chromium && !process.env.CONVCORR_NO_BROWSER && !process.env.CONVCORR_WARNED) {
  process.env.CONVCORR_WARNED = '1'; // the config is loaded once per project: say it once
  console.warn('convcorr: no chromium on PATH (or CHROMIUM_PATH): the browser projects are skipped; install one to run them');
}
// Node only: they write or read files and spawn node, or need fresh copies of the package (vi.resetModules, which the
// browser runner does not give).
const nodeOnly = ['test/readme.test.ts', 'test/examples.test.ts', 'test/bench-table.test.ts', 'test/warm-up.test.ts',
  'test/kernel-table.test.ts'];
// The chromium-builds sample: backend selection and each build's loading, wasm memory (growth, fresh instances), the
// thread pool (on the SIMD build here, the relaxed one in `chromium`), and a sweep of each kernel family: correlation
// (corr2d, 1-D signal with its FFT path, 2-D signal), the conv layers (nn: every path; conv-transpose: the gradient
// kernels), similarity, boundary extension, the non-finite scan. Node runs every suite on these builds.
const BUILDS_SAMPLE = ['backend', 'memory', 'threads', 'corr2d', 'signal', 'signal2d', 'nn', 'conv-transpose',
  'similarity-kernels', 'boundary', 'nonfinite'].map((f) => `test/${f}.test.ts`);

function browserProject(name: string, variants: BackendCase[], files: { include: string[]; exclude?: string[] }): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name, ...files, setupFiles,
      provide: { variants },
      browser: {
        enabled: true,
        headless: true,
        // One page per browser project: with the two Node workers (maxWorkers below) four files run at a time.
        fileParallelism: false,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: {
            executablePath: chromium,
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
              '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
          },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
}
if (chromium) {
  projects.push(browserProject('chromium', ['relaxed'], { include, exclude: nodeOnly }));
  projects.push(browserProject('chromium-builds', ['js', 'scalar', 'simd'], { include: BUILDS_SAMPLE }));
}

export default defineConfig({
  test: {
    globalSetup: ['test/wasm-fresh.global.mjs'],
    // Two Node workers on a 2-core machine (vitest's default leaves one core to itself: the Node projects then ran
    // one file at a time and were the longest stream); the browser projects run beside them, one page each.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects,
  },
});
