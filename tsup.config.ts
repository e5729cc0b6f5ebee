import { defineConfig } from 'tsup';

// ESM with code splitting: src/esm.ts imports only the wasm build the engine runs, each build a chunk of its own.
// CJS without (a CJS bundle must not contain import()): src/cjs.ts embeds every build. Declarations for both.
export default defineConfig([
  { entry: { index: 'src/esm.ts' }, format: ['esm'], dts: true, splitting: true, sourcemap: true, target: 'es2022' },
  { entry: { index: 'src/cjs.ts' }, format: ['cjs'], dts: true, splitting: false, sourcemap: true, target: 'es2022' },
]);
