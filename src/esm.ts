// The ESM entry: the API of ./index, and before any of it runs, the binary of the one wasm build this engine will
// run, loaded as its own chunk (top-level await), so `initSync()` and a first call before `init()` instantiate
// synchronously as in the CJS build, while the other builds are never downloaded or parsed. Nothing is loaded where
// compiling is refused (a strict CSP: one probe, one report) or where WebAssembly is missing.
import { compileRefusal, loadBinaries, supportedVariants } from './wasm';

export * from './index';

if (!compileRefusal()) await loadBinaries(supportedVariants().slice(0, 1));
