import { defineConfig } from 'tsup';

// ESM with code splitting: src/esm.ts imports only the wasm build the engine runs, each build a chunk of its own.
// CJS without (a CJS bundle must not contain import()): src/cjs.ts embeds every build. Declarations for both. The ESM
// build's syntax and names are minified (with its source map) for the browsers it is meant for; its whitespace is not,
// because esbuild's whitespace minification drops the `/* @__PURE__ */` marks an app's bundler needs to leave out the
// op modules it does not import (backend.ts `withWarmUp`). An app's bundler minifies the whitespace.
export default defineConfig([
  {
    entry: { index: 'src/esm.ts' }, format: ['esm'], dts: true, splitting: true, sourcemap: true, target: 'es2022',
    esbuildOptions(o) {
      o.minifySyntax = true;
      o.minifyIdentifiers = true;
    },
  },
  { entry: { index: 'src/cjs.ts' }, format: ['cjs'], dts: true, splitting: false, sourcemap: true, target: 'es2022' },
]);
