// Per test file: load every wasm build's binary up front, as the CJS build does, so tests can switch builds with
// initSync (the ESM entry src/esm.ts loads only the best build; test/esm-entry.test.ts checks that path).
import { loadBinaries, VARIANTS } from '../src/wasm';

await loadBinaries(VARIANTS);
