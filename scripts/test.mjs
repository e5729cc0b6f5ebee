// Runs every vitest project, then the bundle size budgets (size-limit on dist/, .size-limit.json: each budget counts
// as one test), and ends with one line `tests: N passed, M failed` (CI reads it). `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

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

// The bundle budgets: initial JS ≤ 40 KB gzip, each wasm chunk ≤ 35 KB gzip (.size-limit.json).
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
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
