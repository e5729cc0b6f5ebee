// The content hash of what the wasm binaries are built from: every file under assembly/, asconfig.json, the
// AssemblyScript compiler's version and the embedding script. `npm run build:wasm` stores it beside the embedded
// binaries and skips the build while it matches; the test setup refuses binaries whose hash no longer matches.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
/** Where the hash of the last build is written, after every generated file. */
export const hashFile = join(root, 'build', 'sources.sha256');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

/** sha256 over the relative path and bytes of each input, in a fixed order. */
export function sourcesHash() {
  const inputs = [...files(join(root, 'assembly')), join(root, 'asconfig.json'),
    join(root, 'scripts', 'embed-wasm.mjs')].map((f) => relative(root, f).split('\\').join('/')).sort();
  const h = createHash('sha256');
  for (const f of inputs) h.update(`${f}\0`).update(readFileSync(join(root, f))).update('\0');
  const asc = join(root, 'node_modules', 'assemblyscript', 'package.json');
  h.update(`assemblyscript@${existsSync(asc) ? JSON.parse(readFileSync(asc, 'utf8')).version : 'missing'}`);
  return h.digest('hex');
}

/** The hash the current binaries were built from, or undefined when there is no complete build. */
export function builtHash() {
  return existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : undefined;
}
