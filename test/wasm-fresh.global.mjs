// vitest global setup: refuse to test stale wasm. The tests import the embedded binaries (src/wasm-binaries*), which
// only `npm run build:wasm` regenerates; running vitest right after editing assembly/ would otherwise test the old
// kernels without a word.
import { builtHash, sourcesHash } from '../scripts/wasm-sources.mjs';

export default function setup() {
  const built = builtHash();
  if (built === undefined) {
    throw new Error('convcorr: no complete wasm build (build/sources.sha256 is missing): run `npm run build:wasm` first');
  }
  const now = sourcesHash();
  if (built !== now) {
    throw new Error(`convcorr: the wasm binaries are stale: assembly/, asconfig.json, scripts/embed-wasm.mjs or the compiler changed since they were built (built from ${built.slice(0, 12)}, sources now ${now.slice(0, 12)}). Run \`npm run build:wasm\`, then the tests.`);
  }
}
