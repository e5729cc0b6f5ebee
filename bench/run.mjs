// `npm run bench [-- name …]`: runs bench/*.bench.mjs (or those whose name contains an argument), prints the
// machine, engine and wasm build that actually ran, and writes bench/results/latest.json and latest.md (and, when
// the nets suite ran, nets.json and nets.md).
// `npm run bench:relaxed` runs Node with relaxed SIMD enabled (fused multiply-add, as Chromium has by default) and
// writes latest-relaxed.json and latest-relaxed.md instead.
// Each suite runs in a child process of its own: a suite's heap, peers and wasm memory would otherwise tax the
// suites after it (measured: the 1024² 3×3 filter took 1.27 ms alone and 1.72 ms after the FFT suite).
// The peers (tfjs, onnxruntime-web, opencv-js, ml-convolution, fft.js) and benchmark.js are not devDependencies of
// the package: they live in bench/package.json, installed into bench/node_modules from bench/package-lock.json on
// first use, so a contributor's `npm ci` does not pull them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = new URL('.', import.meta.url);
const args = process.argv.slice(2);

if (!existsSync(new URL('node_modules/', here))) {
  console.log('bench: installing the benchmark peers into bench/node_modules (npm ci --prefix bench), once');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--prefix', fileURLToPath(here), '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench: npm ci --prefix bench failed (exit ${r.status ?? r.signal})`);
}
const { markdownTable } = await import('./harness.mjs');

const convcorr = await import('../dist/index.js');
const info = await convcorr.init();
if (info.name !== 'wasm' || !info.simd) throw new Error(`expected the wasm SIMD build to load, got ${JSON.stringify(info)}`);

if (args[0] === '--suite') {
  // Child: run one suite, write its results to the given file.
  const [, file, out] = args;
  const mod = await import(new URL(file, here).href);
  writeFileSync(out, JSON.stringify(await mod.default(convcorr)));
  process.exit(0);
}

const suites = readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort()
  .filter((f) => args.length === 0 || args.some((s) => f.includes(s)));
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, v8: process.versions.v8,
  platform: `${os.platform()} ${os.arch()}`, wasm: info.variant, date: new Date().toISOString(),
};
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node} (V8 ${machine.v8}), wasm build: ${machine.wasm}`);

const all = {};
const tmp = mkdtempSync(join(os.tmpdir(), 'convcorr-bench-'));
try {
  for (const f of suites) {
    console.log(`\n## ${f}`);
    const out = join(tmp, `${f}.json`);
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--suite', f, out], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`suite ${f} failed (exit ${r.status ?? r.signal})`);
    all[f.replace('.bench.mjs', '')] = JSON.parse(readFileSync(out, 'utf8'));
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const results = Object.values(all).flat();
const header = (threads) => `Machine: ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, V8 ${machine.v8}, wasm build '${machine.wasm}', ${threads}.\n\n`;
const md = `${header('one thread (the threads suite says where it runs two)')}${markdownTable(results)}\n`;
const name = info.variant === 'relaxed' ? 'latest-relaxed' : 'latest';
writeFileSync(new URL(`results/${name}.json`, here), JSON.stringify({ machine, suites: all }, null, 2));
writeFileSync(new URL(`results/${name}.md`, here), md);
// The networks' run (long: every layer of two nets) also keeps a file of its own, which the README's table reads, so
// that a later partial run of other suites does not drop the networks from it.
if (all.nets && info.variant !== 'relaxed') {
  writeFileSync(new URL('results/nets.json', here), JSON.stringify({ machine, suites: { nets: all.nets } }, null, 2));
  writeFileSync(new URL('results/nets.md', here), `${header('one thread')}${markdownTable(all.nets)}\n`);
}
console.log(`\n${md}`);
