import { defineConfig } from 'tsup';

// ESM with code splitting, CJS without (a CJS bundle must not contain import()); declarations for both.
export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm'], dts: true, splitting: true, sourcemap: true, target: 'es2022' },
  { entry: ['src/index.ts'], format: ['cjs'], dts: true, splitting: false, sourcemap: true, target: 'es2022' },
]);
