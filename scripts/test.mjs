// Runs every vitest project, the bundle size budgets (size-limit on dist/, .size-limit.js: each budget counts as
// one test), then the playground page's browser test (its checks count), and ends with one line
// `tests: N passed, M failed` (CI reads it). dist/ is rebuilt first only when a file under src/ is newer than it (CI
// has just built it; `npm run build:wasm` has refreshed the binaries).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time of the files under a folder. */
const newest = (dir) => Math.max(0, ...readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs));
if (!existsSync('dist/index.js') || newest('src') > statSync('dist/index.js').mtimeMs) {
  console.log('test: src/ is newer than dist/: npm run build (for the bundle budgets)');
  const b = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (b.status !== 0) {
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
}

const out = '.vitest-results/results.json';
rmSync(out, { force: true });
mkdirSync('.vitest-results', { recursive: true });
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit' });
let passed = 0;
let failed = 0;
try {
  const res = JSON.parse(readFileSync(out, 'utf8'));
  passed = res.numPassedTests;
  failed = res.numFailedTests + (res.numTotalTestSuites > 0 && res.success === false && res.numFailedTests === 0 ? 1 : 0);
} catch {
  failed = 1; // no report: the run itself failed
}

// The bundle budgets: initial JS (an esbuild bundle of `import { op }`, wasm builds left out) ≤ 40 kB gzip, each wasm chunk
// ≤ 35 kB gzip (.size-limit.js).
const size = spawnSync('npx', ['size-limit', '--json'], { encoding: 'utf8' });
try {
  const checks = JSON.parse(size.stdout);
  for (const c of checks) {
    console.log(`size-limit: ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${(c.size / 1000).toFixed(2)} kB gzip (limit ${c.sizeLimit / 1000} kB)`);
    if (c.passed) passed++;
    else failed++;
  }
} catch {
  console.log(`size-limit: did not run (is dist/ built? npm run build):\n${size.stdout}${size.stderr}`);
  failed++;
}
// The playground page in headless Chromium (it skips, saying why, where no chromium binary is found): its checks count.
const play = spawnSync('node', ['scripts/test-playground.mjs'], { encoding: 'utf8' });
process.stdout.write(play.stdout);
process.stderr.write(play.stderr);
const counts = /playground: (\d+) checks passed, (\d+) failed/.exec(play.stdout);
if (counts) {
  passed += Number(counts[1]);
  failed += Number(counts[2]);
} else if (!/skipped/.test(play.stdout)) {
  failed++;
}

console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
