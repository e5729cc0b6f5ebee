// `npm run bench [-- name …]`: runs bench/*.bench.mjs (or those whose name contains an argument), prints the
// machine, engine and wasm build that actually ran, and writes bench/results/latest.json and latest.md.
// `npm run bench:relaxed` runs Node with relaxed SIMD enabled (fused multiply-add, as Chromium has by default) and
// writes latest-relaxed.json and latest-relaxed.md instead.
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { markdownTable } from './harness.mjs';

const here = new URL('.', import.meta.url);
const filters = process.argv.slice(2);
const suites = readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));

const convcorr = await import('../dist/index.js');
const info = await convcorr.init();
if (info.name !== 'wasm' || !info.simd) throw new Error(`expected the wasm SIMD build to load, got ${JSON.stringify(info)}`);
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, v8: process.versions.v8,
  platform: `${os.platform()} ${os.arch()}`, wasm: info.variant, date: new Date().toISOString(),
};
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node} (V8 ${machine.v8}), wasm build: ${machine.wasm}`);

const all = {};
for (const f of suites) {
  console.log(`\n## ${f}`);
  const mod = await import(new URL(f, here).href);
  all[f.replace('.bench.mjs', '')] = await mod.default(convcorr);
}
const results = Object.values(all).flat();
const md = `Machine: ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, V8 ${machine.v8}, wasm build '${machine.wasm}', single thread.\n\n${markdownTable(results)}\n`;
const name = info.variant === 'relaxed' ? 'latest-relaxed' : 'latest';
writeFileSync(new URL(`results/${name}.json`, here), JSON.stringify({ machine, suites: all }, null, 2));
writeFileSync(new URL(`results/${name}.md`, here), md);
console.log(`\n${md}`);
