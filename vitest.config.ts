import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import type { TestProjectInlineConfiguration } from 'vitest/config';

// Three projects run the same suite: Node (js + scalar + SIMD wasm), Node with relaxed SIMD switched on (the
// relaxed build only), and headless Chromium (every variant; relaxed SIMD is on there by default). The browser
// project runs where a chromium binary is on PATH (or CHROMIUM_PATH names one): test tools cannot download one.
function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

const include = ['test/**/*.test.ts'];
// Every project loads the binaries up front; the node project also has the mutation run's fault injector (Node only).
const setupFiles = ['test/setup-binaries.ts'];
const chromium = process.env.CONVCORR_NO_BROWSER ? undefined : findChromium();

const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      // CONVCORR_VARIANTS narrows the backends (the mutation run, scripts/mutation.mjs, tests one side at a time).
      name: 'node', include, setupFiles: [...setupFiles, 'test/mutation.setup.ts'], provide: { variants: (process.env.CONVCORR_VARIANTS?.split(',') ?? ['js', 'scalar', 'simd']) as ('js' | 'scalar' | 'simd')[] },
      // Type tests (test/*.test-d.ts: the result types of the overloads), once, in this project.
      typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
    },
  },
  {
    extends: true,
    test: {
      name: 'node-relaxed', include, setupFiles, execArgv: ['--experimental-wasm-relaxed-simd'],
      provide: { variants: ['relaxed'] },
    },
  },
];
if (!chromium && !process.env.CONVCORR_NO_BROWSER && !process.env.CONVCORR_WARNED) {
  process.env.CONVCORR_WARNED = '1'; // the config is loaded once per project: say it once
  console.warn('convcorr: no chromium on PATH (or CHROMIUM_PATH): the browser project is skipped; install one to run it');
}
if (chromium) {
  projects.push({
    extends: true,
    test: {
      name: 'chromium', include, setupFiles,
      // Node only: they write or read files and spawn node, or need fresh copies of the package (vi.resetModules,
      // which the browser runner does not give).
      exclude: ['test/readme.test.ts', 'test/examples.test.ts', 'test/bench-table.test.ts', 'test/warm-up.test.ts',
        'test/kernel-table.test.ts'],
      provide: { variants: ['js', 'scalar', 'simd', 'relaxed'] },
      browser: {
        enabled: true,
        headless: true,
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
  });
}

export default defineConfig({
  test: {
    globalSetup: ['test/wasm-fresh.global.mjs'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects,
  },
});
