// Runs every vitest project, the type tests, the bundle size budgets (size-limit on dist/, .size-limit.js: each budget
// counts as one test) and the playground page's browser test (its checks count), and ends with one line
// `tests: N passed, M failed` (CI reads it). dist/ is rebuilt first only when a file under src/ is newer than it (CI
// has just built it; `npm run build:wasm` has refreshed the binaries).
//
// The four run at the same time: vitest keeps one Node worker and one page per browser project busy (2 cores here),
// and its type tests (tsc over the whole project) would otherwise run alone after every other file; the playground
// test and size-limit fill the gaps. Their output is printed after vitest's, each in one piece.
import { spawn, spawnSync } from 'node:child_process';
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

/** Run a command; `capture`: collect its output (else it goes straight to ours). */
function run(cmd, args, capture, env = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    if (capture) {
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
    }
    p.on('error', (e) => resolve({ status: 1, stdout, stderr: `${stderr}${e.message}\n` }));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Passed and failed tests of a vitest json report (a run that wrote none counts as one failure). */
function counts(file) {
  try {
    const res = JSON.parse(readFileSync(file, 'utf8'));
    return [res.numPassedTests, res.numFailedTests + (res.numTotalTestSuites > 0 && res.success === false && res.numFailedTests === 0 ? 1 : 0)];
  } catch {
    return [0, 1];
  }
}

const dir = '.vitest-results';
const out = join(dir, 'results.json');
const typesOut = join(dir, 'types.json');
rmSync(out, { force: true });
rmSync(typesOut, { force: true });
mkdirSync(dir, { recursive: true });
const extra = process.argv.slice(2);
const json = (file) => ['--reporter=json', `--outputFile.json=${file}`];
const [tests, types, size, play] = await Promise.all([
  run('npx', ['vitest', 'run', '--reporter=default', ...json(out), ...extra], false, { CONVCORR_NO_TYPECHECK: '1' }),
  // The type tests (test/*.test-d.ts, project node), unless the arguments name files or projects to run instead.
  extra.length ? undefined : run('npx', ['vitest', 'run', '--project', 'node', 'test-d.ts', '--reporter=default', ...json(typesOut)], true),
  // The bundle budgets: initial JS (an esbuild bundle of `import { op }`, wasm builds left out) ≤ 40 kB gzip, each
  // wasm chunk ≤ 35 kB gzip (.size-limit.js).
  run('npx', ['size-limit', '--json'], true),
  // The playground page in headless Chromium (it skips, saying why, where no chromium binary is found).
  run('node', ['scripts/test-playground.mjs'], true),
]);

let [passed, failed] = counts(out);
if (types) {
  const [p, f] = counts(typesOut);
  passed += p;
  failed += f;
  console.log(`type tests (test/*.test-d.ts): ${p} passed, ${f} failed`);
  if (f || types.status !== 0) process.stdout.write(types.stdout + types.stderr);
}
try {
  for (const c of JSON.parse(size.stdout)) {
    console.log(`size-limit: ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${(c.size / 1000).toFixed(2)} kB gzip (limit ${c.sizeLimit / 1000} kB)`);
    if (c.passed) passed++;
    else failed++;
  }
} catch {
  console.log(`size-limit: did not run (is dist/ built? npm run build):\n${size.stdout}${size.stderr}`);
  failed++;
}
process.stdout.write(play.stdout);
process.stderr.write(play.stderr);
const checks = /playground: (\d+) checks passed, (\d+) failed/.exec(play.stdout);
if (checks) {
  passed += Number(checks[1]);
  failed += Number(checks[2]);
} else if (!/skipped/.test(play.stdout)) {
  failed++;
}

console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(tests.status === 0 && (!types || types.status === 0) && failed === 0 && passed > 0 ? 0 : 1);
