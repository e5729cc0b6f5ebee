// npm run test:mutation [-- --kernels | --kernel a,b] [-- --only <family>] [-- --backend js|wasm]: do the tests bite? For each kernel family of
// src/kernels/*.ts, and each backend (the JS twin; the wasm export through its binder), inject a relative error of
// 1e-5 into every float32 result the family's kernels write (test/mutation.setup.ts does it, told what by
// CONVCORR_MUTATE), run the test files that cover the family (vitest, project node, one backend: js, or the SIMD
// build for wasm), and count the tests that fail. Every row must be caught by at least one test; the script exits
// 1 otherwise. `--kernels` adds a row per kernel (each kernel faulted alone; about as long again per kernel),
// `--kernel gemm,corr2d` runs only those kernels' rows, `--rel 3e-5` changes the error.
// Not part of `npm test`: it runs the covering suites once per row.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Kernels per family (the js table's names, checked by the setup file) and the test files that cover them.
const FAMILIES = {
  corr: {
    kernels: ['corr2d', 'u8Widen', 'corrTaps', 'narrow', 'widen'],
    tests: ['corr2d', 'signal', 'signal2d', 'ndimage', 'ndimage-sum', 'properties', 'identities', 'numeric'],
  },
  gemm: {
    kernels: ['gemm', 'gemmT', 'convGemm', 'dwconv', 'transpose', 'packGemm', 'padPlanes', 'winogradWeights', 'winograd', 'direct3', 'dwPlanes'],
    tests: ['nn-kernels', 'nn', 'nn-grad', 'conv-transpose'],
  },
  fft: { kernels: ['fftCols', 'rfftRows', 'irfftRows', 'cmul'], tests: ['fft', 'signal', 'identities', 'lags'] },
  grad: {
    kernels: ['gradIm2col', 'gradCol2im', 'gradPack', 'gradAdd', 'gradWinoU', 'gradWinoV', 'gradWinoOut', 'gradDwWeight'],
    tests: ['nn-grad', 'conv-transpose'],
  },
  bmul: { kernels: ['bmul'], tests: ['fft', 'broadcast', 'identities'] },
  complex: { kernels: ['ccorr2d', 'transposePlane'], tests: ['complex'] },
  similarity: { kernels: ['shiftPlane', 'windowSums', 'scoreRow', 'matchRows'], tests: ['similarity', 'similarity-kernels'] },
};
const BACKENDS = { js: 'js', wasm: 'simd' };

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const rel = value('--rel', '1e-5');
const only = value('--only');
const backends = value('--backend') ? [value('--backend')] : Object.keys(BACKENDS);

const dir = mkdtempSync(join(tmpdir(), 'convcorr-mutation-'));
const rows = [];
const t0 = Date.now();

function run(family, kernels, backend) {
  const out = join(dir, 'report.json');
  const log = join(dir, 'fired.log');
  rmSync(out, { force: true });
  rmSync(log, { force: true });
  const files = FAMILIES[family].tests.map((t) => `test/${t}.test.ts`);
  const env = {
    ...process.env, CONVCORR_NO_BROWSER: '1', CONVCORR_VARIANTS: BACKENDS[backend],
    CONVCORR_MUTATE: `${backend}:${kernels.join(',')}`, CONVCORR_MUTATE_REL: rel, CONVCORR_MUTATE_LOG: log,
    // corrTaps and widen run in double scratch only (for float32 inputs too): their float64 results are faulted.
    CONVCORR_MUTATE_F64: 'corrTaps,widen',
  };
  const t = Date.now();
  try {
    execFileSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'node', '--typecheck.enabled=false',
      '--maxWorkers=2', '--reporter=json', `--outputFile=${out}`, ...files], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch {
    // vitest exits 1 when tests fail: that is the point. The report says what ran.
  }
  let report;
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    throw new Error(`mutation: vitest wrote no report for ${family}/${kernels} on ${backend}`);
  }
  const tests = report.testResults.flatMap((f) => f.assertionResults);
  const failed = tests.filter((a) => a.status === 'failed');
  const suiteErrors = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  const calls = readFileSync(log, 'utf8').trim().split('\n').reduce((s, l) => s + Number(l.split(' ')[1] || 0), 0);
  return { caught: failed.length, total: tests.length, calls, suiteErrors: suiteErrors.length, seconds: (Date.now() - t) / 1000,
    examples: failed.slice(0, 2).map((a) => a.fullName) };
}

const cell = (s, w) => String(s).padEnd(w);
console.log(`relative error ${rel} into float32 results; ${cell('kernel', 28)}backend  caught by          faulted calls  seconds`);
for (const [family, f] of Object.entries(FAMILIES)) {
  if (only && family !== only) continue;
  const pick = value('--kernel')?.split(',');
  const targets = pick ? [] : [[family, f.kernels]];
  if ((flag('--kernels') && f.kernels.length > 1) || pick) {
    for (const k of f.kernels) if (!pick || pick.includes(k)) targets.push([`  ${family}.${k}`, [k]]);
  }
  if (!targets.length) continue;
  for (const [label, kernels] of targets) {
    for (const backend of backends) {
      const r = run(family, kernels, backend);
      const ok = r.caught > 0 && r.suiteErrors === 0;
      rows.push({ label, backend, ...r, ok });
      console.log(`${cell(label, 28)}${cell(backend, 9)}${cell(`${r.caught} of ${r.total} tests`, 21)}${cell(r.calls, 15)}${r.seconds.toFixed(0)}` +
        `${r.calls === 0 ? '  (never ran: not applicable on this backend/dtype)' : ok ? '' : '  NOT CAUGHT'}`);
    }
  }
}
rmSync(dir, { recursive: true, force: true });
const missed = rows.filter((r) => !r.ok && r.calls > 0);
console.log(`${rows.length} rows, ${missed.length} not caught, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(missed.length ? 1 : 0);
