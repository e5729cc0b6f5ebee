// `npm run build:wasm [-- --force]`: compiles assembly/ into the five builds (scalar, SIMD, relaxed SIMD, and the
// shared-memory SIMD and relaxed SIMD builds of the thread pool) and embeds
// them, unless the sources hash (scripts/wasm-sources.mjs) equals the one stored by the last complete build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtHash, hashFile, root, sourcesHash } from './wasm-sources.mjs';
import { generated } from './embed-wasm.mjs';

const force = process.argv.includes('--force');
const hash = sourcesHash();
if (!force && builtHash() === hash && generated().every((f) => f.exists)) {
  console.log(`build:wasm: assembly/ unchanged (${hash.slice(0, 12)}), binaries up to date (--force rebuilds)`);
  process.exit(0);
}
rmSync(hashFile, { force: true }); // a build that stops half-way must not look complete
mkdirSync(join(root, 'build'), { recursive: true });
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
for (const target of ['scalar', 'simd', 'relaxed', 'threads-simd', 'threads-relaxed']) {
  const r = spawnSync(process.execPath, [asc, 'assembly/index.ts', '--target', target], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const r = spawnSync(process.execPath, [join(root, 'scripts', 'embed-wasm.mjs')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(hashFile, `${hash}\n`);
console.log(`build:wasm: built and embedded (${hash.slice(0, 12)})`);
