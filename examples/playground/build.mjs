// Writes the playground as static files any host can serve: the page into examples/playground/dist/ and the repo's
// ESM build (dist/*.js and its chunks) into examples/playground/dist/convcorr/, where main.js imports it from.
// Run `npm run build` first (npm run playground:build does both).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = new URL('.', import.meta.url);
const out = new URL('dist/', here);
const lib = new URL('../../dist/', here);
const PAGE = ['index.html', 'main.js', 'compute.js', 'ui.js', 'style.css', 'panels', 'pictures'];

/** Copy page and library; returns the output folder. */
export function buildPlayground() {
  if (!existsSync(new URL('index.js', lib))) throw new Error('dist/index.js is missing: run `npm run build` first');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(new URL('convcorr/', out), { recursive: true });
  for (const f of PAGE) cpSync(new URL(f, here), new URL(f, out), { recursive: true });
  for (const f of readdirSync(lib)) {
    if (f.endsWith('.js') || f.endsWith('.js.map')) cpSync(new URL(f, lib), new URL(`convcorr/${f}`, out));
  }
  return fileURLToPath(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`playground written to ${relative(process.cwd(), buildPlayground()) || '.'}/ — serve that folder from any static host`);
}
